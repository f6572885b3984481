import { createHash } from 'node:crypto';
import { DinteroTokenNetworkError } from '../errors/dintero-token-network.error.js';
import { retryAfterMsOf } from '../errors/dintero-token-request.error.js';
import type { ClientCredentials } from '../options/client-credentials.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import type { Clock, TimerHandle } from '../token/clock.js';
import type { CredentialedEndpoint } from '../token/credentialed-endpoint.js';
import type { CredentialsKeeper } from '../token/credentials-keeper.js';
import type { TokenEventBus } from '../token/token-event-bus.js';
import type { SourcedToken, TokenRequest, TokenSource } from '../token/token-source.js';
import type { DinteroTokenLease, DinteroTokenStore } from './dintero-token.store.js';
import { Doorbell } from './doorbell.js';
import { TokenCipher } from './token-cipher.js';
import { MAX_TOKEN_LIFETIME_SECONDS } from '../token/refresh-policy.js';

/** What is stored, encrypted, under the token key. */
interface StoredToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
  readonly obtainedAtWallMs: number;
  /** The generation of the lease its fetch held. */
  readonly generation: number;
}

/** How often a waiting replica looks whether the leader has stored the new token, with no watch... */
const POLL_MS = 50;
/** ...and with one: only in case a notification was lost. */
const WATCHED_POLL_MS = 500;
/** A leader keeps its lease this much beyond its backoff after a failure. */
const HOLD_MARGIN_MS = 1_000;
/** Generation floors outlive any token. */
const FLOOR_TTL_MS = MAX_TOKEN_LIFETIME_SECONDS * 1000;
/** Generations of the tokens this replica handed out, kept to refuse them cluster-wide. */
const GENERATIONS_KEPT = 8;

/** Key ids of other secrets remembered, at most: one line per key, not one per read. */
const FOREIGN_KEYS_KEPT = 8;

/** Wall clocks of replicas on different hosts differ a little: a token this much "from the future" is still fresh. */
const CLOCK_SKEW_TOLERANCE_MS = 5_000;

/**
 * Keys for one client's tokens: a hash of everything that makes a token valid (base URL,
 * account, client, audience), so that a change in configuration never serves an old token. The
 * hash is a Redis Cluster hash tag: every key of one client lives in one slot.
 */
export function storeNamespace(config: DinteroAuthConfig, clientId = config.credentials.initial!.clientId): string {
  const identity = [config.baseUrl, config.accountId, clientId, config.audience].join('\n');
  return `dintero-auth:{${createHash('sha256').update(identity).digest('hex').slice(0, 32)}}`;
}

/**
 * One token for many replicas: take a fresh enough token from the store, or win the lease and
 * fetch it from Dintero for everyone, or wait (bounded by the lease) for the replica that did,
 * woken by the store when the token lands. Tokens carry the generation of their lease, and the
 * store keeps a floor below which none is taken: an older token written back, or one Dintero
 * refused, never comes out of the store again. A store that fails is a cache miss, never an
 * outage: this replica then fetches on its own. Tokens are sealed with a key derived from the
 * client secret, its id beside them: during a rotation, a replica on another secret sees a
 * token it cannot open, says so once, and fetches its own.
 */
export class SharedTokenSource implements TokenSource {
  // Keys of the client id in use: known once credentials are (a provider reads them at first use).
  private tokenKey = '';
  private leaseKey = '';
  private floorKey = '';
  private namespace = '';
  /** The cipher of the credentials in use, and the credentials it was derived from. */
  private sealing: { credentials: ClientCredentials; cipher: TokenCipher } | undefined;
  /** Key ids of tokens this replica could not open, reported once each. */
  private readonly foreignKeys = new Set<string>();
  /** A leader gets the whole request deadline plus a margin before others may take over. */
  private readonly leaseMs: number;
  /** The longest a replica of this configuration holds the lease (its backoff after a failure, if longer). */
  private readonly maxLeaseMs: number;
  private storeDown = false;
  private closed = false;
  /** The newest generation this replica has taken: nothing older is taken after it. */
  private newestGeneration = 0;
  private readonly generations = new Map<string, number>();
  /** Rung when the store says a token landed; one source has one request in flight at a time. */
  private readonly doorbell: Doorbell;
  /** Listening for stored tokens, from the first request on: settles undefined when the store cannot tell. */
  private watching: Promise<(() => void) | undefined> | undefined;
  /** A lease kept after a failed fetch, for the backoff; given back at once on shutdown. */
  private heldLease: { timer: TimerHandle; lease: DinteroTokenLease } | undefined;

