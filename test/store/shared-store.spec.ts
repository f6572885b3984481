/**
 * Replicas sharing one token through Redis: separate Nest apps in one process, each with its own
 * Redis connection, against the real Redis of this machine (REDIS_URL).
 */
import type { ChildProcess } from 'node:child_process';
import type { Redis } from 'ioredis';
import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, type FakeDinteroClient, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { type DinteroAuthModuleOptions, type DinteroTokenEvent, type DinteroTokenStore } from '../../lib/index.js';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { authorizedTransaction } from '../support/checkout.js';
import { recordEvents } from '../support/events.js';
import { LOAD_REFRESH, loadFor, sharedRequestBounds } from '../support/load.js';
import { clearStoredTokens, inspectRedis, REDIS_URL } from '../support/redis.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { BUILT, forkFixture } from '../support/fixture-process.js';
import { eventually, fakeOptions, startTokenApp, type TokenApp } from '../support/token-app.js';

const SECOND: FakeDinteroClient = { accountId: 'T87654321', clientId: 'second-client', clientSecret: 'second-secret-value' };
let fake: FakeDinteroServer;
let apps: TokenApp[] = [];
let raw: Redis;

beforeEach(async () => {
  // A fresh fake per test: a new port is a new base URL, so a new store namespace.
  fake = await new FakeDinteroServer({ clients: [FAKE_DINTERO_CLIENT, SECOND] }).start();
  raw = inspectRedis();
  await clearStoredTokens(raw, fake, [FAKE_DINTERO_CLIENT, SECOND]);
});
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
  await fake.stop();
  raw.disconnect();
});

async function replica(
  overrides: Partial<DinteroAuthModuleOptions> = {},
  store: DinteroTokenStore = new RedisTokenStore({ url: REDIS_URL! }),
) {
  const app = await startTokenApp(fakeOptions(fake, { store, ...overrides }));
  apps.push(app);
  return app;
}

