// Lists the mutants a mutation run left alive (survived, or no test reached them), one a line:
//   node scripts/mutation-survivors.mjs http     (reads .scratch/stryker/http.json)
import { readFileSync } from 'node:fs';

const scope = process.argv[2] ?? 'token';
const report = JSON.parse(readFileSync(`.scratch/stryker/${scope}.json`, 'utf8'));
for (const [file, { source, mutants }] of Object.entries(report.files)) {
  const lines = source.split('\n');
  for (const mutant of mutants) {
    if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue;
    const line = mutant.location.start.line;
    const status = mutant.status === 'Survived' ? 'survived' : 'no test ';
    const replacement = JSON.stringify(mutant.replacement ?? '').slice(0, 70);
    console.log(
      `${file.replace(/^.*?lib\//, 'lib/')}:${line} ${status} ${mutant.mutatorName} ${replacement} | ${lines[line - 1].trim().slice(0, 90)}`,
    );
  }
}
