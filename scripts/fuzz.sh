#!/usr/bin/env bash
# Fuzzes ternd's frame decoder, HTTP media parsing, WebSocket framing and a signed-in session with
# libFuzzer for a given time.
#   scripts/fuzz.sh <frame|http|ws|session|all> [seconds per target, default 60]
# Builds build-fuzz with clang (-DTERN_FUZZ=ON: ASan+UBSan+coverage). New interesting inputs go to
# build-fuzz/found-<target>/, so the seed corpus in tests/fuzz/corpus stays small; fold worthwhile
# ones in with
#   build-fuzz/tests/fuzz/fuzz_<target> -merge=1 tests/fuzz/corpus/<target> build-fuzz/found-<target>
# A crash (or a broken promise, which the targets turn into an abort) ends the run with a non-zero
# exit and prints the path of the input that caused it; replay it with
#   build-fuzz/tests/fuzz/fuzz_<target> FILE   (or fuzz_<target>_replay FILE in any build).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-all}"
seconds="${2:-60}"
case "$target" in frame | http | ws | session) targets=("$target") ;; all) targets=(frame http ws session) ;;
  *) echo "usage: $0 <frame|http|ws|session|all> [seconds]" >&2; exit 2 ;;
esac
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "usage: $0 <frame|http|ws|session|all> [seconds]; seconds must be a positive number" >&2
  exit 2
fi
scripts/deps.sh

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
install_packages() {
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@"
}
command -v clang++ > /dev/null || install_packages clang
# libFuzzer and the sanitizer runtimes are only a Recommends of clang: try linking a fuzzer.
fuzzer_links() {
  printf 'extern "C" int LLVMFuzzerTestOneInput(const char *, unsigned long) { return 0; }\n' |
    clang++ -x c++ -fsanitize=fuzzer,address,undefined -o /dev/null - 2> /dev/null
}
if ! fuzzer_links; then
  install_packages "libclang-rt-$(clang++ -dumpversion | cut -d. -f1)-dev"
fi

export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DTERN_FUZZ=ON > /dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build-fuzz/artifacts
status=0
for t in "${targets[@]}"; do
  # Frames up to just past kMaxFrameBytes (64 KiB) reach the too_large path; HTTP heads are
  # refused past 16 KiB, so longer inputs only cost time.
  case "$t" in frame) max_len=70000 ;; http) max_len=20000 ;; ws) max_len=20000 ;; session) max_len=8000 ;; esac
  mkdir -p "build-fuzz/found-$t"
  marker="build-fuzz/artifacts/.started-$t"
  touch "$marker"
  echo "== fuzz_$t for ${seconds}s"
  if ! "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
    -artifact_prefix="build-fuzz/artifacts/$t-" -print_final_stats=1 \
    "build-fuzz/found-$t" "tests/fuzz/corpus/$t"; then
    status=1
    echo "== fuzz_$t FAILED; the input(s):" >&2
    find build-fuzz/artifacts -maxdepth 1 -type f -name "$t-*" -newer "$marker" >&2
  fi
done
exit "$status"
