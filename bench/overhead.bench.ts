/**
 * Scenario 3, attach-point overhead: client CPU per call through this module against the same
 * kind of client with a static Authorization header, for both ways in: the promise path
 * (`DinteroHttpService.axiosRef`, against plain axios) and the Observable path
 * (`DinteroHttpService`, against `@nestjs/axios`' `HttpService`).
 *
 * Requests per second on a shared 2-core machine swing twofold between runs of the same code;
 * the CPU time of the client process (`process.cpuUsage`) counts only the client's own work.
 * Each round starts a fresh fake Dintero (in its own process) and client, and measures every
 * pair in slices that take turns; a round's ratio is static CPU over ours.
 */
import { type Call, type CallCost, measureCalls } from './support/cpu-per-call.js';
import { report } from './support/report.js';
import { percentile, round } from './support/stats.js';
import { STUB_PATH, TwinClients } from './support/twin-clients.js';

const ROUNDS = Number(process.env.BENCH_OVERHEAD_ROUNDS ?? 6);
const CALLS = Number(process.env.BENCH_OVERHEAD_CALLS ?? 10_000);
// A stub call costs a tenth of a network call: more of them for the same measuring time.
const STUB_CALLS = CALLS * 4;
// Short slices (200 network calls, about 60 ms of CPU): the load of other processes changes
// more slowly than the sides take turns. Slices of 1,000 calls left rounds 0.92-1.07 apart.
const SLICES = 50;
const WARM_UP_CALLS = 3_000;
const CONCURRENCY = 16;
const TARGET = 0.95;

/**
 * `calls` calls on each side, in slices that take turns, which side goes first alternating
 * (ours twin twin ours ours twin ...): drift in the machine's state falls on both sides alike.
 */
async function interleaved(ours: Call, twin: Call, calls: number, oursFirst: boolean): Promise<{ ours: CallCost; twin: CallCost }> {
  const spent = { ours: { cpuUs: 0, seconds: 0 }, twin: { cpuUs: 0, seconds: 0 } };
  const slice = calls / SLICES;
  for (let index = 0; index < SLICES; index += 1) {
    const order = (index % 2 === 0) === oursFirst ? (['ours', 'twin'] as const) : (['twin', 'ours'] as const);
    for (const side of order) {
      const cost = await measureCalls(side === 'ours' ? ours : twin, slice, CONCURRENCY);
      spent[side].cpuUs += cost.cpuUs * slice;
      spent[side].seconds += cost.seconds;
    }
  }
  const total = (side: { cpuUs: number; seconds: number }): CallCost => ({
    cpuUs: side.cpuUs / calls,
    perSecond: calls / side.seconds,
    seconds: side.seconds,
  });
  return { ours: total(spent.ours), twin: total(spent.twin) };
}

const runs = new Map<string, { ours: CallCost; twin: CallCost }[]>();
for (let roundIndex = 1; roundIndex <= ROUNDS; roundIndex += 1) {
  const clients = await TwinClients.start();
  for (const pair of clients.pairs) {
    // JIT and connections for both, right before: the fake closes keep-alive sockets idle for
    // 5 s, and one closed as it is reused fails the call (ECONNRESET); a warm-up call may.
    await measureCalls(() => pair.ours().catch(() => undefined), WARM_UP_CALLS, CONCURRENCY);
    await measureCalls(() => pair.twin().catch(() => undefined), WARM_UP_CALLS, CONCURRENCY);
    const measured = await interleaved(pair.ours, pair.twin, pair.name === STUB_PATH ? STUB_CALLS : CALLS, roundIndex % 2 === 1);
    runs.set(pair.name, [...(runs.get(pair.name) ?? []), measured]);
  }
  await clients.stop();
}

const median = (values: number[]) => percentile(values, 0.5);
const rows = [...runs].map(([path, rounds]) => {
  const ours = rounds.map((sides) => sides.ours);
  const twin = rounds.map((sides) => sides.twin);
  const ratios = rounds.map((_, index) => twin[index]!.cpuUs / ours[index]!.cpuUs);
  return {
    path,
    'CPU µs/call ours (median)': round(median(ours.map((cost) => cost.cpuUs)), 1),
    'CPU µs/call static (median)': round(median(twin.map((cost) => cost.cpuUs)), 1),
    'static / ours, per round': ratios.map((ratio) => ratio.toFixed(3)).join(' '),
    'median (spread)': `**${median(ratios).toFixed(3)}** (${Math.min(...ratios).toFixed(3)}-${Math.max(...ratios).toFixed(3)})`,
    'req/s ours / static (medians)': `${round(median(ours.map((cost) => cost.perSecond)), 0)} / ${round(median(twin.map((cost) => cost.perSecond)), 0)}`,
  };
});
report(
  'overhead',
  '3. Attach-point overhead: client CPU per call',
  { rounds: ROUNDS, callsPerSide: CALLS, stubCallsPerSide: STUB_CALLS, slices: SLICES, concurrency: CONCURRENCY },
  rows,
  [
    `Target: median of static CPU / our CPU per call >= ${TARGET} on both network paths (1 = no cost; below 1, ours costs more). ` +
      'CPU is the client process alone (user + system, `process.cpuUsage`); the fake Dintero runs in another process, new for each round. ' +
      'The stub-adapter pair measures the attach point’s own work (origin decision, token, redaction, deadline) without sockets. ' +
      'The control pair is the static client against a second one just like it: its spread is what this measure reads when there is nothing to find. ' +
      'Requests per second are shown for reference: on this shared machine they move with the load of other processes.',
  ],
);
