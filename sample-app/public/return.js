// Capture and Refund on the return page, through this app's API.
const transaction = document.getElementById('transaction');
const result = document.getElementById('result');

async function operate(operation) {
  const response = await fetch(`/payments/${encodeURIComponent(transaction.textContent)}/${operation}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  const body = await response.json();
  if (!response.ok) {
    result.className = 'error';
    result.textContent = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    return;
  }
  result.className = '';
  result.textContent = `${operation === 'capture' ? 'Captured' : 'Refunded'}.`;
  document.getElementById('status').textContent = body.status;
  document.getElementById('captured').textContent = (body.captured / 100).toFixed(2);
  document.getElementById('refunded').textContent = (body.refunded / 100).toFixed(2);
}

if (transaction) {
  document.getElementById('capture').addEventListener('click', () => operate('capture'));
  document.getElementById('refund').addEventListener('click', () => operate('refund'));
}
