import { createHmac, timingSafeEqual } from 'node:crypto';
import { hmacKeys } from './hmac-keys.js';
import { type DinteroInboundRequest, readHeader, refused } from './inbound-request.js';

/** How to check a webhook delivery. */
export interface DinteroWebhookVerifyOptions {
  /** The `config.secret` of the webhook subscription, current first; several during a rotation. */
  readonly secrets: readonly string[];
}

/** What a verified delivery proved. */
export interface DinteroVerifiedWebhook {
  /** The `event-delivery` id: one per delivery, kept by Dintero's retries of it. */
  readonly deliveryId: string;
  /** The `event` type, e.g. `checkout_transaction`. */
  readonly event: string;
}

/** Dintero's delivery ids are GUIDs; anything of this shape is taken, nothing longer. */
const DELIVERY_ID = /^[0-9A-Za-z-]{1,64}$/;
const EVENT = /^[0-9A-Za-z_.-]{1,64}$/;

/**
 * Checks a webhook delivery: `event-signature` is the HMAC-SHA1 (hex) of the raw body bytes,
 * keyed with the subscription's secret. Only the exact bytes received will do: a body parsed and
 * serialized again may differ by a space. Returns what it proved, or throws
 * {@link DinteroSignatureError}. Deliveries carry no time: the guards refuse a delivery id seen before.
 */
export function verifyDinteroWebhook(request: DinteroInboundRequest, options: DinteroWebhookVerifyOptions): DinteroVerifiedWebhook {
  const keys = hmacKeys(options.secrets, 'webhook');
  const signature = readHeader(request, 'event-signature');
  const deliveryId = readHeader(request, 'event-delivery');
  const event = readHeader(request, 'event');
  if (signature === undefined || deliveryId === undefined || event === undefined) {
    throw refused('missing', 'a webhook delivery needs the event, event-delivery and event-signature headers');
  }
  if (!/^[0-9a-fA-F]{40}$/.test(signature)) throw refused('malformed', 'the event-signature is not 40 hexadecimal digits');
  if (!DELIVERY_ID.test(deliveryId) || !EVENT.test(event)) throw refused('malformed', 'the event or event-delivery header is not an id');
  const body = request.rawBody;
  if (!Buffer.isBuffer(body)) {
    throw refused('unconfigured', 'the raw body is not available: create the app with NestFactory.create(AppModule, { rawBody: true })');
  }
  const given = Buffer.from(signature, 'hex');
  if (!keys.some((key) => timingSafeEqual(createHmac('sha1', key).update(body).digest(), given)))
    throw refused('mismatch', 'the signature does not match the body with any configured secret');
  return { deliveryId, event };
}
