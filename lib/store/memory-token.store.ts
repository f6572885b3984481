import { randomUUID } from 'node:crypto';
import type { DinteroTokenLease, DinteroTokenStore } from './dintero-token.store.js';

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

/**
 * A token store in this process's memory. One instance shared by several module registrations
 * (several apps in one process, or tests) makes them behave as replicas sharing a store.
 */
export class MemoryTokenStore implements DinteroTokenStore {
  private readonly entries = new Map<string, Entry>();

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.live(key)?.value);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    return Promise.resolve();
  }

  acquireLease(key: string, ttlMs: number): Promise<DinteroTokenLease | undefined> {
    if (this.live(key)) return Promise.resolve(undefined);
    const fence = randomUUID();
    this.entries.set(key, { value: fence, expiresAt: Date.now() + ttlMs });
    return Promise.resolve({
      release: () => {
        if (this.live(key)?.value === fence) this.entries.delete(key);
        return Promise.resolve();
      },
    });
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) this.entries.delete(key);
    return entry && entry.expiresAt > Date.now() ? entry : undefined;
  }
}
