import { BehaviorSubject, Observable, filter } from 'rxjs';
import {
  DinteroAuthError,
  DinteroTokenResponseError,
  DinteroTokenUnavailableError,
  type DinteroTokenWaitContext,
} from '../errors/dintero-auth.errors.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import { DinteroAccessToken } from './access-token.js';
import type { Clock, TimerHandle } from './clock.js';
import type { DinteroTokenEvent } from './dintero-token.events.js';
import type { DinteroTokenStatus } from './dintero-token.status.js';
import { backoffDelay, nextAttemptAt, planTimeline, retryAfterFloor } from './refresh-policy.js';
import type { TokenEventBus } from './token-event-bus.js';
import type { SourcedToken, TokenSource } from './token-source.js';

/** How many recent token round trips the refresh point makes room for. */
const ROUND_TRIPS_KEPT = 8;

interface Waiter {
  readonly resolve: (token: DinteroAccessToken) => void;
  readonly reject: (error: DinteroAuthError) => void;
  readonly deadline: number;
  timer?: TimerHandle;
}

/**
 * Keeps one Dintero access token valid for the whole application.
 *
 * - One token request at a time, shared by every caller (single-flight).
 * - Refresh-ahead: a background timer fetches the successor inside a jittered window, so no
 *   caller waits at expiry; a failing refresh keeps the current token served until its
 *   usable-until time.
 * - Failures back off exponentially with full jitter and honour `Retry-After`. While callers
 *   wait with no usable token, a demand probe may run once per `retry.demandIntervalMs`, so an
 *   outage that ends is noticed at once. Callers wait a bounded time for a token that does not
 *   exist yet, and are told at once when the next attempt is later than they could wait.
 * - Shutdown follows Nest's order: background timers stop in `onModuleDestroy`, tokens are
 *   still served while the HTTP server drains, and everything ends in `onApplicationShutdown`.
 */
export class DinteroTokenService {
  /**
   * The current usable token, replayed to each subscriber, then every new one. Subscribing
   * starts a fetch if there is no token; transient failures never error it; it completes on
   * shutdown and never emits a token past its usable-until time.
   */
  readonly token$: Observable<DinteroAccessToken>;
  /** Lifecycle events: acquired, refreshed, refresh-failed, expired, invalidated. */
  readonly events$: Observable<DinteroTokenEvent>;

  private readonly current = new BehaviorSubject<DinteroAccessToken | undefined>(undefined);
  private readonly waiters = new Set<Waiter>();
  private subscribers = 0;
  private inFlight: AbortController | undefined;
  private failures = 0;
  private lastError: DinteroAuthError | undefined;
  /** When the background backoff allows the next attempt. */
  private backoffUntil = Number.NEGATIVE_INFINITY;
  /** Until when the server's `Retry-After` holds every attempt back. */
  private retryAfterUntil = Number.NEGATIVE_INFINITY;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  /** Round trips of the latest token requests, newest last. */
  private readonly roundTrips: number[] = [];
  private retryTimer: TimerHandle | undefined;
  private retryDueAt = Number.POSITIVE_INFINITY;
  private refreshTimer: TimerHandle | undefined;
  private expiryTimer: TimerHandle | undefined;
  private closed = false;
  /** After onModuleDestroy: no background work, but callers are still served. */
  private draining = false;
  /** The token last dropped by invalidate(): no source may hand it back. */
  private refused: string | undefined;

  /** @internal Made by `createDinteroClient`. */
  constructor(
    private readonly config: DinteroAuthConfig,
    private readonly source: TokenSource,
    private readonly clock: Clock,
    private readonly bus: TokenEventBus,
  ) {
    this.events$ = bus.events$;
    this.token$ = new Observable<DinteroAccessToken>((subscriber) => {
      this.subscribers += 1;
      const inner = this.current
        .pipe(filter((token): token is DinteroAccessToken => token !== undefined && this.isUsable(token)))
        .subscribe(subscriber);
      this.pump();
      return () => {
        this.subscribers -= 1;
        inner.unsubscribe();
      };
    });
  }

  /** A usable token: at once when one is held, otherwise after the (shared) fetch. */
  getToken(): Promise<DinteroAccessToken> {
    if (this.closed) return Promise.reject(new DinteroTokenUnavailableError('shutdown'));
    const token = this.peekToken();
    return token ? Promise.resolve(token) : this.wait();
  }

