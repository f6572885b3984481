import type { ServerResponse } from 'node:http';
import { sendJson } from '../testing/fake-http.js';
import type { FakeAuthorizationOutcome, FakeCheckout } from './fake-checkout.js';
import { FakeCheckoutError } from './fake-checkout.error.js';
import { checkoutPage, heldPage, returnLocation } from './fake-checkout.page.js';
import { dinteroError } from './fake-error-body.js';
import { FAKE_PAYMENT_PRODUCT_TYPES, type FakePaymentProductType } from './fake-transaction.js';

const OUTCOMES = new Set<string>(['AUTHORIZED', 'ON_HOLD', 'DECLINED', 'FAILED', 'INITIATED', 'UNKNOWN', 'CAPTURE_FAILED']);
const PRODUCTS = new Set<string>(FAKE_PAYMENT_PRODUCT_TYPES);
const DECISIONS = new Set<string>(['AUTHORIZED', 'DECLINED']);

/**
 * The hosted checkout a payer's browser sees (no token: it is Dintero's own page). Pay
 * authorizes the whole order with the chosen product and test outcome; both buttons send the
 * browser back to `return_url` with the outcome, as Dintero does. After the session's
 * `expires_at` the page is gone (404; Dintero documents no status for it). While the payment
 * is `ON_HOLD`, the page offers the decision Dintero would take later (test only): approve or
 * decline settles it (the second callback follows) and sends the browser back to `return_url`.
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
  if (!session) return sendJson(res, 404, dinteroError('Session not found'));
  if (checkout.expired(session) && !session.transaction_id)
    return sendJson(res, 404, dinteroError(`Session expired at ${session.expires_at}`));
  const held = session.transaction_id ? checkout.transaction(session.transaction_id) : undefined;
  const onHold = held?.status === 'ON_HOLD';
  if (method === 'GET' && !action) {
    const html = onHold ? heldPage(session) : checkoutPage(session);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
    res.end(html);
    return;
  }
  if (method !== 'POST' || !action) return sendJson(res, 405, dinteroError('Use the buttons on the page'));
  const fields = new URLSearchParams(form);
  if (action === 'settle') {
    const decision = fields.get('outcome') ?? '';
    if (!held || !onHold || !DECISIONS.has(decision))
      return sendJson(res, 400, dinteroError('Nothing on hold to decide, or not AUTHORIZED or DECLINED'));
    checkout.settle(held.id, decision as 'AUTHORIZED' | 'DECLINED');
    // Back to the shop with the transaction either way: its status now says what was decided.
    res.writeHead(303, { Location: returnLocation(session, { transactionId: held.id }), 'Content-Length': 0 });
    res.end();
    return;
  }
  const outcome = fields.get('outcome') ?? 'AUTHORIZED';
  const productType = fields.get('product') ?? 'dintero_psp.creditcard';
  if (!OUTCOMES.has(outcome) || !PRODUCTS.has(productType)) return sendJson(res, 400, dinteroError('Unknown outcome or product'));
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
            : checkout.autoCaptureFailed(transaction)
              ? returnLocation(session, { transactionId: transaction.id, error: 'capture' })
              : returnLocation(session, { transactionId: transaction.id });
    }
    res.writeHead(303, { Location: location, 'Content-Length': 0 });
    res.end();
  } catch (error) {
    if (!(error instanceof FakeCheckoutError)) throw error;
    sendJson(res, error.status, dinteroError(error.message));
  }
}
