/** The parts of Dintero's Transaction the sample app reads. */
export interface DinteroTransaction {
  id: string;
  status: string;
  amount: number;
  currency: string;
  merchant_reference: string;
  session_id?: string;
  events?: { event: string; success: boolean; amount: number }[];
}

/** A transaction as this app answers it: with what is captured and refunded so far. */
export interface PaymentSummary {
  transactionId: string;
  status: string;
  amount: number;
  currency: string;
  merchantReference: string;
  captured: number;
  refunded: number;
}

/** Sums successful events of one kind (Dintero keeps the history in `events`, not in totals). */
function totalOf(transaction: DinteroTransaction, event: string): number {
  return (transaction.events ?? []).filter((entry) => entry.event === event && entry.success).reduce((sum, entry) => sum + entry.amount, 0);
}

export function summarize(transaction: DinteroTransaction): PaymentSummary {
  return {
    transactionId: transaction.id,
    status: transaction.status,
    amount: transaction.amount,
    currency: transaction.currency,
    merchantReference: transaction.merchant_reference,
    captured: totalOf(transaction, 'CAPTURE'),
    refunded: totalOf(transaction, 'REFUND'),
  };
}
