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

/** How many of the slowest recent round trips a refresh leaves between its start and usable-until. */
export const ROUND_TRIP_HEADROOM = 2;

/**
 * Plans a token's life. `random` in [0, 1) places the refresh inside the window, so replicas
 * that fetched together do not refresh together. `slowestRoundTripMs` (the slowest recent token
 * request) moves the refresh earlier when the window would leave too little room for the
 * successor to arrive before usable-until, but never before half the window start: a slow
 * endpoint must not turn refresh-ahead into a refresh loop. Holds refresh < usableUntil <
 * expiresAt whenever the timing passed validation.
 */
export function planTimeline(
  sentAt: number,
  lifetimeMs: number,
  timing: RefreshTiming,
  random: number,
  slowestRoundTripMs = 0,
): TokenTimeline {
  const fraction = timing.windowStart + (timing.windowEnd - timing.windowStart) * random;
  const margin = Math.min(timing.safetyMarginMaxMs, lifetimeMs * timing.safetyMarginFraction);
  const usableUntil = sentAt + lifetimeMs - margin;
  const latestRoomy = usableUntil - ROUND_TRIP_HEADROOM * Math.max(0, slowestRoundTripMs);
  const earliest = sentAt + (lifetimeMs * timing.windowStart) / 2;
  return {
    sentAt,
    refreshAt: Math.max(earliest, Math.min(sentAt + lifetimeMs * fraction, latestRoomy)),
    usableUntil,
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
  return Math.max(jittered, retryAfterFloor(timing, retryAfterMs));
}

/** A server's `Retry-After` as the least delay before the next attempt, capped like every delay. */
export function retryAfterFloor(timing: RetryTiming, retryAfterMs: number | undefined): number {
  return retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, timing.maxDelayMs);
}

/** What decides when the next token request may start, after at least one failure. */
export interface AttemptHistory {
  /** When the background backoff allows the next attempt. */
  readonly backoffUntil: number;
  /** When the last attempt started. */
  readonly lastAttemptAt: number;
  /** Until when the server asked us to wait (`Retry-After`), or -Infinity. */
  readonly retryAfterUntil: number;
  /** Whether the last failure may pass by retrying (a 400, 401 or 403 does not). */
  readonly retryable: boolean;
}

/**
 * When the next token request may start. Nobody waiting: the background backoff. Callers
 * waiting with no usable token (`demand`): the backoff too, but never more than
 * `demandIntervalMs` after the last attempt, so that an outage that ends is noticed within that
 * time rather than within the backoff cap. `Retry-After` stays a floor, and an error that
 * retrying cannot fix keeps the backoff.
 */
export function nextAttemptAt(history: AttemptHistory, demand: boolean, timing: RetryTiming): number {
  if (!demand || !history.retryable) return history.backoffUntil;
  const probeAt = Math.max(history.lastAttemptAt + timing.demandIntervalMs, history.retryAfterUntil);
  return Math.min(history.backoffUntil, probeAt);
}
