#!/usr/bin/env bash
# Builds the Ocular container image and smoke-tests it without `podman run` (crun cannot set
# rlimits in some sandboxes): the image is mounted (podman image mount) and its binary started
# in a chroot, as the image's non-root user, on loopback. Not part of CI (it runs the whole
# setup and build inside the image: tens of minutes); it prints its timings.
#   deploy/container/build-image.sh            # base (if missing) + image + smoke test
#   SKIP_BUILD=1 deploy/container/build-image.sh   # smoke-test the existing image only
# Needs: podman, debootstrap (apt-get install podman debootstrap), root (chroot, image mount).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BASE=localhost/debian:bookworm-slim
IMAGE=${IMAGE:-localhost/ocular:latest}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SMOKE_IMAGE=${SMOKE_IMAGE:-/work/shared/testdata/images/street_bus.jpg}
t0=$(date +%s)
say() { echo "==> [$(( $(date +%s) - t0 )) s] $*"; }

if [ -z "${SKIP_BUILD:-}" ]; then
  if ! podman image exists "$BASE"; then
    say "base: debootstrap --variant=minbase bookworm ($MIRROR)"
    rootfs=$(mktemp -d)
    debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >/dev/null
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | podman import - "$BASE" >/dev/null
    rm -rf "$rootfs"
  fi
  say "podman build --isolation chroot -> $IMAGE"
  podman build --isolation chroot --build-arg "BASE=$BASE" -f "$ROOT/deploy/container/Containerfile" \
    -t "$IMAGE" "$ROOT"
fi

say "smoke test: podman image mount + chroot"
mnt=$(podman image mount "$IMAGE")
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; podman image unmount "$IMAGE" >/dev/null || true; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The image is mounted read-only: this is the read-only root filesystem the service must run on.
unshare --mount --pid --fork chroot --userspec=10001:10001 "$mnt" /usr/bin/env -i \
  LD_LIBRARY_PATH=/opt/ocular/lib OCULAR_MODEL_REPO=/opt/ocular/models \
  OCULAR_GALLERIES=/opt/ocular/galleries OCULAR_API_KEYS=smoke-key \
  /opt/ocular/bin/ocular serve --plain-http --listen "127.0.0.1:$port" &
pid=$!
for _ in $(seq 1 300); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/ready" && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/ready"; echo
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'ocp-apim-subscription-key: smoke-key' \
  -H 'content-type: application/octet-stream' --data-binary "@$SMOKE_IMAGE" \
  "http://127.0.0.1:$port/computervision/imageanalysis:analyze?api-version=2024-02-01&features=tags,objects")
[ "$code" = 200 ] || { echo "analysis answered $code"; exit 1; }
say "smoke test passed (ready + one analysis); image size: $(podman image inspect "$IMAGE" --format '{{.Size}}') bytes"
