#!/usr/bin/env bash
# ORT threading choice: latency of one request at a time (-c1) and throughput with 4 concurrent
# clients (-c4) for --workers W x --intra-op-threads T combinations, on one 4.0 analyze request
# with model-backed features. bench/load/threads.sh [SECONDS=15]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${OCULAR_BIN:-$ROOT/build/ocular}"
SECS="${1:-15}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
node -e "import('$ROOT/tests/integration/harness.mjs').then(h => require('fs').writeFileSync('$WORK/img.png', h.png(640, 480, 11)))"
export OCULAR_KEY="bench-$RANDOM" OCULAR_IMAGE="$WORK/img.png"
export OCULAR_PATH="${OCULAR_PATH:-/computervision/imageanalysis:analyze?api-version=2023-10-01&features=tags,objects,people}"
echo "| workers x intra-op | -c1 p50 | -c1 req/s | -c4 p50 | -c4 req/s |"
echo "|---|---|---|---|---|"
for combo in "2 1" "1 2" "2 2"; do
  set -- $combo
  OCULAR_API_KEYS="$OCULAR_KEY" "$BIN" serve --plain-http --listen 127.0.0.1:0 --workers "$1" \
    --intra-op-threads "$2" --queue 64 --repo "${OCULAR_MODEL_REPO:-$ROOT/models}" 2>"$WORK/log" &
  pid=$!
  until grep -q "ready:" "$WORK/log"; do sleep 0.2; done
  url="http://127.0.0.1:$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/log" | head -1)"
  wrk -t1 -c1 -d3s -s "$ROOT/bench/load/one.lua" "$url" >/dev/null   # warm-up
  r1="$(wrk -t1 -c1 -d"${SECS}s" --latency -s "$ROOT/bench/load/one.lua" "$url")"
  r4="$(wrk -t2 -c4 -d"${SECS}s" --latency -s "$ROOT/bench/load/one.lua" "$url")"
  kill -TERM "$pid"; wait "$pid" || true
  p50() { echo "$1" | awk '$1 == "50%" {print $2}'; }
  rps() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
  echo "| $1 x $2 | $(p50 "$r1") | $(rps "$r1") | $(p50 "$r4") | $(rps "$r4") |"
done
