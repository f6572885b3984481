// Capture, Refund and Void on the return page, through this app's API. The page itself is
// rendered by the server: after each operation the script fetches it again and swaps it in.
const POLL_MS = 2000;
const MAX_POLLS = 30;
let polls = 0;
let pollTimer;

async function refresh() {
  const html = await (await fetch(window.location.href)).text();
  const template = document.createElement('template');
  template.innerHTML = html;
  const fresh = template.content.querySelector('main');
  const result = document.getElementById('result');
  const message = result ? { text: result.textContent, className: result.className } : undefined;
  document.querySelector('main').replaceWith(fresh);
  if (message) Object.assign(document.getElementById('result'), { textContent: message.text, className: message.className });
  schedulePoll();
}

// A payment on hold, or an operation Dintero accepted, is re-read for a while, then left alone.
function schedulePoll() {
  window.clearTimeout(pollTimer);
  if (document.querySelector('main').dataset.pending && polls++ < MAX_POLLS) pollTimer = window.setTimeout(refresh, POLL_MS);
}

const DONE = { capture: 'Captured.', refund: 'Refunded.', void: 'Authorization voided.' };

async function operate(operation) {
  const transaction = document.getElementById('transaction').textContent;
  const lineIds = [...document.querySelectorAll('input[name="line"]:checked')].map((box) => box.value);
  for (const button of document.querySelectorAll('.actions button')) button.disabled = true;
  const response = await fetch(`/payments/${encodeURIComponent(transaction)}/${operation}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: operation === 'void' ? undefined : JSON.stringify(lineIds.length === 0 ? { all: true } : { lineIds }),
  });
  const body = await response.json();
  const result = document.getElementById('result');
  result.className = response.ok ? '' : 'error';
  result.textContent = !response.ok
    ? Array.isArray(body.message)
      ? body.message.join('; ')
      : body.message
    : response.status === 202
      ? `Dintero accepted the ${operation}; it is still processing it.`
      : DONE[operation];
  await refresh();
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('.actions button');
  if (button) void operate(button.id);
});
schedulePoll();