  constructor(
    private readonly config: DinteroAuthConfig,
    private readonly store: DinteroTokenStore,
    private readonly endpoint: CredentialedEndpoint,
    private readonly bus: TokenEventBus,
    private readonly clock: Clock,
    private readonly credentials: CredentialsKeeper,
  ) {
    this.doorbell = new Doorbell(clock);
    this.leaseMs = config.requestTimeoutMs + 5_000;
    this.maxLeaseMs = Math.max(this.leaseMs, config.retry.maxDelayMs + HOLD_MARGIN_MS);
  }

  /** The keys of the client id in use, and the cipher of its secret. */
  private cipherInUse(): TokenCipher {
    const credentials = this.credentials.current!;
    if (this.sealing?.credentials === credentials) return this.sealing.cipher;
    const namespace = storeNamespace(this.config, credentials.clientId);
    if (namespace !== this.namespace) {
      this.namespace = namespace;
      this.tokenKey = `${namespace}:token`;
      this.leaseKey = `${namespace}:lease`;
      this.floorKey = `${namespace}:floor`;
      // Another client id's keys count their generations from 1 again.
      this.newestGeneration = 0;
      this.generations.clear();
    }
    this.sealing = { credentials, cipher: TokenCipher.forSecret(credentials, namespace) };
    return this.sealing.cipher;
  }

  /** Gives back a lease still held and stops listening; the store stays open for its creator to close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.letGo();
    (await this.watching)?.();
  }

  /** Drops the shared token: an empty value is never a token (it opens to nothing) and lapses at once. */
  async forget(): Promise<void> {
    if (!this.credentials.current) return;
    this.cipherInUse();
    await this.attempt(() => this.store.set(this.tokenKey, '', 1));
  }

  async requestToken({ signal, replacing: unwanted, refused }: TokenRequest): Promise<SourcedToken> {
    await this.credentials.get();
    this.cipherInUse();
    if (refused !== undefined) await this.refuse(refused);
    // Past the longest lease and a bit (jittered, so that followers do not all give up
    // together), the holder is no replica that will store a token: this one fetches alone.
    const waitMs = this.maxLeaseMs * (1.5 + this.clock.random() * 0.5);
    const giveUpAt = this.clock.now() + waitMs;
    const failed = `Dintero token request to ${this.config.tokenUrl} failed`;
    // Listening starts alongside the first read, so that a replica that must wait is already listening.
    this.watching ??= this.watch(() => this.doorbell.ring());
    let listening: boolean | undefined;
    for (;;) {
      if (signal.aborted) throw new DinteroTokenNetworkError(`${failed}: aborted`, { failure: 'aborted', url: this.config.tokenUrl });
      const stored = await this.attempt(() => this.read());
      if (stored === 'failed') return this.direct(signal);
      if (stored && this.isFresh(stored, unwanted)) return this.take(stored);

      // A lease with more time left than any replica of ours holds one is not trusted (stores that know how).
      const lease = await this.attempt(() => this.store.acquireLease(this.leaseKey, this.leaseMs, this.maxLeaseMs));
      if (lease === 'failed') return this.direct(signal);
      if (lease) return this.fetchAsLeader(signal, unwanted, lease);

      // Another replica is fetching: wait for its token, bounded by the longest lease.
      if (this.clock.now() > giveUpAt) {
        const message = `the token lease is held and no token was stored within ${Math.round(waitMs)} ms (1.5 to 2 times the longest lease, ${this.maxLeaseMs} ms): fetching without it`;
        this.bus.emit({ type: 'store-distrusted', key: 'lease', message });
        return this.direct(signal);
      }
      if (listening === undefined) {
        // Once listening, read again: a token stored before the subscription took is not missed.
        listening = (await this.watching) !== undefined;
        continue;
      }
      await this.doorbell.wait(listening ? WATCHED_POLL_MS : POLL_MS, signal);
    }
  }

