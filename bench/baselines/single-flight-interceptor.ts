import type { AxiosInstance } from 'axios';
import type { FakeDinteroClient } from 'nestjs-dintero-auth/testing';
import { fetchToken } from './fetch-token.js';

/**
 * The careful hand-rolled peer: an axios request interceptor with one shared token fetch
 * (single flight), kept until shortly before expiry and fetched again by the first request
 * that finds it stale; everyone else waits for that fetch.
 */
export class SingleFlightTokenInterceptor {
  /** Requests that had to wait for a token fetch. */
  waited = 0;
  private token: string | undefined;
  private validUntil = 0;
  private inFlight: Promise<string> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly client: FakeDinteroClient,
  ) {}

  get(): Promise<string> | string {
    if (this.token && Date.now() < this.validUntil) return this.token;
    this.waited += 1;
    this.inFlight ??= fetchToken(this.baseUrl, this.client)
      .then(({ accessToken, expiresInSeconds }) => {
        this.token = accessToken;
        this.validUntil = Date.now() + expiresInSeconds * 900;
        return accessToken;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  attach(instance: AxiosInstance): void {
    instance.interceptors.request.use(async (config) => {
      config.headers.Authorization = `Bearer ${await this.get()}`;
      return config;
    });
  }
}
