import type { FakeSession } from './fake-session.js';

const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

/** Minor units as the currency writes them: its exponent comes from ISO 4217, as Intl knows it. */
function formatAmount(minor: unknown, currency: unknown): string {
  const code = String(currency);
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  const amount = typeof minor === 'number' ? minor / 10 ** digits : 0;
  return `${amount.toFixed(digits)} ${escapeHtml(code)}`;
}

const STYLE = `<style>
  body { font-family: system-ui, sans-serif; background: #f4f1ee; margin: 0; padding: 2rem; color: #222; }
  main { max-width: 28rem; margin: auto; background: #fff; border-radius: 12px; padding: 1.5rem 2rem; box-shadow: 0 2px 12px #0002; }
  .badge { display: inline-block; background: #fde68a; border-radius: 6px; padding: 0.1rem 0.5rem; font-size: 0.8rem; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  td { padding: 0.3rem 0; border-bottom: 1px solid #eee; }
  .num { text-align: right; }
  .total { font-size: 1.3rem; font-weight: 600; }
  form { display: inline; }
  fieldset { border: 1px solid #ddd; border-radius: 8px; margin: 0 0 1rem; }
  label { display: block; margin: 0.2rem 0; }
  .test { font-size: 0.85rem; color: #555; }
  button { font-size: 1rem; padding: 0.6rem 1.4rem; border-radius: 8px; border: 0; cursor: pointer; margin-right: 0.5rem; }
  #pay { background: #1f6f5c; color: #fff; }
  #cancel, #decline { background: #ddd; }
  #approve { background: #1f6f5c; color: #fff; }
</style>`;

/** The fake's hosted checkout page for one session: the order, a payment method, a test outcome, Pay and Cancel. */
export function checkoutPage(session: FakeSession): string {
  const order = session.order;
  const items = Array.isArray(order.items) ? (order.items as Record<string, unknown>[]) : [];
  const rows = items
    .map(
      (item) =>
        `<tr><td>${escapeHtml(item.description ?? item.id ?? item.line_id)}</td><td>${escapeHtml(item.quantity ?? 1)}</td><td class="num">${formatAmount(item.amount, order.currency)}</td></tr>`,
    )
    .join('');
  const id = encodeURIComponent(session.id);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fake Dintero Checkout</title>
<link rel="icon" href="data:,">
${STYLE}
</head>
<body>
<main>
  <h1>Dintero Checkout <span class="badge">fake, test only</span></h1>
  <p>Order <strong>${escapeHtml(order.merchant_reference)}</strong></p>
  <table>${rows}</table>
  <p class="total">Total ${formatAmount(order.amount, order.currency)}</p>
  <form method="post" action="/v1/view/${id}/pay">
    <fieldset><legend>Pay with</legend>
      <label><input type="radio" name="product" value="dintero_psp.creditcard" checked> Card</label>
      <label><input type="radio" name="product" value="collector.invoice"> Invoice (Collector: lines on capture and refund)</label>
      <label><input type="radio" name="product" value="instabank.finance"> Instalments (Instabank: lines on capture and refund)</label>
      <label><input type="radio" name="product" value="payex.creditcard"> Card (PayEx: the rest can be voided after a partial capture)</label>
      <label><input type="radio" name="product" value="vipps"> Vipps (the rest can be voided after a partial capture)</label>
      <label><input type="radio" name="product" value="klarna.klarna"> Klarna (the rest can be voided after a partial capture)</label>
    </fieldset>
    <fieldset class="test"><legend>Outcome (test only)</legend>
      <select id="outcome" name="outcome">
        <option value="AUTHORIZED" selected>Authorized</option>
        <option value="ON_HOLD">On hold (decided later)</option>
        <option value="DECLINED">Declined</option>
        <option value="FAILED">Failed</option>
        <option value="CAPTURE_FAILED">Authorized, automatic capture failed (with auto_capture)</option>
      </select>
    </fieldset>
    <button id="pay" type="submit">Pay</button>
  </form>
  <form method="post" action="/v1/view/${id}/cancel"><button id="cancel" type="submit">Cancel</button></form>
</main>
</body>
</html>`;
}

/** The page of a session whose payment is on hold: approve or decline it, as Dintero would decide later. */
export function heldPage(session: FakeSession): string {
  const id = encodeURIComponent(session.id);
  const decide = (outcome: string, label: string) =>
    `<form method="post" action="/v1/view/${id}/settle"><input type="hidden" name="outcome" value="${outcome}"><button id="${outcome === 'AUTHORIZED' ? 'approve' : 'decline'}" type="submit">${label}</button></form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fake Dintero Checkout: on hold</title>
<link rel="icon" href="data:,">
${STYLE}
</head>
<body>
<main>
  <h1>Payment on hold <span class="badge">fake, test only</span></h1>
  <p>Order <strong>${escapeHtml(session.order.merchant_reference)}</strong>, ${formatAmount(session.order.amount, session.order.currency)}: Dintero decides later. Decide now:</p>
  ${decide('AUTHORIZED', 'Approve')} ${decide('DECLINED', 'Decline')}
</main>
</body>
</html>`;
}

/** Where Dintero sends the payer back: `return_url` with the outcome in its query. */
export function returnLocation(
  session: FakeSession,
  outcome: { transactionId: string; error?: 'capture' } | { error: 'cancelled' | 'authorization' | 'failed' },
): string {
  const url = new URL(String(session.url.return_url));
  if ('transactionId' in outcome) url.searchParams.set('transaction_id', outcome.transactionId);
  if (outcome.error) url.searchParams.set('error', outcome.error);
  url.searchParams.set('merchant_reference', String(session.order.merchant_reference));
  return url.href;
}
