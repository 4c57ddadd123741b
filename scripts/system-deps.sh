#!/usr/bin/env bash
# Debian packages the tests use, and a PostgreSQL test database. Idempotent; needs root and apt-get.
# Writes the database URL to .venv/.test-database-url for scripts/test.sh (which made .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cluster="$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')"
if [ -z "$cluster" ]; then
  pg_createcluster 15 main >/dev/null
  cluster="15 main"
fi
# shellcheck disable=SC2086
pg_ctlcluster $cluster start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 0.5; done
psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
if [ "$(psql_admin "select 1 from pg_roles where rolname='pilotstarter'")" != 1 ]; then
  psql_admin "create role pilotstarter login password 'pilotstarter' createdb"
fi
if [ "$(psql_admin "select 1 from pg_database where datname='pilotstarter_test'")" != 1 ]; then
  su postgres -c "createdb -O pilotstarter pilotstarter_test"
fi
echo "postgresql+psycopg://pilotstarter:pilotstarter@127.0.0.1/pilotstarter_test" > .venv/.test-database-url
