import type { Cluster, Redis } from 'ioredis';

/** A single Redis or a Redis Cluster: the commands used here exist on both. */
export type RedisClient = Redis | Cluster;

/**
 * Resolves once `client` is ready, connecting it first if it was made with `lazyConnect`;
 * rejects after `timeoutMs`, or when the connection ends, and leaves no listener behind.
 */
export function whenReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'wait') client.connect().catch(() => undefined);
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      client.off('ready', onReady);
      client.off('end', onEnd);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => done();
    const onEnd = () => done(new Error('Redis connection closed'));
    const timer = setTimeout(() => done(new Error('Redis is not connected')), timeoutMs);
    timer.unref();
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
}

/** `command`, or a rejection after `timeoutMs`: a client may queue commands while Redis is away. */
export function withinTimeout<T>(command: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  // If the bound wins, the command may still fail later: that must not be an unhandled rejection.
  command.catch(() => undefined);
  return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
}
