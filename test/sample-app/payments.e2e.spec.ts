import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DEMO_CART, payOnFakeCheckout, settled, useSampleApp } from './sample-app.harness.js';

const sample = useSampleApp();

const cart = DEMO_CART;

async function authorizedPayment(): Promise<string> {
  const created = await request(sample.server).post('/payments').send(cart).expect(201);
  const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay');
  // The authorization's callback and webhook read the transaction too: let them land before counting requests.
  await settled(sample);
  return returnUrl.searchParams.get('transaction_id')!;
}

describe('the payment round trip on the fake', () => {
  it('create -> pay on the hosted page -> return -> capture -> refund', async () => {
    const created = await request(sample.server).post('/payments').send(cart).expect(201);
    expect(created.body).toMatchObject({ sessionId: expect.any(String), merchantReference: expect.any(String) });
    // The session id is the one Dintero gave the session the app created for this order.
    expect(sample.fake.checkout.session(created.body.sessionId)?.order).toMatchObject({
      merchant_reference: created.body.merchantReference,
    });
    const sessionCall = sample.fake.apiRequests.at(-1)!;
    expect(sessionCall.headers['dintero-feature-toggles']).toBe('strict-session-amounts');
    const sent = JSON.parse(sessionCall.body) as Record<string, any>;
    expect(sent).toMatchObject({
      profile_id: 'default',
      url: { return_url: `${sample.origin}/payments/return` },
      order: { amount: 34_700, currency: 'NOK', merchant_reference: created.body.merchantReference, vat_amount: 6_940 },
    });
    expect(sent.order.items).toEqual([
      { line_id: '1', description: 'Wool socks', quantity: 2, amount: 29_800, vat: 25, vat_amount: 5_960 },
      { line_id: '2', description: 'Gift wrapping', quantity: 1, amount: 4_900, vat: 25, vat_amount: 980 },
    ]);

    const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay');
    expect(returnUrl.pathname).toBe('/payments/return');
    expect(returnUrl.searchParams.get('merchant_reference')).toBe(created.body.merchantReference);
    const transactionId = returnUrl.searchParams.get('transaction_id')!;

    const back = await request(sample.server).get(`/payments/return${returnUrl.search}`).expect(200);
    expect(back.headers['content-type']).toMatch(/text\/html/);
    expect(back.text).toContain('Payment authorized');
    expect(back.text).toContain('<dd id="status">AUTHORIZED</dd>');

    const partial = await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['2'] })
      .expect(200);
    expect(partial.body).toMatchObject({ status: 'PARTIALLY_CAPTURED', captured: 4_900 });
    const rest = await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(200);
    expect(rest.body).toMatchObject({ status: 'CAPTURED', captured: 34_700 });

    const refund = await request(sample.server).post(`/payments/${transactionId}/refund`).send({ amount: 4_900 }).expect(200);
    expect(refund.body).toMatchObject({ status: 'PARTIALLY_REFUNDED', refunded: 4_900 });
    const all = await request(sample.server).post(`/payments/${transactionId}/refund`).send({ all: true }).expect(200);
    expect(all.body).toMatchObject({ status: 'REFUNDED', refunded: 34_700 });

    const fetched = await request(sample.server).get(`/payments/${transactionId}`).expect(200);
    expect(fetched.body).toEqual({
      transactionId,
      status: 'REFUNDED',
      amount: 34_700,
      currency: 'NOK',
      merchantReference: created.body.merchantReference,
      captured: 34_700,
      refunded: 34_700,
      lines: [
        { lineId: '1', description: 'Wool socks', quantity: 2, amount: 29_800, captured: 29_800, refunded: 29_800 },
        { lineId: '2', description: 'Gift wrapping', quantity: 1, amount: 4_900, captured: 4_900, refunded: 4_900 },
      ],
      allowed: { capture: false, refund: false, void: false },
    });
  });

  it('a cancelled checkout comes back as cancelled', async () => {
    const created = await request(sample.server).post('/payments').send(cart).expect(201);
    const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'cancel');
    expect(returnUrl.searchParams.get('error')).toBe('cancelled');
    const back = await request(sample.server).get(`/payments/return${returnUrl.search}`).expect(200);
    expect(back.text).toContain('You cancelled the payment.');
  });
});

