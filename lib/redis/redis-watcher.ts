import { Cluster } from 'ioredis';
import { type RedisClient, whenReady, withinTimeout } from './redis-connection.js';

/**
 * Pub/sub for {@link RedisTokenStore.watch}: one subscriber connection (a duplicate of the
 * store's client, opened on the first watch), one channel per watched key, many listeners.
 */
export class RedisWatcher {
  private subscriber: RedisClient | undefined;
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(
    private readonly client: RedisClient,
    private readonly timeoutMs: number,
  ) {}

  async watch(channel: string, listener: () => void): Promise<() => void> {
    const subscriber = this.connection();
    await whenReady(subscriber, this.timeoutMs * 2);
    let listeners = this.listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(channel, listeners);
      await withinTimeout(subscriber.subscribe(channel), this.timeoutMs).catch((error: unknown) => {
        this.listeners.delete(channel);
        throw error;
      });
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0 || this.listeners.get(channel) !== listeners) return;
      this.listeners.delete(channel);
      subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }

  close(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.listeners.clear();
  }

  private connection(): RedisClient {
    if (this.subscriber) return this.subscriber;
    // ioredis' own resubscribe after a reconnect rejects unhandled when Redis goes away again:
    // this one subscribes again itself, and hears every failure.
    const subscriber =
      this.client instanceof Cluster
        ? this.client.duplicate(undefined, { lazyConnect: true })
        : this.client.duplicate({ lazyConnect: true, autoResubscribe: false });
    // Connection trouble shows as failing watches; the store then polls.
    subscriber.on('error', () => undefined);
    subscriber.on('ready', () => {
      const channels = [...this.listeners.keys()];
      if (channels.length > 0 && !(this.client instanceof Cluster)) subscriber.subscribe(...channels).catch(() => undefined);
    });
    subscriber.on('message', (channel: string) => {
      for (const listener of [...(this.listeners.get(channel) ?? [])]) listener();
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}
