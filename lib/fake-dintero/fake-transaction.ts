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

/** The payment product types the fake's hosted page offers. */
export const FAKE_PAYMENT_PRODUCT_TYPES = [
  'dintero_psp.creditcard',
  'collector.invoice',
  'instabank.finance',
  'payex.creditcard',
  'vipps',
  'klarna.klarna',
] as const;

/**
 * Payment product types the fake's hosted page offers: invoice and instalments need order lines
 * on capture and refund; payex, vipps and klarna can void what is left after a partial capture.
 */
export type FakePaymentProductType = (typeof FAKE_PAYMENT_PRODUCT_TYPES)[number];

/** An order line as capture and refund carry it. */
export interface FakeOperationItem {
  line_id: string;
  amount: number;
  quantity?: number;
  [field: string]: unknown;
}

/** The events of a transaction's history, as Dintero's enum names them (INITIALIZE and SETTLEMENT are not produced). */
export type FakeTransactionEventName =
  'AUTHORIZE' | 'CAPTURE' | 'REFUND' | 'VOID' | 'INITIATE_CAPTURE' | 'INITIATE_REFUND' | 'INITIATE_VOID';

/** One entry of a transaction's history, in Dintero's shape. */
export interface FakeTransactionEvent {
  id: string;
  event: FakeTransactionEventName;
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
  error?: { message: string };
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
  /** The order's lines, and its `shipping_option` as one more line (Dintero moves it here). */
  items: FakeOperationItem[];
  shipping_option?: Record<string, unknown>;
  url: { redirect_url: string; callback_url?: string };
  created_at: string;
  updated_at: string;
  events: FakeTransactionEvent[];
}
