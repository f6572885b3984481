import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { callbackSignature, DEMO_CART, payOnFakeCheckout, settled, useSampleApp } from './sample-app.harness.js';

const sample = useSampleApp();

const cart = DEMO_CART;

/** Creates a payment and plays the payer, who then closes the tab: the return redirect is never followed. */
async function payAndCloseTab(
  button: 'pay' | 'cancel' = 'pay',
  outcome?: string,
): Promise<{ merchantReference: string; sessionId: string; returnUrl: URL }> {
  const created = await request(sample.server).post('/payments').send(cart).expect(201);
  const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, button, outcome ? { outcome } : {});
  await settled(sample);
  return { merchantReference: created.body.merchantReference as string, sessionId: created.body.sessionId as string, returnUrl };
}

/** A GET of `pathAndQuery` as Dintero sends it: signed with the fake's secret, `secondsLater` after now. */
const signedGet = (pathAndQuery: string, secondsLater = 0) =>
  request(sample.server)
    .get(pathAndQuery)
    .set('Dintero-Signature', callbackSignature(sample, pathAndQuery, { at: Date.now() + secondsLater * 1000 }));

const order = async (merchantReference: string): Promise<Record<string, unknown>> =>
  (await request(sample.server).get(`/payments/orders/${merchantReference}`).expect(200)).body as Record<string, unknown>;

