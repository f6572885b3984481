import axios, {
  type AxiosAdapter,
  type AxiosInstance,
  type AxiosRequestConfig,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios';
import type { AxiosInstanceLike } from './axios-instance-like.js';
import { hasAuthorization, putAuthorization } from './authorization-header.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import type { DinteroAccessToken } from '../token/access-token.js';
import type { Clock } from '../token/clock.js';
import type { DinteroTokenService } from '../token/dintero-token.service.js';
import { CallDeadline } from './call-deadline.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { DinteroAgents } from './dintero-agents.js';
import { markDinteroCallError } from './dintero-call-errors.js';
import { redactAxiosError, redactResponse } from './redact-axios.js';
import { guardRedirects, type RedirectTrail } from './redirect-guard.js';
import { requestTarget } from './request-url.js';
import { SlicedDispatch } from './sliced-dispatch.js';
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

type FetchOptions = InternalAxiosRequestConfig['fetchOptions'];

const MANUAL_REDIRECTS: FetchOptions = Object.freeze({ redirect: 'manual' as const });

/**
 * The fetch adapter follows redirects inside fetch, where no hook sees the hops: an answer (a
 * 401 above all) would be judged as the allowed origin's when another origin gave it. Such a
 * request gets the redirect back instead. The http adapter ignores this, and judges each hop.
 */
function withoutRedirects(options: FetchOptions): FetchOptions {
  if (options === undefined || options === null) return MANUAL_REDIRECTS;
  return options.redirect === 'manual' ? options : { ...options, redirect: 'manual' };
}

function isUnauthorized(error: unknown): boolean {
  return axios.isAxiosError(error) && error.response?.status === 401;
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
export class DinteroAuthInterceptor {
  private readonly attached = new WeakMap<AxiosInstance, () => void>();
  private readonly detachers = new Set<() => void>();
  private readonly waited = new SlicedDispatch();
  // The header value of the token held last: built once per token, not per call.
  private bearerToken: DinteroAccessToken | undefined;
  private bearer = '';

  /** @internal Made by `createDinteroClient`; `agents` carry every request that gets the token. */
  constructor(
    private readonly config: DinteroAuthConfig,
    private readonly tokens: DinteroTokenService,
    private readonly clock: Clock,
    private readonly agents: DinteroAgents,
  ) {}

  /**
   * Adds the token to `instance`'s requests; a second call for the same instance changes
   * nothing. The module detaches it when the application has shut down (after the HTTP server
   * drained), so requests in flight during a rolling deploy keep their token.
   */
  attach(instance: AxiosInstanceLike): () => void {
    const detach = this.install(instance as unknown as AxiosInstance, {});
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

  /** Detaches from every instance given to {@link attach}, once the application has shut down. @internal */
  detachAll(): void {
    for (const detach of [...this.detachers]) detach();
  }

  private install(instance: AxiosInstance, options: ProtectOptions): () => void {
    const existing = this.attached.get(instance);
    if (existing) return existing;
    const original = instance.defaults.adapter;
    let active = true;
    let next: AxiosAdapter | undefined;
    const deadlines = options.deadlineMs === undefined ? undefined : new DeadlineQueue(this.clock, options.deadlineMs);
    const adapter: AxiosAdapter = (config) => {
      next ??= resolveAdapter(original, config);
      return active ? this.send(config, next, deadlines) : next(config);
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
  private send(config: InternalAxiosRequestConfig, next: AxiosAdapter, deadlines: DeadlineQueue | undefined): Promise<AxiosResponse> {
    const target = requestTarget(config);
    if (target === undefined || !this.config.allowedOrigins.has(target.origin)) return next(config);
    // Older axios sends an https request to an http proxy in clear text, head and all.
    config.proxy = false;
    // Only the module's agents: any other agent's sockets, reached from any other call's error or
    // config, would lead to this request's raw head. (The app gives its own in `httpsAgent`.)
    config.httpAgent = this.agents.http;
    config.httpsAgent = this.agents.https;
    const call: BoundCall = { config, next, sentTo: target.origin, origin: target.origin, deadline: undefined, bearer: undefined };
    config.beforeRedirect = guardRedirects(call, config.beforeRedirect);
    config.fetchOptions = withoutRedirects(config.fetchOptions);
    // A request that says who it is by itself (its own header, `auth`, user:pass in the URL) is left alone.
    if (hasAuthorization(config.headers) || config.auth !== undefined || target.hasUserInfo) return this.exchange(call, deadlines);
    // The usual case needs no promise; otherwise wait for the shared fetch. No token, no
    // request: the caller gets the typed token error, and Dintero gets nothing.
    const held = this.tokens.peekToken();
    if (held) return this.exchange(call, deadlines, held);
    return this.tokens.getToken().then((token) => this.waited.run(() => this.exchange(call, deadlines, token)));
  }

  private exchange(call: BoundCall, deadlines: DeadlineQueue | undefined, token?: DinteroAccessToken): Promise<AxiosResponse> {
    if (deadlines) call.deadline = new CallDeadline(call.config, deadlines);
    let sent: Promise<AxiosResponse>;
    try {
      sent = this.dispatch(call, token);
    } catch (error) {
      // An adapter that throws instead of rejecting still gets its deadline released and its error redacted.
      sent = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return sent.then(
      (response) => this.answered(call, response),
      (error: unknown) => (token && isUnauthorized(error) ? this.afterUnauthorized(call, token, error) : this.failed(call, error)),
    );
  }

  private dispatch(call: BoundCall, token: DinteroAccessToken | undefined): Promise<AxiosResponse> {
    if (token) putAuthorization(call.config.headers, (call.bearer = this.bearerOf(token)));
    return call.next(call.config);
  }

  private bearerOf(token: DinteroAccessToken): string {
    if (token !== this.bearerToken) {
      this.bearerToken = token;
      this.bearer = `Bearer ${token.accessToken}`;
    }
    return this.bearer;
  }

  private answered(call: BoundCall, response: AxiosResponse): AxiosResponse {
    return redactResponse(call.deadline ? call.deadline.settle(response) : response, call.bearer);
  }

  private failed(call: BoundCall, error: unknown): never {
    const surfaced = call.deadline ? call.deadline.fail(error) : error;
    throw axios.isAxiosError(surfaced) ? markDinteroCallError(redactAxiosError(surfaced, call.bearer), this.config.accountId) : surfaced;
  }

  /** A 401 on a request that carried our token: resend once, or hand it back (see judgeUnauthorized). */
  private async afterUnauthorized(call: BoundCall, sent: DinteroAccessToken, error: unknown): Promise<AxiosResponse> {
    const verdict = judgeUnauthorized({
      answeredByAllowedOrigin: this.config.allowedOrigins.has(call.origin),
      canResend: isReplayable(call.config.data),
      sentIsCurrent: this.tokens.peekToken()?.matches(sent) ?? false,
      sentAgeMs: this.clock.now() - sent.timeline.sentAt,
    });
    if (verdict === 'return') return this.failed(call, error);
    if (verdict === 'invalidate') this.tokens.invalidate(sent);
    try {
      const successor = await this.tokens.getToken();
      call.origin = call.sentTo;
      return this.answered(call, await this.dispatch(call, successor));
    } catch (resent: unknown) {
      return this.failed(call, resent);
    }
  }
}

/** One request on its way to an allowed origin; `origin` is where it went last (redirects). */
interface BoundCall extends RedirectTrail {
  readonly config: InternalAxiosRequestConfig;
  readonly next: AxiosAdapter;
  /** Where it was sent first. */
  readonly sentTo: string;
  deadline: CallDeadline | undefined;
  /** The header value it carries, once the token is on it. */
  bearer: string | undefined;
}
