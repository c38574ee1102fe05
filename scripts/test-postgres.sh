#!/usr/bin/env bash
# Runs the database-facing tests against a throwaway PostgreSQL cluster on a loopback port, then removes it.
# initdb and pg_ctl refuse to run as root, so as root they run as the postgres user.
set -euo pipefail

pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
port=${JIGAI_TEST_PG_PORT:-55432}
cluster=$(mktemp -d /tmp/jigai-pg.XXXXXX)

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$cluster"
stop() {
  as_postgres "$pg_bin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop EXIT

as_postgres "$pg_bin/initdb" -D "$cluster/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
  -o "-p $port -k $cluster -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres jigai_test

echo "== 数据库测试（PostgreSQL，127.0.0.1:$port）=="
TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/jigai_test?sslmode=disable" \
  swift test --skip-build --no-parallel --filter AppTests "$@"
