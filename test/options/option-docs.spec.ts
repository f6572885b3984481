import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { optionPaths } from '../../lib/options/normalize-options.js';

// The options interface, the known-keys list and the validated config are tied by the compiler;
// the README's configuration table is tied to them here.
it("the README's configuration table lists every option", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  const documented = new Set(
    [...table.matchAll(/^\|([^|]+)\|/gm)].flatMap(([, cell]) => [...cell!.matchAll(/`([^`]+)`/g)].map(([, name]) => name)),
  );
  expect(optionPaths().filter((path) => !documented.has(path))).toEqual([]);
});
