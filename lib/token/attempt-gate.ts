import type { DinteroAuthError } from '../errors/dintero-auth.error.js';
import type { RetryTiming } from '../options/dintero-auth.config.js';
import { backoffDelay, nextAttemptAt, retryAfterFloor } from './refresh-policy.js';

/** How many recent token round trips the refresh point makes room for. */
const ROUND_TRIPS_KEPT = 8;

/**
 * What the token service remembers of its attempts, to tell when the next may start: the
 * failures since the last success, the backoff and `Retry-After` they imposed, when the last
 * attempt started, and the latest round trips. The rules are the pure ones of `refresh-policy`;
 * this keeps their inputs, updated in place.
 */
export class AttemptGate {
  private failures = 0;
  private error: DinteroAuthError | undefined;
  /** What `nextAttemptAt` reads (see `AttemptHistory`), kept current rather than built on every call. */
  private readonly history = {
    backoffUntil: Number.NEGATIVE_INFINITY,
    retryAfterUntil: Number.NEGATIVE_INFINITY,
    lastAttemptAt: Number.NEGATIVE_INFINITY,
    retryable: true,
  };
  /** Round trips of the latest token requests, newest last. */
  private readonly roundTrips: number[] = [];

  constructor(private readonly timing: RetryTiming) {}

  /** Failed attempts since the last success. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** The last failure since the last success. */
  get lastError(): DinteroAuthError | undefined {
    return this.error;
  }

  /** The slowest of the latest round trips: a refresh leaves room for it. */
  get slowestRoundTripMs(): number {
    return Math.max(...this.roundTrips);
  }

  /** When the next attempt may start; `demand`: callers are waiting with no usable token. */
  nextAttemptAt(demand: boolean): number {
    return nextAttemptAt(this.history, demand, this.timing);
  }

  started(now: number): void {
    this.history.lastAttemptAt = now;
  }

  /** An answer arrived `ms` after its request was sent. */
  answered(ms: number): void {
    this.roundTrips.push(ms);
    if (this.roundTrips.length > ROUND_TRIPS_KEPT) this.roundTrips.shift();
  }

  /** A token was obtained: failures, backoff and `Retry-After` are over. */
  succeeded(): void {
    this.failures = 0;
    this.error = undefined;
    this.history.backoffUntil = Number.NEGATIVE_INFINITY;
    this.history.retryAfterUntil = Number.NEGATIVE_INFINITY;
    this.history.retryable = true;
  }

  /**
   * An attempt failed at `now`: the next waits a backoff placed by `random`, and at least the
   * server's `retryAfterMs`. `probe`: callers waiting may still try once per demand interval (a
   * refusal that new credentials may end). Returns the failures so far, this one included.
   */
  failed(error: DinteroAuthError, retryAfterMs: number | undefined, now: number, random: number, probe = error.retryable): number {
    this.failures += 1;
    this.error = error;
    this.history.retryable = probe;
    this.history.backoffUntil = now + backoffDelay(this.failures, this.timing, random, retryAfterMs);
    this.history.retryAfterUntil = retryAfterMs === undefined ? Number.NEGATIVE_INFINITY : now + retryAfterFloor(this.timing, retryAfterMs);
    return this.failures;
  }
}
