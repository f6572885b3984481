import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import axios, {
  type AxiosAdapter,
  type AxiosInstance,
  type AxiosRequestConfig,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import { DINTERO_AUTH_CONFIG, DINTERO_CLOCK } from '../dintero-auth.constants.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import type { DinteroAccessToken } from '../token/access-token.js';
import type { Clock } from '../token/clock.js';
import { DinteroTokenService } from '../token/dintero-token.service.js';
import { withDeadline } from './api-deadline.js';
import { DinteroAgents } from './dintero-agents.js';
import { redactAxiosError, redactResponse } from './redact-axios.js';
import { guardRedirects, type RedirectTrail } from './redirect-guard.js';
import { requestTarget } from './request-url.js';
import { judgeUnauthorized } from './unauthorized-policy.js';

type AdapterSetting = AxiosRequestConfig['adapter'];

/** What {@link DinteroAuthInterceptor.protect} adds for the module's own instance. */
export interface ProtectOptions {
  /** Total deadline of each call, headers and body, in milliseconds. */
  readonly deadlineMs?: number;
}

function resolveAdapter(setting: AdapterSetting, config: InternalAxiosRequestConfig): AxiosAdapter {
  return typeof setting === 'function' ? setting : axios.getAdapter(setting, config);
}

function isReplayable(data: unknown): boolean {
  return typeof (data as { pipe?: unknown } | null | undefined)?.pipe !== 'function';
}

function isUnauthorized(error: unknown): boolean {
  return axios.isAxiosError(error) && error.response?.status === 401;
}

function redacted(error: unknown): never {
  throw axios.isAxiosError(error) ? redactAxiosError(error) : error;
}

/**
 * Puts `Authorization: Bearer <token>` on requests to Dintero, and only to Dintero.
 *
 * `attach(instance)` wraps the adapter of an axios instance (or `httpService.axiosRef`) and
 * returns a function that unwraps it. The decision is made as the request leaves, after every
 * request interceptor, on the URL it really goes to: an allowed origin, no `Authorization` of
 * its own. Its answer or error is redacted before any response interceptor sees it. A request
 * that carries the token goes on the module's own agents, never through a proxy, and keeps the
 * token on a redirect only to the same origin. A 401 from an allowed origin drops the token when
 * it is current and old enough to be stale, and the request is resent once.
 */
@Injectable()
export class DinteroAuthInterceptor implements OnApplicationShutdown {
  private readonly attached = new WeakMap<AxiosInstance, () => void>();
  private readonly detachers = new Set<() => void>();
  private readonly agents: DinteroAgents;

  constructor(
    @Inject(DINTERO_AUTH_CONFIG) private readonly config: DinteroAuthConfig,
    @Inject(DinteroTokenService) private readonly tokens: DinteroTokenService,
    @Inject(DINTERO_CLOCK) private readonly clock: Clock,
  ) {
    this.agents = new DinteroAgents(config.httpsAgent);
  }

  /**
   * Adds the token to `instance`'s requests; a second call for the same instance changes
   * nothing. The module detaches it when the application has shut down (after the HTTP server
   * drained), so requests in flight during a rolling deploy keep their token.
   */
  attach(instance: AxiosInstance): () => void {
    const detach = this.install(instance, {});
    this.detachers.add(detach);
    return detach;
  }

  /**
   * Adds the token for good, to an instance that lives and dies with this module: after
   * shutdown its requests fail with the token error instead of going out without a token.
   * @internal
   */
  protect(instance: AxiosInstance, options: ProtectOptions = {}): void {
    this.install(instance, options);
  }

  /** The module's own agents, for the module's own instance. @internal */
  get ownAgents(): DinteroAgents {
    return this.agents;
  }

  onApplicationShutdown(): void {
    for (const detach of [...this.detachers]) detach();
    this.agents.close();
  }

  private install(instance: AxiosInstance, options: ProtectOptions): () => void {
    const existing = this.attached.get(instance);
    if (existing) return existing;
    const original = instance.defaults.adapter;
    let active = true;
    const adapter: AxiosAdapter = (config) => {
      const next = resolveAdapter(original, config);
      return active ? this.send(config, next, options) : next(config);
    };
    instance.defaults.adapter = adapter;
    const detach = () => {
      if (this.attached.get(instance) !== detach) return;
      active = false;
      // Another wrapper may have been put around ours since: then ours stays, passing through.
      if (instance.defaults.adapter === adapter) instance.defaults.adapter = original;
      this.attached.delete(instance);
      this.detachers.delete(detach);
    };
    this.attached.set(instance, detach);
    return detach;
  }

  /** The last hop of a request: everything the app does to it has been done. */
  private send(config: InternalAxiosRequestConfig, next: AxiosAdapter, options: ProtectOptions): Promise<AxiosResponse> {
    const target = requestTarget(config);
    if (target === undefined || !this.config.allowedOrigins.has(target.origin)) return next(config);
    // Older axios sends an https request to an http proxy in clear text, head and all.
    config.proxy = false;
    config.httpAgent ??= this.agents.http;
    config.httpsAgent ??= this.agents.https;
    const trail: RedirectTrail = { origin: target.origin };
    config.beforeRedirect = guardRedirects(trail, config.beforeRedirect);
    // A request that says who it is by itself (its own header, `auth`, user:pass in the URL) is left alone.
    const ownCredentials = config.headers.has('Authorization') || config.auth !== undefined || target.hasUserInfo;
    const exchange = (token: DinteroAccessToken | undefined) => {
      const call = () => (token ? this.sendWithToken(config, next, token, trail, target.origin) : next(config));
      const sent = options.deadlineMs === undefined ? call() : withDeadline(config, this.clock, options.deadlineMs, call);
      return sent.then(redactResponse, redacted);
    };
    if (ownCredentials) return exchange(undefined);
    // The usual case needs no promise; otherwise wait for the shared fetch. No token, no
    // request: the caller gets the typed token error, and Dintero gets nothing.
    const held = this.tokens.peekToken();
    return held ? exchange(held) : this.tokens.getToken().then(exchange);
  }

  private sendWithToken(
    config: InternalAxiosRequestConfig,
    next: AxiosAdapter,
    token: DinteroAccessToken,
    trail: RedirectTrail,
    origin: string,
  ): Promise<AxiosResponse> {
    config.headers.set('Authorization', `Bearer ${token.accessToken}`);
    return next(config).catch(async (error: unknown) => {
      if (!isUnauthorized(error)) throw error;
      const verdict = judgeUnauthorized({
        answeredByAllowedOrigin: this.config.allowedOrigins.has(trail.origin),
        canResend: isReplayable(config.data),
        sentIsCurrent: this.tokens.peekToken()?.matches(token) ?? false,
        sentAgeMs: this.clock.now() - token.timeline.sentAt,
      });
      if (verdict === 'return') throw error;
      if (verdict === 'invalidate') this.tokens.invalidate(token);
      const successor = await this.tokens.getToken();
      trail.origin = origin;
      config.headers.set('Authorization', `Bearer ${successor.accessToken}`);
      return next(config);
    });
  }
}
