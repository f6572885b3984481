/**
 * `npm run bench`: runs every scenario in a process of its own, then writes docs/BENCHMARKS.md
 * from their results. `npm run bench -- inbound burst` runs those scenarios only, and replaces
 * only their sections.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machine, table } from './support/stats.js';

const SCENARIOS = [
  { file: 'cold-start.bench.js', result: 'cold-start' },
  { file: 'steady-load.bench.js', result: 'steady-load' },
  { file: 'overhead.bench.js', result: 'overhead' },
  { file: 'overhead-profile.bench.js', result: 'overhead-profile' },
  { file: 'sequential.bench.js', result: 'sequential' },
  { file: 'memory.bench.js', result: 'memory', args: ['--expose-gc'] },
  { file: 'replicas.bench.js', result: 'replicas' },
  { file: 'burst.bench.js', result: 'burst' },
  { file: 'accounts.bench.js', result: 'accounts', args: ['--expose-gc'] },
  { file: 'outage-recovery.bench.js', result: 'outage-recovery' },
  { file: 'slow-endpoint.bench.js', result: 'slow-endpoint' },
  { file: 'inbound.bench.js', result: 'inbound' },
  { file: 'rotation.bench.js', result: 'rotation' },
];
const only = process.argv.slice(2);
const unknown = only.filter((name) => !SCENARIOS.some((scenario) => scenario.result === name));
if (unknown.length > 0) throw new Error(`No scenario named ${unknown.join(', ')}`);

const started = Date.now();
for (const scenario of SCENARIOS) {
  if (only.length > 0 && !only.includes(scenario.result)) continue;
  const script = fileURLToPath(new URL(`./${scenario.file}`, import.meta.url));
  const run = spawnSync(process.execPath, [...(scenario.args ?? []), script], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`${scenario.file} failed (exit ${run.status})`);
}
const seconds = Math.round((Date.now() - started) / 1000);

interface Result {
  title: string;
  machine: Record<string, unknown>;
  parameters: Record<string, unknown>;
  rows: Record<string, unknown>[];
  notes: string[];
}
// A run of some scenarios (`npm run bench -- inbound`) reads and rewrites their sections only.
const ran = SCENARIOS.filter((scenario) => only.length === 0 || only.includes(scenario.result));
const results = ran.map(
  (scenario) => JSON.parse(readFileSync(fileURLToPath(new URL(`../results/${scenario.result}.json`, import.meta.url)), 'utf8')) as Result,
);
const facts = machine();
const alone = only.length > 0;
const sections = results.map((result) =>
  [
    `## ${result.title}`,
    '',
    `Measured ${String(result.machine.date)} at commit ${String(result.machine.commit)}${alone ? `, run alone (${String(result.machine.cpu)}, ${String(result.machine.cores)} cores, Node ${String(result.machine.node)})` : ''}. Parameters: \`${JSON.stringify(result.parameters)}\`.`,
    '',
    table(result.rows),
    '',
    ...result.notes,
  ].join('\n'),
);
// Only the part between the markers is generated; the reading of the numbers around it is written by hand.
const docPath = fileURLToPath(new URL('../../docs/BENCHMARKS.md', import.meta.url));
const [START, END] = ['<!-- results:start -->', '<!-- results:end -->'];
const doc = readFileSync(docPath, 'utf8');
if (!doc.includes(START) || !doc.includes(END)) throw new Error(`docs/BENCHMARKS.md needs the ${START} and ${END} markers`);
const generated = alone
  ? replaceSections(doc.slice(doc.indexOf(START) + START.length + 1, doc.indexOf(END) - 1), results, sections)
  : `Machine: ${String(facts.cpu)}, ${String(facts.cores)} cores, ${String(facts.memoryGiB)} GiB, Node ${String(facts.node)}. Whole run: ${seconds} s.\n\n${sections.join('\n\n')}`;
writeFileSync(docPath, `${doc.slice(0, doc.indexOf(START) + START.length)}\n${generated}\n${doc.slice(doc.indexOf(END))}`);
console.log(`\nWrote docs/BENCHMARKS.md (${seconds} s).`);

/** The generated part with each result's section (from its `## title` to the next) replaced, or added at the end. */
function replaceSections(part: string, replaced: readonly Result[], replacements: readonly string[]): string {
  return replaced.reduce((text, result, index) => {
    const at = text.indexOf(`## ${result.title}\n`);
    if (at < 0) return `${text}\n\n${replacements[index]!}`;
    const next = text.indexOf('\n## ', at);
    return `${text.slice(0, at)}${replacements[index]!}${next < 0 ? '' : `\n${text.slice(next)}`}`;
  }, part);
}