  private async direct(signal: AbortSignal): Promise<SourcedToken> {
    return { grant: await this.endpoint.requestToken(signal), source: 'endpoint' };
  }

  private async fetchAsLeader(signal: AbortSignal, unwanted: ReadonlySet<string>, lease: DinteroTokenLease): Promise<SourcedToken> {
    let holdFor = 0;
    const leaseKey = this.leaseKey;
    try {
      await this.attempt(() => this.repairFloor(lease.generation));
      // The previous leader may have stored a token between our read and our lease.
      const stored = await this.attempt(() => this.read());
      if (stored !== 'failed' && stored && this.isFresh(stored, unwanted)) return this.take(stored);
      const obtainedAtWallMs = this.clock.wallNow();
      const grant = await this.endpoint.requestToken(signal);
      const record: StoredToken = {
        accessToken: grant.accessToken,
        expiresInSeconds: grant.expiresInSeconds,
        obtainedAtWallMs,
        generation: lease.generation,
      };
      // Sealed with the credentials that fetched it: a refusal may have rotated them meanwhile.
      const sealed = this.cipherInUse().seal(JSON.stringify(record), this.tokenKey);
      // Another client id now: the lease's generation counts in the old keys, so nothing is
      // stored under the new ones (its replicas fetch, and the next leader stores).
      if (this.leaseKey !== leaseKey) return { grant, obtainedAtWallMs, source: 'endpoint' };
      await this.attempt(() => this.store.set(this.tokenKey, sealed, grant.expiresInSeconds * 1000));
      await this.attempt(() => this.raiseFloor(lease.generation));
      this.remember(record);
      return { grant, obtainedAtWallMs, source: 'endpoint' };
    } catch (error) {
      // A failing endpoint keeps the lease for its backoff (Retry-After, if it sent one): the
      // replicas waiting on it then wait too, instead of trying one right after another.
      holdFor = Math.min(this.config.retry.maxDelayMs, Math.max(this.config.retry.initialDelayMs, retryAfterMsOf(error) ?? 0));
      throw error;
    } finally {
      if (holdFor > 0 && !signal.aborted && !this.closed) await this.hold(lease, holdFor);
      else await this.attempt(() => lease.release());
    }
  }

  /** Keeps the lease `ms` more, beyond its own expiry if that comes sooner, then gives it back. */
  private async hold(lease: DinteroTokenLease, ms: number): Promise<void> {
    await this.letGo();
    await this.attempt(() => lease.extend(ms + HOLD_MARGIN_MS));
    const timer = this.clock.setTimer(() => {
      if (this.heldLease?.lease !== lease) return;
      this.heldLease = undefined;
      void this.attempt(() => lease.release());
    }, ms);
    this.heldLease = { timer, lease };
  }

  /** Gives back a lease still held after a failure. */
  private async letGo(): Promise<void> {
    const held = this.heldLease;
    if (!held) return;
    this.heldLease = undefined;
    this.clock.clearTimer(held.timer);
    await this.attempt(() => held.lease.release());
  }

  /** Keeps every replica from taking a token Dintero refused: the floor moves past its generation. */
  private async refuse(accessToken: string): Promise<void> {
    const generation = this.generations.get(accessToken);
    if (generation !== undefined) await this.attempt(() => this.raiseFloor(generation + 1));
  }

  /**
   * No replica raises the floor above the newest lease, and this one holds it: a floor above
   * (or no number at all) was written by someone else, and would keep every token out of use
   * for good (the floor never goes down). It is put back to the stored token's generation (the
   * newest stored; should that one have been refused, its next 401 refuses it again).
   */
  private async repairFloor(generation: number): Promise<void> {
    const floor = await this.store.get(this.floorKey);
    if (floor === undefined || Number(floor) <= generation) return;
    const stored = await this.read();
    const putBack = stored?.generation ?? 0;
    await this.store.set(this.floorKey, String(putBack), FLOOR_TTL_MS);
    const message = `the generation floor was above every lease taken so far (${generation}): put back to ${putBack}`;
    this.bus.emit({ type: 'store-distrusted', key: 'floor', message });
  }

