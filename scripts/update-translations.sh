#!/usr/bin/env bash
# Re-extracts every tr() string of the app into translations/*.ts, keeping existing translations,
# then lists what still needs a German translation (exit status 1 while anything does).
# English needs only plural forms ("1 member" / "2 members"); German needs everything.
#
# `-I .` lets lupdate read the headers (#include "app/ui/X.h"): without them it cannot see that a
# class lives in namespace tern::app::…, and writes a context ("ChatPane") that never matches the
# one moc gives tr() at run time ("tern::app::ui::ChatPane"), so the text silently stays English.
#
# TERN_TS_DIR writes the .ts files elsewhere (tst_translations regenerates copies to check that
# the committed ones are current); LUPDATE picks the lupdate binary.
set -euo pipefail
cd "$(dirname "$0")/.."
TS_DIR=${TERN_TS_DIR:-translations}
LUPDATE=${LUPDATE:-$(command -v lupdate || echo /usr/lib/qt6/bin/lupdate)}
"$LUPDATE" -silent -I . -locations relative -no-obsolete app -ts "$TS_DIR/tern_de.ts"
"$LUPDATE" -silent -I . -locations relative -no-obsolete -pluralonly app -ts "$TS_DIR/tern_en.ts"
if [ -z "${TERN_TS_DIR:-}" ]; then
    python3 scripts/fill-check-translations.py "$TS_DIR/tern_de.ts" "$TS_DIR/tern_en.ts"
fi
