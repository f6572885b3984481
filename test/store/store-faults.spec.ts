/**
 * The shared store under Redis faults and stale writes, against the real Redis of this machine:
 * none of them may become an outage, and no refused or older token may come out of the store.
 */
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { type DinteroAuthModuleOptions, DinteroTokenUnavailableError } from '../../lib/index.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { storeNamespace } from '../../lib/store/shared-token.source.js';
import { clearStoredTokens, inspectRedis, REDIS_URL } from '../support/redis.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { fakeOptions, startTokenApp, type TokenApp } from '../support/token-app.js';

let fake: FakeDinteroServer;
let apps: TokenApp[] = [];
let raw: Redis;

beforeEach(async () => {
  // A fresh fake per test: a new port is a new base URL, so a new store namespace.
  fake = await new FakeDinteroServer().start();
  raw = inspectRedis();
  await clearStoredTokens(raw, fake, [FAKE_DINTERO_CLIENT]);
});
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
  await clearStoredTokens(raw, fake, [FAKE_DINTERO_CLIENT]);
  await fake.stop();
  raw.disconnect();
});

function options(overrides: Partial<DinteroAuthModuleOptions> = {}): DinteroAuthModuleOptions {
  return fakeOptions(fake, { store: new RedisTokenStore({ url: REDIS_URL! }), ...overrides });
}

function namespace(): string {
  return storeNamespace(normalizeOptions(fakeOptions(fake)));
}

async function replica(overrides: Partial<DinteroAuthModuleOptions> = {}): Promise<TokenApp> {
  const app = await startTokenApp(options(overrides));
  apps.push(app);
  return app;
}

describe.skipIf(!REDIS_URL)('a Redis fault is never an outage', () => {
  it('a lease left without an expiry does not stop the cluster: the next replica takes it over', async () => {
    await raw.set(`${namespace()}:lease`, 'left-by-a-crashed-leader');
    const app = await replica({ acquireTimeoutMs: 3_000 });
    await expect(app.tokens.getToken()).resolves.toBeDefined();
    expect(fake.tokenRequestCount).toBe(1);
  });

  it('a Retry-After longer than the lease keeps the lease held for all of it', async () => {
    fake.injectTokenFault({ type: 'status', status: 429, retryAfter: 25 }, 1);
    const app = await replica({ acquireTimeoutMs: 1_000 });
    await expect(app.tokens.getToken()).rejects.toBeInstanceOf(DinteroTokenUnavailableError);
    // The lease lasts requestTimeoutMs + 5 s (15 s); it must now outlast the 25 s asked for.
    expect(await raw.pttl(`${namespace()}:lease`)).toBeGreaterThan(20_000);
  });

  it('nothing connects to Redis before the first token is asked for', async () => {
    const proxy = await new TcpProxy('127.0.0.1', Number(new URL(REDIS_URL!).port || 6379)).start();
    const store = new RedisTokenStore({ url: `redis://127.0.0.1:${proxy.port}` });
    const app = await startTokenApp(fakeOptions(fake, { store }));
    apps.push(app);
    expect(proxy.accepted).toBe(0);
    await app.tokens.getToken();
    expect(proxy.accepted).toBeGreaterThanOrEqual(1);
    await proxy.cut();
  });
});

describe.skipIf(!REDIS_URL)('generations: no refused or older token comes out of the store', () => {
  it('an older sealed token written back is not taken by another replica', async () => {
    const a = await replica();
    const first = await a.tokens.getToken();
    const firstSealed = (await raw.get(`${namespace()}:token`))!;
    await a.tokens.refresh();
    await raw.set(`${namespace()}:token`, firstSealed, 'PX', 60_000);

    const b = await replica();
    expect((await b.tokens.getToken()).accessToken).not.toBe(first.accessToken);
  });

  it('a token one replica saw refused is not taken by another, even while no successor exists', async () => {
    const a = await replica({ acquireTimeoutMs: 1_000 });
    const first = await a.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 503 });
    fake.revokeToken(first.accessToken);
    a.tokens.invalidate(first);
    await expect(a.tokens.getToken()).rejects.toBeInstanceOf(DinteroTokenUnavailableError);

    const b = await replica({ acquireTimeoutMs: 1_000 });
    const taken = await b.tokens.getToken().then(
      (token) => token.accessToken,
      () => 'none',
    );
    expect(taken).not.toBe(first.accessToken);
  });
});

describe.skipIf(!REDIS_URL)('RedisTokenStore.watch', () => {
  it('tells a watcher on another connection when a value is stored, until it stops watching', async () => {
    const [watching, writing] = [new RedisTokenStore({ url: REDIS_URL! }), new RedisTokenStore({ url: REDIS_URL! })];
    const key = `${namespace()}:watched`;
    let calls = 0;
    let told!: () => void;
    const firstCall = new Promise<void>((resolve) => (told = resolve));
    const unwatch = await watching.watch(key, () => {
      calls += 1;
      told();
    });
    await writing.set(key, 'value', 10_000);
    await firstCall;
    unwatch();
    // A round trip on the watcher's connection after unsubscribing: a late message would be in by now.
    await writing.set(key, 'again', 10_000);
    await watching.get(key);
    expect(calls).toBe(1);
    await Promise.all([watching.close(), writing.close()]);
  });
});
