import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../token/clock.js';
import { FakeCheckoutError } from './fake-checkout.error.js';
import { checkoutId } from './fake-ids.js';
import type { FakeJson, FakeSession } from './fake-session.js';
import type {
  FakeOperationItem,
  FakePaymentProductType,
  FakeTransaction,
  FakeTransactionEvent,
  FakeTransactionStatus,
} from './fake-transaction.js';

/**
 * How the payer's authorization ends on the hosted page: the outcomes a test can pick.
 * `CAPTURE_FAILED` is an authorization whose `auto_capture` failed (the payer returns with `error=capture`).
 */
export type FakeAuthorizationOutcome = 'AUTHORIZED' | 'ON_HOLD' | 'DECLINED' | 'FAILED' | 'INITIATED' | 'UNKNOWN' | 'CAPTURE_FAILED';

/** A capture or refund request, already checked for shape. */
export interface FakeOperationRequest {
  amount: number;
  items?: FakeOperationItem[];
  reference?: string;
  /** Capture only (dintero_psp): no capture after this one; the rest of the authorization is voided. */
  finalCapture?: boolean;
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

/** Options of a {@link FakeCheckout}. */
export interface FakeCheckoutOptions {
  /** Times sessions, events and session expiry. Default: real time. */
  readonly clock?: Clock;
}

/** Products that require `items` (with `line_id`, `quantity`, `amount`) on capture and refund. */
const LINE_PRODUCTS = new Set(['collector', 'instabank']);
/** Product types whose void after a partial capture releases the rest (Dintero's void operation, prose). */
const VOID_REMAINING = new Set([
  'payex.creditcard',
  'payex.mobilepay',
  'payex.vipps',
  'payex.applepay',
  'payex.clicktopay',
  'payex.googlepay',
  'vipps',
  'klarna.klarna',
  'klarna.billie',
]);
/** Statuses with an authorization left to capture (its amount permitting). */
const CAPTURABLE = new Set<FakeTransactionStatus>(['AUTHORIZED', 'PARTIALLY_CAPTURED', 'PARTIALLY_CAPTURED_REFUNDED']);
const REFUNDABLE = new Set<FakeTransactionStatus>(['CAPTURED', 'PARTIALLY_CAPTURED', 'PARTIALLY_REFUNDED', 'PARTIALLY_CAPTURED_REFUNDED']);
const PENDING = new Set<FakeTransactionStatus>(['ON_HOLD', 'INITIATED', 'UNKNOWN']);
const SESSION_EVENT: Partial<Record<FakeTransactionStatus, string>> = {
  AUTHORIZED: 'AUTHORIZED',
  CAPTURED: 'AUTHORIZED',
  DECLINED: 'DECLINED',
  FAILED: 'FAILED',
  UNKNOWN: 'UNKNOWN',
};
/** Dintero documents no default lifetime for a session without `expires_at`: the fake's choice. */
export const FAKE_SESSION_LIFETIME_MS = 24 * 60 * 60 * 1000;

const invalidState = (action: string, status: FakeTransactionStatus) =>
  new FakeCheckoutError(400, `Cannot ${action} a transaction that is ${status}`);

/**
 * The fake's in-memory checkout: sessions, the transactions they lead to, and the state rules
 * of capture, refund and void, line by line (no capture above what is authorized and not voided,
 * no refund above what is captured, lines required where the payment product needs them).
 */
export class FakeCheckout {
  private readonly sessions = new Map<string, FakeSession>();
  private readonly transactions = new Map<string, FakeTransaction>();
  private readonly listeners: ((change: FakeCheckoutChange) => void)[] = [];
  private readonly clock: Clock;

