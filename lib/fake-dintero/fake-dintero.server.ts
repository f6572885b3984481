import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeDinteroClient } from '../testing/fake-dintero-client.js';
import { errorBody, sendJson } from '../testing/fake-http.js';
import type { FakeTokenClaims } from '../testing/fake-jwt.js';
import { FakeTokenEndpoint, type FakeTokenFault, type FakeTokenRequest } from '../testing/fake-token-endpoint.js';
import type { Clock } from '../token/clock.js';
import { FakeApiFaults } from './fake-api-faults.js';
import { type FakeApiRequest, FakeApiRequestLog } from './fake-api-request-log.js';
import { FakeCallbacks } from './fake-callbacks.js';
import { FakeCheckout } from './fake-checkout.js';
import { FakeCheckoutApi, type FakeDeferOptions } from './fake-checkout-api.js';
import { answerHostedCheckout } from './fake-hosted-checkout.js';

const TOKEN_PATH = /^\/v1\/accounts\/([^/]+)\/auth\/token$/;
const VIEW_PATH = /^\/v1\/view\/([^/]+?)(?:\/(pay|cancel))?$/;

/** Options of a {@link FakeDinteroServer}. */
export interface FakeDinteroServerOptions {
  /** Clients that may fetch tokens. Default: one, `FAKE_DINTERO_CLIENT`. */
  readonly clients?: readonly FakeDinteroClient[];
  /** Lifetime of issued tokens, in seconds. Default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** Port on 127.0.0.1. Default 0 (a free one). */
  readonly port?: number;
  /** Keep every request in `tokenRequests` / `apiRequests`. Default true; counts are always kept. */
  readonly recordRequests?: boolean;
  /**
   * Test mode for callbacks: accept `http://` callback URLs on 127.0.0.1, ::1 or localhost, which
   * Dintero refuses. Default false. Callbacks are delivered to loopback hosts only, either way.
   */
  readonly allowLoopbackCallbacks?: boolean;
  /** Drives callback delays, retries and timeouts (e.g. a manual clock in tests). Default: real time. */
  readonly clock?: Clock;
}

/**
 * A stand-in for Dintero on 127.0.0.1, for tests and local development: the token endpoint,
 * the Checkout API (sessions, transactions, capture, refund, void), the hosted checkout page
 * and callbacks, each checking what Dintero checks and answering in Dintero's shapes. It
 * records requests and can be told to fail. Tokens are HS256 JWTs with `aud` and `exp`,
 * verifiable with {@link verifyToken}.
 */
export class FakeDinteroServer {
  /** Sessions and transactions, for tests that look behind the API. */
  readonly checkout = new FakeCheckout();
  /** Callbacks to `callback_url`, delivered as Dintero does (to loopback hosts only). */
  readonly callbacks: FakeCallbacks;

  private readonly log: FakeApiRequestLog;
  private readonly tokens: FakeTokenEndpoint;
  private readonly api: FakeCheckoutApi;
  private readonly apiFaults = new FakeApiFaults();
  private readonly server: Server;
  private readonly requestedPort: number;
  private port: number | undefined;

