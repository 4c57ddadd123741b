#!/usr/bin/env bash
# One command: install, migrate, import the demo content, build the search index and the similarity model
# (only when something changed), print the demo accounts, start the site.
# Usage: scripts/run.sh              http://127.0.0.1:5000
#        PORT=8000 scripts/run.sh    another port (the port is checked before any setup: a busy one fails at once)
set -euo pipefail
PORT="${PORT:-5000}"
PYTHON_FOR_CHECK="${PYTHON:-python3}"
if ! "$PYTHON_FOR_CHECK" "$(dirname "$0")/port_free.py" 127.0.0.1 "$PORT"; then
  echo "FOUT: poort $PORT is al in gebruik of ongeldig. Stop het programma dat hem gebruikt, of kies een andere:" >&2
  echo "      PORT=8000 scripts/run.sh" >&2
  exit 1
fi
source "$(dirname "$0")/_venv.sh" requirements.txt
export PILOTSTARTER_DEV="${PILOTSTARTER_DEV:-1}"   # local development: cookies without the Secure flag
flask init
flask import-content content/pilots
accounts="$(flask demo-accounts)"   # printed last, so it does not scroll away
flask demo-scaleup
flask demo-adoptions               # after demo-scaleup: municipalities reusing the scaled-up demo pilots
flask demo-calls
flask demo-documents              # small demo documents (content/documents) on demo pilots
flask reindex --if-needed          # search index and similarity model ready before the first visitor
echo
echo "$accounts"
echo
echo "==> Mails are sent by a background thread; without MAIL_SERVER they appear as .eml files in ${PILOTSTARTER_DATA_DIR:-instance}/mail/"
echo "==> Pilotstarter starts on http://127.0.0.1:${PORT}  (stop with Ctrl-C)"
export MAIL_WORKER="${MAIL_WORKER:-thread}"   # the outbox is sent from the server process (wsgi.py)
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:${PORT}}"   # links in mails
exec flask run --host 127.0.0.1 --port "${PORT}"
