/**
 * The two halves written apart, meeting on loopback: the fake Dintero signs callbacks and
 * delivers webhooks as Dintero does; a real Nest app with the guards lets them through exactly
 * once, and refuses them when its secret is not the one Dintero signs with.
 */
import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, type INestApplication, Module, Post, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import {
  DinteroAuthModule,
  DinteroCallbackGuard,
  DinteroHttpService,
  type DinteroVerifiedCallback,
  type DinteroVerifiedWebhook,
  DinteroVerified,
  DinteroWebhookGuard,
} from '../../lib/index.js';
import { sessionBody } from '../support/checkout.js';
import { freePort } from '../support/free-port.js';
import { fakeOptions } from '../support/token-app.js';

const CALLBACK_SECRET = `callback-${randomUUID()}`;
const WEBHOOK_SECRET = `webhook-${randomUUID()}`;
const seen = { callbacks: [] as DinteroVerifiedCallback[], webhooks: [] as DinteroVerifiedWebhook[] };

@Controller()
class ShopController {
  @Get('payments/callback')
  @UseGuards(DinteroCallbackGuard)
  callback(@DinteroVerified() verified: DinteroVerifiedCallback): void {
    seen.callbacks.push(verified);
  }

  @Post('hooks/dintero')
  @HttpCode(200)
  @UseGuards(DinteroWebhookGuard)
  webhook(@DinteroVerified() verified: DinteroVerifiedWebhook): void {
    seen.webhooks.push(verified);
  }
}

let fake: FakeDinteroServer;
let app: INestApplication;

/** A shop on loopback that knows `secrets` (the fake signs with the real ones). */
async function shop(secrets: { callback: string; webhook: string }): Promise<string> {
  fake = await new FakeDinteroServer({
    callbackSignatureSecret: CALLBACK_SECRET,
    webhookRetryDelayMs: 5,
    allowLoopbackCallbacks: true,
  }).start();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  @Module({
    imports: [
      DinteroAuthModule.forRoot(
        fakeOptions(fake, { signature: { callbackSecrets: [secrets.callback], webhookSecrets: [secrets.webhook], publicUrl } }),
      ),
    ],
    controllers: [ShopController],
  })
  class ShopModule {}
  app = await NestFactory.create(ShopModule, { rawBody: true, logger: false });
  await app.listen(port, '127.0.0.1');
  return publicUrl;
}

/** A session with the shop's callback URL, paid: its transaction id. */
async function pay(base: string): Promise<string> {
  const http = app.get(DinteroHttpService);
  const body = { ...sessionBody(), url: { return_url: 'https://shop.example/return', callback_url: `${base}/payments/callback` } };
  const created = await firstValueFrom(http.post<{ id: string }>('/sessions-profile', body));
  return fake.checkout.authorize(created.data.id).id;
}

afterEach(async () => {
  await app?.close();
  await fake?.stop();
  seen.callbacks.length = 0;
  seen.webhooks.length = 0;
});

describe("the fake's signed callbacks and webhooks through the guards", () => {
  it('a paid session calls the shop back once, verified; a webhook subscription gets its ping and the transaction once', async () => {
    const base = await shop({ callback: CALLBACK_SECRET, webhook: WEBHOOK_SECRET });
    const account = FAKE_DINTERO_CLIENT.accountId;
    fake.webhooks.subscribe(account, {
      config: { url: `${base}/hooks/dintero`, secret: WEBHOOK_SECRET },
      events: ['checkout_transaction'],
    });
    const transactionId = await pay(base);
    await fake.callbacks.settled();
    await fake.webhooks.settled();

    expect(seen.callbacks).toEqual([{ accountId: account, timestamp: expect.any(Date) }]);
    expect(fake.callbacks.attempts.map((attempt) => attempt.status)).toEqual([200]);
    expect(seen.webhooks.map((delivery) => delivery.event)).toEqual(['ping', 'checkout_transaction']);
    expect(fake.webhooks.attempts.every((attempt) => attempt.status === 200)).toBe(true);
    expect(transactionId.startsWith(`${account}.`)).toBe(true);
  });

  it('with secrets that are not the ones Dintero signs with, every callback and delivery is refused with 401', async () => {
    const base = await shop({ callback: 'an old secret', webhook: 'another old secret' });
    const account = FAKE_DINTERO_CLIENT.accountId;
    fake.webhooks.subscribe(account, {
      config: { url: `${base}/hooks/dintero`, secret: WEBHOOK_SECRET },
      events: ['checkout_transaction'],
    });
    await pay(base);
    await fake.callbacks.settled();
    await fake.webhooks.settled();
    expect(seen).toEqual({ callbacks: [], webhooks: [] });
    expect(new Set(fake.callbacks.attempts.map((attempt) => attempt.status))).toEqual(new Set([401]));
    expect(new Set(fake.webhooks.attempts.map((attempt) => attempt.status))).toEqual(new Set([401]));
  });
});
