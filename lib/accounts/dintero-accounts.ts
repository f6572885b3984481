import { inspect } from 'node:util';
import type { OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import { createDinteroClient, type DinteroClient } from '../client/dintero-client.js';
import { DinteroTokenUnavailableError } from '../errors/dintero-token-unavailable.error.js';
import { DinteroAgents } from '../http/dintero-agents.js';
import type { DinteroInboundVerifier } from '../inbound/dintero-inbound.verifier.js';
import { accountIdProblem, isAccountId } from '../options/account-id.js';
import type { DinteroClientCredentials } from '../options/dintero-credentials.js';
import { accountConfig } from '../options/normalize-options.js';
import type { DinteroTokenStore } from '../store/dintero-token.store.js';
import type { Clock, TimerHandle } from '../token/clock.js';
import { type EvictionCandidate, capacityEvictions, idleEvictions, nextIdleCheckAt } from './account-eviction.js';
import type { DinteroAccount } from './dintero-account.js';
import { InFlightCounter } from './in-flight-counter.js';
import { ResolveSlots } from './resolve-slots.js';
import { DinteroAccountIdError } from '../errors/dintero-account-id.error.js';
import { DinteroAccountNotFoundError } from '../errors/dintero-account-not-found.error.js';
import { DinteroAccountResolveError, type DinteroAccountResolveFailure } from '../errors/dintero-account-resolve.error.js';
import type { DinteroAccountCloseReason, DinteroAccountEvent, DinteroAccountStatus } from './dintero-accounts.events.js';
import type {
  DinteroAccountCredentials,
  DinteroAccountsConfig,
  DinteroAccountsModuleOptions,
} from '../options/dintero-accounts-options.js';
import { normalizeAccountsOptions } from '../options/normalize-accounts-options.js';

/**
 * The resolver's answer as plain data, read once: a getter or a proxy that throws (a vault
 * session that expired) fails here, as the resolver's failure, not later as a raw error.
 * Anything but an object goes on as it is, for the validation to name.
 */
function readAnswer(answer: unknown): DinteroAccountCredentials | undefined | null {
  if (typeof answer !== 'object' || answer === null) return answer as DinteroAccountCredentials | undefined | null;
  const { clientId, clientSecret, audience, profileId, callbackSecrets, webhookSecrets } = answer as Record<string, unknown>;
  const list = (value: unknown) => (Array.isArray(value) ? [...(value as unknown[])] : value);
  return {
    clientId,
    clientSecret,
    audience,
    profileId,
    callbackSecrets: list(callbackSecrets),
    webhookSecrets: list(webhookSecrets),
  } as DinteroAccountCredentials;
}

/** An open account: its client, and the calls of its `http` in flight. */
interface AccountRuntime {
  readonly account: DinteroAccount;
  readonly client: DinteroClient;
  readonly inFlight: InFlightCounter;
}

/** A held account: opening (credentials being resolved) or open. */
class Entry implements EvictionCandidate {
  runtime: AccountRuntime | undefined;
  opening!: Promise<AccountRuntime>;

  constructor(
    readonly accountId: string,
    public lastUsedAt: number,
  ) {}

  get evictable(): boolean {
    return this.runtime !== undefined && this.runtime.inFlight.count === 0;
  }
}

/**
 * Dintero accounts known only at run time (a platform's merchants): `get(accountId)` gives the
 * account's token service and HTTP client, made on first use from the credentials that
 * `resolveCredentials` returns, each with the whole token life of `DinteroAuthModule` and
 * apart from every other account.
 *
 * Accounts are held while used: one unused for `idleTimeoutMs`, or the least recently used
 * beyond `maxAccounts`, is closed, never while a call of its `http` is in flight.
 */
export class DinteroAccounts implements OnModuleDestroy, OnApplicationShutdown {
  /** Token events of every account, each with its `accountId`, and accounts opened and closed. */
  readonly events$: Observable<DinteroAccountEvent>;

  private readonly config: DinteroAccountsConfig;
  /** The store of the options, shared by every account and closed here, at shutdown. */
  private readonly store: DinteroTokenStore | undefined;
  /** One connection pool for every account: sockets and memory stay bounded however many merchants. */
  private readonly agents: DinteroAgents;
  /** Held accounts, least recently used first. */
  private readonly entries = new Map<string, Entry>();
  private readonly closing = new Set<Promise<void>>();
  /** Accounts being opened: their resolver calls, running or waiting for a slot. */
  private readonly pendingResolves = new Set<() => void>();
  /** Accounts whose resolver has not answered yet (re-reads of open accounts' credentials are not counted). */
  private readonly beingOpened = new Set<Entry>();
  private readonly resolveSlots: ResolveSlots;
  private readonly subject = new Subject<DinteroAccountEvent>();
  private sweepTimer: TimerHandle | undefined;
  private sweepAt = Number.POSITIVE_INFINITY;
  private state: 'open' | 'draining' | 'closed' = 'open';

  /** @internal Made by `DinteroAccountsModule`. */
  constructor(
    options: DinteroAccountsModuleOptions,
    private readonly clock: Clock,
  ) {
    this.config = normalizeAccountsOptions(options);
    this.store = this.config.store;
    this.resolveSlots = new ResolveSlots(this.config.maxConcurrentResolves);
    this.agents = new DinteroAgents(this.config.shared.httpsAgent);
    this.events$ = this.subject.asObservable();
  }

  /** Accounts held now (open or being opened). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The account's token service and HTTP client. The first `get()` of an account asks the
   * resolver (once, however many `get()`s wait on it) and validates its credentials as `forRoot`
   * does; later ones answer from memory.
   *
   * Rejects with `DinteroAccountIdError` (not an account id), `DinteroAccountNotFoundError`
   * (the resolver gave `undefined`), `DinteroAccountResolveError` (it threw or did not answer in
   * `resolveTimeoutMs`), or `DinteroAuthConfigError` (invalid credentials). None of these is
   * remembered: the next `get()` asks the resolver again.
   */
  get(accountId: string): Promise<DinteroAccount> {
    return this.runtime(accountId).then((runtime) => runtime.account);
  }

  /** The check of the account's callbacks and webhooks, for the guards. @internal */
  inboundOf(accountId: string): Promise<DinteroInboundVerifier> {
    return this.runtime(accountId).then((runtime) => runtime.client.inbound);
  }

  /**
   * Drops an account (its credentials were rotated, or the merchant left): the next `get()`
   * resolves it anew. Calls in flight finish first; then its timers stop and its token leaves
   * memory and the shared store. Resolves to whether the account was held.
   */
  async forget(accountId: string): Promise<boolean> {
    if (!isAccountId(accountId)) throw new DinteroAccountIdError(accountIdProblem(accountId));
    const entry = this.entries.get(accountId);
    if (!entry) return false;
    this.entries.delete(accountId);
    // An account still opening notices that it was dropped, and opens anew for its waiters.
    if (entry.runtime) await this.close(entry.accountId, entry.runtime, 'forgotten');
    this.armSweep();
    return true;
  }

  private runtime(accountId: string): Promise<AccountRuntime> {
    if (!isAccountId(accountId)) return Promise.reject(new DinteroAccountIdError(accountIdProblem(accountId)));
    const entry = this.entries.get(accountId);
    if (entry?.runtime) {
      this.touch(entry);
      return Promise.resolve(entry.runtime);
    }
    if (entry) return entry.opening;
    if (this.state !== 'open') return Promise.reject(DinteroTokenUnavailableError.fromReason('shutdown'));
    // Ids often come from URLs: made-up ones must not pile up entries and resolver calls.
    if (this.beingOpened.size >= this.config.maxAccounts) {
      const why = `${this.beingOpened.size} accounts are being opened already (maxAccounts)`;
      return Promise.reject(
        new DinteroAccountResolveError(`Could not resolve the Dintero credentials of account ${accountId}: ${why}`, {
          accountId,
          failure: 'busy',
        }),
      );
    }
    return this.open(accountId).opening;
  }

  /** The token status of every held account, with its id. Starts no token request. */
  status(): DinteroAccountStatus[] {
    const statuses: DinteroAccountStatus[] = [];
    for (const entry of this.entries.values()) {
      if (entry.runtime) statuses.push({ ...entry.runtime.account.tokens.status(), accountId: entry.accountId });
    }
    return statuses;
  }

  /** A summary: the registry holds the store (which may hold a Redis password) and every account's client. */
  toJSON(): { accounts: number } {
    return { accounts: this.entries.size };
  }

  [inspect.custom](): string {
    return `DinteroAccounts { accounts: ${this.entries.size} }`;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'draining';
    this.stopSweep();
    await Promise.all([...this.entries.values()].map((entry) => entry.runtime?.client.close('drain') ?? Promise.resolve()));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.stopSweep();
    for (const abort of [...this.pendingResolves]) abort();
    const held = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(held.map((entry) => entry.runtime?.client.close('shutdown') ?? Promise.resolve()));
    await Promise.all([...this.closing]);
    this.agents.close();
    await this.store?.close().catch(() => undefined);
    this.subject.complete();
  }

  private open(accountId: string): Entry {
    if (this.state !== 'open') throw DinteroTokenUnavailableError.fromReason('shutdown');
    const entry = new Entry(accountId, this.clock.now());
    this.entries.set(accountId, entry);
    this.beingOpened.add(entry);
    entry.opening = this.build(entry);
    const opened = () => void this.beingOpened.delete(entry);
    entry.opening.then(opened, opened);
    this.evictOverCapacity(entry);
    return entry;
  }

  private async build(entry: Entry): Promise<AccountRuntime> {
    const { accountId } = entry;
    let credentials: DinteroAccountCredentials | undefined;
    try {
      credentials = (await this.resolve(accountId)) ?? undefined;
      if (credentials === undefined) {
        throw new DinteroAccountNotFoundError(`No Dintero credentials for account ${accountId}: the resolver does not know it`, {
          accountId,
        });
      }
    } catch (error) {
      if (this.entries.get(accountId) === entry) this.entries.delete(accountId);
      throw error;
    }
    // Forgotten while the resolver ran: these credentials may be the ones just rotated away.
    if (this.entries.get(accountId) !== entry) return (this.entries.get(accountId) ?? this.open(accountId)).opening;
    let runtime: AccountRuntime;
    try {
      runtime = this.openClient(accountId, credentials, entry);
    } catch (error) {
      this.entries.delete(accountId);
      throw error;
    }
    entry.runtime = runtime;
    runtime.account.tokens.events$.subscribe((event) => this.emit({ ...event, accountId }));
    if (this.state === 'draining') await runtime.client.close('drain');
    this.touch(entry);
    this.emit({ type: 'account-opened', accountId });
    this.evictOverCapacity(entry);
    this.armSweep();
    return runtime;
  }

  /** The account's client, validated as `forRoot` validates, on the registry's store, agents and clock. */
  private openClient(accountId: string, credentials: DinteroAccountCredentials, entry: Entry): AccountRuntime {
    const given = accountConfig(this.config.shared, accountId, credentials);
    // The resolver is the account's credentials provider: when Dintero refuses the client secret
    // (rotated at the source), it is asked again, as `forRoot`'s `credentials` would be.
    const provider = () => this.resolveAgain(accountId);
    const config = Object.freeze({ ...given, credentials: Object.freeze({ ...given.credentials, provider }) });
    const client = createDinteroClient({ config, clock: this.clock, store: this.store, agents: this.agents });
    const inFlight = new InFlightCounter(client.http.axiosRef, () => this.onIdle(entry));
    const account = Object.freeze({ accountId, profileId: config.profileId, tokens: client.tokens, http: client.http });
    return { account, client, inFlight };
  }

  /** The account's credentials, asked of the resolver again; an account it no longer knows keeps the last ones. */
  private async resolveAgain(accountId: string): Promise<DinteroClientCredentials> {
    const answer = await this.resolve(accountId);
    if (answer === undefined || answer === null) {
      throw new DinteroAccountNotFoundError(`No Dintero credentials for account ${accountId}: the resolver does not know it`, {
        accountId,
      });
    }
    return { clientId: answer.clientId, clientSecret: answer.clientSecret };
  }

  /** The resolver's answer, bounded by `resolveTimeoutMs` (its turn included) and by shutdown. */
  private resolve(accountId: string): Promise<DinteroAccountCredentials | undefined | null> {
    const timeoutMs = this.config.resolveTimeoutMs;
    const unresolved = (failure: DinteroAccountResolveFailure, why: string, cause?: unknown) =>
      new DinteroAccountResolveError(`Could not resolve the Dintero credentials of account ${accountId}: ${why}`, {
        accountId,
        failure,
        cause,
      });
    return new Promise((resolve, reject) => {
      const finish = (settle: () => void) => {
        this.clock.clearTimer(timer);
        this.pendingResolves.delete(abort);
        endTurn();
        settle();
      };
      const abort = () => finish(() => reject(unresolved('shutdown', 'the module is shutting down')));
      // Kept alive: a caller awaits this answer.
      const timer = this.clock.setTimer(
        () => finish(() => reject(unresolved('timeout', `the resolver did not answer within ${timeoutMs} ms`))),
        timeoutMs,
        true,
      );
      this.pendingResolves.add(abort);
      const askedBy = this.clock.now() + timeoutMs;
      const ask = () => {
        // A turn that comes as its wait times out: the time-out, due now, ends it.
        if (this.clock.now() >= askedBy) return;
        // The executor turns a resolver that throws at once into a rejection too.
        const answer = new Promise<DinteroAccountCredentials | undefined | null>((settle) =>
          settle(this.config.resolveCredentials(accountId)),
        );
        // A late answer after the time-out lands here and is dropped.
        answer.then(
          (credentials) => {
            let read: DinteroAccountCredentials | undefined | null;
            try {
              read = readAnswer(credentials);
            } catch (cause) {
              finish(() => reject(unresolved('failed', 'its answer could not be read', cause)));
              return;
            }
            finish(() => resolve(read));
          },
          (cause: unknown) => finish(() => reject(unresolved('failed', 'the resolver failed', cause))),
        );
      };
      // Asked now, or when a slot frees; a time-out while waiting for one leaves the line.
      const endTurn = this.resolveSlots.take(ask);
    });
  }

  /** Marks an account as just used: the most recently used, the last to go. */
  private touch(entry: Entry): void {
    entry.lastUsedAt = this.clock.now();
    this.entries.delete(entry.accountId);
    this.entries.set(entry.accountId, entry);
  }

  /** Its last call ended: idle time counts from now, and it may be the one to go. */
  private onIdle(entry: Entry): void {
    if (this.entries.get(entry.accountId) !== entry) return;
    this.touch(entry);
    this.evictOverCapacity();
    this.armSweep();
  }

  private evictOverCapacity(except?: Entry): void {
    const candidates = this.candidates(except);
    for (const accountId of capacityEvictions(candidates, this.entries.size, this.config.maxAccounts)) this.evict(accountId, 'capacity');
  }

  private sweep(): void {
    for (const accountId of idleEvictions(this.candidates(), this.clock.now(), this.config.idleTimeoutMs)) this.evict(accountId, 'idle');
    this.armSweep();
  }

  private *candidates(except?: Entry): Generator<[string, EvictionCandidate]> {
    for (const [accountId, entry] of this.entries) {
      yield [accountId, entry === except ? { lastUsedAt: entry.lastUsedAt, evictable: false } : entry];
    }
  }

  private evict(accountId: string, reason: DinteroAccountCloseReason): void {
    const entry = this.entries.get(accountId);
    if (!entry?.runtime) return;
    this.entries.delete(accountId);
    void this.close(accountId, entry.runtime, reason);
  }

  /** Waits for the account's calls in flight, then shuts it down as Nest would; never rejects. */
  private close(accountId: string, runtime: AccountRuntime, reason: DinteroAccountCloseReason): Promise<void> {
    const closed = (async () => {
      await runtime.inFlight.whenIdle();
      await runtime.client.close('shutdown');
      // Dropped for good, not just for room: other replicas must not take its token over either.
      if (reason === 'forgotten') await runtime.client.forgetSharedToken();
      this.emit({ type: 'account-closed', accountId, reason });
    })().catch(() => undefined);
    this.closing.add(closed);
    void closed.then(() => this.closing.delete(closed));
    return closed;
  }

  /** Arms one timer for the next account to fall idle (earlier than one already armed). */
  private armSweep(): void {
    if (this.state !== 'open') return;
    const at = nextIdleCheckAt(this.candidates(), this.config.idleTimeoutMs);
    if (at === undefined || (this.sweepTimer && this.sweepAt <= at)) return;
    this.stopSweep();
    this.sweepAt = at;
    this.sweepTimer = this.clock.setTimer(() => {
      this.sweepTimer = undefined;
      this.sweepAt = Number.POSITIVE_INFINITY;
      this.sweep();
    }, at - this.clock.now());
  }

  private stopSweep(): void {
    if (this.sweepTimer) this.clock.clearTimer(this.sweepTimer);
    this.sweepTimer = undefined;
    this.sweepAt = Number.POSITIVE_INFINITY;
  }

  private emit(event: DinteroAccountEvent): void {
    if (!this.subject.closed) this.subject.next(event);
  }
}
