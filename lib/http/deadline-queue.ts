import type { Clock, TimerHandle } from '../token/clock.js';

/** What the queue needs of a call's deadline. */
export interface QueuedDeadline {
  /** When it falls due, on the clock's `now()`. */
  readonly dueAt: number;
  /** Whether the call has ended (answered, failed or expired). */
  readonly ended: boolean;
  /** Fails the call with the timeout error. */
  expire(): void;
}

// Ended deadlines at the front are dropped as soon as they end; those behind a longer call are
// swept out once they are most of a list this long.
const SWEEP_AFTER = 1_024;

/**
 * The deadlines of one instance's calls, on one clock timer. Every call of an instance gets a
 * deadline as long as the last one's, so they fall due in the order they were set, and the
 * timer only ever waits for the oldest call still running. A timer per call, set and then
 * cleared at the answer, cost more than all the rest of the deadline's work.
 */
export class DeadlineQueue {
  private deadlines: QueuedDeadline[] = [];
  // Index of the oldest deadline still listed; those before it have ended or expired.
  private first = 0;
  // Deadlines added and not ended.
  private live = 0;
  private timer: TimerHandle | undefined;
  private firing = false;

  constructor(
    private readonly clock: Clock,
    readonly deadlineMs: number,
  ) {}

  /** When a deadline set now falls due. */
  dueAtFromNow(): number {
    return this.clock.now() + this.deadlineMs;
  }

  add(deadline: QueuedDeadline): void {
    this.deadlines.push(deadline);
    this.live += 1;
    // With no timer, this is the only deadline listed (or the timer is about to be set for the front).
    if (this.timer === undefined && !this.firing) this.timer = this.clock.setTimer(this.fire, this.deadlineMs);
  }

  /** A listed deadline ended (once each): with none left running, the timer goes too. */
  ended(): void {
    this.live -= 1;
    this.drop();
  }

  /** Number of deadlines listed, ended ones behind a running call included. */
  get size(): number {
    return this.deadlines.length - this.first;
  }

  private drop(): void {
    const deadlines = this.deadlines;
    while (this.first < deadlines.length && deadlines[this.first]!.ended) this.first += 1;
    const listed = deadlines.length - this.first;
    if (listed === 0) {
      this.deadlines = [];
      this.first = 0;
      if (this.timer !== undefined) this.clock.clearTimer(this.timer);
      this.timer = undefined;
    } else if (listed > SWEEP_AFTER && listed > 2 * this.live) {
      // Order stays: what is left still falls due front first.
      this.deadlines = deadlines.slice(this.first).filter((deadline) => !deadline.ended);
      this.first = 0;
    }
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.clock.now();
    const due: QueuedDeadline[] = [];
    while (this.first < this.deadlines.length) {
      const deadline = this.deadlines[this.first]!;
      if (!deadline.ended && deadline.dueAt > now) break;
      if (!deadline.ended) due.push(deadline);
      this.first += 1;
    }
    // Expired calls end later (their adapters reject, then they end here): the list is settled
    // first. A call started meanwhile waits for the timer set below, for the front.
    this.firing = true;
    try {
      for (const deadline of due) deadline.expire();
    } finally {
      this.firing = false;
    }
    this.drop();
    const next = this.deadlines[this.first];
    if (next && this.timer === undefined) this.timer = this.clock.setTimer(this.fire, next.dueAt - now);
  };
}
