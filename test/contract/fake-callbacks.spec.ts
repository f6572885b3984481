import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { FakeApi, session } from './fake-api.js';

/** What the merchant's callback route answers, request by request: a status, or no answer at all. */
type Reply = number | 'hang';

/** The merchant's side: records each callback and answers from a script (then 200). */
class Merchant extends ScriptedServer {
  readonly received: { method: string; url: URL; headers: IncomingHttpHeaders; body: string }[] = [];
  readonly replies: Reply[] = [];

  constructor() {
    super((req, res, body) => {
      this.received.push({ method: req.method ?? '', url: new URL(req.url ?? '/', this.origin), headers: req.headers, body });
      const reply = this.replies.shift() ?? 200;
      if (reply === 'hang') return;
      res.writeHead(reply, { 'Content-Length': 0 });
      res.end();
    });
  }
}

let clock: ManualClock;
let fake: FakeDinteroServer;
let merchant: Merchant;
let api: FakeApi;

beforeEach(async () => {
  clock = new ManualClock();
  fake = await new FakeDinteroServer({ allowLoopbackCallbacks: true, clock }).start();
  merchant = await new Merchant().start();
  api = new FakeApi(fake);
});
afterEach(async () => {
  await fake.stop();
  await merchant.stop();
});

/** A session whose callback_url carries `options`, paid with `outcome`: the transaction id. */
function pay(options = '', outcome?: 'AUTHORIZED' | 'ON_HOLD' | 'DECLINED'): Promise<string> {
  return api.pay(session({ url: { callback_url: `${merchant.origin}/cb${options}` } }), outcome ? { outcome } : {});
}

/** Moves the fake's clock, then waits for the attempts that fell due to finish. */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await fake.callbacks.idle();
}

