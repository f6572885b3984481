import { describe, expect, it } from 'vitest';
import type { DinteroAuthModuleOptions } from '../lib/index.js';
import type { RefreshTiming, RetryTiming } from '../lib/options/dintero-auth.config.js';
import { normalizeOptions } from '../lib/options/normalize-options.js';
import { backoffDelay, nextAttemptAt, planTimeline, ROUND_TRIP_HEADROOM } from '../lib/token/refresh-policy.js';

const SECOND = 1_000;
const LIFETIMES: Array<[string, number]> = [
  ['1 s', SECOND],
  ['2 s', 2 * SECOND],
  ['10 s', 10 * SECOND],
  ['60 s', 60 * SECOND],
  ['400 s', 400 * SECOND],
  ['401 s', 401 * SECOND],
  ['1 h', 3_600 * SECOND],
  ['24 h', 86_400 * SECOND],
  ['7 days', 7 * 86_400 * SECOND],
];
const RANDOMS = [0, 0.5, 0.999999];
const CASES = LIFETIMES.flatMap(([label, lifetimeMs]) => RANDOMS.map((random) => [label, lifetimeMs, random] as const));

const DEFAULT_TIMING: RefreshTiming = { windowStart: 0.75, windowEnd: 0.85, safetyMarginFraction: 0.1, safetyMarginMaxMs: 60_000 };
const SENT_AT = 1_234_567.5;
const EPSILON = 1e-9;

/** Timing as the module would use it, so only validated timings are tested. */
function validated(refresh: Partial<RefreshTiming>): RefreshTiming {
  const options: DinteroAuthModuleOptions = { accountId: 'T12345678', clientId: 'id', clientSecret: 'secret', refresh };
  return normalizeOptions(options).refresh;
}

describe('planTimeline with the default timing', () => {
  it('the defaults are what normalizeOptions produces', () => {
    expect(validated({})).toEqual(DEFAULT_TIMING);
  });

  it.each(CASES)('lifetime %s, random %d: sentAt < refreshAt < usableUntil < expiresAt', (_label, lifetimeMs, random) => {
    const t = planTimeline(SENT_AT, lifetimeMs, DEFAULT_TIMING, random);
    expect(t.sentAt).toBe(SENT_AT);
    expect(t.expiresAt).toBe(SENT_AT + lifetimeMs);
    expect(t.sentAt).toBeLessThan(t.refreshAt);
    expect(t.refreshAt).toBeLessThan(t.usableUntil);
    expect(t.usableUntil).toBeLessThan(t.expiresAt);
  });

  it.each(CASES)('lifetime %s, random %d: refreshes within [0.75, 0.85] of the lifetime', (_label, lifetimeMs, random) => {
    const t = planTimeline(SENT_AT, lifetimeMs, DEFAULT_TIMING, random);
    const fraction = (t.refreshAt - SENT_AT) / lifetimeMs;
    expect(fraction).toBeGreaterThanOrEqual(0.75 - EPSILON);
    expect(fraction).toBeLessThanOrEqual(0.85 + EPSILON);
    expect(fraction).toBeCloseTo(0.75 + 0.1 * random, 6);
  });

  it.each(LIFETIMES)('lifetime %s: the margin is min(60 s, 10 %)', (_label, lifetimeMs) => {
    const t = planTimeline(SENT_AT, lifetimeMs, DEFAULT_TIMING, 0.5);
    expect(t.expiresAt - t.usableUntil).toBeCloseTo(Math.min(60_000, lifetimeMs * 0.1), 3);
  });

  it('concrete timelines: 1 h caps the margin at 60 s, 60 s uses 10 %', () => {
    expect(planTimeline(0, 3_600_000, DEFAULT_TIMING, 0)).toEqual({
      sentAt: 0,
      refreshAt: 2_700_000,
      usableUntil: 3_540_000,
      expiresAt: 3_600_000,
    });
    expect(planTimeline(100, 60_000, DEFAULT_TIMING, 0)).toEqual({
      sentAt: 100,
      refreshAt: 45_100,
      usableUntil: 54_100,
      expiresAt: 60_100,
    });
  });
});

describe('planTimeline with other valid timings', () => {
  const timings: Array<[string, Partial<RefreshTiming>]> = [
    ['an empty window at 0.5 with margin 0.4', { windowStart: 0.5, windowEnd: 0.5, safetyMarginFraction: 0.4 }],
    ['windowEnd 0.89 with margin 0.1', { windowEnd: 0.89 }],
    ['an early window with a 1 ms margin cap', { windowStart: 0.01, windowEnd: 0.02, safetyMarginFraction: 0.5, safetyMarginMaxMs: 1 }],
    ['a late window with a long margin cap', { windowStart: 0.9, windowEnd: 0.98, safetyMarginFraction: 0.01, safetyMarginMaxMs: 2_147_483_647 }],
  ];
  const cases = timings.flatMap(([name, refresh]) => CASES.map(([label, lifetimeMs, random]) => [name, label, lifetimeMs, random, refresh] as const));

  it.each(cases)('%s, lifetime %s, random %d: sentAt < refreshAt < usableUntil < expiresAt', (_name, _label, lifetimeMs, random, refresh) => {
    const timing = validated(refresh);
    const t = planTimeline(SENT_AT, lifetimeMs, timing, random);
    expect(t.sentAt).toBeLessThan(t.refreshAt);
    expect(t.refreshAt).toBeLessThan(t.usableUntil);
    expect(t.usableUntil).toBeLessThan(t.expiresAt);
    const fraction = (t.refreshAt - SENT_AT) / lifetimeMs;
    expect(fraction).toBeGreaterThanOrEqual(timing.windowStart - EPSILON);
    expect(fraction).toBeLessThanOrEqual(timing.windowEnd + EPSILON);
  });
});

