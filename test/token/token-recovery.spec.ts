import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer, FakeTokenFault } from '../../lib/fake-dintero/index.js';
import type { DinteroAuthModuleOptions } from '../../lib/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { eventually, fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

// Callers that wait while the token endpoint is down: how soon they are served once it is back,
// and how hard the endpoint is asked meanwhile. Time is manual; HTTP is real.

const CALL_EVERY_MS = 100;
let fake: FakeDinteroServer;
let app: (TokenApp & { clock: ManualClock }) | undefined;

beforeAll(async () => {
  fake = await startFake(3600);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

async function start(overrides: Partial<DinteroAuthModuleOptions> = {}): Promise<TokenApp & { clock: ManualClock }> {
  const clock = new ManualClock();
  // Backoff jitter pinned to the middle of its range: request counts below are then exact bounds.
  clock.pinRandom(0.5);
  app = (await startTokenApp(fakeOptions(fake, overrides), clock)) as TokenApp & { clock: ManualClock };
  return app;
}

/** A caller every 100 ms of manual time for `ms`; each tick waits for a request it started to be answered. */
async function callersFor(app: TokenApp & { clock: ManualClock }, ms: number, stopWhenServed = false): Promise<number | undefined> {
  const startedAt = app.clock.now();
  let servedAt: number | undefined;
  while (app.clock.now() - startedAt < ms) {
    app.tokens.getToken().then(
      () => (servedAt ??= app.clock.now()),
      () => undefined,
    );
    app.clock.advance(CALL_EVERY_MS);
    await eventually(() => !app.tokens.status().refreshing, 5_000, 'the token request to be answered');
    await new Promise((resolve) => setImmediate(resolve));
    if (stopWhenServed && servedAt !== undefined) return servedAt - startedAt;
  }
  return servedAt === undefined ? undefined : servedAt - startedAt;
}

describe('an outage that ends, with callers waiting', () => {
  it.each([5_000, 20_000, 60_000])(
    'after %i ms of 500s, the first token is served within 1.5 s; at most 1 request a second meanwhile',
    async (outageMs) => {
      const app = await start();
      fake.injectTokenFault({ type: 'status', status: 500 });
      await callersFor(app, outageMs);
      const duringOutage = fake.tokenRequestCount;
      // The backoff's first retries come sooner (0.25 and 0.5 s at mid jitter); then one a second.
      expect(duringOutage).toBeLessThanOrEqual(outageMs / 1_000 + 2);
      expect(duringOutage).toBeGreaterThanOrEqual(outageMs / 1_000 / 2); // the outage is probed, not waited out

      fake.clearTokenFaults();
      const recoveryMs = await callersFor(app, 5_000, true);
      expect(recoveryMs, 'no token within 5 s of the endpoint coming back').toBeDefined();
      expect(recoveryMs).toBeLessThanOrEqual(1_500);
    },
  );

  it('Retry-After stays a floor for the demand probe', async () => {
    const app = await start({ acquireTimeoutMs: 30_000 });
    fake.injectTokenFault({ type: 'status', status: 503, retryAfter: 8 }, 1);
    const served = await callersFor(app, 20_000, true);
    expect(fake.tokenRequestCount).toBe(2);
    expect(served).toBeGreaterThanOrEqual(8_000);
    expect(served).toBeLessThanOrEqual(8_000 + 2 * CALL_EVERY_MS);
  });

  it.each<[string, FakeTokenFault]>([
    ['401', { type: 'status', status: 401, code: 'invalid_client' }],
    ['403', { type: 'status', status: 403, code: 'access_denied' }],
  ])('a %s is not probed: callers get the error, the endpoint only the backoff pace', async (_label, fault) => {
    const app = await start({ retry: { initialDelayMs: 1_000, maxDelayMs: 30_000 } });
    fake.injectTokenFault(fault);
    await callersFor(app, 20_000);
    // Backoff from 1 s at mid jitter: attempts at 0, 0.5, 1.5, 3.5, 7.5 and 15.5 s, where
    // probing would have made 20.
    expect(fake.tokenRequestCount).toBe(6);
  });

  it('with nobody waiting, a failing refresh keeps to the background backoff', async () => {
    const app = await start({ retry: { initialDelayMs: 8_000, maxDelayMs: 8_000 } });
    const token = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 500 });
    app.clock.advance(token.timeline.refreshAt - app.clock.now());
    await eventually(() => fake.tokenRequestCount === 2 && !app.tokens.status().refreshing);
    for (let elapsed = 0; elapsed < 30_000; elapsed += CALL_EVERY_MS) {
      // Callers are served the held token: none of them waits, so none probes.
      expect((await app.tokens.getToken()).accessToken).toBe(token.accessToken);
      app.clock.advance(CALL_EVERY_MS);
      await eventually(() => !app.tokens.status().refreshing);
    }
    // One attempt per 4 s (8 s at mid jitter), where probing would have made 30.
    expect(fake.tokenRequestCount - 2).toBeLessThanOrEqual(30_000 / 4_000 + 1);
  });
});
