import { createHmac } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT } from '../../lib/fake-dintero/index.js';
import { FAKE_WEBHOOK_SECRET } from '../../sample-app/src/dev/fake-dintero.module.js';
import { DEMO_CART, payOnFakeCheckout, settled, useSampleApp, withoutWebhooks } from './sample-app.harness.js';

const sample = useSampleApp();

const orderOf = async (merchantReference: string) =>
  (await request(sample.server).get(`/payments/orders/${merchantReference}`).expect(200)).body as Record<string, unknown>;

/** Creates a payment and pays it; the payer closes the tab. Its order reference and transaction id, Dintero's calls landed. */
async function paid(): Promise<{ merchantReference: string; transactionId: string }> {
  const created = await request(sample.server).post('/payments').send(DEMO_CART).expect(201);
  const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay');
  await settled(sample);
  return { merchantReference: created.body.merchantReference as string, transactionId: returnUrl.searchParams.get('transaction_id')! };
}

const readsOf = (transactionId: string, since: number) =>
  sample.fake.apiRequests.slice(since).filter((entry) => entry.method === 'GET' && entry.path === `/v1/transactions/${transactionId}`);

describe("the sample app's webhook route (POST /payments/webhook, DinteroWebhookGuard)", () => {
  it('in development the fake subscribes it to checkout_transaction, with a secret, once the app listens: its ping is answered at once', async () => {
    await settled(sample);
    expect(sample.fake.webhooks.subscriptionsOf(FAKE_DINTERO_CLIENT.accountId)).toEqual([
      expect.objectContaining({
        config: expect.objectContaining({ url: `${sample.origin}/payments/webhook`, secret: { type: 'HMAC-SHA1' } }),
        events: ['checkout_transaction'],
      }),
    ]);
    const [ping, ...others] = sample.fake.webhooks.attempts;
    expect(others).toEqual([]);
    expect(ping).toMatchObject({ event: 'ping', attempt: 1, status: 200 });
  });

  it('a payment is told by both paths, each once: one signed callback, one delivery, one read each, the order recorded', async () => {
    const [callbacks, deliveries, requests] = [
      sample.fake.callbacks.attempts.length,
      sample.fake.webhooks.attempts.length,
      sample.fake.apiRequests.length,
    ];
    const { merchantReference, transactionId } = await paid();
    expect(sample.fake.callbacks.attempts.slice(callbacks).map((attempt) => attempt.status)).toEqual([200]);
    expect(sample.fake.webhooks.attempts.slice(deliveries).map((attempt) => [attempt.event, attempt.status])).toEqual([
      ['checkout_transaction', 200],
    ]);
    expect(readsOf(transactionId, requests)).toHaveLength(2);
    expect(await orderOf(merchantReference)).toMatchObject({ status: 'AUTHORIZED', transactionId });
  });

  it('a delivery sent again is answered 200 without being handled again: nothing is read, nothing changes', async () => {
    const deliveries = sample.fake.webhooks.attempts.length;
    const { merchantReference, transactionId } = await paid();
    const delivery = sample.fake.webhooks.attempts.slice(deliveries).find((attempt) => attempt.event === 'checkout_transaction')!;
    const recorded = await orderOf(merchantReference);
    const requests = sample.fake.apiRequests.length;

    const again = await request(sample.server).post('/payments/webhook').set(delivery.headers).send(delivery.body).expect(200);
    expect(again.body).toEqual({ status: 'already handled' });
    expect(readsOf(transactionId, requests)).toEqual([]);
    expect(await orderOf(merchantReference)).toEqual(recorded);
  });

  it('a delivery not signed with the subscription secret gets 401, and nothing is read or recorded', async () => {
    const deliveries = sample.fake.webhooks.attempts.length;
    const { merchantReference, transactionId } = await paid();
    const delivery = sample.fake.webhooks.attempts.slice(deliveries).find((attempt) => attempt.event === 'checkout_transaction')!;
    const recorded = await orderOf(merchantReference);
    const requests = sample.fake.apiRequests.length;
    const fresh = { ...delivery.headers, 'event-delivery': '7c4d7a43-0000-4000-8000-000000000001' };
    const unsigned = Object.fromEntries(Object.entries(fresh).filter(([name]) => name !== 'event-signature'));
    const changed = delivery.body.replace('"AUTHORIZED"', '"CAPTURED"');

    for (const [headers, body] of [
      [unsigned, delivery.body],
      [{ ...fresh, 'event-signature': createHmac('sha1', 'not-the-secret').update(delivery.body).digest('hex') }, delivery.body],
      [fresh, changed],
    ] as const) {
      const answer = await request(sample.server).post('/payments/webhook').set(headers).send(body);
      expect([answer.status, answer.body]).toEqual([401, { message: 'Unauthorized', statusCode: 401 }]);
    }
    expect(readsOf(transactionId, requests)).toEqual([]);
    expect(await orderOf(merchantReference)).toEqual(recorded);
    // Signed with the subscription's secret, the same delivery id goes through.
    const signed = { ...fresh, 'event-signature': createHmac('sha1', FAKE_WEBHOOK_SECRET).update(delivery.body).digest('hex') };
    await request(sample.server).post('/payments/webhook').set(signed).send(delivery.body).expect(200, { recorded: 'AUTHORIZED' });
  });

  it('either path alone records the order: the webhook when callbacks are refused, the callback when there is no subscription', async () => {
    const current = sample.fake.callbacks.signatureSecret;
    sample.fake.callbacks.signatureSecret = 'not the one the app knows';
    try {
      const callbacks = sample.fake.callbacks.attempts.length;
      const { merchantReference, transactionId } = await paid();
      expect(sample.fake.callbacks.attempts.slice(callbacks).map((attempt) => attempt.status)).toEqual([401]);
      expect(await orderOf(merchantReference)).toMatchObject({ status: 'AUTHORIZED', transactionId });
    } finally {
      sample.fake.callbacks.signatureSecret = current;
    }

    await withoutWebhooks(sample, async () => {
      const deliveries = sample.fake.webhooks.attempts.length;
      const { merchantReference, transactionId } = await paid();
      expect(sample.fake.webhooks.attempts.slice(deliveries)).toEqual([]);
      expect(await orderOf(merchantReference)).toMatchObject({ status: 'AUTHORIZED', transactionId });
    });
  });

  it('a capture made at Dintero reaches the order through the webhook too', async () => {
    const current = sample.fake.callbacks.signatureSecret;
    const { merchantReference, transactionId } = await paid();
    sample.fake.callbacks.signatureSecret = 'not the one the app knows';
    try {
      sample.fake.checkout.capture(transactionId, { amount: DEMO_CART.amount });
      await settled(sample);
      expect(await orderOf(merchantReference)).toMatchObject({ status: 'CAPTURED' });
    } finally {
      sample.fake.callbacks.signatureSecret = current;
    }
  });
});
