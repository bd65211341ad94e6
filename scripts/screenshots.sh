#!/usr/bin/env bash
# Regenerates the README screenshots (docs/screenshots/*.png) from the UI tests that take them,
# with the fonts of scripts/deps.sh (Noto Sans, Noto Color Emoji), under the offscreen platform.
#   scripts/screenshots.sh [build-dir, default build]
# Builds only what it needs, runs only the test functions that take the pictures, copies them
# over the committed ones and shrinks them with optipng when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
scripts/deps.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
if [ -z "$(fc-list 'Noto Sans')" ]; then
  echo "Noto Sans is not installed (fonts-noto-core): the pictures would not look like a desktop" >&2
  exit 1
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build "$build" -j"$(nproc)" --target ternd tst_appui tst_uiwidgets tst_connectdialogs
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export QT_QPA_PLATFORM=offscreen TERN_NO_KEYCHAIN=1 TERND_BINARY="$PWD/$build/server/ternd" LANG=C.UTF-8
# test binary, test functions, then "saved-name:readme-name" pairs
shots=(
  "tst_appui sendUnreadBadgeReadTickAndTyping groupCreatedFromDialog outboxSurvivesAppRestart
   firstRunShowsConnectScreenThenResumes imageAttachedShowsThumbnailAndOpens
   -- main-chat.png:chat-light.png new-group.png group.png offline.png connect.png
   image-viewer.png media-messages.png"
  "tst_uiwidgets screenshots -- chat-dark.png"
  "tst_connectdialogs emptyStateAndLanServer groupPanelRenamesAndLeaves
   -- connect-signin.png group-info.png"
)
for entry in "${shots[@]}"; do
  read -r -a words <<< "$(echo $entry)"
  binary="${words[0]}"
  functions=() files=() seen=0
  for w in "${words[@]:1}"; do
    if [ "$w" = "--" ]; then seen=1; elif [ $seen -eq 0 ]; then functions+=("$w"); else files+=("$w"); fi
  done
  dir="$out/$binary"
  mkdir -p "$dir"
  echo "== $binary ${functions[*]}"
  TERN_TEST_OUTDIR="$dir" "$build/tests/$binary" "${functions[@]}" > "$dir.log" 2>&1 ||
    { cat "$dir.log"; echo "$binary failed; screenshots left as they were" >&2; exit 1; }
  for f in "${files[@]}"; do
    cp "$dir/${f%%:*}" "docs/screenshots/${f##*:}"
  done
done
if command -v optipng > /dev/null; then
  optipng -quiet -o2 -strip all docs/screenshots/*.png
fi
ls -l docs/screenshots
