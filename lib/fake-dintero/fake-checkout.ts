import { randomBytes, randomUUID } from 'node:crypto';
import { FakeCheckoutError } from './fake-checkout.error.js';
import type { FakeJson, FakeSession } from './fake-session.js';
import type {
  FakeOperationItem,
  FakePaymentProductType,
  FakeTransaction,
  FakeTransactionEvent,
  FakeTransactionStatus,
} from './fake-transaction.js';

/** How the payer's authorization ends on the hosted page: the outcomes a test can pick. */
export type FakeAuthorizationOutcome = 'AUTHORIZED' | 'ON_HOLD' | 'DECLINED' | 'FAILED' | 'INITIATED' | 'UNKNOWN';

/** A capture or refund request, already checked for shape. */
export interface FakeOperationRequest {
  amount: number;
  items?: FakeOperationItem[];
  reference?: string;
}

/** How an operation is applied: `check` only runs the rules (a 202 is answered after them). */
export interface FakeOperationOptions {
  readonly correlationRequestId?: string;
  readonly check?: boolean;
}

/** What happened in the checkout, for the callbacks that follow it. */
export type FakeCheckoutChange =
  | { readonly kind: 'authorization'; readonly session: FakeSession; readonly transaction: FakeTransaction }
  | { readonly kind: 'cancellation'; readonly session: FakeSession }
  | {
      readonly kind: 'operation';
      readonly session: FakeSession;
      readonly transaction: FakeTransaction;
      readonly event: FakeTransactionEvent;
    };

/** Products that require `items` (with `line_id`, `quantity`, `amount`) on capture and refund. */
const LINE_PRODUCTS = new Set(['collector', 'instabank']);
const CAPTURABLE = new Set<FakeTransactionStatus>(['AUTHORIZED', 'PARTIALLY_CAPTURED']);
const REFUNDABLE = new Set<FakeTransactionStatus>(['CAPTURED', 'PARTIALLY_CAPTURED', 'PARTIALLY_REFUNDED', 'PARTIALLY_CAPTURED_REFUNDED']);
const PENDING = new Set<FakeTransactionStatus>(['ON_HOLD', 'INITIATED', 'UNKNOWN']);
const SESSION_EVENT: Partial<Record<FakeTransactionStatus, string>> = {
  AUTHORIZED: 'AUTHORIZED',
  DECLINED: 'DECLINED',
  FAILED: 'FAILED',
  UNKNOWN: 'UNKNOWN',
};

const now = () => new Date().toISOString();
const invalidState = (action: string, status: FakeTransactionStatus) =>
  new FakeCheckoutError(400, 'invalid_state', `Cannot ${action} a transaction that is ${status}`);

/**
 * The fake's in-memory checkout: sessions, the transactions they lead to, and the state rules
 * of capture, refund and void, line by line (no capture above what is authorized, no refund
 * above what is captured, lines required where the payment product needs them).
 */
export class FakeCheckout {
  private readonly sessions = new Map<string, FakeSession>();
  private readonly transactions = new Map<string, FakeTransaction>();
  private readonly listeners: ((change: FakeCheckoutChange) => void)[] = [];

  /** Calls `listener` after every authorization, cancellation and operation. */
  onChange(listener: (change: FakeCheckoutChange) => void): void {
    this.listeners.push(listener);
  }

  /** Creates a session from a `POST /sessions-profile` body (already validated). */
  createSession(accountId: string, body: FakeJson): FakeSession {
    const id = `${accountId}.${randomBytes(10).toString('hex')}`;
    const session: FakeSession = {
      id,
      created_at: now(),
      updated_at: now(),
      url: body.url as FakeJson,
      order: body.order as FakeJson,
      ...(body.customer !== undefined ? { customer: body.customer } : {}),
      metadata: { ...(body.metadata as FakeJson | undefined), 'session:profile_id': body.profile_id },
      configuration: { ...(body.configuration as FakeJson | undefined) },
      events: [{ id: randomUUID(), created_at: now(), name: 'INITIATED' }],
    };
    this.sessions.set(id, session);
    return session;
  }

  /** The session with this id, if any. */
  session(id: string): FakeSession | undefined {
    return this.sessions.get(id);
  }

  /** The transaction with this id, if any. */
  transaction(id: string): FakeTransaction | undefined {
    return this.transactions.get(id);
  }

