/**
 * The timing policy as properties over every validated timing, lifetime, round trip and random
 * draw, plus the few concrete cases a reader needs to see the numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DinteroAuthConfigError } from '../../lib/index.js';
import type { RefreshTiming, RetryTiming } from '../../lib/options/dintero-auth.config.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import {
  type AttemptHistory,
  backoffDelay,
  MAX_TOKEN_LIFETIME_SECONDS,
  nextAttemptAt,
  planTimeline,
  retryAfterFloor,
  ROUND_TRIP_HEADROOM,
} from '../../lib/token/refresh-policy.js';

const MAX_TIMER_MS = 2_147_483_647;
const CREDENTIALS = { accountId: 'T12345678', clientId: 'id', clientSecret: 'secret' };
const DEFAULT_REFRESH = normalizeOptions(CREDENTIALS).refresh;
const DEFAULT_RETRY = normalizeOptions(CREDENTIALS).retry;

/** The timing normalizeOptions makes of `input`, or undefined when it refuses it (with a typed error). */
function validatedOrUndefined<K extends 'refresh' | 'retry'>(key: K, input: object) {
  try {
    return normalizeOptions({ ...CREDENTIALS, [key]: input })[key];
  } catch (error) {
    expect(error).toBeInstanceOf(DinteroAuthConfigError);
    return undefined;
  }
}

// Fractions to a millionth and whole milliseconds: finer values are not timings anyone configures.
const fraction = fc.integer({ min: 1, max: 999_999 }).map((n) => n / 1e6);
const millis = fc.integer({ min: 1, max: MAX_TIMER_MS });
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const lifetimeMs = fc.integer({ min: 1, max: MAX_TOKEN_LIFETIME_SECONDS }).map((seconds) => seconds * 1000);
const sentAt = fc.double({ min: 0, max: 1e12, noNaN: true });
const roundTripMs = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 * 60_000 }));
const retryAfterMs = fc.option(fc.integer({ min: 0, max: 10 * MAX_TIMER_MS }), { nil: undefined });
const failures = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));

/** Any refresh timing that passes validation (most random ones do not, and are refused). */
const refreshTiming: fc.Arbitrary<RefreshTiming> = fc
  .record({ windowStart: fraction, windowEnd: fraction, safetyMarginFraction: fraction, safetyMarginMaxMs: millis })
  .map((input) => validatedOrUndefined('refresh', input))
  .filter((timing): timing is RefreshTiming => timing !== undefined);

/** Any retry timing that passes validation. */
const retryTiming: fc.Arbitrary<RetryTiming> = fc
  .record({ initialDelayMs: millis, maxDelayMs: millis, demandIntervalMs: millis })
  .map((input) => validatedOrUndefined('retry', input))
  .filter((timing): timing is RetryTiming => timing !== undefined);

