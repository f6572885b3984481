import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { type Answer, FakeApi, session } from './fake-api.js';

let fake: FakeDinteroServer;
let testMode: FakeDinteroServer;
let api: FakeApi;

beforeAll(async () => {
  fake = await new FakeDinteroServer().start();
  testMode = await new FakeDinteroServer({ allowLoopbackCallbacks: true }).start();
  api = new FakeApi(fake);
});
afterAll(async () => {
  await fake?.stop();
  await testMode?.stop();
});

const STRICT = { 'Dintero-Feature-Toggles': 'strict-session-amounts' };
// Dintero documents no error codes for the Checkout API: the fake sends none, only a message.
const refused = (message: string) => ({ status: 400, body: { error: { message } } });

describe('POST /sessions-profile is at least as strict as Dintero', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an empty profile_id', session({ profile_id: '' }), 'profile_id: is required (string)'],
    ['a currency that is not ISO 4217', session({ order: { currency: 'XYZ' } }), 'order.currency: is required (an ISO 4217 code)'],
    [
      'a loopback callback_url',
      session({ url: { callback_url: 'http://127.0.0.1:3000/cb' } }),
      'url.callback_url: localhost and 127.0.0.1 are not allowed',
    ],
    [
      'a localhost https callback_url',
      session({ url: { callback_url: 'https://localhost/cb' } }),
      'url.callback_url: localhost and 127.0.0.1 are not allowed',
    ],
    [
      'a shipping option without title',
      session({ order: { shipping_option: { id: 's', line_id: 's', amount: 0, operator: 'x' } } }),
      'order.shipping_option.title: is required',
    ],
    ['three checkboxes', session({ checkboxes: [{}, {}, {}] }), 'checkboxes: at most 2'],
    ['two gift cards', session({ order: { gift_cards: [{}, {}] } }), 'order.gift_cards: at most 1'],
    [
      'a 41-character payout destination',
      session({ order: { payout_destination_id: 'x'.repeat(41) } }),
      'order.payout_destination_id: a string of at most 40 characters',
    ],
    ['metadata with a number', session({ metadata: { count: 1 } }), 'metadata: values must be strings'],
    [
      'an item type Dintero does not know',
      session({ order: { items: [{ line_id: 'a', amount: 10_000, type: 'food' }] } }),
      'order.items[0].type: must be one of physical, digital, service, gift_card, shipping, surcharge',
    ],
  ])('refuses %s', async (_case, body, message) => {
    expect(await api.call('POST', '/sessions-profile', body)).toMatchObject(refused(message));
  });

  it('with strict-session-amounts, refuses an amount other than the lines plus shipping', async () => {
    const answer = await api.call('POST', '/sessions-profile', session({ order: { amount: 9_999 } }), STRICT);
    expect(answer).toMatchObject(refused('order.amount: 9999 is not the sum of the items and shipping (10000) (strict-session-amounts)'));
    const shipping = { id: 's', line_id: 's', amount: 500, operator: 'Posten', title: 'Mail' };
    expect(
      (await api.call('POST', '/sessions-profile', session({ order: { amount: 10_500, shipping_option: shipping } }), STRICT)).status,
    ).toBe(200);
    expect((await api.call('POST', '/sessions-profile', session({ order: { amount: 9_999, partial_payment: true } }), STRICT)).status).toBe(
      200,
    );
    // Without the toggle the sum is only a "should", as at Dintero.
    expect((await api.call('POST', '/sessions-profile', session({ order: { amount: 9_999 } }))).status).toBe(200);
  });

  it('refuses a feature toggle Dintero does not define', async () => {
    const answer = await api.call('POST', '/sessions-profile', session(), { 'Dintero-Feature-Toggles': 'strict-session-amounts,lenient' });
    expect(answer).toMatchObject(refused('Dintero-Feature-Toggles: unknown toggle "lenient"'));
  });

  it('takes a public https callback_url; a loopback one only in its test mode', async () => {
    expect((await api.call('POST', '/sessions-profile', session({ url: { callback_url: 'https://shop.example.com/cb' } }))).status).toBe(
      200,
    );
    const loopback = session({ url: { callback_url: 'http://127.0.0.1:3000/cb' } });
    expect((await new FakeApi(testMode).call('POST', '/sessions-profile', loopback)).status).toBe(200);
  });
});

