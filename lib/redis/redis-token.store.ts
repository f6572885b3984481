import { Redis, type RedisOptions } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { DinteroTokenLease, DinteroTokenStore } from '../store/dintero-token.store.js';

/** Deletes the lease only if it still holds this holder's fencing value. */
const RELEASE_IF_HELD = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Options of {@link RedisTokenStore}: your own ioredis client, or a URL to open one. */
export interface RedisTokenStoreOptions {
  /** An ioredis client of yours; the store never closes it. */
  client?: Redis;
  /** A Redis URL (`redis://host:6379/0`); the store opens, and closes, its own client. */
  url?: string;
  /** Longest wait for one Redis command before it counts as failed. Default 500 ms. */
  commandTimeoutMs?: number;
}

/**
 * A token store on Redis (ioredis): `GET`/`SET PX` for the token, `SET NX PX` with a fencing
 * value for the refresh lease, released by its holder only (a Lua compare-and-delete). Commands
 * fail fast instead of queueing while Redis is away, so a dead Redis costs a replica milliseconds,
 * never a stall.
 */
export class RedisTokenStore implements DinteroTokenStore {
  private readonly client: Redis;
  private readonly owned: boolean;
  private readonly commandTimeoutMs: number;
  /** One wait for the connection, shared by every command issued meanwhile. */
  private connecting: Promise<void> | undefined;

  constructor(options: RedisTokenStoreOptions) {
    if (!options.client && !options.url) throw new Error('RedisTokenStore needs a client or a url');
    this.commandTimeoutMs = options.commandTimeoutMs ?? 500;
    this.owned = !options.client;
    this.client = options.client ?? new Redis(options.url!, RedisTokenStore.clientOptions(this.commandTimeoutMs));
    // ioredis reports connection trouble as 'error' events; the failing commands already tell us.
    if (this.owned) this.client.on('error', () => undefined);
  }

  /** ioredis options for a client that fails fast rather than waiting for Redis to come back. */
  static clientOptions(commandTimeoutMs = 500): RedisOptions {
    return {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: commandTimeoutMs * 2,
      commandTimeout: commandTimeoutMs,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      lazyConnect: false,
    };
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.run(() => this.client.get(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run(() => this.client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs))));
  }

  async acquireLease(key: string, ttlMs: number): Promise<DinteroTokenLease | undefined> {
    const fence = randomUUID();
    const won = await this.run(() => this.client.set(key, fence, 'PX', Math.max(1, Math.round(ttlMs)), 'NX'));
    if (won !== 'OK') return undefined;
    return { release: async () => void (await this.run(() => this.client.eval(RELEASE_IF_HELD, 1, key, fence))) };
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    await this.client.quit().catch(() => this.client.disconnect());
  }

  /** Runs a command once the connection is up (a fresh client is still connecting), both bounded. */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    if (this.client.status !== 'ready') {
      this.connecting ??= this.ready().finally(() => (this.connecting = undefined));
      await this.bounded(this.connecting);
    }
    return this.bounded(command());
  }

  private ready(): Promise<void> {
    // A client made with lazyConnect waits for its first connect().
    if (this.client.status === 'wait') this.client.connect().catch(() => undefined);
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        this.client.off('ready', onReady);
        this.client.off('end', onEnd);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => done();
      const onEnd = () => done(new Error('Redis connection closed'));
      // Gives up a little after bounded() would, so that its listeners never outlive it.
      const timer = setTimeout(() => done(new Error('Redis is not connected')), this.commandTimeoutMs + 50);
      timer.unref();
      this.client.once('ready', onReady);
      this.client.once('end', onEnd);
    });
  }

  /** A user's client may queue commands while Redis is away: never wait longer than the bound. */
  private bounded<T>(command: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.commandTimeoutMs} ms`)), this.commandTimeoutMs);
      timer.unref();
    });
    // If the bound wins, the command may still fail later: that must not be an unhandled rejection.
    command.catch(() => undefined);
    return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
  }
}