describe('planTimeline', () => {
  it('for any validated timing, lifetime and round trip: sentAt < refreshAt < usableUntil < expiresAt', () => {
    fc.assert(
      fc.property(sentAt, lifetimeMs, refreshTiming, random, roundTripMs, (at, lifetime, timing, draw, roundTrip) => {
        const t = planTimeline(at, lifetime, timing, draw, roundTrip);
        expect(t.sentAt).toBe(at);
        expect(t.expiresAt).toBe(at + lifetime);
        expect(t.sentAt).toBeLessThan(t.refreshAt);
        expect(t.refreshAt).toBeLessThan(t.usableUntil);
        expect(t.usableUntil).toBeLessThan(t.expiresAt);
      }),
    );
  });

  it('usable until expiry less the margin: the smaller of its cap and its fraction of the lifetime', () => {
    fc.assert(
      fc.property(lifetimeMs, refreshTiming, random, (lifetime, timing, draw) => {
        const t = planTimeline(0, lifetime, timing, draw);
        expect(t.expiresAt - t.usableUntil).toBeCloseTo(Math.min(timing.safetyMarginMaxMs, lifetime * timing.safetyMarginFraction), 3);
      }),
    );
  });

  it('with fast round trips the refresh falls in the window, placed by the random draw', () => {
    fc.assert(
      fc.property(lifetimeMs, refreshTiming, random, random, (lifetime, timing, low, high) => {
        const [a, b] = low <= high ? [low, high] : [high, low];
        const early = planTimeline(0, lifetime, timing, a).refreshAt / lifetime;
        const late = planTimeline(0, lifetime, timing, b).refreshAt / lifetime;
        expect(early).toBeGreaterThanOrEqual(timing.windowStart - 1e-9);
        expect(late).toBeLessThanOrEqual(timing.windowEnd + 1e-9);
        expect(early).toBeLessThanOrEqual(late);
        expect(early).toBeCloseTo(timing.windowStart + (timing.windowEnd - timing.windowStart) * a, 6);
      }),
    );
  });

  it('a slow endpoint moves the refresh earlier, to leave room for two round trips, but never before half the window start', () => {
    fc.assert(
      fc.property(sentAt, lifetimeMs, refreshTiming, random, roundTripMs, roundTripMs, (at, lifetime, timing, draw, rtA, rtB) => {
        const [fast, slow] = rtA <= rtB ? [rtA, rtB] : [rtB, rtA];
        const t = planTimeline(at, lifetime, timing, draw, slow);
        const unhurried = planTimeline(at, lifetime, timing, draw);
        const earliest = at + (lifetime * timing.windowStart) / 2;
        expect(t.refreshAt).toBeGreaterThanOrEqual(earliest);
        expect(t.refreshAt).toBeLessThanOrEqual(unhurried.refreshAt);
        expect(t.refreshAt).toBeLessThanOrEqual(planTimeline(at, lifetime, timing, draw, fast).refreshAt);
        // Room for the successor, unless that would mean refreshing before the earliest point.
        if (t.refreshAt > earliest) expect(t.refreshAt + ROUND_TRIP_HEADROOM * slow).toBeLessThanOrEqual(t.usableUntil + 1e-6);
        // Only as much earlier as the room needs.
        if (t.refreshAt < unhurried.refreshAt && t.refreshAt > earliest)
          expect(t.refreshAt).toBeCloseTo(t.usableUntil - ROUND_TRIP_HEADROOM * slow, 3);
      }),
    );
  });

  it('examples with the default timing: an hour caps the margin at 60 s, a minute uses 10 %', () => {
    expect(planTimeline(0, 3_600_000, DEFAULT_REFRESH, 0)).toEqual({
      sentAt: 0,
      refreshAt: 2_700_000,
      usableUntil: 3_540_000,
      expiresAt: 3_600_000,
    });
    expect(planTimeline(100, 60_000, DEFAULT_REFRESH, 0.5)).toEqual({
      sentAt: 100,
      refreshAt: 48_100,
      usableUntil: 54_100,
      expiresAt: 60_100,
    });
  });

  it('examples with slow round trips: a 2 s token over a 400 ms endpoint, and an endpoint slower than the lifetime', () => {
    expect(planTimeline(0, 2_000, DEFAULT_REFRESH, 0.5, 400)).toMatchObject({ refreshAt: 1_000, usableUntil: 1_800 });
    expect(planTimeline(0, 1_000, DEFAULT_REFRESH, 0.5, 60_000)).toMatchObject({ refreshAt: 375, usableUntil: 900 });
    // An hour-long token does not notice a 2 s round trip.
    expect(planTimeline(0, 3_600_000, DEFAULT_REFRESH, 0.5, 2_000)).toEqual(planTimeline(0, 3_600_000, DEFAULT_REFRESH, 0.5));
  });
});

