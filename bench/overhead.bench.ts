/**
 * Scenario 3, interceptor overhead: requests per second through DinteroHttpService against the
 * same kind of axios instance with a static Authorization header, in interleaved rounds.
 */
import axios, { type AxiosInstance } from 'axios';
import { performance } from 'node:perf_hooks';
import { FakeDinteroProcess } from './support/fake-dintero.client.js';
import { startOurClient } from './support/our-client.js';
import { report } from './support/report.js';
import { percentile, round } from './support/stats.js';

const ROUNDS = 6;
const ROUND_MS = 2_000;
const CONCURRENCY = 16;

const fake = await FakeDinteroProcess.start();
const transactionId = await fake.send<string>({ cmd: 'transaction' });
const ours = await startOurClient(fake.baseUrl, fake.client);
const token = await ours.tokens.getAccessToken();
// The same defaults as the module's own instance, with the header set by hand.
const staticClient = axios.create({ ...ours.http.axiosRef.defaults, headers: { ...ours.http.axiosRef.defaults.headers, Authorization: `Bearer ${token}` } } as never);

async function throughput(client: AxiosInstance, ms: number): Promise<number> {
  let done = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await client.get(`/transactions/${transactionId}`);
        done += 1;
      }
    }),
  );
  return done / (ms / 1000);
}

await throughput(ours.http.axiosRef, 1_000); // warm-up
await throughput(staticClient, 1_000);
const rows: Record<string, unknown>[] = [];
let oursTotal = 0;
let staticTotal = 0;
for (let roundIndex = 1; roundIndex <= ROUNDS; roundIndex += 1) {
  // Alternate which goes first, so drift in the machine's state falls on both.
  const order = roundIndex % 2 === 1 ? (['ours', 'static'] as const) : (['static', 'ours'] as const);
  const result: Record<string, number> = {};
  for (const which of order) result[which] = await throughput(which === 'ours' ? ours.http.axiosRef : staticClient, ROUND_MS);
  oursTotal += result.ours!;
  staticTotal += result.static!;
  rows.push({ round: roundIndex, 'req/s DinteroHttpService': round(result.ours!, 0), 'req/s static header': round(result.static!, 0), ratio: round(result.ours! / result.static!, 3) });
}
rows.push({ round: 'all', 'req/s DinteroHttpService': round(oursTotal / ROUNDS, 0), 'req/s static header': round(staticTotal / ROUNDS, 0), ratio: round(oursTotal / staticTotal, 3) });
const ratios = rows.slice(0, ROUNDS).map((row) => row.ratio as number);
rows.push({ round: 'median of rounds', 'req/s DinteroHttpService': '', 'req/s static header': '', ratio: round(percentile(ratios, 0.5), 3) });
await ours.app.close();
await fake.stop();
report('overhead', '3. Interceptor overhead', { rounds: ROUNDS, roundMs: ROUND_MS, concurrency: CONCURRENCY }, rows, ['Target: ratio >= 0.97.']);
