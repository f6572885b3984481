import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, sendJson } from '../testing/fake-http.js';
import { FakeTokenServer, type FakeTokenServerOptions } from '../testing/fake-token.server.js';
import type { Clock } from '../token/clock.js';
import { FakeApiFaults } from './fake-api-faults.js';
import { type FakeApiRequest, FakeApiRequestLog } from './fake-api-request-log.js';
import { FakeCallbacks } from './fake-callbacks.js';
import { FakeCheckout } from './fake-checkout.js';
import { FakeCheckoutApi, type FakeDeferOptions } from './fake-checkout-api.js';
import { answerHostedCheckout } from './fake-hosted-checkout.js';
import { FakeHooksApi } from './fake-hooks-api.js';
import { FakeWebhooks } from './fake-webhooks.js';

const VIEW_PATH = /^\/v1\/view\/([^/]+?)(?:\/(pay|cancel|settle))?$/;

/** Options of a {@link FakeDinteroServer}: those of its token endpoint, and the Checkout's. */
export interface FakeDinteroServerOptions extends FakeTokenServerOptions {
  /**
   * Test mode for callbacks and webhooks: accept `http://` callback and subscription URLs on
   * 127.0.0.1, ::1 or localhost, which Dintero refuses. Default false. Callbacks and webhooks are
   * delivered to loopback hosts only, either way.
   */
  readonly allowLoopbackCallbacks?: boolean;
  /** Drives callback delays, retries and timeouts (e.g. a manual clock in tests). Default: real time. */
  readonly clock?: Clock;
  /**
   * The accounts' signature secret (Dintero's `POST /v1/admin/signature`): every callback carries
   * `Dintero-Signature: t=<unix seconds>,v0-hmac-sha256=<hex>`, `t` from `clock`. Default: none,
   * callbacks go unsigned. `callbacks.signatureSecret` changes it at run time.
   */
  readonly callbackSignatureSecret?: string;
  /** Wait this long before every webhook retry. Default: 1 s, doubling. A manual `clock` works as well. */
  readonly webhookRetryDelayMs?: number;
  /**
   * The payment profiles a session may name (`profile_id`); any other is a 400, as at Dintero,
   * whose exact answer is undocumented. Default `['default']`; `'any'` takes every profile_id.
   */
  readonly profileIds?: readonly string[] | 'any';
}

/** The payment profile the fake knows by default. */
export const FAKE_PROFILE_ID = 'default';

/**
 * A stand-in for Dintero on 127.0.0.1, for tests and local development: the token endpoint of
 * {@link FakeTokenServer}, plus the Checkout API (sessions, transactions, capture, refund, void),
 * the hosted checkout page, callbacks, and webhook subscriptions with their deliveries (the Hooks
 * API), each checking what Dintero checks and answering in Dintero's shapes. It records requests
 * and can be told to fail. Its API accepts the tokens it issued (see
 * {@link FakeTokenServer.verifyToken}) and answers 401 to any other.
 */
export class FakeDinteroServer extends FakeTokenServer {
  /** Sessions and transactions, for tests that look behind the API. */
  readonly checkout: FakeCheckout;
  /** Callbacks to `callback_url`, delivered as Dintero does (to loopback hosts only). */
  readonly callbacks: FakeCallbacks;
  /** Webhook subscriptions (`/accounts/{aid}/hooks/subscriptions`) and their deliveries (to loopback hosts only). */
  readonly webhooks: FakeWebhooks;

  private readonly log: FakeApiRequestLog;
  private readonly api: FakeCheckoutApi;
  private readonly hooksApi: FakeHooksApi;
  private readonly apiFaults = new FakeApiFaults();

  constructor(options: FakeDinteroServerOptions = {}) {
    super(options);
    this.checkout = new FakeCheckout({ clock: options.clock });
    this.log = new FakeApiRequestLog(options.recordRequests ?? true);
    this.callbacks = new FakeCallbacks({ clock: options.clock, signatureSecret: options.callbackSignatureSecret });
    this.webhooks = new FakeWebhooks({ clock: options.clock, retryDelayMs: options.webhookRetryDelayMs });
    this.checkout.onChange((change) => {
      this.callbacks.notify(change);
      this.webhooks.notify(change);
    });
    this.api = new FakeCheckoutApi({
      checkout: this.checkout,
      verifyToken: (token) => this.verifyToken(token),
      origin: () => this.origin,
      allowLoopbackCallbacks: options.allowLoopbackCallbacks ?? false,
      profileIds: options.profileIds === 'any' ? undefined : (options.profileIds ?? [FAKE_PROFILE_ID]),
    });
    this.hooksApi = new FakeHooksApi({
      webhooks: this.webhooks,
      verifyToken: (token) => this.verifyToken(token),
      allowLoopbackCallbacks: options.allowLoopbackCallbacks ?? false,
    });
  }

