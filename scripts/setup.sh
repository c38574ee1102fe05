#!/usr/bin/env bash
# Installs the Debian 12 packages the build, the app and the tests need; does nothing when all are present.
set -euo pipefail

packages=(
  pkg-config libsqlite3-dev
  libpango1.0-dev libcairo2-dev libqpdf-dev libxlsxwriter-dev fonts-noto-cjk
  qpdf poppler-utils unzip postgresql sqlite3 python3
  python3-venv pango1.0-tools
  # Cryptography links libcrypto and libqrencode; its test renders the QR code's SVG and reads it back with zbarimg.
  libssl-dev libqrencode-dev zbar-tools librsvg2-bin
  # Passwords are checked against a real dictionary (cracklib-check).
  cracklib-runtime
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "安装系统依赖：${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
