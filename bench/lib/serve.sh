# Sourced by the bench scripts: start one `ocular serve` on a loopback port and wait for it, and
# find the photos the memory benchmarks send.
#
#   . "$ROOT/bench/lib/serve.sh"
#   default_images                                    # sets VISION_IMAGE and READ_IMAGE
#   start_server BIN KEY LOG [extra serve flags...]   # sets PID, PORT and URL
#
# Plain HTTP on 127.0.0.1 with an ephemeral port, the model repository OCULAR_MODEL_REPO
# (default $ROOT/models), the API key KEY (through OCULAR_API_KEYS, never on the command line),
# stderr to LOG. Waits up to 120 s for "ready: analysis service loaded"; when the server exits
# first, prints LOG and exits 1. REQUIRES: ROOT is the checkout.
# The memory benchmarks' photos: sets VISION_IMAGE and READ_IMAGE unless given, from the shared
# test data (OCULAR_SHARED, else ../shared next to the checkout, else two levels up from a
# worktree); exits 1 when one is missing. REQUIRES: ROOT is the checkout.
default_images() {
  local shared="${OCULAR_SHARED:-$ROOT/../shared}"
  [ -d "$shared" ] || shared="$ROOT/../../shared"
  VISION_IMAGE="${VISION_IMAGE:-$shared/testdata/images/faces_group_selfie.jpg}"
  READ_IMAGE="${READ_IMAGE:-$shared/testdata/images/doc_page.png}"
  local f
  for f in "$VISION_IMAGE" "$READ_IMAGE"; do
    [ -f "$f" ] || { echo "missing image $f (set OCULAR_SHARED, VISION_IMAGE or READ_IMAGE)" >&2; exit 1; }
  done
}

start_server() {
  local bin="$1" key="$2" log="$3"
  shift 3
  OCULAR_API_KEYS="$key" "$bin" serve --plain-http --listen 127.0.0.1:0 \
    --repo "${OCULAR_MODEL_REPO:-$ROOT/models}" "$@" 2>"$log" &
  PID=$!
  for _ in $(seq 1 600); do
    grep -q "ready: analysis service loaded" "$log" 2>/dev/null && break
    kill -0 "$PID" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  PORT="$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)"
  URL="http://127.0.0.1:$PORT"
}