  constructor(options: FakeCheckoutOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** Calls `listener` after every authorization, cancellation and operation. */
  onChange(listener: (change: FakeCheckoutChange) => void): void {
    this.listeners.push(listener);
  }

  /** Creates a session from a `POST /sessions-profile` body (already validated). */
  createSession(accountId: string, body: FakeJson): FakeSession {
    const now = this.now();
    const session: FakeSession = {
      id: checkoutId(accountId),
      created_at: now,
      updated_at: now,
      expires_at:
        typeof body.expires_at === 'string'
          ? new Date(body.expires_at).toISOString()
          : new Date(Date.parse(now) + FAKE_SESSION_LIFETIME_MS).toISOString(),
      url: body.url as FakeJson,
      order: body.order as FakeJson,
      ...(body.customer !== undefined ? { customer: body.customer } : {}),
      metadata: { ...(body.metadata as FakeJson | undefined), 'session:profile_id': body.profile_id },
      configuration: { ...(body.configuration as FakeJson | undefined) },
      events: [{ id: randomUUID(), created_at: now, name: 'INITIATED' }],
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session with this id, if any. */
  session(id: string): FakeSession | undefined {
    return this.sessions.get(id);
  }

  /** Whether the session's `expires_at` has passed. */
  expired(session: FakeSession): boolean {
    return Date.parse(session.expires_at) <= this.clock.wallNow();
  }

  /** The transaction with this id, if any. */
  transaction(id: string): FakeTransaction | undefined {
    return this.transactions.get(id);
  }

  /** The account's transactions, oldest first. */
  transactionsOf(accountId: string): FakeTransaction[] {
    return [...this.transactions.values()].filter((transaction) => transaction.id.startsWith(`${accountId}.`));
  }

  /**
   * The payer completed the hosted checkout: a transaction for the whole order, authorized
   * unless `outcome` says otherwise (`ON_HOLD`, `INITIATED` and `UNKNOWN` settle later, see
   * {@link settle}). With `configuration.auto_capture`, an authorization is captured at once, and
   * the callback follows the capture; `CAPTURE_FAILED` leaves it authorized with a failed capture.
   */
  authorize(
    sessionId: string,
    options: { outcome?: FakeAuthorizationOutcome; productType?: FakePaymentProductType } = {},
  ): FakeTransaction {
    const session = this.requireOpenSession(sessionId);
    const outcome = options.outcome ?? 'AUTHORIZED';
    const productType = options.productType ?? 'dintero_psp.creditcard';
    const order = session.order;
    const shipping = order.shipping_option as FakeJson | undefined;
    const items = Array.isArray(order.items) ? (order.items as FakeOperationItem[]) : [];
    const transaction: FakeTransaction = {
      id: checkoutId(session.id.split('.')[0]!),
      session_id: session.id,
      merchant_reference: String(order.merchant_reference),
      amount: Number(order.amount),
      currency: String(order.currency),
      status: outcome === 'CAPTURE_FAILED' ? 'AUTHORIZED' : outcome,
      payment_product: productType.split('.')[0]!,
      payment_product_type: productType,
      // Dintero moves the shipping option into the lines: it is captured and refunded by its line_id.
      items: shipping ? [...items, shippingLine(shipping)] : items,
      ...(shipping ? { shipping_option: shipping } : {}),
      url: {
        redirect_url: String(session.url.return_url),
        ...(typeof session.url.callback_url === 'string' ? { callback_url: session.url.callback_url } : {}),
      },
      created_at: this.now(),
      updated_at: this.now(),
      events: [],
    };
    this.transactions.set(transaction.id, transaction);
    session.transaction_id = transaction.id;
    const status = outcome === 'CAPTURE_FAILED' ? 'AUTHORIZED' : outcome;
    this.record(transaction, { event: 'AUTHORIZE', amount: transaction.amount, success: status === 'AUTHORIZED' }, status);
    if (status === 'AUTHORIZED' && session.configuration.auto_capture === true) {
      if (outcome === 'CAPTURE_FAILED') {
        this.record(transaction, {
          event: 'CAPTURE',
          amount: transaction.amount,
          success: false,
          error: { message: 'The automatic capture failed (fake outcome CAPTURE_FAILED)' },
        });
      } else {
        this.record(transaction, { event: 'CAPTURE', amount: transaction.amount, success: true }, 'CAPTURED');
      }
    }
    this.authorized(session, transaction);
    return transaction;
  }

  /** Whether the transaction's automatic capture failed: the payer is sent back with `error=capture`. */
  autoCaptureFailed(transaction: FakeTransaction): boolean {
    return transaction.events.some((entry) => entry.event === 'CAPTURE' && !entry.success && entry.correlation_request_id === undefined);
  }

  /** A pending authorization (`ON_HOLD`, `INITIATED`, `UNKNOWN`) is decided: a second callback follows. */
  settle(transactionId: string, outcome: 'AUTHORIZED' | 'DECLINED' | 'FAILED'): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    if (!PENDING.has(transaction.status)) throw invalidState('settle', transaction.status);
    this.record(transaction, { event: 'AUTHORIZE', amount: transaction.amount, success: outcome === 'AUTHORIZED' }, outcome);
    this.authorized(this.sessions.get(transaction.session_id)!, transaction);
    return transaction;
  }

  /** The payer cancelled the hosted checkout. */
  cancel(sessionId: string): FakeSession {
    const session = this.requireOpenSession(sessionId);
    return this.cancelled(session, 'customer');
  }

  /**
   * `POST /sessions/{id}/cancel`: the merchant cancels a session; a transaction it led to is
   * voided, which Dintero allows only while that transaction is initialized or authorized.
   */
  cancelByMerchant(sessionId: string): FakeSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new FakeCheckoutError(404, `Session ${sessionId} not found`);
    if (session.cancelled_at) throw new FakeCheckoutError(400, `Session ${sessionId} is already cancelled`);
    if (session.transaction_id) {
      const transaction = this.requireTransaction(session.transaction_id);
      if (transaction.status !== 'AUTHORIZED' && transaction.status !== 'INITIATED')
        throw new FakeCheckoutError(400, `Cannot cancel a session whose transaction is ${transaction.status}`);
      this.void(transaction.id);
    }
    return this.cancelled(session, 'merchant');
  }

  /**
   * `POST /transactions/{id}/extend_authorization`: keeps what is still authorized capturable
   * for longer. The fake keeps no authorization deadline, so it checks the state and answers.
   */
  extendAuthorization(transactionId: string): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    if (!CAPTURABLE.has(transaction.status) || capturable(transaction) === 0)
      throw invalidState('extend the authorization of', transaction.status);
    transaction.updated_at = this.now();
    return transaction;
  }

