#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on a local port and prints the export line for
# MPR_TEST_POSTGRES_URL. `--stop` stops it. Used by .ci/run; handy by hand too (fsync is off
# for the tests; MPR_PG_FSYNC=on, as bench.backend_load sets, for durable commits):
#   eval "$(bash scripts/start-test-postgres.sh)"
set -euo pipefail
dir=${MPR_PG_DIR:-/tmp/mpr-test-pg}
port=${MPR_PG_PORT:-55432}
bindir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
run_as=()
[ "$(id -u)" -eq 0 ] && run_as=(runuser -u postgres --)

if [ "${1:-}" = "--stop" ]; then
  if [ -d "$dir/data" ]; then
    "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  fi
  exit 0
fi

if ! "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  "${run_as[@]}" "$bindir/initdb" -D "$dir/data" -U mpr --auth=trust >/dev/null
  "${run_as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${MPR_PG_FSYNC:-off} -c max_connections=200" start >/dev/null
  "${run_as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U mpr mpr_test
fi
echo "export MPR_TEST_POSTGRES_URL=postgresql+psycopg://mpr@127.0.0.1:$port/mpr_test"
