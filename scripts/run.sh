#!/usr/bin/env bash
# One command: install, migrate, import the demo content, print demo accounts, build the search index and
# the similarity model, start the site.
# Usage: scripts/run.sh            (http://127.0.0.1:5000; PORT=8000 scripts/run.sh for another port)
source "$(dirname "$0")/_venv.sh" requirements.txt
export PILOTSTARTER_DEV="${PILOTSTARTER_DEV:-1}"   # local development: cookies without the Secure flag
flask init
flask import-content content/pilots
flask demo-accounts
flask demo-scaleup
flask reindex                      # search index and similarity model ready before the first visitor
echo "==> Pilotstarter runs on http://127.0.0.1:${PORT:-5000}  (stop with Ctrl-C)"
echo "==> Mails are sent by a background thread; without MAIL_SERVER they appear as .eml files in ${PILOTSTARTER_DATA_DIR:-instance}/mail/"
export MAIL_WORKER="${MAIL_WORKER:-thread}"   # the outbox is sent from the server process (wsgi.py)
export PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:${PORT:-5000}}"   # links in mails
exec flask run --host 127.0.0.1 --port "${PORT:-5000}"
