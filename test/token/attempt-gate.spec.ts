/** The attempt gate: what the token service remembers of its attempts, fed to the pure policy. */
import { describe, expect, it } from 'vitest';
import { DinteroAuthError, DinteroErrorCode } from '../../lib/index.js';
import { AttemptGate } from '../../lib/token/attempt-gate.js';

const TIMING = { initialDelayMs: 1_000, maxDelayMs: 8_000, demandIntervalMs: 500 };

/** A failure that may pass or not; the gate reads only `retryable` (and, apart, a Retry-After). */
class Failure extends DinteroAuthError {
  readonly code = DinteroErrorCode.TOKEN_RESPONSE;
  constructor(readonly retryable: boolean) {
    super(retryable ? 'a failure that may pass' : 'a failure that will not pass');
  }
}

describe('AttemptGate', () => {
  it('before any failure, nothing holds an attempt back', () => {
    const gate = new AttemptGate(TIMING);
    expect(gate.consecutiveFailures).toBe(0);
    expect(gate.lastError).toBeUndefined();
    expect(gate.nextAttemptAt(false)).toBe(Number.NEGATIVE_INFINITY);
    expect(gate.nextAttemptAt(true)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('counts failures and backs off from each, by the jitter drawn, doubling to the cap', () => {
    const gate = new AttemptGate(TIMING);
    const error = new Failure(true);
    expect(gate.failed(error, undefined, 10_000, 0.5)).toBe(1);
    expect(gate.nextAttemptAt(false)).toBe(10_500);
    expect(gate.failed(error, undefined, 20_000, 0.5)).toBe(2);
    expect(gate.nextAttemptAt(false)).toBe(21_000);
    for (let failed = 3; failed <= 6; failed += 1) gate.failed(error, undefined, 30_000, 0.5);
    expect(gate.nextAttemptAt(false)).toBe(34_000);
    expect(gate.consecutiveFailures).toBe(6);
    expect(gate.lastError).toBe(error);
  });

  it('callers waiting with no token are probed for a demand interval after the last attempt, never before Retry-After', () => {
    const gate = new AttemptGate({ ...TIMING, initialDelayMs: 20_000, maxDelayMs: 20_000 });
    gate.started(10_000);
    gate.failed(new Failure(true), undefined, 10_100, 0.5);
    expect(gate.nextAttemptAt(false)).toBe(20_100);
    expect(gate.nextAttemptAt(true)).toBe(10_500);

    gate.started(10_500);
    gate.failed(new Failure(true), 3_000, 10_600, 0.5);
    expect(gate.nextAttemptAt(true)).toBe(13_600);
    expect(gate.nextAttemptAt(false)).toBe(20_600);
  });

  it('a failure that retrying cannot fix keeps the backoff, callers waiting or not', () => {
    const gate = new AttemptGate(TIMING);
    gate.started(10_000);
    gate.failed(new Failure(false), undefined, 10_000, 0.99);
    expect(gate.nextAttemptAt(true)).toBe(10_990);
    expect(gate.nextAttemptAt(false)).toBe(10_990);
  });

  it('a success ends failures, backoff and Retry-After, and the next failure starts over', () => {
    const gate = new AttemptGate(TIMING);
    gate.started(10_000);
    for (let failed = 1; failed <= 3; failed += 1) gate.failed(new Failure(false), 60_000, 10_000, 0.5);
    gate.succeeded();
    expect(gate.consecutiveFailures).toBe(0);
    expect(gate.lastError).toBeUndefined();
    expect(gate.nextAttemptAt(true)).toBe(Number.NEGATIVE_INFINITY);
    expect(gate.nextAttemptAt(false)).toBe(Number.NEGATIVE_INFINITY);
    expect(gate.failed(new Failure(true), undefined, 50_000, 0.5)).toBe(1);
    expect(gate.nextAttemptAt(false)).toBe(50_500);
    expect(gate.nextAttemptAt(true)).toBe(10_500);
  });

  it('the slowest round trip is the slowest of the last 8', () => {
    const gate = new AttemptGate(TIMING);
    gate.answered(300);
    gate.answered(10_000);
    for (let fast = 1; fast <= 6; fast += 1) gate.answered(fast);
    expect(gate.slowestRoundTripMs).toBe(10_000);
    gate.answered(7);
    expect(gate.slowestRoundTripMs).toBe(10_000);
    gate.answered(8);
    expect(gate.slowestRoundTripMs).toBe(8);
  });
});