  /**
   * The usable token held right now, or undefined: never waits, and starts no request beyond a
   * refresh that is already due. For hot paths that can do without a promise.
   */
  peekToken(): DinteroAccessToken | undefined {
    const token = this.closed ? undefined : this.usableToken();
    // The refresh timer does this too; a late timer (a busy or suspended loop) must not matter.
    if (token && !this.inFlight && this.clock.now() >= token.timeline.refreshAt) this.pump();
    return token;
  }

  /** The bearer string of {@link getToken}. */
  async getAccessToken(): Promise<string> {
    return (await this.getToken()).accessToken;
  }

  /**
   * Fetches a new token now, ignoring the refresh schedule (not the backoff after failures:
   * repeated calls must not hammer a failing endpoint). Joins a request already in flight
   * rather than starting a second one.
   */
  refresh(): Promise<DinteroAccessToken> {
    return this.wait();
  }

  /**
   * Drops the current token, so that the next demand fetches another. Given a token (object or
   * bearer string), drops it only if it is still the current one: a caller holding an old token
   * cannot throw away a newer one. Returns whether a token was dropped.
   */
  invalidate(token?: DinteroAccessToken | string): boolean {
    const current = this.current.value;
    if (!current || (token !== undefined && !current.matches(token))) return false;
    this.refused = current.accessToken;
    this.drop(current);
    this.emit({ type: 'invalidated', fingerprint: current.fingerprint });
    this.pump();
    return true;
  }

  /**
   * A snapshot for health checks and status pages. It never starts a token request, so
   * probing it every few seconds costs nothing.
   */
  status(): DinteroTokenStatus {
    const token = this.closed ? undefined : this.usableToken();
    const nextAt = this.nextAttemptAt(token);
    const retryAt = nextAt > this.clock.now() ? this.clock.wallNow() + (nextAt - this.clock.now()) : undefined;
    return {
      token,
      refreshing: this.inFlight !== undefined,
      consecutiveFailures: this.failures,
      lastError: this.lastError,
      nextAttemptAt: retryAt === undefined ? undefined : new Date(retryAt),
    };
  }

  /**
   * Before the HTTP server stops (Nest's `onModuleDestroy`): requests still in flight must get
   * their tokens, so only the background work (refresh-ahead, retries nobody waits for) stops.
   * @internal
   */
  drain(): void {
    this.draining = true;
    this.clearTimer('refreshTimer');
    if (this.waiters.size === 0) this.clearTimer('retryTimer');
  }