  constructor(options: FakeDinteroServerOptions = {}) {
    this.requestedPort = options.port ?? 0;
    this.log = new FakeApiRequestLog(options.recordRequests ?? true);
    this.tokens = new FakeTokenEndpoint({
      clients: options.clients,
      lifetimeSeconds: options.tokenLifetimeSeconds,
      keepRequests: options.recordRequests,
    });
    this.callbacks = new FakeCallbacks(options.clock ? { clock: options.clock } : {});
    this.checkout.onChange((change) => this.callbacks.notify(change));
    this.api = new FakeCheckoutApi({
      checkout: this.checkout,
      verifyToken: (token) => this.verifyToken(token),
      origin: () => this.origin,
      allowLoopbackCallbacks: options.allowLoopbackCallbacks ?? false,
    });
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** Starts listening on 127.0.0.1; resolves once the port is known. */
  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.requestedPort, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening, drops every open connection and cancels callback deliveries. */
  async stop(): Promise<void> {
    this.callbacks.close();
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Goes down: open connections drop and new ones are refused (ECONNREFUSED) until {@link acceptConnections}. */
  async refuseConnections(): Promise<void> {
    await this.stop();
  }

  /** Comes back on the same port after {@link refuseConnections}. */
  async acceptConnections(): Promise<void> {
    if (this.server.listening) return;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** `http://127.0.0.1:{port}`. */
  get origin(): string {
    if (this.port === undefined) throw new Error('FakeDinteroServer is not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** The Checkout API base URL to configure: `http://127.0.0.1:{port}/v1`. */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  /** Every token request received, oldest first. */
  get tokenRequests(): FakeTokenRequest[] {
    return this.tokens.requests;
  }

  /** Every API (non-token) request received, oldest first. */
  get apiRequests(): FakeApiRequest[] {
    return this.log.requests;
  }

  /** How many token requests arrived. */
  get tokenRequestCount(): number {
    return this.tokens.requestCount;
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
  resetCounts(): void {
    this.tokens.forgetRequests();
    this.log.reset();
  }

  /** Lifetime of the tokens issued from now on, in seconds. */
  get tokenLifetimeSeconds(): number {
    return this.tokens.lifetimeSeconds;
  }

  set tokenLifetimeSeconds(seconds: number) {
    this.tokens.lifetimeSeconds = seconds;
  }

  /** Every access token issued so far, so tests can check that none leaked into their output. */
  get issuedTokens(): readonly string[] {
    return this.tokens.issuedTokens;
  }

  /** Answers the next `times` token requests (default: all, until cleared) with `fault`. */
  injectTokenFault(fault: FakeTokenFault, times = Number.POSITIVE_INFINITY): void {
    this.tokens.injectFault(fault, times);
  }

  /** Lets the token endpoint and the API answer normally again. */
  clearTokenFaults(): void {
    this.tokens.clearFaults();
    this.apiFaults.clear();
  }

  /** Makes an issued token invalid: the API answers 401 to it from now on. */
  revokeToken(accessToken: string): void {
    this.tokens.revoke(accessToken);
  }

  /** Revokes every token issued so far, as a key rotation at Dintero would. */
  revokeAllTokens(): void {
    this.tokens.revokeAll();
  }

  /** The claims of a token this server issued and has not revoked, if it is unexpired. */
  verifyToken(accessToken: string, nowMs = Date.now()): FakeTokenClaims | undefined {
    return this.tokens.verify(accessToken, nowMs);
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

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const method = req.method ?? 'GET';
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const token = TOKEN_PATH.exec(path);
      if (token && method === 'POST') return void this.tokens.answer(req, res, path, decodeURIComponent(token[1]!), body);
      const view = VIEW_PATH.exec(path);
      if (view) return answerHostedCheckout(this.checkout, method, decodeURIComponent(view[1]!), view[2], body, res);
      this.log.received(req, path, body);
      this.answerApi(req, res, method, path, body);
    });
  }

  /** The Checkout API, unless a fault says otherwise. */
  private answerApi(req: IncomingMessage, res: ServerResponse, method: string, path: string, body: string): void {
    const fault = this.apiFaults.take(path);
    if (fault.redirect) {
      res.writeHead(fault.redirect.status, { Location: fault.redirect.location, 'Content-Length': 0 });
      return void res.end();
    }
    if (fault.drop === 'before') return void res.socket?.resetAndDestroy();
    const [status, answer, headers] = fault.error
      ? [fault.error.status, errorBody(fault.error.code, fault.error.message)]
      : this.api.answer(method, path, req.headers, body);
    if (fault.drop === 'after') return void res.socket?.resetAndDestroy();
    this.log.answered(status);
    sendJson(res, status, answer, headers);
  }
}
