import { createHash } from 'node:crypto';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER_CONTEXT } from '../dintero-auth.constants.js';
import { DinteroTokenNetworkError } from '../errors/dintero-auth.errors.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';
import type { TokenGrant } from '../token/access-token.js';
import type { TokenEventBus } from '../token/token-event-bus.js';
import type { TokenSource } from '../token/token-source.js';
import type { DinteroTokenStore } from './dintero-token.store.js';
import { TokenCipher } from './token-cipher.js';

/** What is stored, encrypted, under the token key. */
interface StoredToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
  readonly obtainedAtWallMs: number;
}

/** How often a replica looks whether the leader has stored the new token. */
const POLL_MS = 50;

/** Wall clocks of replicas on different hosts differ a little: a token this much "from the future" is still fresh. */
const CLOCK_SKEW_TOLERANCE_MS = 5_000;

/** Registrations using each store: the last one to shut down closes it. */
const storeUsers = new WeakMap<DinteroTokenStore, number>();

/**
 * Keys for one client's tokens: a hash of everything that makes a token valid (base URL,
 * account, client, audience), so that a change in configuration never serves an old token.
 */
export function storeNamespace(config: DinteroAuthConfig): string {
  const identity = [config.baseUrl, config.accountId, config.credentials.clientId, config.audience].join('\n');
  return `dintero-auth:${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
}

/**
 * One token for many replicas: take a fresh enough token from the store, or win the lease and
 * fetch it from Dintero for everyone, or wait (bounded by the lease) for the replica that did.
 * A store that fails is a cache miss, never an outage: this replica then fetches on its own.
 */
export class SharedTokenSource implements TokenSource, OnApplicationShutdown {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private readonly namespace: string;
  private readonly tokenKey: string;
  private readonly leaseKey: string;
  private readonly cipher: TokenCipher;
  /** A leader gets the whole request timeout plus a margin before others may take over. */
  private readonly leaseMs: number;
  private storeDown = false;
  private closed = false;
  /** A lease kept a moment after a failed fetch; given back at once on shutdown. */
  private heldLease: { timer: NodeJS.Timeout; release: () => Promise<void> } | undefined;

  constructor(
    private readonly config: DinteroAuthConfig,
    private readonly store: DinteroTokenStore,
    private readonly endpoint: TokenSource,
    private readonly bus: TokenEventBus,
  ) {
    this.namespace = storeNamespace(config);
    this.tokenKey = `${this.namespace}:token`;
    this.leaseKey = `${this.namespace}:lease`;
    this.cipher = new TokenCipher(config.credentials.deriveKey(this.namespace, 'nestjs-dintero-auth/token-store/v1'));
    this.leaseMs = config.requestTimeoutMs + 5_000;
    storeUsers.set(store, (storeUsers.get(store) ?? 0) + 1);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.heldLease) {
      clearTimeout(this.heldLease.timer);
      await this.attempt(this.heldLease.release);
      this.heldLease = undefined;
    }
    const left = (storeUsers.get(this.store) ?? 1) - 1;
    storeUsers.set(this.store, left);
    if (left === 0) await this.store.close?.().catch(() => undefined);
  }

  async requestToken(signal: AbortSignal, unwanted: ReadonlySet<string> = new Set()): Promise<TokenGrant> {
    // Past one lease and a bit (jittered, so that followers do not all give up together), the
    // wait fails like a slow request: the service's own backoff then spaces the next try.
    const giveUpAt = Date.now() + this.leaseMs * (1.5 + Math.random() * 0.5);
    for (;;) {
      if (signal.aborted) throw new DinteroTokenNetworkError('aborted');
      const stored = await this.attempt(() => this.read());
      if (stored === 'failed') return this.endpoint.requestToken(signal, unwanted);
      if (stored && this.isFresh(stored, unwanted)) return this.toGrant(stored);

      const lease = await this.attempt(() => this.store.acquireLease(this.leaseKey, this.leaseMs));
      if (lease === 'failed') return this.endpoint.requestToken(signal, unwanted);
      if (lease) return this.fetchAsLeader(signal, unwanted, lease.release.bind(lease));

      // Another replica is fetching: wait for its token, bounded by its lease.
      if (Date.now() > giveUpAt) throw new DinteroTokenNetworkError('timeout', 'SHARED_FETCH_WAIT');
      await this.sleep(POLL_MS, signal);
    }
  }

  private async fetchAsLeader(signal: AbortSignal, unwanted: ReadonlySet<string>, release: () => Promise<void>): Promise<TokenGrant> {
    let holdFor = 0;
    try {
      // The previous leader may have stored a token between our read and our lease.
      const stored = await this.attempt(() => this.read());
      if (stored !== 'failed' && stored && this.isFresh(stored, unwanted)) return this.toGrant(stored);
      const obtainedAtWallMs = Date.now();
      const grant = await this.endpoint.requestToken(signal);
      const record: StoredToken = { accessToken: grant.accessToken, expiresInSeconds: grant.expiresInSeconds, obtainedAtWallMs };
      const sealed = this.cipher.seal(JSON.stringify(record), this.tokenKey);
      await this.attempt(() => this.store.set(this.tokenKey, sealed, grant.expiresInSeconds * 1000));
      return { ...grant, obtainedAtWallMs, source: 'endpoint' };
    } catch (error) {
      // A failing endpoint keeps the lease for its backoff (Retry-After, if it sent one): the
      // replicas waiting on it then wait too, instead of trying one right after another.
      const retryAfterMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
      holdFor = Math.min(this.config.retry.maxDelayMs, Math.max(this.config.retry.initialDelayMs, typeof retryAfterMs === 'number' ? retryAfterMs : 0));
      throw error;
    } finally {
      if (holdFor > 0 && !signal.aborted && !this.closed) this.holdLease(release, holdFor);
      else await this.attempt(release);
    }
  }

  private holdLease(release: () => Promise<void>, ms: number): void {
    const timer = setTimeout(() => {
      this.heldLease = undefined;
      void this.attempt(release);
    }, ms);
    timer.unref();
    this.heldLease = { timer, release };
  }

  /**
   * Good for a replica that needs a token: not one it is replacing, and younger than the start
   * of its refresh window (so that it does not refresh again at once).
   */
  private isFresh(stored: StoredToken, unwanted: ReadonlySet<string>): boolean {
    if (unwanted.has(stored.accessToken)) return false;
    const age = Date.now() - stored.obtainedAtWallMs;
    return age > -CLOCK_SKEW_TOLERANCE_MS && age < stored.expiresInSeconds * 1000 * this.config.refresh.windowStart;
  }

  private toGrant(stored: StoredToken): TokenGrant {
    return { accessToken: stored.accessToken, expiresInSeconds: stored.expiresInSeconds, obtainedAtWallMs: stored.obtainedAtWallMs, source: 'store' };
  }

  private async read(): Promise<StoredToken | undefined> {
    const sealed = await this.store.get(this.tokenKey);
    if (sealed === undefined) return undefined;
    // Sealed with another secret (a rotated one) or tampered with: as good as absent.
    const plain = this.cipher.open(sealed, this.tokenKey);
    if (plain === undefined) return undefined;
    const parsed = JSON.parse(plain) as Partial<StoredToken>;
    const valid = typeof parsed.accessToken === 'string' && typeof parsed.expiresInSeconds === 'number' && typeof parsed.obtainedAtWallMs === 'number';
    return valid ? (parsed as StoredToken) : undefined;
  }

  /** Runs a store operation; a failure marks the store down (once) and yields `failed`. */
  private async attempt<T>(operation: () => Promise<T>): Promise<T | 'failed'> {
    try {
      const result = await operation();
      if (this.storeDown) {
        this.storeDown = false;
        this.logger.log('Token store works again: sharing tokens with other replicas');
        this.bus.emit({ type: 'store-recovered' });
      }
      return result;
    } catch (error) {
      if (!this.storeDown && !this.closed) {
        this.storeDown = true;
        const message = error instanceof Error ? error.message : String(error);
        this.logger.warn(`Token store failed (${message}): fetching tokens without it until it works again`);
        this.bus.emit({ type: 'store-failed', message });
      }
      return 'failed';
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
