import type { DinteroTokenLease, DinteroTokenStore } from '../../lib/index.js';
import { MemoryTokenStore } from '../../lib/index.js';

/** One call a replica made to its store. */
export interface StoreCall {
  readonly method: 'get' | 'set' | 'acquireLease' | 'watch' | 'raise';
  readonly key: string;
  readonly ttlMs?: number;
}

/**
 * A store as a user might write one: a real {@link MemoryTokenStore} underneath, that can be
 * made to fail, can lack the optional methods, and records what replicas asked of it.
 */
export class InstrumentedStore implements DinteroTokenStore {
  readonly calls: StoreCall[] = [];
  /** While true, every operation rejects, as a store that lost its server. */
  failing = false;
  closes = 0;
  watchers = 0;
  /** Runs inside the next `acquireLease`, before the lease is taken: another replica's turn. */
  beforeNextLease: (() => Promise<unknown>) | undefined;
  readonly watch?: DinteroTokenStore['watch'];
  readonly raise?: DinteroTokenStore['raise'];
  readonly close?: DinteroTokenStore['close'];
  private readonly extend: boolean;

  /** Without `watch`, `raise`, `close` or a lease's `extend`: the optional parts a store may lack. */
  constructor(
    readonly inner = new MemoryTokenStore(),
    {
      watch = true,
      raise = true,
      close = true,
      extend = true,
    }: { watch?: boolean; raise?: boolean; close?: boolean; extend?: boolean } = {},
  ) {
    if (watch) this.watch = (key, listener) => this.watchKey(key, listener);
    if (raise) this.raise = (key, value, ttlMs) => this.call({ method: 'raise', key, ttlMs }, () => inner.raise(key, value, ttlMs));
    if (close)
      this.close = () => {
        this.closes += 1;
        return Promise.resolve();
      };
    this.extend = extend;
  }

  get(key: string): Promise<string | undefined> {
    return this.call({ method: 'get', key }, () => this.inner.get(key));
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.call({ method: 'set', key, ttlMs }, () => this.inner.set(key, value, ttlMs));
  }

  async acquireLease(key: string, ttlMs: number): Promise<DinteroTokenLease | undefined> {
    const turn = this.beforeNextLease;
    this.beforeNextLease = undefined;
    await turn?.();
    const lease = await this.call({ method: 'acquireLease', key, ttlMs }, () => this.inner.acquireLease(key, ttlMs));
    return lease && !this.extend ? { generation: lease.generation, release: () => lease.release() } : lease;
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
      unwatch();
    };
  }

  private call<T>(call: StoreCall, operation: () => Promise<T>): Promise<T> {
    this.calls.push(call);
    return this.failing ? Promise.reject(new Error(`store down (${call.method})`)) : operation();
  }
}
