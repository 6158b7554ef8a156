#!/usr/bin/env bash
# Memory budget (issue 16, docs/reliability.md "Memory budget"): RSS of one `ocular serve` in
# three scenarios, in one run: idle after loading, after SECONDS of the vision features at
# CONNECTIONS concurrent connections, then after SECONDS of requests that include read. Prints,
# per binary and scenario: RSS at the end of the phase, the phase's peak (VmHWM, reset through
# /proc/PID/clear_refs before each phase), requests/s, the server's CPU milliseconds per request
# (utime + stime over the phase / requests) and non-2xx answers (wrk), the server's
# thread count and the machine's 1-minute load average (the machine is shared: say it).
#   bench/memory/rss.sh [SECONDS=60] [CONNECTIONS=8]
# Env: OCULAR_BIN (one binary, default build/ocular) or OCULAR_BINS ("label=path label=path ...",
# run one after the other: before and after in one run), OCULAR_MODEL_REPO (default models),
# SERVE_ARGS (extra serve flags for every binary), VISION_IMAGE / READ_IMAGE (defaults: shared
# photos). Loopback only; each phase is bounded by SECONDS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER="${1:-60}"
CONNS="${2:-8}"
. "$ROOT/bench/lib/serve.sh"
default_images
KEY="mem-key-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
BINS="${OCULAR_BINS:-run=${OCULAR_BIN:-$ROOT/build/ocular}}"

field() { awk -v f="$1:" '$1 == f {printf "%.0f", $2 / 1024}' "/proc/$PID/status"; }
threads() { awk '$1 == "Threads:" {print $2}' "/proc/$PID/status"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# The server's CPU seconds so far (utime + stime): per request, a cost that the machine's other
# load hardly changes, unlike requests/s.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$PID/stat"; }
phase() {  # label, name, image, features
  echo 5 >"/proc/$PID/clear_refs"
  local cpu0 cpu1 requests
  cpu0="$(cpu_s)"
  OCULAR_KEY="$KEY" OCULAR_IMAGE="$3" \
  OCULAR_PATH="/computervision/imageanalysis:analyze?api-version=2024-02-01&features=$4" \
    wrk -t2 -c"$CONNS" -d"${SECONDS_PER}s" --timeout 60s -s "$ROOT/bench/load/one.lua" "$URL" \
    >"$WORK/$2.txt"
  cpu1="$(cpu_s)"
  local bad
  bad="$(awk '/Non-2xx/ {print $NF}' "$WORK/$2.txt")"
  requests="$(awk '/requests in/ {print $1}' "$WORK/$2.txt")"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$(field VmRSS)" "$(field VmHWM)" \
    "$(awk '/Requests\/sec/ {print $2}' "$WORK/$2.txt")" \
    "$(awk -v a="$cpu0" -v b="$cpu1" -v n="${requests:-0}" \
      'BEGIN {if (n > 0) printf "%.0f", (b - a) * 1000 / n; else print "-"}')" \
    "${bad:-0}" "$(threads)" "$(load1)"
}

printf 'binary\tscenario\trss_mb\tpeak_mb\trequests_per_s\tcpu_ms_per_request\tnon_2xx\tthreads\tload1\n'
for entry in $BINS; do
  label="${entry%%=*}"
  bin="${entry#*=}"
  # shellcheck disable=SC2086
  start_server "$bin" "$KEY" "$WORK/server.log" ${SERVE_ARGS:-}
  sleep 2  # let the loader thread finish and exit
  printf '%s\tidle\t%s\t%s\t-\t-\t-\t%s\t%s\n' "$label" "$(field VmRSS)" "$(field VmHWM)" \
    "$(threads)" "$(load1)"
  phase "$label" vision "$VISION_IMAGE" "tags,caption,denseCaptions,objects,smartCrops,people"
  phase "$label" with_read "$READ_IMAGE" "tags,caption,objects,read"
  kill -TERM "$PID"
  wait "$PID" || true
  PID=""
done
