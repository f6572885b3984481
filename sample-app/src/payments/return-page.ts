import type { PaymentSummary } from './dintero-transaction.js';

const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const OUTCOMES: Record<string, string> = {
  cancelled: 'You cancelled the payment.',
  authorization: 'The payment was not authorized.',
  failed: 'The payment failed.',
  capture: 'The payment could not be captured.',
};

/** What the payer sees after Dintero sends them back: the outcome, and Capture/Refund buttons. */
export function returnPage(outcome: { payment?: PaymentSummary; error?: string; merchantReference?: string; problem?: string }): string {
  const { payment, error } = outcome;
  const heading = payment && !error ? 'Payment authorized' : 'No payment';
  const message = error ? (OUTCOMES[error] ?? `Dintero reported: ${error}`) : (outcome.problem ?? '');
  const details = payment
    ? `<dl>
  <dt>Transaction</dt><dd id="transaction">${escapeHtml(payment.transactionId)}</dd>
  <dt>Order</dt><dd>${escapeHtml(payment.merchantReference)}</dd>
  <dt>Amount</dt><dd>${(payment.amount / 100).toFixed(2)} ${escapeHtml(payment.currency)}</dd>
  <dt>Status</dt><dd id="status">${escapeHtml(payment.status)}</dd>
  <dt>Captured</dt><dd id="captured">${(payment.captured / 100).toFixed(2)}</dd>
  <dt>Refunded</dt><dd id="refunded">${(payment.refunded / 100).toFixed(2)}</dd>
</dl>
<button id="capture">Capture</button> <button id="refund">Refund</button>
<p id="result" role="status"></p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(heading)}</title>
<link rel="stylesheet" href="/styles.css">
</head>
<body>
<main>
<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(message)}</p>
${details}
<p><a href="/">Back to the shop</a></p>
</main>
<script src="/return.js"></script>
</body>
</html>`;
}
