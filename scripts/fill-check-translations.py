#!/usr/bin/env python3
"""Checks the app's Qt Linguist files (translations/*.ts) before they are shipped.

Reports, and exits with status 1 on, any message that
  * is still unfinished (type="unfinished") or has an empty translation / plural form,
  * has the wrong number of plural forms (<numerusform>) for the file's language,
  * uses a different set of placeholders (%1..%9, %n, also as %L1 / %Ln) than its source,
  * drops or adds a keyboard mnemonic ("&File" -> "&Datei"; "&&" is a literal ampersand).

Run it after `scripts/update-translations.sh` has pulled in new strings:
    scripts/fill-check-translations.py            # checks translations/*.ts
    scripts/fill-check-translations.py FILE.ts    # checks the given files
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

# Plural forms Qt expects per language (see QTranslator / lrelease numerus rules).
PLURAL_FORMS = {"de": 2, "en": 2}

PLACEHOLDER = re.compile(r"%L?([1-9]|n)")
MNEMONIC = re.compile(r"&(?!&)(?=\S)")


def placeholders(text):
    return {"%" + m for m in PLACEHOLDER.findall(text or "")}


def has_mnemonic(text):
    return bool(MNEMONIC.search((text or "").replace("&&", "")))


def check_file(path):
    problems = []
    root = ET.parse(path).getroot()
    language = (root.get("language") or "").split("_")[0]
    forms_expected = PLURAL_FORMS.get(language)
    counts = {"messages": 0, "numerus": 0}
    for context in root.iter("context"):
        ctx = context.findtext("name") or "?"
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else None
            if kind in ("vanished", "obsolete"):
                continue  # not compiled by lrelease
            counts["messages"] += 1
            source = message.findtext("source") or ""
            where = f"{os.path.basename(path)}: [{ctx}] {source!r}"
            if translation is None:
                problems.append(f"{where}: no <translation> element")
                continue
            if kind == "unfinished":
                problems.append(f"{where}: unfinished")
            numerus = message.get("numerus") == "yes"
            if numerus:
                counts["numerus"] += 1
                forms = [f.text or "" for f in translation.findall("numerusform")]
                if forms_expected is not None and len(forms) != forms_expected:
                    problems.append(f"{where}: {len(forms)} plural forms, expected {forms_expected}")
            else:
                forms = [translation.text or ""]
            want = placeholders(source)
            for i, form in enumerate(forms):
                label = f"{where}" + (f" (plural form {i})" if numerus else "")
                if not form.strip():
                    problems.append(f"{label}: empty translation")
                    continue
                got = placeholders(form)
                if got != want:
                    problems.append(f"{label}: placeholders {sorted(got)} != source {sorted(want)}"
                                    f" in {form!r}")
                if has_mnemonic(source) != has_mnemonic(form):
                    problems.append(f"{label}: mnemonic (&) mismatch in {form!r}")
    return counts, problems


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    files = argv[1:] or sorted(glob.glob(os.path.join(here, "..", "translations", "*.ts")))
    if not files:
        print("no .ts files found", file=sys.stderr)
        return 1
    all_problems = []
    for path in files:
        counts, problems = check_file(path)
        status = "OK" if not problems else f"{len(problems)} problem(s)"
        print(f"{os.path.relpath(path)}: {counts['messages']} messages "
              f"({counts['numerus']} with plural forms): {status}")
        all_problems += problems
    for problem in all_problems:
        print("  " + problem)
    return 1 if all_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