  /** Waits for the next token obtained; every waiter is settled by a grant, an error or its deadline. */
  private wait(): Promise<DinteroAccessToken> {
    if (this.closed) return Promise.reject(new DinteroTokenUnavailableError('shutdown'));
    return new Promise<DinteroAccessToken>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, deadline: this.clock.now() + this.config.acquireTimeoutMs };
      // Kept alive: someone awaits this promise, so the process must not exit before it settles.
      waiter.timer = this.clock.setTimer(
        () => this.settle(waiter, new DinteroTokenUnavailableError('timeout', this.lastError, this.waitContext())),
        this.config.acquireTimeoutMs,
        true,
      );
      this.waiters.add(waiter);
      this.pump();
    });
  }

  /** Starts an attempt if anyone needs a token and backoff allows; otherwise arms what will. */
  private pump(): void {
    if (this.closed || this.inFlight) return;
    this.expireIfStale();
    const now = this.clock.now();
    const token = this.usableToken();
    // Waiters exist only while no token is usable, or when refresh() was asked for. While
    // draining, only callers count: background refreshes are over.
    const background = !this.draining && (token ? now >= token.timeline.refreshAt : this.subscribers > 0);
    if (this.waiters.size === 0 && !background) return;
    const nextAt = this.nextAttemptAt(token);
    if (now < nextAt) {
      this.failWaitersThatCannotWait(nextAt);
      this.armRetry(nextAt);
      return;
    }
    this.startAttempt();
  }

  /** When the next attempt may start: the backoff, or sooner for callers waiting with no token. */
  private nextAttemptAt(token: DinteroAccessToken | undefined): number {
    const gate = {
      backoffUntil: this.backoffUntil,
      lastAttemptAt: this.lastAttemptAt,
      retryAfterUntil: this.retryAfterUntil,
      demand: this.waiters.size > 0 && token === undefined,
      retryable: this.lastError?.retryable ?? true,
    };
    return nextAttemptAt(gate, this.config.retry);
  }

  /** Wakes the pump at `dueAt`, unless a timer already wakes it sooner. */
  private armRetry(dueAt: number): void {
    if (this.retryTimer && this.retryDueAt <= dueAt) return;
    this.clearTimer('retryTimer');
    this.retryDueAt = dueAt;
    this.retryTimer = this.clock.setTimer(() => {
      this.retryTimer = undefined;
      this.pump();
    }, dueAt - this.clock.now());
  }

  private startAttempt(): void {
    this.clearTimer('retryTimer');
    const controller = new AbortController();
    this.inFlight = controller;
    const sentAt = this.clock.now();
    const sentAtWall = this.clock.wallNow();
    this.lastAttemptAt = sentAt;
    // The token being replaced is not an answer: a shared store may still hold it.
    const replacing = new Set([this.current.value?.accessToken, this.refused].filter((token): token is string => token !== undefined));
    this.source.requestToken({ signal: controller.signal, replacing, refused: this.refused }).then(
      (sourced) => this.onGrant(controller, sourced, sentAt, sentAtWall),
      (error: unknown) => this.onFailure(controller, asAuthError(error)),
    );
  }

  private onGrant(controller: AbortController, sourced: SourcedToken, sentAt: number, sentAtWall: number): void {
    if (this.inFlight !== controller) return;
    this.inFlight = undefined;
    const { grant, source, obtainedAtWallMs } = sourced;
    const lifetimeMs = grant.expiresInSeconds * 1000;
    // A token shared by another replica was requested before this attempt: its life counts from then.
    const ageMs = obtainedAtWallMs === undefined ? 0 : Math.max(0, this.clock.wallNow() - obtainedAtWallMs);
    const startedAt = ageMs > 0 ? Math.min(sentAt, this.clock.now() - ageMs) : sentAt;
    const roundTripMs = this.clock.now() - sentAt;
    this.recordRoundTrip(roundTripMs);
    const timeline = planTimeline(startedAt, lifetimeMs, this.config.refresh, this.clock.random(), Math.max(...this.roundTrips));
    if (this.clock.now() >= timeline.usableUntil) {
      this.onFailure(
        controller,
        new DinteroTokenResponseError(`a ${lifetimeMs} ms token took ${Math.round(roundTripMs)} ms to arrive and was no longer usable`),
        true,
      );
      return;
    }
    // Dated on this host's wall clock, which may not match the one of the replica that fetched it.
    const token = new DinteroAccessToken(grant, timeline, sentAtWall - (sentAt - startedAt));
    this.expireIfStale();
    const previous = this.usableToken();
    this.failures = 0;
    this.lastError = undefined;
    this.refused = undefined;
    this.backoffUntil = Number.NEGATIVE_INFINITY;
    this.retryAfterUntil = Number.NEGATIVE_INFINITY;
    this.clearTimer('retryTimer');
    this.install(token);

    if (previous) {
      this.emit({
        type: 'refreshed',
        source,
        fingerprint: token.fingerprint,
        previousFingerprint: previous.fingerprint,
        expiresAt: token.expiresAt,
        refreshAt: token.refreshAt,
      });
    } else {
      this.emit({ type: 'acquired', source, fingerprint: token.fingerprint, expiresAt: token.expiresAt, refreshAt: token.refreshAt });
    }
    for (const waiter of [...this.waiters]) this.settle(waiter, token);
  }

  private onFailure(controller: AbortController, error: DinteroAuthError, alreadyReleased = false): void {
    if (!alreadyReleased) {
      if (this.inFlight !== controller) return;
      this.inFlight = undefined;
    }
    if (this.closed) return;
    this.failures += 1;
    this.lastError = error;
    const retryAfterMs = retryAfterOf(error);
    const delay = backoffDelay(this.failures, this.config.retry, this.clock.random(), retryAfterMs);
    this.backoffUntil = this.clock.now() + delay;
    this.retryAfterUntil =
      retryAfterMs === undefined ? Number.NEGATIVE_INFINITY : this.clock.now() + retryAfterFloor(this.config.retry, retryAfterMs);
    const servingPrevious = this.usableToken() !== undefined;
    const nextDelayMs = Math.max(0, this.nextAttemptAt(this.usableToken()) - this.clock.now());
    this.emit({
      type: 'refresh-failed',
      attempt: this.failures,
      nextDelayMs: error.retryable ? nextDelayMs : undefined,
      error,
      servingPrevious,
    });

    // Retrying cannot fix this one: waiters hear it now. token$ subscribers, or a held token
    // still due for refresh, keep asking, spaced by the backoff like every other attempt.
    if (!error.retryable) for (const waiter of [...this.waiters]) this.settle(waiter, error);
    this.pump();
  }

  /** Rejects waiters whose deadline comes before the next attempt could even start. */
  private failWaitersThatCannotWait(nextAttemptAt: number): void {
    const last = this.lastError;
    for (const waiter of [...this.waiters]) {
      if (waiter.deadline >= nextAttemptAt) continue;
      this.settle(waiter, last && !last.retryable ? last : new DinteroTokenUnavailableError('backoff', last, this.waitContext()));
    }
  }

  private settle(waiter: Waiter, outcome: DinteroAccessToken | DinteroAuthError): void {
    if (!this.waiters.delete(waiter)) return;
    if (waiter.timer) this.clock.clearTimer(waiter.timer);
    if (outcome instanceof DinteroAccessToken) waiter.resolve(outcome);
    else waiter.reject(outcome);
  }

  private install(token: DinteroAccessToken): void {
    this.clearTimer('refreshTimer');
    this.clearTimer('expiryTimer');
    const now = this.clock.now();
    if (!this.draining) {
      this.refreshTimer = this.clock.setTimer(() => {
        this.refreshTimer = undefined;
        this.pump();
      }, token.timeline.refreshAt - now);
    }
    this.expiryTimer = this.clock.setTimer(() => {
      this.expiryTimer = undefined;
      this.expire(token);
    }, token.timeline.usableUntil - now);
    this.current.next(token);
  }

  /** The held token if it is still usable. No side effects: safe from anywhere. */
  private usableToken(): DinteroAccessToken | undefined {
    const token = this.current.value;
    return token && this.isUsable(token) ? token : undefined;
  }

  /** Drops a held token past its usable time, for when the expiry timer ran late (a frozen loop). */
  private expireIfStale(): void {
    const token = this.current.value;
    if (token && !this.isUsable(token)) this.retire(token);
  }

  private isUsable(token: DinteroAccessToken): boolean {
    return this.clock.now() < token.timeline.usableUntil;
  }

  private expire(token: DinteroAccessToken): void {
    if (this.current.value !== token) return;
    this.retire(token);
    this.pump();
  }

  private retire(token: DinteroAccessToken): void {
    this.drop(token);
    this.emit({ type: 'expired', fingerprint: token.fingerprint });
  }

  private drop(token: DinteroAccessToken): void {
    if (this.current.value !== token) return;
    this.clearTimer('refreshTimer');
    this.clearTimer('expiryTimer');
    this.current.next(undefined);
  }

  private clearTimer(name: 'retryTimer' | 'refreshTimer' | 'expiryTimer'): void {
    const timer = this[name];
    if (timer) this.clock.clearTimer(timer);
    this[name] = undefined;
  }

  private waitContext(): DinteroTokenWaitContext {
    return { tokenUrl: this.config.tokenUrl, acquireTimeoutMs: this.config.acquireTimeoutMs };
  }

  /** Keeps the latest round trips: the refresh point makes room for the slowest of them. */
  private recordRoundTrip(ms: number): void {
    this.roundTrips.push(ms);
    if (this.roundTrips.length > ROUND_TRIPS_KEPT) this.roundTrips.shift();
  }

  private emit(event: DinteroTokenEvent): void {
    if (!this.closed) this.bus.emit(event);
  }

  /** The end (Nest's `onApplicationShutdown`): the request aborted, waiters told, streams completed. @internal */
  shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.draining = true;
    this.clearTimer('retryTimer');
    this.clearTimer('refreshTimer');
    this.clearTimer('expiryTimer');
    this.inFlight?.abort();
    this.inFlight = undefined;
    const error = new DinteroTokenUnavailableError('shutdown');
    for (const waiter of [...this.waiters]) this.settle(waiter, error);
    this.current.complete();
    this.bus.complete();
  }
}

function asAuthError(error: unknown): DinteroAuthError {
  if (error instanceof DinteroAuthError) return error;
  // Only reachable through a bug; keep the message, never the object (it may hold a config).
  const message = error instanceof Error ? error.message : String(error);
  return new DinteroTokenResponseError(`unexpected failure: ${message}`);
}

function retryAfterOf(error: DinteroAuthError): number | undefined {
  return 'retryAfterMs' in error && typeof error.retryAfterMs === 'number' ? error.retryAfterMs : undefined;
}