describe('callbacks, as Dintero delivers them', () => {
  it('a GET after authorization, with transaction_id, session_id, merchant_reference and time', async () => {
    const transactionId = await pay('?shop=1');
    await advance(0);
    expect(merchant.received).toHaveLength(1);
    const [call] = merchant.received;
    expect(call!.method).toBe('GET');
    expect(call!.url.pathname).toBe('/cb');
    expect(Object.fromEntries(call!.url.searchParams)).toEqual({
      shop: '1',
      transaction_id: transactionId,
      merchant_reference: 'order-1',
      session_id: fake.checkout.transaction(transactionId)!.session_id,
      time: new Date(clock.wallNow()).toISOString(),
    });
    expect(fake.callbacks.attempts).toEqual([{ url: call!.url.href, method: 'GET', attempt: 1, status: 200 }]);
  });

  it('method=POST sends the transaction as JSON; includes=session adds the session; sid_parameter_name=sid renames', async () => {
    const transactionId = await pay('?method=POST&includes=session&sid_parameter_name=sid');
    await advance(0);
    const [call] = merchant.received;
    expect(call!.method).toBe('POST');
    const body = JSON.parse(call!.body) as { id: string; status: string; session: { id: string } };
    expect(body).toMatchObject({
      id: transactionId,
      status: 'AUTHORIZED',
      session: { id: fake.checkout.transaction(transactionId)!.session_id },
    });
    expect(call!.url.searchParams.get('sid')).toBe(body.session.id);
    expect(call!.url.searchParams.has('session_id')).toBe(false);
  });

  it('delay_callback waits that many seconds, at most 60', async () => {
    await pay('?delay_callback=5');
    await advance(4_999);
    expect(merchant.received).toHaveLength(0);
    await advance(1);
    expect(merchant.received).toHaveLength(1);

    await pay('?delay_callback=3600');
    await advance(59_999);
    expect(merchant.received).toHaveLength(1);
    await advance(1);
    expect(merchant.received).toHaveLength(2);
  });

  it('retries 5xx with backoff until a 200', async () => {
    merchant.replies.push(500, 503);
    await pay();
    await advance(0);
    await advance(999);
    expect(merchant.received).toHaveLength(1);
    await advance(1);
    expect(merchant.received).toHaveLength(2);
    await advance(1_999);
    expect(merchant.received).toHaveLength(2);
    await advance(1);
    expect(fake.callbacks.attempts.map((attempt) => attempt.status)).toEqual([500, 503, 200]);
    expect(fake.callbacks.pending).toBe(0);
  });

  it('a 4xx is permanent: no retry', async () => {
    merchant.replies.push(404);
    await pay();
    await advance(0);
    await advance(3_600_000);
    expect(fake.callbacks.attempts.map((attempt) => attempt.status)).toEqual([404]);
    expect(fake.callbacks.pending).toBe(0);
  });

  it('no answer within 10 s is a failure, retried', async () => {
    merchant.replies.push('hang');
    await pay();
    clock.advance(0);
    await expect.poll(() => merchant.received.length).toBe(1);
    await advance(10_000);
    expect(fake.callbacks.attempts).toMatchObject([{ attempt: 1, error: 'timeout' }]);
    await advance(1_000);
    expect(fake.callbacks.attempts).toMatchObject([{ error: 'timeout' }, { attempt: 2, status: 200 }]);
  });

  it('a refused connection is retried; after 20 retries it gives up', async () => {
    await pay();
    await merchant.stop();
    await advance(0);
    // Each step ends where the next retry falls due: 1 s, doubling, at most 5 minutes.
    for (let failed = 1; failed <= 25; failed++) await advance(Math.min(1_000 * 2 ** (failed - 1), 300_000));
    expect(fake.callbacks.attempts).toHaveLength(21);
    expect(new Set(fake.callbacks.attempts.map((attempt) => attempt.error))).toEqual(new Set(['ECONNREFUSED']));
    expect(fake.callbacks.pending).toBe(0);
    merchant = await new Merchant().start();
  });

  it('ON_HOLD gives a callback, and a second one once decided', async () => {
    const transactionId = await pay('', 'ON_HOLD');
    await advance(0);
    fake.checkout.settle(transactionId, 'AUTHORIZED');
    await advance(0);
    expect(merchant.received.map((call) => call.url.searchParams.get('transaction_id'))).toEqual([transactionId, transactionId]);
  });

  it('errors only with report_error=true: cancelled without a transaction, declined with error=authorization', async () => {
    await pay('', 'DECLINED');
    const quiet = await api.call('POST', '/sessions-profile', session({ url: { callback_url: `${merchant.origin}/cb` } }));
    fake.checkout.cancel(quiet.body.id as string);
    await advance(0);
    expect(merchant.received).toHaveLength(0);

    const declined = await pay('?report_error=true', 'DECLINED');
    const loud = await api.call('POST', '/sessions-profile', session({ url: { callback_url: `${merchant.origin}/cb?report_error=true` } }));
    fake.checkout.cancel(loud.body.id as string);
    await advance(0);
    const queries = merchant.received.map((call) => call.url.searchParams);
    expect(queries.map((query) => [query.get('error'), query.get('transaction_id')])).toEqual([
      ['authorization', declined],
      ['cancelled', null],
    ]);
  });

  it('report_event adds the operations asked for, with event and event_id', async () => {
    const transactionId = await pay('?report_event=CAPTURE');
    await api.call('POST', `/transactions/${transactionId}/capture`, { amount: 10_000 });
    await api.call('POST', `/transactions/${transactionId}/refund`, { amount: 10_000 });
    await advance(0);
    const capture = fake.checkout.transaction(transactionId)!.events.find((event) => event.event === 'CAPTURE')!;
    expect(merchant.received.map((call) => [call.url.searchParams.get('event'), call.url.searchParams.get('event_id')])).toEqual([
      [null, null],
      ['CAPTURE', capture.id],
    ]);
  });

  it('never calls a host other than loopback: a public callback_url is recorded as skipped', async () => {
    const transactionId = await api.pay(session({ url: { callback_url: 'https://shop.example.com/cb' } }));
    await advance(0);
    expect(fake.callbacks.attempts).toMatchObject([{ method: 'GET', skipped: 'the fake calls loopback hosts only' }]);
    expect(fake.callbacks.attempts[0]!.url).toContain(transactionId);
  });

  it('stop() cancels scheduled retries', async () => {
    merchant.replies.push(500);
    await pay();
    await advance(0);
    expect(fake.callbacks.pending).toBe(1);
    await fake.stop();
    expect(fake.callbacks.pending).toBe(0);
    await fake.callbacks.settled();
  });
});

