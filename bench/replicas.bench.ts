/**
 * Scenario 5, many replicas: R replicas (Nest apps in one process, each with its own Redis
 * connection) start cold and all ask for a token at once, without and with the shared store.
 */
import { Redis } from 'ioredis';
import { performance } from 'node:perf_hooks';
import { RedisTokenStore } from 'nestjs-dintero-auth/redis';
import { FakeDinteroProcess } from './support/fake-dintero.client.js';
import { type OurClient, startOurClient } from './support/our-client.js';
import { report } from './support/report.js';
import { percentile, round } from './support/stats.js';

const SIZES = [1, 10, 50];
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const fake = await FakeDinteroProcess.start();
const rows: Record<string, unknown>[] = [];

async function coldStart(count: number, shared: boolean): Promise<{ requests: number; latencies: number[] }> {
  await fake.send({ cmd: 'reset' });
  // No run may find a token left in Redis by the one before.
  const redis = new Redis(REDIS_URL);
  const leftovers = await redis.keys('dintero-auth:*');
  if (leftovers.length > 0) await redis.del(...leftovers);
  redis.disconnect();
  const replicas: OurClient[] = [];
  for (let i = 0; i < count; i += 1) {
    replicas.push(await startOurClient(fake.baseUrl, fake.client, shared ? { store: new RedisTokenStore({ url: REDIS_URL }) } : {}));
  }
  await new Promise((resolve) => setTimeout(resolve, 300)); // let Redis connections come up
  const latencies = await Promise.all(
    replicas.map(async (replica) => {
      const started = performance.now();
      await replica.tokens.getToken();
      return performance.now() - started;
    }),
  );
  const { tokenRequests } = await fake.counts();
  await Promise.all(replicas.map((replica) => replica.app.close()));
  return { requests: tokenRequests, latencies };
}

for (const count of SIZES) {
  const alone = await coldStart(count, false);
  const shared = await coldStart(count, true);
  rows.push({
    replicas: count,
    'token requests (alone)': alone.requests,
    'token requests (shared store)': shared.requests,
    'first call p50 ms (alone)': round(percentile(alone.latencies, 0.5)),
    'first call p99 ms (alone)': round(percentile(alone.latencies, 0.99)),
    'first call p50 ms (shared)': round(percentile(shared.latencies, 0.5)),
    'first call p99 ms (shared)': round(percentile(shared.latencies, 0.99)),
  });
}
await fake.stop();
report(
  'replicas',
  '5. Many replicas: cold start with and without the shared store',
  { sizes: SIZES, redis: 'local Redis 7 on loopback' },
  rows,
  ['Target: one token request for the whole cluster with the shared store, whatever the number of replicas.'],
);
