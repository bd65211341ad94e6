#!/usr/bin/env bash
# Fuzzes ternd's frame decoder and HTTP media parsing with libFuzzer for a given time.
#   scripts/fuzz.sh <frame|http|all> [seconds per target, default 60]
# Builds build-fuzz with clang (-DTERN_FUZZ=ON: ASan+UBSan+coverage). New interesting inputs go to
# build-fuzz/found-<target>/, so the seed corpus in tests/fuzz/corpus stays small; fold worthwhile
# ones in with `fuzz_<target> -merge=1 tests/fuzz/corpus/<target> build-fuzz/found-<target>`.
# A crash stops the run with a non-zero exit and leaves its input as build-fuzz/crash-*.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-all}"
seconds="${2:-60}"
case "$target" in frame | http) targets=("$target") ;; all) targets=(frame http) ;;
  *) echo "usage: $0 <frame|http|all> [seconds]" >&2; exit 2 ;;
esac
scripts/deps.sh
if ! command -v clang++ > /dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends clang
fi
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DTERN_FUZZ=ON > /dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}"
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/found-$t"
  echo "== fuzz_$t for ${seconds}s"
  "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -artifact_prefix=build-fuzz/ -print_final_stats=1 \
    "build-fuzz/found-$t" "tests/fuzz/corpus/$t"
done
