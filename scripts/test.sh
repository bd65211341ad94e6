#!/usr/bin/env bash
# Builds and runs every test. `--sanitize` builds with ASan+UBSan in its own build folder.
# Warnings are errors here, as in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
# Let ccache reuse objects across checkouts in different folders (CI clones elsewhere).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
dir=build-test
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DTERN_WERROR=ON)
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  flags=(-DCMAKE_BUILD_TYPE=Debug -DTERN_WERROR=ON -DTERN_SANITIZE=ON)
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
cmake -S . -B "$dir" "${flags[@]}" > /dev/null
cmake --build "$dir" -j"$(nproc)"
cd "$dir"
ctest --output-on-failure --timeout 600 -j1
