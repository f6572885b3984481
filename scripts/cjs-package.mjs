// The CommonJS build (dist/cjs, from tsconfig.cjs.json) sits under a package.json that says so,
// because the package itself is "type": "module": Node and TypeScript then read its .js and
// .d.ts files as CommonJS, which is what the exports' `require` condition promises.
import { writeFileSync } from 'node:fs';

writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
