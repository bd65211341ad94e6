#!/usr/bin/env bash
# Runs one test binary N times (default 20) and counts failures: how a flake is caught before it
# is blamed on a timeout. Run from the repository after a build:
#   scripts/repeat-test.sh build-test/tests/tst_crash 100 [build-test/server/ternd]
# Each failing run's output is kept in /tmp/repeat-<name>-<run>.log.
set -uo pipefail
test_binary="$1"
runs="${2:-20}"
ternd="${3:-$(dirname "$test_binary")/../server/ternd}"
name="$(basename "$test_binary")"
failed=0
for i in $(seq 1 "$runs"); do
  log="/tmp/repeat-$name-$i.log"
  start=$(date +%s)
  if TERND_BINARY="$(realpath "$ternd")" QT_QPA_PLATFORM=offscreen \
     timeout 600 "$test_binary" > "$log" 2>&1; then
    rm -f "$log"
  else
    failed=$((failed + 1))
    echo "run $i failed after $(( $(date +%s) - start )) s: $log"
  fi
done
echo "$name: $((runs - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
