/** Transaction statuses, as Dintero names them (the 2025 revision adds PARTIALLY_CAPTURED_REFUNDED). */
export const TRANSACTION_STATUSES = [
  'INITIATED',
  'AUTHORIZED',
  'AUTHORIZATION_VOIDED',
  'CAPTURED',
  'PARTIALLY_CAPTURED',
  'REFUNDED',
  'PARTIALLY_REFUNDED',
  'PARTIALLY_CAPTURED_REFUNDED',
  'DECLINED',
  'FAILED',
  'UNKNOWN',
  'ON_HOLD',
] as const;

export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** An order line as Dintero keeps it on the transaction and in capture/refund events. */
export interface DinteroItem {
  line_id: string;
  amount: number;
  quantity?: number;
  description?: string;
}

/** One entry of a transaction's history. */
export interface DinteroTransactionEvent {
  id?: string;
  event: string;
  success: boolean;
  amount: number;
  items?: DinteroItem[];
  correlation_request_id?: string;
  event_reference?: string;
  error?: { message?: string };
}

/** The parts of Dintero's Transaction the sample app reads. */
export interface DinteroTransaction {
  id: string;
  status: TransactionStatus;
  amount: number;
  currency: string;
  merchant_reference: string;
  session_id?: string;
  payment_product_type?: string;
  items?: DinteroItem[];
  events?: DinteroTransactionEvent[];
}

/** The parts of Dintero's Session the sample app reads. */
export interface DinteroSession {
  id: string;
  transaction_id?: string;
  cancelled_at?: string;
  expires_at?: string;
}
