/** What the eviction policy sees of a held account. */
export interface EvictionCandidate {
  /** When it was last handed out or last finished a call (monotonic ms). */
  readonly lastUsedAt: number;
  /** Open and with no call in flight: closing it interrupts nothing. */
  readonly evictable: boolean;
}

/**
 * Accounts unused for `idleTimeoutMs`, given least recently used first: the walk stops at the
 * first account used since, as every later one was too. Busy accounts stay.
 */
export function idleEvictions<K>(candidates: Iterable<[K, EvictionCandidate]>, now: number, idleTimeoutMs: number): K[] {
  const evicted: K[] = [];
  for (const [key, candidate] of candidates) {
    if (now - candidate.lastUsedAt < idleTimeoutMs) break;
    if (candidate.evictable) evicted.push(key);
  }
  return evicted;
}

/**
 * The least recently used idle accounts to drop so that at most `maxAccounts` are held. With
 * too few idle ones, fewer: the busy ones are dropped once idle, never under a call.
 */
export function capacityEvictions<K>(candidates: Iterable<[K, EvictionCandidate]>, held: number, maxAccounts: number): K[] {
  const evicted: K[] = [];
  for (const [key, candidate] of candidates) {
    if (held - evicted.length <= maxAccounts) break;
    if (candidate.evictable) evicted.push(key);
  }
  return evicted;
}

/** When the next account falls idle, if one can: the least recently used evictable one's time. */
export function nextIdleCheckAt<K>(candidates: Iterable<[K, EvictionCandidate]>, idleTimeoutMs: number): number | undefined {
  for (const [, candidate] of candidates) if (candidate.evictable) return candidate.lastUsedAt + idleTimeoutMs;
  return undefined;
}
