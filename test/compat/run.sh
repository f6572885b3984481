#!/usr/bin/env bash
# Packs the package as npm would publish it, installs the tarball into a NestJS 11 (CommonJS)
# and a NestJS 12 (ESM) app, compiles the README's examples (./examples) in each, and runs
# them (./harness.ts) on every version in COMPAT_NODE_VERSIONS (default "22 24 26", the supported
# versions; the runtimes come from the npm registry's `node` package; empty: this machine's Node),
# after checking that no installed package's `engines` refuses one of those versions. An app with a
# `jest` section in its package.json also runs ./jest/*.spec.ts there, as `nest new` sets it up.
# COMPAT_APPS picks apps (default: all).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# As from a fresh clone, with no dist/: `prepack` builds it, so this is what `npm publish` sends.
(cd "$root" && rm -rf dist && npm pack --silent --pack-destination "$work" >/dev/null)
tarball=$(ls "$work"/nestjs-dintero-auth-*.tgz)
contents=$(tar -tzf "$tarball")
grep -qx 'package/dist/index.js' <<<"$contents" || { echo "the packed package has no dist/index.js" >&2; exit 1; }

runtimes=()
versions=${COMPAT_NODE_VERSIONS-22 24 26}
for version in $versions; do
  npm install --silent --no-audit --no-fund --no-package-lock --prefix "$work/node$version" "node@$version" >/dev/null &
done
wait
for version in $versions; do runtimes+=("$work/node$version/node_modules/.bin/node"); done
[ ${#runtimes[@]} -gt 0 ] || runtimes=(node)

for app in ${COMPAT_APPS-nest11 nest12}; do
  echo "== $app"
  mkdir -p "$work/$app/src"
  cp "$root/test/compat/$app/"* "$work/$app/"
  cp "$root/test/compat/harness.ts" "$work/$app/src/main.ts"
  cp -r "$root/test/compat/examples" "$work/$app/src/examples"
  jest=$(grep -q '"jest"' "$work/$app/package.json" && echo yes || true)
  [ -z "$jest" ] || cp "$root/test/compat/jest/"*.spec.ts "$work/$app/src/"
  (
    cd "$work/$app"
    npm install --silent --no-audit --no-fund --no-package-lock "$tarball"
    node "$root/test/compat/engines.cjs" . $(for runtime in "${runtimes[@]}"; do "$runtime" -p process.versions.node; done)
    npm run --silent build
    for runtime in "${runtimes[@]}"; do
      "$runtime" dist/main.js
      [ -z "$jest" ] || "$runtime" node_modules/jest/bin/jest.js --ci
    done
  )
done
