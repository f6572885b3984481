import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeTokenClaims } from '../testing/fake-jwt.js';
import { bearerAccount } from './fake-bearer-account.js';
import type { FakeCheckout, FakeOperationRequest } from './fake-checkout.js';
import { FakeCheckoutError } from './fake-checkout.error.js';
import { dinteroError } from './fake-error-body.js';
import { featureToggles, operationProblem, sessionProblem } from './fake-checkout.validation.js';
import { transactionList } from './fake-transaction-list.js';
import type { FakeOperationItem, FakeTransaction } from './fake-transaction.js';

const SYSTEM_HEADERS = ['dintero-system-name', 'dintero-system-version', 'dintero-system-plugin-name', 'dintero-system-plugin-version'];
const TRANSACTION_PATH = /^\/v1\/transactions\/([^/]+?)(?:\/(capture|refund|void|extend_authorization))?$/;
const SESSION_PATH = /^\/v1\/sessions\/([^/]+?)(?:\/(cancel))?$/;

type Operation = 'capture' | 'refund' | 'void';

/** An answer of the fake's API: status, JSON body, extra headers. */
export type FakeAnswer = readonly [status: number, body: unknown, headers?: Readonly<Record<string, string>>];

/** How the next capture, refund or void calls are answered: 202 Accepted, completed later. */
export interface FakeDeferOptions {
  /** How many operations to answer with 202. Default 1. */
  readonly times?: number;
  /**
   * Complete each one when its transaction has been read this many times since the 202 (the
   * read that completes it sees the result). Default: only when the test completes it
   * (`FakeDinteroServer.completeDeferredOperations()`).
   */
  readonly completeAfterReads?: number;
}

interface DeferredOperation {
  readonly transactionId: string;
  readonly complete: () => void;
  readsLeft: number;
}

/** What the Checkout API needs from the server around it. */
export interface FakeCheckoutApiContext {
  readonly checkout: FakeCheckout;
  /** The claims of a valid, unrevoked, unexpired token of this server. */
  readonly verifyToken: (accessToken: string) => FakeTokenClaims | undefined;
  /** Where the hosted pages live: `http://127.0.0.1:{port}`. */
  readonly origin: () => string;
  readonly allowLoopbackCallbacks: boolean;
  /** The payment profiles sessions may name; undefined: any. */
  readonly profileIds?: readonly string[] | undefined;
}

/**
 * The fake's Checkout API routes: sessions and transactions, behind Dintero's bearer and scope
 * checks, with its request rules, and 202 Accepted for operations when told to.
 */
export class FakeCheckoutApi {
  private readonly deferred = new Map<string, DeferredOperation>();
  private deferBudget = 0;
  private completeAfterReads = Number.POSITIVE_INFINITY;

  constructor(private readonly context: FakeCheckoutApiContext) {}

  /** Answers the next `times` captures, refunds or voids with 202 and completes them later. */
  deferOperations(options: FakeDeferOptions = {}): void {
    this.deferBudget = options.times ?? 1;
    this.completeAfterReads = options.completeAfterReads ?? Number.POSITIVE_INFINITY;
  }

  /** Completes every operation answered with 202 so far; returns how many there were. */
  completeDeferred(): number {
    const all = [...this.deferred.values()];
    this.deferred.clear();
    for (const operation of all) operation.complete();
    return all.length;
  }

  /** Answers one API request (the token endpoint and hosted pages are elsewhere). */
  answer(method: string, path: string, headers: IncomingHttpHeaders, rawBody: string, query = new URLSearchParams()): FakeAnswer {
    const bearer = bearerAccount(headers.authorization, this.context.verifyToken);
    if ('refused' in bearer) return bearer.refused;
    const { claims, accountId } = bearer;
    const scope = method === 'GET' ? 'read:checkout' : 'write:checkout';
    const scopes = claims.scopes.split(' ');
    if (!scopes.includes(scope) && !scopes.includes('admin:checkout')) return [403, dinteroError(`The token lacks the ${scope} scope`)];
    for (const name of SYSTEM_HEADERS) {
      const value = headers[name];
      if (typeof value === 'string' && value.length > 120) return [400, dinteroError(`${name}: at most 120 characters`)];
    }
    let body: unknown;
    try {
      body = rawBody === '' ? undefined : (JSON.parse(rawBody) as unknown);
    } catch {
      return [400, dinteroError('body: is not JSON')];
    }
    try {
      return this.route(method, path, headers, accountId, body, query);
    } catch (error) {
      if (error instanceof FakeCheckoutError) return [error.status, dinteroError(error.message)];
      throw error;
    }
  }

