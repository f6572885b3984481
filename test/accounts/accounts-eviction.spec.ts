/**
 * Eviction of held accounts, by idle time and by count, on the manual clock: an account in use
 * is never closed under a call, and a closed account leaves no timer behind.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import type { DinteroAccountEvent, DinteroAccountsModuleOptions } from '../../lib/index.js';
import { capacityEvictions, idleEvictions, nextIdleCheckAt } from '../../lib/accounts/account-eviction.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { eventually } from '../support/token-app.js';
import { HoldingProxy } from './holding-proxy.js';
import { type AccountsApp, CredentialsTable, merchant, platformOptions, startAccountsApp, startPlatformFake } from './accounts-app.js';

const [A, B, C] = [merchant(0), merchant(1), merchant(2)];
const IDLE_MS = 60_000;
let fake: FakeDinteroServer;
let proxy: HoldingProxy;
let app: AccountsApp | undefined;

beforeAll(async () => {
  fake = await startPlatformFake(3);
  proxy = await new HoldingProxy(fake.baseUrl).start();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  proxy.release();
  fake.resetCounts();
});
afterAll(async () => {
  await proxy.stop();
  await fake.stop();
});

async function start(overrides: Partial<DinteroAccountsModuleOptions> = {}) {
  const clock = new ManualClock();
  const table = new CredentialsTable([A, B, C]);
  app = await startAccountsApp(platformOptions(fake, table, { baseUrl: proxy.baseUrl, idleTimeoutMs: IDLE_MS, ...overrides }), clock);
  const closed: DinteroAccountEvent[] = [];
  app.accounts.events$.subscribe((event) => event.type === 'account-closed' && closed.push(event));
  return { accounts: app.accounts, clock, table, closed };
}

const held = (accounts: AccountsApp['accounts']) => accounts.status().map((status) => status.accountId);

describe('eviction by idle time', () => {
  it('closes an account unused for idleTimeoutMs, keeps one used since; closed accounts leave no timer', async () => {
    const { accounts, clock, table, closed } = await start();
    for (const { accountId } of [A, B]) await (await accounts.get(accountId)).tokens.getToken();
    clock.advance(IDLE_MS / 2);
    await accounts.get(A.accountId);
    clock.advance(IDLE_MS / 2);
    await eventually(() => closed.length === 1, 5_000, 'B closed');
    expect(closed[0]).toEqual({ type: 'account-closed', accountId: B.accountId, reason: 'idle' });
    expect(held(accounts)).toEqual([A.accountId]);

    clock.advance(IDLE_MS / 2);
    await eventually(() => closed.length === 2, 5_000, 'A closed');
    expect(closed[1]).toMatchObject({ accountId: A.accountId, reason: 'idle' });
    expect(accounts.size).toBe(0);
    // Refresh and expiry timers of both tokens, and the idle check, are gone.
    expect(clock.pendingTimers).toBe(0);

    await accounts.get(B.accountId);
    expect(table.callsFor(B.accountId)).toBe(2);
  });

  it('never closes an account while one of its calls is in flight; idle time counts from the call’s end', async () => {
    // The caller waits for its token longer than the account stays idle.
    const { accounts, clock, closed } = await start({ acquireTimeoutMs: IDLE_MS * 10 });
    const account = await accounts.get(A.accountId);
    proxy.hold();
    const calling = account.http.axiosRef.get('/sessions/none', { validateStatus: () => true });
    await eventually(() => proxy.held === 1, 5_000, 'the token request, held');
    clock.advance(IDLE_MS * 2);
    expect(accounts.size).toBe(1);
    proxy.release();
    expect((await calling).status).toBe(404);
    expect(accounts.size).toBe(1);
    expect(await accounts.get(A.accountId)).toBe(account);
    clock.advance(IDLE_MS);
    await eventually(() => closed.length === 1, 5_000, 'A closed once idle');
    expect(closed).toEqual([{ type: 'account-closed', accountId: A.accountId, reason: 'idle' }]);
  });
});

describe('eviction by count', () => {
  it('over maxAccounts closes the least recently used account', async () => {
    const { accounts, table, closed } = await start({ maxAccounts: 2 });
    await accounts.get(A.accountId);
    await accounts.get(B.accountId);
    await accounts.get(A.accountId);
    await accounts.get(C.accountId);
    await eventually(() => closed.length === 1, 5_000, 'one account closed');
    expect(closed[0]).toEqual({ type: 'account-closed', accountId: B.accountId, reason: 'capacity' });
    expect(held(accounts).sort()).toEqual([A.accountId, C.accountId]);
    await accounts.get(B.accountId);
    await eventually(() => closed.length === 2, 5_000, 'another account closed');
    expect(closed[1]).toMatchObject({ accountId: A.accountId, reason: 'capacity' });
    expect(table.callsFor(B.accountId)).toBe(2);
  });

  it('skips an account with a call in flight, and is back within maxAccounts once it ends', async () => {
    const { accounts, closed } = await start({ maxAccounts: 1 });
    const a = await accounts.get(A.accountId);
    proxy.hold();
    const calling = a.http.axiosRef.get('/sessions/none', { validateStatus: () => true });
    await eventually(() => proxy.held === 1, 5_000, 'the token request, held');
    await accounts.get(B.accountId);
    expect(accounts.size).toBe(2);
    proxy.release();
    expect((await calling).status).toBe(404);
    await eventually(() => closed.length === 1, 5_000, 'one account closed');
    // B was used before A's call ended: B is the least recently used.
    expect(closed[0]).toMatchObject({ accountId: B.accountId, reason: 'capacity' });
    expect(held(accounts)).toEqual([A.accountId]);
  });
});

describe('eviction policy', () => {
  const at = (lastUsedAt: number, evictable = true) => ({ lastUsedAt, evictable });

  it('idle: stops at the first account used since, skips busy ones', () => {
    const candidates: [string, ReturnType<typeof at>][] = [
      ['a', at(0)],
      ['b', at(5, false)],
      ['c', at(10)],
      ['d', at(50)],
      ['e', at(0)],
    ];
    expect(idleEvictions(candidates, 60, 50)).toEqual(['a', 'c']);
    expect(idleEvictions(candidates, 40, 50)).toEqual([]);
  });

  it('count: the least recently used idle ones, no more than needed', () => {
    const candidates: [string, ReturnType<typeof at>][] = [
      ['a', at(0, false)],
      ['b', at(1)],
      ['c', at(2)],
      ['d', at(3)],
    ];
    expect(capacityEvictions(candidates, 4, 2)).toEqual(['b', 'c']);
    expect(capacityEvictions(candidates, 4, 4)).toEqual([]);
    expect(capacityEvictions([['a', at(0, false)]], 2, 1)).toEqual([]);
  });

  it('the next idle check is due when the least recently used evictable account falls idle', () => {
    expect(
      nextIdleCheckAt(
        [
          ['a', at(0, false)],
          ['b', at(7)],
        ],
        50,
      ),
    ).toBe(57);
    expect(nextIdleCheckAt([['a', at(0, false)]], 50)).toBeUndefined();
  });
});
