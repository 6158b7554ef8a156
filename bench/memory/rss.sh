#!/usr/bin/env bash
# Memory budget (issue 16, docs/reliability.md): RSS of one `ocular serve` in three scenarios, in
# one run: idle after loading, after 60 s of the vision features at concurrency 8, after 60 s
# of requests that include read at concurrency 8. Also the peak (VmHWM) of each phase.
#   bench/memory/rss.sh [SECONDS=60] [CONNECTIONS=8]
# Env: OCULAR_BIN (default build/ocular), OCULAR_MODEL_REPO (default models), SERVE_ARGS (extra
# serve flags, e.g. --max-decode-pixels), VISION_IMAGE / READ_IMAGE (defaults: shared photos).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="${OCULAR_BIN:-$ROOT/build/ocular}"
SECONDS_PER="${1:-60}"
CONNS="${2:-8}"
IMAGES="$ROOT/../shared/testdata/images"
VISION_IMAGE="${VISION_IMAGE:-$IMAGES/faces_group_selfie.jpg}"
READ_IMAGE="${READ_IMAGE:-$IMAGES/doc_page.png}"
KEY="mem-key-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

OCULAR_API_KEYS="$KEY" "$BIN" serve --plain-http --listen 127.0.0.1:0 \
  --repo "${OCULAR_MODEL_REPO:-$ROOT/models}" ${SERVE_ARGS:-} 2>"$WORK/server.log" &
PID=$!
for _ in $(seq 1 600); do
  grep -q "ready: analysis service loaded" "$WORK/server.log" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.2
done
PORT="$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/server.log" | head -1)"
URL="http://127.0.0.1:$PORT"
field() { awk -v f="$1:" '$1 == f {printf "%.0f", $2 / 1024}' "/proc/$PID/status"; }
phase() {  # name, image, features
  echo 5 >"/proc/$PID/clear_refs"
  OCULAR_KEY="$KEY" OCULAR_IMAGE="$2" \
  OCULAR_PATH="/computervision/imageanalysis:analyze?api-version=2024-02-01&features=$3" \
    wrk -t2 -c"$CONNS" -d"${SECONDS_PER}s" --timeout 60s -s "$ROOT/bench/load/one.lua" "$URL" \
    >"$WORK/$1.txt"
  printf '%s\t%s\t%s\t%s\n' "$1" "$(field VmRSS)" "$(field VmHWM)" \
    "$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.txt")"
}
printf 'scenario\trss_mb\tpeak_mb\trequests_per_s\n'
printf 'idle\t%s\t%s\t-\n' "$(field VmRSS)" "$(field VmHWM)"
phase vision "$VISION_IMAGE" "tags,caption,denseCaptions,objects,smartCrops,people"
phase with_read "$READ_IMAGE" "tags,caption,objects,read"
kill -TERM "$PID"
wait "$PID" || true
