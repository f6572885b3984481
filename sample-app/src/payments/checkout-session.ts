import type { CreatePaymentDto, OrderItemDto } from './dto/create-payment.dto.js';

const DEFAULT_VAT = 25;

/**
 * Sent with every session: Dintero then rejects an order whose amount is not the sum of its
 * lines, instead of accepting it and failing later on invoice products.
 */
export const SESSION_HEADERS: Readonly<Record<string, string>> = { 'Dintero-Feature-Toggles': 'strict-session-amounts' };

/**
 * How long the payer has to pay: Dintero documents no default lifetime, so the app says it
 * (`expires_at`), and an order not paid by then is `EXPIRED`.
 */
export const SESSION_LIFETIME_MS = 30 * 60 * 1000;

/** Where Dintero sends the payer (`return_url`) and calls this app (`callback_url`, if it can reach it). */
export interface SessionUrls {
  returnUrl: string;
  callbackUrl?: string;
}

/** The order's lines: as given, or one line for the whole amount. */
export function orderLines(payment: CreatePaymentDto): OrderItemDto[] {
  return payment.items ?? [{ description: 'Order', quantity: 1, amount: payment.amount, vat: DEFAULT_VAT }];
}

/** Why the order's lines cannot make up its amount (their amounts must add up to it), or undefined. */
export function amountMismatch(payment: CreatePaymentDto): string | undefined {
  const itemTotal = (payment.items ?? []).reduce((sum, item) => sum + item.amount, 0);
  return payment.items && itemTotal !== payment.amount
    ? `items: line amounts add up to ${itemTotal}, not to amount ${payment.amount}`
    : undefined;
}

/** A `POST /sessions-profile` body: every line has a `line_id`, so capture and refund can name it. */
export function sessionRequest(
  payment: CreatePaymentDto,
  merchantReference: string,
  profileId: string,
  urls: SessionUrls,
  expiresAt: Date = new Date(Date.now() + SESSION_LIFETIME_MS),
): Record<string, unknown> {
  const items = orderLines(payment);
  return {
    profile_id: profileId,
    expires_at: expiresAt.toISOString(),
    url: { return_url: urls.returnUrl, ...(urls.callbackUrl ? { callback_url: urls.callbackUrl } : {}) },
    order: {
      amount: payment.amount,
      currency: payment.currency,
      merchant_reference: merchantReference,
      vat_amount: items.reduce((sum, item) => sum + vatOf(item.amount, item.vat), 0),
      items: items.map((item, index) => ({
        line_id: String(index + 1),
        description: item.description,
        quantity: item.quantity,
        amount: item.amount,
        vat: item.vat,
        vat_amount: vatOf(item.amount, item.vat),
      })),
    },
  };
}

/**
 * The callback URL: Dintero calls it after authorization and for errors (`report_error`), and
 * for every capture, refund and void (`report_event`).
 */
export function callbackUrl(publicUrl: string): string {
  const url = new URL('payments/callback', `${publicUrl.replace(/\/+$/, '')}/`);
  url.searchParams.set('report_error', 'true');
  for (const event of ['CAPTURE', 'REFUND', 'VOID']) url.searchParams.append('report_event', event);
  return url.href;
}

/** VAT contained in a VAT-inclusive amount, in whole minor units. */
function vatOf(amount: number, vatPercent: number): number {
  return Math.round((amount * vatPercent) / (100 + vatPercent));
}
