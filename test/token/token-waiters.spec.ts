/** Callers waiting for a token: each settled exactly once, by a token, an error or its deadline. */
import { describe, expect, it } from 'vitest';
import { DinteroAuthError, DinteroErrorCode } from '../../lib/index.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { DinteroAccessToken } from '../../lib/token/access-token.js';
import { planTimeline } from '../../lib/token/refresh-policy.js';
import { TokenWaiters } from '../../lib/token/token-waiters.js';

const TIMING = { windowStart: 0.75, windowEnd: 0.85, safetyMarginFraction: 0.1, safetyMarginMaxMs: 60_000 };

class Failure extends DinteroAuthError {
  readonly code = DinteroErrorCode.TOKEN_RESPONSE;
  readonly retryable = true;
}

const token = () =>
  new DinteroAccessToken({ accessToken: 'eyJ.waiter.token', expiresInSeconds: 60 }, planTimeline(0, 60_000, TIMING, 0), 0);

/** The promise's outcome if it settled by now, otherwise 'pending'. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return Promise.race([promise.catch((caught: unknown) => caught), new Promise((resolve) => setImmediate(resolve, 'pending'))]);
}

describe('TokenWaiters', () => {
  it('a token settles every waiter, and their deadlines go with them', async () => {
    const clock = new ManualClock();
    const waiters = new TokenWaiters(clock, 1_000);
    const granted = token();
    const waiting = [waiters.add(() => new Failure('timed out')), waiters.add(() => new Failure('timed out'))];
    expect(waiters.size).toBe(2);
    expect(clock.pendingTimers).toBe(2);
    waiters.settleAll(granted);
    expect(await Promise.all(waiting)).toEqual([granted, granted]);
    expect(waiters.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a waiter fails at its deadline, not before, with the error its deadline finds', async () => {
    const clock = new ManualClock();
    const waiters = new TokenWaiters(clock, 1_000);
    let reason = 'nothing tried yet';
    const waiting = waiters.add(() => new Failure(reason));
    clock.advance(999);
    expect(await outcome(waiting)).toBe('pending');
    reason = 'the endpoint failed';
    clock.advance(1);
    expect(await outcome(waiting)).toMatchObject({ message: 'the endpoint failed' });
    expect(waiters.size).toBe(0);
    waiters.settleAll(token());
  });

  it('only waiters whose deadline comes before a moment fail then, each with an error of its own', async () => {
    const clock = new ManualClock();
    const waiters = new TokenWaiters(clock, 1_000);
    const early = waiters.add(() => new Failure('timed out'));
    clock.advance(500);
    const late = waiters.add(() => new Failure('timed out'));
    const made: Failure[] = [];
    const backoff = () => {
      const error = new Failure('backoff');
      made.push(error);
      return error;
    };

    waiters.failThoseDueBefore(clock.now() + 500, backoff);
    expect(await outcome(early)).toBe('pending');
    waiters.failThoseDueBefore(clock.now() + 501, backoff);
    expect(await outcome(early)).toBe(made[0]);
    expect(await outcome(late)).toBe('pending');
    waiters.failThoseDueBefore(Number.POSITIVE_INFINITY, backoff);
    expect(await outcome(late)).toBe(made[1]);
    expect(made).toHaveLength(2);
    expect(clock.pendingTimers).toBe(0);
  });

  it('one error settles every waiter at once; a settled waiter is not settled again', async () => {
    const clock = new ManualClock();
    const waiters = new TokenWaiters(clock, 1_000);
    const waiting = [waiters.add(() => new Failure('timed out')), waiters.add(() => new Failure('timed out'))];
    const shutdown = new Failure('shutdown');
    waiters.settleAll(shutdown);
    waiters.settleAll(token());
    clock.advance(1_000);
    expect(await Promise.all(waiting.map(outcome))).toEqual([shutdown, shutdown]);
  });
});