describe('backoffDelay', () => {
  const retry: RetryTiming = { initialDelayMs: 500, maxDelayMs: 30_000, demandIntervalMs: 1_000 };
  const HIGH = 0.999999;

  it.each([
    [1, 500],
    [2, 1_000],
    [3, 2_000],
    [4, 4_000],
    [5, 8_000],
    [6, 16_000],
    [7, 30_000],
    [8, 30_000],
    [50, 30_000],
  ])('with random near 1, failure %d waits about %d ms', (failures, ceiling) => {
    const delay = backoffDelay(failures, retry, HIGH);
    expect(delay).toBeCloseTo(ceiling * HIGH, 6);
    expect(delay).toBeLessThanOrEqual(retry.maxDelayMs);
  });

  it('doubles per failure until the cap', () => {
    for (let failures = 1; failures <= 5; failures++) {
      expect(backoffDelay(failures + 1, retry, HIGH) / backoffDelay(failures, retry, HIGH)).toBeCloseTo(2, 9);
    }
  });

  it.each([1, 5, 100])('random 0 after %d failures and no Retry-After gives 0', (failures) => {
    expect(backoffDelay(failures, retry, 0)).toBe(0);
  });

  it('random 0.5 takes half the ceiling (full jitter)', () => {
    expect(backoffDelay(3, retry, 0.5)).toBe(1_000);
  });

  it('Retry-After is a floor', () => {
    expect(backoffDelay(1, retry, 0, 5_000)).toBe(5_000);
    expect(backoffDelay(1, retry, HIGH, 5_000)).toBe(5_000);
    expect(backoffDelay(1, retry, 0, 0)).toBe(0);
    expect(backoffDelay(6, retry, HIGH, 5_000)).toBeCloseTo(16_000 * HIGH, 6);
    for (const random of RANDOMS) expect(backoffDelay(2, retry, random, 1_234)).toBeGreaterThanOrEqual(1_234);
  });

  it('Retry-After is capped at maxDelayMs: 10 minutes with a 30 s cap waits 30 s', () => {
    expect(backoffDelay(1, retry, 0, 10 * 60_000)).toBe(30_000);
    expect(backoffDelay(1, retry, HIGH, 10 * 60_000)).toBe(30_000);
  });

  it.each([10_000, 1_000_000, Number.MAX_SAFE_INTEGER])('%d failures stay finite and capped', (failures) => {
    const delay = backoffDelay(failures, retry, HIGH);
    expect(Number.isFinite(delay)).toBe(true);
    expect(delay).toBeCloseTo(30_000 * HIGH, 6);
    const huge = { initialDelayMs: 2_147_483_647, maxDelayMs: 2_147_483_647, demandIntervalMs: 1_000 };
    expect(backoffDelay(failures, huge, HIGH)).toBeCloseTo(2_147_483_647 * HIGH, 0);
  });
});

describe('planTimeline with slow round trips', () => {
  it('a 2 s token over a 400 ms endpoint refreshes early enough for its successor to arrive in time', () => {
    const t = planTimeline(0, 2_000, DEFAULT_TIMING, 0.5, 400);
    expect(t.usableUntil).toBe(1_800);
    // Room for the request and a retry of it before usable-until.
    expect(t.refreshAt).toBe(1_000);
    expect(t.refreshAt + 2 * 400).toBeLessThanOrEqual(t.usableUntil);
  });

  it('a moderately slow endpoint moves the refresh by the headroom it needs, no more', () => {
    const t = planTimeline(0, 60_000, DEFAULT_TIMING, 0.5, 5_000);
    expect(t.refreshAt).toBe(t.usableUntil - ROUND_TRIP_HEADROOM * 5_000);
  });

  it('an hour-long token is refreshed in its window as before: a round trip costs nothing', () => {
    expect(planTimeline(0, 3_600_000, DEFAULT_TIMING, 0.5, 2_000)).toEqual(planTimeline(0, 3_600_000, DEFAULT_TIMING, 0.5));
  });

  it('an endpoint slower than the lifetime cannot make refresh-ahead a loop', () => {
    const t = planTimeline(0, 1_000, DEFAULT_TIMING, 0.5, 60_000);
    expect(t.refreshAt).toBe(375);
    expect(t.refreshAt).toBeLessThan(t.usableUntil);
  });
});

describe('nextAttemptAt', () => {
  const retry: RetryTiming = { initialDelayMs: 500, maxDelayMs: 30_000, demandIntervalMs: 1_000 };
  const after = { backoffUntil: 25_000, lastAttemptAt: 0, retryAfterUntil: Number.NEGATIVE_INFINITY, retryable: true };

  it('nobody waiting: the backoff', () => {
    expect(nextAttemptAt({ ...after, demand: false }, retry)).toBe(25_000);
  });

  it('callers waiting: one demand interval after the last attempt, or the backoff if sooner', () => {
    expect(nextAttemptAt({ ...after, demand: true }, retry)).toBe(1_000);
    expect(nextAttemptAt({ ...after, demand: true, backoffUntil: 300 }, retry)).toBe(300);
  });

  it('callers waiting: Retry-After stays a floor', () => {
    expect(nextAttemptAt({ ...after, demand: true, retryAfterUntil: 8_000 }, retry)).toBe(8_000);
  });

  it('callers waiting after an error that retrying cannot fix: the backoff', () => {
    expect(nextAttemptAt({ ...after, demand: true, retryable: false }, retry)).toBe(25_000);
  });
});
