/**
 * The guards in real Nest apps on loopback, as Dintero would call them: three replicas sharing
 * Redis, each a callback and a webhook route. Spoofed, stale, future and replayed requests get a
 * plain 401 at every replica; a genuine delivery is handled exactly once.
 */
import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, type INestApplication, Module, Post, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DinteroAccountsModule,
  DinteroAuthModule,
  type DinteroAuthModuleOptions,
  DinteroCallbackGuard,
  type DinteroVerifiedCallback,
  type DinteroVerifiedWebhook,
  DinteroVerified,
  DinteroWebhookGuard,
  MemoryTokenStore,
} from '../../lib/index.js';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { signCallback, signWebhook } from '../support/dintero-signing.js';
import { REDIS_URL } from '../support/redis.js';

const ACCOUNT = 'T12345678';
const CALLBACK_SECRET = `callback-secret-${randomUUID()}`;
const WEBHOOK_SECRET = `webhook-secret-${randomUUID()}`;
const PUBLIC_URL = 'https://shop.example.com';

/** What the handlers saw, across replicas. */
const handled = { callbacks: [] as DinteroVerifiedCallback[], webhooks: [] as DinteroVerifiedWebhook[] };
/** The next webhook handler calls fail this many times (a crash mid-way: Dintero must retry). */
let failNextWebhooks = 0;
/** Holds the next webhook handler until released (a slow handler, overtaken by a retry). */
let holdWebhook: Promise<void> | undefined;

@Controller()
class PaymentsController {
  @Get('payments/callback')
  @UseGuards(DinteroCallbackGuard)
  callback(@DinteroVerified() verified: DinteroVerifiedCallback): { ok: true } {
    handled.callbacks.push(verified);
    return { ok: true };
  }

  @Post('hooks/dintero')
  @HttpCode(200)
  @UseGuards(DinteroWebhookGuard)
  async webhook(@DinteroVerified() verified: DinteroVerifiedWebhook, @Body() _body: unknown): Promise<{ ok: true }> {
    await holdWebhook;
    if (failNextWebhooks > 0) {
      failNextWebhooks -= 1;
      throw new Error('the order database is down');
    }
    handled.webhooks.push(verified);
    return { ok: true };
  }
}

const apps: INestApplication[] = [];

async function replica(options: Partial<DinteroAuthModuleOptions>, rawBody = true, logger = new CaptureLogger()): Promise<string> {
  @Module({
    imports: [
      DinteroAuthModule.forRoot({
        accountId: ACCOUNT,
        clientId: 'client',
        clientSecret: 'client-secret',
        signature: { callbackSecrets: [CALLBACK_SECRET], webhookSecrets: [WEBHOOK_SECRET], publicUrl: PUBLIC_URL },
        ...options,
      }),
    ],
    controllers: [PaymentsController],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { rawBody, logger });
  await app.listen(0, '127.0.0.1');
  apps.push(app);
  return app.getUrl();
}

const now = () => Math.floor(Date.now() / 1000);
const callbackPath = (merchantReference = randomUUID()) =>
  `/payments/callback?transaction_id=${ACCOUNT}.${randomUUID().slice(0, 8)}&merchant_reference=${merchantReference}&time=${new Date().toISOString()}`;

function callback(base: string, path: string, signature: string | undefined): Promise<Response> {
  return fetch(`${base}${path}`, { headers: signature === undefined ? {} : { 'Dintero-Signature': signature } });
}
const signed = (path: string, t = now(), secret = CALLBACK_SECRET) => signCallback(secret, t, ACCOUNT, 'GET', new URL(path, PUBLIC_URL));

function delivery(id = randomUUID(), body = JSON.stringify({ account_id: ACCOUNT, event: 'checkout_transaction', event_delivery: id })) {
  return { id, body, headers: { 'content-type': 'application/json', event: 'checkout_transaction', 'event-delivery': id } };
}
function webhook(base: string, sent: ReturnType<typeof delivery>, signature = signWebhook(WEBHOOK_SECRET, sent.body)): Promise<Response> {
  return fetch(`${base}/hooks/dintero`, { method: 'POST', body: sent.body, headers: { ...sent.headers, 'event-signature': signature } });
}

/** Sends again while told to wait (409), as Dintero retries; at most 50 times. */
async function retried(send: () => Promise<Response>): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    const answer = await send();
    if (answer.status !== 409 || attempt === 50) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function expectRefused(response: Promise<Response>): Promise<void> {
  const answer = await response;
  expect(answer.status).toBe(401);
  expect(await answer.json()).toEqual({ message: 'Unauthorized', statusCode: 401 });
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  handled.callbacks.length = 0;
  handled.webhooks.length = 0;
  failNextWebhooks = 0;
  holdWebhook = undefined;
});

