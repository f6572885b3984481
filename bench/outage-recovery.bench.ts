/**
 * Scenario 8, an outage that ends: the token endpoint answers 500 for 5, 20 or 60 s while a
 * caller asks every 100 ms. How soon after it comes back is a token served, and how often was it
 * asked meanwhile? Each outage runs twice: with demand probes (the default), and without them
 * (`demandIntervalMs` = the backoff cap), which is how the token path behaved before.
 */
import { performance } from 'node:perf_hooks';
import { FakeDinteroProcess } from './support/fake-dintero.client.js';
import { startOurClient } from './support/our-client.js';
import { report } from './support/report.js';
import { round } from './support/stats.js';

const OUTAGES_S = [5, 20, 60];
const CALL_EVERY_MS = 100;
const RETRY = { initialDelayMs: 500, maxDelayMs: 30_000 };

const fake = await FakeDinteroProcess.start();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function outage(seconds: number, demandIntervalMs: number): Promise<Record<string, unknown>> {
  await fake.send({ cmd: 'lifetime', seconds: 3600 });
  await fake.send({ cmd: 'reset' });
  await fake.send({ cmd: 'tokenFault', fault: { type: 'status', status: 500 } });
  const ours = await startOurClient(fake.baseUrl, fake.client, { retry: { ...RETRY, demandIntervalMs } });
  const started = performance.now();
  let backAt = Number.POSITIVE_INFINITY;
  let servedAt: number | undefined;
  let failedAfterBack = 0;
  let requestsDuringOutage = 0;
  for (let i = 0; servedAt === undefined && performance.now() - started < (seconds + 60) * 1000; i += 1) {
    if (backAt === Number.POSITIVE_INFINITY && performance.now() - started >= seconds * 1000) {
      requestsDuringOutage = (await fake.counts()).tokenRequests;
      await fake.send({ cmd: 'clearFaults' });
      backAt = performance.now();
    }
    const askedAt = performance.now();
    ours.tokens.getToken().then(
      () => void (servedAt ??= performance.now()),
      () => void (askedAt >= backAt && (failedAfterBack += 1)),
    );
    await sleep(started + (i + 1) * CALL_EVERY_MS - performance.now());
  }
  await ours.app.close();
  return {
    'outage s': seconds,
    'demand probes': demandIntervalMs === RETRY.maxDelayMs ? 'off (before)' : `every ${demandIntervalMs} ms`,
    'token requests during outage': requestsDuringOutage,
    'requests per s': round(requestsDuringOutage / seconds),
    'first token after recovery ms': servedAt === undefined ? 'none in 60 s' : Math.round(servedAt - backAt),
    'calls failed after recovery': failedAfterBack,
  };
}

const rows: Record<string, unknown>[] = [];
for (const seconds of OUTAGES_S) {
  rows.push(await outage(seconds, 1_000));
  rows.push(await outage(seconds, RETRY.maxDelayMs));
}
await fake.stop();
report('outage-recovery', '8. An outage that ends', { callEveryMs: CALL_EVERY_MS, retry: RETRY }, rows, [
  "Targets: the first token within 1.5 s of the endpoint coming back; while callers wait, about one token request a second (the backoff's first retries come sooner).",
]);
