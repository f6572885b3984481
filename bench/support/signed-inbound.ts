import { createHmac, randomUUID } from 'node:crypto';
import type { DinteroInboundRequest } from 'nestjs-dintero-auth';

/** A request as Dintero sends it, and the exact bytes its signature covers (what a bare HMAC hashes). */
export interface SignedInbound {
  readonly request: DinteroInboundRequest;
  readonly signed: string | Buffer;
}

/**
 * The callback Dintero sends after an authorization, signed at `t` (unix seconds): the merchant's
 * `callback_url` with Dintero's parameters appended, unsorted as received. `n` makes it unique.
 */
export function signedCallback(secret: string, accountId: string, publicUrl: string, t: number, n: number): SignedInbound {
  const path = '/payments/callback';
  const query = new URLSearchParams({
    order: `order-${n}`,
    transaction_id: `${accountId}.5ZkE${n.toString(36).padStart(16, '0')}`,
    merchant_reference: `order-${n}`,
    session_id: `${accountId}.5ZkD${n.toString(36).padStart(16, '0')}`,
    time: new Date(t * 1000).toISOString(),
  });
  const sorted = new URLSearchParams(query);
  sorted.sort();
  const { hostname } = new URL(publicUrl);
  const signed = [t, accountId, 'GET', hostname, path, sorted.toString()].join('\n');
  const signature = createHmac('sha256', secret).update(signed).digest('hex');
  return {
    request: {
      method: 'GET',
      url: `${path}?${query.toString()}`,
      headers: {
        host: hostname,
        'user-agent': 'Dintero',
        accept: '*/*',
        'dintero-signature': `t=${t},v0-hmac-sha256=${signature}`,
      },
    },
    signed,
  };
}

/** A `checkout_transaction` delivery with a transaction of two items, about 2 KiB as Dintero serializes it. */
export function signedWebhook(secret: string, accountId: string): SignedInbound {
  const deliveryId = randomUUID();
  const item = (line: number, amount: number) => ({
    id: `sku-${line}`,
    line_id: String(line),
    description: `Item ${line}, a product with a longer name`,
    quantity: 1,
    amount,
    vat_amount: amount / 5,
    vat: 25,
  });
  const body = Buffer.from(
    JSON.stringify({
      account_id: accountId,
      event: 'checkout_transaction',
      event_delivery: deliveryId,
      transaction: {
        id: `${accountId}.5ZkE0000000000000001`,
        session_id: `${accountId}.5ZkD0000000000000001`,
        merchant_reference: 'order-1042',
        status: 'AUTHORIZED',
        amount: 29_900,
        currency: 'NOK',
        payment_product: 'vipps',
        payment_product_type: 'vipps',
        created_at: '2026-11-29T12:00:00.000Z',
        updated_at: '2026-11-29T12:00:05.000Z',
        items: [item(1, 19_900), item(2, 10_000)],
        shipping_address: {
          first_name: 'Kari',
          last_name: 'Nordmann',
          address_line: 'Storgata 1',
          postal_code: '0155',
          postal_place: 'Oslo',
          country: 'NO',
          phone_number: '+4799999999',
          email: 'kari@example.com',
        },
        billing_address: {
          first_name: 'Kari',
          last_name: 'Nordmann',
          address_line: 'Storgata 1',
          postal_code: '0155',
          postal_place: 'Oslo',
          country: 'NO',
        },
        url: { return_url: 'https://shop.example.com/return', callback_url: 'https://shop.example.com/payments/callback' },
        events: [
          { id: 'e1', event: 'INITIALIZE', success: true, amount: 29_900, created_at: '2026-11-29T12:00:00.000Z' },
          { id: 'e2', event: 'AUTHORIZE', success: true, amount: 29_900, created_at: '2026-11-29T12:00:05.000Z' },
        ],
        metadata: { 'session:customer_id': 'customer-77' },
      },
    }),
  );
  return {
    request: {
      method: 'POST',
      url: '/hooks/dintero',
      headers: {
        host: 'shop.example.com',
        'user-agent': 'Dintero-Hook',
        'content-type': 'application/json',
        event: 'checkout_transaction',
        'event-delivery': deliveryId,
        'event-signature': createHmac('sha1', secret).update(body).digest('hex'),
      },
      rawBody: body,
    },
    signed: body,
  };
}
