#!/usr/bin/env bash
# Where the heap goes (issue 16, docs/reliability.md "Where the memory goes"): runs one
# `ocular serve` under heaptrack (Debian's heaptrack), SECONDS of the vision features and then
# SECONDS with read at CONNECTIONS connections (the same load as bench/memory/rss.sh), stops it,
# and prints the heap at its highest point split by owner: each allocation's backtrace is put in
# the first class below whose pattern it contains. Malloc'd memory only (heaptrack sees no
# mmap'd model files, thread stacks or library code; RSS is in rss.sh).
#   bench/memory/heaptrack.sh [SECONDS=40] [CONNECTIONS=4]
# Env: OCULAR_BIN (default build/ocular), OCULAR_MODEL_REPO, SERVE_ARGS, VISION_IMAGE, READ_IMAGE,
# HEAPTRACK_OUT (keep the raw data file there; default: a temporary folder, deleted).
# heaptrack slows allocation-heavy code several times: the request rate is not a benchmark.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_PER="${1:-40}"
CONNS="${2:-4}"
. "$ROOT/bench/lib/serve.sh"
default_images
BIN="${OCULAR_BIN:-$ROOT/build/ocular}"
KEY="heap-key-$RANDOM$RANDOM"
WORK="$(mktemp -d)"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for tool in heaptrack heaptrack_print wrk; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
OUT="${HEAPTRACK_OUT:-$WORK}"
mkdir -p "$OUT"
# The binary re-executes itself when OMP_THREAD_LIMIT (main.cc) or glibc.malloc.hugetlb
# (--malloc-hugepages) is unset, and heaptrack would lose it: set both up front instead, so the
# process runs once, as it would after its re-exec.
cat >"$WORK/ocular-heaptrack" <<WRAP
#!/bin/sh
OMP_THREAD_LIMIT=1 GLIBC_TUNABLES=glibc.malloc.hugetlb=1 exec heaptrack -o "$OUT/ocular" "$BIN" "\$@"
WRAP
chmod +x "$WORK/ocular-heaptrack"
# shellcheck disable=SC2086
start_server "$WORK/ocular-heaptrack" "$KEY" "$WORK/server.log" ${SERVE_ARGS:-}
load() {  # image, features
  OCULAR_KEY="$KEY" OCULAR_IMAGE="$1" \
  OCULAR_PATH="/computervision/imageanalysis:analyze?api-version=2024-02-01&features=$2" \
    wrk -t2 -c"$CONNS" -d"${SECONDS_PER}s" --timeout 120s -s "$ROOT/bench/load/one.lua" "$URL" |
    awk '/requests in|Non-2xx/'
}
echo "== vision ${SECONDS_PER}s c=$CONNS"
load "$VISION_IMAGE" "tags,caption,denseCaptions,objects,smartCrops,people"
echo "== with read ${SECONDS_PER}s c=$CONNS"
load "$READ_IMAGE" "tags,caption,objects,read"
kill -TERM "$PID"
wait "$PID" || true
PID=""
data="$(ls "$OUT"/ocular*.zst "$OUT"/ocular*.gz 2>/dev/null | head -1 || true)"
[ -n "$data" ] || { echo "no heaptrack data in $OUT" >&2; cat "$WORK/server.log" >&2; exit 1; }
heaptrack_print -f "$data" --print-peaks 0 --print-allocators 0 --print-temporary 0 \
  --print-leaks 0 --flamegraph-cost-type peak -F "$WORK/stacks.txt" >"$WORK/summary.txt"
grep -E "peak heap memory consumption|peak RSS|total runtime|calls to allocation" \
  "$WORK/summary.txt" || true
echo "== heap at its peak, by owner (MB)"
# Classes, first match wins: "label<TAB>substring of the folded backtrace".
awk -F'\t' 'NR == FNR { label[++n] = $1; pat[n] = $2; next }
  {
    bytes = $0; sub(/.* /, "", bytes); stack = $0; sub(/ [0-9]+$/, "", stack)
    cls = "other"
    for (i = 1; i <= n; ++i) if (index(stack, pat[i])) { cls = label[i]; break }
    sum[cls] += bytes; total += bytes
  }
  END {
    for (c in sum) printf "%012.1f\t%-46s %8.1f %5.1f%%\n", sum[c] / 1048576, c, sum[c] / 1048576, 100 * sum[c] / total
    printf "%012.1f\t%-46s %8.1f\n", -1, "total", total / 1048576
  }' - "$WORK/stacks.txt" <<'CLASSES' | sort -r | cut -f2-
ONNX Runtime: inference (Session::Run)	ocular::runtime::Session::Run
ONNX Runtime: loaded models (Session::Create)	ocular::runtime::Session::Create
Tesseract instances	tesseract::
decoded images and image copies	ocular::DecodeImage
gallery indexes	Gallery
HTTP server and request bodies	ocular::server::
CLASSES