describe.skipIf(!REDIS_URL)('three replicas sharing Redis', () => {
  let bases: string[];
  const start = async () => {
    bases = [];
    for (let n = 0; n < 3; n += 1) bases.push(await replica({ store: new RedisTokenStore({ url: REDIS_URL! }) }));
  };

  it('a genuine callback is handled once; the same callback at any replica, spoofed, stale or future ones get 401', async () => {
    await start();
    const path = callbackPath();
    const signature = signed(path);
    const first = await callback(bases[0]!, path, signature);
    expect(first.status).toBe(200);
    expect(handled.callbacks).toEqual([{ accountId: ACCOUNT, timestamp: expect.any(Date) }]);

    await expectRefused(callback(bases[1]!, path, signature));
    await expectRefused(callback(bases[2]!, path, signature));
    await expectRefused(callback(bases[1]!, path, undefined));
    await expectRefused(callback(bases[1]!, path, signed(path, now(), 'a guessed secret')));
    await expectRefused(callback(bases[1]!, `${path}&amount=1`, signed(path)));
    await expectRefused(callback(bases[2]!, path, signed(path, now() - 301)));
    // Whole seconds: 302 s ahead is beyond the 300 s tolerance whatever the milliseconds.
    await expectRefused(callback(bases[2]!, path, signed(path, now() + 302)));
    expect(handled.callbacks).toHaveLength(1);
  });

  it('a webhook delivery is handled once; its retries at other replicas are answered 2xx without running the handler', async () => {
    await start();
    const sent = delivery();
    const answers = await Promise.all([webhook(bases[0]!, sent)]);
    expect(answers[0].status).toBe(200);
    for (const base of bases) {
      const again = await webhook(base, sent);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ status: 'already handled' });
    }
    expect(handled.webhooks).toEqual([{ deliveryId: sent.id, event: 'checkout_transaction' }]);
    const fresh = delivery();
    await expectRefused(webhook(bases[1]!, fresh, signWebhook('a guessed secret', fresh.body)));
    // One byte more than was signed (and a fresh id, so it is not answered as a repeat).
    const other = delivery();
    await expectRefused(webhook(bases[1]!, { ...other, body: `${other.body} ` }, signWebhook(WEBHOOK_SECRET, other.body)));
    expect(handled.webhooks).toHaveLength(1);
  });

  it('a handler that fails leaves the delivery to the retry, which runs it again; one still running makes a retry wait (409)', async () => {
    await start();
    const sent = delivery();
    failNextWebhooks = 1;
    expect((await webhook(bases[0]!, sent)).status).toBe(500);
    expect(handled.webhooks).toEqual([]);
    // The claim is given back just after the 500 went out; a retry in between is told to wait, as Dintero's would be.
    expect((await retried(() => webhook(bases[1]!, sent))).status).toBe(200);
    expect(handled.webhooks).toHaveLength(1);

    let release!: () => void;
    holdWebhook = new Promise((resolve) => (release = resolve));
    const slow = delivery();
    const first = webhook(bases[0]!, slow);
    // The first replica has claimed the delivery once a second one is told to wait.
    let overtaking: Response;
    do overtaking = await webhook(bases[2]!, slow);
    while (overtaking.status === 401);
    expect(overtaking.status).toBe(409);
    release();
    expect((await first).status).toBe(200);
    expect((await retried(() => webhook(bases[2]!, slow))).status).toBe(200);
    expect(handled.webhooks.filter((seen) => seen.deliveryId === slow.id)).toHaveLength(1);
  });
});