  /**
   * The payer completed the hosted checkout: a transaction for the whole order, authorized
   * unless `outcome` says otherwise (`ON_HOLD`, `INITIATED` and `UNKNOWN` settle later, see
   * {@link settle}).
   */
  authorize(
    sessionId: string,
    options: { outcome?: FakeAuthorizationOutcome; productType?: FakePaymentProductType } = {},
  ): FakeTransaction {
    const session = this.requireOpenSession(sessionId);
    const outcome = options.outcome ?? 'AUTHORIZED';
    const productType = options.productType ?? 'dintero_psp.creditcard';
    const order = session.order;
    const transaction: FakeTransaction = {
      id: `${session.id.split('.')[0]!}.${randomBytes(12).toString('hex')}`,
      session_id: session.id,
      merchant_reference: String(order.merchant_reference),
      amount: Number(order.amount),
      currency: String(order.currency),
      status: outcome,
      payment_product: productType.split('.')[0]!,
      payment_product_type: productType,
      items: Array.isArray(order.items) ? (order.items as FakeOperationItem[]) : [],
      url: {
        redirect_url: String(session.url.return_url),
        ...(typeof session.url.callback_url === 'string' ? { callback_url: session.url.callback_url } : {}),
      },
      created_at: now(),
      updated_at: now(),
      events: [],
    };
    this.transactions.set(transaction.id, transaction);
    session.transaction_id = transaction.id;
    this.authorizationEvent(session, transaction, outcome);
    return transaction;
  }

