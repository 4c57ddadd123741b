#!/usr/bin/env bash
# For developers, after adding or changing interface texts: extract every wrapped text (babel.cfg) into
# messages.pot, merge it into each language's messages.po (new texts arrive empty, changed ones fuzzy), and
# compile the .mo files the app reads. Then translate what tests/web/test_translations_complete.py lists, and
# run this again to compile. The compiled .mo files are committed: a fresh clone runs without this step, and
# tests/services/test_mail_translations.py fails when a .mo is older than its .po.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"
pybabel() { "$PYTHON" -m babel.messages.frontend "$@"; }
DIR=pilotstarter_web/translations
# _l is lazy_gettext (forms, labels at import time); _, gettext and ngettext are pybabel's defaults.
pybabel extract -F babel.cfg -k _l --no-location --sort-output --no-wrap --project Pilotstarter -o "$DIR/messages.pot" .
pybabel update -i "$DIR/messages.pot" -d "$DIR" --no-wrap --ignore-obsolete --no-fuzzy-matching
pybabel compile -d "$DIR"
"$PYTHON" - "$DIR/messages.pot" <<'PY'
import sys
from babel.messages.pofile import read_po

with open(sys.argv[1], "rb") as f:
    print(f"{sum(1 for m in read_po(f) if m.id)} texts in {sys.argv[1]}")
PY
