import { Observable } from 'rxjs';
import { DinteroAuthError } from '../errors/dintero-auth.error.js';
import { retryAfterMsOf } from '../errors/dintero-token-request.error.js';
import { DinteroTokenResponseError } from '../errors/dintero-token-response.error.js';
import { DinteroTokenUnavailableError, type DinteroTokenWaitContext } from '../errors/dintero-token-unavailable.error.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import { DinteroAccessToken } from './access-token.js';
import { Alarm } from './alarm.js';
import { AttemptGate } from './attempt-gate.js';
import type { Clock } from './clock.js';
import type { DinteroTokenEvent } from './dintero-token.events.js';
import type { DinteroTokenStatus } from './dintero-token.status.js';
import { isCredentialsRefusal } from './credentialed-endpoint.js';
import type { CredentialsKeeper } from './credentials-keeper.js';
import { HeldToken } from './held-token.js';
import { planTimeline } from './refresh-policy.js';
import type { TokenEventBus } from './token-event-bus.js';
import type { SourcedToken, TokenSource } from './token-source.js';
import { TokenWaiters } from './token-waiters.js';

/** Nest's shutdown order: serving, then draining (`onModuleDestroy`), then closed (`onApplicationShutdown`). */
type Phase = 'serving' | 'draining' | 'closed';

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
 *
 * The token's state is the README's diagram: none (no usable token, nothing in flight),
 * fetching (none, a request in flight), valid (a usable token), refreshing (valid, a request in
 * flight). Every change is an event on the bus; `TokenLog` writes the log lines from those.
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

  /** Its refresh point wakes the pump; its usable-until time retires it. */
  private readonly held: HeldToken;
  private readonly waiters: TokenWaiters;
  private readonly gate: AttemptGate;
  /** Wakes the pump when the backoff allows the next attempt. */
  private readonly nextAttemptAlarm: Alarm;
  private phase: Phase = 'serving';
  private subscribers = 0;
  private inFlight: AbortController | undefined;
  /** The token last dropped by invalidate(): no source may hand it back. */
  private refused: string | undefined;
  /** Credentials changed: fetch a successor now, the token in hand still served. */
  private renewDue = false;

  /** @internal Made by `createDinteroClient`. */
  constructor(
    private readonly config: DinteroAuthConfig,
    private readonly source: TokenSource,
    /** @internal The clock the service runs on: a health check reads the token's dates against it. */
    readonly clock: Clock,
    private readonly bus: TokenEventBus,
    private readonly credentials?: CredentialsKeeper,
  ) {
    this.events$ = bus.events$;
    this.held = new HeldToken(
      clock,
      () => this.pump(),
      () => {
        // Retired even with a refresh in flight: no successor came in time.
        this.expireIfStale();
        this.pump();
      },
    );
    this.waiters = new TokenWaiters(clock, config.acquireTimeoutMs);
    this.gate = new AttemptGate(config.retry);
    this.nextAttemptAlarm = new Alarm(clock, () => this.pump());
    this.token$ = new Observable<DinteroAccessToken>((subscriber) => {
      this.subscribers += 1;
      const inner = this.held.usable$.subscribe(subscriber);
      this.pump();
      return () => {
        this.subscribers -= 1;
        inner.unsubscribe();
      };
    });
  }

  /** A usable token: at once when one is held, otherwise after the (shared) fetch. */
  getToken(): Promise<DinteroAccessToken> {
    const token = this.peekToken();
    return token ? Promise.resolve(token) : this.wait();
  }

  /**
   * The usable token held right now, or undefined: never waits, and starts no request beyond a
   * refresh that is already due. For hot paths that can do without a promise.
   */
  peekToken(): DinteroAccessToken | undefined {
    const token = this.phase === 'closed' ? undefined : this.held.usable();
    // The refresh alarm does this too; a late timer (a busy or suspended loop) must not matter.
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
    const current = this.held.current;
    if (!current || (token !== undefined && !current.matches(token))) return false;
    this.refused = current.accessToken;
    this.held.drop(current);
    this.emit({ type: 'invalidated', fingerprint: current.fingerprint });
    this.pump();
    return true;
  }

  /**
   * A snapshot for health checks and status pages. It never starts a token request, so
   * probing it every few seconds costs nothing.
   */
  status(): DinteroTokenStatus {
    const token = this.phase === 'closed' ? undefined : this.held.usable();
    const waitMs = this.nextAttemptAt(token) - this.clock.now();
    return {
      token,
      refreshing: this.inFlight !== undefined,
      consecutiveFailures: this.gate.consecutiveFailures,
      lastError: this.gate.lastError,
      nextAttemptAt: waitMs > 0 ? new Date(this.clock.wallNow() + waitMs) : undefined,
      credentialsReadAt: this.credentials?.readAt,
      clientIdFingerprint: this.credentials?.current?.clientIdFingerprint,
    };
  }

  /**
   * Fetches a successor of the token in hand now, in the background (new credentials were
   * read): the current token is served until it arrives. @internal
   */
  renew(): void {
    this.renewDue = true;
    this.pump();
  }

  /**
   * Before the HTTP server stops (Nest's `onModuleDestroy`): requests still in flight must get
   * their tokens, so only the background work (refresh-ahead, retries nobody waits for) stops.
   * @internal
   */
  drain(): void {
    if (this.phase === 'serving') this.phase = 'draining';
    this.held.stopRefreshing();
    if (this.waiters.size === 0) this.nextAttemptAlarm.clear();
  }

  /** The end (Nest's `onApplicationShutdown`): the request aborted, waiters told, streams completed. @internal */
  shutdown(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.nextAttemptAlarm.clear();
    this.inFlight?.abort();
    this.inFlight = undefined;
    this.waiters.settleAll(DinteroTokenUnavailableError.fromReason('shutdown'));
    this.held.close();
    this.bus.complete();
  }

  /** Waits for the next token obtained; every waiter is settled by a grant, an error or its deadline. */
  private wait(): Promise<DinteroAccessToken> {
    if (this.phase === 'closed') return Promise.reject(DinteroTokenUnavailableError.fromReason('shutdown'));
    const waiting = this.waiters.add(() =>
      DinteroTokenUnavailableError.fromReason('timeout', { cause: this.gate.lastError, context: this.waitContext() }),
    );
    this.pump();
    return waiting;
  }

  /** Starts an attempt if anyone needs a token and backoff allows; otherwise arms what will. */
  private pump(): void {
    if (this.phase === 'closed' || this.inFlight) return;
    this.expireIfStale();
    const now = this.clock.now();
    const token = this.held.usable();
    // Waiters exist only while no token is usable, or when refresh() was asked for. While
    // draining, only callers count: background refreshes are over.
    const background = this.phase === 'serving' && (token ? now >= token.timeline.refreshAt || this.renewDue : this.subscribers > 0);
    if (this.waiters.size === 0 && !background) return;
    const nextAt = this.nextAttemptAt(token);
    if (now < nextAt) {
      // Waiters whose deadline comes before the next attempt could even start are told now.
      const last = this.gate.lastError;
      this.waiters.failThoseDueBefore(nextAt, () =>
        last && !last.retryable ? last : DinteroTokenUnavailableError.fromReason('backoff', { cause: last, context: this.waitContext() }),
      );
      this.nextAttemptAlarm.setNoLaterThan(nextAt);
      return;
    }
    this.startAttempt();
  }

  /** When the next attempt may start: the backoff, or sooner for callers waiting with no token. */
  private nextAttemptAt(token: DinteroAccessToken | undefined): number {
    return this.gate.nextAttemptAt(this.waiters.size > 0 && token === undefined);
  }

  private startAttempt(): void {
    this.nextAttemptAlarm.clear();
    const controller = new AbortController();
    this.inFlight = controller;
    const sentAt = this.clock.now();
    const sentAtWall = this.clock.wallNow();
    this.gate.started(sentAt);
    // The token being replaced is not an answer: a shared store may still hold it.
    const replacing = new Set([this.held.current?.accessToken, this.refused].filter((token): token is string => token !== undefined));
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
    this.gate.answered(roundTripMs);
    const timeline = planTimeline(startedAt, lifetimeMs, this.config.refresh, this.clock.random(), this.gate.slowestRoundTripMs);
    if (this.clock.now() >= timeline.usableUntil) {
      this.failed(
        new DinteroTokenResponseError(
          `Dintero token response is unusable: a ${lifetimeMs} ms token took ${Math.round(roundTripMs)} ms to arrive and was no longer usable`,
        ),
      );
      return;
    }
    // Dated on this host's wall clock, which may not match the one of the replica that fetched it.
    const token = new DinteroAccessToken(grant, timeline, sentAtWall - (sentAt - startedAt));
    this.expireIfStale();
    const previous = this.held.usable();
    this.gate.succeeded();
    this.refused = undefined;
    this.renewDue = false;
    this.nextAttemptAlarm.clear();
    this.held.hold(token, this.phase === 'serving');
    const { fingerprint, expiresAt, refreshAt } = token;
    this.emit(
      previous
        ? { type: 'refreshed', source, fingerprint, previousFingerprint: previous.fingerprint, expiresAt, refreshAt }
        : { type: 'acquired', source, fingerprint, expiresAt, refreshAt },
    );
    this.waiters.settleAll(token);
  }

  private onFailure(controller: AbortController, error: DinteroAuthError): void {
    if (this.inFlight !== controller) return;
    this.inFlight = undefined;
    this.failed(error);
  }

  private failed(error: DinteroAuthError): void {
    if (this.phase === 'closed') return;
    // Credentials read from a provider may change: a refusal of them ends once they do.
    const probe = error.retryable || (this.credentials?.rotates === true && isCredentialsRefusal(error));
    const attempt = this.gate.failed(error, retryAfterMsOf(error), this.clock.now(), this.clock.random(), probe);
    const token = this.held.usable();
    const nextDelayMs = Math.max(0, this.nextAttemptAt(token) - this.clock.now());
    this.emit({
      type: 'refresh-failed',
      attempt,
      nextDelayMs: error.retryable ? nextDelayMs : undefined,
      error,
      servingPrevious: token !== undefined,
    });
    // Retrying cannot fix this one: waiters hear it now. token$ subscribers, or a held token
    // still due for refresh, keep asking, spaced by the backoff like every other attempt.
    if (!error.retryable) this.waiters.settleAll(error);
    this.pump();
  }

  /** Retires the held token once past its usable time: at its expiry alarm, or later if that rang late (a frozen loop). */
  private expireIfStale(): void {
    const stale = this.held.stale();
    if (!stale) return;
    this.held.drop(stale);
    this.emit({ type: 'expired', fingerprint: stale.fingerprint });
  }

  private waitContext(): DinteroTokenWaitContext {
    return { tokenUrl: this.config.tokenUrl, acquireTimeoutMs: this.config.acquireTimeoutMs };
  }

  private emit(event: DinteroTokenEvent): void {
    if (this.phase !== 'closed') this.bus.emit(event);
  }
}

function asAuthError(error: unknown): DinteroAuthError {
  if (error instanceof DinteroAuthError) return error;
  // Only reachable through a bug; keep the message, never the object (it may hold a config).
  const message = error instanceof Error ? error.message : String(error);
  return new DinteroTokenResponseError(`Dintero token response is unusable: unexpected failure: ${message}`);
}
