#!/usr/bin/env bash
# Builds (Release) and runs ternd; arguments go to ternd (see `scripts/run.sh --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DTERN_BUILD_TESTS=OFF > /dev/null
cmake --build build-release -j"$(nproc)" --target ternd
exec build-release/server/ternd "$@"
