import type { INestApplication } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { signCallback } from '../../lib/fake-dintero/fake-signature.js';
import { AppModule } from '../../sample-app/src/app.module.js';
import { FAKE_WEBHOOK_SECRET } from '../../sample-app/src/dev/fake-dintero.module.js';
import { APP_OPTIONS, setUpApp } from '../../sample-app/src/app.setup.js';
import { DinteroTarget } from '../../sample-app/src/dintero/dintero-target.js';
import { OPERATION_POLL_DELAYS_MS } from '../../sample-app/src/payments/payments.service.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { freePort } from '../support/free-port.js';

export interface SampleApp {
  readonly app: INestApplication;
  readonly fake: FakeDinteroServer;
  readonly logger: CaptureLogger;
  /** `http://127.0.0.1:{port}`: where the app listens, its PUBLIC_URL (return and callback URLs). */
  readonly origin: string;
  /** The app's HTTP server, for supertest. */
  readonly server: Server;
}

/** The shop page's cart: two lines, 347.00 NOK. */
export const DEMO_CART = {
  amount: 34_700,
  currency: 'NOK',
  items: [
    { description: 'Wool socks', quantity: 2, amount: 29_800, vat: 25 },
    { description: 'Gift wrapping', quantity: 1, amount: 4_900, vat: 25 },
  ],
};

/**
 * Resolves once every callback and webhook delivery of the fake has landed: both read the
 * transaction from the fake, so count its requests only after this.
 */
export async function settled(sample: SampleApp): Promise<void> {
  await Promise.all([sample.fake.callbacks.settled(), sample.fake.webhooks.settled()]);
}

/**
 * The `Dintero-Signature` Dintero would send with a callback to `pathAndQuery` of the app: by
 * default now, with the fake's secret, for the account the query names (else the app's own).
 */
export function callbackSignature(
  sample: SampleApp,
  pathAndQuery: string,
  options: { readonly secret?: string; readonly at?: number; readonly method?: 'GET' | 'POST' } = {},
): string {
  const url = new URL(pathAndQuery, sample.origin);
  const named = url.searchParams.get('transaction_id') ?? url.searchParams.get('session_id') ?? '';
  return signCallback(options.secret ?? sample.fake.callbacks.signatureSecret!, {
    timestamp: Math.floor((options.at ?? Date.now()) / 1000),
    accountId: /^[PT]\d{8}\./.test(named) ? named.split('.')[0]! : FAKE_DINTERO_CLIENT.accountId,
    method: options.method ?? 'GET',
    url,
  });
}

/**
 * Runs `act` with the fake's webhook subscription to the app deleted, so that only callbacks and
 * the app's own reads tell it of a payment; then subscribes the app again, as the app's dev module does.
 */
export async function withoutWebhooks<T>(sample: SampleApp, act: () => Promise<T>): Promise<T> {
  const account = FAKE_DINTERO_CLIENT.accountId;
  const subscriptions = sample.fake.webhooks.subscriptionsOf(account);
  for (const subscription of subscriptions) sample.fake.webhooks.unsubscribe(subscription.id);
  try {
    return await act();
  } finally {
    for (const { config, events } of subscriptions) {
      sample.fake.webhooks.subscribe(account, { config: { url: config.url, secret: FAKE_WEBHOOK_SECRET }, events });
    }
  }
}

/**
 * One sample app for the tests of a file: started before them, closed after them. After each
 * test the fake's callbacks and webhook deliveries have all landed (none spills into the next
 * test's counts) and its injected faults are cleared. The object is filled in once the app runs.
 */
export function useSampleApp(): SampleApp {
  const sample = {} as { -readonly [K in keyof SampleApp]: SampleApp[K] };
  beforeAll(async () => {
    Object.assign(sample, await startSampleApp());
  });
  afterEach(async () => {
    if (sample.fake) await settled(sample);
    sample.fake?.clearTokenFaults();
  });
  afterAll(() => sample.app?.close());
  return sample;
}

/**
 * The sample app as main.ts sets it up, with no Dintero credentials: it runs its own fake, and
 * listens on a free loopback port so that the fake can call it back. AppModule chooses its
 * modules (the fake's, the platform's) when it is imported, as `npm start` does: the suite runs
 * with no DINTERO_* credentials in the environment.
 */
export async function startSampleApp(): Promise<SampleApp> {
  for (const name of ['DINTERO_ACCOUNT_ID', 'DINTERO_CLIENT_ID', 'DINTERO_CLIENT_SECRET', 'DINTERO_PROFILE_ID']) delete process.env[name];
  const sample = await bootSampleApp();
  if (!sample.fake) throw new Error('expected the sample app to start its fake Dintero');
  return { ...sample, fake: sample.fake };
}

/**
 * The sample app as main.ts sets it up, with whichever Dintero the environment names, on a free
 * loopback port. After a 202 it re-reads the transaction at once, three times at most: the
 * fake, not a clock, decides when the operation is done.
 */
export async function bootSampleApp(
  options: { readonly port?: number; readonly ordersFile?: string } = {},
): Promise<Omit<SampleApp, 'fake'> & { readonly fake: FakeDinteroServer | undefined }> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  process.env.PUBLIC_URL = origin;
  // Each app its own order file (unless the test restarts one on the same file), never the repository's.
  process.env.ORDERS_DB_FILE = options.ordersFile ?? join(mkdtempSync(join(tmpdir(), 'sample-orders-')), 'orders.sqlite');
  const logger = new CaptureLogger();
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(OPERATION_POLL_DELAYS_MS)
      .useValue([0, 0, 0])
      .setLogger(logger)
      .compile();
    const app = setUpApp(moduleRef.createNestApplication<NestExpressApplication>({ ...APP_OPTIONS, logger }));
    await app.listen(port, '127.0.0.1');
    // With no credentials, the app's FakeDinteroModule (sample-app/src/dev) runs the fake.
    const fake = moduleRef.get(DinteroTarget).isFake ? moduleRef.get(FakeDinteroServer, { strict: false }) : undefined;
    return { app, fake, logger, origin, server: app.getHttpServer() };
  } finally {
    delete process.env.PUBLIC_URL;
    delete process.env.ORDERS_DB_FILE;
  }
}

/** Plays the payer on the fake's hosted checkout: opens the page, presses a button, follows nothing. */
export async function payOnFakeCheckout(
  checkoutUrl: string,
  button: 'pay' | 'cancel',
  form: { product?: string; outcome?: string } = {},
): Promise<{ page: string; returnUrl: URL }> {
  const page = await (await fetch(checkoutUrl)).text();
  const action = new RegExp(`action="([^"]+/${button})"`).exec(page)?.[1];
  if (!action) throw new Error(`no ${button} form on the checkout page`);
  const answer = await fetch(new URL(action, checkoutUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form as Record<string, string>).toString(),
  });
  if (answer.status !== 303) throw new Error(`expected a redirect to return_url, got ${answer.status}`);
  return { page, returnUrl: new URL(answer.headers.get('location')!) };
}
