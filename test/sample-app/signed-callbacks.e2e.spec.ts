import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { callbackSignature, DEMO_CART, payOnFakeCheckout, settled, useSampleApp, withoutWebhooks } from './sample-app.harness.js';

const sample = useSampleApp();

/** A paid order whose payer closed the tab: what the app recorded, and the fake's signed callback for it. */
async function paidAndCalledBack(): Promise<{ merchantReference: string; callback: { url: URL; signature: string } }> {
  const before = sample.fake.callbacks.attempts.length;
  const created = await request(sample.server).post('/payments').send(DEMO_CART).expect(201);
  await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay');
  await settled(sample);
  const [attempt, ...more] = sample.fake.callbacks.attempts.slice(before);
  expect(more).toEqual([]);
  return {
    merchantReference: created.body.merchantReference as string,
    callback: { url: new URL(attempt!.url), signature: attempt!.signature! },
  };
}

const orderOf = async (merchantReference: string) =>
  (await request(sample.server).get(`/payments/orders/${merchantReference}`).expect(200)).body as Record<string, unknown>;

describe("the sample app's callback route lets through only what Dintero signed", () => {
  it("the fake's signed callback is accepted once and records the order; sent again, it is refused and reads nothing", async () => {
    const { merchantReference, callback } = await paidAndCalledBack();
    expect(sample.fake.callbacks.attempts.at(-1)).toMatchObject({ status: 200, signature: callback.signature });
    const recorded = await orderOf(merchantReference);
    expect(recorded).toMatchObject({ status: 'AUTHORIZED' });

    const requests = sample.fake.apiRequests.length;
    const replayed = await request(sample.server)
      .get(`${callback.url.pathname}${callback.url.search}`)
      .set('Dintero-Signature', callback.signature)
      .expect(401);
    expect(replayed.body).toEqual({ message: 'Unauthorized', statusCode: 401 });
    expect(sample.fake.apiRequests).toHaveLength(requests);
    expect(await orderOf(merchantReference)).toEqual(recorded);
  });

  it('a spoofed callback gets the same 401, whatever is wrong with it, and the app neither reads nor records anything', async () => {
    const { merchantReference, callback } = await paidAndCalledBack();
    const recorded = await orderOf(merchantReference);
    // Signed anew by this test: the query of a genuine callback, changed where a spoofer would change it.
    const target = `${callback.url.pathname}${callback.url.search}`;
    const otherOrder = new URL(callback.url);
    otherOrder.searchParams.set('merchant_reference', 'order-someone-else');
    const now = Date.now();
    const spoofs: [string, Record<string, string>, string][] = [
      ['no signature', {}, target],
      ['a wrong secret', { 'Dintero-Signature': callbackSignature(sample, target, { secret: 'not-the-secret', at: now + 1_000 }) }, target],
      ['signed eleven minutes ago', { 'Dintero-Signature': callbackSignature(sample, target, { at: now - 660_000 }) }, target],
      ['signed for ten minutes from now', { 'Dintero-Signature': callbackSignature(sample, target, { at: now + 600_000 }) }, target],
      [
        'signed for POST, sent as GET',
        { 'Dintero-Signature': callbackSignature(sample, target, { at: now + 2_000, method: 'POST' }) },
        target,
      ],
      [
        'a genuine signature on a changed query',
        { 'Dintero-Signature': callbackSignature(sample, target, { at: now + 3_000 }) },
        `${otherOrder.pathname}${otherOrder.search}`,
      ],
      ['a malformed header', { 'Dintero-Signature': 't=now,v0-hmac-sha256=00' }, target],
    ];
    const requests = sample.fake.apiRequests.length;
    for (const [why, headers, path] of spoofs) {
      const answer = await request(sample.server).get(path).set(headers);
      expect([why, answer.status, answer.body]).toEqual([why, 401, { message: 'Unauthorized', statusCode: 401 }]);
    }
    const posted = await request(sample.server).post(target).set('Content-Type', 'application/json').send('{}');
    expect(posted.status).toBe(401);
    expect(sample.fake.apiRequests).toHaveLength(requests);
    expect(await orderOf(merchantReference)).toEqual(recorded);
    // The reasons stay in the log, at debug level; the answer gives none away.
    expect(
      sample.logger.at('debug').some((line) => line.includes('Dintero callback refused: Not a verified Dintero request (expired)')),
    ).toBe(true);
  });

  it('a POST callback (method=POST) is checked the same way', async () => {
    const { callback } = await paidAndCalledBack();
    const path = `${callback.url.pathname}${callback.url.search}`;
    await request(sample.server).post(path).set('Content-Type', 'application/json').send('{}').expect(401);
    const signature = callbackSignature(sample, path, { method: 'POST', at: Date.now() + 4_000 });
    const answer = await request(sample.server)
      .post(path)
      .set('Dintero-Signature', signature)
      .set('Content-Type', 'application/json')
      .send('{}');
    expect([answer.status, answer.body]).toEqual([200, { recorded: 'AUTHORIZED' }]);
  });

  it("when Dintero signs with a secret the app does not have, its callbacks are refused and Dintero stops (a 4xx); the payer's return still records the order", async () => {
    const current = sample.fake.callbacks.signatureSecret;
    sample.fake.callbacks.signatureSecret = 'a secret rotated at Dintero, not yet in the app';
    try {
      // The webhook would record the order too: without it, only the return is left.
      await withoutWebhooks(sample, async () => {
        const before = sample.fake.callbacks.attempts.length;
        const created = await request(sample.server).post('/payments').send(DEMO_CART).expect(201);
        const merchantReference = created.body.merchantReference as string;
        const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay');
        await settled(sample);
        expect(sample.fake.callbacks.attempts.slice(before).map((attempt) => attempt.status)).toEqual([401]);
        expect(await orderOf(merchantReference)).toMatchObject({ status: 'CREATED' });

        await request(sample.server).get(`/payments/return${returnUrl.search}`).expect(200);
        expect(await orderOf(merchantReference)).toMatchObject({ status: 'AUTHORIZED' });
      });
    } finally {
      sample.fake.callbacks.signatureSecret = current;
    }
  });
});
