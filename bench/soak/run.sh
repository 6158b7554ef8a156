#!/usr/bin/env bash
# Soak test (issue 16; docs/reliability.md "Soak test"). Not part of CI: 30 minutes by default.
#   bench/soak/run.sh [MINUTES=30] [CONNECTIONS=16] [soak.mjs options: --warmup-minutes 5,
#                     --out results.json, --serve-arg=--workers=2 ...]
# Env: OCULAR_BIN (default build/ocular, a Release build), OCULAR_MODEL_REPO (default models),
# OCULAR_SHARED_DIR (default ../shared: the test photos).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${OCULAR_BIN:-$ROOT/build/ocular}"
CACHE="$(dirname "$BIN")/CMakeCache.txt"
if [[ -f "$CACHE" ]] && ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$CACHE"; then
  echo "warning: $BIN is not a Release build; the figures would not be comparable" >&2
fi
command -v node >/dev/null || { echo "node is not installed" >&2; exit 1; }
export OCULAR_BIN="$BIN"
exec node "$ROOT/bench/soak/soak.mjs" --minutes "${1:-30}" --connections "${2:-16}" "${@:3}"
