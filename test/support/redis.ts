import { Redis } from 'ioredis';
import type { FakeDinteroClient, FakeDinteroServer } from '../../lib/fake-dintero/index.js';
import { normalizeOptions } from '../../lib/options/normalize-options.js';
import { storeNamespace } from '../../lib/store/shared-token.source.js';

/** The Redis the shared-store tests run against; `.ci/run` always sets it. */
export const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) console.warn('SKIPPED: the shared token store tests need Redis; set REDIS_URL=redis://127.0.0.1:6379');

/** A plain client for looking behind the store. */
export function inspectRedis(): Redis {
  return new Redis(REDIS_URL!, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/**
 * Deletes whatever an earlier test left in Redis for these clients of `fake`. A fresh fake gets a
 * fresh port, hence fresh keys, but the system may hand out a port again, and a token left
 * under it would then answer the next test's first request.
 */
export async function clearStoredTokens(raw: Redis, fake: FakeDinteroServer, clients: readonly FakeDinteroClient[]): Promise<void> {
  for (const { accountId, clientId, clientSecret } of clients) {
    const namespace = storeNamespace(
      normalizeOptions({ accountId, clientId, clientSecret, baseUrl: fake.baseUrl, allowInsecureLoopback: true }),
    );
    const keys = await raw.keys(`${namespace}*`);
    if (keys.length > 0) await raw.del(...keys);
  }
}