describe('one replica, its own memory', () => {
  it('refuses a replay within the process without a shared store', async () => {
    const base = await replica({});
    const path = callbackPath();
    const signature = signed(path);
    expect((await callback(base, path, signature)).status).toBe(200);
    await expectRefused(callback(base, path, signature));
  });

  it('without the raw body, every webhook gets 401 and the log says how to fix it, once', async () => {
    const logger = new CaptureLogger();
    const base = await replica({}, false, logger);
    await expectRefused(webhook(base, delivery()));
    await expectRefused(webhook(base, delivery()));
    const told = logger.lines.filter((line) => line.includes('rawBody: true'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/error/i);
    expect(handled.webhooks).toEqual([]);
  });

  it('with no secret configured, every callback and webhook gets 401', async () => {
    const base = await replica({ signature: {} });
    const path = callbackPath();
    await expectRefused(callback(base, path, signed(path)));
    await expectRefused(webhook(base, delivery()));
  });

  it('never shows a secret in a log line', async () => {
    const logger = new CaptureLogger();
    const base = await replica({ store: new MemoryTokenStore() }, true, logger);
    const path = callbackPath();
    await callback(base, path, signed(path, now(), 'wrong'));
    await webhook(base, delivery(), signWebhook('wrong', 'x'));
    const text = logger.lines.join('\n');
    expect(logger.lines.filter((line) => line.includes('refused'))).toEqual([
      expect.stringMatching(/^debug Dintero callback refused: Not a verified Dintero request \(mismatch\)/),
      expect.stringMatching(/^debug Dintero webhook refused: Not a verified Dintero request \(mismatch\)/),
    ]);
    expect(text).not.toContain(CALLBACK_SECRET);
    expect(text).not.toContain(WEBHOOK_SECRET);
  });
});

describe('accounts known at run time', () => {
  it("checks each callback with its own account's secret, from the resolver", async () => {
    const secrets: Record<string, string> = { T11111111: 'secret-one', T22222222: 'secret-two' };
    @Module({
      imports: [
        DinteroAccountsModule.forRoot({
          resolveCredentials: (accountId) =>
            secrets[accountId] ? { clientId: `client-${accountId}`, clientSecret: 'x', callbackSecrets: [secrets[accountId]] } : undefined,
          signature: { publicUrl: PUBLIC_URL },
          isGlobal: true,
        }),
      ],
      controllers: [PaymentsController],
    })
    class PlatformModule {}
    const app = await NestFactory.create(PlatformModule, { rawBody: true, logger: false });
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    const base = await app.getUrl();
    const path = (account: string) => `/payments/callback?transaction_id=${account}.${randomUUID().slice(0, 8)}&merchant_reference=m`;
    const one = path('T11111111');
    const sign = (account: string, secret: string, p: string) => signCallback(secret, now(), account, 'GET', new URL(p, PUBLIC_URL));
    expect((await callback(base, one, sign('T11111111', 'secret-one', one))).status).toBe(200);
    const two = path('T22222222');
    await expectRefused(callback(base, two, sign('T22222222', 'secret-one', two)));
    expect((await callback(base, two, sign('T22222222', 'secret-two', two))).status).toBe(200);
    const unknown = path('T33333333');
    await expectRefused(callback(base, unknown, sign('T33333333', 'secret-one', unknown)));
    expect(handled.callbacks.map((seen) => seen.accountId)).toEqual(['T11111111', 'T22222222']);
  });
});
