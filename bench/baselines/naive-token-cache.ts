import type { AxiosInstance } from 'axios';
import type { FakeDinteroClient } from 'nestjs-dintero-auth/testing';
import { fetchToken } from './fetch-token.js';

/**
 * The common hand-rolled cache (Dintero's Node SDK works this way): the token is kept for half
 * its lifetime and fetched inline by whichever request finds it stale; concurrent requests
 * that find it stale each fetch their own.
 */
export class NaiveTokenCache {
  /** Requests that had to wait for a token fetch. */
  waited = 0;
  private token: string | undefined;
  private validUntil = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly client: FakeDinteroClient,
  ) {}

  async get(): Promise<string> {
    if (this.token && Date.now() < this.validUntil) return this.token;
    this.waited += 1;
    const { accessToken, expiresInSeconds } = await fetchToken(this.baseUrl, this.client);
    this.token = accessToken;
    this.validUntil = Date.now() + (expiresInSeconds * 1000) / 2;
    return accessToken;
  }

  attach(instance: AxiosInstance): void {
    instance.interceptors.request.use(async (config) => {
      config.headers.Authorization = `Bearer ${await this.get()}`;
      return config;
    });
  }
}