  /**
   * Captures `amount` (with its lines); refuses more than is still authorized, or the wrong
   * state. `finalCapture` (dintero_psp only) voids the rest.
   */
  capture(transactionId: string, request: FakeOperationRequest, options: FakeOperationOptions = {}): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    const remaining = capturable(transaction);
    if (!CAPTURABLE.has(transaction.status) || remaining === 0) throw invalidState('capture', transaction.status);
    if (request.amount > remaining)
      throw new FakeCheckoutError(400, `Capture amount ${request.amount} exceeds the remaining authorized amount ${remaining}`);
    if (request.finalCapture && transaction.payment_product !== 'dintero_psp')
      throw new FakeCheckoutError(400, `final_capture: only for dintero_psp, not ${transaction.payment_product_type}`);
    checkLines(transaction, request, 'capture', (lineId) => lineAmount(transaction, lineId) - lineTotal(transaction, 'CAPTURE', lineId));
    if (options.check) return transaction;
    const entry = this.operation(transaction, 'CAPTURE', request, options);
    const rest = capturable(transaction);
    // The rest is voided with it: recorded as a VOID event (the fake's reading; Dintero documents only the effect).
    if (request.finalCapture && rest > 0)
      this.record(transaction, { event: 'VOID', amount: rest, success: true }, statusOf(transaction, 0));
    return this.emitOperation(transaction, entry);
  }