  private raiseFloor(generation: number): Promise<void> {
    return this.store.raise(this.floorKey, generation, FLOOR_TTL_MS);
  }

  /** Starts listening for stored tokens; undefined when the store cannot tell (then we poll). */
  private async watch(listener: () => void): Promise<(() => void) | undefined> {
    const unwatch = await this.attempt(() => this.store.watch(this.tokenKey, listener));
    return unwatch === 'failed' ? undefined : unwatch;
  }

  /**
   * Good for a replica that needs a token: not one it is replacing, not below the floor or older
   * than one it has taken, and younger than the start of its refresh window (so that it does
   * not refresh again at once).
   */
  private isFresh(stored: StoredToken & { floor?: number }, unwanted: ReadonlySet<string>): boolean {
    if (unwanted.has(stored.accessToken)) return false;
    if (stored.generation < (stored.floor ?? 0) || stored.generation < this.newestGeneration) return false;
    const age = this.clock.wallNow() - stored.obtainedAtWallMs;
    return age > -CLOCK_SKEW_TOLERANCE_MS && age < stored.expiresInSeconds * 1000 * this.config.refresh.windowStart;
  }

  private take(stored: StoredToken): SourcedToken {
    this.remember(stored);
    return {
      grant: { accessToken: stored.accessToken, expiresInSeconds: stored.expiresInSeconds },
      obtainedAtWallMs: stored.obtainedAtWallMs,
      source: 'store',
    };
  }

  private remember(stored: StoredToken): void {
    this.newestGeneration = Math.max(this.newestGeneration, stored.generation);
    this.generations.set(stored.accessToken, stored.generation);
    if (this.generations.size > GENERATIONS_KEPT) this.generations.delete(this.generations.keys().next().value!);
  }

  private async read(): Promise<(StoredToken & { floor?: number }) | undefined> {
    const [sealed, floor] = await Promise.all([this.store.get(this.tokenKey), this.store.get(this.floorKey)]);
    if (sealed === undefined) return undefined;
    // Sealed with another secret (a rotation in progress) or tampered with: as good as absent.
    const cipher = this.cipherInUse();
    const plain = cipher.open(sealed, this.tokenKey);
    if (plain === undefined) {
      this.noteForeignKey(cipher.foreignKeyId(sealed));
      return undefined;
    }
    const parsed = JSON.parse(plain) as Partial<StoredToken>;
    const valid =
      typeof parsed.accessToken === 'string' &&
      typeof parsed.expiresInSeconds === 'number' &&
      typeof parsed.obtainedAtWallMs === 'number' &&
      typeof parsed.generation === 'number';
    return valid ? { ...(parsed as StoredToken), floor: floor === undefined ? undefined : Number(floor) } : undefined;
  }

  /** Says once per key that the store holds a token of another secret: expected while replicas rotate. */
  private noteForeignKey(keyId: string | undefined): void {
    if (keyId === undefined || this.foreignKeys.has(keyId)) return;
    if (this.foreignKeys.size >= FOREIGN_KEYS_KEPT) this.foreignKeys.clear();
    this.foreignKeys.add(keyId);
    this.bus.emit({ type: 'store-key-mismatch' });
  }

  /** Runs a store operation; a failure marks the store down (once) and yields `failed`. */
  private async attempt<T>(operation: () => Promise<T>): Promise<T | 'failed'> {
    try {
      const result = await operation();
      if (this.storeDown) {
        this.storeDown = false;
        this.bus.emit({ type: 'store-recovered' });
      }
      return result;
    } catch (error) {
      if (!this.storeDown && !this.closed) {
        this.storeDown = true;
        const message = error instanceof Error ? error.message : String(error);
        this.bus.emit({ type: 'store-failed', message });
      }
      return 'failed';
    }
  }
}
