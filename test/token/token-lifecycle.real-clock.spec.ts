import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { DinteroTokenUnavailableError } from '../../lib/index.js';
import { nextEvent, recordEvents } from '../support/events.js';
import { eventually, fakeOptions, startFake, startTokenApp, type TokenApp } from '../support/token-app.js';

// The token lifecycle on the real clock, with the system timers: the few claims the manual
// clock cannot make (timers that fire as scheduled, a bound on waiting that is real time).
// Kept apart from token-lifecycle.spec.ts so that mutation runs, which retest the manual-clock
// suite for every mutant, are not paced by seconds of real time.

let fake: FakeDinteroServer;
let app: TokenApp | undefined;

// A fake of its own for each test: a retry the previous test's app had sent as it closed could
// otherwise land in the next test's request count.
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await fake.stop();
});

describe('DinteroTokenService on the real clock', () => {
  it('past the usable time, callers get a typed error quickly instead of hanging', async () => {
    // Real clock and a 1 s token: the bound on waiting is itself under test.
    fake.tokenLifetimeSeconds = 1;
    app = await startTokenApp(fakeOptions(fake, { acquireTimeoutMs: 300, retry: { initialDelayMs: 50, maxDelayMs: 5_000 } }));
    const events = recordEvents(app.tokens.events$);
    // The first fetch goes on past a caller's 300 ms on a loaded machine: wait for it, not the caller.
    const acquired = nextEvent(app.tokens.events$, 'acquired');
    void app.tokens.getToken().catch(() => undefined);
    await acquired;
    const held = app.tokens.peekToken()!;
    fake.injectTokenFault({ type: 'status', status: 500 });
    await eventually(() => events.some((event) => event.type === 'expired'), 3_000, 'the token to expire');
    expect(events.some((event) => event.type === 'refresh-failed')).toBe(true);

    const started = Date.now();
    const error = await app.tokens.getToken().catch((caught: unknown) => caught);
    // 300 ms of waiting allowed; the rest is slack for a loaded machine, short of a hang.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(error).toBeInstanceOf(DinteroTokenUnavailableError);
    expect((error as DinteroTokenUnavailableError).cause).toMatchObject({ status: 500 });
    expect(Date.now()).toBeGreaterThanOrEqual(held.usableUntil.getTime());
  });

  it('on the real clock, refreshes every lifetime in the background without ever expiring', async () => {
    // 2 s tokens refreshed at 40-50 % of their life: 800 ms of room before usable-until, more
    // than the lag of a heavily loaded machine's event loop.
    fake.tokenLifetimeSeconds = 2;
    app = await startTokenApp(fakeOptions(fake, { refresh: { windowStart: 0.4, windowEnd: 0.5 } }));
    const events = recordEvents(app.tokens.events$);
    // Counted as the third refresh lands, not when a poll notices it: a late poll sees a fourth.
    let requestsAtThirdRefresh: number | undefined;
    app.tokens.events$.subscribe((event) => {
      if (event.type === 'refreshed' && events.filter((seen) => seen.type === 'refreshed').length === 3) {
        requestsAtThirdRefresh ??= fake.tokenRequestCount;
      }
    });
    await app.tokens.getToken();
    await eventually(() => requestsAtThirdRefresh !== undefined, 15_000, 'three refreshes');
    expect(events.slice(0, 4).map((event) => event.type)).toEqual(['acquired', 'refreshed', 'refreshed', 'refreshed']);
    expect(requestsAtThirdRefresh).toBe(4);
  });
});