/** The child's first message carrying `field`; rejects if the child exits before sending it. */
function replyOf<T extends object>(child: ChildProcess, field: keyof T & string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || !(field in message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`replica exited (${code}) before sending ${field}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const acquiredFrom = (events: DinteroTokenEvent[]) =>
  events.flatMap((event) => (event.type === 'acquired' || event.type === 'refreshed' ? [event.source] : []));

describe.skipIf(!REDIS_URL)('shared token store on Redis', () => {
  it('a cold start of 20 replicas makes one token request, and all hold the same token', async () => {
    const replicas = await Promise.all(Array.from({ length: 20 }, () => replica()));
    const events = replicas.map((app) => recordEvents(app.tokens.events$));
    const tokens = await Promise.all(replicas.map((app) => app.tokens.getToken()));
    expect(fake.tokenRequestCount).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(events.flatMap(acquiredFrom).sort()).toEqual(['endpoint', ...Array<string>(19).fill('store')]);
  });

  it.skipIf(!BUILT)('a cold start of 6 replicas in separate processes makes one token request', async () => {
    const children = Array.from({ length: 6 }, () => forkFixture('redis-replica.mjs', fake, { REDIS_URL: REDIS_URL! }));
    const ready = children.map((child) => replyOf<{ ready: true }>(child, 'ready'));
    const fingerprints = children.map((child) => replyOf<{ fingerprint: string }>(child, 'fingerprint'));
    // A child that dies fails the wait for 'ready' first; its fingerprint's rejection is the same news.
    for (const fingerprint of fingerprints) fingerprint.catch(() => undefined);
    // Every replica has booted and connected its store: now ask all at once.
    await Promise.all(ready);
    for (const child of children) child.send('go');
    const seen = (await Promise.all(fingerprints)).map((reply) => reply.fingerprint);
    await Promise.all(
      children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))),
    );
    expect(new Set(seen).size).toBe(1);
    expect(fake.tokenRequestCount).toBe(1);
  });

  it('4 token lifetimes of load across 5 replicas cost one token request per refresh period, not one per replica', async () => {
    fake.tokenLifetimeSeconds = 3;
    // A generous command timeout: a Redis slowed by a loaded machine is not what this is about.
    const replicas = await Promise.all(
      Array.from({ length: 5 }, () =>
        replica({ refresh: LOAD_REFRESH }, new RedisTokenStore({ url: REDIS_URL!, commandTimeoutMs: 5_000 })),
      ),
    );
    const events = replicas.map((app) => recordEvents(app.tokens.events$));
    const elapsed = await loadFor(
      12_000,
      replicas.map((app) => () => app.tokens.getToken()),
    );
    // Alone, the five replicas would make five times as many.
    const { least, most } = sharedRequestBounds(elapsed, 3_000);
    expect(fake.tokenRequestCount).toBeGreaterThanOrEqual(least);
    expect(fake.tokenRequestCount).toBeLessThanOrEqual(most);
    expect(events.flat().filter((event) => event.type === 'expired')).toEqual([]);
    expect(events.flat().filter((event) => event.type === 'store-failed')).toEqual([]);
    // Each token fetched was taken up by the other four from the store (the last one perhaps not yet).
    const sources = events.flatMap(acquiredFrom);
    expect(sources.filter((source) => source === 'endpoint')).toHaveLength(fake.tokenRequestCount);
    expect(sources.filter((source) => source === 'store').length).toBeGreaterThanOrEqual(4 * (fake.tokenRequestCount - 1));
    console.log(`5 replicas, ${elapsed} ms of 3 s tokens: ${fake.tokenRequestCount} token requests (bounds ${least}-${most})`);
  });

  it('when the leader dies mid-refresh, another replica fetches once its lease has run out', async () => {
    const dying = new RedisTokenStore({ url: REDIS_URL! });
    // A leader that dies never releases its lease.
    const neverReleases: DinteroTokenStore = {
      get: (key) => dying.get(key),
      set: (key, value, ttl) => dying.set(key, value, ttl),
      acquireLease: async (key, ttl) => {
        const lease = await dying.acquireLease(key, ttl);
        return lease && { generation: lease.generation, release: () => Promise.resolve(), extend: () => Promise.resolve(true) };
      },
      watch: (key, listener) => dying.watch(key, listener),
      claim: (key, value, ttl) => dying.claim(key, value, ttl),
      raise: (key, value, ttl) => dying.raise(key, value, ttl),
      close: () => dying.close(),
    };
    fake.injectTokenFault({ type: 'delay', ms: 30_000 }, 1);
    const leader = await replica({ requestTimeoutMs: 1_000 }, neverReleases);
    void leader.tokens.getToken().catch(() => undefined);
    await eventually(() => fake.tokenRequestCount === 1, 5_000, 'the leader to start fetching');
    await leader.close();
    apps = apps.filter((app) => app !== leader);

    const leaseMs = 1_000 + 5_000;
    const started = Date.now();
    const followers = await Promise.all(Array.from({ length: 3 }, () => replica({ requestTimeoutMs: 1_000, acquireTimeoutMs: 10_000 })));
    const tokens = await Promise.all(followers.map((app) => app.tokens.getToken()));
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(fake.tokenRequestCount).toBe(2);
    // Well before their own acquireTimeoutMs (10 s): they took over when the lease ran out.
    expect(Date.now() - started).toBeLessThan(leaseMs + 3_000);
  });

  it('a Redis that goes away is a cache miss: no API call fails, the fallback shows in events, sharing resumes', async () => {
    const proxy = await new TcpProxy('127.0.0.1', Number(new URL(REDIS_URL!).port || 6379)).start();
    const app = await replica({}, new RedisTokenStore({ url: `redis://127.0.0.1:${proxy.port}`, commandTimeoutMs: 200 }));
    const events = recordEvents(app.tokens.events$);
    const transactionId = await authorizedTransaction(app.http, fake);

    await proxy.cut();
    for (let call = 0; call < 5; call += 1) {
      app.tokens.invalidate();
      const { data } = await firstValueFrom(app.http.get<{ id: string }>(`/transactions/${transactionId}`));
      expect(data.id).toBe(transactionId);
    }
    expect(events.filter((event) => event.type === 'store-failed')).toHaveLength(1);

    await proxy.restore();
    let recovered = false;
    for (let tries = 0; tries < 40 && !recovered; tries += 1) {
      app.tokens.invalidate();
      await app.tokens.getToken();
      recovered = events.some((event) => event.type === 'store-recovered');
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(recovered).toBe(true);
    await proxy.cut();
  });

  it('a replica with no Redis at all works on its own and says so', async () => {
    const app = await replica({}, new RedisTokenStore({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200 }));
    const events = recordEvents(app.tokens.events$);
    const token = await app.tokens.getToken();
    expect(fake.verifyToken(token.accessToken)).toBeDefined();
    expect(events.map((event) => event.type)).toEqual(['store-failed', 'acquired']);
  });

  it('stores the token encrypted: Redis never holds it in plain text', async () => {
    const app = await replica();
    const token = await app.tokens.getToken();
    const keys = await raw.keys('dintero-auth:*:token');
    const values = await Promise.all(keys.map((key) => raw.get(key)));
    const ours = values.filter((value): value is string => value !== null);
    expect(ours.length).toBeGreaterThanOrEqual(1);
    for (const value of ours) {
      expect(value).not.toContain(token.accessToken);
      expect(Buffer.from(value, 'base64').toString('utf8')).not.toContain(token.accessToken.slice(0, 20));
    }
  });

  it("two accounts on one Redis never see each other's token", async () => {
    const first = await replica();
    const second = await replica({ accountId: SECOND.accountId, clientId: SECOND.clientId, clientSecret: SECOND.clientSecret });
    const [a, b] = await Promise.all([first.tokens.getToken(), second.tokens.getToken()]);
    expect(a.accessToken).not.toBe(b.accessToken);
    expect(fake.verifyToken(a.accessToken)?.aud).toMatch(/T12345678$/);
    expect(fake.verifyToken(b.accessToken)?.aud).toMatch(/T87654321$/);
    expect(fake.tokenRequestCount).toBe(2);
  });
});
