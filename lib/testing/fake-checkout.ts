import { randomBytes, randomUUID } from 'node:crypto';

/** Transaction states, as Dintero names them. */
export type FakeTransactionStatus =
  | 'AUTHORIZED'
  | 'AUTHORIZATION_VOIDED'
  | 'CAPTURED'
  | 'PARTIALLY_CAPTURED'
  | 'REFUNDED'
  | 'PARTIALLY_REFUNDED'
  | 'DECLINED'
  | 'FAILED';

/** A JSON object as the fake keeps it. */
export type Json = Record<string, unknown>;

/** One entry of a transaction's history, in Dintero's shape. */
export interface TransactionEvent {
  id: string;
  event: 'AUTHORIZE' | 'CAPTURE' | 'REFUND' | 'VOID';
  transaction_status: FakeTransactionStatus;
  success: boolean;
  amount: number;
  created_at: string;
  request_id: string;
}

/** A transaction in Dintero's shape, plus running totals the fake keeps for its rules. */
export interface FakeTransaction {
  id: string;
  session_id: string;
  merchant_reference: string;
  amount: number;
  currency: string;
  status: FakeTransactionStatus;
  payment_product: 'dintero_psp';
  payment_product_type: 'dintero_psp.creditcard';
  items: unknown[];
  url: { redirect_url: string };
  created_at: string;
  updated_at: string;
  events: TransactionEvent[];
}

/** A session in Dintero's shape (there is no status field: `transaction_id` and `cancelled_at` tell). */
export interface FakeSession {
  id: string;
  created_at: string;
  updated_at: string;
  url: Json;
  order: Json;
  customer?: unknown;
  metadata: Json;
  configuration: Json;
  transaction_id?: string;
  cancelled_at?: string;
  cancelled_by?: string;
  events: { id: string; created_at: string; name: string }[];
}

/** Why an operation on a transaction was refused: Dintero answers these with 400. */
export class FakeCheckoutError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const now = () => new Date().toISOString();

/**
 * The fake's in-memory checkout: sessions, the transactions they lead to, and the state rules
 * of capture, refund and void (no capture above what is authorized, no refund above what is
 * captured).
 */
export class FakeCheckout {
  private readonly sessions = new Map<string, FakeSession>();
  private readonly transactions = new Map<string, FakeTransaction>();

  /** Creates a session from a `POST /sessions-profile` body (already validated). */
  createSession(accountId: string, body: Json): FakeSession {
    const id = `${accountId}.${randomBytes(10).toString('hex')}`;
    const session: FakeSession = {
      id,
      created_at: now(),
      updated_at: now(),
      url: body.url as Json,
      order: body.order as Json,
      ...(body.customer !== undefined ? { customer: body.customer } : {}),
      metadata: { ...(body.metadata as Json | undefined), 'session:profile_id': body.profile_id },
      configuration: { ...(body.configuration as Json | undefined) },
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

  /** The payer completed the hosted checkout: an authorized transaction for the whole order. */
  authorize(sessionId: string): FakeTransaction {
    const session = this.requireOpenSession(sessionId);
    const accountId = session.id.split('.')[0]!;
    const order = session.order;
    const transaction: FakeTransaction = {
      id: `${accountId}.${randomBytes(12).toString('hex')}`,
      session_id: session.id,
      merchant_reference: String(order.merchant_reference),
      amount: Number(order.amount),
      currency: String(order.currency),
      status: 'AUTHORIZED',
      payment_product: 'dintero_psp',
      payment_product_type: 'dintero_psp.creditcard',
      items: Array.isArray(order.items) ? order.items : [],
      url: { redirect_url: String(session.url.return_url) },
      created_at: now(),
      updated_at: now(),
      events: [],
    };
    this.record(transaction, 'AUTHORIZE', transaction.amount);
    this.transactions.set(transaction.id, transaction);
    session.transaction_id = transaction.id;
    session.updated_at = now();
    session.events.push({ id: randomUUID(), created_at: now(), name: 'AUTHORIZED' });
    return transaction;
  }

  /** The payer cancelled the hosted checkout. */
  cancel(sessionId: string): FakeSession {
    const session = this.requireOpenSession(sessionId);
    session.cancelled_at = now();
    session.cancelled_by = 'customer';
    session.events.push({ id: randomUUID(), created_at: now(), name: 'CANCELLED' });
    return session;
  }

  /** Captures `amount`; refuses more than is still authorized, or the wrong state. */
  capture(transactionId: string, amount: number): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    if (transaction.status !== 'AUTHORIZED' && transaction.status !== 'PARTIALLY_CAPTURED') {
      throw new FakeCheckoutError(400, 'invalid_state', `Cannot capture a transaction that is ${transaction.status}`);
    }
    const remaining = transaction.amount - totalOf(transaction, 'CAPTURE');
    if (amount > remaining) {
      throw new FakeCheckoutError(400, 'amount_exceeded', `Capture amount ${amount} exceeds the remaining authorized amount ${remaining}`);
    }
    this.record(transaction, 'CAPTURE', amount, amount === remaining ? 'CAPTURED' : 'PARTIALLY_CAPTURED');
    return transaction;
  }

  /** Refunds `amount`; refuses more than is captured and not yet refunded. */
  refund(transactionId: string, amount: number): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    const captured = totalOf(transaction, 'CAPTURE');
    if (captured === 0 || !['CAPTURED', 'PARTIALLY_CAPTURED', 'PARTIALLY_REFUNDED'].includes(transaction.status)) {
      throw new FakeCheckoutError(400, 'invalid_state', `Cannot refund a transaction that is ${transaction.status}`);
    }
    const remaining = captured - totalOf(transaction, 'REFUND');
    if (amount > remaining) {
      throw new FakeCheckoutError(400, 'amount_exceeded', `Refund amount ${amount} exceeds the refundable amount ${remaining}`);
    }
    this.record(transaction, 'REFUND', amount, amount === remaining ? 'REFUNDED' : 'PARTIALLY_REFUNDED');
    return transaction;
  }

  /** Voids an authorized transaction that nothing has been captured from. */
  void(transactionId: string): FakeTransaction {
    const transaction = this.requireTransaction(transactionId);
    if (transaction.status !== 'AUTHORIZED') {
      throw new FakeCheckoutError(400, 'invalid_state', `Cannot void a transaction that is ${transaction.status}`);
    }
    this.record(transaction, 'VOID', transaction.amount, 'AUTHORIZATION_VOIDED');
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

  private record(transaction: FakeTransaction, event: TransactionEvent['event'], amount: number, status = transaction.status): void {
    transaction.status = status;
    transaction.updated_at = now();
    transaction.events.push({
      id: randomUUID(),
      event,
      transaction_status: status,
      success: true,
      amount,
      created_at: now(),
      request_id: randomUUID(),
    });
  }
}

function totalOf(transaction: FakeTransaction, event: TransactionEvent['event']): number {
  return transaction.events.filter((entry) => entry.event === event && entry.success).reduce((sum, entry) => sum + entry.amount, 0);
}
