/** One named timer of the token service. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/testing/manual-clock.js';
import { Alarm } from '../../lib/token/alarm.js';

function alarm() {
  const clock = new ManualClock();
  const rang: number[] = [];
  return { clock, rang, alarm: new Alarm(clock, () => rang.push(clock.now())) };
}

describe('Alarm', () => {
  it('rings once at the time set, not before; set again, it moves', () => {
    const { clock, rang, alarm: refresh } = alarm();
    const start = clock.now();
    refresh.set(start + 1_000);
    refresh.set(start + 2_000);
    clock.advance(1_999);
    expect(rang).toEqual([]);
    clock.advance(10_000);
    expect(rang).toEqual([start + 2_000]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('set no later than a time, it keeps a sooner setting and takes a sooner one', () => {
    const { clock, rang, alarm: retry } = alarm();
    const start = clock.now();
    retry.setNoLaterThan(start + 1_000);
    retry.setNoLaterThan(start + 5_000);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1_000);
    expect(rang).toEqual([start + 1_000]);
    // Rung, it is no longer set: a later time sets it again, and a sooner one moves it.
    retry.setNoLaterThan(start + 5_000);
    retry.setNoLaterThan(start + 3_000);
    clock.advance(5_000);
    expect(rang).toEqual([start + 1_000, start + 3_000]);
  });

  it('cleared, it does not ring, and leaves no timer', () => {
    const { clock, rang, alarm: expiry } = alarm();
    expiry.set(clock.now() + 1_000);
    expiry.clear();
    expiry.clear();
    expect(clock.pendingTimers).toBe(0);
    expiry.setNoLaterThan(clock.now() + 2_000);
    clock.advance(5_000);
    expect(rang).toHaveLength(1);
  });
});
