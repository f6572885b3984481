import type { RefreshTiming } from '../../lib/options/dintero-auth.config.js';

/**
 * Refresh timing for load tests on the real clock: refresh at 50-60 % of the lifetime and stop
 * serving at 90 %, so a token has 30-40 % of its life to be replaced. With 3 s tokens that is
 * over 900 ms, more than a loaded machine's event loop falls behind, where the default timing
 * would leave 50 ms.
 */
export const LOAD_REFRESH: Partial<RefreshTiming> = { windowStart: 0.5, windowEnd: 0.6, safetyMarginFraction: 0.1 };

/**
 * How many token requests `elapsedMs` of load may cost when the callers share one token, with
 * {@link LOAD_REFRESH}: a token lasts at least half its lifetime before its refresh and at
 * most 90 % (none may expire), so one request per period is between these. Derived from the
 * time that actually passed, so a slow machine moves both bounds together.
 */
export function sharedRequestBounds(elapsedMs: number, lifetimeMs: number): { least: number; most: number } {
  return { least: Math.floor(elapsedMs / (0.9 * lifetimeMs)), most: Math.ceil(elapsedMs / (0.5 * lifetimeMs)) + 1 };
}

/** Runs `call` in a loop, 20 ms apart, from each of `callers` until `durationMs` has passed; resolves with the time taken. */
export async function loadFor(durationMs: number, callers: Array<() => Promise<unknown>>): Promise<number> {
  const started = Date.now();
  const end = started + durationMs;
  await Promise.all(
    callers.map(async (call) => {
      while (Date.now() < end) {
        await call();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }),
  );
  return Date.now() - started;
}
