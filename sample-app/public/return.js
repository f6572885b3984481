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
  if (document.querySelector('main').dataset.pending && polls++ < MAX_POLLS)
    pollTimer = window.setTimeout(() => refresh().catch(showDown), POLL_MS);
}

function showDown() {
  const result = document.getElementById('result');
  result.className = 'error';
  result.textContent = DOWN;
}

const DONE = { capture: 'Captured.', refund: 'Refunded.', void: 'Authorization voided.' };

const DOWN = 'The shop is not answering right now: nothing was changed. Please try again in a moment.';

async function operate(operation) {
  const transaction = document.getElementById('transaction').textContent;
  const lineIds = [...document.querySelectorAll('input[name="line"]:checked')].map((box) => box.value);
  const buttons = [...document.querySelectorAll('.actions button')];
  const enabled = buttons.filter((button) => !button.disabled);
  for (const button of buttons) button.disabled = true;
  const result = document.getElementById('result');
  let response;
  let body;
  try {
    response = await fetch(`/payments/${encodeURIComponent(transaction)}/${operation}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: operation === 'void' ? undefined : JSON.stringify(lineIds.length === 0 ? { all: true } : { lineIds }),
    });
    body = await response.json().catch(() => undefined);
  } catch {
    // No answer at all: say so, and give the buttons back as they were.
    showDown();
    for (const button of enabled) button.disabled = false;
    return;
  }
  result.className = response.ok ? '' : 'error';
  result.textContent = !response.ok
    ? (body?.message ?? DOWN)
    : response.status === 202
      ? `Dintero accepted the ${operation}; it is still processing it.`
      : DONE[operation];
  await refresh().catch(() => {
    showDown();
    for (const button of enabled) button.disabled = false;
  });
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('.actions button');
  if (button) void operate(button.id);
});
schedulePoll();
