#!/usr/bin/env bash
# Model benchmark (docs/performance.md) and converter coverage (docs/converter.md), one run:
#   bench/models.sh pack   # default pack on its golden inputs: ORT 1/2 threads vs tfjs-wasm/-cpu
#   bench/models.sh all    # every human-models graph on a synthetic input: exactness (coverage)
# Needs scripts/setup.sh (npm ci in tools/reference) and `ninja -C build ocular_model_bench`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SET="${1:-pack}"
BUILD="${OCULAR_BUILD_DIR:-$ROOT/build}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
if [ "$SET" = all ]; then
  (cd "$ROOT/tools/reference" && node bench.js --set all --out "$OUT" --runs 1 --backends cpu) >&2
  "$BUILD/ocular_model_bench" "$OUT" 3
else
  (cd "$ROOT/tools/reference" && node bench.js --set pack --out "$OUT" --runs 10 --backends cpu,wasm) >&2
  "$BUILD/ocular_model_bench" "$OUT" 30
fi
