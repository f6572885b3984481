/**
 * Scenario 3c, the side-by-side: 100,000 calls one after another (each waits for the last)
 * through this module and through a static-header twin, in the same run, for both paths.
 * The sides take turns in blocks of 1,000 calls, so that both see the same machine.
 * `BENCH_SEQUENTIAL_CALLS` sets the calls per client (default 20,000, to keep `npm run bench`
 * short; 100000 for the full run).
 */
import { type Call, measureCalls } from './support/cpu-per-call.js';
import { report } from './support/report.js';
import { round } from './support/stats.js';
import { OBSERVABLE_PATH, PROMISE_PATH, TwinClients } from './support/twin-clients.js';

const CALLS = Number(process.env.BENCH_SEQUENTIAL_CALLS ?? 20_000);
const BLOCK = 1_000;
const TARGET = 0.95;

interface Totals {
  cpuUs: number;
  seconds: number;
}

async function sideBySide(ours: Call, twin: Call): Promise<{ ours: Totals; twin: Totals }> {
  const totals = { ours: { cpuUs: 0, seconds: 0 }, twin: { cpuUs: 0, seconds: 0 } };
  for (let block = 0; block < CALLS / BLOCK; block += 1) {
    const order = block % 2 === 0 ? (['ours', 'twin'] as const) : (['twin', 'ours'] as const);
    for (const side of order) {
      const cost = await measureCalls(side === 'ours' ? ours : twin, BLOCK, 1);
      totals[side].cpuUs += cost.cpuUs * BLOCK;
      totals[side].seconds += cost.seconds;
    }
  }
  return totals;
}

const clients = await TwinClients.start();
const rows: Record<string, unknown>[] = [];
for (const name of [PROMISE_PATH, OBSERVABLE_PATH]) {
  const pair = clients.pair(name);
  await measureCalls(pair.ours, 2_000, 1); // warm-up: JIT and the connection for both
  await measureCalls(pair.twin, 2_000, 1);
  const { ours, twin } = await sideBySide(pair.ours, pair.twin);
  rows.push({
    path: name,
    calls: CALLS,
    'seconds ours': round(ours.seconds, 1),
    'seconds static': round(twin.seconds, 1),
    'time static / ours': round(twin.seconds / ours.seconds, 3),
    'CPU µs/call ours': round(ours.cpuUs / CALLS, 1),
    'CPU µs/call static': round(twin.cpuUs / CALLS, 1),
    'CPU static / ours': round(twin.cpuUs / ours.cpuUs, 3),
  });
}
await clients.stop();
report('sequential', `3c. ${CALLS.toLocaleString('en')} sequential calls, side by side`, { callsPerClient: CALLS, block: BLOCK }, rows, [
  `Target: ours within 5 % of the static header (static / ours >= ${TARGET}), in time and in CPU. One fake Dintero, in another process; ` +
    `each client makes its calls one at a time, the two taking turns every ${BLOCK.toLocaleString('en')} calls.`,
]);
