/**
 * Accounts sharing one Redis store across replicas (separate Nest apps in this process, each
 * with its own Redis connection): one token request per account, keys apart per account.
 */
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeDinteroClient, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import type { DinteroAccountEvent, DinteroAccountsModuleOptions } from '../../lib/index.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import { RedisTokenStore } from '../../lib/redis/index.js';
import { storeNamespace } from '../../lib/store/shared-token.source.js';
import { LOAD_REFRESH, loadFor, sharedRequestBounds } from '../support/load.js';
import { clearStoredTokens, inspectRedis, REDIS_URL } from '../support/redis.js';
import { type AccountsApp, CredentialsTable, merchant, platformOptions, startAccountsApp, startPlatformFake } from './accounts-app.js';

const MERCHANTS = [merchant(0), merchant(1), merchant(2)];
let fake: FakeDinteroServer;
let apps: AccountsApp[] = [];
let raw: Redis;

beforeEach(async () => {
  // A fresh fake per test: a new port is a new base URL, so new store keys.
  fake = await startPlatformFake(MERCHANTS.length);
  raw = inspectRedis();
  await clearStoredTokens(raw, fake, MERCHANTS);
});
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
  await fake.stop();
  raw.disconnect();
});

async function replica(overrides: Partial<DinteroAccountsModuleOptions> = {}) {
  const app = await startAccountsApp(
    platformOptions(fake, new CredentialsTable(MERCHANTS), { store: new RedisTokenStore({ url: REDIS_URL! }), ...overrides }),
  );
  apps.push(app);
  return app;
}

/** The Redis key of a merchant's token, as the shared source names it. */
function tokenKey({ accountId, clientId, clientSecret }: FakeDinteroClient): string {
  const config = normalizeOptions({ accountId, clientId, clientSecret, baseUrl: fake.baseUrl, allowInsecureLoopback: true });
  return `${storeNamespace(config)}:token`;
}

describe.skipIf(!REDIS_URL)('accounts on a shared Redis store', () => {
  it('3 replicas x 3 accounts, all cold at once: one token request per account, each account under its own key', async () => {
    const replicas = await Promise.all([replica(), replica(), replica()]);
    const tokens = await Promise.all(
      replicas.flatMap((app) =>
        MERCHANTS.map(async ({ accountId }) => ({
          accountId,
          token: (await (await app.accounts.get(accountId)).tokens.getToken()).accessToken,
        })),
      ),
    );
    expect(fake.tokenRequestCount).toBe(MERCHANTS.length);
    for (const { accountId } of MERCHANTS) {
      const seen = new Set(tokens.filter((entry) => entry.accountId === accountId).map((entry) => entry.token));
      expect(seen.size).toBe(1);
      expect(fake.verifyToken([...seen][0]!)?.aud).toBe(`https://api.dintero.com/v1/accounts/${accountId}`);
    }
    const keys = MERCHANTS.map(tokenKey);
    expect(new Set(keys).size).toBe(MERCHANTS.length);
    for (const key of keys) expect(await raw.get(key)).toBeTruthy();
  });

  it('3 replicas x 3 accounts under load for 4 token lifetimes: one token request per account per refresh period', async () => {
    fake.tokenLifetimeSeconds = 3;
    const store = () => new RedisTokenStore({ url: REDIS_URL!, commandTimeoutMs: 5_000 });
    const replicas = await Promise.all([0, 1, 2].map(() => replica({ refresh: LOAD_REFRESH, store: store() })));
    const callers = replicas.flatMap((app) =>
      MERCHANTS.map(
        ({ accountId }) =>
          async () =>
            (await app.accounts.get(accountId)).tokens.getToken(),
      ),
    );
    const elapsed = await loadFor(12_000, callers);
    // Alone, each replica would make as many again.
    const { least, most } = sharedRequestBounds(elapsed, 3_000);
    for (const { accountId } of MERCHANTS) {
      const count = fake.tokenRequests.filter((request) => request.path.includes(accountId)).length;
      expect(count, accountId).toBeGreaterThanOrEqual(least);
      expect(count, accountId).toBeLessThanOrEqual(most);
    }
  });

  it('closing every account leaves the store open for the next ones', async () => {
    const app = await replica();
    const events: DinteroAccountEvent[] = [];
    app.accounts.events$.subscribe((event) => events.push(event));
    const [a, b] = MERCHANTS;
    await (await app.accounts.get(a!.accountId)).tokens.getToken();
    expect(await app.accounts.forget(a!.accountId)).toBe(true);
    expect(app.accounts.size).toBe(0);
    await (await app.accounts.get(b!.accountId)).tokens.getToken();
    expect(events.filter((event) => event.type === 'store-failed')).toEqual([]);
    expect(await raw.get(tokenKey(a!))).toBeFalsy();
    expect(await raw.get(tokenKey(b!))).toBeTruthy();
  });

  it('forget drops the account’s token from the store; other accounts keep theirs', async () => {
    const [first, second] = await Promise.all([replica(), replica()]);
    const [a, b] = MERCHANTS;
    for (const { accountId } of [a!, b!]) await (await first.accounts.get(accountId)).tokens.getToken();
    expect(await first.accounts.forget(a!.accountId)).toBe(true);
    expect(await raw.get(tokenKey(a!))).toBeFalsy();
    expect(await raw.get(tokenKey(b!))).toBeTruthy();
    // Another replica opening the account fetches a token of its own: the store no longer has one.
    const events: DinteroAccountEvent[] = [];
    second.accounts.events$.subscribe((event) => events.push(event));
    await (await second.accounts.get(a!.accountId)).tokens.getToken();
    expect(events.find((event) => event.type === 'acquired')).toMatchObject({ accountId: a!.accountId, source: 'endpoint' });
    expect(fake.tokenRequestCount).toBe(3);
  });
});
