#!/usr/bin/env bash
# Runs a command (by default the whole Go test suite) against a real,
# throwaway PostgreSQL server: Debian's postgresql is installed if missing, a
# cluster is created in a temporary folder, started on 127.0.0.1 and removed
# afterwards. The command sees TIENDO_TEST_PG, a URL of a role that may
# create databases; apptest gives every test its own database there.
#
#   scripts/postgres-test.sh                     # go test -count=1 ./...
#   scripts/postgres-test.sh go test ./handlers/ # any command
set -euo pipefail
cd "$(dirname "$0")/.."

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ]; then
  ./scripts/install-test-deps.sh postgresql
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

port=${TIENDO_PG_PORT:-$((20000 + RANDOM % 20000))}
dir=$(mktemp -d /tmp/tiendo-pg.XXXXXX)
# PostgreSQL refuses to run as root: the cluster belongs to the postgres
# user (created by Debian's package) when we are root.
run=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
  chown postgres "$dir"
  run=(runuser -u postgres --)
fi

stop() {
  "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${run[@]}" "$bindir/initdb" -D "$dir/data" -U tiendo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# A test server: fsync off (the data is thrown away), enough connections for
# parallel test packages, the socket in our own folder.
"${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null

export TIENDO_TEST_PG="postgres://tiendo@127.0.0.1:$port/postgres?sslmode=disable"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
if [ $# -eq 0 ]; then
  set -- go test -count=1 ./...
fi
"$@"
