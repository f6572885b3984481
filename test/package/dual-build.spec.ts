import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BUILT } from '../support/fixture-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = [
  'nestjs-dintero-auth',
  ...['testing', 'fake-dintero', 'config', 'health', 'redis'].map((entry) => `nestjs-dintero-auth/${entry}`),
];

// Each entry as `require()` and `import` see it, from a process in the package's own folder (the
// package resolves its own name through `exports`).
const SCRIPT = `
const entries = ${JSON.stringify(ENTRIES)};
const names = (module, skip) => Object.keys(module).filter((key) => !skip.includes(key)).sort();
(async () => {
  const out = {};
  for (const entry of entries) {
    out[entry] = {
      file: require.resolve(entry),
      required: names(require(entry), ['__esModule']),
      imported: names(await import(entry), ['default', 'module.exports']),
    };
  }
  console.log(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe.skipIf(!BUILT)('the CommonJS and ES module builds', () => {
  // Jest's module loader cannot require() an ES module: `require` must find CommonJS files.
  it('gives require() a CommonJS build of every entry, exporting what the ES module build exports', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=commonjs', '-e', SCRIPT], { cwd: ROOT });
    const builds = JSON.parse(stdout) as Record<string, { file: string; required: string[]; imported: string[] }>;
    expect(JSON.parse(readFileSync(`${ROOT}dist/cjs/package.json`, 'utf8'))).toEqual({ type: 'commonjs' });
    for (const entry of ENTRIES) {
      const build = builds[entry]!;
      expect(build.file, entry).toMatch(/[\\/]dist[\\/]cjs[\\/]/);
      expect(readFileSync(build.file, 'utf8'), entry).toMatch(/^"use strict";\nObject.defineProperty\(exports, "__esModule"/);
      expect(build.required.length, entry).toBeGreaterThan(0);
      expect(build.required, entry).toEqual(build.imported);
    }
  });
});
