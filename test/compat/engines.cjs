// Fails when a package installed in an app (./node_modules, nested ones too) declares an
// `engines.node` range that a supported Node version is outside of: what `npm install` warns
// about as EBADENGINE. The versions: those given (the runtimes compat runs on) and the lowest
// of each range of nestjs-dintero-auth's own `engines`. Run as: node engines.cjs <app dir> <version>...
// semver is npm's own copy: the check npm makes, without an install per Node version.
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { execSync } = require('node:child_process');

// npm's own folder: from the npm that runs this (npm run test:compat), else the global one. The
// global root moves with the Node on PATH (CI may put another runtime first), npm does not.
const npmDir = process.env.npm_execpath
  ? join(dirname(process.env.npm_execpath), '..')
  : join(execSync('npm root -g', { encoding: 'utf8' }).trim(), 'npm');
const semver = require(join(npmDir, 'node_modules', 'semver'));
const [app, ...given] = process.argv.slice(2);
const own = JSON.parse(readFileSync(join(app, 'node_modules', 'nestjs-dintero-auth', 'package.json'), 'utf8')).engines.node;
const floors = own.split('||').map((range) => semver.minVersion(range).version);
const versions = [...new Set([...given, ...floors])];
const problems = [];

function visit(modules) {
  if (!existsSync(modules)) return;
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      visit(join(modules, entry.name));
      continue;
    }
    const dir = join(modules, entry.name);
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version, engines } = JSON.parse(readFileSync(manifest, 'utf8'));
      for (const node of versions) {
        if (engines?.node && !semver.satisfies(node, engines.node, { includePrerelease: true }))
          problems.push(`${name}@${version} wants Node ${engines.node}, not ${node}`);
      }
    }
    visit(join(dir, 'node_modules'));
  }
}

visit(join(app, 'node_modules'));
for (const problem of problems) console.error(`EBADENGINE: ${problem}`);
if (problems.length === 0) console.log(`engines: every installed package takes Node ${versions.join(', ')}`);
process.exit(problems.length > 0 ? 1 : 0);
