/**
 * Scenario 3, attach-point overhead: requests per second through this module against the same
 * kind of client with a static Authorization header, in interleaved rounds, for both ways in:
 * the promise path (`DinteroHttpService.axiosRef`, against plain axios) and the Observable
 * path (`DinteroHttpService`, against `@nestjs/axios`' `HttpService`).
 */
import { HttpService } from '@nestjs/axios';
import axios, { type AxiosAdapter, type AxiosInstance } from 'axios';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { DinteroAuthInterceptor } from 'nestjs-dintero-auth';
import { firstValueFrom } from 'rxjs';
import { FakeDinteroProcess } from './support/fake-dintero.client.js';
import { startOurClient } from './support/our-client.js';
import { report } from './support/report.js';
import { percentile, round } from './support/stats.js';
import { barChart } from './support/svg-chart.js';

const ROUNDS = 16;
const ROUND_MS = 750;
const CONCURRENCY = 16;
const TARGET = 0.98;

const fake = await FakeDinteroProcess.start();
const transactionId = await fake.send<string>({ cmd: 'transaction' });
const ours = await startOurClient(fake.baseUrl, fake.client);
const token = await ours.tokens.getAccessToken();

// The twin: the module's headers with the token as a fixed header, on a keep-alive agent like the module's own.
const moduleHeaders = Object.fromEntries(
  Object.entries(ours.http.axiosRef.defaults.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
);
const staticClient: AxiosInstance = axios.create({
  baseURL: fake.baseUrl,
  proxy: false,
  httpAgent: new Agent({ keepAlive: true, timeout: 30_000, scheduling: 'lifo' }),
  headers: { ...moduleHeaders, Authorization: `Bearer ${token}` },
});
const staticService = new HttpService(staticClient);
const path = `/transactions/${transactionId}`;

// The attach point's own cost, without the network's noise: both instances answer from a stub
// adapter, ours wrapped as the module wraps its own instance (token, redaction, deadline).
const stub: AxiosAdapter = (config) => Promise.resolve({ data: {}, status: 200, statusText: 'OK', headers: {}, config, request: {} });
const stubStatic = axios.create({ baseURL: fake.baseUrl, adapter: stub, headers: { ...moduleHeaders, Authorization: `Bearer ${token}` } });
const stubOurs = axios.create({ baseURL: fake.baseUrl, adapter: stub, headers: moduleHeaders });
// protect() is internal (stripped from the published types): the module's own wiring, reached here on purpose.
type Protect = { protect(instance: AxiosInstance, options: { deadlineMs: number }): void };
ours.app.get<DinteroAuthInterceptor, Protect>(DinteroAuthInterceptor).protect(stubOurs, { deadlineMs: 30_000 });

type Call = () => Promise<unknown>;
const PAIRS: { name: string; ours: Call; twin: Call }[] = [
  { name: 'promise: axiosRef vs axios', ours: () => ours.http.axiosRef.get(path), twin: () => staticClient.get(path) },
  {
    name: 'Observable: DinteroHttpService vs HttpService',
    ours: () => firstValueFrom(ours.http.get(path)),
    twin: () => firstValueFrom(staticService.get(path)),
  },
  { name: 'attach point alone (stub adapter, no network)', ours: () => stubOurs.get(path), twin: () => stubStatic.get(path) },
];

async function throughput(call: Call, ms: number): Promise<number> {
  let done = 0;
  const end = performance.now() + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await call();
        done += 1;
      }
    }),
  );
  return done / (ms / 1000);
}

for (const pair of PAIRS) {
  await throughput(pair.ours, 500); // warm-up: JIT and connections for both
  await throughput(pair.twin, 500);
}
const runs = new Map<string, { ours: number; twin: number }[]>(PAIRS.map((pair) => [pair.name, []]));
for (let roundIndex = 1; roundIndex <= ROUNDS; roundIndex += 1) {
  // Every pair in every round, and which of a pair goes first alternates, so that drift in
  // the machine's state falls on all of them alike.
  for (const pair of PAIRS) {
    const oursFirst = roundIndex % 2 === 1;
    const first = await throughput(oursFirst ? pair.ours : pair.twin, ROUND_MS);
    const second = await throughput(oursFirst ? pair.twin : pair.ours, ROUND_MS);
    runs.get(pair.name)!.push(oursFirst ? { ours: first, twin: second } : { ours: second, twin: first });
  }
}
const rows = PAIRS.map((pair) => {
  const pairRuns = runs.get(pair.name)!;
  const ratios = pairRuns.map((run) => run.ours / run.twin);
  return {
    path: pair.name,
    'req/s ours (median)': round(
      percentile(
        pairRuns.map((run) => run.ours),
        0.5,
      ),
      0,
    ),
    'req/s static twin (median)': round(
      percentile(
        pairRuns.map((run) => run.twin),
        0.5,
      ),
      0,
    ),
    'ratio per round': ratios.map((ratio) => ratio.toFixed(2)).join(' '),
    'median ratio': round(percentile(ratios, 0.5), 3),
  };
});
const medians = rows.map((row) => ({ label: row.path, value: row['median ratio'] }));
await ours.app.close();
await fake.stop();
barChart('overhead-ratios', {
  title: 'Throughput against the static-header twin (median of interleaved rounds)',
  bars: medians,
  target: TARGET,
  min: 0.85,
  max: 1.05,
});
report('overhead', '3. Attach-point overhead', { rounds: ROUNDS, roundMs: ROUND_MS, concurrency: CONCURRENCY }, rows, [
  `Target: median ratio >= ${TARGET} on both paths. The stub-adapter pair measures the attach point's own work (origin decision, token, redaction, deadline) without sockets.`,
  '',
  '![Throughput ratios](charts/overhead-ratios.svg)',
]);
