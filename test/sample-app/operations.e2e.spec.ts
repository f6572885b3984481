import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { payOnFakeCheckout, settled, useSampleApp } from './sample-app.harness.js';

const sample = useSampleApp();

const cart = {
  amount: 35_700,
  currency: 'NOK',
  items: [
    { description: 'Wool socks', quantity: 2, amount: 29_800, vat: 25 },
    { description: 'Gift wrapping', quantity: 1, amount: 4_900, vat: 25 },
    { description: 'Greeting card', quantity: 1, amount: 1_000, vat: 25 },
  ],
};

/** An authorized payment (by card unless told), its callbacks and webhooks delivered: its transaction id and order reference. */
async function authorized(product?: string): Promise<{ transactionId: string; merchantReference: string }> {
  const created = await request(sample.server).post('/payments').send(cart).expect(201);
  const { returnUrl } = await payOnFakeCheckout(created.body.checkoutUrl as string, 'pay', product ? { product } : {});
  await settled(sample);
  return { transactionId: returnUrl.searchParams.get('transaction_id')!, merchantReference: created.body.merchantReference as string };
}

/** The bodies of the operation calls the fake received for this transaction. */
function sentOperations(transactionId: string, operation: string): Record<string, any>[] {
  return sample.fake.apiRequests
    .filter((entry) => entry.method === 'POST' && entry.path === `/v1/transactions/${transactionId}/${operation}`)
    .map((entry) => (entry.body === '' ? {} : (JSON.parse(entry.body) as Record<string, any>)));
}

describe('line items on capture and refund', () => {
  it('an invoice payment: partial capture by lines, then a refund by lines (PARTIALLY_CAPTURED_REFUNDED)', async () => {
    const { transactionId, merchantReference } = await authorized('collector.invoice');

    const capture = await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['1', '2'] })
      .expect(200);
    expect(capture.body).toMatchObject({
      status: 'PARTIALLY_CAPTURED',
      captured: 34_700,
      allowed: { capture: true, refund: true, void: false },
    });
    expect(sentOperations(transactionId, 'capture')).toEqual([
      {
        amount: 34_700,
        capture_reference: `${merchantReference}-capture-1`,
        items: [
          { line_id: '1', description: 'Wool socks', quantity: 2, amount: 29_800 },
          { line_id: '2', description: 'Gift wrapping', quantity: 1, amount: 4_900 },
        ],
      },
    ]);

    const refund = await request(sample.server).post(`/payments/${transactionId}/refund`).send({ amount: 4_900 }).expect(200);
    expect(refund.body).toMatchObject({
      status: 'PARTIALLY_CAPTURED_REFUNDED',
      refunded: 4_900,
      allowed: { capture: true, refund: true, void: false },
    });
    expect(sentOperations(transactionId, 'refund')).toEqual([
      {
        amount: 4_900,
        refund_reference: `${merchantReference}-refund-1`,
        items: [{ line_id: '2', description: 'Gift wrapping', quantity: 1, amount: 4_900 }],
      },
    ]);
    expect(refund.body.lines.map((line: { captured: number; refunded: number }) => [line.captured, line.refunded])).toEqual([
      [29_800, 0],
      [4_900, 4_900],
      [0, 0],
    ]);
    const page = await request(sample.server).get(`/payments/return?transaction_id=${transactionId}`).expect(200);
    expect(page.text).toContain('<h1>Partly captured, partly refunded</h1>');
  });

  it('an amount is captured as the whole lines that make it up, when some do', async () => {
    const { transactionId } = await authorized('instabank.finance');
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ amount: 5_900 }).expect(200);
    expect(sentOperations(transactionId, 'capture')[0]!.items.map((item: { line_id: string }) => item.line_id)).toEqual(['2', '3']);
    const again = await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['2'] })
      .expect(400);
    expect(again.body.message).toBe('Gift wrapping has nothing left to capture.');
  });

  it('any other amount is split over the lines in order, the last one in part, as Dintero takes any partial amount', async () => {
    const { transactionId } = await authorized('instabank.finance');
    const first = await request(sample.server).post(`/payments/${transactionId}/capture`).send({ amount: 10_000 }).expect(200);
    expect(first.body).toMatchObject({ status: 'PARTIALLY_CAPTURED', captured: 10_000 });
    expect(sentOperations(transactionId, 'capture')[0]!.items).toEqual([
      { line_id: '1', description: 'Wool socks', quantity: (2 * 10_000) / 29_800, amount: 10_000 },
    ]);
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ amount: 20_000 }).expect(200);
    expect(
      sentOperations(transactionId, 'capture')[1]!.items.map((item: { line_id: string; amount: number }) => [item.line_id, item.amount]),
    ).toEqual([
      ['1', 19_800],
      ['2', 200],
    ]);
    const lines = (await request(sample.server).get(`/payments/${transactionId}`).expect(200)).body.lines as { captured: number }[];
    expect(lines.map((line) => line.captured)).toEqual([29_800, 200, 0]);
  });

  it('an invoice payment captured in full is sent with its lines, which add up to the amount', async () => {
    const { transactionId } = await authorized('collector.invoice');
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(200);
    const [sent] = sentOperations(transactionId, 'capture');
    expect(sent!.amount).toBe(cart.amount);
    expect(sent!.items.map((item: { line_id: string }) => item.line_id)).toEqual(['1', '2', '3']);
    expect(sent!.items.reduce((total: number, item: { amount: number }) => total + item.amount, 0)).toBe(cart.amount);
  });
});

