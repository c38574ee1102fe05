#!/usr/bin/env bash
# The JSON API against its schema: schemathesis sends generated requests (examples, boundary values, fuzzing) for every
# operation in docs/openapi.yaml to a real `jigai serve` with the demo data, signed in as each role, and fails on any
# 5xx or on a response that does not match the schema. `make test` runs it; so can `make api-check`.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${JIGAI_API_PORT:-18090}"
venv=".venv-api"
examples="${JIGAI_API_EXAMPLES:-20}"

if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis>=4.32,<5"
fi
. scripts/demo-server.sh
start_demo_server "$port"
base="http://127.0.0.1:$port"
log="$data/server.log"

# Signs in through the API and prints the cookie and CSRF headers for that session.
session_headers() {
  local jar="$data/$1.cookies"
  local csrf
  csrf=$(curl -fsS -c "$jar" "$base/api/csrf" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrfToken"])')
  csrf=$(curl -fsS -b "$jar" -c "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"Jigai-Demo-2023\"}" "$base/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrfToken"])')
  local cookies
  cookies=$(awk '$0 !~ /^#/ || $0 ~ /^#HttpOnly_/ { if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$jar")
  printf '%s\n%s\n' "Cookie: ${cookies%; }" "X-CSRF-Token: $csrf"
}

status=0
# Signing in or out would replace the very session the run uses.
for login in 91140200MA0D9T2C8U taiyuan datong yuancailiao admin; do
  mapfile -t headers < <(session_headers "$login")
  echo "== JSON API 对照 docs/openapi.yaml：$login =="
  if ! "$venv/bin/schemathesis" run docs/openapi.yaml --url "$base" -H "${headers[0]}" -H "${headers[1]}" \
      --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
      --exclude-operation-id signIn --exclude-operation-id signOut \
      --max-examples "$examples" --workers 2 --no-color --warnings off; then
    status=1
  fi
done
if [ $status -ne 0 ]; then echo "JSON API 与 docs/openapi.yaml 不符或出现 5xx；服务器日志：$log"; cp "$log" /tmp/jigai-api-server.log; fi
exit $status