  /** Refunds `amount` (with its lines); refuses more than is captured and not yet refunded. */
  refund(transactionId: string, request: FakeOperationRequest, options: FakeOperationOptions = {}): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    if (!REFUNDABLE.has(transaction.status)) throw invalidState('refund', transaction.status);
    const remaining = eventTotal(transaction, 'CAPTURE') - eventTotal(transaction, 'REFUND');
    if (request.amount > remaining)
      throw new FakeCheckoutError(400, `Refund amount ${request.amount} exceeds the refundable amount ${remaining}`);
    checkLines(
      transaction,
      request,
      'refund',
      (lineId) => lineTotal(transaction, 'CAPTURE', lineId) - lineTotal(transaction, 'REFUND', lineId),
    );
    if (options.check) return transaction;
    return this.emitOperation(transaction, this.operation(transaction, 'REFUND', request, options));
  }

  /**
   * Voids what is authorized and not captured: all of an untouched authorization, or, for the
   * product types that allow it, the rest after a partial capture.
   */
  void(transactionId: string, options: FakeOperationOptions = {}): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    const partly = transaction.status === 'PARTIALLY_CAPTURED';
    if (transaction.status !== 'AUTHORIZED' && !partly) throw invalidState('void', transaction.status);
    if (partly && !VOID_REMAINING.has(transaction.payment_product_type)) {
      throw new FakeCheckoutError(400, `Cannot void the rest of a partly captured ${transaction.payment_product_type} transaction`);
    }
    if (options.check) return transaction;
    return this.emitOperation(transaction, this.operation(transaction, 'VOID', { amount: capturable(transaction) }, options));
  }

  /**
   * A capture, refund or void answered with 202: Dintero's `INITIATE_*` event, whose
   * `request_id` is the 202's `event-request-id`; the outcome event comes later.
   */
  initiate(transactionId: string, event: 'CAPTURE' | 'REFUND' | 'VOID', amount: number, requestId: string): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    this.record(transaction, { event: `INITIATE_${event}`, amount, success: true }, transaction.status, requestId);
    return transaction;
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
    const entry = this.record(transaction, {
      event,
      amount,
      success: false,
      correlation_request_id: correlationRequestId,
      error: { message: error.message },
    });
    this.emitOperation(transaction, entry);
  }

  private authorized(session: FakeSession, transaction: FakeTransaction): void {
    session.updated_at = this.now();
    const name = SESSION_EVENT[transaction.status];
    if (name) session.events.push({ id: randomUUID(), created_at: this.now(), name });
    this.emit({ kind: 'authorization', session, transaction });
  }

  private cancelled(session: FakeSession, by: string): FakeSession {
    session.cancelled_at = this.now();
    session.cancelled_by = by;
    session.updated_at = this.now();
    session.events.push({ id: randomUUID(), created_at: this.now(), name: 'CANCELLED' });
    this.emit({ kind: 'cancellation', session });
    return session;
  }

  private operation(
    transaction: FakeTransaction,
    event: 'CAPTURE' | 'REFUND' | 'VOID',
    request: FakeOperationRequest,
    options: FakeOperationOptions,
  ): FakeTransactionEvent {
    const entry = this.record(transaction, {
      event,
      amount: request.amount,
      success: true,
      ...(request.items ? { items: request.items } : {}),
      ...(request.reference !== undefined ? { event_reference: request.reference } : {}),
      ...(options.correlationRequestId ? { correlation_request_id: options.correlationRequestId } : {}),
    });
    transaction.status = statusOf(transaction, capturable(transaction));
    entry.transaction_status = transaction.status;
    return entry;
  }

  private emitOperation(transaction: FakeTransaction, entry: FakeTransactionEvent): FakeTransaction {
    this.emit({ kind: 'operation', session: this.sessions.get(transaction.session_id)!, transaction, event: entry });
    return transaction;
  }

  private requireOpenSession(sessionId: string): FakeSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new FakeCheckoutError(404, `Session ${sessionId} not found`);
    if (session.transaction_id || session.cancelled_at) throw new FakeCheckoutError(400, `Session ${sessionId} is already completed`);
    if (this.expired(session)) throw new FakeCheckoutError(404, `Session ${sessionId} expired at ${session.expires_at}`);
    return session;
  }

  private requireTransaction(transactionId: string): FakeTransaction {
    const transaction = this.transactions.get(transactionId);
    if (!transaction) throw new FakeCheckoutError(404, `Transaction ${transactionId} not found`);
    return transaction;
  }

  private record(
    transaction: FakeTransaction,
    fields: Omit<FakeTransactionEvent, 'id' | 'transaction_status' | 'created_at' | 'request_id'>,
    status: FakeTransactionStatus = transaction.status,
    requestId: string = randomUUID(),
  ): FakeTransactionEvent {
    transaction.status = status;
    transaction.updated_at = this.now();
    const entry: FakeTransactionEvent = {
      id: randomUUID(),
      ...fields,
      transaction_status: status,
      created_at: this.now(),
      request_id: requestId,
    };
    transaction.events.push(entry);
    return entry;
  }

  private now(): string {
    return new Date(this.clock.wallNow()).toISOString();
  }

  private emit(change: FakeCheckoutChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** The shipping option as a line of the transaction. */
function shippingLine(shipping: FakeJson): FakeOperationItem {
  return {
    line_id: String(shipping.line_id),
    id: shipping.id,
    description: shipping.title,
    quantity: 1,
    amount: Number(shipping.amount),
    ...(shipping.vat !== undefined ? { vat: shipping.vat } : {}),
    ...(shipping.vat_amount !== undefined ? { vat_amount: shipping.vat_amount } : {}),
    type: 'shipping',
  };
}

function eventTotal(transaction: FakeTransaction, event: FakeTransactionEvent['event']): number {
  return transaction.events.filter((entry) => entry.event === event && entry.success).reduce((sum, entry) => sum + entry.amount, 0);
}

/** What is authorized and neither captured nor voided. */
function capturable(transaction: FakeTransaction): number {
  if (!CAPTURABLE.has(transaction.status)) return 0;
  return Math.max(transaction.amount - eventTotal(transaction, 'CAPTURE') - eventTotal(transaction, 'VOID'), 0);
}

/**
 * The status that the totals make. Where Dintero documents no rule, the fake's reading: a
 * refund leaves `PARTIALLY_CAPTURED_REFUNDED` while anything is left to capture (Dintero offers
 * "capture remaining" there); once the rest is voided (void after a partial capture,
 * `final_capture`) a transaction with captures is `CAPTURED`.
 */
function statusOf(transaction: FakeTransaction, remaining: number): FakeTransactionStatus {
  const captured = eventTotal(transaction, 'CAPTURE');
  const refunded = eventTotal(transaction, 'REFUND');
  if (captured === 0) return remaining > 0 ? 'AUTHORIZED' : 'AUTHORIZATION_VOIDED';
  if (refunded === 0) return remaining > 0 ? 'PARTIALLY_CAPTURED' : 'CAPTURED';
  if (remaining > 0) return 'PARTIALLY_CAPTURED_REFUNDED';
  return refunded >= captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
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
 * each names a line of the transaction (the shipping option is one), no line goes beyond what is
 * left of it, and the lines add up to `amount`.
 */
function checkLines(transaction: FakeTransaction, request: FakeOperationRequest, action: string, leftOf: (lineId: string) => number): void {
  const items = request.items;
  if (!items) {
    if (LINE_PRODUCTS.has(transaction.payment_product))
      throw new FakeCheckoutError(400, `items: required to ${action} a ${transaction.payment_product_type} transaction`);
    return;
  }
  const known = new Set(transaction.items.map((item) => item.line_id));
  for (const [index, item] of items.entries()) {
    if (!known.has(item.line_id)) throw new FakeCheckoutError(400, `items[${index}].line_id: "${item.line_id}" is not a line of the order`);
    if (LINE_PRODUCTS.has(transaction.payment_product) && typeof item.quantity !== 'number')
      throw new FakeCheckoutError(400, `items[${index}].quantity: required for ${transaction.payment_product_type}`);
    const left = leftOf(item.line_id);
    if (item.amount > left)
      throw new FakeCheckoutError(
        400,
        `items[${index}].amount: ${item.amount} exceeds the ${left} left to ${action} on line ${item.line_id}`,
      );
  }
  const sum = items.reduce((total, item) => total + item.amount, 0);
  if (sum !== request.amount) throw new FakeCheckoutError(400, `items: line amounts add up to ${sum}, not to amount ${request.amount}`);
}
