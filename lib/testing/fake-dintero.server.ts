import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeCallbacks } from './fake-callbacks.js';
import { FakeCheckout } from './fake-checkout.js';
import { FakeCheckoutApi, type FakeDeferOptions } from './fake-checkout-api.js';
import { answerHostedCheckout } from './fake-hosted-checkout.js';
import { errorBody, sendError, sendJson } from './fake-http.js';
import { FakeJwtSigner, type FakeTokenClaims } from './fake-jwt.js';
import {
  FAKE_DINTERO_CLIENT,
  type FakeDinteroClient,
  type FakeApiRequest,
  type FakeDinteroServerOptions,
  type FakeTokenFault,
  type FakeTokenRequest,
} from './fake-dintero.types.js';

const ACCOUNT_ID = /^[PT]{1}(?=(?:.{3}|.{8})$)[0-9]*$/;
const TOKEN_PATH = /^\/v1\/accounts\/([^/]+)\/auth\/token$/;
const VIEW_PATH = /^\/v1\/view\/([^/]+?)(?:\/(pay|cancel))?$/;

interface QueuedFault {
  readonly fault: FakeTokenFault;
  remaining: number;
}

/**
 * A stand-in for Dintero on 127.0.0.1, for tests and local development. Its token endpoint
 * checks what Dintero checks (Basic credentials, the account in the path, `grant_type` and
 * `audience`) and answers in Dintero's shapes; it counts requests and can be told to fail.
 * Tokens are HS256 JWTs with `aud` and `exp`, verifiable with {@link verifyToken}.
 */
export class FakeDinteroServer {
  /** Every token request received, oldest first. */
  readonly tokenRequests: FakeTokenRequest[] = [];
  /** Every API (non-token) request received, oldest first. */
  readonly apiRequests: FakeApiRequest[] = [];
  /** Sessions and transactions, for tests that look behind the API. */
  readonly checkout = new FakeCheckout();
  /** Callbacks to `callback_url`, delivered as Dintero does (to loopback hosts only). */
  readonly callbacks: FakeCallbacks;
  /** Lifetime of the tokens issued from now on, in seconds. */
  tokenLifetimeSeconds: number;

  private readonly clients: readonly FakeDinteroClient[];
  private readonly signer = new FakeJwtSigner();
  private readonly faults: QueuedFault[] = [];
  private readonly revoked = new Set<string>();
  private readonly issued = new Set<string>();
  private readonly redirects = new Map<string, { status: number; location: string }>();
  private readonly apiFaults: { status: number; code: string; message: string; remaining: number }[] = [];
  private readonly server: Server;
  private readonly requestedPort: number;
  private readonly recordRequests: boolean;
  private port: number | undefined;
  private tokenCount = 0;
  private apiCount = 0;
  private anonymousApiCount = 0;
  private readonly apiStatuses = new Map<number, number>();
  private readonly checkoutApi: FakeCheckoutApi;
  private readonly drops: { path: RegExp | undefined; applied: boolean; remaining: number }[] = [];

