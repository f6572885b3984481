import { BadGatewayException, BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AxiosError } from 'axios';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DinteroTarget } from '../dintero/dintero-target.js';
import { amountMismatch, callbackUrl, SESSION_LIFETIME_MS, sessionRequest, type SessionUrls } from './checkout-session.js';
import { DinteroCheckoutClient } from './dintero-checkout.client.js';
import type { DinteroTransaction } from './dintero-transaction.js';
import { TRANSACTION_ID } from './transaction-id.pipe.js';
import type { CreatePaymentDto } from './dto/create-payment.dto.js';
import { type Order, OrderBook, type PendingOperation } from './order-book.js';
import {
  type Operation,
  operationReference,
  paymentState,
  planOperation,
  refusal,
  type Selection,
  selectionProblem,
} from './payment-rules.js';
import { type PaymentSummary, summarize } from './payment-summary.js';

/** How long to wait between reads of a transaction after a 202, in ms; the length bounds the polling. */
export const OPERATION_POLL_DELAYS_MS = Symbol('OPERATION_POLL_DELAYS_MS');
export const DEFAULT_OPERATION_POLL_DELAYS_MS: readonly number[] = [250, 500, 1_000, 2_000];

/** The answer to capture, refund and void: the payment, and whether Dintero is still working on it. */
export interface OperationResult {
  readonly accepted: boolean;
  readonly payment: PaymentSummary;
}

/**
 * Payments over Dintero's Checkout API: sessions, then capture, refund and void of their
 * transactions, line by line, each operation sent once however often it is asked for.
 */
@Injectable()
export class PaymentsService {
  private readonly logger = new Logger('Payments');
  private readonly urls: SessionUrls;
  /** Transactions with an operation under way in this process: a double click must not send two. */
  private readonly busy = new Set<string>();

  constructor(
    private readonly client: DinteroCheckoutClient,
    private readonly target: DinteroTarget,
    private readonly book: OrderBook,
    @Inject(OPERATION_POLL_DELAYS_MS) private readonly pollDelaysMs: readonly number[],
  ) {
    const { publicUrl } = target;
    this.urls = { returnUrl: `${publicUrl}/payments/return` };
    if (target.acceptsCallbacksAt(publicUrl)) this.urls.callbackUrl = callbackUrl(publicUrl);
    else
      this.logger.warn(
        `No callback_url: Dintero calls back public https URLs only, and PUBLIC_URL is ${publicUrl}. Payers who close the tab are missed.`,
      );
  }

  /** Creates a checkout session; the payer goes to `checkoutUrl`, then comes back to /payments/return. */
  async create(payment: CreatePaymentDto): Promise<{ sessionId: string; checkoutUrl: string; merchantReference: string }> {
    const mismatch = amountMismatch(payment);
    if (mismatch) throw new BadRequestException(mismatch);
    const merchantReference = `order-${randomUUID().slice(0, 8)}`;
    const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
    const session = await this.client.createSession(
      sessionRequest(payment, merchantReference, this.target.profileId, this.urls, expiresAt),
    );
    await this.book.created(merchantReference, session.id, expiresAt.toISOString());
    return { sessionId: session.id, checkoutUrl: session.url, merchantReference };
  }

  /** The transaction as Dintero has it now (which also settles an operation that has landed). */
  async get(transactionId: string): Promise<PaymentSummary> {
    return (await this.read(transactionId)).payment;
  }

  /**
   * What the return page shows: the payment, and for one on hold at the built-in fake, the fake's
   * page where a developer decides it (Dintero decides by itself; the fake waits to be told).
   */
  async forReturnPage(transactionId: string): Promise<{ payment: PaymentSummary; decideAt?: string }> {
    const { transaction, payment } = await this.read(transactionId);
    if (!this.target.isFake || transaction.status !== 'ON_HOLD' || !transaction.session_id) return { payment };
    return { payment, decideAt: `${this.target.options.baseUrl}/view/${encodeURIComponent(transaction.session_id)}` };
  }

