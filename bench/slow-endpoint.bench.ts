/**
 * Scenario 9, a slow token endpoint: 2 s tokens from an endpoint that takes 400 ms, 100 API
 * calls a second through DinteroHttpService for 10 lifetimes. A call that took 150 ms or more
 * waited for a token: the refresh must leave room for the round trip.
 */
import { performance } from 'node:perf_hooks';
import { FakeDinteroProcess } from './support/fake-dintero.client.js';
import { startOurClient } from './support/our-client.js';
import { report } from './support/report.js';
import { percentile, round } from './support/stats.js';

const SLOW = { lifetimeS: 2, endpointMs: 400, ratePerS: 100, lifetimes: 10, waitedMs: 150 };

const fake = await FakeDinteroProcess.start();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function slowEndpoint(): Promise<Record<string, unknown>> {
  await fake.send({ cmd: 'lifetime', seconds: SLOW.lifetimeS });
  await fake.send({ cmd: 'reset' });
  const transactionId = await fake.send<string>({ cmd: 'transaction' });
  await fake.send({ cmd: 'tokenFault', fault: { type: 'delay', ms: SLOW.endpointMs } });
  const ours = await startOurClient(fake.baseUrl, fake.client);
  await ours.tokens.getToken();
  const latencies: number[] = [];
  let failed = 0;
  const calls: Promise<void>[] = [];
  const total = SLOW.ratePerS * SLOW.lifetimeS * SLOW.lifetimes;
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    await sleep(started + (i * 1000) / SLOW.ratePerS - performance.now());
    const sent = performance.now();
    calls.push(
      ours.http.axiosRef.get(`/transactions/${transactionId}`).then(
        () => void latencies.push(performance.now() - sent),
        () => void (failed += 1),
      ),
    );
  }
  await Promise.all(calls);
  const { tokenRequests } = await fake.counts();
  await fake.send({ cmd: 'clearFaults' });
  await ours.app.close();
  return {
    calls: total,
    failed,
    [`took >= ${SLOW.waitedMs} ms`]: latencies.filter((ms) => ms >= SLOW.waitedMs).length,
    'token requests': tokenRequests,
    'p50 ms': round(percentile(latencies, 0.5)),
    'p99 ms': round(percentile(latencies, 0.99)),
    'max ms': round(Math.max(...latencies)),
  };
}

const row = await slowEndpoint();
await fake.stop();
report(
  'slow-endpoint',
  '9. A slow token endpoint',
  SLOW,
  [row],
  [
    `Target: no call waits for a token (before: 20 calls waited >= 150 ms in this scenario). Token requests: one per refresh, which now starts early enough for a ${SLOW.endpointMs} ms round trip.`,
  ],
);
