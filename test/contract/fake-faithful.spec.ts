import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { type Answer, FakeApi, session } from './fake-api.js';

// Issue 26: the fake as Dintero documents it, driven over HTTP as an app drives Dintero.
let fake: FakeDinteroServer;
let api: FakeApi;

beforeAll(async () => {
  fake = await new FakeDinteroServer().start();
  api = new FakeApi(fake);
});
afterAll(() => fake?.stop());

const capture = (id: string, body: unknown) => api.call('POST', `/transactions/${id}/capture`, body);
const refund = (id: string, body: unknown) => api.call('POST', `/transactions/${id}/refund`, body);
const voidOf = (id: string) => api.call('POST', `/transactions/${id}/void`);
const read = async (id: string): Promise<any> => (await api.call('GET', `/transactions/${id}`)).body as unknown;
const line = (line_id: string, amount: number, quantity = 1) => ({ line_id, amount, quantity });
const events = (transaction: { events: { event: string; amount: number; success: boolean }[] }) =>
  transaction.events.map((event) => `${event.event} ${event.amount}${event.success ? '' : ' failed'}`);
const refused = (answer: Answer, message: string) => {
  expect(answer.status).toBe(400);
  expect(answer.body).toEqual({ error: { message } });
};

/** Plays the payer on the hosted page: the 303's Location. */
async function payOnPage(sessionId: string, form: Record<string, string> = {}, button = 'pay'): Promise<Response> {
  return fetch(`${fake.origin}/v1/view/${sessionId}/${button}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

async function createSession(body: Record<string, unknown>): Promise<string> {
  const created = await api.call('POST', '/sessions-profile', body);
  expect(created.status).toBe(200);
  return created.body.id as string;
}

describe('1. capture the rest after a partial refund (PARTIALLY_CAPTURED_REFUNDED)', () => {
  it('is allowed, as Dintero offers "refund, capture remaining"', async () => {
    const id = await api.pay(session());
    expect((await capture(id, { amount: 6_000, items: [line('a', 6_000, 2)] })).body.status).toBe('PARTIALLY_CAPTURED');
    expect((await refund(id, { amount: 1_000, items: [line('a', 1_000)] })).body.status).toBe('PARTIALLY_CAPTURED_REFUNDED');
    const rest = await capture(id, { amount: 4_000, items: [line('b', 4_000)] });
    expect(rest.status).toBe(200);
    expect(rest.body.status).toBe('PARTIALLY_REFUNDED');
    refused(await capture(id, { amount: 1 }), 'Cannot capture a transaction that is PARTIALLY_REFUNDED');
  });

  it('a refund of everything captured while the rest is authorized leaves the rest capturable', async () => {
    const id = await api.pay(session());
    await capture(id, { amount: 6_000 });
    expect((await refund(id, { amount: 6_000 })).body.status).toBe('PARTIALLY_CAPTURED_REFUNDED');
    expect((await capture(id, { amount: 4_000 })).body.status).toBe('PARTIALLY_REFUNDED');
  });
});

describe('2. void of the rest after a partial capture, by product', () => {
  it('the hosted page offers payex, vipps and klarna besides card, invoice and instalments', async () => {
    const sessionId = await createSession(session());
    const page = await (await fetch(`${fake.origin}/v1/view/${sessionId}`)).text();
    for (const product of [
      'dintero_psp.creditcard',
      'collector.invoice',
      'instabank.finance',
      'payex.creditcard',
      'vipps',
      'klarna.klarna',
    ])
      expect(page).toContain(`value="${product}"`);
  });

  it.each(['payex.creditcard', 'vipps', 'klarna.klarna'] as const)(
    '%s: the rest is voided, and nothing more can be captured',
    async (productType) => {
      const id = await api.pay(session(), { productType });
      await capture(id, { amount: 6_000, items: [line('a', 6_000, 2)] });
      const voided = await voidOf(id);
      expect(voided.status).toBe(200);
      expect(voided.body.status).toBe('CAPTURED');
      expect(events(voided.body)).toEqual(['AUTHORIZE 10000', 'CAPTURE 6000', 'VOID 4000']);
      refused(await capture(id, { amount: 4_000 }), 'Cannot capture a transaction that is CAPTURED');
      expect((await refund(id, { amount: 6_000 })).body.status).toBe('REFUNDED');
    },
  );

  it.each(['dintero_psp.creditcard', 'collector.invoice'] as const)(
    '%s: a void after a partial capture is refused',
    async (productType) => {
      const id = await api.pay(session(), { productType });
      await capture(id, { amount: 6_000, items: [line('a', 6_000, 2)] });
      refused(await voidOf(id), `Cannot void the rest of a partly captured ${productType} transaction`);
    },
  );
});

describe('3. the shipping option is a line of the transaction', () => {
  const shipping = { id: 'mail', line_id: 'ship', amount: 500, operator: 'Posten', title: 'Mail', vat: 25 };

  it('is listed with the items, and captured and refunded by its line_id', async () => {
    const id = await api.pay(session({ order: { amount: 10_500, shipping_option: shipping } }), { productType: 'collector.invoice' });
    const transaction = await read(id);
    expect(transaction.items.map((item: { line_id: string }) => item.line_id)).toEqual(['a', 'b', 'ship']);
    expect(transaction.items[2]).toMatchObject({ line_id: 'ship', amount: 500, quantity: 1, type: 'shipping' });
    expect((await capture(id, { amount: 500, items: [line('ship', 500)] })).status).toBe(200);
    refused(await capture(id, { amount: 1, items: [line('ship', 1)] }), 'items[0].amount: 1 exceeds the 0 left to capture on line ship');
    expect((await refund(id, { amount: 500, items: [line('ship', 500)] })).status).toBe(200);
  });
});

describe('4. final_capture', () => {
  it('dintero_psp: captures, voids the rest, and no capture follows', async () => {
    const id = await api.pay(session());
    const answer = await capture(id, { amount: 6_000, final_capture: true });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('CAPTURED');
    expect(events(answer.body)).toEqual(['AUTHORIZE 10000', 'CAPTURE 6000', 'VOID 4000']);
    refused(await capture(id, { amount: 4_000 }), 'Cannot capture a transaction that is CAPTURED');
  });

  it('false, or a capture of everything, changes nothing', async () => {
    const id = await api.pay(session());
    expect((await capture(id, { amount: 6_000, final_capture: false })).body.status).toBe('PARTIALLY_CAPTURED');
    const all = await capture(id, { amount: 4_000, final_capture: true });
    expect(events(all.body)).toEqual(['AUTHORIZE 10000', 'CAPTURE 6000', 'CAPTURE 4000']);
  });

  it('is refused for another payment product', async () => {
    const id = await api.pay(session(), { productType: 'vipps' });
    refused(await capture(id, { amount: 6_000, final_capture: true }), 'final_capture: only for dintero_psp, not vipps');
  });
});

describe('5. a 202 is followed by an INITIATE_* event, then the outcome', () => {
  it.each([
    ['capture', { amount: 10_000 }, 'INITIATE_CAPTURE', 'CAPTURE'],
    ['void', undefined, 'INITIATE_VOID', 'VOID'],
  ] as const)('%s', async (operation, body, initiated, outcome) => {
    const id = await api.pay(session());
    fake.deferOperations();
    const accepted = await api.call('POST', `/transactions/${id}/${operation}`, body);
    expect(accepted.status).toBe(202);
    const requestId = accepted.headers.get('event-request-id');
    expect(accepted.body.status).toBe('AUTHORIZED');
    expect(accepted.body.events.at(-1)).toMatchObject({ event: initiated, success: true, request_id: requestId, amount: 10_000 });
    expect(fake.completeDeferredOperations()).toBe(1);
    const done = await read(id);
    expect(done.events.map((event: { event: string }) => event.event)).toEqual(['AUTHORIZE', initiated, outcome]);
    expect(done.events.at(-1)).toMatchObject({ event: outcome, success: true, correlation_request_id: requestId });
  });

  it('a refund accepted with 202 that can no longer complete ends in a failed REFUND', async () => {
    const id = await api.pay(session());
    await capture(id, { amount: 10_000 });
    fake.deferOperations({ times: 2 });
    const first = await refund(id, { amount: 10_000 });
    const second = await refund(id, { amount: 10_000 });
    expect([first.status, second.status]).toEqual([202, 202]);
    fake.completeDeferredOperations();
    const done = await read(id);
    expect(events(done)).toEqual([
      'AUTHORIZE 10000',
      'CAPTURE 10000',
      'INITIATE_REFUND 10000',
      'INITIATE_REFUND 10000',
      'REFUND 10000',
      'REFUND 10000 failed',
    ]);
  });
});

describe('6. sessions expire', () => {
  it('a session has expires_at (24 h by default, the fake’s choice); the one asked for is kept', async () => {
    const sessionId = await createSession(session());
    const { body } = await api.call('GET', `/sessions/${sessionId}`);
    expect(Date.parse(body.expires_at) - Date.parse(body.created_at)).toBe(24 * 60 * 60 * 1000);
    const asked = new Date(Date.now() + 3_600_000).toISOString();
    const other = await createSession(session({ expires_at: asked }));
    expect((await api.call('GET', `/sessions/${other}`)).body.expires_at).toBe(asked);
  });

  it('after expires_at the page is gone and the session cannot be paid', async () => {
    const sessionId = await createSession(session({ expires_at: new Date(Date.now() - 1_000).toISOString() }));
    expect((await fetch(`${fake.origin}/v1/view/${sessionId}`)).status).toBe(404);
    const paid = await payOnPage(sessionId);
    expect(paid.status).toBe(404);
    expect(((await paid.json()) as { error: { message: string } }).error.message).toMatch(/^Session expired at /);
    expect((await api.call('GET', `/sessions/${sessionId}`)).body.transaction_id).toBeUndefined();
  });

  it('an expires_at that is not a date-time is a 400', async () => {
    refused(await api.call('POST', '/sessions-profile', session({ expires_at: 'tomorrow' })), 'expires_at: must be a date-time');
  });
});

describe('7. configuration.auto_capture', () => {
  it('the payment is captured on completion', async () => {
    const sessionId = await createSession(session({ configuration: { auto_capture: true } }));
    const paid = await payOnPage(sessionId);
    expect(paid.status).toBe(303);
    const transactionId = new URL(paid.headers.get('location')!).searchParams.get('transaction_id')!;
    const transaction = await read(transactionId);
    expect(transaction.status).toBe('CAPTURED');
    expect(events(transaction)).toEqual(['AUTHORIZE 10000', 'CAPTURE 10000']);
  });

  it('a failed automatic capture returns error=capture with the transaction, left authorized', async () => {
    const sessionId = await createSession(session({ configuration: { auto_capture: true } }));
    const location = new URL((await payOnPage(sessionId, { outcome: 'CAPTURE_FAILED' })).headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('capture');
    const transaction = await read(location.searchParams.get('transaction_id')!);
    expect(transaction.status).toBe('AUTHORIZED');
    expect(events(transaction)).toEqual(['AUTHORIZE 10000', 'CAPTURE 10000 failed']);
  });

  it('without auto_capture the payment stays authorized', async () => {
    const sessionId = await createSession(session());
    const location = new URL((await payOnPage(sessionId)).headers.get('location')!);
    expect((await read(location.searchParams.get('transaction_id')!)).status).toBe('AUTHORIZED');
  });
});

describe('8. no invented error codes', () => {
  it('refusals carry a message and no code: 400, 401, 403, 404', async () => {
    const id = await api.pay(session());
    const answers = [
      await capture(id, { amount: 10_001 }),
      await api.call('POST', '/sessions-profile', session({ profile_id: '' })),
      await api.call('GET', '/transactions/T12345678.nope'),
      await api.call('GET', '/no/such/route'),
    ];
    const anonymous = await fetch(`${fake.baseUrl}/v1/transactions/${id}`);
    answers.push({ status: anonymous.status, body: await anonymous.json(), headers: anonymous.headers });
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 404, 404, 401]);
    for (const answer of answers) expect(Object.keys(answer.body.error)).toEqual(['message']);
  });
});

describe('9. an http callback_url', () => {
  it('is accepted, and never called: Dintero calls back https only', async () => {
    const callbackUrl = 'http://shop.example.com/callback';
    const sessionId = await createSession(session({ url: { callback_url: callbackUrl } }));
    const before = fake.callbacks.attempts.length;
    await payOnPage(sessionId);
    await fake.callbacks.settled();
    const [attempt, ...more] = fake.callbacks.attempts.slice(before);
    expect(more).toEqual([]);
    expect(attempt!.url.startsWith(`${callbackUrl}?`)).toBe(true);
    expect(attempt!.skipped).toBe('Dintero calls back https URLs only');
    expect(attempt!.status).toBeUndefined();
  });
});

describe('10. ids and profiles', () => {
  it('session and transaction ids look like Dintero’s: account, dot, 22 base62 characters', async () => {
    const sessionId = await createSession(session());
    const transaction = await read(await api.pay(session()));
    const pattern = new RegExp(`^${FAKE_DINTERO_CLIENT.accountId}\\.[0-9A-Za-z]{22}$`);
    expect(sessionId).toMatch(pattern);
    expect(transaction.id).toMatch(pattern);
  });

  it('a profile_id the account does not have is refused; the server can be told its profiles', async () => {
    refused(
      await api.call('POST', '/sessions-profile', session({ profile_id: 'P-unknown' })),
      'profile_id: no payment profile "P-unknown"',
    );
    const other = await new FakeDinteroServer({ profileIds: ['T12345678.shop'] }).start();
    try {
      const otherApi = new FakeApi(other);
      expect((await otherApi.call('POST', '/sessions-profile', session({ profile_id: 'T12345678.shop' }))).status).toBe(200);
      expect((await otherApi.call('POST', '/sessions-profile', session())).status).toBe(400);
    } finally {
      await other.stop();
    }
  });
});

describe('14. the operations the Node SDK calls besides sessions and transactions', () => {
  it('GET /transactions filters by merchant_reference, session_id and status, newest first, limit at a time', async () => {
    const reference = `order-list-${Date.now()}`;
    const first = await api.pay(session({ order: { merchant_reference: reference } }));
    const second = await api.pay(session({ order: { merchant_reference: reference } }));
    await capture(second, { amount: 10_000 });
    const ids = (answer: Answer) => (answer.body as { id: string }[]).map((transaction) => transaction.id);
    expect(ids(await api.call('GET', `/transactions?merchant_reference=${reference}`))).toEqual([second, first]);
    expect(ids(await api.call('GET', `/transactions?merchant_reference=${reference}&status=AUTHORIZED`))).toEqual([first]);
    expect(ids(await api.call('GET', `/transactions?merchant_reference=${reference}&limit=1`))).toEqual([second]);
    expect(ids(await api.call('GET', `/transactions?merchant_reference=${reference}&limit=1&starting_after=${second}`))).toEqual([first]);
    const sessionId = (await read(first)).session_id as string;
    expect(ids(await api.call('GET', `/transactions?session_id=${sessionId}`))).toEqual([first]);
    refused(await api.call('GET', '/transactions?limit=0'), 'limit: an integer from 1 to 100');
  });

  it('POST /sessions/{id}/cancel cancels an open session, and voids its authorized transaction', async () => {
    const open = await createSession(session());
    const cancelled = await api.call('POST', `/sessions/${open}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: open, cancelled_by: 'merchant', cancelled_at: expect.any(String) });
    expect((await payOnPage(open)).status).toBe(400);

    const id = await api.pay(session());
    const sessionId = (await read(id)).session_id as string;
    expect((await api.call('POST', `/sessions/${sessionId}/cancel`)).status).toBe(200);
    expect((await read(id)).status).toBe('AUTHORIZATION_VOIDED');

    const captured = await api.pay(session());
    await capture(captured, { amount: 10_000 });
    refused(
      await api.call('POST', `/sessions/${(await read(captured)).session_id}/cancel`),
      'Cannot cancel a session whose transaction is CAPTURED',
    );
  });

  it('POST /transactions/{id}/extend_authorization answers the transaction while something is authorized', async () => {
    const id = await api.pay(session());
    const extended = await api.call('POST', `/transactions/${id}/extend_authorization`);
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ id, status: 'AUTHORIZED' });
    await capture(id, { amount: 10_000 });
    refused(
      await api.call('POST', `/transactions/${id}/extend_authorization`),
      'Cannot extend the authorization of a transaction that is CAPTURED',
    );
  });
});
