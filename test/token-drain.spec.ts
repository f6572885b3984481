import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DinteroAuthModuleOptions } from '../lib/index.js';
import type { FakeDinteroServer } from '../lib/testing/index.js';
import { nextEvent } from './support/events.js';
import { ManualClock } from './support/manual-clock.js';
import { ScriptedServer } from './support/scripted-server.js';
import { eventually, fakeOptions, startFake, startTokenApp, type TokenApp } from './support/token-app.js';

// Nest's shutdown order, in one process: `onModuleDestroy` comes before the HTTP server has
// drained, so background work stops there while callers are still served; everything ends at
// `onApplicationShutdown`. The hooks are called as Nest calls them, one at a time, so that
// what happens between them can be seen. (test/shutdown.spec.ts drains a real server.)

const LIFETIME_S = 100;
const RETRY = { initialDelayMs: 1_000, maxDelayMs: 1_000, demandIntervalMs: 1_000 };
let fake: FakeDinteroServer;
let app: (TokenApp & { clock: ManualClock }) | undefined;

beforeAll(async () => {
  fake = await startFake(LIFETIME_S);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await app?.close();
  app = undefined;
  fake.clearTokenFaults();
  fake.resetCounts();
});
afterAll(() => fake.stop());

async function start(overrides: Partial<DinteroAuthModuleOptions> = {}): Promise<TokenApp & { clock: ManualClock }> {
  app = (await startTokenApp(
    fakeOptions(fake, { retry: RETRY, acquireTimeoutMs: 30_000, ...overrides }),
    new ManualClock(),
  )) as TokenApp & {
    clock: ManualClock;
  };
  return app;
}

/** Moves the token clock to a wall-clock moment. */
function advanceTo(app: TokenApp & { clock: ManualClock }, moment: Date, plusMs = 0): void {
  app.clock.advance(moment.getTime() - app.clock.wallNow() + plusMs);
}

function expectIdle(app: TokenApp, requests: number): void {
  expect(app.tokens.status().refreshing, 'a token request in flight').toBe(false);
  expect(fake.tokenRequestCount).toBe(requests);
}

describe('between onModuleDestroy and onApplicationShutdown', () => {
  it('the token is served but no longer refreshed; a caller after its usable time gets a new one, which is not refreshed either', async () => {
    const app = await start();
    const token = await app.tokens.getToken();
    app.tokens.onModuleDestroy();
    expect(app.clock.pendingTimers, 'only the expiry timer').toBe(1);

    advanceTo(app, token.refreshAt, 1);
    expect(app.tokens.peekToken()).toBe(token);
    expect(await app.tokens.getToken()).toBe(token);
    expectIdle(app, 1);

    const expired = nextEvent(app.tokens.events$, 'expired');
    advanceTo(app, token.usableUntil);
    await expired;
    expectIdle(app, 1);

    const next = await app.tokens.getToken();
    expect(next.accessToken).not.toBe(token.accessToken);
    expect(app.clock.pendingTimers, 'only the expiry timer').toBe(1);
    advanceTo(app, next.refreshAt, 1);
    expectIdle(app, 2);
  });

  it('a caller waiting through a retry still gets its token when the endpoint recovers', async () => {
    const app = await start();
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    const pending = app.tokens.getToken();
    await failed;
    app.tokens.onModuleDestroy();
    app.clock.advance(RETRY.demandIntervalMs);
    expect(app.tokens.status().refreshing, 'the retry started').toBe(true);
    await pending;
    expect(fake.tokenRequestCount).toBe(2);
  });

  it('a background retry that nobody waits for stops', async () => {
    const app = await start();
    const token = await app.tokens.getToken();
    fake.injectTokenFault({ type: 'status', status: 503 });
    const failed = nextEvent(app.tokens.events$, 'refresh-failed');
    advanceTo(app, token.refreshAt, 1);
    await failed;
    app.tokens.onModuleDestroy();
    expect(app.clock.pendingTimers, 'only the expiry timer').toBe(1);
    app.clock.advance(RETRY.maxDelayMs);
    expectIdle(app, 2);
  });
});

describe('onApplicationShutdown', () => {
  it('leaves no timer armed, whether a token is held or a caller waits on a retry', async () => {
    const holding = await start();
    await holding.tokens.getToken();
    await holding.close();
    expect(holding.clock.pendingTimers).toBe(0);
    app = undefined;

    const waiting = await start();
    fake.injectTokenFault({ type: 'status', status: 503 }, 1);
    const failed = nextEvent(waiting.tokens.events$, 'refresh-failed');
    const pending = waiting.tokens.getToken().catch((caught: unknown) => caught);
    await failed;
    expect(waiting.clock.pendingTimers, 'the retry and the caller’s deadline').toBe(2);
    await waiting.close();
    expect(waiting.clock.pendingTimers).toBe(0);
    expect(await pending).toMatchObject({ reason: 'shutdown' });
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
      await eventually(() => closed, 2_000, 'the unanswered token request to be closed');
    } finally {
      await silent.stop();
    }
  });
});
