import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DEMO_CART, payOnFakeCheckout, settled, useSampleApp } from './sample-app.harness.js';

const sample = useSampleApp();

const AMOUNT = 'amount must be an integer: minor units (4900 is 49.00 NOK), from 1 to 2147483647';

describe('messages a shopper (and a client developer) can act on (issue 25.6)', () => {
  it.each([
    ['null', null],
    ['an array', [4_900]],
    ['a string', '4900'],
    ['a fraction', 49.5],
    ['zero', 0],
  ])('an amount that is %s gets one clear message, as a string', async (_what, amount) => {
    const answer = await request(sample.server).post('/payments').send({ amount, currency: 'NOK' }).expect(400);
    expect(answer.body).toEqual({ statusCode: 400, error: 'Bad Request', message: AMOUNT });
  });

  it('two bad fields give one string naming each once', async () => {
    const answer = await request(sample.server).post('/payments').send({ amount: null, currency: 'kr' }).expect(400);
    expect(answer.body.message).toBe(`${AMOUNT}; currency must be an ISO 4217 code such as NOK`);
  });

  it('a body over the limit is a 413 in the shape of every other error, in plain words', async () => {
    const huge = JSON.stringify({ ...DEMO_CART, note: 'x'.repeat(200_000) });
    const answer = await request(sample.server).post('/payments').set('Content-Type', 'application/json').send(huge).expect(413);
    expect(answer.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'The request body is too large (at most 100 kB).',
    });
    const other = await request(sample.server).post('/payments').send({ amount: 1 }).expect(400);
    expect(Object.keys(answer.body).sort()).toEqual(Object.keys(other.body).sort());
  });

  it('a line with nothing left names the line in words, not the API field', async () => {
    const created = await request(sample.server).post('/payments').send(DEMO_CART).expect(201);
    const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay');
    const transactionId = returnUrl.searchParams.get('transaction_id')!;
    await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['1'] })
      .expect(200);
    const again = await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['1'] })
      .expect(400);
    expect(again.body.message).toBe('Wool socks has nothing left to capture.');
    expect(again.body.message).not.toMatch(/lineIds|line_id/);
    await settled(sample);
  });
});
