#!/usr/bin/env bash
# Builds (Release) and runs Tern.
#   scripts/run.sh [tern options]          the desktop app (it can host its own server)
#   scripts/run.sh --server [ternd options] ternd alone, as on a headless box
# Without a display (no $DISPLAY / $WAYLAND_DISPLAY) the server runs, as with --server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
mode=app
if [ "${1:-}" = "--server" ]; then
  mode=server
  shift
elif [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "$(uname)" = Linux ]; then
  mode=server
  echo "No display found: running the server (ternd) alone. Use a desktop session for the app." >&2
fi
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DTERN_BUILD_TESTS=OFF > /dev/null
if [ "$mode" = server ]; then
  cmake --build build-release -j"$(nproc)" --target ternd
  exec build-release/server/ternd "$@"
fi
# The app hosts build-release/server/ternd when asked to ("Host a server on this computer").
cmake --build build-release -j"$(nproc)" --target tern ternd
exec build-release/app/tern "$@"
