import type { Clock, TimerHandle } from './clock.js';

/**
 * One timer of the token service, named for what it wakes: set again, it moves; cleared or
 * rung, it is gone. Times are the clock's monotonic milliseconds.
 */
export class Alarm {
  private handle: TimerHandle | undefined;
  private dueAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly wake: () => void,
  ) {}

  /** Rings at `dueAt`, in place of any earlier setting. */
  set(dueAt: number): void {
    this.clear();
    this.dueAt = dueAt;
    this.handle = this.clock.setTimer(() => {
      this.handle = undefined;
      this.wake();
    }, dueAt - this.clock.now());
  }

  /** Rings at `dueAt`, unless it is already set to ring sooner. */
  setNoLaterThan(dueAt: number): void {
    if (this.handle && this.dueAt <= dueAt) return;
    this.set(dueAt);
  }

  clear(): void {
    if (this.handle) this.clock.clearTimer(this.handle);
    this.handle = undefined;
  }
}
