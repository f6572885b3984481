import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroTokenNetworkError, type DinteroTokenEvent, type DinteroAuthModuleOptions } from '../../lib/index.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import { SharedTokenSource, storeNamespace } from '../../lib/store/shared-token.source.js';
import { TokenCipher } from '../../lib/store/token-cipher.js';
import { credentialedEndpoint } from '../../lib/token/credentialed-endpoint.js';
import { CredentialsKeeper } from '../../lib/token/credentials-keeper.js';
import { TokenEndpointClient } from '../../lib/token/token-endpoint.client.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { type Clock, systemClock } from '../../lib/token/clock.js';
import { TokenEventBus } from '../../lib/token/token-event-bus.js';
import { TokenLog } from '../../lib/token/token-log.js';
import { CaptureLogger } from '../support/capture-logger.js';
import { InstrumentedStore } from '../support/instrumented-store.js';
import { eventually, fakeOptions, startFake } from '../support/token-app.js';

// Replicas sharing one store, each a SharedTokenSource over the real token client, in one
// process: what a replica takes from the store, what it leaves there, and how it behaves when
// the store or the endpoint fails. Wall time is faked where a token's age matters.

let fake: FakeDinteroServer;
const sources: SharedTokenSource[] = [];

beforeAll(async () => {
  fake = await startFake();
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  Logger.overrideLogger(false);
  await Promise.all(sources.splice(0).map((source) => source.close()));
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

function replica(store: InstrumentedStore, overrides: Partial<DinteroAuthModuleOptions> = {}, clock: Clock = systemClock) {
  return replicaOn(fake, store, overrides, clock);
}

function replicaOn(
  server: FakeDinteroServer,
  store: InstrumentedStore,
  overrides: Partial<DinteroAuthModuleOptions> = {},
  clock: Clock = systemClock,
) {
  const config = normalizeOptions(fakeOptions(server, { retry: { initialDelayMs: 100, maxDelayMs: 400 }, ...overrides }));
  const bus = new TokenEventBus();
  // As createDinteroClient wires it: the source emits, the log writes the lines.
  new TokenLog(bus, config);
  const events: DinteroTokenEvent[] = [];
  bus.events$.subscribe((event) => events.push(event));
  const credentials = new CredentialsKeeper(config, clock, bus);
  const endpoint = credentialedEndpoint(new TokenEndpointClient(config, clock), credentials);
  const source = new SharedTokenSource(config, store, endpoint, bus, clock, credentials);
  sources.push(source);
  const request = async (replacing: ReadonlySet<string> = new Set(), refused?: string) => {
    const {
      grant,
      source: from,
      obtainedAtWallMs,
    } = await source.requestToken({ signal: new AbortController().signal, replacing, refused });
    return { ...grant, source: from, obtainedAtWallMs };
  };
  return { source, events, config, request };
}

/** The keys of the fake's default client. */
function keys(overrides: Partial<DinteroAuthModuleOptions> = {}) {
  const namespace = storeNamespace(normalizeOptions(fakeOptions(fake, overrides)));
  return { token: `${namespace}:token`, lease: `${namespace}:lease`, floor: `${namespace}:floor` };
}

describe('what a replica takes from the store', () => {
  it('a token another replica stored, until the start of its refresh window; from then on it fetches', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = new InstrumentedStore();
    const a = replica(store);
    const stored = await a.request();
    expect(stored.source).toBe('endpoint');

    const windowStartMs = stored.expiresInSeconds * 1000 * a.config.refresh.windowStart;
    vi.setSystemTime(stored.obtainedAtWallMs! + windowStartMs - 1);
    await expect(replica(store).request()).resolves.toMatchObject({ accessToken: stored.accessToken, source: 'store' });
    expect(fake.tokenRequestCount).toBe(1);

    vi.setSystemTime(stored.obtainedAtWallMs! + windowStartMs);
    const fetched = await replica(store).request();
    expect(fetched).toMatchObject({ source: 'endpoint' });
    expect(fetched.accessToken).not.toBe(stored.accessToken);
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('a token stored by a host whose clock runs up to 5 s ahead, but not further', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = new InstrumentedStore();
    const stored = await replica(store).request();
    vi.setSystemTime(stored.obtainedAtWallMs! - 4_999);
    await expect(replica(store).request()).resolves.toMatchObject({ accessToken: stored.accessToken, source: 'store' });
    vi.setSystemTime(stored.obtainedAtWallMs! - 5_000);
    await expect(replica(store).request()).resolves.toMatchObject({ source: 'endpoint' });
  });

  it('the same stored token again, without a request, when asked again', async () => {
    const store = new InstrumentedStore();
    const a = replica(store);
    const first = await a.request();
    await expect(a.request()).resolves.toMatchObject({ accessToken: first.accessToken, source: 'store' });
    expect(fake.tokenRequestCount).toBe(1);
    expect(store.count('acquireLease')).toBe(1);
  });

  it('never the token it is replacing', async () => {
    const store = new InstrumentedStore();
    const first = await replica(store).request();
    const next = await replica(store).request(new Set([first.accessToken]));
    expect(next).toMatchObject({ source: 'endpoint' });
    expect(next.accessToken).not.toBe(first.accessToken);
  });

  it('never a token older than one it took, even from a store that keeps no floor', async () => {
    const store = new InstrumentedStore(undefined, { raise: false });
    const a = replica(store);
    const first = await a.request();
    const sealedFirst = (await store.inner.get(keys().token))!;
    const second = await replica(store).request(new Set([first.accessToken]));
    await expect(a.request()).resolves.toMatchObject({ accessToken: second.accessToken, source: 'store' });

    // An older replica writes the first token back.
    await store.inner.set(keys().token, sealedFirst, 60_000);
    const third = await a.request();
    expect(third).toMatchObject({ source: 'endpoint' });
    expect([first.accessToken, second.accessToken]).not.toContain(third.accessToken);
  });

  it('never a token another replica saw refused, while the store still holds it', async () => {
    const store = new InstrumentedStore();
    const first = await replica(store).request();
    const b = replica(store);
    await b.request();
    fake.injectTokenFault({ type: 'status', status: 500 }, 1);
    await expect(b.request(new Set([first.accessToken]), first.accessToken)).rejects.toBeInstanceOf(Error);
    expect(store.calls).toContainEqual({ method: 'raise', key: keys().floor, ttlMs: 30 * 24 * 60 * 60 * 1000 });

    const c = await replica(store).request();
    expect(c.accessToken).not.toBe(first.accessToken);
    expect(c.source).toBe('endpoint');
  });

  it('a refused token this replica cannot place (fetched while the store was down) leaves the floor where it is', async () => {
    const store = new InstrumentedStore();
    const first = await replica(store).request();
    const sealedFirst = (await store.inner.get(keys().token))!;
    await replica(store).request(new Set([first.accessToken]));
    await store.inner.set(keys().token, sealedFirst, 60_000);

    const taken = await replica(store).request(new Set(), 'eyJ.fetched.without.the.store');
    expect(taken.accessToken).not.toBe(first.accessToken);
  });

  it('nothing it cannot read: sealed under another secret, or not a stored token once opened', async () => {
    const store = new InstrumentedStore();
    const config = normalizeOptions(fakeOptions(fake));
    const namespace = storeNamespace(config);
    const cipher = TokenCipher.forSecret(config.credentials.initial!, namespace);
    const other = new TokenCipher(Buffer.alloc(32, 7));
    const record = { accessToken: 'eyJ.stored.token', expiresInSeconds: 3600, obtainedAtWallMs: Date.now(), generation: 1_000 };
    const unreadable = [
      other.seal(JSON.stringify(record), keys().token),
      cipher.seal(JSON.stringify({ ...record, accessToken: 42 }), keys().token),
      cipher.seal(JSON.stringify({ ...record, expiresInSeconds: '3600' }), keys().token),
      cipher.seal(JSON.stringify({ ...record, obtainedAtWallMs: undefined }), keys().token),
    ];
    for (const [index, sealed] of unreadable.entries()) {
      await store.inner.set(keys().token, sealed, 60_000);
      const reader = replica(store);
      await expect(reader.request(), sealed).resolves.not.toMatchObject({ source: 'store' });
      expect(fake.tokenRequestCount).toBe(index + 1);
      // Unreadable is absent, not a failing store; one of another key is said once.
      expect(reader.events).toEqual(index === 0 ? [{ type: 'store-key-mismatch' }] : []);
    }
    // ...while the same record, well formed and sealed as this version seals it, is taken.
    await store.inner.set(keys().token, cipher.seal(JSON.stringify(record), keys().token), 60_000);
    await expect(replica(store).request()).resolves.toMatchObject({ accessToken: record.accessToken, source: 'store' });
  });

  it('the token another replica stored while this one was taking the lease: the leader reads once more', async () => {
    const store = new InstrumentedStore();
    const b = replica(store);
    let stored: string | undefined;
    store.beforeNextLease = async () => {
      stored = (await b.request()).accessToken;
    };
    const taken = await replica(store).request();
    expect(taken).toMatchObject({ accessToken: stored, source: 'store' });
    expect(fake.tokenRequestCount).toBe(1);
  });
});

describe('a new client id', () => {
  it('replicas that moved to it share tokens under its keys from the first one stored there', async () => {
    const second = { accountId: FAKE_DINTERO_CLIENT.accountId, clientId: 'second-client', clientSecret: 'second-client-secret' };
    const platform = await new FakeDinteroServer({ clients: [FAKE_DINTERO_CLIENT, second] }).start();
    try {
      let given: { clientId: string; clientSecret: string } = FAKE_DINTERO_CLIENT;
      const overrides = { baseUrl: platform.baseUrl, clientId: undefined, clientSecret: undefined, credentials: () => given };
      const store = new InstrumentedStore();
      const [a, b] = [replicaOn(platform, store, overrides), replicaOn(platform, store, overrides)];
      // A few lifetimes on the first client: generations climb in its keys.
      let current = await a.request();
      for (let lifetime = 0; lifetime < 3; lifetime += 1) {
        current = await a.request(new Set([current.accessToken]));
        expect(await b.request(new Set())).toMatchObject({ accessToken: current.accessToken, source: 'store' });
      }
      // The first client's secret is revoked: each replica's refusal reads the second client.
      given = second;
      platform.revokeClientSecret(FAKE_DINTERO_CLIENT.clientId, FAKE_DINTERO_CLIENT.clientSecret);
      const held = current.accessToken;
      current = await a.request(new Set([held]));
      expect(await b.request(new Set([held]))).toMatchObject({ source: 'endpoint' });
      // Under the second client's keys: one fetch, and the other replica takes it.
      const before = platform.tokenRequestCount;
      current = await a.request(new Set([current.accessToken]));
      expect(await b.request(new Set())).toMatchObject({ accessToken: current.accessToken, source: 'store' });
      expect(platform.tokenRequestCount - before).toBe(1);
    } finally {
      await Promise.all(sources.splice(0).map((source) => source.close()));
      await platform.stop();
    }
  });
});

describe('what a replica leaves in the store', () => {
  it('under keys that stay the same from version to version, so that a rolling deploy shares one token', async () => {
    const store = new InstrumentedStore();
    const a = replica(store, { requestTimeoutMs: 2_000 });
    await a.request();
    expect(keys().token).toMatch(/^dintero-auth:\{[0-9a-f]{32}\}:token$/);
    expect(store.calls).toEqual([
      { method: 'watch', key: keys().token },
      { method: 'get', key: keys().token },
      { method: 'get', key: keys().floor },
      // The request deadline and 5 s more: a leader that died frees the lease after that.
      { method: 'acquireLease', key: keys().lease, ttlMs: 7_000 },
      // The leader checks the floor is one a replica wrote.
      { method: 'get', key: keys().floor },
      { method: 'get', key: keys().token },
      { method: 'get', key: keys().floor },
      { method: 'set', key: keys().token, ttlMs: fake.tokenLifetimeSeconds * 1000 },
      { method: 'raise', key: keys().floor, ttlMs: 30 * 24 * 60 * 60 * 1000 },
    ]);
  });

  it('apart for anything that makes a token valid, even when the fields would run together', () => {
    // The same audience for both (options would refuse another account's): only the other fields differ.
    const audience = 'https://api.dintero.com/v1/accounts/T12345678';
    const namespace = (options: Partial<DinteroAuthModuleOptions>) =>
      storeNamespace({ ...normalizeOptions(fakeOptions(fake, options)), audience });
    expect(namespace({ accountId: 'T123', clientId: '45678client' })).not.toBe(namespace({ accountId: 'T12345678', clientId: 'client' }));
  });

  it('the lease for the backoff after a failure (Retry-After, within retry bounds), then gives it back', async () => {
    const store = new InstrumentedStore();
    const leaseFree = async () => {
      const lease = await store.inner.acquireLease(keys().lease, 60_000);
      await lease?.release();
      return lease !== undefined;
    };

    // No Retry-After: held for retry.initialDelayMs.
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    await expect(replica(store).request()).rejects.toBeInstanceOf(Error);
    expect(await leaseFree()).toBe(false);
    await eventually(leaseFree, 5_000, 'the lease to be free');

    // Retry-After 60 s: held for retry.maxDelayMs (400 ms), not a minute.
    fake.injectTokenFault({ type: 'status', status: 429, retryAfter: 60 }, 1);
    const started = performance.now();
    await expect(replica(store).request()).rejects.toBeInstanceOf(Error);
    expect(await leaseFree()).toBe(false);
    await eventually(leaseFree, 5_000, 'the lease to be free');
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('gives the lease back after the backoff itself, with a store whose leases cannot be extended', async () => {
    const store = new InstrumentedStore(undefined, { extend: false });
    const a = replica(store);
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    await expect(a.request()).rejects.toBeInstanceOf(Error);
    // The lease itself runs 15 s (request deadline + 5 s): only the replica can free it sooner.
    await eventually(
      async () => {
        const lease = await store.inner.acquireLease(keys().lease, 60_000);
        await lease?.release();
        return lease !== undefined;
      },
      5_000,
      'the lease to be given back',
    );
    expect(a.events).toEqual([]);
  });

  it('gives a held lease back at once on shutdown', async () => {
    const store = new InstrumentedStore();
    const a = replica(store, { retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    await expect(a.request()).rejects.toBeInstanceOf(Error);
    expect(await store.inner.acquireLease(keys().lease, 1)).toBeUndefined();
    await a.source.close();
    expect(await store.inner.acquireLease(keys().lease, 1)).toBeDefined();
  });

  it('gives the lease back at once when the request was aborted', async () => {
    const store = new InstrumentedStore();
    const a = replica(store);
    fake.injectTokenFault({ type: 'delay', ms: 5_000 }, 1);
    const controller = new AbortController();
    const pending = a.source.requestToken({ signal: controller.signal, replacing: new Set() });
    await eventually(() => fake.tokenRequestCount === 1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ failure: 'aborted' });
    expect(await store.inner.acquireLease(keys().lease, 1)).toBeDefined();
  });
});

describe('a store that fails', () => {
  it('is a cache miss: the replica fetches on its own, says so once, and says when the store works again', async () => {
    const store = new InstrumentedStore();
    const a = replica(store);
    const logger = new CaptureLogger();
    Logger.overrideLogger(logger);
    store.failing = true;
    await a.request();
    await a.request();
    expect(a.events).toEqual([{ type: 'store-failed', message: 'store down (watch)' }]);
    expect(fake.tokenRequestCount).toBe(2);
    expect(store.count('acquireLease')).toBe(0);

    store.failing = false;
    await a.request();
    expect(a.events).toEqual([{ type: 'store-failed', message: 'store down (watch)' }, { type: 'store-recovered' }]);
    expect(logger.lines).toEqual([
      `warn Token store failed for account ${FAKE_DINTERO_CLIENT.accountId} (store down (watch)): fetching tokens without it until it works again DinteroAuth`,
      `log Token store works again for account ${FAKE_DINTERO_CLIENT.accountId}: sharing tokens with other replicas DinteroAuth`,
    ]);
  });

  it('when only taking the lease fails, the replica fetches on its own', async () => {
    const store = new InstrumentedStore();
    store.beforeNextLease = () => {
      store.failing = true;
      return Promise.resolve();
    };
    await replica(store).request();
    expect(fake.tokenRequestCount).toBe(1);
    expect(store.calls.at(-1)).toMatchObject({ method: 'acquireLease' });
  });

  it('reports nothing once the replica is shutting down', async () => {
    const store = new InstrumentedStore();
    const a = replica(store);
    await a.request();
    store.failing = true;
    await a.source.close();
    expect(a.events).toEqual([]);
  });
});

describe('waiting for another replica', () => {
  it('with a store that cannot tell when a token lands, a waiting replica polls and gets it', async () => {
    const store = new InstrumentedStore(undefined, { watch: false });
    fake.injectTokenFault({ type: 'delay', ms: 300 }, 1);
    const leader = replica(store).request();
    await eventually(() => fake.tokenRequestCount === 1);
    const waiting = replica(store);
    const follower = await waiting.request();
    expect(follower).toMatchObject({ accessToken: (await leader).accessToken, source: 'store' });
    expect(store.count('get')).toBeGreaterThan(6);
    expect(waiting.events).toEqual([]);
  });

  it('with one that can, the waiting replica sleeps until the token lands', async () => {
    const store = new InstrumentedStore();
    fake.injectTokenFault({ type: 'delay', ms: 300 }, 1);
    const leader = replica(store).request();
    await eventually(() => fake.tokenRequestCount === 1);
    const reads = store.count('get');
    const follower = await replica(store).request();
    expect(follower).toMatchObject({ accessToken: (await leader).accessToken, source: 'store' });
    // Token and floor: the first read, once more after it listens, and once when woken.
    expect(store.count('get') - reads).toBeLessThanOrEqual(2 * 3 + 2);
  });

  it('past one and a half of the longest lease (two at most, jittered), fetches alone when the holder never stores a token', async () => {
    const clock = new ManualClock();
    clock.pinRandom(0);
    // A store as one written before leases had a longest time: it trusts any lease.
    const store = new InstrumentedStore(undefined, { longestLease: false });
    // Held by someone for a minute: a replica with a far longer deadline that died, or not a replica at all.
    const dead = await store.inner.acquireLease(keys().lease, 60_000);
    // The request deadline and 5 s (its backoff, 400 ms, is shorter).
    const longestLeaseMs = 10_000 + 5_000;
    const waiter = replica(store, {}, clock);
    const waiting = waiter.request();
    let outcome: unknown;
    waiting.then(
      () => (outcome = 'resolved'),
      (error: unknown) => (outcome = error),
    );
    const wake = async () => {
      // Anything stored under the token key wakes the waiting replica to look again.
      const reads = store.count('get');
      await store.set(keys().token, 'not a sealed token', 60_000);
      await eventually(() => store.count('get') >= reads + 2, 5_000, 'the waiting replica to look again');
      await new Promise((resolve) => setImmediate(resolve));
    };
    await wake();
    clock.advance(longestLeaseMs * 1.5);
    await wake();
    expect(outcome).toBeUndefined();
    expect(fake.tokenRequestCount).toBe(0);
    clock.advance(1);
    await wake();
    await expect(waiting).resolves.toMatchObject({ source: 'endpoint' });
    expect(fake.tokenRequestCount).toBe(1);
    expect(waiter.events.filter((event) => event.type === 'store-distrusted')).toEqual([
      {
        type: 'store-distrusted',
        key: 'lease',
        message:
          'the token lease is held and no token was stored within 22500 ms (1.5 to 2 times the longest lease, 15000 ms): fetching without it',
      },
    ]);
    await dead!.release();
  });

  it('a lease with more time left than the longest a replica holds one is taken over at once', async () => {
    const store = new InstrumentedStore();
    const foreign = await store.inner.acquireLease(keys().lease, 600_000);
    await expect(replica(store).request()).resolves.toMatchObject({ source: 'endpoint' });
    expect(fake.tokenRequestCount).toBe(1);
    // Whoever held it holds it no longer.
    expect(await foreign!.extend(1_000)).toBe(false);
    await expect(replica(store).request()).resolves.toMatchObject({ source: 'store' });
  });

  it('an aborted wait ends at once', async () => {
    const store = new InstrumentedStore();
    fake.injectTokenFault({ type: 'delay', ms: 2_000 }, 1);
    void replica(store)
      .request()
      .catch(() => undefined);
    await eventually(() => fake.tokenRequestCount === 1);
    const controller = new AbortController();
    const waiting = replica(store).source.requestToken({ signal: controller.signal, replacing: new Set() });
    controller.abort();
    await expect(waiting).rejects.toEqual(expect.any(DinteroTokenNetworkError));
    await expect(waiting).rejects.toMatchObject({ failure: 'aborted' });
  });
});

describe('shutdown', () => {
  it('stops listening, once, and leaves the store open: it is its creator’s to close', async () => {
    const store = new InstrumentedStore();
    const [a, b] = [replica(store), replica(store)];
    await a.request();
    await b.request();
    expect(store.watchers).toBe(2);
    await a.source.close();
    await a.source.close();
    expect(store.watchers).toBe(1);
    await b.source.close();
    expect(store.watchers).toBe(0);
    expect(store.closes).toBe(0);
    await expect(replica(store).request()).resolves.toMatchObject({ source: 'store' });
  });
});
