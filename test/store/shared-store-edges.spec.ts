/** The corners of sharing: refused tokens, failing endpoints, leaders that shut down, client quirks. */
import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroAuthModule, DinteroTokenService, MemoryTokenStore } from '../../lib/index.js';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { MIN_TOKEN_AGE_FOR_401_MS } from '../../lib/http/unauthorized-policy.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { authorizedTransaction } from '../support/checkout.js';
import { recordEvents } from '../support/events.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { REDIS_URL } from '../support/redis.js';
import { eventually, fakeOptions, startTokenApp, type TokenApp } from '../support/token-app.js';

let fake: FakeDinteroServer;
let apps: TokenApp[] = [];

beforeEach(async () => {
  fake = await new FakeDinteroServer().start();
});
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
  await fake.stop();
});

async function replica(store: MemoryTokenStore | RedisTokenStore, overrides = {}, clock?: ManualClock): Promise<TokenApp> {
  const app = await startTokenApp(fakeOptions(fake, { store, ...overrides }), clock);
  apps.push(app);
  return app;
}

describe('sharing tokens', () => {
  it('a token Dintero refused is never handed back from the store; each replica recovers once', async () => {
    const store = new MemoryTokenStore();
    const clock = new ManualClock();
    const [a, b] = [await replica(store, {}, clock), await replica(store, {}, clock)];
    const transactionId = await authorizedTransaction(a.http, fake);
    const first = await b.tokens.getToken();
    // A 401 is blamed on a token only once it is old enough to be stale.
    clock.advance(MIN_TOKEN_AGE_FOR_401_MS);
    fake.revokeAllTokens();

    const viaA = await firstValueFrom(a.http.get<{ id: string }>(`/transactions/${transactionId}`));
    const viaB = await firstValueFrom(b.http.get<{ id: string }>(`/transactions/${transactionId}`));
    expect([viaA.data.id, viaB.data.id]).toEqual([transactionId, transactionId]);
    expect((await b.tokens.getToken()).accessToken).not.toBe(first.accessToken);
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('a failing endpoint is tried once per backoff for the whole cluster, not once per replica', async () => {
    const store = new MemoryTokenStore();
    const replicas = await Promise.all(Array.from({ length: 5 }, () => replica(store, { acquireTimeoutMs: 500 })));
    fake.injectTokenFault({ type: 'status', status: 429, retryAfter: 3 });
    const outcome = (app: TokenApp) =>
      app.tokens.getToken().then(
        () => 'token',
        (error: { code: string }) => error.code,
      );
    const outcomes = await Promise.all(replicas.map(outcome));
    expect(outcomes.every((code) => code === 'DINTERO_TOKEN_UNAVAILABLE' || code === 'DINTERO_TOKEN_REQUEST')).toBe(true);
    expect(fake.tokenRequestCount).toBe(1);
    // Asked again within the Retry-After, every replica is refused without asking: the leader by
    // its own backoff, the others because the leader keeps the lease for the Retry-After.
    const again = await Promise.all(replicas.map(outcome));
    expect(again).toEqual(Array<string>(5).fill('DINTERO_TOKEN_UNAVAILABLE'));
    expect(fake.tokenRequestCount).toBe(1);
  });

  it('a leader shut down mid-fetch gives its lease back at once', async () => {
    const store = new MemoryTokenStore();
    fake.injectTokenFault({ type: 'delay', ms: 10_000 }, 1);
    // A failed leader would keep its lease for this long; one that shuts down must not.
    const slowBackoff = { retry: { initialDelayMs: 30_000, maxDelayMs: 30_000 }, acquireTimeoutMs: 15_000 };
    const leader = await replica(store, slowBackoff);
    void leader.tokens.getToken().catch(() => undefined);
    await eventually(() => fake.tokenRequestCount === 1, 5_000, 'the leader to start fetching');
    await leader.close();
    apps = apps.filter((app) => app !== leader);

    const follower = await replica(store, slowBackoff);
    const started = Date.now();
    await follower.tokens.getToken();
    // A lease not given back would hold the follower for its whole life (the request timeout plus 5 s).
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('only named registrations: a plain DinteroTokenService injection fails at start-up instead of picking one', async () => {
    @Injectable()
    class Ambiguous {
      constructor(readonly tokens: DinteroTokenService) {}
    }
    const registration = (name: string) => DinteroAuthModule.forRoot({ ...fakeOptions(fake), name });
    await expect(
      Test.createTestingModule({ imports: [registration('a'), registration('b')], providers: [Ambiguous] })
        .setLogger(new CaptureLogger())
        .compile(),
    ).rejects.toThrow(/DinteroTokenService/);
  });
});

describe.skipIf(!REDIS_URL)('RedisTokenStore with your own client', () => {
  it('connects a lazyConnect client, and many commands while connecting share one wait', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const client = new Redis(REDIS_URL!, { lazyConnect: true });
    try {
      const store = new RedisTokenStore({ client });
      await Promise.all(Array.from({ length: 15 }, (_, i) => store.get(`review:none:${i}`)));
      const app = await replica(store);
      const events = recordEvents(app.tokens.events$);
      await app.tokens.getToken();
      expect(events.filter((event) => event.type === 'store-failed')).toEqual([]);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      client.disconnect();
    }
  });
});
