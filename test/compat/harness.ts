// Runs every README example (./examples, copied in by run.sh) in this app, against the
// built-in fake Dintero: boot, token, an authorized call, shutdown. Any failure exits 1.
import 'reflect-metadata';
import { type INestApplicationContext, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from 'nestjs-dintero-auth/fake-dintero';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { DinteroAuthModule, DinteroTokenService, dinteroOptionsFromEnv } from 'nestjs-dintero-auth';
import { register } from 'prom-client';
import { firstValueFrom } from 'rxjs';
import { MerchantCredentials, Payments, PlatformModule } from './examples/accounts.module.js';
import { AppModule as FactoryAppModule } from './examples/app-config-factory.module.js';
import { AppModule } from './examples/app.module.js';
import { BillingClient } from './examples/billing.client.js';
import { DinteroEventsController, DinteroEventsModule } from './examples/dintero-callbacks.module.js';
import { HealthController, HealthModule } from './examples/health.module.js';
import { Marketplace, MarketplaceModule } from './examples/marketplace.module.js';
import { AppModule as MountedSecretAppModule } from './examples/mounted-secret.module.js';
import { paymentsEndToEnd } from './examples/payments.e2e.js';
import { PaymentsService } from './examples/payments.service.js';
import { paymentsTestingModule } from './examples/payments.testing.js';
import { AppModule as ReplicasAppModule } from './examples/replicas.module.js';
import { TransactionsController } from './examples/transactions.controller.js';
import { DinteroHeaders } from './examples/token-headers.js';
import { TokenMetrics } from './examples/token-metrics.js';

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`README example failed: ${what}`);
}

