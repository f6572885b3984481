import { performance } from 'node:perf_hooks';

/** Opaque handle of a pending timer. */
export type TimerHandle = { readonly __timer: unique symbol };

/**
 * Time as the token service sees it. `now()` is monotonic so that wall-clock jumps (NTP, a
 * suspended VM, a changed time zone) neither expire nor stretch a token.
 */
export interface Clock {
  /** Monotonic milliseconds; only differences between two readings mean anything. */
  now(): number;
  /** Wall-clock milliseconds since the epoch, for the dates shown to people. */
  wallNow(): number;
  /** Runs `callback` after `delayMs` (any length); the timer never keeps the process alive. */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

// Node timers overflow above 2^31 - 1 ms and then fire at once; longer waits are chained.
const MAX_NODE_DELAY_MS = 2_147_483_647;

interface ChainedTimer {
  current: NodeJS.Timeout;
}

function arm(chain: ChainedTimer, callback: () => void, dueAt: number): void {
  const remaining = Math.max(0, dueAt - performance.now());
  const step = Math.min(remaining, MAX_NODE_DELAY_MS);
  chain.current = setTimeout(() => (step < remaining ? arm(chain, callback, dueAt) : callback()), step);
  chain.current.unref();
}

/** The real clock: `performance.now()`, `Date.now()` and unref'd Node timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(callback, delayMs) {
    const chain = {} as ChainedTimer;
    arm(chain, callback, performance.now() + Math.max(0, delayMs));
    return chain as unknown as TimerHandle;
  },
  clearTimer(handle) {
    clearTimeout((handle as unknown as ChainedTimer).current);
  },
};
