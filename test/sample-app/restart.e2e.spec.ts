import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { freePort } from '../support/free-port.js';
import { bootSampleApp, payOnFakeCheckout, DEMO_CART } from './sample-app.harness.js';

// Issue 26: orders survive a restart. The sample runs against a fake Dintero in the test's own
// process (a loopback DINTERO_BASE_URL), which outlives the app: the app stops between payment and
// callback, starts again on the same port and order store, and Dintero's retry finds the order.
const SECRET = 'restart-callback-secret';
const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
const hasPostgres = await postgresReachable();
if (!hasPostgres) console.warn(`SKIPPED: the PostgreSQL restart test needs PostgreSQL at ${POSTGRES} (TEST_POSTGRES_URL)`);

type Store = { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };

/** Pays, cancels and captures around a restart of the app; every order must come out as Dintero has it. */
async function restartBetweenPaymentAndCallback(store: Store): Promise<void> {
  const clock = new ManualClock(Date.now());
  const fake = await new FakeDinteroServer({ allowLoopbackCallbacks: true, callbackSignatureSecret: SECRET, clock }).start();
  const env: Record<string, string> = {
    DINTERO_ACCOUNT_ID: FAKE_DINTERO_CLIENT.accountId,
    DINTERO_CLIENT_ID: FAKE_DINTERO_CLIENT.clientId,
    DINTERO_CLIENT_SECRET: FAKE_DINTERO_CLIENT.clientSecret,
    DINTERO_PROFILE_ID: 'default',
    DINTERO_BASE_URL: fake.baseUrl,
    DINTERO_CALLBACK_SECRET: SECRET,
    ...(store.kind === 'postgres' ? { DATABASE_URL: store.url } : {}),
  };
  Object.assign(process.env, env);
  const port = await freePort();
  const boot = () => bootSampleApp({ port, ordersFile: store.kind === 'sqlite' ? store.file : join(tmpdir(), 'unused.sqlite') });
  const delivered = async () => {
    clock.advance(0);
    await fake.callbacks.idle();
  };
  let app = await boot();
  try {
    const create = async () => (await request(app.server).post('/payments').send(DEMO_CART).expect(201)).body as Record<string, string>;
    const paid = await create();
    const cancelled = await create();
    const accepted = await create();

    // Before the restart: one payment authorized, and a capture of it that Dintero accepted (202) and has not done.
    const { returnUrl } = await payOnFakeCheckout(accepted.checkoutUrl!, 'pay');
    await delivered();
    const transactionId = returnUrl.searchParams.get('transaction_id')!;
    fake.deferOperations();
    await request(app.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(202);

    await app.app.close();
    // While the app is down, the payer pays one order and cancels another: Dintero's callbacks find no one.
    const before = fake.callbacks.attempts.length;
    await payOnFakeCheckout(paid.checkoutUrl!, 'pay');
    await payOnFakeCheckout(cancelled.checkoutUrl!, 'cancel');
    await delivered();
    expect(fake.callbacks.attempts.slice(before).map((attempt) => attempt.error)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);

    app = await boot();
    // Dintero retries after a second: the app that started again answers.
    clock.advance(1_000);
    await fake.callbacks.idle();
    expect(fake.callbacks.attempts.slice(before + 2).map((attempt) => attempt.status)).toEqual([200, 200]);

    const order = async (reference: string): Promise<unknown> =>
      (await request(app.server).get(`/payments/orders/${reference}`).expect(200)).body as unknown;
    expect(await order(paid.merchantReference!)).toMatchObject({ status: 'AUTHORIZED' });
    expect(await order(cancelled.merchantReference!)).toMatchObject({ status: 'CANCELLED' });

    // The accepted capture is remembered: asked again, it is not sent again.
    const again = await request(app.server).post(`/payments/${transactionId}/capture`).send({ all: true }).expect(409);
    expect(again.body.message).toMatch(/^The capture Dintero accepted \(event-request-id .+\) is still pending; it is not sent again$/);
    const captures = fake.apiRequests.filter((entry) => entry.method === 'POST' && entry.path.endsWith(`${transactionId}/capture`));
    expect(captures).toHaveLength(1);
    expect(fake.completeDeferredOperations()).toBe(1);
    const done = await request(app.server).get(`/payments/${transactionId}`).expect(200);
    expect(done.body).toMatchObject({ status: 'CAPTURED', captured: DEMO_CART.amount });
    expect(done.body.pending).toBeUndefined();
  } finally {
    await app.app.close();
    await fake.stop();
    for (const name of Object.keys(env)) delete process.env[name];
  }
}

describe('orders survive a restart between payment and callback', () => {
  it('in the SQLite file (the default)', async () => {
    await restartBetweenPaymentAndCallback({ kind: 'sqlite', file: join(mkdtempSync(join(tmpdir(), 'sample-restart-')), 'orders.sqlite') });
  });

  describe.skipIf(!hasPostgres)('in PostgreSQL (DATABASE_URL)', () => {
    const database = `sample_restart_${process.pid}_${Date.now()}`;
    const admin = () => new pg.Client({ connectionString: POSTGRES });
    beforeAll(async () => {
      const client = admin();
      await client.connect();
      await client.query(`CREATE DATABASE ${database}`);
      await client.end();
    });
    afterAll(async () => {
      const client = admin();
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database}`);
      await client.end();
    });

    it('keeps them in the database DATABASE_URL names', async () => {
      const url = new URL(POSTGRES);
      url.pathname = `/${database}`;
      await restartBetweenPaymentAndCallback({ kind: 'postgres', url: url.href });
    });
  });
});
