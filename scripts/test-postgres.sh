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

# The restore drill on PostgreSQL: the demo data is backed up, restored into an empty database and an empty data
# folder, and the copy is compared with psql and sha256sum rather than with the code under test.
echo "== 备份恢复演练（PostgreSQL）=="
jigai=".build/debug/jigai"
drill=$(mktemp -d /tmp/jigai-drill.XXXXXX)
base="postgres://postgres@127.0.0.1:$port"
for database in jigai_drill jigai_restored; do
  as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
done
source_env=(env DATABASE_URL="$base/jigai_drill?sslmode=disable" JIGAI_DATA="$drill/source")
"${source_env[@]}" "$jigai" migrate --yes > "$drill/log" 2>&1
"${source_env[@]}" "$jigai" demo >> "$drill/log" 2>&1
"${source_env[@]}" "$jigai" backup -o "$drill/backup.tar" >> "$drill/log" 2>&1
env DATABASE_URL="$base/jigai_restored?sslmode=disable" JIGAI_DATA="$drill/restored" "$jigai" restore "$drill/backup.tar" >> "$drill/log" 2>&1 \
  || { cat "$drill/log"; exit 1; }
counts() {
  local database=$1
  for table in $("$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d "$database" -Atc \
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"); do
    echo "$table $("$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d "$database" -Atc "SELECT count(*) FROM \"$table\"")"
  done
}
hashes() { (cd "$1/attachments" && find . -type f ! -path './incoming/*' -exec sha256sum {} + | sort); }
counts jigai_drill > "$drill/source.counts"
counts jigai_restored > "$drill/restored.counts"
hashes "$drill/source" > "$drill/source.hashes"
hashes "$drill/restored" > "$drill/restored.hashes"
if ! diff -u "$drill/source.counts" "$drill/restored.counts" || ! diff -u "$drill/source.hashes" "$drill/restored.hashes"; then
  echo "备份恢复演练失败：恢复后的行数或附件与原数据不一致"; exit 1
fi
echo "恢复后 $(wc -l < "$drill/restored.counts") 张表的行数（共 $(awk '{s+=$2} END {print s}' "$drill/restored.counts") 行）和 $(wc -l < "$drill/restored.hashes") 个附件文件的 SHA-256 与原数据一致"
rm -rf "$drill"
