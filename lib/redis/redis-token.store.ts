import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { type Cluster, Redis, type RedisOptions } from 'ioredis';
import type { DinteroTokenLease, DinteroTokenStore } from '../store/dintero-token.store.js';
import { type RedisClient, whenReady, withinTimeout } from './redis-connection.js';
import { RedisWatcher } from './redis-watcher.js';
import { MAX_TOKEN_LIFETIME_SECONDS } from '../token/refresh-policy.js';

// Each script keeps one decision atomic on the server, on the server's clock.
/**
 * Takes the lease unless it is held with an expiry of at most ARGV[4] ms left (one without an
 * expiry, or with more left than any replica holds one, counts as stale), and counts generations.
 */
const ACQUIRE = `local left = redis.call('pttl', KEYS[1])
local trusted = tonumber(ARGV[4])
if left >= 0 and (trusted < 0 or left <= trusted) then return false end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
local generation = redis.call('incr', KEYS[2])
redis.call('pexpire', KEYS[2], ARGV[3])
return generation`;
/** Deletes the lease only if it still holds this holder's fencing value. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Extends the lease only if it still holds this holder's fencing value. */
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Stores, then tells the watchers of the key. */
const SET_AND_PUBLISH = `redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('publish', KEYS[1], '1')
return 1`;
/** Stores unless a value is there; answers the value there, or nothing when it stored. */
const CLAIM = `local held = redis.call('get', KEYS[1])
if held then return held end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;
/** Raises a number, never lowers it. */
const RAISE = `local current = tonumber(redis.call('get', KEYS[1]))
if current == nil or tonumber(ARGV[1]) > current then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) else redis.call('pexpire', KEYS[1], ARGV[2]) end
return 1`;

/** Generation counters outlive any token. */
const GENERATION_TTL_MS = MAX_TOKEN_LIFETIME_SECONDS * 1000;

/** Options of {@link RedisTokenStore}: your own ioredis client (or Cluster), or a URL to open one. */
export interface RedisTokenStoreOptions {
  /** An ioredis client or Cluster of yours; the store never closes it. */
  client?: Redis | Cluster;
  /** A Redis URL (`redis://host:6379/0`); the store opens its own client on first use, and closes it. */
  url?: string;
  /** Longest wait for one Redis command before it counts as failed. Default 500 ms. */
  commandTimeoutMs?: number;
}

/**
 * A token store on Redis (ioredis, single or Cluster): `GET`/`SET PX` for the token, published
 * on a channel so that waiting replicas wake at once, and `SET PX` with a fencing value for the
 * refresh lease, released or extended by its holder only. Commands fail fast instead of queueing
 * while Redis is away, so a dead Redis costs a replica milliseconds, never a stall. Nothing
 * connects until the first command: importing an app module opens no connection.
 */
export class RedisTokenStore implements DinteroTokenStore {
  private readonly client: RedisClient;
  private readonly owned: boolean;
  private readonly commandTimeoutMs: number;
  private readonly watcher: RedisWatcher;
  /** One wait for the connection, shared by every command issued meanwhile. */
  private connecting: Promise<void> | undefined;

  constructor(options: RedisTokenStoreOptions) {
    if (!options.client && !options.url) throw new Error('RedisTokenStore needs a client or a url');
    this.commandTimeoutMs = options.commandTimeoutMs ?? 500;
    this.owned = !options.client;
    this.client = options.client ?? new Redis(options.url!, RedisTokenStore.clientOptions(this.commandTimeoutMs));
    // ioredis reports connection trouble as 'error' events; the failing commands already tell us.
    if (this.owned) this.client.on('error', () => undefined);
    this.watcher = new RedisWatcher(this.client, this.commandTimeoutMs);
  }

  /** ioredis options for a client that fails fast rather than waiting for Redis to come back. */
  static clientOptions(commandTimeoutMs = 500): RedisOptions {
    return {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: commandTimeoutMs * 2,
      commandTimeout: commandTimeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      lazyConnect: true,
    };
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.run(() => this.client.get(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run(() => this.client.eval(SET_AND_PUBLISH, 1, key, value, millis(ttlMs)));
  }

  async acquireLease(key: string, ttlMs: number, maxHeldMs?: number): Promise<DinteroTokenLease | undefined> {
    const fence = randomUUID();
    const trusted = maxHeldMs === undefined ? -1 : millis(maxHeldMs);
    const generation = await this.run(() =>
      this.client.eval(ACQUIRE, 2, key, `${key}:generation`, fence, millis(ttlMs), GENERATION_TTL_MS, trusted),
    );
    if (typeof generation !== 'number') return undefined;
    return {
      generation,
      release: async () => void (await this.run(() => this.client.eval(RELEASE, 1, key, fence))),
      extend: async (more) => (await this.run(() => this.client.eval(EXTEND, 1, key, fence, millis(more)))) === 1,
    };
  }

  watch(key: string, listener: () => void): Promise<() => void> {
    return this.watcher.watch(key, listener);
  }

  async claim(key: string, value: string, ttlMs: number): Promise<string | undefined> {
    const held = await this.run(() => this.client.eval(CLAIM, 1, key, value, millis(ttlMs)));
    return typeof held === 'string' ? held : undefined;
  }

  async raise(key: string, value: number, ttlMs: number): Promise<void> {
    await this.run(() => this.client.eval(RAISE, 1, key, value, millis(ttlMs)));
  }

  /** A summary: the client holds the connection's options, password included. */
  toJSON(): { store: string; status: string } {
    return { store: 'RedisTokenStore', status: this.client.status };
  }

  [inspect.custom](): string {
    return `RedisTokenStore { status: '${this.client.status}' }`;
  }

  async close(): Promise<void> {
    this.watcher.close();
    if (!this.owned) return;
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /** Runs a command once the connection is up (the first command opens it), both bounded. */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    if (this.client.status !== 'ready') {
      // Gives up a little after the bound would, so that its listeners never outlive it.
      this.connecting ??= whenReady(this.client, this.commandTimeoutMs + 50).finally(() => (this.connecting = undefined));
      await withinTimeout(this.connecting, this.commandTimeoutMs);
    }
    return withinTimeout(command(), this.commandTimeoutMs);
  }
}

function millis(ms: number): number {
  return Math.max(1, Math.round(ms));
}
