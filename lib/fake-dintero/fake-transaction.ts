/** Transaction states, as Dintero names them (2025 revision, with `PARTIALLY_CAPTURED_REFUNDED`). */
export type FakeTransactionStatus =
  | 'INITIATED'
  | 'AUTHORIZED'
  | 'AUTHORIZATION_VOIDED'
  | 'CAPTURED'
  | 'PARTIALLY_CAPTURED'
  | 'REFUNDED'
  | 'PARTIALLY_REFUNDED'
  | 'PARTIALLY_CAPTURED_REFUNDED'
  | 'DECLINED'
  | 'FAILED'
  | 'UNKNOWN'
  | 'ON_HOLD';

/** Payment product types the fake's hosted page offers; invoice and instalments need order lines. */
export type FakePaymentProductType = 'dintero_psp.creditcard' | 'collector.invoice' | 'instabank.finance';

/** An order line as capture and refund carry it. */
export interface FakeOperationItem {
  line_id: string;
  amount: number;
  quantity?: number;
  [field: string]: unknown;
}

/** One entry of a transaction's history, in Dintero's shape. */
export interface FakeTransactionEvent {
  id: string;
  event: 'AUTHORIZE' | 'CAPTURE' | 'REFUND' | 'VOID';
  transaction_status: FakeTransactionStatus;
  success: boolean;
  amount: number;
  items?: FakeOperationItem[];
  created_at: string;
  request_id: string;
  /** The `event-request-id` of the 202 answer this event completes. */
  correlation_request_id?: string;
  /** The `capture_reference` / `refund_reference` the merchant sent (inferred field). */
  event_reference?: string;
  error?: { code: string; message: string };
}

/** A transaction in Dintero's shape. Its history is in `events`, as at Dintero. */
export interface FakeTransaction {
  id: string;
  session_id: string;
  merchant_reference: string;
  amount: number;
  currency: string;
  status: FakeTransactionStatus;
  payment_product: string;
  payment_product_type: FakePaymentProductType;
  items: FakeOperationItem[];
  url: { redirect_url: string; callback_url?: string };
  created_at: string;
  updated_at: string;
  events: FakeTransactionEvent[];
}