  /** Stops listening, drops every open connection and cancels callback and webhook deliveries. */
  override async stop(): Promise<void> {
    this.callbacks.close();
    this.webhooks.close();
    await super.stop();
  }

  /** Every API (non-token) request received, oldest first. */
  get apiRequests(): FakeApiRequest[] {
    return this.log.requests;
  }

  /** How many API (non-token) requests arrived. */
  get apiRequestCount(): number {
    return this.log.count;
  }

  /** How many API requests arrived with no `Authorization` header at all. */
  get anonymousApiRequestCount(): number {
    return this.log.anonymousCount;
  }

  /** How many API requests were answered with `status`. */
  apiStatusCount(status: number): number {
    return this.log.statusCount(status);
  }

  /** Forgets recorded token and API requests. */
  override resetCounts(): void {
    super.resetCounts();
    this.log.reset();
  }

  /** Lets the token endpoint and the API answer normally again. */
  override clearTokenFaults(): void {
    super.clearTokenFaults();
    this.apiFaults.clear();
  }

  /** Answers API requests to `path` with a redirect to `location` (until cleared). */
  redirectApi(path: string, location: string, status = 302): void {
    this.apiFaults.redirect(path, location, status);
  }

  /** Stops every redirect set with {@link redirectApi}. */
  clearRedirects(): void {
    this.apiFaults.clearRedirects();
  }

  /** Answers the next `times` API requests with `status` in Dintero's error shape. */
  injectApiFault(status: number, times = 1, code = `fake_${status}`, message = `Injected status ${status}`): void {
    this.apiFaults.injectError(status, times, code, message);
  }

  /**
   * Drops the connection of the next `times` API requests to a path matching `path`: before
   * processing them (a lost request), or with `applied`, after (a lost answer: the operation
   * happened, the caller cannot know).
   */
  dropApiRequests(options: { readonly path?: RegExp; readonly times?: number; readonly applied?: boolean } = {}): void {
    this.apiFaults.drop(options.path, options.times ?? 1, options.applied ? 'after' : 'before');
  }

  /**
   * Answers the next capture, refund or void calls with `202 Accepted` and an `event-request-id`,
   * the transaction unchanged; they complete later (see {@link FakeDeferOptions}).
   */
  deferOperations(options: FakeDeferOptions = {}): void {
    this.api.deferOperations(options);
  }

  /** Completes every operation answered with 202; returns how many. */
  completeDeferredOperations(): number {
    return this.api.completeDeferred();
  }

  /**
   * Everything but the token endpoint: the hosted checkout page, then the Checkout API.
   * @internal
   */
  protected override answerOther(req: IncomingMessage, res: ServerResponse, method: string, path: string, body: string): void {
    const view = VIEW_PATH.exec(path);
    if (view) return answerHostedCheckout(this.checkout, method, decodeURIComponent(view[1]!), view[2], body, res);
    this.log.received(req, path, body);
    this.answerApi(req, res, method, path, body);
  }

  /** The Checkout and Hooks APIs, unless a fault says otherwise. */
  private answerApi(req: IncomingMessage, res: ServerResponse, method: string, path: string, body: string): void {
    const fault = this.apiFaults.take(path);
    if (fault.redirect) {
      res.writeHead(fault.redirect.status, { Location: fault.redirect.location, 'Content-Length': 0 });
      return void res.end();
    }
    if (fault.drop === 'before') return void res.socket?.resetAndDestroy();
    const [status, answer, headers] = fault.error
      ? [fault.error.status, errorBody(fault.error.code, fault.error.message)]
      : FakeHooksApi.handles(path)
        ? this.hooksApi.answer(method, path, req.headers, body)
        : this.api.answer(method, path, req.headers, body, new URL(req.url ?? '/', 'http://fake').searchParams);
    if (fault.drop === 'after') return void res.socket?.resetAndDestroy();
    this.log.answered(status);
    if (answer === undefined) {
      res.writeHead(status, { ...headers, 'Content-Length': 0 });
      return void res.end();
    }
    sendJson(res, status, answer, headers);
  }
}
