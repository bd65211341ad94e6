#!/usr/bin/env bash
# Re-extracts every tr() string of the app into translations/*.ts, keeping existing translations.
# English needs only plural forms ("1 member" / "2 members"); German needs everything.
set -euo pipefail
cd "$(dirname "$0")/.."
LUPDATE=$(command -v lupdate || echo /usr/lib/qt6/bin/lupdate)
"$LUPDATE" -locations relative -no-obsolete app -ts translations/tern_de.ts
"$LUPDATE" -locations relative -no-obsolete -pluralonly app -ts translations/tern_en.ts
