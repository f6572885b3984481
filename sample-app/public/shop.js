// The demo cart: amounts in minor units (øre for NOK), VAT included.
const cart = {
  currency: 'NOK',
  items: [
    { description: 'Wool socks', quantity: 2, amount: 29800, vat: 25 },
    { description: 'Gift wrapping', quantity: 1, amount: 4900, vat: 25 },
  ],
};
const total = cart.items.reduce((sum, item) => sum + item.amount, 0);
// The currency's own number of decimals (NOK 2, JPY 0, KWD 3), as ISO 4217 and Intl have it.
const digits = new Intl.NumberFormat('en', { style: 'currency', currency: cart.currency }).resolvedOptions().maximumFractionDigits;
const money = (minor) => `${(minor / 10 ** digits).toFixed(digits)} ${cart.currency}`;

const lines = document.getElementById('lines');
for (const item of cart.items) {
  const row = lines.insertRow();
  row.insertCell().textContent = item.description;
  const quantity = row.insertCell();
  quantity.className = 'qty';
  quantity.textContent = `× ${item.quantity}`;
  const cell = row.insertCell();
  cell.className = 'num';
  cell.textContent = money(item.amount);
}
document.getElementById('total').textContent = money(total);

const DOWN = 'The shop is not answering right now, so nothing was charged. Please try again in a moment.';

document.getElementById('pay').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  const error = document.getElementById('error');
  button.disabled = true;
  error.textContent = '';
  try {
    const response = await fetch('/payments', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ amount: total, currency: cart.currency, items: cart.items }),
    });
    // A proxy in front of a stopped backend answers HTML, not this app's JSON.
    const body = await response.json().catch(() => undefined);
    if (response.ok && body) return window.location.assign(body.checkoutUrl);
    error.textContent = body?.message && response.status < 500 ? body.message : DOWN;
  } catch {
    error.textContent = DOWN;
  }
  button.disabled = false;
});