/**
 * Checks a received callback's `Dintero-Signature` as a merchant would, written here apart from
 * the fake's signer: the signed text is rebuilt from the request as it arrived. Returns its `t`.
 */
function verify(call: Merchant['received'][number], secret: string): number {
  const match = /^t=(\d+),v0-hmac-sha256=([0-9a-f]{64})$/.exec(String(call.headers['dintero-signature']));
  if (!match) throw new Error(`no signature: ${String(call.headers['dintero-signature'])}`);
  const byName = [...call.url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = [match[1], 'T12345678', call.method, call.url.hostname, call.url.pathname, new URLSearchParams(byName).toString()].join(
    '\n',
  );
  expect(match[2]).toBe(createHmac('sha256', secret).update(text).digest('hex'));
  return Number(match[1]);
}

describe('signed callbacks (Dintero-Signature)', () => {
  let signed: FakeDinteroServer;
  let signedApi: FakeApi;

  beforeEach(async () => {
    signed = await new FakeDinteroServer({ allowLoopbackCallbacks: true, clock, callbackSignatureSecret: 'merchant-secret' }).start();
    signedApi = new FakeApi(signed);
  });
  afterEach(() => signed.stop());

  const paySigned = (options: string) => signedApi.pay(session({ url: { callback_url: `${merchant.origin}/shop/cb${options}` } }));
  const advanceSigned = async (ms: number) => {
    clock.advance(ms);
    await signed.callbacks.idle();
  };

  it('each callback is signed with the secret, t from the fake clock, over the query as requested', async () => {
    await paySigned('?z=last&note=a%20b&a=1&method=POST');
    await advanceSigned(0);
    const [call] = merchant.received;
    expect(call!.method).toBe('POST');
    expect(verify(call!, 'merchant-secret')).toBe(Math.floor(clock.wallNow() / 1000));
    expect(signed.callbacks.attempts).toMatchObject([{ status: 200, signature: call!.headers['dintero-signature'] }]);
    expect(() => verify(call!, 'another-secret')).toThrow();
  });

  it('a retry is signed anew: a later t', async () => {
    merchant.replies.push(500);
    await paySigned('');
    await advanceSigned(0);
    await advanceSigned(1_000);
    const [first, retry] = merchant.received;
    expect(verify(retry!, 'merchant-secret') - verify(first!, 'merchant-secret')).toBe(1);
  });

  it('the secret can be rotated at run time, and removed', async () => {
    await paySigned('');
    await advanceSigned(0);
    signed.callbacks.signatureSecret = 'rotated-secret';
    await paySigned('');
    await advanceSigned(0);
    signed.callbacks.signatureSecret = undefined;
    await paySigned('');
    await advanceSigned(0);
    verify(merchant.received[0]!, 'merchant-secret');
    verify(merchant.received[1]!, 'rotated-secret');
    expect(merchant.received[2]!.headers).not.toHaveProperty('dintero-signature');
    expect(signed.callbacks.attempts[2]).not.toHaveProperty('signature');
  });

  it('without a secret, no callback is signed', async () => {
    await pay();
    await advance(0);
    expect(merchant.received[0]!.headers).not.toHaveProperty('dintero-signature');
  });
});
