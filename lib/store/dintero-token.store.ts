/**
 * Where replicas share a token. Values are opaque strings (the module encrypts them before they
 * get here); keys come namespaced. Every method may fail: the module then fetches on its own
 * and tries the store again next time.
 */
export interface DinteroTokenStore {
  /** The value under `key`, or undefined when there is none (or it expired). */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs`, and lets waiting replicas know. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Takes the lease named `key` for `ttlMs` if nobody holds it: the holder is the one replica
   * that fetches. Undefined when someone else holds it. A holder that dies loses it at `ttlMs`.
   */
  acquireLease(key: string, ttlMs: number): Promise<DinteroTokenLease | undefined>;
  /** Frees what the store holds (connections it opened); called on module shutdown. */
  close?(): Promise<void>;
}

/** A held lease. */
export interface DinteroTokenLease {
  /** Gives the lease back, if it is still this holder's (a fencing value guards it). */
  release(): Promise<void>;
}
