// The token panel: what /auth/events says about the app's Dintero token, live. The server sends
// the status first, then each token event; the page never sees the token, only its fingerprint.
const MAX_EVENTS = 20;
const field = (id) => document.getElementById(id);
let token;
// The server's clock minus this browser's: ages and countdowns are on the server's time.
let skewMs = 0;

function duration(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function render() {
  if (!token) return;
  const now = Date.now() + skewMs;
  field('token-fingerprint').textContent = token.fingerprint;
  field('token-age').textContent = duration(now - Date.parse(token.obtainedAt));
  const refreshIn = Date.parse(token.refreshAt) - now;
  field('token-refresh').textContent = refreshIn > 0 ? duration(refreshIn) : 'due now';
}

function describe(event) {
  switch (event.type) {
    case 'acquired':
      return `acquired ${event.token.fingerprint}`;
    case 'refreshed':
      return `refreshed: now ${event.token.fingerprint}`;
    case 'refresh-failed':
      return `request failed (${event.error.code}), attempt ${event.attempt}${event.servingPrevious ? ', still serving the previous token' : ''}`;
    case 'expired':
    case 'invalidated':
      return `${event.type} ${event.fingerprint}`;
    default:
      return event.type;
  }
}

function addEvent(event) {
  const list = field('token-events');
  const item = document.createElement('li');
  item.dataset.type = event.type;
  const time = document.createElement('time');
  time.dateTime = event.at;
  time.textContent = new Date(event.at).toLocaleTimeString();
  item.append(time, ` ${describe(event)}`);
  list.prepend(item);
  while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
}

const source = new window.EventSource('/auth/events');
source.addEventListener('open', () => (field('token-live').textContent = 'live'));
// EventSource reconnects by itself; meanwhile the panel says it is not live.
source.addEventListener('error', () => (field('token-live').textContent = 'not connected: retrying…'));
source.addEventListener('status', (message) => {
  const status = JSON.parse(message.data);
  skewMs = Date.parse(status.now) - Date.now();
  token = status.token;
  if (!token) field('token-fingerprint').textContent = 'none yet';
  render();
});
source.addEventListener('token', (message) => {
  const event = JSON.parse(message.data);
  skewMs = Date.parse(event.at) - Date.now();
  if (event.token) token = event.token;
  if (event.type === 'expired' || event.type === 'invalidated') {
    token = undefined;
    field('token-fingerprint').textContent = 'none';
    field('token-age').textContent = '–';
    field('token-refresh').textContent = '–';
  }
  addEvent(event);
  render();
});
window.setInterval(render, 1000);
