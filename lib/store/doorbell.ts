import type { Clock } from '../token/clock.js';

/**
 * A wait that ends at a deadline, on abort, or as soon as somebody rings: a replica waiting for
 * another's token sleeps until the store says it landed, with polling only as the fallback.
 */
export class Doorbell {
  private wake: (() => void) | undefined;
  private rung = false;

  constructor(private readonly clock: Clock) {}

  /** Ends the current wait, or the next one at once if nobody waits now. */
  ring(): void {
    this.rung = true;
    this.wake?.();
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.rung || signal.aborted) {
      this.rung = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.clock.clearTimer(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        this.rung = false;
        resolve();
      };
      // Kept alive: a token request awaits this wait.
      const timer = this.clock.setTimer(done, ms, true);
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