describe('backoffDelay', () => {
  it('stays within [0, cap], finite, at least the capped Retry-After, and under the exponential ceiling otherwise', () => {
    fc.assert(
      fc.property(failures, retryTiming, random, retryAfterMs, (failed, timing, draw, retryAfter) => {
        const delay = backoffDelay(failed, timing, draw, retryAfter);
        const floor = retryAfterFloor(timing, retryAfter);
        const ceiling = Math.min(timing.maxDelayMs, timing.initialDelayMs * 2 ** Math.min(failed - 1, 30));
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(timing.maxDelayMs);
        expect(delay).toBeGreaterThanOrEqual(floor);
        expect(delay).toBeLessThanOrEqual(Math.max(ceiling, floor));
      }),
    );
  });

  it('grows with the failures and with the random draw', () => {
    fc.assert(
      fc.property(failures, retryTiming, random, random, retryAfterMs, (failed, timing, a, b, retryAfter) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(backoffDelay(failed, timing, low, retryAfter)).toBeLessThanOrEqual(backoffDelay(failed, timing, high, retryAfter));
        if (failed < Number.MAX_SAFE_INTEGER) {
          expect(backoffDelay(failed, timing, a, retryAfter)).toBeLessThanOrEqual(backoffDelay(failed + 1, timing, a, retryAfter));
        }
      }),
    );
  });

  it('Retry-After is a floor capped at maxDelayMs', () => {
    fc.assert(
      fc.property(retryTiming, fc.integer({ min: 0, max: 10 * MAX_TIMER_MS }), (timing, retryAfter) => {
        expect(retryAfterFloor(timing, retryAfter)).toBe(Math.min(retryAfter, timing.maxDelayMs));
        expect(retryAfterFloor(timing, undefined)).toBe(0);
      }),
    );
  });

  it('examples with the default timing (500 ms doubling to a 30 s cap, full jitter)', () => {
    const high = 0.999999;
    expect([1, 2, 3, 6, 7, 50].map((failed) => Math.round(backoffDelay(failed, DEFAULT_RETRY, high)))).toEqual([
      500, 1_000, 2_000, 16_000, 30_000, 30_000,
    ]);
    expect(backoffDelay(3, DEFAULT_RETRY, 0.5)).toBe(1_000);
    expect(backoffDelay(100, DEFAULT_RETRY, 0)).toBe(0);
    // Retry-After: 5 s is waited in full; 10 minutes is capped at 30 s.
    expect(backoffDelay(1, DEFAULT_RETRY, 0, 5_000)).toBe(5_000);
    expect(backoffDelay(1, DEFAULT_RETRY, high, 10 * 60_000)).toBe(30_000);
  });
});

describe('nextAttemptAt', () => {
  /** A gate as the token service builds one after `failed` failures, the last attempt at `lastAttemptAt`. */
  const gate = fc
    .record({
      timing: retryTiming,
      failed: failures,
      draw: random,
      retryAfter: retryAfterMs,
      lastAttemptAt: fc.integer({ min: 0, max: 1e9 }),
      roundTrip: fc.integer({ min: 0, max: 60_000 }),
      demand: fc.boolean(),
      retryable: fc.boolean(),
    })
    .map(({ timing, failed, draw, retryAfter, lastAttemptAt, roundTrip, demand, retryable }) => {
      const failedAt = lastAttemptAt + roundTrip;
      const built: AttemptHistory & { demand: boolean } = {
        backoffUntil: failedAt + backoffDelay(failed, timing, draw, retryAfter),
        lastAttemptAt,
        retryAfterUntil: retryAfter === undefined ? Number.NEGATIVE_INFINITY : failedAt + retryAfterFloor(timing, retryAfter),
        demand,
        retryable,
      };
      return { timing, gate: built };
    });

  it('never later than the backoff, never sooner than Retry-After; without demand, or after an error retrying cannot fix, exactly the backoff', () => {
    fc.assert(
      fc.property(gate, ({ timing, gate: g }) => {
        const at = nextAttemptAt(g, g.demand, timing);
        expect(at).toBeLessThanOrEqual(g.backoffUntil);
        expect(at).toBeGreaterThanOrEqual(g.retryAfterUntil);
        if (!g.demand || !g.retryable) expect(at).toBe(g.backoffUntil);
      }),
    );
  });

  it('callers waiting with no token: a probe one demand interval after the last attempt, unless the backoff or Retry-After says otherwise', () => {
    fc.assert(
      fc.property(gate, ({ timing, gate: g }) => {
        const at = nextAttemptAt({ ...g, retryable: true }, true, timing);
        const probeAt = g.lastAttemptAt + timing.demandIntervalMs;
        expect(at).toBeLessThanOrEqual(Math.max(probeAt, g.retryAfterUntil));
        expect(at).toBeGreaterThanOrEqual(Math.min(probeAt, g.backoffUntil));
      }),
    );
  });

  it('examples: 25 s of backoff; a caller waiting probes after 1 s, after 8 s with a Retry-After of 8 s, or not before the backoff after a 401', () => {
    const after = { backoffUntil: 25_000, lastAttemptAt: 0, retryAfterUntil: Number.NEGATIVE_INFINITY, retryable: true };
    expect(nextAttemptAt(after, false, DEFAULT_RETRY)).toBe(25_000);
    expect(nextAttemptAt(after, true, DEFAULT_RETRY)).toBe(1_000);
    expect(nextAttemptAt({ ...after, retryAfterUntil: 8_000 }, true, DEFAULT_RETRY)).toBe(8_000);
    expect(nextAttemptAt({ ...after, retryable: false }, true, DEFAULT_RETRY)).toBe(25_000);
  });
});
