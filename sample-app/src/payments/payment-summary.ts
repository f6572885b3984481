import type { DinteroTransaction, TransactionStatus } from './dintero-transaction.js';
import type { FailedOperation, PendingOperation } from './order-book.js';
import { allowedOperations, type LineState, type Operation, paymentState } from './payment-rules.js';

/** A transaction as this app answers it: totals, lines, what may be done next, what is pending. */
export interface PaymentSummary {
  transactionId: string;
  status: TransactionStatus;
  amount: number;
  currency: string;
  merchantReference: string;
  captured: number;
  refunded: number;
  lines: LineState[];
  /** What may be done now; nothing while an operation is pending at Dintero. */
  allowed: Record<Operation, boolean>;
  /** An operation Dintero accepted (202) and has not completed yet. */
  pending?: { operation: Operation; requestId: string };
  /** The last operation Dintero accepted (202) and then could not complete. */
  failed?: FailedOperation;
}

export function summarize(transaction: DinteroTransaction, pending?: PendingOperation, failed?: FailedOperation): PaymentSummary {
  const state = paymentState(transaction);
  const accepted = pending?.requestId ? { operation: pending.operation, requestId: pending.requestId } : undefined;
  return {
    transactionId: transaction.id,
    status: transaction.status,
    amount: transaction.amount,
    currency: transaction.currency,
    merchantReference: transaction.merchant_reference,
    captured: state.captured,
    refunded: state.refunded,
    lines: state.lines,
    allowed: accepted ? { capture: false, refund: false, void: false } : allowedOperations(state),
    ...(accepted ? { pending: accepted } : {}),
    ...(failed ? { failed } : {}),
  };
}