describe('capture, refund and void', () => {
  const capture = (id: string, body: unknown) => api.call('POST', `/transactions/${id}/capture`, body);
  const refund = (id: string, body: unknown) => api.call('POST', `/transactions/${id}/refund`, body);
  const line = (line_id: string, amount: number, quantity = 1) => ({ line_id, amount, quantity });

  it('checks the lines against the order: known, within what is left, adding up to amount', async () => {
    const id = await api.pay(session());
    expect(await capture(id, { amount: 6_000, items: [line('z', 6_000)] })).toMatchObject(
      refused('items[0].line_id: "z" is not a line of the order'),
    );
    expect(await capture(id, { amount: 5_000, items: [line('a', 6_000)] })).toMatchObject(
      refused('items: line amounts add up to 6000, not to amount 5000'),
    );
    expect(await capture(id, { amount: 6_001, items: [line('a', 6_001)] })).toMatchObject(
      refused('items[0].amount: 6001 exceeds the 6000 left to capture on line a'),
    );
    expect(await capture(id, { amount: 6_000, items: [line('a', 6_000, 2)], capture_reference: 'order-1-capture-1' })).toMatchObject({
      status: 200,
      body: { status: 'PARTIALLY_CAPTURED' },
    });
    expect(await refund(id, { amount: 4_000, items: [line('b', 4_000)] })).toMatchObject(
      refused('items[0].amount: 4000 exceeds the 0 left to refund on line b'),
    );
    const refunded = await refund(id, { amount: 1_000, items: [line('a', 1_000)], refund_reference: 'order-1-refund-1' });
    expect(refunded.body.status).toBe('PARTIALLY_CAPTURED_REFUNDED');
    expect(refunded.body.events.map((event: { event: string; event_reference?: string }) => [event.event, event.event_reference])).toEqual([
      ['AUTHORIZE', undefined],
      ['CAPTURE', 'order-1-capture-1'],
      ['REFUND', 'order-1-refund-1'],
    ]);
  });

  it.each(['collector.invoice', 'instabank.finance'] as const)(
    '%s needs lines with quantities on capture and refund',
    async (productType) => {
      const id = await api.pay(session(), { productType });
      expect(await capture(id, { amount: 10_000 })).toMatchObject(refused(`items: required to capture a ${productType} transaction`));
      expect(await capture(id, { amount: 4_000, items: [{ line_id: 'b', amount: 4_000 }] })).toMatchObject(
        refused(`items[0].quantity: required for ${productType}`),
      );
      expect((await capture(id, { amount: 10_000, items: [line('a', 6_000, 2), line('b', 4_000)] })).body.status).toBe('CAPTURED');
      expect(await refund(id, { amount: 4_000 })).toMatchObject(refused(`items: required to refund a ${productType} transaction`));
      expect((await refund(id, { amount: 4_000, items: [line('b', 4_000)] })).body.status).toBe('PARTIALLY_REFUNDED');
      expect((await refund(id, { amount: 6_000, items: [line('a', 6_000, 2)] })).body.status).toBe('REFUNDED');
    },
  );

  it('void takes no body, and only an untouched authorization', async () => {
    const id = await api.pay(session());
    expect(await api.call('POST', `/transactions/${id}/void`, {})).toMatchObject(refused('void takes no request body'));
    expect((await api.call('POST', `/transactions/${id}/void`)).body.status).toBe('AUTHORIZATION_VOIDED');
    expect(await capture(id, { amount: 100 })).toMatchObject({
      status: 400,
      body: { error: { message: 'Cannot capture a transaction that is AUTHORIZATION_VOIDED' } },
    });
  });

  it.each(['ON_HOLD', 'INITIATED', 'UNKNOWN'] as const)(
    'nothing is captured from %s; once settled, it is a normal authorization',
    async (outcome) => {
      const id = await api.pay(session(), { outcome });
      expect(await capture(id, { amount: 100 })).toMatchObject(refused(`Cannot capture a transaction that is ${outcome}`));
      fake.checkout.settle(id, 'AUTHORIZED');
      expect((await capture(id, { amount: 10_000 })).body.status).toBe('CAPTURED');
      expect(() => fake.checkout.settle(id, 'FAILED')).toThrow('Cannot settle a transaction that is CAPTURED');
    },
  );
});

describe('202 Accepted', () => {
  const read = async (id: string): Promise<Answer> => api.call('GET', `/transactions/${id}`);

  it('answers with event-request-id and the transaction unchanged, and completes on the read it was told', async () => {
    const id = await api.pay(session());
    fake.deferOperations({ completeAfterReads: 2 });
    const accepted = await api.call('POST', `/transactions/${id}/capture`, { amount: 10_000 });
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('AUTHORIZED');
    const requestId = accepted.headers.get('event-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await read(id)).body.status).toBe('AUTHORIZED');
    const done = await read(id);
    expect(done.body.status).toBe('CAPTURED');
    expect(done.body.events.at(-1)).toMatchObject({ event: 'CAPTURE', success: true, correlation_request_id: requestId });
    // The next operation is answered at once again.
    expect((await api.call('POST', `/transactions/${id}/refund`, { amount: 10_000 })).status).toBe(200);
  });

  it('checks the request before accepting it, and records a failed event when it can no longer complete', async () => {
    const id = await api.pay(session());
    fake.deferOperations({ times: 2 });
    expect(await api.call('POST', `/transactions/${id}/capture`, { amount: 10_001 })).toMatchObject({ status: 400 });
    expect((await api.call('POST', `/transactions/${id}/capture`, { amount: 10_000 })).status).toBe(202);
    const voided = await api.call('POST', `/transactions/${id}/void`);
    expect(voided.status).toBe(202);
    expect(fake.completeDeferredOperations()).toBe(2);
    const { body } = await read(id);
    expect(body.status).toBe('CAPTURED');
    expect(body.events.at(-1)).toMatchObject({
      event: 'VOID',
      success: false,
      correlation_request_id: voided.headers.get('event-request-id'),
      error: { message: 'Cannot void a transaction that is CAPTURED' },
    });
  });
});
