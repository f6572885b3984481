import { performance } from 'node:perf_hooks';

/** Opaque handle of a pending timer. */
export type TimerHandle = { readonly __timer: unique symbol };

/**
 * Time and chance as the module sees them. `now()` is monotonic so that wall-clock jumps (NTP, a
 * suspended VM, a changed time zone) neither expire nor stretch a token; `random()` is the jitter,
 * here so that a test can pin it without touching `Math.random` for everyone else.
 */
export interface Clock {
  /** Monotonic milliseconds; only differences between two readings mean anything. */
  now(): number;
  /** Wall-clock milliseconds since the epoch, for the dates shown to people. */
  wallNow(): number;
  /**
   * Runs `callback` once `now()` has advanced by at least `delayMs` (any length, never early).
   * The timer does not keep the process alive unless `keepAlive` is set: a caller awaiting a
   * promise that this timer settles must not see the process exit under it.
   */
  setTimer(callback: () => void, delayMs: number, keepAlive?: boolean): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

// Node timers overflow above 2^31 - 1 ms and then fire at once; longer waits are chained.
const MAX_NODE_DELAY_MS = 2_147_483_647;

interface ChainedTimer {
  current: NodeJS.Timeout;
}

function arm(chain: ChainedTimer, callback: () => void, dueAt: number, keepAlive: boolean): void {
  const remaining = dueAt - performance.now();
  // Node rounds to its millisecond loop clock and often fires a fraction early: wait out the rest.
  const step = Math.min(Math.max(1, Math.ceil(remaining)), MAX_NODE_DELAY_MS);
  chain.current = setTimeout(() => (performance.now() < dueAt ? arm(chain, callback, dueAt, keepAlive) : callback()), step);
  if (!keepAlive) chain.current.unref();
}

/** The real clock: `performance.now()`, `Date.now()`, Node timers and `Math.random()`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(callback, delayMs, keepAlive = false) {
    const chain = {} as ChainedTimer;
    arm(chain, callback, performance.now() + Math.max(0, delayMs), keepAlive);
    return chain as unknown as TimerHandle;
  },
  clearTimer(handle) {
    clearTimeout((handle as unknown as ChainedTimer).current);
  },
  random: () => Math.random(),
};
