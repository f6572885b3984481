import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machine, table } from './stats.js';

/** Prints a scenario's table and writes it, with the run's facts, to bench/results/<name>.json. */
export function report(
  name: string,
  title: string,
  parameters: Record<string, unknown>,
  rows: Record<string, unknown>[],
  notes: string[] = [],
): void {
  const facts = machine();
  const result = { name, title, machine: facts, parameters, rows, notes };
  const dir = fileURLToPath(new URL('../../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n## ${title}\n`);
  console.log(`machine: ${JSON.stringify(facts)}`);
  console.log(`parameters: ${JSON.stringify(parameters)}\n`);
  console.log(table(rows));
  for (const note of notes) console.log(`\n${note}`);
}
