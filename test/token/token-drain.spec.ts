import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { type DinteroAuthModuleOptions } from '../../lib/index.js';
import { type Clock, systemClock, type TimerHandle } from '../../lib/token/clock.js';
import { nextEvent } from '../support/events.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { ScriptedServer } from '../support/scripted-server.js';
import { eventually, expectIdle, fakeOptions, type ManualTokenApp, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

// Nest's shutdown order, in one process: `onModuleDestroy` comes before the HTTP server has
// drained, so background work stops there while callers are still served; everything ends at
// `onApplicationShutdown`. The hooks are called as Nest calls them, one at a time, so that
// what happens between them can be seen. (test/shutdown.spec.ts drains a real server.)

const LIFETIME_S = 100;
const RETRY = { initialDelayMs: 1_000, maxDelayMs: 1_000, demandIntervalMs: 1_000 };
let fake: FakeDinteroServer;
let app: TokenApp | undefined;

beforeAll(async () => {
  fake = await startFake(LIFETIME_S);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

async function start(overrides: Partial<DinteroAuthModuleOptions> = {}, clock?: Clock): Promise<TokenApp> {
  app = await startTokenApp(fakeOptions(fake, { retry: RETRY, acquireTimeoutMs: 30_000, ...overrides }), clock);
  return app;
}

const startManual = async (overrides: Partial<DinteroAuthModuleOptions> = {}) =>
  (await start(overrides, new ManualClock())) as ManualTokenApp;

/** Moves the token clock to a wall-clock moment. */
function advanceTo(app: ManualTokenApp, moment: Date, plusMs = 0): void {
  app.clock.advance(moment.getTime() - app.clock.wallNow() + plusMs);
}

/** The system clock, keeping count of the timers that keep the process alive (armed, not yet fired or cleared). */
function keepAliveCountingClock(): { clock: Clock; keepingAlive: () => number } {
  const live = new Set<TimerHandle>();
  const clock: Clock = {
    now: systemClock.now,
    wallNow: systemClock.wallNow,
    random: systemClock.random,
    setTimer(callback, delayMs, keepAlive) {
      const handle = systemClock.setTimer(() => (live.delete(handle), callback()), delayMs, keepAlive);
      if (keepAlive) live.add(handle);
      return handle;
    },
    clearTimer(handle) {
      live.delete(handle);
      systemClock.clearTimer(handle);
    },
  };
  return { clock, keepingAlive: () => live.size };
}

describe('between onModuleDestroy and onApplicationShutdown', () => {
  it('the token is served but no longer refreshed; a caller after its usable time gets a new one, which is not refreshed either', async () => {
    const app = await startManual();
    const token = await app.tokens.getToken();
    await app.client.close('drain');

    advanceTo(app, token.refreshAt, 1);
    expect(app.tokens.peekToken()).toBe(token);
    expect(await app.tokens.getToken()).toBe(token);
    expectIdle(app, fake, 1);

    const expired = nextEvent(app.tokens.events$, 'expired');
    advanceTo(app, token.usableUntil);
    await expired;
    expectIdle(app, fake, 1);

    const next = await app.tokens.getToken();
    expect(next.accessToken).not.toBe(token.accessToken);
    advanceTo(app, next.refreshAt, 1);
    expectIdle(app, fake, 2);
  });

  it('a caller waiting through a retry still gets its token when the endpoint recovers', async () => {
    const app = await startManual();
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const pending = app.tokens.getToken();
    await failed;
    await app.client.close('drain');
    app.clock.advance(RETRY.demandIntervalMs);
    expect(app.tokens.status().refreshing, 'the retry started').toBe(true);
    await pending;
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('a background retry that nobody waits for stops', async () => {
    const app = await startManual();
    const token = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 503 });
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    advanceTo(app, token.refreshAt, 1);
    await failed;
    await app.client.close('drain');
    app.clock.advance(RETRY.maxDelayMs);
    expectIdle(app, fake, 2);
  });
});

describe('onApplicationShutdown', () => {
  it('nothing is logged, emitted or requested afterwards, however long the process lives on', async () => {
    const app = await startManual();
    const token = await app.tokens.getToken();
    const events: string[] = [];
    app.tokens.events$.subscribe((event) => events.push(event.type));
    await app.close();
    const logged = app.logger.lines.length;
    advanceTo(app, token.expiresAt, LIFETIME_S * 1000);
    expect(app.logger.lines.slice(logged)).toEqual([]);
    expect(events).toEqual([]);
    expect(fake.tokenRequestCount).toBe(1);
  });

  it('a caller waiting on a retry is told, and nothing is left keeping the process alive', async () => {
    fake.injectTokenFault({ type: 'status', status: 503 });
    const { clock, keepingAlive } = keepAliveCountingClock();
    const app = await start({}, clock);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const pending = app.tokens.getToken().catch((caught: unknown) => caught);
    await failed;
    expect(keepingAlive(), 'the caller’s deadline keeps the process alive while it waits').toBe(1);
    await app.close();
    expect(await pending).toMatchObject({ reason: 'shutdown' });
    expect(keepingAlive()).toBe(0);
  });

  it('aborts the request in flight', async () => {
    let closed = false;
    const silent = await new ScriptedServer((req) => req.socket.once('close', () => (closed = true))).start();
    try {
      const app = await start({ baseUrl: silent.baseUrl });
      const pending = app.tokens.getToken().catch(() => undefined);
      await eventually(() => silent.requests === 1, 5_000, 'the token request to arrive');
      await app.close();
      await pending;
      await eventually(() => closed, 5_000, 'the unanswered token request to be closed');
    } finally {
      await silent.stop();
    }
  });
});
