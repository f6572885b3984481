import type { DinteroTokenLease, DinteroTokenStore } from '../../lib/index.js';
import { MemoryTokenStore } from '../../lib/index.js';

/** One call a replica made to its store. */
export interface StoreCall {
  readonly method: 'get' | 'set' | 'acquireLease' | 'watch' | 'claim' | 'raise';
  readonly key: string;
  readonly ttlMs?: number;
}

/**
 * A store as a user might write one: a real {@link MemoryTokenStore} underneath, that can be
 * made to fail, can be weaker where the contract allows, and records what replicas asked of it.
 */
export class InstrumentedStore implements DinteroTokenStore {
  readonly calls: StoreCall[] = [];
  /** While true, every operation rejects, as a store that lost its server. */
  failing = false;
  closes = 0;
  watchers = 0;
  /** Runs inside the next `acquireLease`, before the lease is taken: another replica's turn. */
  beforeNextLease: (() => Promise<unknown>) | undefined;
  private readonly watchable: boolean;
  private readonly raises: boolean;
  private readonly extend: boolean;
  private readonly longestLease: boolean;

  /**
   * Weaker than the store underneath where asked, as the contract allows: `watch: false` cannot
   * tell when a token lands (watch resolves undefined), `raise: false` keeps no floor (raise does
   * nothing), `extend: false` cannot extend a lease (extend resolves false), `longestLease: false`
   * trusts a lease however long it is held (ignores `maxHeldMs`).
   */
  constructor(
    readonly inner = new MemoryTokenStore(),
    {
      watch = true,
      raise = true,
      extend = true,
      longestLease = true,
    }: { watch?: boolean; raise?: boolean; extend?: boolean; longestLease?: boolean } = {},
  ) {
    this.watchable = watch;
    this.raises = raise;
    this.extend = extend;
    this.longestLease = longestLease;
  }

  watch(key: string, listener: () => void): Promise<(() => void) | undefined> {
    return this.watchable ? this.watchKey(key, listener) : Promise.resolve(undefined);
  }

  claim(key: string, value: string, ttlMs: number): Promise<string | undefined> {
    return this.call({ method: 'claim', key, ttlMs }, () => this.inner.claim(key, value, ttlMs));
  }

  raise(key: string, value: number, ttlMs: number): Promise<void> {
    return this.call({ method: 'raise', key, ttlMs }, () => (this.raises ? this.inner.raise(key, value, ttlMs) : Promise.resolve()));
  }

  close(): Promise<void> {
    this.closes += 1;
    return Promise.resolve();
  }

  get(key: string): Promise<string | undefined> {
    return this.call({ method: 'get', key }, () => this.inner.get(key));
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.call({ method: 'set', key, ttlMs }, () => this.inner.set(key, value, ttlMs));
  }

  async acquireLease(key: string, ttlMs: number, maxHeldMs?: number): Promise<DinteroTokenLease | undefined> {
    const turn = this.beforeNextLease;
    this.beforeNextLease = undefined;
    await turn?.();
    const trusted = this.longestLease ? maxHeldMs : undefined;
    const lease = await this.call({ method: 'acquireLease', key, ttlMs }, () => this.inner.acquireLease(key, ttlMs, trusted));
    return lease && !this.extend ? { ...lease, extend: () => Promise.resolve(false) } : lease;
  }

  /** How many times `method` was called. */
  count(method: StoreCall['method']): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  private async watchKey(key: string, listener: () => void): Promise<() => void> {
    const unwatch = await this.call({ method: 'watch', key }, () => this.inner.watch(key, listener));
    this.watchers += 1;
    return () => {
      this.watchers -= 1;
      unwatch?.();
    };
  }

  private call<T>(call: StoreCall, operation: () => Promise<T>): Promise<T> {
    this.calls.push(call);
    return this.failing ? Promise.reject(new Error(`store down (${call.method})`)) : operation();
  }
}
