import type { DinteroAuthError } from '../errors/dintero-auth.error.js';
import { DinteroAccessToken } from './access-token.js';
import type { Clock, TimerHandle } from './clock.js';

interface Waiter {
  readonly resolve: (token: DinteroAccessToken) => void;
  readonly reject: (error: DinteroAuthError) => void;
  readonly deadline: number;
  readonly timer: TimerHandle;
}

/**
 * Callers waiting for a token, each with a deadline: every one is settled exactly once, by a
 * token, an error, or its deadline passing.
 */
export class TokenWaiters {
  private readonly waiting = new Set<Waiter>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  get size(): number {
    return this.waiting.size;
  }

  /** Waits up to `timeoutMs` for a token; past that, fails with what `timedOut()` says then. */
  add(timedOut: () => DinteroAuthError): Promise<DinteroAccessToken> {
    return new Promise<DinteroAccessToken>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        deadline: this.clock.now() + this.timeoutMs,
        // Kept alive: someone awaits this promise, so the process must not exit before it settles.
        timer: this.clock.setTimer(() => this.settle(waiter, timedOut()), this.timeoutMs, true),
      };
      this.waiting.add(waiter);
    });
  }

  /** Settles every waiter with `outcome`. */
  settleAll(outcome: DinteroAccessToken | DinteroAuthError): void {
    for (const waiter of [...this.waiting]) this.settle(waiter, outcome);
  }

  /** Fails each waiter whose deadline comes before `at` with its own `error()`. */
  failThoseDueBefore(at: number, error: () => DinteroAuthError): void {
    for (const waiter of [...this.waiting]) if (waiter.deadline < at) this.settle(waiter, error());
  }

  private settle(waiter: Waiter, outcome: DinteroAccessToken | DinteroAuthError): void {
    if (!this.waiting.delete(waiter)) return;
    this.clock.clearTimer(waiter.timer);
    if (outcome instanceof DinteroAccessToken) waiter.resolve(outcome);
    else waiter.reject(outcome);
  }
}