async function withApp(module: Type, run: (app: INestApplicationContext) => Promise<void>): Promise<void> {
  const app = await NestFactory.createApplicationContext(module, { logger: false, abortOnError: false });
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const fake = await new FakeDinteroServer().start();
  const bearers = () => fake.apiRequests.map((request) => request.headers.authorization);
  Object.assign(process.env, {
    DINTERO_ACCOUNT_ID: FAKE_DINTERO_CLIENT.accountId,
    DINTERO_CLIENT_ID: FAKE_DINTERO_CLIENT.clientId,
    DINTERO_CLIENT_SECRET: FAKE_DINTERO_CLIENT.clientSecret,
    DINTERO_BASE_URL: fake.baseUrl,
    DINTERO_ALLOW_INSECURE_LOOPBACK: 'true',
  });
  const ran: string[] = [];

  await withApp(AppModule, async (app) => {
    const session = await app.get(PaymentsService).createSession(1_000, 'NOK', 'compat');
    const token = await app.get(DinteroTokenService).getToken();
    check(
      session.id.startsWith(`${FAKE_DINTERO_CLIENT.accountId}.`) && bearers().every((bearer) => bearer === `Bearer ${token.accessToken}`),
      'quick start call',
    );
  });
  ran.push('quick start', 'DinteroHttpService');

  @Module({ imports: [AppModule], controllers: [TransactionsController] })
  class AppWithControllerModule {}
  const web = await NestFactory.create(AppWithControllerModule, { logger: false });
  try {
    await web.listen(0, '127.0.0.1');
    const base = await web.getUrl();
    const unknown = await fetch(`${base}/transactions/${FAKE_DINTERO_CLIENT.accountId}.unknown`);
    const body = (await unknown.json()) as { dintero?: { status?: number } };
    const refused = await fetch(`${base}/transactions/not-an-id`);
    check(unknown.status === 404 && body.dintero?.status === 404 && refused.status === 400, 'DinteroExceptionFilter');
  } finally {
    await web.close();
  }
  ran.push('DinteroExceptionFilter');

  @Module({ imports: [AppModule, HealthModule] })
  class AppWithHealthModule {}
  await withApp(AppWithHealthModule, async (app) => {
    await app.get(DinteroTokenService).getToken();
    const health = await app.get(HealthController).check();
    check(health.status === 'ok' && health.info?.dintero?.status === 'up', 'health check');
  });
  ran.push('health');

  await withApp(FactoryAppModule, async (app) => {
    fake.resetCounts();
    const session = await app.get(PaymentsService).createSession(1_000, 'NOK', 'factory');
    check(session.id.startsWith(`${FAKE_DINTERO_CLIENT.accountId}.`) && fake.apiRequestCount === 1, 'factory configuration');
  });
  ran.push('ConfigService factory');

  @Module({ imports: [DinteroAuthModule.forRoot(dinteroOptionsFromEnv())], providers: [DinteroHeaders, BillingClient, TokenMetrics] })
  class ServicesModule {}
  await withApp(ServicesModule, async (app) => {
    const { Authorization } = await app.get(DinteroHeaders).authorization();
    check(fake.verifyToken(Authorization.replace('Bearer ', '')) !== undefined, 'DinteroTokenService header');
    fake.resetCounts();
    await app
      .get(BillingClient)
      .http.get('/sessions/none')
      .catch(() => undefined);
    check(bearers()[0] === Authorization, 'attach() to an axios instance of your own');
    const metrics = await register.getSingleMetricAsString('dintero_token_events_total');
    check(metrics.includes('type="acquired"'), 'token metrics');
  });
  ran.push('DinteroTokenService', 'attach()', 'events');

  for (const prefix of ['NORWAY', 'SWEDEN']) {
    process.env[`${prefix}_DINTERO_ACCOUNT_ID`] = FAKE_DINTERO_CLIENT.accountId;
    process.env[`${prefix}_DINTERO_CLIENT_ID`] = FAKE_DINTERO_CLIENT.clientId;
    process.env[`${prefix}_DINTERO_CLIENT_SECRET`] = FAKE_DINTERO_CLIENT.clientSecret;
  }
  await withApp(MarketplaceModule, async (app) => {
    const market = app.get(Marketplace);
    fake.resetCounts();
    const order = { amount: 1_000, currency: 'NOK', merchant_reference: 'marketplace' };
    for (const http of [market.norway, market.sweden]) {
      await firstValueFrom(
        http.post('/sessions-profile', { profile_id: 'default', url: { return_url: 'https://shop.example/return' }, order }),
      );
    }
    check(
      market.norway !== market.sweden && market.swedenTokens instanceof DinteroTokenService && fake.apiRequestCount === 2,
      'named registrations',
    );
  });
  ran.push('many accounts');

  await withApp(PlatformModule, async (app) => {
    app.get(MerchantCredentials).connect(FAKE_DINTERO_CLIENT.accountId, FAKE_DINTERO_CLIENT);
    const session = fake.checkout.createSession(FAKE_DINTERO_CLIENT.accountId, {
      profile_id: 'default',
      url: { return_url: 'https://shop.example/return' },
      order: { amount: 10_000, currency: 'NOK', merchant_reference: 'platform' },
    });
    const captured = (await app.get(Payments).capture(FAKE_DINTERO_CLIENT.accountId, fake.checkout.authorize(session.id).id, 10_000)) as {
      status?: string;
    };
    check(captured.status === 'CAPTURED', 'accounts at run time');
  });
  ran.push('accounts at run time');

  if (process.env.REDIS_URL) {
    // Tokens that other fakes (other signing keys) left in this Redis may sit under this fake's
    // keys when a port is handed out again: start from an empty store.
    const redis = new Redis(process.env.REDIS_URL);
    const stale = await redis.keys('dintero-auth:*');
    if (stale.length > 0) await redis.del(...stale);
    redis.disconnect();
    await withApp(ReplicasAppModule, async (app) => {
      check(fake.verifyToken((await app.get(DinteroTokenService).getToken()).accessToken) !== undefined, 'shared store');
    });
    ran.push('replicas');
  } else console.log('REDIS_URL is not set: the replicas example was compiled, not run');

  const testing = await paymentsTestingModule();
  check(
    (await testing.get(DinteroTokenService).getAccessToken()) === 'test-token' && testing.get(PaymentsService) !== undefined,
    'testing module',
  );
  await testing.close();
  await paymentsEndToEnd();
  ran.push('testing module', 'fake server');

  Object.assign(process.env, {
    DINTERO_CALLBACK_SECRET: 'compat-callback-secret',
    DINTERO_WEBHOOK_SECRET: 'compat-webhook-secret',
    PUBLIC_URL: 'https://shop.example.com',
  });
  const events = await NestFactory.create(DinteroEventsModule, { rawBody: true, logger: false });
  try {
    await events.listen(0, '127.0.0.1');
    const base = await events.getUrl();
    // Signed as Dintero signs: the callback over its request, the webhook over its raw body.
    const path = `/dintero/callback?transaction_id=${FAKE_DINTERO_CLIENT.accountId}.compat&merchant_reference=compat`;
    const t = Math.floor(Date.now() / 1000);
    const text = [
      t,
      FAKE_DINTERO_CLIENT.accountId,
      'GET',
      'shop.example.com',
      '/dintero/callback',
      'merchant_reference=compat&transaction_id=' + `${FAKE_DINTERO_CLIENT.accountId}.compat`,
    ].join('\n');
    const signature = `t=${t},v0-hmac-sha256=${createHmac('sha256', 'compat-callback-secret').update(text).digest('hex')}`;
    const signed = await fetch(`${base}${path}`, { headers: { 'Dintero-Signature': signature } });
    const replayed = await fetch(`${base}${path}`, { headers: { 'Dintero-Signature': signature } });
    const body = JSON.stringify({ account_id: FAKE_DINTERO_CLIENT.accountId, transaction: { id: 'T1.compat' } });
    const hook = { event: 'checkout_transaction', 'event-delivery': `compat-${t}`, 'content-type': 'application/json' };
    const delivered = await fetch(`${base}/dintero/webhook`, {
      method: 'POST',
      body,
      headers: { ...hook, 'event-signature': createHmac('sha1', 'compat-webhook-secret').update(body).digest('hex') },
    });
    const spoofed = await fetch(`${base}/dintero/webhook`, {
      method: 'POST',
      body,
      headers: { ...hook, 'event-signature': '0'.repeat(40) },
    });
    check(
      [signed.status, replayed.status, delivered.status, spoofed.status].join() === '200,401,200,401' &&
        events.get(DinteroEventsController).seen.join() ===
          `callback for ${FAKE_DINTERO_CLIENT.accountId},checkout_transaction for T1.compat`,
      'signed callbacks and webhooks',
    );
  } finally {
    await events.close();
  }
  ran.push('callbacks and webhooks');

  // The mounted secret rotated while the app runs: Dintero takes the new one and refuses the old.
  const secretDir = mkdtempSync(join(tmpdir(), 'dintero-secret-'));
  const mount = (secret: string) => {
    writeFileSync(join(secretDir, 'client-id'), `${FAKE_DINTERO_CLIENT.clientId}\n`);
    writeFileSync(join(secretDir, 'client-secret'), `${secret}\n`);
  };
  mount(FAKE_DINTERO_CLIENT.clientSecret);
  process.env.DINTERO_SECRET_DIR = secretDir;
  await withApp(MountedSecretAppModule, async (app) => {
    const tokens = app.get(DinteroTokenService);
    await tokens.getToken();
    fake.addClientSecret(FAKE_DINTERO_CLIENT.clientId, 'compat-rotated-secret');
    mount('compat-rotated-secret');
    fake.revokeClientSecret(FAKE_DINTERO_CLIENT.clientId, FAKE_DINTERO_CLIENT.clientSecret);
    const rotated = await tokens.refresh();
    const sent = fake.tokenRequests.at(-1)?.headers.authorization;
    const expected = `Basic ${Buffer.from(`${FAKE_DINTERO_CLIENT.clientId}:compat-rotated-secret`).toString('base64')}`;
    check(fake.verifyToken(rotated.accessToken) !== undefined && sent === expected, 'mounted secret rotated');
  });
  rmSync(secretDir, { recursive: true, force: true });
  ran.push('mounted secret');

  await fake.stop();
  const nest = (createRequire(`${process.cwd()}/`)('@nestjs/core/package.json') as { version: string }).version;
  console.log(`README examples ok on NestJS ${nest}, Node ${process.versions.node}: ${ran.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
