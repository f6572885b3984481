import { createHmac } from 'node:crypto';

// Dintero's signatures, written out from its documentation apart from the library's code, so
// that a test signs as Dintero does and the library has to agree.

/** `Dintero-Signature` of a callback to `url` (absolute), signed at `t` (unix seconds). */
export function signCallback(secret: string, t: number, accountId: string, method: string, url: URL): string {
  const query = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = [t, accountId, method, url.hostname, url.pathname, new URLSearchParams(query).toString()].join('\n');
  return `t=${t},v0-hmac-sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;
}

/** `event-signature` of a webhook delivery: HMAC-SHA1 of the raw body bytes, hex. */
export function signWebhook(secret: string, body: Buffer | string): string {
  return createHmac('sha1', secret).update(body).digest('hex');
}
