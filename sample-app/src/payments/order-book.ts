import { Injectable } from '@nestjs/common';
import type { DinteroItem, DinteroTransaction, TransactionStatus } from './dintero-transaction.js';
import type { Operation } from './payment-rules.js';

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

const MAX_ORDERS = 10_000;

/**
 * The app's memory of orders and unfinished operations. In memory and bounded (the oldest
 * orders are forgotten first): a real shop keeps this in its database.
 */
@Injectable()
export class OrderBook {
  private readonly orders = new Map<string, Order>();
  private readonly pending = new Map<string, PendingOperation>();
  private readonly failures = new Map<string, FailedOperation>();

  created(merchantReference: string, sessionId: string, expiresAt?: string): Order {
    const order: Order = {
      merchantReference,
      sessionId,
      status: 'CREATED',
      ...(expiresAt ? { expiresAt } : {}),
      updatedAt: new Date().toISOString(),
    };
    this.orders.set(merchantReference, order);
    for (const oldest of this.orders.keys()) {
      if (this.orders.size <= MAX_ORDERS) break;
      this.orders.delete(oldest);
    }
    return order;
  }

  order(merchantReference: string): Order | undefined {
    const order = this.orders.get(merchantReference);
    if (order?.status === 'CREATED' && order.expiresAt !== undefined && Date.parse(order.expiresAt) <= Date.now()) {
      Object.assign(order, { status: 'EXPIRED', updatedAt: new Date().toISOString() });
    }
    return order;
  }

  /** The order a transaction belongs to, once a read or callback has told this app. */
  orderOfTransaction(transactionId: string): Order | undefined {
    for (const order of this.orders.values()) if (order.transactionId === transactionId) return order;
    return undefined;
  }

  /** Records what Dintero says of a transaction, on the order it belongs to; the same news twice changes nothing. */
  recordTransaction(transaction: DinteroTransaction): void {
    const order =
      this.orders.get(transaction.merchant_reference) ?? this.created(transaction.merchant_reference, transaction.session_id ?? '');
    this.update(order, transaction.status, transaction.id);
  }

  recordCancelled(order: Order): void {
    this.update(order, 'CANCELLED', order.transactionId);
  }

  private update(order: Order, status: Order['status'], transactionId: string | undefined): void {
    if (order.status === status && order.transactionId === transactionId) return;
    Object.assign(order, { status, transactionId, updatedAt: new Date().toISOString() });
  }

  pendingOn(transactionId: string): PendingOperation | undefined {
    return this.pending.get(transactionId);
  }

  /** The last operation on the transaction that Dintero accepted and then failed; forgotten when the next begins. */
  failureOn(transactionId: string): FailedOperation | undefined {
    return this.failures.get(transactionId);
  }

  failed(transactionId: string, failure: FailedOperation): void {
    this.failures.set(transactionId, failure);
    for (const oldest of this.failures.keys()) {
      if (this.failures.size <= MAX_ORDERS) break;
      this.failures.delete(oldest);
    }
  }

  begin(transactionId: string, operation: PendingOperation): void {
    this.failures.delete(transactionId);
    this.pending.set(transactionId, operation);
    for (const oldest of this.pending.keys()) {
      if (this.pending.size <= MAX_ORDERS) break;
      this.pending.delete(oldest);
    }
  }

  settle(transactionId: string): void {
    this.pending.delete(transactionId);
  }
}
