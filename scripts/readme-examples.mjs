// The README's TypeScript blocks are the files in test/compat/examples, which CI compiles and runs
// in a NestJS 11 CommonJS and a NestJS 12 ESM app (test/compat/run.sh). Each block follows a
// marker naming its file: <!-- example: payments.service.ts -->. This script fails when a block
// differs from its file, has no marker, or a file is in no block, and when the install line asks
// for a package the compat apps do not install. `--write` copies the files into the README.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = `${root}test/compat/examples/`;
const write = process.argv.includes('--write');
const MARKER = /^<!-- example: (\S+) -->$/;

const lines = readFileSync(`${root}README.md`, 'utf8').split('\n');
const problems = [];
const shown = new Set();
const out = [];
for (let index = 0; index < lines.length; index += 1) {
  const line = lines[index];
  out.push(line);
  const marker = MARKER.exec(line);
  if (!marker && line === '```ts') problems.push(`README.md:${index + 1}: a TypeScript block without an <!-- example: file --> marker`);
  if (!marker) continue;
  const name = marker[1];
  if (lines[index + 1] !== '```ts') {
    problems.push(`README.md:${index + 1}: the marker for ${name} is not followed by a \`\`\`ts block`);
    continue;
  }
  const end = lines.indexOf('```', index + 2);
  const block = lines.slice(index + 2, end).join('\n');
  let file;
  try {
    file = readFileSync(`${examples}${name}`, 'utf8').trimEnd();
  } catch {
    problems.push(`README.md:${index + 1}: test/compat/examples/${name} does not exist`);
    continue;
  }
  shown.add(name);
  if (block !== file && !write)
    problems.push(`README.md:${index + 3}: the block differs from test/compat/examples/${name} (npm run readme:update copies the file in)`);
  out.push('```ts', ...file.split('\n'), '```');
  index = end;
}
for (const name of readdirSync(examples)) {
  if (!shown.has(name)) problems.push(`test/compat/examples/${name} is in no README block`);
}

const install = lines.find((line) => line.startsWith('npm install nestjs-dintero-auth'));
const packages = install ? install.split(/\s+/).slice(3) : [];
if (!install) problems.push('README.md has no "npm install nestjs-dintero-auth ..." line');
for (const app of ['nest11', 'nest12']) {
  const { dependencies } = JSON.parse(readFileSync(`${root}test/compat/${app}/package.json`, 'utf8'));
  for (const name of packages) {
    if (!(name in dependencies)) problems.push(`the install line's ${name} is not a dependency of test/compat/${app}`);
  }
}

// Each package an example imports is installed by a line of the README: the Install line, or
// one next to the example (`npm install ioredis`), unless Nest itself brings it.
const NEST_BRINGS = new Set(['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs', 'nestjs-dintero-auth']);
const named = new Set(
  lines
    .filter((line) => /^npm (install|i) /.test(line))
    .flatMap((line) =>
      line
        .split(/\s+/)
        .slice(2)
        .filter((word) => !word.startsWith('-')),
    ),
);
for (const name of readdirSync(examples)) {
  const source = readFileSync(`${examples}${name}`, 'utf8');
  for (const [, specifier] of source.matchAll(/^import .* from '([^'.][^']*)';$/gm)) {
    if (specifier.startsWith('node:')) continue;
    const parts = specifier.split('/');
    const pkg = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    if (!NEST_BRINGS.has(pkg) && !named.has(pkg))
      problems.push(`test/compat/examples/${name} imports ${pkg}, which no "npm install" line of the README installs`);
  }
}

if (write) writeFileSync(`${root}README.md`, out.join('\n'));
for (const problem of problems) console.error(problem);
process.exitCode = problems.length > 0 ? 1 : 0;
