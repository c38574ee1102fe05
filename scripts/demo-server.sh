# Sourced by the checks that need a real server: `start_demo_server PORT [LOG]` migrates a throwaway data folder,
# loads the demo round and accounts, serves on 127.0.0.1:PORT and waits until /healthz answers. The server's output
# goes to LOG (default: in the folder). Sets `data` (the folder) and `server` (the pid); on exit the server is stopped
# and the folder removed.
start_demo_server() {
  local port=$1 jigai=${JIGAI_BINARY:-.build/debug/jigai}
  [ -x "$jigai" ] || swift build --product jigai
  data="$(mktemp -d /tmp/jigai-demo-XXXXXX)"
  local log=${2:-$data/server.log}
  export JIGAI_DATA="$data"
  "$jigai" migrate --yes > "$log" 2>&1
  "$jigai" demo >> "$log" 2>&1
  "$jigai" serve --demo --hostname 127.0.0.1 --port "$port" >> "$log" 2>&1 &
  server=$!
  trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data"' EXIT
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "服务器未能在 20 秒内启动，日志：" >&2
  cat "$log" >&2
  return 1
}
