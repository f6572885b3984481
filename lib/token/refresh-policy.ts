/**
 * Pure timing policy: when a token refreshes, when it stops being handed out, how long to wait
 * after a failure. No I/O and no clock: every input is a number, so every rule is testable.
 */
import type { RefreshTiming, RetryTiming } from '../options/dintero-auth.config.js';

/** Longest `expires_in` accepted; anything longer is treated as a broken answer. */
export const MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

/** The moments of one token's life, in monotonic milliseconds. */
export interface TokenTimeline {
  /** When the token request was sent: a lifetime counts from there, never from arrival. */
  readonly sentAt: number;
  /** When to fetch its successor in the background. */
  readonly refreshAt: number;
  /** When it stops being handed out, a safety margin before expiry. */
  readonly usableUntil: number;
  /** When Dintero stops accepting it. */
  readonly expiresAt: number;
}

/**
 * Plans a token's life. `random` in [0, 1) places the refresh inside the window, so replicas
 * that fetched together do not refresh together. Holds refresh < usableUntil < expiresAt
 * whenever the timing passed validation.
 */
export function planTimeline(sentAt: number, lifetimeMs: number, timing: RefreshTiming, random: number): TokenTimeline {
  const fraction = timing.windowStart + (timing.windowEnd - timing.windowStart) * random;
  const margin = Math.min(timing.safetyMarginMaxMs, lifetimeMs * timing.safetyMarginFraction);
  return {
    sentAt,
    refreshAt: sentAt + lifetimeMs * fraction,
    usableUntil: sentAt + lifetimeMs - margin,
    expiresAt: sentAt + lifetimeMs,
  };
}

/**
 * Delay before attempt `failures + 1`, after `failures` consecutive failures (>= 1):
 * exponential with full jitter, capped; a server's `Retry-After` is a floor, itself capped.
 */
export function backoffDelay(failures: number, timing: RetryTiming, random: number, retryAfterMs?: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(timing.maxDelayMs, timing.initialDelayMs * 2 ** exponent);
  const jittered = ceiling * random;
  const floor = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, timing.maxDelayMs);
  return Math.max(jittered, floor);
}
