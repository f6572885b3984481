/**
 * Scenario 7, accounts known only at run time (DinteroAccounts): a cold start of 1,000 accounts
 * with 10 concurrent calls each; heap per held account at 1,000 and 10,000 accounts; heap and
 * active handles after every account is closed; p99 of a warm call with 10,000 accounts held
 * against 1. The fake (10,000 clients) runs in a child process: this same file, with `--fake`.
 */
import 'reflect-metadata';
import { type FakeDinteroClient, FakeDinteroServer } from 'nestjs-dintero-auth/fake-dintero';
import { fork } from 'node:child_process';
import { globalAgent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { type DinteroAccount, DinteroAccounts, DinteroAccountsModule } from 'nestjs-dintero-auth';
import { report } from './support/report.js';
import { percentile, pool, round } from './support/stats.js';

const COLD_ACCOUNTS = 1_000;
const CALLS_PER_ACCOUNT = 10;
const HELD_ACCOUNTS = 10_000;
const OPEN_CONCURRENCY = 64;
const WARM_CALLS = 3_000;
const WARM_UP_CALLS = 500;

function merchant(n: number): FakeDinteroClient {
  const accountId = `T${String(10_000_000 + n)}`;
  return { accountId, clientId: `client-${accountId}`, clientSecret: `secret-${accountId}-bench` };
}

if (process.argv.includes('--fake')) {
  const fake = await new FakeDinteroServer({
    clients: Array.from({ length: HELD_ACCOUNTS + 1 }, (_, n) => merchant(n)),
    recordRequests: false,
  }).start();
  process.send!({ baseUrl: fake.baseUrl });
  process.on('message', (message: string) => {
    if (message === 'counts')
      process.send!({ tokenRequests: fake.tokenRequestCount, apiRequests: fake.apiRequestCount, api401: fake.apiStatusCount(401) });
    if (message === 'stop') void fake.stop().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
} else {
  await measure();
}

async function measure(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  // Every account's calls share Node's global agent: bound its sockets as an app would.
  globalAgent.maxSockets = 256;

  const child = fork(fileURLToPath(import.meta.url), ['--fake'], { stdio: 'inherit' });
  const baseUrl = await new Promise<string>((resolve) => child.once('message', (message: { baseUrl: string }) => resolve(message.baseUrl)));
  const counts = () =>
    new Promise<{ tokenRequests: number; apiRequests: number; api401: number }>((resolve) => {
      child.once('message', resolve);
      child.send('counts');
    });

  let resolverCalls = 0;
  const app = await NestFactory.createApplicationContext(
    DinteroAccountsModule.forRoot({
      resolveCredentials: (accountId) => {
        resolverCalls += 1;
        const { clientId, clientSecret } = merchant(Number(accountId.slice(1)) - 10_000_000);
        return Promise.resolve({ clientId, clientSecret });
      },
      maxAccounts: HELD_ACCOUNTS + 1,
      baseUrl,
      allowInsecureLoopback: true,
    }),
    { logger: false },
  );
  const accounts = app.get(DinteroAccounts);
  const call = async (account: DinteroAccount) => {
    const response = await account.http.axiosRef.get('/sessions/none', { validateStatus: () => true });
    if (response.status !== 404) throw new Error(`unexpected status ${response.status}`);
  };
  const open = async (from: number, to: number) =>
    pool(to - from, OPEN_CONCURRENCY, async (i) => void (await (await accounts.get(merchant(from + i).accountId)).tokens.getToken()));
  const forgetAll = async () => {
    const held = accounts.status().map((status) => status.accountId);
    await pool(held.length, OPEN_CONCURRENCY, async (i) => void (await accounts.forget(held[i]!)));
  };
  // Idle keep-alive sockets close on the server's timeout (5 s): wait for them, bounded.
  const settle = async (handlesAtMost = Number.POSITIVE_INFINITY) => {
    const until = Date.now() + 8_000;
    do await new Promise((resolve) => setTimeout(resolve, 250));
    while (process.getActiveResourcesInfo().length > handlesAtMost && Date.now() < until);
    for (let i = 0; i < 3; i += 1) gc();
    return { heapKiB: process.memoryUsage().heapUsed / 1024, handles: process.getActiveResourcesInfo().length };
  };
  const warmP99 = async (account: DinteroAccount) => {
    for (let i = 0; i < WARM_UP_CALLS; i += 1) await call(account);
    const samples: number[] = [];
    for (let i = 0; i < WARM_CALLS; i += 1) {
      const started = performance.now();
      await call(account);
      samples.push(performance.now() - started);
    }
    return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
  };

  const coldCalls = () =>
    Promise.all(
      Array.from({ length: COLD_ACCOUNTS * CALLS_PER_ACCOUNT }, async (_, i) =>
        call(await accounts.get(merchant(i % COLD_ACCOUNTS).accountId)),
      ),
    );
  const warmCallOnOneAccount = async () => {
    const timing = await warmP99(await accounts.get(merchant(0).accountId));
    await forgetAll();
    return timing;
  };

  // Warm-up: a whole cold start and close of the same 1,000 accounts (JIT, pools, one-off growth).
  await coldCalls();
  await forgetAll();
  const baseline = await settle();
  const rows: Record<string, unknown>[] = [];
  const oneBefore = await warmCallOnOneAccount();

  // 1. Cold: 1,000 accounts x 10 concurrent calls, all at once. Forgotten accounts open anew.
  const startCounts = await counts();
  resolverCalls = 0;
  const coldStarted = performance.now();
  await coldCalls();
  const coldSeconds = (performance.now() - coldStarted) / 1000;
  const afterCold = await counts();
  rows.push({
    measure: `cold: ${COLD_ACCOUNTS} accounts x ${CALLS_PER_ACCOUNT} concurrent calls`,
    value: `${afterCold.tokenRequests - startCounts.tokenRequests} token requests, ${resolverCalls} resolver calls, ${afterCold.api401 - startCounts.api401} 401s, ${round(coldSeconds, 1)} s`,
  });

  // 2. Heap per held account (each with its token, timers and clients).
  const perAccount = async () => {
    const now = await settle(baseline.handles);
    rows.push({
      measure: `heap per held account, ${accounts.size} held`,
      value: `${round((now.heapKiB - baseline.heapKiB) / accounts.size, 1)} KiB`,
    });
  };
  await perAccount();
  await open(COLD_ACCOUNTS, HELD_ACCOUNTS);
  await perAccount();

  // 3. A warm call with 10,000 accounts held.
  const many = await warmP99(await accounts.get(merchant(0).accountId));

  // 4. Every account closed: back to the baseline?
  const closeStarted = performance.now();
  await forgetAll();
  const closeSeconds = (performance.now() - closeStarted) / 1000;
  const closed = await settle(baseline.handles);
  rows.push({ measure: `close all ${HELD_ACCOUNTS} (forget)`, value: `${round(closeSeconds, 2)} s, ${accounts.size} left` });
  rows.push({
    measure: 'heap: baseline -> all closed',
    value: `${round(baseline.heapKiB / 1024, 2)} MiB -> ${round(closed.heapKiB / 1024, 2)} MiB (${round((closed.heapKiB - baseline.heapKiB) / 1024, 2)} MiB)`,
  });
  rows.push({ measure: 'active handles: baseline -> all closed', value: `${baseline.handles} -> ${closed.handles}` });

  // 5. The same warm call with 1 account held, measured before and after: its spread is the noise.
  const oneAfter = await warmCallOnOneAccount();
  const oneP99 = (oneBefore.p99 + oneAfter.p99) / 2;
  rows.push({ measure: 'warm call p50 / p99, 1 held (before)', value: `${round(oneBefore.p50, 3)} / ${round(oneBefore.p99, 3)} ms` });
  rows.push({ measure: `warm call p50 / p99, ${HELD_ACCOUNTS} held`, value: `${round(many.p50, 3)} / ${round(many.p99, 3)} ms` });
  rows.push({ measure: 'warm call p50 / p99, 1 held (after)', value: `${round(oneAfter.p50, 3)} / ${round(oneAfter.p99, 3)} ms` });
  rows.push({ measure: `p99 ratio ${HELD_ACCOUNTS} held / 1 held (mean of both)`, value: round(many.p99 / oneP99, 2) });
  rows.push({ measure: 'p99 ratio 1 held after / before (noise)', value: round(oneAfter.p99 / oneBefore.p99, 2) });

  await app.close();
  child.send('stop');
  report(
    'accounts',
    '7. Accounts known at run time',
    {
      coldAccounts: COLD_ACCOUNTS,
      callsPerAccount: CALLS_PER_ACCOUNT,
      heldAccounts: HELD_ACCOUNTS,
      warmCalls: WARM_CALLS,
      globalAgentMaxSockets: 256,
    },
    rows,
    [
      `Targets: exactly ${COLD_ACCOUNTS} token requests and ${COLD_ACCOUNTS} resolver calls cold; heap and handles back to the baseline once every account is closed; the warm p99 with ${HELD_ACCOUNTS} accounts held within noise of 1 held.`,
    ],
  );
}
