import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeDinteroClient } from './fake-dintero-client.js';
import { sendError } from './fake-http.js';
import type { FakeTokenClaims } from './fake-jwt.js';
import { FakeTokenEndpoint, type FakeTokenFault, type FakeTokenRequest } from './fake-token-endpoint.js';

const TOKEN_PATH = /^\/v1\/accounts\/([^/]+)\/auth\/token$/;

/** Options of a {@link FakeTokenServer}. */
export interface FakeTokenServerOptions {
  /** Clients that may fetch tokens. Default: one, `FAKE_DINTERO_CLIENT`. */
  readonly clients?: readonly FakeDinteroClient[];
  /** Lifetime of issued tokens, in seconds. Default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** Port on 127.0.0.1. Default 0 (a free one). */
  readonly port?: number;
  /** Keep every request in `tokenRequests` (and `apiRequests`, on a fake Dintero). Default true; counts are always kept. */
  readonly recordRequests?: boolean;
}

/**
 * Dintero's token endpoint on 127.0.0.1, and nothing else: `POST /v1/accounts/{aid}/auth/token`
 * checks what Dintero checks (Basic credentials, the account, `grant_type`, `audience`) and
 * answers in Dintero's shapes; any other route is a 404. For tests of what your app does with
 * its tokens over real HTTP: it records requests, can be told to fail, and goes down and up.
 * Tokens are HS256 JWTs with `aud` and `exp`, verifiable with {@link FakeTokenServer.verifyToken}.
 *
 * ```ts
 * const fake = await new FakeTokenServer().start();
 * DinteroAuthModule.forRoot({ ...FAKE_DINTERO_CLIENT, baseUrl: fake.baseUrl, allowInsecureLoopback: true });
 * ```
 */
export class FakeTokenServer {
  private readonly tokens: FakeTokenEndpoint;
  private readonly server: Server;
  private readonly requestedPort: number;
  private port: number | undefined;

  constructor(options: FakeTokenServerOptions = {}) {
    this.requestedPort = options.port ?? 0;
    this.tokens = new FakeTokenEndpoint({
      clients: options.clients,
      lifetimeSeconds: options.tokenLifetimeSeconds,
      keepRequests: options.recordRequests,
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
    if (this.port === undefined) throw new Error(`${this.constructor.name} is not started`);
    return `http://127.0.0.1:${this.port}`;
  }

  /** The base URL to configure (`baseUrl`): `http://127.0.0.1:{port}/v1`. */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  /** Every token request received, oldest first. */
  get tokenRequests(): FakeTokenRequest[] {
    return this.tokens.requests;
  }

  /** How many token requests arrived. */
  get tokenRequestCount(): number {
    return this.tokens.requestCount;
  }

  /** Forgets recorded requests. */
  resetCounts(): void {
    this.tokens.forgetRequests();
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

  /** Lets the token endpoint answer normally again. */
  clearTokenFaults(): void {
    this.tokens.clearFaults();
  }

  /** Makes an issued token invalid: {@link verifyToken} refuses it (and the fake Dintero's API answers 401) from now on. */
  revokeToken(accessToken: string): void {
    this.tokens.revoke(accessToken);
  }

  /** Revokes every token issued so far, as a key rotation at Dintero would. */
  revokeAllTokens(): void {
    this.tokens.revokeAll();
  }

  /**
   * Accepts `secret` for `clientId` too, beside its current one: a rotation with an overlap
   * window. End it with {@link revokeClientSecret} of the old secret.
   */
  addClientSecret(clientId: string, secret: string): void {
    this.tokens.addClientSecret(clientId, secret);
  }

  /**
   * Refuses `secret` for `clientId` from now on (`401 invalid_client`); with `revokeTokens`, the
   * tokens issued with it stop working too, as a compromised secret's would.
   */
  revokeClientSecret(clientId: string, secret: string, options: { readonly revokeTokens?: boolean } = {}): void {
    this.tokens.revokeClientSecret(clientId, secret, options);
  }

  /** The claims of a token this server issued and has not revoked, if it is unexpired. */
  verifyToken(accessToken: string, nowMs = Date.now()): FakeTokenClaims | undefined {
    return this.tokens.verify(accessToken, nowMs);
  }

  /**
   * Answers a request other than a token request: here, a 404 in Dintero's error shape. The
   * whole fake Dintero (`nestjs-dintero-auth/fake-dintero`) answers its Checkout API here.
   * @internal
   */
  protected answerOther(_req: IncomingMessage, res: ServerResponse, method: string, path: string, _body: string): void {
    sendError(res, 404, 'not_found', `No route for ${method} ${path}`);
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
      this.answerOther(req, res, method, path, body);
    });
  }
}
