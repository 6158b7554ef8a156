#!/usr/bin/env bash
# Installs the Debian packages listed in deps/apt-packages.txt (skips apt when all are present).
set -euo pipefail
cd "$OCULAR_ROOT"
mapfile -t pkgs < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' deps/apt-packages.txt | grep -v '^$')
missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "    all ${#pkgs[@]} Debian packages present"
  exit 0
fi
echo "    installing ${#missing[@]} Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || { echo "apt-get update failed" >&2; exit 1; }
if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  echo "apt-get install failed for: ${missing[*]}" >&2
  exit 1
fi
