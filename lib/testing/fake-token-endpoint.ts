import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAKE_DINTERO_CLIENT, type FakeDinteroClient } from './fake-dintero-client.js';
import { errorBody, sendError, sendJson } from './fake-http.js';
import { FakeJwtSigner, type FakeTokenClaims } from './fake-jwt.js';

/**
 * A fault the token endpoint answers with instead of a token.
 * - `status`: an error status in Dintero's error shape, optionally with `Retry-After`.
 * - `delay`: waits, then answers normally (beyond the client's timeout, this is a timeout).
 * - `reset`: destroys the connection without an answer.
 * - `body`: a 200 (or `status`) with a raw body of your choosing: HTML, `{}`, bad JSON...
 * - `truncate`: announces a longer body than it sends, then closes the connection.
 */
export type FakeTokenFault =
  | {
      readonly type: 'status';
      readonly status: number;
      readonly retryAfter?: string | number;
      readonly code?: string;
      readonly message?: string;
    }
  | { readonly type: 'delay'; readonly ms: number }
  | { readonly type: 'reset' }
  | { readonly type: 'body'; readonly body: string; readonly contentType?: string; readonly status?: number }
  | { readonly type: 'truncate' };

/** One request the token endpoint received, as the tests see it. */
export interface FakeTokenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** The status the fake answered with; undefined while it is answering, or if it dropped the connection. */
  readonly status: number | undefined;
  /** `Date.now()` when the request arrived. */
  readonly receivedAt: number;
}

/** A token request as recorded on arrival; its status is filled in once answered. */
type RecordedTokenRequest = { -readonly [K in keyof FakeTokenRequest]: FakeTokenRequest[K] };

const ACCOUNT_ID = /^[PT]{1}(?=(?:.{3}|.{8})$)[0-9]*$/;

interface QueuedFault {
  readonly fault: FakeTokenFault;
  remaining: number;
}

/**
 * The fake's `POST /v1/accounts/{oid}/auth/token`: it checks what Dintero checks (Basic
 * credentials, the account in the path, `grant_type` and `audience`), answers in Dintero's
 * shapes, and plays the faults it is told to. Tokens are HS256 JWTs with `aud` and `exp`.
 * Every request is counted, and kept unless told not to.
 */
export class FakeTokenEndpoint {
  /** Lifetime of the tokens issued from now on, in seconds. */
  lifetimeSeconds: number;
  /** Every request received (when kept), oldest first. */
  readonly requests: FakeTokenRequest[] = [];
  /** How many requests arrived, kept or not. */
  requestCount = 0;

  private readonly clients: readonly FakeDinteroClient[];
  private readonly signer = new FakeJwtSigner();
  private readonly faults: QueuedFault[] = [];
  private readonly revoked = new Set<string>();
  private readonly issued = new Set<string>();
  /** Secrets each client id is accepted with: more than one during a rotation's overlap. */
  private readonly secrets = new Map<string, Set<string>>();
  /** The client id and secret each token was issued to, to revoke them with the secret. */
  private readonly issuedWith = new Map<string, string>();
  private readonly keepRequests: boolean;

  constructor(
    options: { readonly clients?: readonly FakeDinteroClient[]; readonly lifetimeSeconds?: number; readonly keepRequests?: boolean } = {},
  ) {
    this.clients = options.clients ?? [FAKE_DINTERO_CLIENT];
    this.lifetimeSeconds = options.lifetimeSeconds ?? 3600;
    this.keepRequests = options.keepRequests ?? true;
    for (const client of this.clients) this.secrets.set(client.clientId, new Set([client.clientSecret]));
  }

  /** Accepts `secret` for `clientId` too, beside the secrets it already has: a rotation's overlap. */
  addClientSecret(clientId: string, secret: string): void {
    const secrets = this.secrets.get(clientId);
    if (!secrets) throw new Error(`The fake knows no client ${clientId}`);
    secrets.add(secret);
  }

  /** Refuses `secret` for `clientId` from now on; with `revokeTokens`, the tokens issued with it too. */
  revokeClientSecret(clientId: string, secret: string, options: { readonly revokeTokens?: boolean } = {}): void {
    this.secrets.get(clientId)?.delete(secret);
    if (!options.revokeTokens) return;
    const pair = `${clientId}:${secret}`;
    for (const [token, issuedTo] of this.issuedWith) if (issuedTo === pair) this.revoked.add(token);
  }

  get issuedTokens(): readonly string[] {
    return [...this.issued];
  }

  injectFault(fault: FakeTokenFault, times: number): void {
    this.faults.push({ fault, remaining: times });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  revoke(accessToken: string): void {
    this.revoked.add(accessToken);
  }

  revokeAll(): void {
    for (const token of this.issued) this.revoked.add(token);
  }

  /** The claims of a token issued here and not revoked, if it is unexpired. */
  verify(accessToken: string, nowMs = Date.now()): FakeTokenClaims | undefined {
    if (this.revoked.has(accessToken)) return undefined;
    const claims = this.signer.verify(accessToken);
    return claims && claims.exp * 1000 > nowMs ? claims : undefined;
  }

  /** Forgets the requests received so far, and their count. */
  forgetRequests(): void {
    this.requests.length = 0;
    this.requestCount = 0;
  }

  async answer(req: IncomingMessage, res: ServerResponse, path: string, accountId: string, body: string): Promise<void> {
    const entry = this.record(req, path, body);
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

  /** Records a request on arrival, so tests can see one that is still being answered. */
  private record(req: IncomingMessage, path: string, body: string): RecordedTokenRequest {
    const entry: RecordedTokenRequest = {
      method: req.method ?? '',
      path,
      headers: { ...req.headers },
      body,
      status: undefined,
      receivedAt: Date.now(),
    };
    this.requestCount += 1;
    if (this.keepRequests) this.requests.push(entry);
    return entry;
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
    if (request.grant_type !== 'client_credentials')
      return [400, errorBody('unsupported_grant_type', `grant_type "${request.grant_type}" is not supported`)];
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
      exp: (issuedAt + this.lifetimeSeconds * 1000) / 1000,
      jti: randomUUID(),
      scopes: 'read:checkout write:checkout',
    });
    this.issued.add(accessToken);
    this.issuedWith.set(accessToken, `${client.clientId}:${client.secret}`);
    return [200, { access_token: accessToken, token_type: 'Bearer', expires_in: this.lifetimeSeconds }];
  }

  private authenticate(authorization: string | undefined): (FakeDinteroClient & { readonly secret: string }) | undefined {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
    if (!match) return undefined;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [id, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    const client = this.clients.find((known) => colon > 0 && known.clientId === id && this.secrets.get(id)?.has(secret));
    return client && { ...client, secret };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
