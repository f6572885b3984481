import { Injectable } from '@nestjs/common';
import type { DinteroItem, DinteroTransaction, TransactionStatus } from './dintero-transaction.js';
import type { Operation } from './payment-rules.js';

/** An order as this app last heard of it from Dintero (by callback, return or read). */
export interface Order {
  merchantReference: string;
  sessionId: string;
  status: 'CREATED' | 'CANCELLED' | TransactionStatus;
  transactionId?: string;
  updatedAt: string;
}

/** An operation sent to Dintero and not known to be done: answered 202, or not answered at all. */
export interface PendingOperation {
  readonly operation: Operation;
  readonly body?: { amount: number; items?: DinteroItem[]; capture_reference?: string; refund_reference?: string };
  /** The `event-request-id` of Dintero's 202; absent when the call got no answer. */
  requestId?: string;
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

  created(merchantReference: string, sessionId: string): Order {
    const order: Order = { merchantReference, sessionId, status: 'CREATED', updatedAt: new Date().toISOString() };
    this.orders.set(merchantReference, order);
    for (const oldest of this.orders.keys()) {
      if (this.orders.size <= MAX_ORDERS) break;
      this.orders.delete(oldest);
    }
    return order;
  }

  order(merchantReference: string): Order | undefined {
    return this.orders.get(merchantReference);
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

  begin(transactionId: string, operation: PendingOperation): void {
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
