import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_CART, payOnFakeCheckout, settled, useSampleApp } from './sample-app.harness.js';

// Issue 26: what the sample offers after a payment, as Dintero allows it.
const sample = useSampleApp();

afterEach(() => {
  vi.useRealTimers();
});

/** An authorized payment of the demo cart (lines 1: 29800, 2: 4900) with `product`. */
async function authorized(product?: string): Promise<{ transactionId: string; merchantReference: string; checkoutUrl: string }> {
  const created = await request(sample.server).post('/payments').send(DEMO_CART).expect(201);
  const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay', product ? { product } : {});
  await settled(sample);
  return {
    transactionId: returnUrl.searchParams.get('transaction_id')!,
    merchantReference: created.body.merchantReference as string,
    checkoutUrl: created.body.checkoutUrl as string,
  };
}

describe('capture of the rest after a partial refund', () => {
  it('is offered and done: PARTIALLY_CAPTURED_REFUNDED, then everything captured', async () => {
    const { transactionId } = await authorized();
    await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['1'] })
      .expect(200);
    const refunded = await request(sample.server).post(`/payments/${transactionId}/refund`).send({ amount: 1_000 }).expect(200);
    expect(refunded.body).toMatchObject({ status: 'PARTIALLY_CAPTURED_REFUNDED', allowed: { capture: true, refund: true, void: false } });
    const page = await request(sample.server).get(`/payments/return?transaction_id=${transactionId}`).expect(200);
    expect(page.text).toContain('<button id="capture">');

    const rest = await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(200);
    expect(rest.body).toMatchObject({ status: 'PARTIALLY_REFUNDED', captured: 34_700, refunded: 1_000, allowed: { capture: false } });
  });
});

describe('void of the rest after a partial capture', () => {
  it.each(['vipps', 'payex.creditcard', 'klarna.klarna'])('%s: offered, and releases the rest', async (product) => {
    const { transactionId } = await authorized(product);
    const partly = await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['1'] })
      .expect(200);
    expect(partly.body.allowed).toEqual({ capture: true, refund: true, void: true });
    const voided = await request(sample.server).post(`/payments/${transactionId}/void`).expect(200);
    expect(voided.body).toMatchObject({ status: 'CAPTURED', captured: 29_800, allowed: { capture: false, refund: true, void: false } });
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(409);
  });

  it('a card payment through Dintero (dintero_psp) cannot: refused before anything is sent', async () => {
    const { transactionId } = await authorized();
    await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['1'] })
      .expect(200);
    const before = sample.fake.apiRequests.length;
    const refused = await request(sample.server).post(`/payments/${transactionId}/void`).expect(409);
    expect(refused.body.message).toBe('Cannot void: the payment is PARTIALLY_CAPTURED');
    expect(sample.fake.apiRequests.slice(before).filter((entry) => entry.method === 'POST')).toEqual([]);
  });
});

describe('a 202 is done when its own event says so', () => {
  it('an accepted capture that Dintero then fails is reported failed, not done, and nothing is pending', async () => {
    const { transactionId } = await authorized();
    sample.fake.deferOperations();
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(202);
    // Meanwhile the authorization is voided at Dintero: the accepted capture can no longer complete.
    sample.fake.checkout.void(transactionId);
    expect(sample.fake.completeDeferredOperations()).toBe(1);
    await settled(sample);

    const payment = await request(sample.server).get(`/payments/${transactionId}`).expect(200);
    expect(payment.body.status).toBe('AUTHORIZATION_VOIDED');
    expect(payment.body.pending).toBeUndefined();
    expect(payment.body.failed).toEqual({
      operation: 'capture',
      message: 'Dintero could not complete the capture: Cannot capture a transaction that is AUTHORIZATION_VOIDED',
    });
    const page = await request(sample.server).get(`/payments/return?transaction_id=${transactionId}`).expect(200);
    expect(page.text).toContain('<p id="failed" class="error">Dintero could not complete the capture');
  });

  it('the INITIATE_CAPTURE that follows a 202 does not complete it', async () => {
    const { transactionId } = await authorized();
    sample.fake.deferOperations();
    const accepted = await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(202);
    const events = sample.fake.checkout.transaction(transactionId)!.events.map((event) => event.event);
    expect(events).toEqual(['AUTHORIZE', 'INITIATE_CAPTURE']);
    const payment = await request(sample.server).get(`/payments/${transactionId}`).expect(200);
    expect(payment.body.pending).toEqual({ operation: 'capture', requestId: accepted.body.pending.requestId });
    sample.fake.completeDeferredOperations();
    const done = await request(sample.server).get(`/payments/${transactionId}`).expect(200);
    expect(done.body).toMatchObject({ status: 'CAPTURED' });
    expect(done.body.pending).toBeUndefined();
    expect(done.body.failed).toBeUndefined();
  });
});

describe('session expiry', () => {
  it('the session is sent with expires_at; an order not paid by then is EXPIRED, and the page is gone', async () => {
    const created = await request(sample.server).post('/payments').send(DEMO_CART).expect(201);
    const sent = JSON.parse(sample.fake.apiRequests.at(-1)!.body) as { expires_at: string };
    const session = sample.fake.checkout.session(created.body.sessionId as string)!;
    expect(session.expires_at).toBe(sent.expires_at);
    const order = await request(sample.server).get(`/payments/orders/${created.body.merchantReference}`).expect(200);
    expect(order.body).toMatchObject({ status: 'CREATED', expiresAt: sent.expires_at });

    // Only the wall clock moves past expires_at; sockets keep real time.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(sent.expires_at) + 1_000);
    const expired = await request(sample.server).get(`/payments/orders/${created.body.merchantReference}`).expect(200);
    expect(expired.body.status).toBe('EXPIRED');
    expect((await fetch(created.body.checkoutUrl as string)).status).toBe(404);
  });
});
