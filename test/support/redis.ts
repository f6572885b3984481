import { Redis } from 'ioredis';

/** The Redis the shared-store tests run against; `.ci/run` always sets it. */
export const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('SKIPPED: the shared token store tests need Redis; set REDIS_URL=redis://127.0.0.1:6379');

/** A plain client for looking behind the store. */
export function inspectRedis(): Redis {
  return new Redis(REDIS_URL!, { lazyConnect: false, maxRetriesPerRequest: 1 });
}
