import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { FakeApi, session } from './fake-api.js';

/** What the receiver answers, request by request: a status, a redirect, or no answer at all. */
type Reply = number | { redirect: string } | 'hang';

interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as its bytes arrived. */
  readonly raw: Buffer;
}

/** A delivery's body, as the checkout events carry it. */
interface Delivered {
  readonly account_id: string;
  readonly event: string;
  readonly event_delivery: string;
  readonly transaction?: { readonly id: string; readonly status: string };
  readonly authorization?: { readonly merchant_reference: string; readonly error?: string };
}

/** The merchant's webhook endpoint on loopback: keeps each request's raw bytes, answers from a script (then 200). */
class Receiver {
  readonly received: Received[] = [];
  readonly replies: Reply[] = [];
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
      const reply = this.replies.shift() ?? 200;
      if (reply === 'hang') return;
      if (typeof reply === 'object') res.writeHead(302, { Location: reply.redirect, 'Content-Length': 0 });
      else res.writeHead(reply, { 'Content-Length': 0 });
      res.end();
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** The JSON bodies received, parsed. */
  bodies(): Delivered[] {
    return this.received.map((request) => JSON.parse(request.raw.toString('utf8')) as Delivered);
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

const ACCOUNT = FAKE_DINTERO_CLIENT.accountId;
const SUBSCRIPTIONS = `/accounts/${ACCOUNT}/hooks/subscriptions`;
const hmacSha1 = (secret: string, bytes: Buffer) => createHmac('sha1', secret).update(bytes).digest('hex');

let clock: ManualClock;
let fake: FakeDinteroServer;
let receiver: Receiver;
let api: FakeApi;

beforeEach(async () => {
  clock = new ManualClock();
  fake = await new FakeDinteroServer({ allowLoopbackCallbacks: true, clock }).start();
  receiver = await new Receiver().start();
  api = new FakeApi(fake);
});
afterEach(async () => {
  await fake.stop();
  await receiver.stop();
});

/** Moves the fake's clock, then waits for the deliveries that fell due to finish. */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await fake.webhooks.idle();
}

/** Subscribes the receiver over the Hooks API and lets the ping through: the subscription's id. */
async function subscribe(events: string[], secret?: string): Promise<string> {
  const created = await api.call('POST', SUBSCRIPTIONS, { config: { url: receiver.url, ...(secret ? { secret } : {}) }, events });
  expect(created.status).toBe(201);
  await advance(0);
  receiver.received.length = 0;
  fake.webhooks.attempts.length = 0;
  return created.body.id as string;
}

describe('the Hooks API: subscriptions', () => {
  it('POST creates one (201, a UUID, the secret never shown), GET lists and reads it, DELETE removes it', async () => {
    const created = await api.call('POST', SUBSCRIPTIONS, {
      config: { url: receiver.url, secret: 'hook-secret' },
      events: ['checkout_transaction'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      config: { url: receiver.url, content_type: 'application/json', secret: { type: 'HMAC-SHA1' }, insecure_ssl: 0 },
      events: ['checkout_transaction'],
      created_at: new Date(clock.wallNow()).toISOString(),
      created_by: FAKE_DINTERO_CLIENT.clientId,
      updated_at: new Date(clock.wallNow()).toISOString(),
      active: true,
    });
    expect(JSON.stringify(created.body)).not.toContain('hook-secret');
    const id = created.body.id as string;
    expect((await api.call('GET', SUBSCRIPTIONS)).body).toEqual([created.body]);
    expect((await api.call('GET', `${SUBSCRIPTIONS}/${id}`)).body).toEqual(created.body);
    expect(fake.webhooks.subscriptions).toEqual([created.body]);

    expect((await api.call('DELETE', `${SUBSCRIPTIONS}/${id}`)).status).toBe(204);
    expect((await api.call('GET', SUBSCRIPTIONS)).body).toEqual([]);
    expect((await api.call('GET', `${SUBSCRIPTIONS}/${id}`)).status).toBe(404);
    expect((await api.call('DELETE', `${SUBSCRIPTIONS}/${id}`)).status).toBe(404);
  });

  it('a ping on creation (and on /ping): the subscription as body, event-signature = HMAC-SHA1 of the raw bytes', async () => {
    const created = await api.call('POST', SUBSCRIPTIONS, {
      config: { url: receiver.url, secret: 'hook-secret' },
      events: ['checkout_transaction'],
    });
    await advance(0);
    expect((await api.call('POST', `${SUBSCRIPTIONS}/${created.body.id}/ping`)).status).toBe(204);
    await advance(0);
    expect(receiver.received).toHaveLength(2);
    for (const ping of receiver.received) {
      expect(ping.method).toBe('POST');
      expect(ping.path).toBe('/hooks');
      expect(ping.headers).toMatchObject({ event: 'ping', 'content-type': 'application/json' });
      expect(ping.headers['event-signature']).toBe(hmacSha1('hook-secret', ping.raw));
      expect(JSON.parse(ping.raw.toString('utf8'))).toEqual(created.body);
    }
    const [first, second] = receiver.received;
    expect(first!.headers['event-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.headers['event-delivery']).not.toBe(first!.headers['event-delivery']);
  });

  it('an unauthenticated or forged request gets 401; a token of another account, 403', async () => {
    const body = JSON.stringify({ config: { url: receiver.url }, events: ['checkout_transaction'] });
    const anonymous = await fetch(`${fake.baseUrl}${SUBSCRIPTIONS}`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { message: expect.any(String) } });
    const forged = await fetch(`${fake.baseUrl}${SUBSCRIPTIONS}`, { headers: { Authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(401);
    expect((await api.call('GET', '/accounts/T87654321/hooks/subscriptions')).status).toBe(403);
    await advance(0);
    expect(fake.webhooks.subscriptions).toEqual([]);
    expect(receiver.received).toEqual([]);
  });

  it('refuses what Dintero refuses: no url, a plain-http public url, no or unknown events, an empty secret', async () => {
    const problems: [unknown, string][] = [
      [{ events: ['checkout_transaction'] }, 'config: is required (object)'],
      [{ config: {}, events: ['checkout_transaction'] }, 'config.url: must be an http(s) uri'],
      [{ config: { url: 'http://shop.example.com/hooks' }, events: ['ping'] }, 'config.url: callbacks are delivered only to https'],
      [{ config: { url: receiver.url }, events: [] }, 'events: is required (a non-empty array)'],
      [{ config: { url: receiver.url }, events: ['checkout_transactions'] }, 'events: unknown event "checkout_transactions"'],
      [{ config: { url: receiver.url, secret: '' }, events: ['checkout_transaction'] }, 'config.secret: must be a non-empty string'],
      [
        { config: { url: receiver.url, content_type: 'text/plain' }, events: ['checkout_transaction'] },
        'config.content_type: must be application/json',
      ],
    ];
    for (const [body, message] of problems) {
      const answer = await api.call('POST', SUBSCRIPTIONS, body);
      expect([answer.status, answer.body.error.message]).toEqual([400, message]);
    }
    expect(fake.webhooks.subscriptions).toEqual([]);
  });

  it('loopback URLs only in the fake test mode', async () => {
    const strict = await new FakeDinteroServer().start();
    try {
      const answer = await new FakeApi(strict).call('POST', SUBSCRIPTIONS, {
        config: { url: receiver.url },
        events: ['checkout_transaction'],
      });
      expect([answer.status, answer.body.error.message]).toEqual([400, 'config.url: localhost and 127.0.0.1 are not allowed']);
    } finally {
      await strict.stop();
    }
  });
});

describe('deliveries, as Dintero sends them', () => {
  it('authorize, capture, refund: checkout_transaction with the transaction, checkout_authorization with the outcome', async () => {
    await subscribe(['checkout_transaction', 'checkout_authorization']);
    // Deliveries due at once go out at once, in no set order (as Dintero's): one step at a time.
    const transactionId = await api.pay(session());
    await advance(0);
    await api.call('POST', `/transactions/${transactionId}/capture`, { amount: 10_000 });
    await advance(0);
    await api.call('POST', `/transactions/${transactionId}/refund`, { amount: 4_000 });
    await advance(0);
    const bodies = receiver.bodies();
    const summary = bodies.map((body) => `${body.event} ${body.transaction?.status}`);
    expect([...summary.slice(0, 2).sort(), ...summary.slice(2)]).toEqual([
      'checkout_authorization AUTHORIZED',
      'checkout_transaction AUTHORIZED',
      'checkout_transaction CAPTURED',
      'checkout_transaction PARTIALLY_REFUNDED',
    ]);
    const sessionId = fake.checkout.transaction(transactionId)!.session_id;
    const authorization = bodies.find((body) => body.event === 'checkout_authorization');
    expect(authorization).toMatchObject({
      account_id: ACCOUNT,
      authorization: { transaction_id: transactionId, session_id: sessionId, merchant_reference: 'order-1' },
    });
    expect(authorization!.authorization).not.toHaveProperty('error');
    for (const [index, request] of receiver.received.entries()) {
      expect(request.headers.event).toBe(bodies[index]!.event);
      expect(request.headers['event-delivery']).toBe(bodies[index]!.event_delivery);
      expect(bodies[index]).toMatchObject({ account_id: ACCOUNT, transaction: { id: transactionId } });
    }
    expect(new Set(receiver.received.map((request) => request.headers['event-delivery'])).size).toBe(4);
  });

  it('void, a decline and a cancellation; only the events a subscription names', async () => {
    await subscribe(['checkout_authorization']);
    const voided = await api.pay(session());
    await api.call('POST', `/transactions/${voided}/void`);
    await advance(0);
    await api.pay(session({ order: { merchant_reference: 'order-2' } }), { outcome: 'DECLINED' });
    await advance(0);
    const cancelled = await api.call('POST', '/sessions-profile', session({ order: { merchant_reference: 'order-3' } }));
    fake.checkout.cancel(cancelled.body.id as string);
    await advance(0);
    expect(receiver.bodies().map((body) => [body.event, body.authorization!.merchant_reference, body.authorization!.error])).toEqual([
      ['checkout_authorization', 'order-1', undefined],
      ['checkout_authorization', 'order-2', 'authorization'],
      ['checkout_authorization', 'order-3', 'cancelled'],
    ]);
    expect(receiver.bodies()[2]).not.toHaveProperty('transaction');

    receiver.received.length = 0;
    await subscribe(['checkout_transaction']);
    const other = await api.pay(session());
    await advance(0);
    await api.call('POST', `/transactions/${other}/void`);
    await advance(0);
    const summary = receiver.bodies().map((body) => `${body.event} ${body.transaction?.status}`);
    expect([...summary.slice(0, 2).sort(), ...summary.slice(2)]).toEqual([
      'checkout_authorization AUTHORIZED',
      'checkout_transaction AUTHORIZED',
      'checkout_transaction AUTHORIZATION_VOIDED',
    ]);
  });

  it("another account's subscriptions get nothing", async () => {
    fake.webhooks.subscribe('T87654321', { config: { url: receiver.url }, events: ['checkout_transaction'] });
    await advance(0);
    expect(receiver.received.map((request) => request.headers.event)).toEqual(['ping']);
    await api.pay(session());
    await advance(0);
    expect(receiver.received).toHaveLength(1);
  });

  it('with a secret, event-signature is the HMAC-SHA1 of the exact bytes received; without one, no event-signature', async () => {
    await subscribe(['checkout_transaction'], 'hook-secret');
    await api.pay(session({ order: { merchant_reference: 'ordre-ÆØÅ' } }));
    await advance(0);
    const [signed] = receiver.received;
    expect(signed!.raw.toString('utf8')).toContain('ordre-ÆØÅ');
    expect(signed!.headers['event-signature']).toBe(hmacSha1('hook-secret', signed!.raw));
    expect(signed!.headers['event-signature']).not.toBe(hmacSha1('another-secret', signed!.raw));
    expect(fake.webhooks.attempts[0]!.headers['event-signature']).toBe(signed!.headers['event-signature']);

    fake.webhooks.unsubscribe(fake.webhooks.subscriptions[0]!.id);
    receiver.received.length = 0;
    await subscribe(['checkout_transaction']);
    await api.pay(session());
    await advance(0);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers).not.toHaveProperty('event-signature');
    expect(fake.webhooks.attempts[0]!.headers).not.toHaveProperty('event-signature');
  });
});

describe('retries, as Dintero retries', () => {
  it('a 500 is retried with the same delivery id, body and signature, until a 2xx', async () => {
    await subscribe(['checkout_transaction'], 'hook-secret');
    receiver.replies.push(500, 503);
    await api.pay(session());
    await advance(0);
    await advance(999);
    expect(receiver.received).toHaveLength(1);
    await advance(1);
    await advance(2_000);
    expect(fake.webhooks.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(new Set(receiver.received.map((request) => request.headers['event-delivery'])).size).toBe(1);
    expect(new Set(receiver.received.map((request) => request.raw.toString('hex'))).size).toBe(1);
    expect(new Set(receiver.received.map((request) => request.headers['event-signature'])).size).toBe(1);
    await advance(3_600_000);
    expect(receiver.received).toHaveLength(3);
    expect(fake.webhooks.pending).toBe(0);
    expect(fake.webhooks.subscriptions).toHaveLength(1);
  });

  it('a redirect is a failure, never followed; so is a 4xx', async () => {
    await subscribe(['checkout_transaction']);
    receiver.replies.push({ redirect: '/elsewhere' }, 404);
    await api.pay(session());
    await advance(0);
    await advance(1_000);
    await advance(2_000);
    expect(fake.webhooks.attempts.map((attempt) => attempt.status)).toEqual([302, 404, 200]);
    expect(receiver.received.map((request) => request.path)).toEqual(['/hooks', '/hooks', '/hooks']);
  });

  it('no answer within 120 s and a refused connection are failures', async () => {
    await subscribe(['checkout_transaction']);
    receiver.replies.push('hang');
    await api.pay(session());
    clock.advance(0);
    await expect.poll(() => receiver.received.length).toBe(1);
    clock.advance(119_999);
    expect(fake.webhooks.pending).toBe(1);
    expect(fake.webhooks.attempts).toEqual([]);
    await advance(1);
    expect(fake.webhooks.attempts).toMatchObject([{ attempt: 1, error: 'timeout' }]);
    await receiver.stop();
    await advance(1_000);
    expect(fake.webhooks.attempts).toMatchObject([{ error: 'timeout' }, { attempt: 2, error: 'ECONNREFUSED' }]);
    receiver = await new Receiver().start();
  });

  it('5 failed attempts of one delivery: the subscription is deleted, and gets nothing more', async () => {
    const id = await subscribe(['checkout_transaction']);
    receiver.replies.push(500, 500, 500, 500, 500);
    await api.pay(session());
    await advance(0);
    // Each step ends where the next retry falls due: 1 s, doubling.
    for (const delay of [1_000, 2_000, 4_000, 8_000]) await advance(delay);
    expect(fake.webhooks.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 500],
      [5, 500],
    ]);
    expect(fake.webhooks.subscriptions).toEqual([]);
    expect((await api.call('GET', `${SUBSCRIPTIONS}/${id}`)).status).toBe(404);
    expect(fake.webhooks.pending).toBe(0);
    await api.pay(session());
    await advance(3_600_000);
    expect(receiver.received).toHaveLength(5);
  });

  it('a subscription deleted meanwhile gets no retry', async () => {
    const id = await subscribe(['checkout_transaction']);
    receiver.replies.push(500);
    await api.pay(session());
    await advance(0);
    expect((await api.call('DELETE', `${SUBSCRIPTIONS}/${id}`)).status).toBe(204);
    await advance(3_600_000);
    expect(receiver.received).toHaveLength(1);
    expect(fake.webhooks.pending).toBe(0);
  });

  it('a public URL is recorded as skipped, never called', async () => {
    const { id } = fake.webhooks.subscribe(ACCOUNT, {
      config: { url: 'https://shop.example.com/hooks' },
      events: ['checkout_transaction'],
    });
    await advance(0);
    expect(fake.webhooks.attempts).toMatchObject([{ subscriptionId: id, event: 'ping', skipped: 'the fake calls loopback hosts only' }]);
  });

  it('stop() cancels scheduled retries', async () => {
    await subscribe(['checkout_transaction']);
    receiver.replies.push(500);
    await api.pay(session());
    await advance(0);
    expect(fake.webhooks.pending).toBe(1);
    await fake.stop();
    expect(fake.webhooks.pending).toBe(0);
    await fake.webhooks.settled();
  });
});

describe('on real time', () => {
  let live: FakeDinteroServer;
  afterEach(() => live.stop());

  it('webhookRetryDelayMs shortens the retries; settled() waits for the last one', async () => {
    live = await new FakeDinteroServer({ allowLoopbackCallbacks: true, webhookRetryDelayMs: 5 }).start();
    receiver.replies.push(200, 500, 500);
    live.webhooks.subscribe(ACCOUNT, { config: { url: receiver.url }, events: ['checkout_transaction'] });
    await live.webhooks.settled();
    await new FakeApi(live).pay(session());
    await live.webhooks.settled();
    expect(live.webhooks.attempts.map((attempt) => [attempt.event, attempt.status])).toEqual([
      ['ping', 200],
      ['checkout_transaction', 500],
      ['checkout_transaction', 500],
      ['checkout_transaction', 200],
    ]);
  });

  it('a delivery never holds up the API answer that caused it', async () => {
    live = await new FakeDinteroServer({ allowLoopbackCallbacks: true }).start();
    const liveApi = new FakeApi(live);
    receiver.replies.push('hang', 'hang');
    const created = await liveApi.call('POST', SUBSCRIPTIONS, { config: { url: receiver.url }, events: ['checkout_transaction'] });
    expect(created.status).toBe(201);
    await expect.poll(() => receiver.received.length).toBe(1);
    const transactionId = await liveApi.pay(session());
    await expect.poll(() => receiver.received.length).toBe(2);
    expect((await liveApi.call('POST', `/transactions/${transactionId}/capture`, { amount: 10_000 })).status).toBe(200);
    expect(live.webhooks.attempts).toEqual([]);
    expect(live.webhooks.pending).toBeGreaterThanOrEqual(2);
  });
});
