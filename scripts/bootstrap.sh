#!/usr/bin/env bash
# Set up everything Siaga needs on a fresh Debian/Ubuntu machine: Debian packages, uv, and .venv.
# Usage: scripts/bootstrap.sh [demo|test]   (test also installs PostgreSQL, Redis and Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-demo}"

packages=(python3 python3-venv libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
if [ "$purpose" = "test" ]; then
  packages+=(postgresql redis-server chromium poppler-utils gettext)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Perlu paket Debian / Debian packages needed: ${missing[*]} (run as root or install sudo)" >&2; exit 1; fi
  echo "Memasang paket Debian / Installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Python the project runs on: 3.11 where present (Debian 12), else the system python3 (3.12 on Ubuntu 24.04).
PY=$(command -v python3.11 || command -v python3)

UV=$(command -v uv || true)
if [ -z "$UV" ]; then
  if [ ! -x .tools/bin/uv ]; then
    echo "Memasang uv / Installing uv"
    "$PY" -m venv .tools
    .tools/bin/pip install -q uv
  fi
  UV=.tools/bin/uv
fi

export UV_PYTHON_DOWNLOADS=never
groups=()
[ "$purpose" = "demo" ] && groups=(--no-dev)
"$UV" sync --frozen --python "$PY" "${groups[@]}" -q
