import type { ServerResponse } from 'node:http';
import { sendError } from '../testing/fake-http.js';
import type { FakeAuthorizationOutcome, FakeCheckout } from './fake-checkout.js';
import { FakeCheckoutError } from './fake-checkout.error.js';
import { checkoutPage, returnLocation } from './fake-checkout.page.js';
import type { FakePaymentProductType } from './fake-transaction.js';

const OUTCOMES = new Set<string>(['AUTHORIZED', 'ON_HOLD', 'DECLINED', 'FAILED', 'INITIATED', 'UNKNOWN']);
const PRODUCTS = new Set<string>(['dintero_psp.creditcard', 'collector.invoice', 'instabank.finance']);

/**
 * The hosted checkout a payer's browser sees (no token: it is Dintero's own page). Pay
 * authorizes the whole order with the chosen product and test outcome; both buttons send the
 * browser back to `return_url` with the outcome, as Dintero does.
 */
export function answerHostedCheckout(
  checkout: FakeCheckout,
  method: string,
  sessionId: string,
  action: string | undefined,
  form: string,
  res: ServerResponse,
): void {
  const session = checkout.session(sessionId);
  if (!session) return sendError(res, 404, 'not_found', 'Session not found');
  if (method === 'GET' && !action) {
    const html = checkoutPage(session);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
    res.end(html);
    return;
  }
  if (method !== 'POST' || !action) return sendError(res, 405, 'method_not_allowed', 'Use the buttons on the page');
  const fields = new URLSearchParams(form);
  const outcome = fields.get('outcome') ?? 'AUTHORIZED';
  const productType = fields.get('product') ?? 'dintero_psp.creditcard';
  if (!OUTCOMES.has(outcome) || !PRODUCTS.has(productType)) return sendError(res, 400, 'validation_error', 'Unknown outcome or product');
  try {
    let location: string;
    if (action === 'cancel') {
      checkout.cancel(session.id);
      location = returnLocation(session, { error: 'cancelled' });
    } else {
      const transaction = checkout.authorize(session.id, {
        outcome: outcome as FakeAuthorizationOutcome,
        productType: productType as FakePaymentProductType,
      });
      location =
        outcome === 'DECLINED'
          ? returnLocation(session, { error: 'authorization' })
          : outcome === 'FAILED'
            ? returnLocation(session, { error: 'failed' })
            : returnLocation(session, { transactionId: transaction.id });
    }
    res.writeHead(303, { Location: location, 'Content-Length': 0 });
    res.end();
  } catch (error) {
    if (!(error instanceof FakeCheckoutError)) throw error;
    sendError(res, error.status, error.code, error.message);
  }
}
