import type { DinteroItem, TransactionStatus } from '../payments/dintero-transaction.js';
import type { Operation } from '../payments/payment-rules.js';

/** An order as this app last heard of it from Dintero (by callback, return or read). */
export interface Order {
  merchantReference: string;
  sessionId: string;
  /** `EXPIRED`: created, and not paid before the session's `expires_at`. */
  status: 'CREATED' | 'CANCELLED' | 'EXPIRED' | TransactionStatus;
  transactionId?: string;
  /** The session's `expires_at`: after it the payer can no longer pay. */
  expiresAt?: string;
  updatedAt: string;
}

/** An operation sent to Dintero and not known to be done: answered 202, or not answered at all. */
export interface PendingOperation {
  readonly operation: Operation;
  readonly body?: { amount: number; items?: DinteroItem[]; capture_reference?: string; refund_reference?: string };
  /** The `event-request-id` of Dintero's 202; absent when the call got no answer. */
  requestId?: string;
}

/** An operation Dintero accepted (202) and then could not complete. */
export interface FailedOperation {
  readonly operation: Operation;
  readonly message: string;
}

/** What is known of operations on one transaction: one under way, or the last that failed. */
export interface OperationRecord {
  readonly pending?: PendingOperation | undefined;
  readonly failure?: FailedOperation | undefined;
}

/** Where the order book keeps orders and operations: a file of SQLite by default, PostgreSQL with DATABASE_URL. */
export interface OrderStore {
  readonly kind: string;
  order(merchantReference: string): Promise<Order | undefined>;
  orderOfTransaction(transactionId: string): Promise<Order | undefined>;
  saveOrder(order: Order): Promise<void>;
  operations(transactionId: string): Promise<OperationRecord>;
  saveOperations(transactionId: string, record: OperationRecord): Promise<void>;
  close(): Promise<void>;
}

export const ORDER_STORE = Symbol('ORDER_STORE');

/** The tables, in SQL that SQLite and PostgreSQL both take. */
export const ORDER_TABLES = [
  `CREATE TABLE IF NOT EXISTS sample_orders (
     merchant_reference TEXT PRIMARY KEY,
     session_id TEXT NOT NULL,
     status TEXT NOT NULL,
     transaction_id TEXT,
     expires_at TEXT,
     updated_at TEXT NOT NULL
   )`,
  'CREATE INDEX IF NOT EXISTS sample_orders_transaction ON sample_orders (transaction_id)',
  `CREATE TABLE IF NOT EXISTS sample_operations (
     transaction_id TEXT PRIMARY KEY,
     pending TEXT,
     failure TEXT
   )`,
];

export const SAVE_ORDER = `INSERT INTO sample_orders (merchant_reference, session_id, status, transaction_id, expires_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (merchant_reference) DO UPDATE SET session_id = excluded.session_id, status = excluded.status,
    transaction_id = excluded.transaction_id, expires_at = excluded.expires_at, updated_at = excluded.updated_at`;
export const SAVE_OPERATIONS = `INSERT INTO sample_operations (transaction_id, pending, failure) VALUES ($1, $2, $3)
  ON CONFLICT (transaction_id) DO UPDATE SET pending = excluded.pending, failure = excluded.failure`;
export const ORDER_COLUMNS = 'merchant_reference, session_id, status, transaction_id, expires_at, updated_at';

/** The parameters of {@link SAVE_ORDER}. */
export function orderRow(order: Order): (string | null)[] {
  return [order.merchantReference, order.sessionId, order.status, order.transactionId ?? null, order.expiresAt ?? null, order.updatedAt];
}

/** A text column's value; NULL (or anything else) is undefined. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An order from a row of {@link ORDER_COLUMNS}. */
export function orderOf(row: Record<string, unknown>): Order {
  const transactionId = text(row.transaction_id);
  const expiresAt = text(row.expires_at);
  return {
    merchantReference: text(row.merchant_reference) ?? '',
    sessionId: text(row.session_id) ?? '',
    status: text(row.status) as Order['status'],
    ...(transactionId ? { transactionId } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    updatedAt: text(row.updated_at) ?? '',
  };
}

/** The parameters of {@link SAVE_OPERATIONS}. */
export function operationsRow(transactionId: string, record: OperationRecord): (string | null)[] {
  return [transactionId, record.pending ? JSON.stringify(record.pending) : null, record.failure ? JSON.stringify(record.failure) : null];
}

/** An operation record from a row, or nothing. */
export function operationsOf(row: Record<string, unknown> | undefined): OperationRecord {
  const pending = text(row?.pending);
  const failure = text(row?.failure);
  return {
    ...(pending ? { pending: JSON.parse(pending) as PendingOperation } : {}),
    ...(failure ? { failure: JSON.parse(failure) as FailedOperation } : {}),
  };
}
