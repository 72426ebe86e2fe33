#!/usr/bin/env bash
# Runs a command with MPR_TEST_POSTGRES_URL pointing at a throw-away PostgreSQL cluster, so
# that `make test` covers both storage engines. An URL already set is used as it is.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${MPR_TEST_POSTGRES_URL:-}" ]; then
  exec "$@"
fi
if [ -z "$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null)" ]; then
  echo "PostgreSQL absent: the backend suite runs on SQLite only (apt-get install postgresql)." >&2
  exec "$@"
fi
eval "$(bash "$here/start-test-postgres.sh")"
trap 'bash "$here/start-test-postgres.sh" --stop' EXIT
"$@"
