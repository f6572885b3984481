#!/usr/bin/env bash
# Packs the package as npm would publish it, installs the tarball into a NestJS 11 (CommonJS)
# and a NestJS 12 (ESM) app, and runs each: boot, token from the fake, an authorized call.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball=$(ls "$work"/nestjs-dintero-auth-*.tgz)
for app in nest11 nest12; do
  echo "== $app"
  cp -r "$root/test/compat/$app" "$work/$app"
  (
    cd "$work/$app"
    npm install --silent --no-audit --no-fund --no-package-lock "$tarball"
    npm run --silent build
    node dist/main.js
  )
done
