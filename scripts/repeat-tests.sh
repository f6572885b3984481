#!/usr/bin/env bash
# Runs the same tests N times in a row and stops at the first failure: the check that a test
# which uses real time (sockets, Redis, child processes, deadlines) is not flaky.
#   bash scripts/repeat-tests.sh 50 test/token/token-endpoint-hostile.spec.ts
#   bash scripts/repeat-tests.sh 50 test/token/token-lifecycle.spec.ts -t "real clock"
set -uo pipefail
runs="${1:?usage: repeat-tests.sh RUNS [vitest run arguments...]}"
shift
started=$SECONDS
for ((run = 1; run <= runs; run++)); do
  if ! log=$(NO_COLOR=1 npx vitest run "$@" 2>&1); then
    printf '%s\n' "$log" | tail -n 60
    echo "repeat-tests: run $run of $runs FAILED ($*)"
    exit 1
  fi
  # A filter that matches nothing passes vacuously: that is not a run.
  if ! grep -qE 'Tests +[0-9]+ passed' <<<"$log"; then
    printf '%s\n' "$log" | tail -n 20
    echo "repeat-tests: run $run ran no test ($*)"
    exit 1
  fi
  echo "repeat-tests: run $run of $runs passed"
done
echo "repeat-tests: $runs of $runs passed in $((SECONDS - started)) s ($*)"
