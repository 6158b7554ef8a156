#!/bin/bash
# Decompression bombs (issue 16, docs/reliability.md "Bounded work per request"): per binary, starts
# `ocular serve` (plain HTTP on loopback), posts each input of make_bombs.py to the 4.0 analyze
# route with the vision features and then with read, and prints wall time (curl) and the
# server's peak RSS during that request (VmHWM, reset before each request through
# /proc/PID/clear_refs). Not a test: run it by hand, one binary after the other, same machine.
#
# Usage: bench/bombs/run.sh [BINARY...]   (default: build/ocular)
#   e.g. bench/bombs/run.sh /work/main/build/ocular build/ocular   (before, after)
# Env: WORKERS (default 2), EXTRA (more serve flags), TIMEOUT (s, 180), BOMBS (the inputs, default
# all of make_bombs.py's).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ROOT="$root"
. "$root/bench/lib/serve.sh"
key="bench-bombs-key-$RANDOM$RANDOM"
tmp=$(mktemp -d)
PID=""
trap 'rm -rf "$tmp"; [ -n "$PID" ] && kill "$PID" 2>/dev/null || true' EXIT
python3 "$here/make_bombs.py" "$tmp" >/dev/null
vision=${VISION_FEATURES:-tags,caption,denseCaptions,objects,smartCrops,people}
binaries=("$@")
[ ${#binaries[@]} -eq 0 ] && binaries=("$root/build/ocular")

printf 'binary\tinput\tbytes\tfeatures\tstatus\tseconds\tpeak_rss_mb\n'
for bin in "${binaries[@]}"; do
  # shellcheck disable=SC2086
  start_server "$bin" "$key" "$tmp/serve.log" --workers "${WORKERS:-2}" \
    --galleries "$root/galleries" ${EXTRA:-}
  pid=$PID
  for f in ${BOMBS:-gif_8000.gif png_10000.png png_15000.png jpeg_15999.jpg bmp_15999.bmp tiff_15999.tif webp_anim_15999.webp bmp_6300.bmp tiff_6300.tif webp_anim_6300.webp}; do
    for features in "$vision" read; do
      echo 5 >"/proc/$pid/clear_refs"
      out=$(curl -s -o /dev/null -w '%{http_code}\t%{time_total}' --max-time "${TIMEOUT:-180}" \
        -H "Ocp-Apim-Subscription-Key: $key" -H 'Content-Type: application/octet-stream' \
        --data-binary "@$tmp/$f" \
        "$URL/computervision/imageanalysis:analyze?api-version=2024-02-01&features=$features" \
        || true)
      hwm=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
      label=$([ "$features" = read ] && echo read || echo vision)
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$bin" "$f" "$(stat -c %s "$tmp/$f")" "$label" "$out" "$hwm"
    done
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  PID=""
done
