import { type Clock, systemClock, type TimerHandle } from '../token/clock.js';

interface PendingTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when a test says so, for `DINTERO_CLOCK`. Timers fire in due order
 * inside `advance()`; HTTP stays real, so an advance that triggers a token request is followed
 * by waiting for it. `random()` is the system clock's until {@link ManualClock.pinRandom} fixes it.
 */
export class ManualClock implements Clock {
  private monotonic = 1_000_000;
  private wall: number;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();
  private pinned: number | undefined;

  constructor(wallStart = Date.UTC(2026, 10, 28, 12, 0, 0)) {
    this.wall = wallStart;
  }

  now(): number {
    return this.monotonic;
  }

  wallNow(): number {
    return this.wall;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, dueAt: this.monotonic + Math.max(0, delayMs), callback });
    return id as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers.delete(handle as unknown as number);
  }

  random(): number {
    return this.pinned ?? systemClock.random();
  }

  /** Every later `random()` answers `value` (in [0, 1)); `undefined` unpins. */
  pinRandom(value: number | undefined): void {
    if (value !== undefined && !(value >= 0 && value < 1)) throw new RangeError('a pinned random value must be in [0, 1)');
    this.pinned = value;
  }

  /** Timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves both clocks forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.monotonic + ms;
    for (;;) {
      const next = [...this.timers.values()].filter((t) => t.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (!next) break;
      this.timers.delete(next.id);
      // Overdue timers (after freeze) fire at the current time: a monotonic clock never goes back.
      const at = Math.max(next.dueAt, this.monotonic);
      this.wall += at - this.monotonic;
      this.monotonic = at;
      next.callback();
    }
    this.wall += target - this.monotonic;
    this.monotonic = target;
  }

  /**
   * Moves both clocks without firing anything, as a frozen event loop (a suspended container,
   * a debugger, a long synchronous task) would: due timers fire at the next `advance()`.
   */
  freeze(ms: number): void {
    this.monotonic += ms;
    this.wall += ms;
  }

  /** Moves only the wall clock, as NTP or a changed system time would. */
  jumpWallClock(ms: number): void {
    this.wall += ms;
  }
}
