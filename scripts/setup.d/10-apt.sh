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
# npm is needed to download a pinned tarball that is not in .deps/tarballs yet (20-npm.sh) and for
# the node projects' `npm ci`; a build with every tarball present and no node project (the
# container build) skips Debian's nodejs + npm (about 400 packages).
needs_npm() {
  local dir name version rest
  for dir in tools/reference tests/contract tests/browser; do
    [ -f "$dir/package-lock.json" ] && return 0
  done
  while IFS=$'\t' read -r name version rest; do
    case "$name" in ''|'#'*) continue ;; esac
    [ -f ".deps/tarballs/$(echo "${name#@}" | tr '/' '-')-${version}.tgz" ] || return 0
  done < deps/npm-lock.tsv
  return 1
}
if ! command -v npm >/dev/null 2>&1 && needs_npm; then
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
