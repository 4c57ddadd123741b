#!/usr/bin/env bash
# One command: install what the tests need and run the whole suite, on SQLite and then on PostgreSQL.
# Extra arguments go to pytest (e.g. scripts/test.sh -x -k pilots).
# Browser tests need Debian's Chromium (/usr/bin/chromium); the PostgreSQL run needs a server.
# Both are installed and started here when this runs as root with apt-get (as on CI); otherwise the
# affected tests skip with the reason shown. Once installed here (or with CI set), a missing Chromium or
# PostgreSQL is a failure, not a skip.
set -euo pipefail
source "$(dirname "$0")/_venv.sh" requirements-dev.txt
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  scripts/system-deps.sh
  export CI="${CI:-1}"  # installed just now: if they are missing anyway, that must fail, not skip
fi
if [ -z "${TEST_DATABASE_URL:-}" ] && [ -f .venv/.test-database-url ]; then
  TEST_DATABASE_URL="$(cat .venv/.test-database-url)"
fi

echo "==> Tests on SQLite"
TEST_DATABASE_URL= python -m pytest "$@"

if [ $# -eq 0 ]; then  # the whole suite: the engine once more with its fast paths off (a chosen subset runs once)
  echo "==> The search engine's tests again on stock Whoosh (SEARCH_FAST_PATHS=0)"
  SEARCH_FAST_PATHS=0 TEST_DATABASE_URL= python -m pytest tests/search_index -m "not slow" -q -p no:cacheprovider
fi

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "==> Tests on PostgreSQL ($TEST_DATABASE_URL)"
  TEST_DATABASE_URL="$TEST_DATABASE_URL" python -m pytest "$@"
elif [ -n "${CI:-}" ]; then
  echo "FAIL: CI must run the suite on PostgreSQL, but no server is available (TEST_DATABASE_URL)." >&2
  exit 1
else
  echo "==> SKIPPED the PostgreSQL run: no server (set TEST_DATABASE_URL, or run as root with apt-get)."
fi