describe('callbacks from the fake, as Dintero sends them', () => {
  it('the session asks for callbacks on errors and on capture, refund and void', async () => {
    await request(sample.server).post('/payments').send(cart).expect(201);
    const sent = JSON.parse(sample.fake.apiRequests.at(-1)!.body) as { url: { callback_url: string } };
    const url = new URL(sent.url.callback_url);
    expect(`${url.origin}${url.pathname}`).toBe(`${sample.origin}/payments/callback`);
    expect(url.searchParams.get('report_error')).toBe('true');
    expect(url.searchParams.getAll('report_event')).toEqual(['CAPTURE', 'REFUND', 'VOID']);
  });

  it('a payer who closes the tab still ends with an authorized order, without the redirect: a signed callback', async () => {
    const before = sample.fake.callbacks.attempts.length;
    const { merchantReference, sessionId, returnUrl } = await payAndCloseTab();
    const transactionId = returnUrl.searchParams.get('transaction_id');
    expect(await order(merchantReference)).toMatchObject({ status: 'AUTHORIZED', transactionId });

    const [attempt] = sample.fake.callbacks.attempts.slice(before);
    expect(attempt).toMatchObject({ method: 'GET', attempt: 1, status: 200, signature: expect.stringMatching(/^t=\d+,v0-hmac-sha256=/) });
    const query = new URL(attempt!.url).searchParams;
    expect(query.get('transaction_id')).toBe(transactionId);
    expect(query.get('merchant_reference')).toBe(merchantReference);
    expect(query.get('session_id')).toBe(sessionId);
    expect(new Date(query.get('time')!).toISOString()).toBe(query.get('time'));
  });

  it('the same callback twenty times records the same thing, and only reads from Dintero', async () => {
    const before = sample.fake.callbacks.attempts.length;
    const { merchantReference } = await payAndCloseTab();
    const callback = new URL(sample.fake.callbacks.attempts[before]!.url);
    const recorded = await order(merchantReference);
    const requests = sample.fake.apiRequests.length;
    // Signed anew each time, as Dintero signs each retry: a signature itself is accepted once.
    for (let i = 0; i < 20; i++) {
      const answer = await signedGet(`${callback.pathname}${callback.search}`, i + 1).expect(200);
      expect(answer.body).toEqual({ recorded: 'AUTHORIZED' });
    }
    expect(await order(merchantReference)).toEqual(recorded);
    const sent = sample.fake.apiRequests.slice(requests);
    expect(sent).toHaveLength(20);
    expect(sent.every((entry) => entry.method === 'GET' && entry.path.startsWith('/v1/transactions/'))).toBe(true);
  });

  it('never trusts the query, even signed: the status recorded is what Dintero answers', async () => {
    const { merchantReference, returnUrl } = await payAndCloseTab();
    const transactionId = returnUrl.searchParams.get('transaction_id')!;
    const other = await payAndCloseTab('cancel');
    const query = (fields: Record<string, string>) => `/payments/callback?${new URLSearchParams(fields).toString()}`;

    // A callback with a real transaction id, another order's reference, an error it did not have.
    const odd = query({ transaction_id: transactionId, merchant_reference: other.merchantReference, error: 'failed' });
    await request(sample.server).get(odd).expect(401);
    await signedGet(odd).expect(200);
    expect(await order(merchantReference)).toMatchObject({ status: 'AUTHORIZED', transactionId });
    expect(await order(other.merchantReference)).toMatchObject({ status: 'CANCELLED' });

    // An id Dintero does not know is a 4xx (Dintero stops retrying), and nothing is recorded.
    const unknown = query({ transaction_id: 'T12345678.forged', merchant_reference: merchantReference });
    await request(sample.server).get(unknown).expect(401);
    await signedGet(unknown).expect(404);
    const traversal = query({ transaction_id: '../../sessions-profile', merchant_reference: merchantReference, session_id: 'T12345678.x' });
    await request(sample.server).get(traversal).expect(401);
    await signedGet(traversal).expect(400);
    expect(await order(merchantReference)).toMatchObject({ status: 'AUTHORIZED', transactionId });
  });

  it('a cancelled checkout is reported (report_error) without a transaction: the session read confirms it', async () => {
    const before = sample.fake.callbacks.attempts.length;
    const { merchantReference } = await payAndCloseTab('cancel');
    const query = new URL(sample.fake.callbacks.attempts[before]!.url).searchParams;
    expect(query.get('error')).toBe('cancelled');
    expect(query.has('transaction_id')).toBe(false);
    expect(await order(merchantReference)).toMatchObject({ status: 'CANCELLED' });
  });

  it('a declined payment is reported with error=authorization and recorded as DECLINED', async () => {
    const before = sample.fake.callbacks.attempts.length;
    const { merchantReference, returnUrl } = await payAndCloseTab('pay', 'DECLINED');
    expect(returnUrl.searchParams.get('error')).toBe('authorization');
    expect(new URL(sample.fake.callbacks.attempts[before]!.url).searchParams.get('error')).toBe('authorization');
    expect(await order(merchantReference)).toMatchObject({ status: 'DECLINED' });
  });

  it('ON_HOLD, then a second callback when Dintero decides', async () => {
    const before = sample.fake.callbacks.attempts.length;
    const { merchantReference, returnUrl } = await payAndCloseTab('pay', 'ON_HOLD');
    const transactionId = returnUrl.searchParams.get('transaction_id')!;
    expect(await order(merchantReference)).toMatchObject({ status: 'ON_HOLD' });
    const page = await request(sample.server).get(`/payments/return${returnUrl.search}`).expect(200);
    expect(page.text).toContain('<h1>Payment on hold</h1>');
    expect(page.text).not.toContain('Payment authorized');
    expect(page.text).toMatch(/<button id="capture" disabled>/);

    sample.fake.checkout.settle(transactionId, 'AUTHORIZED');
    await settled(sample);
    expect(sample.fake.callbacks.attempts.slice(before)).toHaveLength(2);
    expect(await order(merchantReference)).toMatchObject({ status: 'AUTHORIZED' });
  });

  it('a capture and a refund made at Dintero are reported (report_event): each callback is answered, read back and recorded', async () => {
    const { merchantReference, returnUrl } = await payAndCloseTab();
    const transactionId = returnUrl.searchParams.get('transaction_id')!;
    const [before, deliveriesBefore, requests] = [
      sample.fake.callbacks.attempts.length,
      sample.fake.webhooks.attempts.length,
      sample.fake.apiRequests.length,
    ];
    // Made at Dintero, not through the app: only the callbacks (and webhooks) can tell the app about them.
    sample.fake.checkout.capture(transactionId, { amount: cart.amount });
    sample.fake.checkout.refund(transactionId, { amount: 4_900 });
    await settled(sample);
    const attempts = sample.fake.callbacks.attempts.slice(before);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.map((attempt) => attempt.status)).toEqual(attempts.map(() => 200));
    const deliveries = sample.fake.webhooks.attempts.slice(deliveriesBefore);
    expect(deliveries.map((delivery) => [delivery.event, delivery.status])).toEqual(deliveries.map(() => ['checkout_transaction', 200]));
    // One read for each callback and each webhook delivery, nothing else.
    const reads = sample.fake.apiRequests.slice(requests).map((entry) => `${entry.method} ${entry.path}`);
    expect(reads).toEqual([...attempts, ...deliveries].map(() => `GET /v1/transactions/${transactionId}`));
    expect(await order(merchantReference)).toMatchObject({ status: 'PARTIALLY_REFUNDED' });
  });

  it('answers 502 while Dintero cannot be asked, so that Dintero retries', async () => {
    const { returnUrl } = await payAndCloseTab();
    sample.fake.injectApiFault(503, 1);
    await signedGet(`/payments/callback${returnUrl.search}`, 1).expect(502);
    await signedGet(`/payments/callback${returnUrl.search}`, 2).expect(200);
  });
});
