#!/usr/bin/env bash
# Bounded load run against `ocular serve` on loopback (issue 7 evidence): wrk, 64 connections,
# mixed valid and malformed requests (mixed.lua). Reports 5xx (apart from intended 503s), whether
# the server survived, and RSS after warm-up vs at the end.
#   bench/load/run.sh [DURATION_S=60] [CONNECTIONS=64]
# Env: OCULAR_BIN (default build/ocular), OCULAR_MODEL_REPO (default models), SERVE_ARGS (extra).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${OCULAR_BIN:-$ROOT/build/ocular}"
DURATION="${1:-60}"
CONNS="${2:-64}"
WARMUP=10
KEY="load-key-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

# A 640x480 PNG test image (generated; nothing private).
node -e "import('$ROOT/tests/integration/harness.mjs').then(h => require('fs').writeFileSync('$WORK/img.png', h.png(640, 480, 11)))"

. "$ROOT/bench/lib/serve.sh"
# shellcheck disable=SC2086
start_server "$BIN" "$KEY" "$WORK/server.log" ${SERVE_ARGS:-}
rss() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }
metric5xx() {
  curl -s "$URL/metrics" | awk '/^ocular_http_requests_total/ && /status="5[0-9][0-9]"/ && !/status="503"/ {s += $NF} END {print s + 0}'
}
echo "server pid $PID on $URL; $(nproc) cores; $(grep -o 'workers=[0-9]* queue=[0-9]* io_threads=[0-9]*' "$WORK/server.log")"
echo "RSS at start: $(rss) KiB"
export OCULAR_KEY="$KEY" OCULAR_IMAGE="$WORK/img.png"
wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$ROOT/bench/load/mixed.lua" "$URL" >/dev/null
RSS_WARM="$(rss)"
echo "RSS after ${WARMUP}s warm-up: $RSS_WARM KiB"
echo "== wrk -t2 -c$CONNS -d${DURATION}s -s bench/load/mixed.lua"
wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 30s --latency -s "$ROOT/bench/load/mixed.lua" "$URL" | tee "$WORK/wrk.txt"
RSS_END="$(rss)"
ALIVE=yes; kill -0 "$PID" 2>/dev/null || ALIVE=no
M5XX="$(metric5xx)"
curl -s "$URL/metrics" | grep -E '^ocular_http_requests_total' | sort > "$WORK/metrics.txt" || true
kill -TERM "$PID"
wait "$PID" && EXIT=0 || EXIT=$?
echo "== summary"
echo "server alive at end: $ALIVE; exit code after SIGTERM: $EXIT"
echo "5xx other than 503 (server metrics, warm-up included): $M5XX"
echo "RSS warm-up -> end: $RSS_WARM -> $RSS_END KiB ($(awk "BEGIN {printf \"%+.1f\", ($RSS_END - $RSS_WARM) * 100 / $RSS_WARM}")%)"
echo "requests by route and status (server metrics):"
sed 's/^ocular_http_requests_total/  /' "$WORK/metrics.txt"
grep -c " error \| critical " "$WORK/server.log" | xargs -I{} echo "error log lines: {}"
