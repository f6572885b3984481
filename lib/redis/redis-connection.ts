import type { Cluster, Redis } from 'ioredis';
import { systemClock, type TimerHandle } from '../token/clock.js';

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
      systemClock.clearTimer(timer);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => done();
    const onEnd = () => done(new Error('Redis connection closed'));
    // Redis bounds are real time on real sockets, and a store is built without a clock: the system clock.
    const timer = systemClock.setTimer(() => done(new Error('Redis is not connected')), timeoutMs);
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
}

/** `command`, or a rejection after `timeoutMs`: a client may queue commands while Redis is away. */
export function withinTimeout<T>(command: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: TimerHandle | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = systemClock.setTimer(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  // If the bound wins, the command may still fail later: that must not be an unhandled rejection.
  command.catch(() => undefined);
  return Promise.race([command, timeout]).finally(() => systemClock.clearTimer(timer!));
}
