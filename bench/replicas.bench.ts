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

interface ColdStart {
  requests: number;
  latencies: number[];
  /** How long after the first replica had its token each other one had it: the follower's wake-up. */
  wakes: number[];
}

async function coldStart(count: number, shared: boolean): Promise<ColdStart> {
  await fake.send({ cmd: 'reset' });
  // No run may find a token left in Redis by the one before.
  const redis = new Redis(REDIS_URL);
  const leftovers = await redis.keys('dintero-auth:*');
  if (leftovers.length > 0) await redis.del(...leftovers);
  redis.disconnect();
  const replicas: OurClient[] = [];
  for (let i = 0; i < count; i += 1) {
    const store = shared ? new RedisTokenStore({ url: REDIS_URL }) : undefined;
    // Stores connect on first use: open both connections (commands, pub/sub) before measuring,
    // as a replica that has been up for a moment has them.
    if (store) {
      await store.get('dintero-auth:bench-warm-up');
      (await store.watch('dintero-auth:bench-warm-up', () => undefined))();
    }
    replicas.push(await startOurClient(fake.baseUrl, fake.client, store ? { store } : {}));
  }
  const started = performance.now();
  const resolvedAt = await Promise.all(
    replicas.map(async (replica) => {
      await replica.tokens.getToken();
      return performance.now();
    }),
  );
  const { tokenRequests } = await fake.counts();
  await Promise.all(replicas.map((replica) => replica.app.close()));
  const first = Math.min(...resolvedAt);
  const wakes = resolvedAt.filter((at) => at !== first).map((at) => at - first);
  return { requests: tokenRequests, latencies: resolvedAt.map((at) => at - started), wakes };
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
    'follower wake p50 ms (shared)': shared.wakes.length > 0 ? round(percentile(shared.wakes, 0.5)) : '-',
  });
}
await fake.stop();
report(
  'replicas',
  '5. Many replicas: cold start with and without the shared store',
  { sizes: SIZES, redis: 'local Redis 7 on loopback' },
  rows,
  [
    'Targets: one token request for the whole cluster with the shared store, whatever the number of replicas; a follower has the token within 10 ms (p50) of the leader having it (woken by Redis pub/sub, where it used to poll every 50 ms).',
  ],
);
