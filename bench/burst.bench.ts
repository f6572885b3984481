/**
 * Scenario 6, cold burst and expiries through the attach point: 10,000 concurrent API calls on
 * an empty token cache with a 50 ms token endpoint, against a static-header client (the limit)
 * and a single-flight axios token interceptor (the careful hand-rolled peer), in rotating
 * rounds. Then a paced load across several 2 s token lifetimes, charted over time.
 */
import axios, { type AxiosInstance } from 'axios';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fetchToken } from './baselines/fetch-token.js';
import { SingleFlightTokenInterceptor } from './baselines/single-flight-interceptor.js';
import { FakeDinteroProcess } from './support/fake-dintero.client.js';
import { startOurClient } from './support/our-client.js';
import { report } from './support/report.js';
import { percentile, round } from './support/stats.js';
import { lineChart } from './support/svg-chart.js';

const CALLS = 10_000;
const TOKEN_DELAY_MS = 50;
const ROUNDS = 3;
const EXPIRY = { lifetimeSeconds: 2, seconds: 8, ratePerSecond: 200, bucketMs: 100 };

const fake = await FakeDinteroProcess.start();
const transactionId = await fake.send<string>({ cmd: 'transaction' });
const path = `/transactions/${transactionId}`;
const probe = await startOurClient(fake.baseUrl, fake.client);
const moduleHeaders = Object.fromEntries(
  Object.entries(probe.http.axiosRef.defaults.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
);
await probe.app.close();

/** A client like the module's own: its headers, a keep-alive agent of its own, no proxy. */
function plainClient(headers: Record<string, string> = {}): { client: AxiosInstance; close: () => void } {
  const agent = new Agent({ keepAlive: true, timeout: 30_000, scheduling: 'lifo' });
  const client = axios.create({ baseURL: fake.baseUrl, proxy: false, httpAgent: agent, headers: { ...moduleHeaders, ...headers } });
  return { client, close: () => agent.destroy() };
}

interface Setup {
  call: () => Promise<unknown>;
  close: () => Promise<void> | void;
}

interface Variant {
  name: string;
  setup(): Promise<Setup>;
}

const VARIANTS: Variant[] = [
  {
    name: 'static header (limit)',
    async setup() {
      const { accessToken } = await fetchToken(fake.baseUrl, fake.client);
      const { client, close } = plainClient({ Authorization: `Bearer ${accessToken}` });
      return { call: () => client.get(path), close };
    },
  },
  {
    name: 'single-flight axios interceptor',
    setup() {
      const { client, close } = plainClient();
      new SingleFlightTokenInterceptor(fake.baseUrl, fake.client).attach(client);
      return Promise.resolve({ call: () => client.get(path), close });
    },
  },
  {
    name: 'nestjs-dintero-auth',
    async setup() {
      const ours = await startOurClient(fake.baseUrl, fake.client);
      return { call: () => ours.http.axiosRef.get(path), close: () => ours.app.close() };
    },
  },
];

/** Fires every call at once; latency of each from its own start. */
async function burst(call: () => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CALLS }, async () => {
      const started = performance.now();
      await call();
      latencies.push(performance.now() - started);
    }),
  );
  return latencies;
}

await fake.send({ cmd: 'tokenDelay', ms: TOKEN_DELAY_MS });
const tokenRoundTrips: number[] = [];
for (let index = 0; index < 3; index += 1) {
  const started = performance.now();
  await fetchToken(fake.baseUrl, fake.client);
  tokenRoundTrips.push(performance.now() - started);
}
const tokenRoundTripMs = percentile(tokenRoundTrips, 0.5);