  /** A pending authorization (`ON_HOLD`, `INITIATED`, `UNKNOWN`) is decided: a second callback follows. */
  settle(transactionId: string, outcome: 'AUTHORIZED' | 'DECLINED' | 'FAILED'): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    if (!PENDING.has(transaction.status)) throw invalidState('settle', transaction.status);
    this.authorizationEvent(this.sessions.get(transaction.session_id)!, transaction, outcome);
    return transaction;
  }

  /** The payer cancelled the hosted checkout. */
  cancel(sessionId: string): FakeSession {
    const session = this.requireOpenSession(sessionId);
    session.cancelled_at = now();
    session.cancelled_by = 'customer';
    session.events.push({ id: randomUUID(), created_at: now(), name: 'CANCELLED' });
    this.emit({ kind: 'cancellation', session });
    return session;
  }

  /** Captures `amount` (with its lines); refuses more than is still authorized, or the wrong state. */
  capture(transactionId: string, request: FakeOperationRequest, options: FakeOperationOptions = {}): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    if (!CAPTURABLE.has(transaction.status)) throw invalidState('capture', transaction.status);
    const { captured } = totals(transaction);
    const remaining = transaction.amount - captured;
    if (request.amount > remaining) {
      throw new FakeCheckoutError(
        400,
        'amount_exceeded',
        `Capture amount ${request.amount} exceeds the remaining authorized amount ${remaining}`,
      );
    }
    checkLines(transaction, request, 'capture', (lineId) => lineAmount(transaction, lineId) - lineTotal(transaction, 'CAPTURE', lineId));
    if (options.check) return transaction;
    return this.apply(
      transaction,
      'CAPTURE',
      request,
      options,
      captured + request.amount === transaction.amount ? 'CAPTURED' : 'PARTIALLY_CAPTURED',
    );
  }

  /** Refunds `amount` (with its lines); refuses more than is captured and not yet refunded. */
  refund(transactionId: string, request: FakeOperationRequest, options: FakeOperationOptions = {}): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    if (!REFUNDABLE.has(transaction.status)) throw invalidState('refund', transaction.status);
    const { captured, refunded } = totals(transaction);
    const remaining = captured - refunded;
    if (request.amount > remaining) {
      throw new FakeCheckoutError(400, 'amount_exceeded', `Refund amount ${request.amount} exceeds the refundable amount ${remaining}`);
    }
    checkLines(
      transaction,
      request,
      'refund',
      (lineId) => lineTotal(transaction, 'CAPTURE', lineId) - lineTotal(transaction, 'REFUND', lineId),
    );
    if (options.check) return transaction;
    const status =
      request.amount === remaining ? 'REFUNDED' : captured < transaction.amount ? 'PARTIALLY_CAPTURED_REFUNDED' : 'PARTIALLY_REFUNDED';
    return this.apply(transaction, 'REFUND', request, options, status);
  }

  /** Voids an authorized transaction that nothing has been captured from. */
  void(transactionId: string, options: FakeOperationOptions = {}): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    if (transaction.status !== 'AUTHORIZED') throw invalidState('void', transaction.status);
    if (options.check) return transaction;
    return this.apply(transaction, 'VOID', { amount: transaction.amount }, options, 'AUTHORIZATION_VOIDED');
  }

  /** Records an operation that was accepted (202) but could not be completed: a failed event. */
  fail(
    transactionId: string,
    event: 'CAPTURE' | 'REFUND' | 'VOID',
    amount: number,
    correlationRequestId: string,
    error: FakeCheckoutError,
  ): void {
    const transaction = this.requireTransaction(transactionId);
    this.record(transaction, {
      event,
      amount,
      success: false,
      correlation_request_id: correlationRequestId,
      error: { code: error.code, message: error.message },
    });
  }

  private authorizationEvent(session: FakeSession, transaction: FakeTransaction, outcome: FakeTransactionStatus): void {
    transaction.status = outcome;
    this.record(transaction, { event: 'AUTHORIZE', amount: transaction.amount, success: outcome === 'AUTHORIZED' });
    session.updated_at = now();
    const name = SESSION_EVENT[outcome];
    if (name) session.events.push({ id: randomUUID(), created_at: now(), name });
    this.emit({ kind: 'authorization', session, transaction });
  }

  private apply(
    transaction: FakeTransaction,
    event: 'CAPTURE' | 'REFUND' | 'VOID',
    request: FakeOperationRequest,
    options: FakeOperationOptions,
    status: FakeTransactionStatus,
  ): FakeTransaction {
    transaction.status = status;
    const entry = this.record(transaction, {
      event,
      amount: request.amount,
      success: true,
      ...(request.items ? { items: request.items } : {}),
      ...(request.reference !== undefined ? { event_reference: request.reference } : {}),
      ...(options.correlationRequestId ? { correlation_request_id: options.correlationRequestId } : {}),
    });
    this.emit({ kind: 'operation', session: this.sessions.get(transaction.session_id)!, transaction, event: entry });
    return transaction;
  }

  private requireOpenSession(sessionId: string): FakeSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new FakeCheckoutError(404, 'not_found', `Session ${sessionId} not found`);
    if (session.transaction_id || session.cancelled_at) {
      throw new FakeCheckoutError(400, 'invalid_state', `Session ${sessionId} is already completed`);
    }
    return session;
  }

  private requireTransaction(transactionId: string): FakeTransaction {
    const transaction = this.transactions.get(transactionId);
    if (!transaction) throw new FakeCheckoutError(404, 'not_found', `Transaction ${transactionId} not found`);
    return transaction;
  }

  private record(
    transaction: FakeTransaction,
    fields: Omit<FakeTransactionEvent, 'id' | 'transaction_status' | 'created_at' | 'request_id'>,
  ): FakeTransactionEvent {
    transaction.updated_at = now();
    const entry: FakeTransactionEvent = {
      id: randomUUID(),
      ...fields,
      transaction_status: transaction.status,
      created_at: now(),
      request_id: randomUUID(),
    };
    transaction.events.push(entry);
    return entry;
  }

  private emit(change: FakeCheckoutChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function totals(transaction: FakeTransaction): { captured: number; refunded: number } {
  return { captured: eventTotal(transaction, 'CAPTURE'), refunded: eventTotal(transaction, 'REFUND') };
}

function eventTotal(transaction: FakeTransaction, event: FakeTransactionEvent['event']): number {
  return transaction.events.filter((entry) => entry.event === event && entry.success).reduce((sum, entry) => sum + entry.amount, 0);
}

function lineAmount(transaction: FakeTransaction, lineId: string): number {
  return transaction.items.find((item) => item.line_id === lineId)?.amount ?? 0;
}

function lineTotal(transaction: FakeTransaction, event: 'CAPTURE' | 'REFUND', lineId: string): number {
  return transaction.events
    .filter((entry) => entry.event === event && entry.success)
    .flatMap((entry) => entry.items ?? [])
    .filter((item) => item.line_id === lineId)
    .reduce((sum, item) => sum + item.amount, 0);
}

/**
 * The line rules of capture and refund: lines are required where the payment product needs them,
 * each names a line of the order, no line goes beyond what is left of it, and the lines add up
 * to `amount`.
 */
function checkLines(transaction: FakeTransaction, request: FakeOperationRequest, action: string, leftOf: (lineId: string) => number): void {
  const items = request.items;
  if (!items) {
    if (LINE_PRODUCTS.has(transaction.payment_product)) {
      throw new FakeCheckoutError(
        400,
        'validation_error',
        `items: required to ${action} a ${transaction.payment_product_type} transaction`,
      );
    }
    return;
  }
  const known = new Set(transaction.items.map((item) => item.line_id));
  for (const [index, item] of items.entries()) {
    if (!known.has(item.line_id))
      throw new FakeCheckoutError(400, 'validation_error', `items[${index}].line_id: "${item.line_id}" is not a line of the order`);
    if (LINE_PRODUCTS.has(transaction.payment_product) && typeof item.quantity !== 'number') {
      throw new FakeCheckoutError(400, 'validation_error', `items[${index}].quantity: required for ${transaction.payment_product_type}`);
    }
    const left = leftOf(item.line_id);
    if (item.amount > left) {
      throw new FakeCheckoutError(
        400,
        'amount_exceeded',
        `items[${index}].amount: ${item.amount} exceeds the ${left} left to ${action} on line ${item.line_id}`,
      );
    }
  }
  const sum = items.reduce((total, item) => total + item.amount, 0);
  if (sum !== request.amount)
    throw new FakeCheckoutError(400, 'validation_error', `items: line amounts add up to ${sum}, not to amount ${request.amount}`);
}
