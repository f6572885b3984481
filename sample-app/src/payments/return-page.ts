import { formatMoney } from './money.js';
import { type LineState, STATUS_VIEWS } from './payment-rules.js';
import type { PaymentSummary } from './payment-summary.js';

const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const OUTCOMES: Record<string, string> = {
  cancelled: 'You cancelled the payment.',
  authorization: 'The payment was not authorized.',
  failed: 'The payment failed.',
  capture: 'The payment could not be captured.',
};

/** What the return page shows: a payment, or why there is none. */
export interface ReturnOutcome {
  payment?: PaymentSummary;
  error?: string;
  merchantReference?: string;
  problem?: string;
  /** Where a payment on hold is decided by hand: the built-in fake's page (development only). */
  decideAt?: string;
}

function lineLabel(line: LineState, payment: PaymentSummary): string {
  if (line.refunded > 0) return line.refunded === line.captured ? 'refunded' : 'partly refunded';
  if (line.captured > 0) return line.captured === line.amount ? 'captured' : 'partly captured';
  return payment.status === 'AUTHORIZATION_VOIDED'
    ? 'voided'
    : Object.hasOwn(STATUS_VIEWS, payment.status) && STATUS_VIEWS[payment.status].pending
      ? 'pending'
      : 'reserved';
}

function linesTable(payment: PaymentSummary): string {
  if (payment.lines.length === 0) return '';
  const rows = payment.lines.map((line) => {
    const open = (payment.allowed.capture && line.captured < line.amount) || (payment.allowed.refund && line.refunded < line.captured);
    return `<tr>
  <td><input type="checkbox" name="line" value="${escapeHtml(line.lineId)}" aria-label="Select ${escapeHtml(line.description)}"${open ? '' : ' disabled'}></td>
  <td>${escapeHtml(line.description)}<br><span class="state">${lineLabel(line, payment)}</span></td><td class="qty">× ${escapeHtml(line.quantity)}</td>
  <td class="num">${formatMoney(line.amount, payment.currency)}</td>
</tr>`;
  });
  return `<table id="lines"><tbody>${rows.join('\n')}</tbody></table>
<p class="hint">Tick lines to capture or refund just those; with none ticked, everything that is left.</p>`;
}

function details(payment: PaymentSummary): string {
  const button = (id: string, label: string, allowed: boolean) => `<button id="${id}"${allowed ? '' : ' disabled'}>${label}</button>`;
  const pending = payment.pending
    ? `<p id="pending" class="pending">Dintero accepted the ${payment.pending.operation} and is still processing it (event-request-id ${escapeHtml(payment.pending.requestId)}); it will not be sent again.</p>`
    : '';
  const failed = payment.failed ? `<p id="failed" class="error">${escapeHtml(payment.failed.message)}</p>` : '';
  return `<dl>
  <dt>Transaction</dt><dd id="transaction">${escapeHtml(payment.transactionId)}</dd>
  <dt>Order</dt><dd>${escapeHtml(payment.merchantReference)}</dd>
  <dt>Amount</dt><dd id="amount">${formatMoney(payment.amount, payment.currency)}</dd>
  <dt>Status</dt><dd id="status">${escapeHtml(payment.status)}</dd>
  <dt>Captured</dt><dd id="captured">${formatMoney(payment.captured, payment.currency)}</dd>
  <dt>Refunded</dt><dd id="refunded">${formatMoney(payment.refunded, payment.currency)}</dd>
</dl>
${linesTable(payment)}
${pending}
${failed}
<p class="actions">${button('capture', 'Capture', payment.allowed.capture)} ${button('refund', 'Refund', payment.allowed.refund)} ${button('void', 'Void', payment.allowed.void)}</p>`;
}

/** What the payer sees after Dintero sends them back: the outcome, the lines, and what may be done next. */
export function returnPage(outcome: ReturnOutcome): string {
  const { payment, error } = outcome;
  const view = payment
    ? Object.hasOwn(STATUS_VIEWS, payment.status)
      ? STATUS_VIEWS[payment.status]
      : { heading: `Payment ${payment.status}`, note: '', pending: false }
    : undefined;
  const heading = view?.heading ?? 'No payment';
  const message =
    error && !payment
      ? Object.hasOwn(OUTCOMES, error)
        ? OUTCOMES[error]
        : `Dintero reported: ${error}`
      : (outcome.problem ?? view?.note ?? '');
  const polling = Boolean(view?.pending || payment?.pending);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(heading)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/styles.css">
</head>
<body>
<main${polling ? ' data-pending="true"' : ''}>
<h1>${escapeHtml(heading)}</h1>
<p id="message">${escapeHtml(message)}</p>
${outcome.decideAt ? `<p id="decide" class="pending">With the fake Dintero, <a href="${escapeHtml(outcome.decideAt)}">approve or decline it on its page</a>.</p>` : ''}
${payment ? details(payment) : ''}
<p id="result" role="status"></p>
<p><a href="/">Back to the shop</a></p>
</main>
<script src="/return.js"></script>
</body>
</html>`;
}
