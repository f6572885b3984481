import { createHmac } from 'node:crypto';

/** What a callback signature covers: when, for which account, and the request as it is sent. */
export interface FakeSignedCallback {
  /** Unix seconds. */
  readonly timestamp: number;
  readonly accountId: string;
  readonly method: string;
  /** The URL requested, query included. */
  readonly url: URL;
}

/**
 * The text Dintero signs for a callback: `<t>\n<account_id>\n<METHOD>\n<hostname>\n<pathname>\n<query>`,
 * the query's parameters sorted by name (stable for repeated names) and encoded as
 * URLSearchParams encodes them (a space is `+`).
 */
export function callbackSignedText(callback: FakeSignedCallback): string {
  const query = new URLSearchParams(callback.url.search);
  query.sort();
  const { hostname, pathname } = callback.url;
  return [String(callback.timestamp), callback.accountId, callback.method.toUpperCase(), hostname, pathname, query.toString()].join('\n');
}

/** The `Dintero-Signature` header of a callback: `t=<unix seconds>,v0-hmac-sha256=<lower-case hex>`. */
export function signCallback(secret: string, callback: FakeSignedCallback): string {
  const digest = createHmac('sha256', secret).update(callbackSignedText(callback)).digest('hex');
  return `t=${callback.timestamp},v0-hmac-sha256=${digest}`;
}

/** The `event-signature` header of a webhook delivery: HMAC-SHA1 of the exact body bytes, lower-case hex. */
export function signWebhookBody(secret: string, body: string | Uint8Array): string {
  return createHmac('sha1', secret).update(body).digest('hex');
}
