#!/usr/bin/env bash
# Compares two ternd binaries under the same machine load: runs `tern-bench direct` with each,
# alternating, ROUNDS times (noise from other work hits both alike), and prints latency, CPU and
# losses per run. Build the "before" binary from the commit to compare against, e.g.
#   git worktree add /tmp/before e0b6609 && cmake -S /tmp/before -B /tmp/before/b \
#     -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build /tmp/before/b --target ternd
#
#   scripts/bench-ab.sh BEFORE_TERND AFTER_TERND [RATE=10000] [SECONDS=10] [ROUNDS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 2,9p "$0"; exit 2; }
before=$1 after=$2 rate=${3:-10000} seconds=${4:-10} rounds=${5:-2}
bench=${TERN_BENCH:-build-test/tests/bench/tern-bench}
[ -x "$bench" ] || { echo "bench-ab: build tern-bench first ($bench)" >&2; exit 2; }
for round in $(seq 1 "$rounds"); do
  for which in before after; do
    binary=$before
    [ "$which" = after ] && binary=$after
    echo "== $which, round $round, load $(cut -d' ' -f1 /proc/loadavg)"
    timeout 300 "$bench" direct --ternd "$binary" --rate "$rate" --duration "$seconds" 2>/dev/null |
      grep -E "achieved|latency|lost|CPU"
  done
done
