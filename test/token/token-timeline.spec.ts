import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { type DinteroAuthModuleOptions, MemoryTokenStore } from '../../lib/index.js';
import { nextEvent } from '../support/events.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { fakeOptions, type ManualTokenApp, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

// Where a token's timeline comes from: the moment its request was sent, the slowest of the
// recent round trips, and, for a token another replica stored, the moment that replica sent
// its request. With the refresh window at its middle (random 0.5), a 100 s token refreshes at
// 80 s and stops being handed out at 90 s (a 10 % safety margin).

const LIFETIME_S = 100;
const USABLE_MS = 90_000;
const REFRESH_MS = 80_000;
let fake: FakeDinteroServer;
const apps: TokenApp[] = [];

beforeAll(async () => {
  fake = await startFake(LIFETIME_S);
});
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(apps.splice(0).map((app) => app.close()));
  fake.resetCounts();
});
afterAll(() => fake.stop());

async function start(clock: ManualClock, overrides: Partial<DinteroAuthModuleOptions> = {}): Promise<ManualTokenApp> {
  const app = await startTokenApp(fakeOptions(fake, { acquireTimeoutMs: 60_000, ...overrides }), clock);
  apps.push(app);
  return app as ManualTokenApp;
}

/** Fetches a token whose request takes `roundTripMs` on the token clock (the clock moves before the answer can arrive). */
async function fetchTaking(app: ManualTokenApp, roundTripMs: number, request = () => app.tokens.refresh()) {
  const sentAt = app.clock.wallNow();
  const pending = request();
  app.clock.advance(roundTripMs);
  const token = await pending;
  return { token, sentAt, refreshAfterMs: token.refreshAt.getTime() - token.obtainedAt.getTime() };
}

describe('round trips', () => {
  it('a token lives from when its request was sent, and a slow request leaves room for two round trips before usable-until', async () => {
    const app = await start(new ManualClock());
    app.clock.pinRandom(0.5);
    const { token, sentAt } = await fetchTaking(app, 10_000, () => app.tokens.getToken());
    expect(token.obtainedAt.getTime()).toBe(sentAt);
    expect(token.expiresAt.getTime()).toBe(sentAt + LIFETIME_S * 1000);
    expect(token.usableUntil.getTime()).toBe(sentAt + USABLE_MS);
    // 90 s usable, less two 10 s round trips: the successor still has room to arrive.
    expect(token.refreshAt.getTime()).toBe(sentAt + USABLE_MS - 2 * 10_000);
  });

  it('the room left is for the slowest of the last 8 round trips, not the latest', async () => {
    const app = await start(new ManualClock());
    app.clock.pinRandom(0.5);
    expect((await fetchTaking(app, 10_000, () => app.tokens.getToken())).refreshAfterMs).toBe(70_000);
    const fast: number[] = [];
    for (let i = 0; i < 8; i += 1) fast.push((await fetchTaking(app, 0)).refreshAfterMs);
    // The slow one is among the last 8 for seven fast ones; the eighth pushes it out.
    expect(fast).toEqual([...Array<number>(7).fill(70_000), REFRESH_MS]);
    expect(fake.tokenRequestCount).toBe(9);
  });
});

describe('a token another replica stored', () => {
  const wallStart = Date.UTC(2026, 10, 28, 12, 0, 0);

  it('keeps the life it began with at the replica that fetched it: the replica taking it 30 s later refreshes 30 s sooner', async () => {
    const store = new MemoryTokenStore();
    const first = await start(new ManualClock(wallStart), { store });
    const second = await start(new ManualClock(wallStart + 30_000), { store });
    for (const replica of [first, second]) replica.clock.pinRandom(0.5);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(wallStart);
    const fetched = await first.tokens.getToken();
    expect(fetched.obtainedAt.getTime()).toBe(wallStart);

    vi.setSystemTime(wallStart + 30_000);
    const acquired = nextEvent(second.tokens.events$, 'acquired');
    const taken = await second.tokens.getToken();
    expect(await acquired).toMatchObject({ source: 'store', fingerprint: fetched.fingerprint });
    expect(fake.tokenRequestCount).toBe(1);
    for (const moment of ['obtainedAt', 'refreshAt', 'usableUntil', 'expiresAt'] as const) {
      expect(taken[moment].getTime(), moment).toBe(fetched[moment].getTime());
    }

    // On the second replica's own clock the refresh is 50 s away, not 80 s.
    second.clock.advance(REFRESH_MS - 30_000 - 1);
    expect(second.tokens.status().refreshing).toBe(false);
    const refreshed = nextEvent(second.tokens.events$, 'refreshed');
    second.clock.advance(1);
    expect(second.tokens.status().refreshing).toBe(true);
    expect(await refreshed).toMatchObject({ source: 'endpoint', previousFingerprint: fetched.fingerprint });
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('taken from a host whose clock runs ahead, it lives from this replica’s request, and is dated by this replica’s clock', async () => {
    const store = new MemoryTokenStore();
    const ahead = await start(new ManualClock(wallStart), { store });
    const behind = await start(new ManualClock(wallStart - 3_000), { store });
    for (const replica of [ahead, behind]) replica.clock.pinRandom(0.5);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(wallStart);
    const fetched = await ahead.tokens.getToken();

    vi.setSystemTime(wallStart - 3_000);
    const taken = await behind.tokens.getToken();
    expect(taken.accessToken).toBe(fetched.accessToken);
    // Not from the future: a health check on this host compares these dates with its own clock.
    expect(taken.obtainedAt.getTime()).toBe(wallStart - 3_000);
    expect(taken.refreshAt.getTime()).toBe(wallStart - 3_000 + REFRESH_MS);
    expect(taken.expiresAt.getTime()).toBe(wallStart - 3_000 + LIFETIME_S * 1000);

    behind.clock.advance(REFRESH_MS - 1);
    expect(behind.tokens.status().refreshing).toBe(false);
    behind.clock.advance(1);
    expect(behind.tokens.status().refreshing).toBe(true);
  });
});
