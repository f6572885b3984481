/**
 * Where replicas share a token. Values are opaque strings (the module encrypts them before they
 * get here); keys come namespaced, all with one hash tag (`{...}`) so that a Redis Cluster keeps
 * them in one slot. Every method may fail: the module then fetches on its own and tries the
 * store again next time. Whoever creates a store closes it: the module closes the one given in
 * its options when the application shuts down.
 */
export interface DinteroTokenStore {
  /** The value under `key`, or undefined when there is none (or it expired). */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs`, and tells the watchers of `key`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Takes the lease named `key` for `ttlMs` if nobody holds it: the holder is the one replica
   * that fetches. Undefined when someone else holds it. A holder that dies loses it at `ttlMs`;
   * a lease left without an expiry (by a bug or an operator) counts as not held, and so does
   * one with more than `maxHeldMs` left (longer than any replica of this configuration holds
   * one: set by someone else, or by a replica with a far longer deadline that died). A store
   * that ignores `maxHeldMs` still works: waiting replicas give up on such a lease after a while.
   */
  acquireLease(key: string, ttlMs: number, maxHeldMs?: number): Promise<DinteroTokenLease | undefined>;
  /**
   * Calls `listener` each time `set()` stores under `key`, from any replica; resolves once
   * listening, with a function that stops, so that waiting replicas wake at once. A store that
   * cannot tell resolves `undefined`: waiting replicas then poll.
   */
  watch(key: string, listener: () => void): Promise<(() => void) | undefined>;
  /**
   * Stores `value` under `key` for `ttlMs` unless a value is there, atomically: resolves
   * `undefined` when it stored, or the value already there. The replay check of callbacks and
   * webhooks: whoever claims a delivery first handles it.
   */
  claim(key: string, value: string, ttlMs: number): Promise<string | undefined>;
  /** Raises the number under `key` to at least `value` (never lowers it); kept for `ttlMs`. */
  raise(key: string, value: number, ttlMs: number): Promise<void>;
  /** Frees what the store holds (connections it opened). */
  close(): Promise<void>;
}

/** A held lease. */
export interface DinteroTokenLease {
  /**
   * Grows with every lease taken under the same key: tokens carry the generation of the lease
   * their fetch held, so that an older token is never taken over a newer one.
   */
  readonly generation: number;
  /** Gives the lease back, if it is still this holder's (a fencing value guards it). */
  release(): Promise<void>;
  /** Keeps the lease `ttlMs` more from now, if it is still this holder's; resolves whether it is. */
  extend(ttlMs: number): Promise<boolean>;
}
