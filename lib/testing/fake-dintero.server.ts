import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeCheckout, FakeCheckoutError } from './fake-checkout.js';
import { checkoutPage, returnLocation } from './fake-checkout.page.js';
import { operationProblem, sessionProblem } from './fake-checkout.validation.js';
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
const SYSTEM_HEADERS = ['dintero-system-name', 'dintero-system-version', 'dintero-system-plugin-name', 'dintero-system-plugin-version'];

type Json = Record<string, unknown>;
type Answer = readonly [status: number, body: unknown];

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

  constructor(options: FakeDinteroServerOptions = {}) {
    this.clients = options.clients ?? [FAKE_DINTERO_CLIENT];
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    this.requestedPort = options.port ?? 0;
    this.recordRequests = options.recordRequests ?? true;
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

  /** Stops listening and drops every open connection. */
  async stop(): Promise<void> {
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
        this.hostedCheckout(req.method ?? 'GET', decodeURIComponent(view[1]!), view[2], res);
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
      const fault = this.apiFaults[0];
      if (fault && --fault.remaining <= 0) this.apiFaults.shift();
      const [status, answer] = fault ? [fault.status, errorBody(fault.code, fault.message)] : this.api(req, path, body);
      this.apiStatuses.set(status, (this.apiStatuses.get(status) ?? 0) + 1);
      sendJson(res, status, answer);
    });
  }

  /**
   * The hosted checkout a payer's browser sees (no token: it is Dintero's own page). Pay
   * authorizes the whole order; both buttons send the browser back to `return_url` with the
   * outcome, as Dintero does.
   */
  private hostedCheckout(method: string, sessionId: string, action: string | undefined, res: ServerResponse): void {
    const session = this.checkout.session(sessionId);
    if (!session) return sendError(res, 404, 'not_found', 'Session not found');
    if (method === 'GET' && !action) {
      const html = checkoutPage(session);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
      res.end(html);
      return;
    }
    if (method !== 'POST' || !action) return sendError(res, 405, 'method_not_allowed', 'Use the buttons on the page');
    try {
      const location =
        action === 'pay'
          ? returnLocation(session, { transactionId: this.checkout.authorize(session.id).id })
          : (this.checkout.cancel(session.id), returnLocation(session, { error: 'cancelled' }));
      res.writeHead(303, { Location: location, 'Content-Length': 0 });
      res.end();
    } catch (error) {
      if (!(error instanceof FakeCheckoutError)) throw error;
      sendError(res, error.status, error.code, error.message);
    }
  }

  /** The Checkout API: bearer token first, as Dintero checks it, then the route. */
  private api(req: IncomingMessage, path: string, rawBody: string): Answer {
    const claims = this.bearerClaims(req.headers.authorization);
    if (!claims) return [401, errorBody('unauthorized', 'A valid, unexpired bearer token is required')];
    const accountId = /\/accounts\/([PT]\d+)$/.exec(claims.aud)?.[1];
    if (!accountId) return [403, errorBody('forbidden', 'The token has no account audience')];
    for (const name of SYSTEM_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string' && value.length > 120) return [400, errorBody('validation_error', `${name}: at most 120 characters`)];
    }
    let body: unknown;
    try {
      body = rawBody === '' ? undefined : (JSON.parse(rawBody) as unknown);
    } catch {
      return [400, errorBody('validation_error', 'body: is not JSON')];
    }
    try {
      return this.route(req.method ?? 'GET', path, accountId, body);
    } catch (error) {
      if (error instanceof FakeCheckoutError) return [error.status, errorBody(error.code, error.message)];
      throw error;
    }
  }

  private route(method: string, path: string, accountId: string, body: unknown): Answer {
    const owned = (id: string) => id.startsWith(`${accountId}.`);
    if (method === 'POST' && path === '/v1/sessions-profile') {
      const problem = sessionProblem(body);
      if (problem) return [400, errorBody('validation_error', problem)];
      const session = this.checkout.createSession(accountId, body as Json);
      return [200, { id: session.id, url: `${this.origin}/v1/view/${session.id}` }];
    }
    const session = /^\/v1\/sessions\/([^/]+)$/.exec(path);
    if (method === 'GET' && session) {
      const found = this.checkout.session(decodeURIComponent(session[1]!));
      return found && owned(found.id) ? [200, found] : [404, errorBody('not_found', 'Session not found')];
    }
    const transaction = /^\/v1\/transactions\/([^/]+?)(?:\/(capture|refund|void))?$/.exec(path);
    if (transaction) {
      const id = decodeURIComponent(transaction[1]!);
      const operation = transaction[2];
      if (!owned(id) || !this.checkout.transaction(id)) return [404, errorBody('not_found', 'Transaction not found')];
      if (method === 'GET' && !operation) return [200, this.checkout.transaction(id)];
      if (method === 'POST' && operation === 'void') return [200, this.checkout.void(id)];
      if (method === 'POST' && operation) {
        const problem = operationProblem(body);
        if (problem) return [400, errorBody('validation_error', problem)];
        const amount = (body as { amount: number }).amount;
        return [200, operation === 'capture' ? this.checkout.capture(id, amount) : this.checkout.refund(id, amount)];
      }
    }
    return [404, errorBody('not_found', `No route for ${method} ${path}`)];
  }

  private bearerClaims(authorization: string | undefined): FakeTokenClaims | undefined {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '');
    return match ? this.verifyToken(match[1]!) : undefined;
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

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, errorBody(code, message));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
