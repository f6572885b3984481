/**
 * Scenario 1, cold start: N concurrent first calls on an empty cache. Counts token requests and
 * the first call's latency, for this module and for the naive cache.
 */
import { performance } from 'node:perf_hooks';
import { NaiveTokenCache } from './baselines/naive-token-cache.js';
import { FakeDinteroProcess } from './support/fake-dintero.client.js';
import { startOurClient } from './support/our-client.js';
import { report } from './support/report.js';
import { percentile, round } from './support/stats.js';

const SIZES = [1, 100, 1_000, 10_000];

/** Latencies of the calls that got a token, and how many got none. */
async function measure(n: number, getToken: () => Promise<unknown>): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      const started = performance.now();
      try {
        await getToken();
        latencies.push(performance.now() - started);
      } catch {
        failed += 1;
      }
    }),
  );
  return { latencies, failed };
}

const fake = await FakeDinteroProcess.start();
// Warm-up: load and JIT both paths once, so that N = 1 measures a cold cache, not a cold process.
const warm = await startOurClient(fake.baseUrl, fake.client);
await warm.tokens.getToken();
await warm.app.close();
await new NaiveTokenCache(fake.baseUrl, fake.client).get();

const rows: Record<string, unknown>[] = [];
for (const n of SIZES) {
  await fake.send({ cmd: 'reset' });
  const ours = await startOurClient(fake.baseUrl, fake.client);
  const oursRun = await measure(n, () => ours.tokens.getAccessToken());
  const oursRequests = (await fake.counts()).tokenRequests;
  await ours.app.close();

  await fake.send({ cmd: 'reset' });
  const naive = new NaiveTokenCache(fake.baseUrl, fake.client);
  const naiveRun = await measure(n, () => naive.get());
  const naiveRequests = (await fake.counts()).tokenRequests;
  // Let the sockets the naive burst opened drain before the next size.
  await new Promise((resolve) => setTimeout(resolve, 500));

  const p99 = (run: { latencies: number[] }) => percentile(run.latencies, 0.99);
  rows.push({
    N: n,
    'token requests (ours)': oursRequests,
    'token requests (naive)': naiveRequests,
    'failed calls (ours)': oursRun.failed,
    'failed calls (naive)': naiveRun.failed,
    'p50 ms (ours)': round(percentile(oursRun.latencies, 0.5)),
    'p99 ms (ours)': round(p99(oursRun)),
    'p50 ms (naive)': round(percentile(naiveRun.latencies, 0.5)),
    'p99 ms (naive)': round(p99(naiveRun)),
    'p99 ratio ours/naive': round(p99(oursRun) / p99(naiveRun)),
  });
}
await fake.stop();
report('cold-start', '1. Cold start: N concurrent first calls', { sizes: SIZES, tokenLifetimeSeconds: 3600 }, rows, [
  'Target: exactly 1 token request for any N. A failed call is one that got no token.',
]);
