#!/usr/bin/env bash
# Packs the package as npm would publish it, installs the tarball into a NestJS 11 (CommonJS)
# and a NestJS 12 (ESM) app, compiles the README's examples (./examples) in each, and runs
# them (./harness.ts) on every version in COMPAT_NODE_VERSIONS (default "22 24 26", the supported
# versions; the runtimes come from the npm registry's `node` package; empty: this machine's Node),
# after checking that no installed package's `engines` refuses one of those versions. An app with a
# `jest` section in its package.json also runs ./jest/*.spec.ts there, as `nest new` sets it up;
# one with vitest, ./vitest/*.spec.ts.
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

apps=${COMPAT_APPS-nest11 nest12}
versions=${COMPAT_NODE_VERSIONS-22 24 26}

# Installs and builds an app in $work/$1, quietly (its log is shown if it fails).
prepare() {
  local app=$1
  mkdir -p "$work/$app/src"
  cp "$root/test/compat/$app/"* "$work/$app/"
  cp "$root/test/compat/harness.ts" "$work/$app/src/main.ts"
  cp -r "$root/test/compat/examples" "$work/$app/src/examples"
  if grep -q '"jest"' "$work/$app/package.json"; then cp "$root/test/compat/jest/"*.spec.ts "$work/$app/src/"; fi
  if grep -q '"vitest"' "$work/$app/package.json"; then cp "$root/test/compat/vitest/"*.spec.ts "$work/$app/src/"; fi
  cd "$work/$app"
  npm install --silent --no-audit --no-fund --no-package-lock "$tarball"
  npm run --silent build
}

# The runtimes and the apps install at once (mostly waiting on the network); the apps then run
# one after the other (with REDIS_URL they share one Redis).
pids=()
for version in $versions; do
  npm install --silent --no-audit --no-fund --no-package-lock --prefix "$work/node$version" "node@$version" >"$work/node$version.log" 2>&1 &
  pids+=($!)
done
for app in $apps; do
  prepare "$app" >"$work/$app.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do
  wait "$pid" || { cat "$work"/*.log >&2; exit 1; }
done

runtimes=()
for version in $versions; do runtimes+=("$work/node$version/node_modules/.bin/node"); done
[ ${#runtimes[@]} -gt 0 ] || runtimes=(node)
runtime_versions=$(for runtime in "${runtimes[@]}"; do "$runtime" -p process.versions.node; done)

for app in $apps; do
  echo "== $app"
  (
    cd "$work/$app"
    cat "$work/$app.log"
    node "$root/test/compat/engines.cjs" . $runtime_versions
    for runtime in "${runtimes[@]}"; do
      "$runtime" dist/main.js
      if [ -d node_modules/jest ]; then "$runtime" node_modules/jest/bin/jest.js --ci; fi
      if [ -d node_modules/vitest ]; then "$runtime" node_modules/vitest/vitest.mjs run; fi
    done
  )
done
