/**
 * Load with 1 s tokens while the token endpoint and the API misbehave at random: every request
 * must end, either succeeding or failing with a typed error; none may hang, none may reach the
 * API without a token. 30 s inside `npm test`; `npm run soak` runs it for 10 minutes.
 */
import { AxiosError } from 'axios';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeDinteroServer, type FakeTokenFault } from '../../lib/fake-dintero/index.js';
import { DinteroAuthError } from '../../lib/index.js';
import { authorizedTransaction } from '../support/checkout.js';
import { fakeOptions, startTokenApp, type TokenApp } from '../support/token-app.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 30);
const WORKERS = 16;
const HANG_MS = 15_000;

let fake: FakeDinteroServer;
let app: TokenApp;

beforeAll(async () => {
  fake = await new FakeDinteroServer({ tokenLifetimeSeconds: 1, recordRequests: false }).start();
  app = await startTokenApp(
    fakeOptions(fake, {
      acquireTimeoutMs: 2_000,
      requestTimeoutMs: 500,
      apiTimeoutMs: 2_000,
      retry: { initialDelayMs: 50, maxDelayMs: 500 },
    }),
  );
});
afterAll(async () => {
  await app.close();
  await fake.stop();
});

type Chaos = { name: string; start: () => Promise<void> | void };
const CHAOS: Chaos[] = [
  { name: 'token 503', start: () => fake.injectTokenFault({ type: 'status', status: 503 }) },
  { name: 'token 429', start: () => fake.injectTokenFault({ type: 'status', status: 429, retryAfter: 1 }) },
  { name: 'token timeout', start: () => fake.injectTokenFault({ type: 'delay', ms: 800 }) },
  { name: 'token reset', start: () => fake.injectTokenFault({ type: 'reset' }) },
  { name: 'token garbage', start: () => fake.injectTokenFault({ type: 'body', body: '<html>' } satisfies FakeTokenFault) },
  { name: 'token 401', start: () => fake.injectTokenFault({ type: 'status', status: 401 }) },
  { name: 'API 401 storm', start: () => fake.revokeAllTokens() },
  { name: 'API 500s', start: () => fake.injectApiFault(500, 20) },
  { name: 'all down', start: () => fake.refuseConnections() },
];

function random<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it(`${SECONDS} s of load with 1 s tokens and random faults loses no request`, { timeout: SECONDS * 1000 + 60_000 }, async () => {
  const transactionId = await authorizedTransaction(app.http, fake);
  const outcomes = { ok: 0, tokenError: 0, httpError: 0, other: 0, hung: 0 };
  const otherErrors: unknown[] = [];
  const chaosSeen = new Map<string, number>();
  const deadline = Date.now() + SECONDS * 1000;

  const chaos = (async () => {
    while (Date.now() < deadline) {
      await sleep(300 + Math.random() * 400);
      if (Math.random() < 0.5) continue; // half the time, a calm spell
      const pick = random(CHAOS);
      chaosSeen.set(pick.name, (chaosSeen.get(pick.name) ?? 0) + 1);
      await pick.start();
      await sleep(100 + Math.random() * 900);
      fake.clearTokenFaults();
      await fake.acceptConnections();
    }
  })();

  const worker = async () => {
    while (Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), HANG_MS)));
      const call = firstValueFrom(app.http.get(`/transactions/${transactionId}`)).then(
        () => 'ok' as const,
        (error: unknown) => {
          if (error instanceof DinteroAuthError) return 'tokenError' as const;
          if (error instanceof AxiosError && (error.response?.status !== undefined || error.code !== undefined))
            return 'httpError' as const;
          otherErrors.push(error);
          return 'other' as const;
        },
      );
      outcomes[await Promise.race([call, hang])] += 1;
      clearTimeout(timer);
    }
  };
  await Promise.all([chaos, ...Array.from({ length: WORKERS }, worker)]);

  const total = Object.values(outcomes).reduce((sum, count) => sum + count, 0);
  console.log(
    `soak ${SECONDS} s: ${total} requests, ${outcomes.ok} ok, ${outcomes.tokenError} token errors, ${outcomes.httpError} HTTP errors, ` +
      `${fake.tokenRequestCount} token requests; faults: ${JSON.stringify(Object.fromEntries(chaosSeen))}`,
  );
  expect(outcomes.hung, 'requests that never ended').toBe(0);
  expect(otherErrors, 'requests that failed with an untyped error').toEqual([]);
  expect(fake.anonymousApiRequestCount, 'API requests sent without a token').toBe(0);
  expect(outcomes.ok).toBeGreaterThan(total / 4);

  // Once the faults stop, everything works again.
  const after = await firstValueFrom(app.http.get<{ id: string }>(`/transactions/${transactionId}`));
  expect(after.data.id).toBe(transactionId);
});