  private async read(transactionId: string): Promise<{ transaction: DinteroTransaction; payment: PaymentSummary }> {
    const transaction = await this.client.transaction(transactionId);
    const pending = await this.book.pendingOn(transactionId);
    if (pending) await this.settleIfLanded(transaction, pending);
    await this.book.recordTransaction(transaction);
    const payment = summarize(transaction, await this.book.pendingOn(transactionId), await this.book.failureOn(transactionId));
    return { transaction, payment };
  }

  /** An order by its merchant reference, as far as Dintero has told this app. */
  order(merchantReference: string): Promise<Order | undefined> {
    return this.book.order(merchantReference);
  }

  /**
   * Dintero's callback (or webhook delivery). What it names is only a hint of which order to look
   * at: what is recorded is what Dintero answers when asked with the token. Safe to receive any
   * number of times.
   */
  async callback(transactionId: string | undefined, merchantReference: string | undefined): Promise<{ recorded: string }> {
    if (transactionId !== undefined && !TRANSACTION_ID.test(transactionId))
      throw new BadRequestException('transaction_id: not a Dintero transaction id');
    // A read costs a call with this app's token: only for an order this app made, and only for its own transaction.
    const order =
      merchantReference !== undefined
        ? await this.book.order(merchantReference)
        : transactionId !== undefined
          ? await this.book.orderOfTransaction(transactionId)
          : undefined;
    if (!order) return { recorded: 'nothing: unknown order' };
    if (transactionId !== undefined) {
      if (order.transactionId !== undefined && order.transactionId !== transactionId)
        throw new NotFoundException(`transaction_id: not the transaction of order ${order.merchantReference}`);
      const transaction = await this.client.transaction(transactionId);
      await this.book.recordTransaction(transaction);
      return { recorded: transaction.status };
    }
    const session = await this.client.session(order.sessionId);
    if (session.transaction_id) return this.callback(session.transaction_id, order.merchantReference);
    if (session.cancelled_at) {
      await this.book.recordCancelled(order);
      return { recorded: 'CANCELLED' };
    }
    return { recorded: order.status };
  }

  /** Captures the lines selected (default: everything still authorized). */
  capture(transactionId: string, selection: Selection): Promise<OperationResult> {
    return this.operate(transactionId, 'capture', selection);
  }

  /** Refunds the lines selected (default: everything captured and not refunded). */
  refund(transactionId: string, selection: Selection): Promise<OperationResult> {
    return this.operate(transactionId, 'refund', selection);
  }

  /** Cancels the authorization: nothing will be charged. */
  void(transactionId: string): Promise<OperationResult> {
    return this.operate(transactionId, 'void', {});
  }

  private async operate(transactionId: string, operation: Operation, selection: Selection): Promise<OperationResult> {
    const problem = operation === 'void' ? undefined : selectionProblem(selection);
    if (problem) throw new BadRequestException(problem);
    if (this.busy.has(transactionId)) throw new ConflictException('Another operation on this payment is under way');
    this.busy.add(transactionId);
    try {
      return await this.operateAlone(transactionId, operation, selection);
    } finally {
      this.busy.delete(transactionId);
    }
  }

  private async operateAlone(transactionId: string, operation: Operation, selection: Selection): Promise<OperationResult> {
    const transaction = await this.client.transaction(transactionId);
    const pending = await this.book.pendingOn(transactionId);
    if (pending) {
      const resumed = await this.resume(transaction, pending, operation);
      if (resumed) return resumed;
    }
    const state = paymentState(transaction);
    const refused = refusal(state, operation);
    if (refused) throw new ConflictException(refused);
    let body: PendingOperation['body'];
    if (operation !== 'void') {
      const plan = planOperation(state, operation, selection);
      if ('problem' in plan) throw new BadRequestException(plan.problem);
      const reference = operationReference(transaction, operation);
      body = operation === 'capture' ? { ...plan, capture_reference: reference } : { ...plan, refund_reference: reference };
    }
    const intent: PendingOperation = { operation, ...(body ? { body } : {}) };
    await this.book.begin(transactionId, intent);
    return this.send(transactionId, intent);
  }

