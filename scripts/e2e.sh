#!/usr/bin/env bash
# make e2e: the browser journey and the XSS corpus in headless Chromium against a real `jigai serve`
# on a loopback port with a throwaway data folder and the demo round.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${JIGAI_E2E_PORT:-18080}"
out="${JIGAI_E2E_OUT:-data/e2e}"
venv=".venv-e2e"

packages=(chromium chromium-driver python3-venv)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装浏览器测试依赖：${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "selenium>=4.15,<5"
fi

rm -rf "$out"; mkdir -p "$out"
export JIGAI_BASE="http://127.0.0.1:$port" JIGAI_E2E_OUT="$out"
. scripts/demo-server.sh
start_demo_server "$port" "$out/server.log"

status=0
for check in journey xss keyboard concurrency; do
  echo "== 浏览器：$check =="
  if ! timeout 600 "$venv/bin/python" "Tests/Browser/$check.py"; then
    echo "浏览器检查 $check 未通过（截图和日志见 $out）"
    status=1
  fi
done
if [ $status -eq 0 ]; then echo "浏览器检查全部通过，截图见 $out"; fi
exit $status