describe('amount checks', () => {
  it('refuses to capture more than is authorized, or to refund more than is captured, before asking Dintero', async () => {
    const transactionId = await authorizedPayment();
    const before = sample.fake.apiRequests.length;
    const refund = await request(sample.server).post(`/payments/${transactionId}/refund`).send({ amount: 100 }).expect(409);
    expect(refund.body.message).toBe('Cannot refund: nothing is captured (the payment is AUTHORIZED)');
    const capture = await request(sample.server).post(`/payments/${transactionId}/capture`).send({ amount: 34_701 }).expect(400);
    expect(capture.body.message).toMatch(/^amount: 34701 exceeds the 34700 still authorized/);
    // Only the reads that the checks needed reached Dintero: no capture or refund.
    expect(sample.fake.apiRequests.slice(before).map((entry) => entry.method)).toEqual(['GET', 'GET']);

    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ amount: 29_800 }).expect(200);
    const tooMuch = await request(sample.server).post(`/payments/${transactionId}/refund`).send({ amount: 29_801 }).expect(400);
    expect(tooMuch.body.message).toMatch(/exceeds the 29800 captured/);
  });

  it('a fully captured payment cannot be captured again', async () => {
    const transactionId = await authorizedPayment();
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(200);
    const again = await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(409);
    expect(again.body.message).toBe('Cannot capture: the payment is CAPTURED');
  });
});

describe('input validation', () => {
  it.each([
    ['amount', { ...cart, amount: '100' }, /amount must be an integer/],
    ['amount', { ...cart, amount: 0 }, /amount must be an integer: minor units/],
    ['currency', { ...cart, currency: 'kr' }, /currency must be an ISO 4217 code/],
    ['currency (three letters, not ISO 4217)', { ...cart, currency: 'XYZ' }, /currency must be an ISO 4217 code/],
    ['items.0.vat', { ...cart, items: [{ ...cart.items[0], vat: 'high' }, cart.items[1]] }, /items\.0\.vat must be a number/],
    ['items', { ...cart, amount: 1_000 }, /items: line amounts add up to 34700, not to amount 1000/],
    ['an unknown field', { ...cart, discount: 5 }, /property discount should not exist/],
  ])('a bad %s gets a 400 naming it, and nothing reaches Dintero', async (_field, body, message) => {
    const before = sample.fake.apiRequests.length;
    const answer = await request(sample.server).post('/payments').send(body).expect(400);
    expect(JSON.stringify(answer.body.message)).toMatch(message);
    expect(sample.fake.apiRequests.length).toBe(before);
  });

  it('a bad amount on capture gets a 400', async () => {
    const answer = await request(sample.server).post('/payments/T12345678.abc/capture').send({ amount: 1.5 }).expect(400);
    expect(JSON.stringify(answer.body.message)).toMatch(/amount must be an integer/);
  });
});

describe("Dintero's errors", () => {
  it("an unknown transaction is a 404 carrying Dintero's code and message", async () => {
    sample.fake.injectApiFault(404, 1, 'some_code', 'Some message');
    const answer = await request(sample.server).get('/payments/T12345678.doesnotexist').expect(404);
    expect(answer.body).toMatchObject({ statusCode: 404, dintero: { status: 404, code: 'some_code', message: 'Some message' } });
  });

  it('a Dintero failure is a 502 with its status, code and message, and no stack trace', async () => {
    sample.fake.injectApiFault(500, 1, 'internal_error', 'Something broke at Dintero');
    const answer = await request(sample.server).post('/payments').send(cart).expect(502);
    expect(answer.body).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message: 'Dintero answered 500',
      dintero: { status: 500, code: 'internal_error', message: 'Something broke at Dintero' },
    });
    expect(answer.text).not.toMatch(/at \w+ \(/);
  });

  it('no token is a 503, and nothing is sent', async () => {
    const tokens = (await import('../../lib/index.js')).DinteroTokenService;
    sample.app.get(tokens).invalidate();
    sample.fake.injectTokenFault({ type: 'status', status: 401, code: 'invalid_client' });
    const before = sample.fake.apiRequests.length;
    const answer = await request(sample.server).post('/payments').send(cart).expect(503);
    expect(answer.body).toMatchObject({ statusCode: 503, code: 'DINTERO_TOKEN_REQUEST' });
    expect(sample.fake.apiRequests.length).toBe(before);
  });
});

describe('the status endpoint and the page', () => {
  it('/auth/status shows token health but never the token', async () => {
    const tokens = sample.app.get((await import('../../lib/index.js')).DinteroTokenService);
    const token = await tokens.getToken();
    const answer = await request(sample.server).get('/auth/status').expect(200);
    expect(answer.body).toMatchObject({ healthy: true, token: { fingerprint: token.fingerprint }, consecutiveFailures: 0 });
    const secondsLeft = (token.expiresAt.getTime() - Date.now()) / 1000;
    expect(Math.abs(answer.body.token.expiresInSeconds - secondsLeft)).toBeLessThanOrEqual(2);
    expect(answer.text).not.toContain(token.accessToken);
  });

  it('/health is up while a token is held', async () => {
    const answer = await request(sample.server).get('/health').expect(200);
    expect(answer.body.info.dintero).toMatchObject({ status: 'up' });
  });

  it('serves the shop page and its scripts', async () => {
    const page = await request(sample.server).get('/').expect(200);
    expect(page.text).toContain('Pay with Dintero');
    await request(sample.server).get('/shop.js').expect(200);
    await request(sample.server).get('/return.js').expect(200);
  });
});