  /**
   * An earlier operation on this transaction got a 202 or no answer. If it has landed, it is done;
   * if it was accepted, it is not sent again; if it got no answer, the same call is its retry.
   */
  private async resume(
    transaction: DinteroTransaction,
    pending: PendingOperation,
    operation: Operation,
  ): Promise<OperationResult | undefined> {
    const outcome = await this.settleIfLanded(transaction, pending);
    if (outcome) {
      return outcome.success && pending.operation === operation && !pending.requestId
        ? { accepted: false, payment: summarize(transaction) }
        : undefined;
    }
    if (pending.requestId) {
      throw new ConflictException(
        `The ${pending.operation} Dintero accepted (event-request-id ${pending.requestId}) is still pending; it is not sent again`,
      );
    }
    if (pending.operation !== operation) throw new ConflictException(`A ${pending.operation} got no answer from Dintero: retry it first`);
    this.logger.warn(`Resending the ${operation} of ${transaction.id} that got no answer, with the same reference`);
    return this.send(transaction.id, pending);
  }

  /**
   * Settles the pending operation if Dintero's events show its outcome: done, or failed (kept to
   * be shown with the payment, so that a 202 that ended in failure is not taken for done).
   */
  private async settleIfLanded(transaction: DinteroTransaction, pending: PendingOperation): Promise<Outcome | undefined> {
    const outcome = outcomeOf(transaction, pending);
    if (!outcome) return undefined;
    if (outcome.success) await this.book.settle(transaction.id);
    else {
      const message = failureMessage(pending.operation, outcome.message);
      this.logger.warn(`${transaction.id}: ${message}`);
      await this.book.failed(transaction.id, { operation: pending.operation, message });
    }
    return outcome;
  }

  private async send(transactionId: string, intent: PendingOperation): Promise<OperationResult> {
    let answer;
    try {
      answer = await this.client.operate(transactionId, intent.operation, intent.body);
    } catch (error) {
      // Dintero refused it: nothing is pending. No answer or a 5xx: it may have landed, so keep it.
      if (isRefusal(error)) await this.book.settle(transactionId);
      throw error;
    }
    if (!answer.accepted) {
      await this.book.settle(transactionId);
      await this.book.recordTransaction(answer.transaction);
      return { accepted: false, payment: summarize(answer.transaction) };
    }
    intent.requestId = answer.requestId;
    // Kept with its request id: after a restart the app still knows the 202 and does not send it again.
    await this.book.begin(transactionId, intent);
    let transaction = answer.transaction;
    for (const delay of this.pollDelaysMs) {
      await sleep(delay);
      transaction = await this.client.transaction(transactionId);
      const outcome = await this.settleIfLanded(transaction, intent);
      if (outcome) {
        await this.book.recordTransaction(transaction);
        if (!outcome.success) throw new BadGatewayException(failureMessage(intent.operation, outcome.message));
        return { accepted: false, payment: summarize(transaction) };
      }
    }
    return { accepted: true, payment: summarize(transaction, intent) };
  }
}

/** How an operation sent to Dintero ended, as its events show. */
interface Outcome {
  readonly success: boolean;
  readonly message?: string | undefined;
}

/**
 * The outcome of the operation, if Dintero's events show it: an event of the operation's own
 * type (`CAPTURE`, not the `INITIATE_CAPTURE` that follows a 202) that answers the 202's request
 * id or carries our reference; its `success` says whether it was done. A void sent without an
 * answer is shown by any successful VOID.
 */
function outcomeOf(transaction: DinteroTransaction, pending: PendingOperation): Outcome | undefined {
  const name = pending.operation.toUpperCase();
  const reference = pending.body?.capture_reference ?? pending.body?.refund_reference;
  const event = (transaction.events ?? []).find(
    (entry) =>
      entry.event === name &&
      ((pending.requestId !== undefined && entry.correlation_request_id === pending.requestId) ||
        (reference !== undefined && entry.event_reference === reference) ||
        (pending.operation === 'void' && pending.requestId === undefined && entry.success)),
  );
  return event && { success: event.success, message: event.error?.message };
}

function failureMessage(operation: Operation, message: string | undefined): string {
  return `Dintero could not complete the ${operation}${message ? `: ${message}` : ''}`;
}

/** A 4xx other than timeout and rate limit: Dintero looked at the operation and said no. */
function isRefusal(error: unknown): boolean {
  const status = error instanceof AxiosError ? error.response?.status : undefined;
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}