  constructor(options: FakeDinteroServerOptions = {}) {
    this.clients = options.clients ?? [FAKE_DINTERO_CLIENT];
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    this.requestedPort = options.port ?? 0;
    this.recordRequests = options.recordRequests ?? true;
    this.server = createServer((req, res) => this.handle(req, res));
    this.callbacks = new FakeCallbacks(options.clock ? { clock: options.clock } : {});
    this.checkout.onChange((change) => this.callbacks.notify(change));
    this.checkoutApi = new FakeCheckoutApi({
      checkout: this.checkout,
      verifyToken: (token) => this.verifyToken(token),
      origin: () => this.origin,
      allowLoopbackCallbacks: options.allowLoopbackCallbacks ?? false,
    });
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

  /** How many token requests arrived. */
  get tokenRequestCount(): number {
    return this.tokenCount;
  }

  /** How many API (non-token) requests arrived. */
  get apiRequestCount(): number {
    return this.apiCount;
  }

  /** How many API requests arrived with no `Authorization` header at all. */
  get anonymousApiRequestCount(): number {
    return this.anonymousApiCount;
  }

  /** How many API requests were answered with `status`. */
  apiStatusCount(status: number): number {
    return this.apiStatuses.get(status) ?? 0;
  }

  /** Every access token issued so far, so tests can check that none leaked into their output. */
  get issuedTokens(): readonly string[] {
    return [...this.issued];
  }

  /** Answers the next `times` token requests (default: all, until cleared) with `fault`. */
  injectTokenFault(fault: FakeTokenFault, times = Number.POSITIVE_INFINITY): void {
    this.faults.push({ fault, remaining: times });
  }

  /** Lets the token endpoint and the API answer normally again. */
  clearTokenFaults(): void {
    this.faults.length = 0;
    this.apiFaults.length = 0;
    this.drops.length = 0;
  }

  /** Forgets recorded token and API requests. */
  resetCounts(): void {
    this.tokenRequests.length = 0;
    this.apiRequests.length = 0;
    this.tokenCount = 0;
    this.apiCount = 0;
    this.anonymousApiCount = 0;
    this.apiStatuses.clear();
  }

  /** Makes an issued token invalid: the API answers 401 to it from now on. */
  revokeToken(accessToken: string): void {
    this.revoked.add(accessToken);
  }

  /** Revokes every token issued so far, as a key rotation at Dintero would. */
  revokeAllTokens(): void {
    for (const token of this.issued) this.revoked.add(token);
  }

  /** Answers API requests to `path` with a redirect to `location` (until cleared). */
  redirectApi(path: string, location: string, status = 302): void {
    this.redirects.set(path, { status, location });
  }

  /** Answers the next `times` API requests with `status` in Dintero's error shape. */
  injectApiFault(status: number, times = 1, code = `fake_${status}`, message = `Injected status ${status}`): void {
    this.apiFaults.push({ status, code, message, remaining: times });
  }

  /**
   * Answers the next capture, refund or void calls with `202 Accepted` and an `event-request-id`,
   * the transaction unchanged; they complete later (see {@link FakeDeferOptions}).
   */
  deferOperations(options: FakeDeferOptions = {}): void {
    this.checkoutApi.deferOperations(options);
  }

  /** Completes every operation answered with 202; returns how many. */
  completeDeferredOperations(): number {
    return this.checkoutApi.completeDeferred();
  }

  /**
   * Drops the connection of the next `times` API requests to a path matching `path`: before
   * processing them (a lost request), or with `applied`, after (a lost answer: the operation
   * happened, the caller cannot know).
   */
  dropApiRequests(options: { readonly path?: RegExp; readonly times?: number; readonly applied?: boolean } = {}): void {
    this.drops.push({ path: options.path, applied: options.applied ?? false, remaining: options.times ?? 1 });
  }

  /** Stops every redirect set with {@link redirectApi}. */
  clearRedirects(): void {
    this.redirects.clear();
  }

  /** The claims of a token this server issued and has not revoked, if it is unexpired. */
  verifyToken(accessToken: string, nowMs = Date.now()): FakeTokenClaims | undefined {
    if (this.revoked.has(accessToken)) return undefined;
    const claims = this.signer.verify(accessToken);
    return claims && claims.exp * 1000 > nowMs ? claims : undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const token = TOKEN_PATH.exec(path);
      if (token && req.method === 'POST') {
        void this.handleToken(req, res, path, decodeURIComponent(token[1]!), body);
        return;
      }
      const view = VIEW_PATH.exec(path);
      if (view) {
        answerHostedCheckout(this.checkout, req.method ?? 'GET', decodeURIComponent(view[1]!), view[2], body, res);
        return;
      }
      this.apiCount += 1;
      if (req.headers.authorization === undefined) this.anonymousApiCount += 1;
      if (this.recordRequests) this.apiRequests.push({ method: req.method ?? '', path, headers: { ...req.headers }, body, receivedAt: Date.now() });
      const redirect = this.redirects.get(path);
      if (redirect) {
        res.writeHead(redirect.status, { Location: redirect.location, 'Content-Length': 0 });
        res.end();
        return;
      }
      const drop = this.takeDrop(path);
      if (drop && !drop.applied) return void res.socket?.resetAndDestroy();
      const fault = this.apiFaults[0];
      if (fault && --fault.remaining <= 0) this.apiFaults.shift();
      const [status, answer, headers] = fault
        ? [fault.status, errorBody(fault.code, fault.message)]
        : this.checkoutApi.answer(req.method ?? 'GET', path, req.headers, body);
      if (drop) return void res.socket?.resetAndDestroy();
      this.apiStatuses.set(status, (this.apiStatuses.get(status) ?? 0) + 1);
      sendJson(res, status, answer, headers);
    });
  }

  private takeDrop(path: string): { applied: boolean } | undefined {
    const index = this.drops.findIndex((drop) => !drop.path || drop.path.test(path));
    const drop = this.drops[index];
    if (drop && --drop.remaining <= 0) this.drops.splice(index, 1);
    return drop;
  }

  private async handleToken(req: IncomingMessage, res: ServerResponse, path: string, accountId: string, body: string): Promise<void> {
    // Recorded on arrival, so tests can see a request that is still being answered.
    const entry: { -readonly [K in keyof FakeTokenRequest]: FakeTokenRequest[K] } = {
      method: req.method ?? '',
      path,
      headers: { ...req.headers },
      body,
      status: undefined,
      receivedAt: Date.now(),
    };
    this.tokenCount += 1;
    if (this.recordRequests) this.tokenRequests.push(entry);
    const fault = this.takeFault();
    if (fault?.type === 'delay') await sleep(fault.ms);
    if (res.destroyed) return;
    if (fault && fault.type !== 'delay') {
      entry.status = this.answerFault(res, fault);
      return;
    }
    const [status, answer] = this.grant(req.headers.authorization, accountId, body);
    entry.status = status;
    sendJson(res, status, answer);
  }

  private takeFault(): FakeTokenFault | undefined {
    const next = this.faults[0];
    if (!next) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) this.faults.shift();
    return next.fault;
  }

  /** Plays a fault; returns the status sent, or undefined when the connection was dropped. */
  private answerFault(res: ServerResponse, fault: Exclude<FakeTokenFault, { type: 'delay' }>): number | undefined {
    switch (fault.type) {
      case 'reset':
        res.socket?.resetAndDestroy();
        return undefined;
      case 'truncate':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '200' });
        res.write('{"access_token":"eyJ');
        res.socket?.destroy();
        return 200;
      case 'body':
        res.writeHead(fault.status ?? 200, { 'Content-Type': fault.contentType ?? 'application/json' });
        res.end(fault.body);
        return fault.status ?? 200;
      case 'status': {
        if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
        sendError(res, fault.status, fault.code ?? `fake_${fault.status}`, fault.message ?? `Injected status ${fault.status}`);
        return fault.status;
      }
    }
  }

  /** Dintero's checks for a client-credentials grant, in the order it reports them. */
  private grant(authorization: string | undefined, accountId: string, body: string): [number, unknown] {
    if (!ACCOUNT_ID.test(accountId)) return [400, errorBody('invalid_account', `"${accountId}" is not an account id`)];
    const client = this.authenticate(authorization);
    if (!client) return [401, errorBody('invalid_client', 'Invalid client credentials')];
    let request: Record<string, unknown>;
    try {
      request = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return [400, errorBody('invalid_request', 'The body must be JSON')];
    }
    if (typeof request?.grant_type !== 'string') return [400, errorBody('invalid_request', 'grant_type is required')];
    if (request.grant_type !== 'client_credentials') return [400, errorBody('unsupported_grant_type', `grant_type "${request.grant_type}" is not supported`)];
    if (typeof request.audience !== 'string') return [400, errorBody('invalid_request', 'audience is required for client_credentials')];
    if (client.accountId !== accountId) return [403, errorBody('access_denied', `The client has no access to account ${accountId}`)];
    if (request.audience !== `https://api.dintero.com/v1/accounts/${accountId}`) {
      return [403, errorBody('invalid_audience', 'The audience is not granted to the client')];
    }
    const issuedAt = Date.now();
    const iat = Math.floor(issuedAt / 1000);
    const accessToken = this.signer.sign({
      iss: 'https://fake.dintero.local',
      sub: client.clientId,
      aud: request.audience,
      iat,
      // NumericDate may have a fraction (RFC 7519 §2): short test lifetimes stay exact.
      exp: (issuedAt + this.tokenLifetimeSeconds * 1000) / 1000,
      jti: randomUUID(),
      scopes: 'read:checkout write:checkout',
    });
    this.issued.add(accessToken);
    return [200, { access_token: accessToken, token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds }];
  }

  private authenticate(authorization: string | undefined): FakeDinteroClient | undefined {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
    if (!match) return undefined;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [id, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    return this.clients.find((client) => colon > 0 && client.clientId === id && client.clientSecret === secret);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
