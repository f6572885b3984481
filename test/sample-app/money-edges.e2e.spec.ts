import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { callbackSignature, DEMO_CART, payOnFakeCheckout, settled, useSampleApp } from './sample-app.harness.js';

const sample = useSampleApp();

/** An authorized payment of the demo cart (lines 1: 29800, 2: 4900), Dintero's calls landed. */
async function authorized(): Promise<{ transactionId: string; merchantReference: string }> {
  const created = await request(sample.server).post('/payments').send(DEMO_CART).expect(201);
  const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay');
  await settled(sample);
  return { transactionId: returnUrl.searchParams.get('transaction_id')!, merchantReference: created.body.merchantReference as string };
}

const operations = (transactionId: string) =>
  sample.fake.apiRequests.filter((entry) => entry.method === 'POST' && entry.path.startsWith(`/v1/transactions/${transactionId}/`));

describe('the money a capture asks for is the money captured (issue 24, 10-11)', () => {
  it('an amount that disagrees with the lines named is a 400, and nothing is sent to Dintero', async () => {
    const { transactionId } = await authorized();
    const answer = await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ amount: 4_900, lineIds: ['1'] })
      .expect(400);
    expect(answer.body.message).toBe('amount: 4900 is not what lineIds 1 leave to capture (29800)');
    expect(operations(transactionId)).toEqual([]);
    expect(sample.fake.checkout.transaction(transactionId)!.status).toBe('AUTHORIZED');
  });

  it('an amount that agrees with the lines named is captured', async () => {
    const { transactionId } = await authorized();
    const answer = await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ amount: 29_800, lineIds: ['1'] })
      .expect(200);
    expect(answer.body).toMatchObject({ status: 'PARTIALLY_CAPTURED', captured: 29_800 });
  });

  it('a body that empties under transformation ({"__proto__": ...}) is refused, not taken for "everything"', async () => {
    const { transactionId } = await authorized();
    const answer = await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .set('Content-Type', 'application/json')
      .send('{"__proto__": {"amount": 4900}}')
      .expect(400);
    expect(answer.body.message).toBe('body: "__proto__" is not a field');
    expect(operations(transactionId)).toEqual([]);
  });

  it('an empty body is refused: capturing everything is asked for with {"all": true}', async () => {
    const { transactionId } = await authorized();
    const empty = await request(sample.server).post(`/payments/${transactionId}/capture`).send({}).expect(400);
    expect(empty.body.message).toBe('body: name the lines (lineIds), an amount, or everything ({"all": true})');
    const both = await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true, amount: 100 }).expect(400);
    expect(both.body.message).toBe('body: "all" goes alone, without amount or lineIds');
    expect(operations(transactionId)).toEqual([]);
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(200);
    expect(sample.fake.checkout.transaction(transactionId)!.status).toBe('CAPTURED');
  });
});

describe('ids are checked at the edge (issue 24, 12)', () => {
  it.each(['%2E', '%2E%2E', '..%2Fsessions-profile', 'T12345678.abc%2F..', 'not-an-id'])(
    '/payments/%s is a 400, and the bearer goes nowhere',
    async (id) => {
      const before = sample.fake.apiRequestCount;
      for (const suffix of ['', '/capture', '/refund', '/void']) {
        const call =
          suffix === '' ? request(sample.server).get(`/payments/${id}`) : request(sample.server).post(`/payments/${id}${suffix}`);
        const answer = await call.send(suffix === '/void' || suffix === '' ? undefined : { all: true });
        expect([suffix, answer.status]).toEqual([suffix, 400]);
        expect(answer.body.message).toBe('transactionId: not a Dintero transaction id');
      }
      expect(sample.fake.apiRequestCount).toBe(before);
    },
  );
});

describe('pages and callbacks (issue 24, 13)', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    '?error=%s shows the error as text, no Object.prototype member',
    async (error) => {
      const page = await request(sample.server).get(`/payments/return?error=${error}`).expect(200);
      expect(page.text).not.toContain('native code');
      expect(page.text).toContain(`<p id="message">Dintero reported: ${error}</p>`);
    },
  );

  it('every page says nosniff and carries a Content-Security-Policy that allows no inline script', async () => {
    for (const path of ['/', '/payments/return?error=cancelled', '/return.js', '/payments/orders/none']) {
      const answer = await request(sample.server).get(path);
      expect([path, answer.headers['x-content-type-options']]).toEqual([path, 'nosniff']);
      const csp = answer.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });

  it('signed callbacks naming 200 made-up transactions of unknown orders cost no Dintero read', async () => {
    const before = sample.fake.apiRequestCount;
    for (let i = 0; i < 200; i++) {
      const path = `/payments/callback?transaction_id=T12345678.madeup${i}&merchant_reference=order-madeup${i}`;
      const answer = await request(sample.server)
        .get(path)
        .set('Dintero-Signature', callbackSignature(sample, path, { at: Date.now() + i * 1000 }));
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ recorded: 'nothing: unknown order' });
    }
    expect(sample.fake.apiRequestCount - before).toBe(0);
  });

  it("callbacks naming another transaction than the order's own cost no read", async () => {
    const { merchantReference } = await authorized();
    const before = sample.fake.apiRequestCount;
    for (let i = 0; i < 20; i++) {
      const path = `/payments/callback?transaction_id=T12345678.madeup${i}&merchant_reference=${merchantReference}`;
      await request(sample.server)
        .get(path)
        .set('Dintero-Signature', callbackSignature(sample, path, { at: Date.now() + i * 1000 }))
        .expect(404);
    }
    expect(sample.fake.apiRequestCount - before).toBe(0);
  });
});