  private route(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    accountId: string,
    body: unknown,
    query: URLSearchParams,
  ): FakeAnswer {
    const { checkout } = this.context;
    const owned = (id: string) => id.startsWith(`${accountId}.`);
    if (method === 'POST' && path === '/v1/sessions-profile') return this.createSession(headers, accountId, body);
    if (method === 'GET' && (path === '/v1/transactions' || path === '/v1/transactions/')) {
      return transactionList(checkout.transactionsOf(accountId), query);
    }
    const session = SESSION_PATH.exec(path);
    if (session) {
      const id = decodeURIComponent(session[1]!);
      const found = checkout.session(id);
      if (!found || !owned(found.id)) return [404, dinteroError('Session not found')];
      if (method === 'GET' && !session[2]) return [200, found];
      if (method === 'POST' && session[2] === 'cancel') return [200, checkout.cancelByMerchant(id)];
    }
    const transaction = TRANSACTION_PATH.exec(path);
    if (transaction) {
      const id = decodeURIComponent(transaction[1]!);
      const operation = transaction[2] as Operation | 'extend_authorization' | undefined;
      if (!owned(id) || !checkout.transaction(id)) return [404, dinteroError('Transaction not found')];
      if (method === 'GET' && !operation) return [200, this.read(id)];
      if (method === 'POST' && operation) {
        return operation === 'extend_authorization' ? [200, checkout.extendAuthorization(id)] : this.operate(id, operation, body);
      }
    }
    return [404, dinteroError(`No route for ${method} ${path}`)];
  }

  private createSession(headers: IncomingHttpHeaders, accountId: string, body: unknown): FakeAnswer {
    const toggles = featureToggles(headers['dintero-feature-toggles']);
    if ('problem' in toggles) return [400, dinteroError(toggles.problem)];
    const problem = sessionProblem(body, {
      allowLoopbackCallbacks: this.context.allowLoopbackCallbacks,
      toggles: toggles.toggles,
      profileIds: this.context.profileIds,
    });
    if (problem) return [400, dinteroError(problem)];
    const session = this.context.checkout.createSession(accountId, body as Record<string, unknown>);
    return [200, { id: session.id, url: `${this.context.origin()}/v1/view/${session.id}` }];
  }

  /** A transaction read; it may be the read that completes a deferred operation. */
  private read(transactionId: string): FakeTransaction {
    for (const [requestId, operation] of this.deferred) {
      if (operation.transactionId !== transactionId || --operation.readsLeft > 0) continue;
      this.deferred.delete(requestId);
      operation.complete();
    }
    return this.context.checkout.transaction(transactionId)!;
  }

  private operate(transactionId: string, operation: Operation, body: unknown): FakeAnswer {
    const { checkout } = this.context;
    let run: (options: { correlationRequestId?: string; check?: boolean }) => FakeTransaction;
    let amount: number;
    if (operation === 'void') {
      if (body !== undefined) return [400, dinteroError('void takes no request body')];
      run = (options) => checkout.void(transactionId, options);
      amount = voidable(checkout.transaction(transactionId)!);
    } else {
      const reference = operation === 'capture' ? 'capture_reference' : 'refund_reference';
      const problem = operationProblem(body, reference);
      if (problem) return [400, dinteroError(problem)];
      const fields = body as { amount: number; items?: FakeOperationItem[] } & Record<string, unknown>;
      const request: FakeOperationRequest = {
        amount: fields.amount,
        ...(fields.items ? { items: fields.items } : {}),
        ...(typeof fields[reference] === 'string' ? { reference: fields[reference] } : {}),
        ...(operation === 'capture' && fields.final_capture === true ? { finalCapture: true } : {}),
      };
      run = (options) =>
        operation === 'capture' ? checkout.capture(transactionId, request, options) : checkout.refund(transactionId, request, options);
      amount = request.amount;
    }
    if (this.deferBudget <= 0) return [200, run({})];
    // Dintero checks the request before it accepts it; the effect comes with the completion.
    run({ check: true });
    this.deferBudget -= 1;
    const requestId = randomUUID();
    const event = operation.toUpperCase() as 'CAPTURE' | 'REFUND' | 'VOID';
    const current = checkout.initiate(transactionId, event, amount, requestId);
    const complete = () => {
      try {
        run({ correlationRequestId: requestId });
      } catch (error) {
        if (!(error instanceof FakeCheckoutError)) throw error;
        checkout.fail(transactionId, event, amount, requestId, error);
      }
    };
    this.deferred.set(requestId, { transactionId, complete, readsLeft: this.completeAfterReads });
    return [202, structuredClone(current), { 'event-request-id': requestId }];
  }
}

/** What a void releases: what is authorized and not captured. */
function voidable(transaction: FakeTransaction): number {
  const total = (name: string) =>
    transaction.events.filter((entry) => entry.event === name && entry.success).reduce((sum, entry) => sum + entry.amount, 0);
  return Math.max(transaction.amount - total('CAPTURE') - total('VOID'), 0);
}
