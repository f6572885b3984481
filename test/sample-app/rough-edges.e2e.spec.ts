import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { payOnFakeCheckout, settled, useSampleApp } from './sample-app.harness.js';

const sample = useSampleApp();

describe("the sample app's rough edges, smoothed", () => {
  it('an unknown transaction on the return page is the page with the error, not raw JSON', async () => {
    const answer = await request(sample.server)
      .get('/payments/return?transaction_id=T12345678.doesnotexist&merchant_reference=order-x')
      .expect(404);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.text).toContain('<h1>No payment</h1>');
    expect(answer.text).toContain('Dintero knows no transaction T12345678.doesnotexist.');
  });

  it('deeply nested JSON is a 400, not a stack overflow', async () => {
    const depth = 40_000;
    const body = `{"amount":100,"currency":"NOK","items":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const answer = await request(sample.server).post('/payments').set('Content-Type', 'application/json').send(body).expect(400);
    expect(answer.body.message).toBe('body: nested deeper than 8 levels');
  });

  it('a body that is not JSON is a 415, before any field is looked at', async () => {
    const before = sample.fake.apiRequests.length;
    const answer = await request(sample.server).post('/payments').set('Content-Type', 'text/plain').send('amount=100').expect(415);
    expect(answer.body.message).toBe('Send JSON (Content-Type: application/json), not text/plain');
    await request(sample.server).post('/payments').type('form').send({ amount: 100 }).expect(415);
    expect(sample.fake.apiRequests.length).toBe(before);
  });

  it('serves a favicon, and every page points at it', async () => {
    const icon = await request(sample.server).get('/favicon.svg').expect(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect((await request(sample.server).get('/').expect(200)).text).toContain('href="/favicon.svg"');
    expect((await request(sample.server).get('/payments/return?error=cancelled').expect(200)).text).toContain('href="/favicon.svg"');
  });

  it('a zero-decimal currency is sent to Dintero as it is, and shown without dividing by 100 on the return page', async () => {
    const created = await request(sample.server).post('/payments').send({ amount: 1_200, currency: 'JPY' }).expect(201);
    const sent = JSON.parse(sample.fake.apiRequests.at(-1)!.body) as { order: Record<string, unknown> };
    expect(sent.order).toMatchObject({ amount: 1_200, currency: 'JPY', items: [expect.objectContaining({ quantity: 1, amount: 1_200 })] });
    const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay');
    const back = await request(sample.server).get(`/payments/return${returnUrl.search}`).expect(200);
    expect(back.text).toContain('<dd id="amount">1200 JPY</dd>');
    await settled(sample);
  });

  it('nothing left to capture or refund disables those buttons', async () => {
    const created = await request(sample.server).post('/payments').send({ amount: 5_000, currency: 'NOK' }).expect(201);
    const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay');
    const transactionId = returnUrl.searchParams.get('transaction_id')!;
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(200);
    const page = (await request(sample.server).get(`/payments/return${returnUrl.search}`).expect(200)).text;
    expect(page).toContain('<button id="capture" disabled>');
    expect(page).toContain('<button id="refund">');
    await request(sample.server).post(`/payments/${transactionId}/refund`).send({ all: true }).expect(200);
    const refunded = (await request(sample.server).get(`/payments/return${returnUrl.search}`).expect(200)).text;
    expect(refunded).toContain('<h1>Payment refunded</h1>');
    expect(refunded).toContain('<button id="refund" disabled>');
    await settled(sample);
  });
});
