/**
 * A Redis that someone else can write to, or that a replica with another configuration left
 * things in: replicas as separate Nest apps on the real Redis of this machine (REDIS_URL). A
 * lease held far longer than any replica of this configuration holds one does not block them,
 * and a generation floor no replica wrote does not stop them sharing a token.
 */
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_DINTERO_CLIENT, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import type { DinteroAuthModuleOptions, DinteroTokenEvent } from '../../lib/index.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { storeNamespace } from '../../lib/store/shared-token.source.js';
import { recordEvents } from '../support/events.js';
import { clearStoredTokens, inspectRedis, REDIS_URL } from '../support/redis.js';
import { fakeOptions, startTokenApp, type TokenApp } from '../support/token-app.js';

const REPLICAS = 3;
let fake: FakeDinteroServer;
let apps: TokenApp[] = [];
let raw: Redis;

beforeEach(async () => {
  if (!REDIS_URL) return;
  fake = await new FakeDinteroServer().start();
  raw = inspectRedis();
  await clearStoredTokens(raw, fake, [FAKE_DINTERO_CLIENT]);
});
afterEach(async () => {
  if (!REDIS_URL) return;
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
  await clearStoredTokens(raw, fake, [FAKE_DINTERO_CLIENT]);
  await fake.stop();
  raw.disconnect();
});

// Callers give up after 3 s: long enough for a token request, far shorter than a foreign lease.
const OPTIONS: Partial<DinteroAuthModuleOptions> = { acquireTimeoutMs: 3_000 };

async function replicas(): Promise<{ apps: TokenApp[]; events: DinteroTokenEvent[][] }> {
  const started = await Promise.all(
    Array.from({ length: REPLICAS }, () =>
      startTokenApp(fakeOptions(fake, { ...OPTIONS, store: new RedisTokenStore({ url: REDIS_URL! }) })),
    ),
  );
  apps.push(...started);
  return { apps: started, events: started.map((app) => recordEvents(app.tokens.events$)) };
}

function keys() {
  const namespace = storeNamespace(normalizeOptions(fakeOptions(fake)));
  return { token: `${namespace}:token`, lease: `${namespace}:lease`, floor: `${namespace}:floor` };
}

describe.skipIf(!REDIS_URL)('a Redis someone else writes to', () => {
  it('a lease set for 10 minutes by someone else blocks no replica: one token request for all', async () => {
    await raw.set(keys().lease, 'not-a-replica', 'PX', 600_000);
    const { apps: started } = await replicas();
    const outcomes = await Promise.allSettled(started.map((app) => app.tokens.getToken()));
    const failed = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String((outcome.reason as Error).message)] : []));
    expect(failed).toEqual([]);
    expect(fake.tokenRequestCount).toBe(1);
    const tokens = outcomes.map((outcome) => (outcome as PromiseFulfilledResult<{ accessToken: string }>).value.accessToken);
    expect(new Set(tokens).size).toBe(1);
  });

  it('a generation floor no replica wrote does not stop sharing: put back once, with one event, and the token shared', async () => {
    const [first] = (await replicas()).apps;
    const shared = await first!.tokens.getToken();
    expect(fake.tokenRequestCount).toBe(1);
    // Above every lease ever taken: no token in the store would count as fresh again.
    await raw.set(keys().floor, '9007199254740991', 'PX', 600_000);
    const { apps: later, events } = await replicas();
    const tokens = await Promise.all(later.map((app) => app.tokens.getToken()));
    expect(fake.tokenRequestCount).toBe(1);
    expect(tokens.every((token) => token.accessToken === shared.accessToken)).toBe(true);
    const distrusted = events.flat().filter((event) => event.type === 'store-distrusted');
    expect(distrusted).toEqual([{ type: 'store-distrusted', key: 'floor', message: expect.stringContaining('generation floor') }]);
    expect(Number(await raw.get(keys().floor))).toBeLessThan(100);
  });
});
