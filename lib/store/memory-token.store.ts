import { randomUUID } from 'node:crypto';
import { systemClock } from '../token/clock.js';
import type { DinteroTokenLease, DinteroTokenStore } from './dintero-token.store.js';

interface Entry {
  readonly value: string;
  expiresAt: number;
}

/**
 * A token store in this process's memory. One instance shared by several module registrations
 * (several apps in one process, or tests) makes them behave as replicas sharing a store.
 */
export class MemoryTokenStore implements DinteroTokenStore {
  private readonly entries = new Map<string, Entry>();
  private readonly generations = new Map<string, number>();
  private readonly watchers = new Map<string, Set<() => void>>();

  /** `clock`: whose monotonic time the TTLs run on (a `ManualClock` in tests); the system's by default. */
  constructor(private readonly clock: { now(): number } = systemClock) {}

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.live(key)?.value);
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.clock.now() + ttlMs });
    for (const listener of [...(this.watchers.get(key) ?? [])]) listener();
    return Promise.resolve();
  }

  acquireLease(key: string, ttlMs: number, maxHeldMs?: number): Promise<DinteroTokenLease | undefined> {
    const held = this.live(key);
    if (held && (maxHeldMs === undefined || held.expiresAt - this.clock.now() <= maxHeldMs)) return Promise.resolve(undefined);
    const fence = randomUUID();
    const entry: Entry = { value: fence, expiresAt: this.clock.now() + ttlMs };
    this.entries.set(key, entry);
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const holds = () => this.live(key) === entry;
    return Promise.resolve({
      generation,
      release: () => {
        if (holds()) this.entries.delete(key);
        return Promise.resolve();
      },
      extend: (more: number) => {
        if (holds()) entry.expiresAt = this.clock.now() + more;
        return Promise.resolve(holds());
      },
    });
  }

  watch(key: string, listener: () => void): Promise<() => void> {
    const listeners = this.watchers.get(key) ?? new Set();
    this.watchers.set(key, listeners.add(listener));
    return Promise.resolve(() => {
      listeners.delete(listener);
      if (listeners.size === 0) this.watchers.delete(key);
    });
  }

  claim(key: string, value: string, ttlMs: number): Promise<string | undefined> {
    const held = this.live(key);
    if (held) return Promise.resolve(held.value);
    this.entries.set(key, { value, expiresAt: this.clock.now() + ttlMs });
    return Promise.resolve(undefined);
  }

  raise(key: string, value: number, ttlMs: number): Promise<void> {
    const current = Number(this.live(key)?.value ?? Number.NEGATIVE_INFINITY);
    this.entries.set(key, { value: String(Math.max(current, value)), expiresAt: this.clock.now() + ttlMs });
    return Promise.resolve();
  }

  /** Nothing to free: the entries are plain memory, and other registrations may still share them. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.clock.now()) this.entries.delete(key);
    return entry && entry.expiresAt > this.clock.now() ? entry : undefined;
  }
}
