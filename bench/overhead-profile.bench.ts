/**
 * Scenario 3b, where the per-call microseconds go: V8's CPU profile (as `node --cpu-prof`
 * records it) of each path and of its static-header twin, over the same number of calls, and
 * the self time of each function and file per call, ours minus static.
 */
import { fileURLToPath } from 'node:url';
import { measureCalls } from './support/cpu-per-call.js';
import {
  type CpuProfile,
  type SelfTimes,
  WindowProfiler,
  addTimes,
  diffTimes,
  fileKey,
  functionKey,
  ownTimePerCall,
  saveProfile,
  selfTimePerCall,
  shortFile,
  totalOf,
} from './support/cpu-profile.js';
import { report } from './support/report.js';
import { round, table } from './support/stats.js';
import { OBSERVABLE_PATH, PROMISE_PATH, TwinClients } from './support/twin-clients.js';

const CALLS = Number(process.env.BENCH_PROFILE_CALLS ?? 2_500);
const WINDOWS = 8;
const CONCURRENCY = 16;
const INTERVAL_US = 50;
const TOP = 12;

const clients = await TwinClients.start();
const profiler = await WindowProfiler.open(INTERVAL_US);
const paths = [PROMISE_PATH, OBSERVABLE_PATH].map((name) => clients.pair(name));
for (const pair of paths) {
  await measureCalls(pair.ours, 3_000, CONCURRENCY); // warm-up: JIT and connections for both
  await measureCalls(pair.twin, 3_000, CONCURRENCY);
}

interface Recorded {
  byFunction: SelfTimes;
  byFile: SelfTimes;
  own: SelfTimes;
  cpuUs: number;
  last?: CpuProfile;
}
const blank = (): Recorded => ({ byFunction: new Map(), byFile: new Map(), own: new Map(), cpuUs: 0 });
// This module's code, and where it hands the request on: to axios (DinteroHttpService) or to
// the adapter (the attach point). What runs under those is the twin's work too.
const isOwn = (frame: { url: string }) => frame.url !== '' && shortFile(frame.url).startsWith('nestjs-dintero-auth/');
const isHandedOn = (frame: { url: string; functionName: string }) =>
  frame.url.includes('/axios/lib/adapters/') || frame.url.includes('/axios/lib/core/Axios.js') || frame.functionName === 'stub';
const recorded = new Map(paths.map((pair) => [pair.name, { ours: blank(), twin: blank() }]));
for (let window = 0; window < WINDOWS; window += 1) {
  for (const pair of paths) {
    // Which side goes first alternates, so that drift in the machine's state falls on both alike.
    const sides = window % 2 === 0 ? (['ours', 'twin'] as const) : (['twin', 'ours'] as const);
    for (const side of sides) {
      // The profiler's own work inflates CPU time: the shares come from the profile, the CPU per
      // call from the same calls made just before without it.
      const { cpuUs } = await measureCalls(pair[side], CALLS, CONCURRENCY);
      const profile = await profiler.record(async () => {
        await measureCalls(pair[side], CALLS, CONCURRENCY);
      });
      const into = recorded.get(pair.name)![side];
      addTimes(into.byFunction, selfTimePerCall(profile, cpuUs, functionKey), 1 / WINDOWS);
      addTimes(into.byFile, selfTimePerCall(profile, cpuUs, fileKey), 1 / WINDOWS);
      addTimes(into.own, ownTimePerCall(profile, cpuUs, isOwn, isHandedOn, functionKey), 1 / WINDOWS);
      into.cpuUs += cpuUs / WINDOWS;
      into.last = profile;
    }
  }
}
profiler.close();
await clients.stop();

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
const slug = (name: string) => (name === PROMISE_PATH ? 'promise' : 'observable');
const us = (value: number) => round(value, 2);
const rows: Record<string, unknown>[] = [];
const notes: string[] = [];
for (const pair of paths) {
  const { ours, twin } = recorded.get(pair.name)!;
  saveProfile(`${resultsDir}profile-${slug(pair.name)}-ours.cpuprofile`, ours.last!);
  saveProfile(`${resultsDir}profile-${slug(pair.name)}-static.cpuprofile`, twin.last!);
  rows.push({
    path: pair.name,
    'function (file)': '**all sampled**',
    'ours µs/call': us(totalOf(ours.byFunction)),
    'static µs/call': us(totalOf(twin.byFunction)),
    'ours - static': us(totalOf(ours.byFunction) - totalOf(twin.byFunction)),
  });
  for (const line of diffTimes(ours.byFunction, twin.byFunction, TOP)) {
    rows.push({
      path: '',
      'function (file)': `\`${line.key}\``,
      'ours µs/call': us(line.ours),
      'static µs/call': us(line.twin),
      'ours - static': us(line.diff),
    });
  }
  notes.push(
    `**${pair.name}, by file** (CPU per call without the profiler: ours ${us(ours.cpuUs)} µs/call, static ${us(twin.cpuUs)} µs/call):`,
    '',
    table(
      diffTimes(ours.byFile, twin.byFile, TOP).map((line) => ({
        file: `\`${line.key}\``,
        'ours µs/call': us(line.ours),
        'static µs/call': us(line.twin),
        'ours - static': us(line.diff),
      })),
    ),
    '',
    `**${pair.name}, time in this module's code** (and the axios or Node code it calls, except the request it hands on), ${us(totalOf(ours.own))} µs/call:`,
    '',
    table(
      [...ours.own]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP)
        .map(([key, value]) => ({ 'function (file)': `\`${key}\``, 'µs/call': us(value) })),
    ),
    '',
  );
}
report(
  'overhead-profile',
  '3b. Where the microseconds go: CPU profile, ours minus static',
  { callsPerWindow: CALLS, windows: WINDOWS, concurrency: CONCURRENCY, samplingIntervalUs: INTERVAL_US },
  rows,
  [
    `Self time per call by function, averaged over ${WINDOWS} profiled windows per side (order alternating), largest differences first: ` +
      "a function's share of the samples times the CPU per call measured without the profiler, over as many calls just before. " +
      'Functions that run on both sides differ from window to window by a few µs (sockets, GC); those of this module run on ours only. ' +
      'The last window of each side is saved as `bench/results/profile-<path>-<side>.cpuprofile` for DevTools.',
    '',
    ...notes,
  ],
);
