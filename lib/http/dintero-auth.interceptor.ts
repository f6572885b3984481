import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import axios, { type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { DINTERO_AUTH_CONFIG } from '../dintero-auth.constants.js';
import type { AxiosInstanceLike } from '../interfaces/axios-instance-like.interface.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import type { DinteroAccessToken } from '../token/access-token.js';
import { DinteroTokenService } from '../token/dintero-token.service.js';
import { redactAxiosError, redactResponse } from './redact-axios.js';
import { type RequestTarget, requestTarget } from './request-url.js';

/** Marks a request we resent after a 401, so it is never resent again (survives axios' config merge). */
const RESENT = '__dinteroAuthResent';

type AuthorizedConfig = InternalAxiosRequestConfig & { [RESENT]?: boolean };

/**
 * Puts `Authorization: Bearer <token>` on requests to Dintero, and only to Dintero.
 *
 * `attach(instance)` adds it to an axios instance (or `httpService.axiosRef`) and returns a
 * function that removes it. A request gets the header only when its resolved origin is an
 * allowed one and it carries no `Authorization` of its own. A 401 from Dintero drops the token
 * the request carried (if it is still current) and resends the request once with a fresh one.
 */
@Injectable()
export class DinteroAuthInterceptor implements OnModuleDestroy {
  private readonly attached = new WeakMap<AxiosInstance, () => void>();
  private readonly detachers = new Set<() => void>();
  /**
   * Requests bound for an allowed origin, decided once on the way out, with the token each was
   * given (to invalidate exactly that one on 401). Their answers are redacted on the way back.
   */
  private readonly bound = new WeakMap<InternalAxiosRequestConfig, { token?: DinteroAccessToken } | null>();

  /** @internal Made by the module's injector. */
  constructor(
    @Inject(DINTERO_AUTH_CONFIG) private readonly config: DinteroAuthConfig,
    @Inject(DinteroTokenService) private readonly tokens: DinteroTokenService,
  ) {}

  /**
   * Adds the interceptor to `instance`; a second call for the same instance changes nothing.
   * The module detaches it when the application shuts down.
   */
  attach(instance: AxiosInstanceLike): () => void {
    const detach = this.install(instance as unknown as AxiosInstance);
    this.detachers.add(detach);
    return detach;
  }

  /**
   * Adds the interceptor for good, to an instance that lives and dies with this module: after
   * shutdown its requests fail with the token error instead of going out without a token.
   * @internal
   */
  protect(instance: AxiosInstance): void {
    this.install(instance);
  }

  private install(instance: AxiosInstance): () => void {
    const existing = this.attached.get(instance);
    if (existing) return existing;
    const requestId = instance.interceptors.request.use((config) => this.authorize(config));
    const responseId = instance.interceptors.response.use(
      (response) => this.onResponse(response),
      (error: unknown) => this.onError(instance, error),
    );
    const detach = () => {
      if (this.attached.get(instance) !== detach) return;
      instance.interceptors.request.eject(requestId);
      instance.interceptors.response.eject(responseId);
      this.attached.delete(instance);
      this.detachers.delete(detach);
    };
    this.attached.set(instance, detach);
    return detach;
  }

  onModuleDestroy(): void {
    for (const detach of [...this.detachers]) detach();
  }

  /** Whether a request to this target may carry the token. */
  private isAllowed(target: RequestTarget | undefined): target is RequestTarget {
    return target !== undefined && this.config.allowedOrigins.has(target.origin);
  }

  /** Whether this request went, or would go, to an allowed origin. */
  private isBound(config: InternalAxiosRequestConfig): boolean {
    const decided = this.bound.get(config);
    // Undecided when a later interceptor swapped the config object: then decide again.
    return decided === undefined ? this.isAllowed(requestTarget(config)) : decided !== null;
  }

  private authorize(config: AuthorizedConfig): InternalAxiosRequestConfig | Promise<InternalAxiosRequestConfig> {
    const target = requestTarget(config);
    if (!this.isAllowed(target)) {
      this.bound.set(config, null);
      return config;
    }
    const entry: { token?: DinteroAccessToken } = {};
    this.bound.set(config, entry);
    // A request that says who it is by itself (its own header, `auth`, user:pass in the URL) is left alone.
    if (config.headers.has('Authorization') || config.auth !== undefined || target.hasUserInfo) return config;
    // (A token never follows a redirect to another origin: axios drops the header on such a hop.)
    const withToken = (token: DinteroAccessToken) => {
      entry.token = token;
      config.headers.set('Authorization', `Bearer ${token.accessToken}`);
      return config;
    };
    // The usual case needs no promise; otherwise wait for the shared fetch. No token, no
    // request: the caller gets the typed token error, and Dintero gets nothing.
    const held = this.tokens.peekToken();
    return held ? withToken(held) : this.tokens.getToken().then(withToken);
  }

  private onResponse(response: AxiosResponse): AxiosResponse {
    return this.isBound(response.config) ? redactResponse(response) : response;
  }

  private async onError(instance: AxiosInstance, error: unknown): Promise<AxiosResponse> {
    if (!axios.isAxiosError(error) || !error.config) throw error;
    const config = error.config as AuthorizedConfig;
    if (!this.isBound(config)) throw error;
    const sent = this.bound.get(config)?.token;
    if (sent && error.response?.status === 401 && !config[RESENT]) {
      this.tokens.invalidate(sent);
      const resend: AuthorizedConfig = { ...config, headers: config.headers.concat(), [RESENT]: true };
      resend.headers.delete('Authorization');
      return instance.request(resend);
    }
    throw redactAxiosError(error);
  }
}