describe('202 Accepted', () => {
  it('is polled until Dintero completes it, and sent once', async () => {
    const { transactionId } = await authorized();
    sample.fake.deferOperations({ completeAfterReads: 2 });
    const answer = await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(200);
    expect(answer.body).toMatchObject({ status: 'CAPTURED', captured: 35_700 });
    expect(answer.body.pending).toBeUndefined();
    expect(sentOperations(transactionId, 'capture')).toHaveLength(1);
  });

  it('still running after the polls: answered as pending, never sent again, done once Dintero completes it', async () => {
    const { transactionId } = await authorized();
    sample.fake.deferOperations();
    const accepted = await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(202);
    expect(accepted.body).toMatchObject({
      status: 'AUTHORIZED',
      pending: { operation: 'capture', requestId: expect.any(String) },
      allowed: { capture: false, refund: false, void: false },
    });
    const page = await request(sample.server).get(`/payments/return?transaction_id=${transactionId}`).expect(200);
    expect(page.text).toContain('Dintero accepted the capture and is still processing it');
    expect(page.text).toContain('<main data-pending="true">');

    const second = await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(409);
    expect(second.body.message).toBe(
      `The capture Dintero accepted (event-request-id ${accepted.body.pending.requestId}) is still pending; it is not sent again`,
    );
    expect(sentOperations(transactionId, 'capture')).toHaveLength(1);

    expect(sample.fake.completeDeferredOperations()).toBe(1);
    const done = await request(sample.server).get(`/payments/${transactionId}`).expect(200);
    expect(done.body).toMatchObject({ status: 'CAPTURED', allowed: { refund: true } });
    expect(done.body.pending).toBeUndefined();
    await request(sample.server).post(`/payments/${transactionId}/refund`).send({ all: true }).expect(200);
  });
});

describe('references: a retried operation is recognizable', () => {
  it('an answer lost after Dintero captured: the retry finds the capture by its reference and sends nothing', async () => {
    const { transactionId } = await authorized();
    sample.fake.dropApiRequests({ path: /\/capture$/, applied: true });
    await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['1'] })
      .expect(502);
    expect(sample.fake.checkout.transaction(transactionId)!.status).toBe('PARTIALLY_CAPTURED');

    const retry = await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['1'] })
      .expect(200);
    expect(retry.body).toMatchObject({ status: 'PARTIALLY_CAPTURED', captured: 29_800 });
    expect(sentOperations(transactionId, 'capture')).toHaveLength(1);
  });

  it('a capture that never reached Dintero is sent again with the same reference', async () => {
    const { transactionId, merchantReference } = await authorized();
    sample.fake.dropApiRequests({ path: /\/capture$/ });
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(502);
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(200);
    const sent = sentOperations(transactionId, 'capture');
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[0]!.capture_reference).toBe(`${merchantReference}-capture-1`);
  });

  it('a double click sends one capture: the second is told another operation is under way', async () => {
    const { transactionId } = await authorized();
    const answers = await Promise.all([
      request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }),
      request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.status === 409)!.body.message).toBe('Another operation on this payment is under way');
    expect(sentOperations(transactionId, 'capture')).toHaveLength(1);
  });

  it('the next capture of the same order gets the next reference', async () => {
    const { transactionId, merchantReference } = await authorized();
    await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['3'] })
      .expect(200);
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(200);
    expect(sentOperations(transactionId, 'capture').map((body) => body.capture_reference as string)).toEqual([
      `${merchantReference}-capture-1`,
      `${merchantReference}-capture-2`,
    ]);
  });
});

describe('void', () => {
  it('cancels an authorization with a bodiless call; nothing can follow it', async () => {
    const { transactionId } = await authorized();
    const voided = await request(sample.server).post(`/payments/${transactionId}/void`).expect(200);
    expect(voided.body).toMatchObject({ status: 'AUTHORIZATION_VOIDED', allowed: { capture: false, refund: false, void: false } });
    expect(sample.fake.apiRequests.filter((entry) => entry.path.endsWith('/void')).at(-1)!.body).toBe('');
    const again = await request(sample.server).post(`/payments/${transactionId}/void`).expect(409);
    expect(again.body.message).toBe('Cannot void: the payment is AUTHORIZATION_VOIDED');
    await request(sample.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(409);
    const page = await request(sample.server).get(`/payments/return?transaction_id=${transactionId}`).expect(200);
    expect(page.text).toContain('<h1>Authorization voided</h1>');
  });

  it('is refused once anything is captured', async () => {
    const { transactionId } = await authorized();
    await request(sample.server)
      .post(`/payments/${transactionId}/capture`)
      .send({ lineIds: ['3'] })
      .expect(200);
    const refused = await request(sample.server).post(`/payments/${transactionId}/void`).expect(409);
    expect(refused.body.message).toBe('Cannot void: the payment is PARTIALLY_CAPTURED');
  });
});