const runs = new Map<string, { latencies: number[]; tokenRequests: number }[]>(VARIANTS.map((variant) => [variant.name, []]));
// Warm-up: load and JIT every path once with a small burst.
for (const variant of VARIANTS) {
  const { call, close } = await variant.setup();
  await Promise.all(Array.from({ length: 200 }, call));
  await close();
}
for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex += 1) {
  // Rotate the order, so that drift in the machine's state falls on all of them.
  const order = VARIANTS.map((_, index) => VARIANTS[(index + roundIndex) % VARIANTS.length]!);
  for (const variant of order) {
    const { call, close } = await variant.setup();
    await fake.send({ cmd: 'reset' });
    const latencies = await burst(call);
    const { tokenRequests } = await fake.counts();
    await close();
    runs.get(variant.name)!.push({ latencies, tokenRequests });
    // Let the burst's sockets close before the next one.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const p99Of = (name: string) =>
  percentile(
    runs.get(name)!.map((run) => percentile(run.latencies, 0.99)),
    0.5,
  );
const staticP99 = p99Of('static header (limit)');
const rows = VARIANTS.map((variant) => {
  const variantRuns = runs.get(variant.name)!;
  const median = (pick: (latencies: number[]) => number) =>
    round(
      percentile(
        variantRuns.map((run) => pick(run.latencies)),
        0.5,
      ),
    );
  return {
    client: variant.name,
    'token requests per burst': variantRuns.map((run) => run.tokenRequests).join(' / '),
    'p50 ms': median((latencies) => percentile(latencies, 0.5)),
    'p99 ms': median((latencies) => percentile(latencies, 0.99)),
    'max ms': median((latencies) => Math.max(...latencies)),
    'p99 - static p99, ms': round(p99Of(variant.name) - staticP99),
  };
});
// The median round's latency curve of each client.
lineChart('burst-latency', {
  title: `Cold burst of ${CALLS} calls, token endpoint ${TOKEN_DELAY_MS} ms: latency by percentile`,
  xLabel: 'percentile of calls',
  yLabel: 'latency ms',
  series: VARIANTS.map((variant) => {
    const sorted = [...runs.get(variant.name)!].sort((a, b) => percentile(a.latencies, 0.99) - percentile(b.latencies, 0.99));
    const latencies = sorted[Math.floor(sorted.length / 2)]!.latencies;
    return {
      label: variant.name,
      points: Array.from({ length: 100 }, (_, index) => [index + 1, percentile(latencies, (index + 1) / 100)] as const),
    };
  }),
});

/** Paced calls for EXPIRY.seconds; the slowest call of each bucket, by send time. */
async function paced(call: () => Promise<unknown>): Promise<(readonly [number, number])[]> {
  const buckets = new Map<number, number>();
  const started = performance.now();
  const total = EXPIRY.seconds * EXPIRY.ratePerSecond;
  const pending: Promise<void>[] = [];
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / EXPIRY.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = performance.now();
    pending.push(
      call().then(() => {
        const bucket = Math.floor((sentAt - started) / EXPIRY.bucketMs) * EXPIRY.bucketMs;
        buckets.set(bucket, Math.max(buckets.get(bucket) ?? 0, performance.now() - sentAt));
      }),
    );
  }
  await Promise.all(pending);
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([bucket, ms]) => [bucket / 1000, ms] as const);
}

const expirySeries: { label: string; points: (readonly [number, number])[] }[] = [];
for (const variant of VARIANTS) {
  // The static client's token outlives the run; the others live on 2 s tokens.
  const isStatic = variant === VARIANTS[0];
  await fake.send({ cmd: 'lifetime', seconds: isStatic ? 3600 : EXPIRY.lifetimeSeconds });
  const { call, close } = await variant.setup();
  await fake.send({ cmd: 'lifetime', seconds: EXPIRY.lifetimeSeconds });
  expirySeries.push({ label: variant.name, points: await paced(call) });
  await close();
}
lineChart('expiry-latency', {
  title: `${EXPIRY.ratePerSecond} req/s across ${EXPIRY.lifetimeSeconds} s token lifetimes: slowest call per ${EXPIRY.bucketMs} ms`,
  xLabel: 'seconds since start (dashed: token lifetimes)',
  yLabel: 'latency ms',
  series: expirySeries,
  markers: Array.from({ length: EXPIRY.seconds / EXPIRY.lifetimeSeconds }, (_, index) => ({
    x: (index + 1) * EXPIRY.lifetimeSeconds,
    label: '',
  })),
});
await fake.stop();

const signed = (value: number) => (value >= 0 ? `+${value}` : `${value}`);
const ours = rows.find((row) => row.client === 'nestjs-dintero-auth')!;
report(
  'burst',
  '6. Cold burst through the attach point',
  { calls: CALLS, tokenDelayMs: TOKEN_DELAY_MS, rounds: ROUNDS, tokenRoundTripMs: round(tokenRoundTripMs), expiry: EXPIRY },
  rows,
  [
    `Target: one token request per burst, and p99 <= static p99 + 2 token round trips (here ${round(2 * tokenRoundTripMs)} ms); measured: ${signed(ours['p99 - static p99, ms'])} ms.`,
    '',
    '![Cold burst latency by percentile](charts/burst-latency.svg)',
    '',
    '![Latency over time across token lifetimes](charts/expiry-latency.svg)',
  ],
);
