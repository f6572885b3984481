import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type FailedOperation, type Order, ORDER_STORE, type OrderStore, type PendingOperation } from '../orders/order-store.js';
import type { DinteroTransaction } from './dintero-transaction.js';

export type { FailedOperation, Order, PendingOperation } from '../orders/order-store.js';

/**
 * The app's memory of orders and unfinished operations, kept in its {@link OrderStore} (an
 * SQLite file, or PostgreSQL): a callback, a `report_error` or a 202's completion that arrives
 * after a restart finds the order it is about.
 */
@Injectable()
export class OrderBook implements OnApplicationShutdown {
  constructor(@Inject(ORDER_STORE) private readonly store: OrderStore) {}

  async created(merchantReference: string, sessionId: string, expiresAt?: string): Promise<Order> {
    const order: Order = {
      merchantReference,
      sessionId,
      status: 'CREATED',
      ...(expiresAt ? { expiresAt } : {}),
      updatedAt: new Date().toISOString(),
    };
    await this.store.saveOrder(order);
    return order;
  }

  /** The order; one still `CREATED` after its session's `expires_at` is `EXPIRED`. */
  async order(merchantReference: string): Promise<Order | undefined> {
    return this.expire(await this.store.order(merchantReference));
  }

  /** The order a transaction belongs to, once a read or callback has told this app. */
  async orderOfTransaction(transactionId: string): Promise<Order | undefined> {
    return this.expire(await this.store.orderOfTransaction(transactionId));
  }

  /** Records what Dintero says of a transaction, on the order it belongs to; the same news twice changes nothing. */
  async recordTransaction(transaction: DinteroTransaction): Promise<void> {
    const order =
      (await this.store.order(transaction.merchant_reference)) ??
      (await this.created(transaction.merchant_reference, transaction.session_id ?? ''));
    await this.update(order, transaction.status, transaction.id);
  }

  recordCancelled(order: Order): Promise<void> {
    return this.update(order, 'CANCELLED', order.transactionId);
  }

  async pendingOn(transactionId: string): Promise<PendingOperation | undefined> {
    return (await this.store.operations(transactionId)).pending;
  }

  /** The last operation on the transaction that Dintero accepted and then failed; forgotten when the next begins. */
  async failureOn(transactionId: string): Promise<FailedOperation | undefined> {
    return (await this.store.operations(transactionId)).failure;
  }

  failed(transactionId: string, failure: FailedOperation): Promise<void> {
    return this.store.saveOperations(transactionId, { failure });
  }

  /** Keeps the operation before it is sent: if the process dies, the next one knows it may have landed. */
  begin(transactionId: string, operation: PendingOperation): Promise<void> {
    return this.store.saveOperations(transactionId, { pending: operation });
  }

  async settle(transactionId: string): Promise<void> {
    const { failure } = await this.store.operations(transactionId);
    await this.store.saveOperations(transactionId, { failure });
  }

  onApplicationShutdown(): Promise<void> {
    return this.store.close();
  }

  private async expire(order: Order | undefined): Promise<Order | undefined> {
    if (order?.status !== 'CREATED' || order.expiresAt === undefined || Date.parse(order.expiresAt) > Date.now()) return order;
    const expired: Order = { ...order, status: 'EXPIRED', updatedAt: new Date().toISOString() };
    await this.store.saveOrder(expired);
    return expired;
  }

  private async update(order: Order, status: Order['status'], transactionId: string | undefined): Promise<void> {
    if (order.status === status && order.transactionId === transactionId) return;
    await this.store.saveOrder({ ...order, status, ...(transactionId ? { transactionId } : {}), updatedAt: new Date().toISOString() });
  }
}
