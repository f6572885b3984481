import { describe, expect, it } from 'vitest';
import { DeadlineQueue, type QueuedDeadline } from '../../lib/http/deadline-queue.js';
import { ManualClock } from '../../lib/testing/manual-clock.js';

/** A call's deadline as CallDeadline keeps it: listed when made, ended once. */
class Deadline implements QueuedDeadline {
  readonly dueAt: number;
  ended = false;
  expiredAt: number | undefined;

  constructor(
    private readonly queue: DeadlineQueue,
    private readonly clock: ManualClock,
    private readonly onExpire?: () => void,
  ) {
    this.dueAt = queue.dueAtFromNow();
    queue.add(this);
  }

  expire(): void {
    this.expiredAt = this.clock.now() - START;
    this.onExpire?.();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue.ended();
  }
}

// Expiry times are read from here.
const START = new ManualClock().now();

function setUp(deadlineMs = 1_000) {
  const clock = new ManualClock();
  const queue = new DeadlineQueue(clock, deadlineMs);
  return { clock, queue, start: (onExpire?: () => void) => new Deadline(queue, clock, onExpire) };
}

describe('DeadlineQueue', () => {
  it('one timer for every running call; none once they have all ended', () => {
    const { clock, queue, start } = setUp();
    const calls = Array.from({ length: 50 }, () => start());
    expect(clock.pendingTimers).toBe(1);
    for (const call of calls.slice(0, 49)) call.end();
    expect(clock.pendingTimers).toBe(1);
    calls[49]!.end();
    expect(clock.pendingTimers).toBe(0);
    expect(queue.size).toBe(0);
  });

  it('each call expires at its own deadline, not before, whatever ended around it', () => {
    const { clock, start } = setUp();
    const first = start();
    clock.advance(300);
    const second = start();
    clock.advance(300);
    const third = start();
    first.end(); // the front ends: its timer, when it fires, finds the second not yet due
    clock.advance(699);
    expect(second.expiredAt).toBeUndefined();
    clock.advance(1);
    expect(second.expiredAt).toBe(1_300);
    expect(third.expiredAt).toBeUndefined();
    clock.advance(300);
    expect(third.expiredAt).toBe(1_600);
    expect(first.expiredAt).toBeUndefined();
    second.end();
    third.end();
    expect(clock.pendingTimers).toBe(0);
  });

  it('calls made at the same moment expire together; an expired call is not expired twice', () => {
    const { clock, start } = setUp();
    const calls = [start(), start(), start()];
    clock.advance(1_000);
    expect(calls.map((call) => call.expiredAt)).toEqual([1_000, 1_000, 1_000]);
    clock.advance(5_000);
    expect(calls.map((call) => call.expiredAt)).toEqual([1_000, 1_000, 1_000]);
    expect(clock.pendingTimers).toBe(0);
    for (const call of calls) call.end();
    expect(clock.pendingTimers).toBe(0);
  });

  it('a call started while others expire gets its own full deadline', () => {
    const { clock, queue, start } = setUp();
    let late: Deadline | undefined;
    const early = start(() => (late = start()));
    start(); // due at the same moment, expires in the same turn
    clock.advance(500);
    const between = start(); // due before the late one
    clock.advance(500);
    expect(early.expiredAt).toBe(1_000);
    expect(late!.expiredAt).toBeUndefined();
    clock.advance(500);
    expect(between.expiredAt).toBe(1_500);
    clock.advance(499);
    expect(late!.expiredAt).toBeUndefined();
    clock.advance(1);
    expect(late!.expiredAt).toBe(2_000);
    expect(queue.size).toBe(0);
  });

  it('ended calls behind one long call are let go: the list stays near the number running', () => {
    const { queue, start } = setUp(30_000);
    const long = start();
    for (let call = 0; call < 10_000; call += 1) start().end();
    expect(queue.size).toBeLessThanOrEqual(1_025);
    long.end();
    expect(queue.size).toBe(0);
  });
});
