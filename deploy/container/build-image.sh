#!/usr/bin/env bash
# Builds the Ocular container image and smoke-tests it (docs/deploy.md, "Container").
#   1. base: makes localhost/debian:bookworm-slim if missing (debootstrap --variant=minbase from
#      the Debian mirror + podman import; no container registry is needed);
#   2. build: podman build --isolation chroot --format docker (docker format: OCI images drop the
#      HEALTHCHECK) of deploy/container/Containerfile;
#   3. smoke: deploy/container/smoke-test.sh (no `podman run`: the image is mounted and its binary
#      started in a chroot as the image's user).
# Prints the time of each step. Not part of CI: the build runs the project's setup and a full
# Release build inside the image (minutes even with a warm ccache, see docs/deploy.md).
# Options (environment):
#   IMAGE=localhost/ocular:latest      image tag
#   MIRROR=<first URI of /etc/apt/sources.list.d/debian.sources, else http://deb.debian.org/debian>
#                                      Debian mirror for the base image (the same one apt uses)
#   OCULAR_MODEL_LICENSES=permissive   permissive-only image (no copyleft packages or models)
#   CCACHE_HOST_DIR=DIR                host ccache directory mounted at /ccache during the build
#                                      (default: `ccache -k cache_dir` when ccache is installed;
#                                      CCACHE_HOST_DIR= (empty) builds without it)
#   DEPS_TARBALLS=DIR                  host npm tarballs (.deps/tarballs of a set-up checkout)
#                                      mounted read-only; setup still checks every sha256
#   SKIP_BUILD=1                       only the smoke test of the existing image
# Needs root (debootstrap, chroot, image mount), podman, buildah and debootstrap
# (apt-get install podman buildah debootstrap).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BASE=${BASE:-localhost/debian:bookworm-slim}
IMAGE=${IMAGE:-localhost/ocular:latest}
if [ -z "${MIRROR:-}" ]; then
  MIRROR=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)$/\1/p' \
    /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
fi
if [ -z "${CCACHE_HOST_DIR+x}" ] && command -v ccache >/dev/null; then
  CCACHE_HOST_DIR=$(ccache -k cache_dir)
fi
if [ -z "${DEPS_TARBALLS+x}" ] && [ -d "$ROOT/.deps/tarballs" ]; then
  DEPS_TARBALLS=$(readlink -f "$ROOT/.deps/tarballs")
fi
t_all=$(date +%s)
step() { echo "==> $*"; t_step=$(date +%s); }
took() { echo "    $1 took $(( $(date +%s) - t_step )) s"; timings+=("$1: $(( $(date +%s) - t_step )) s"); }
timings=()

if [ -z "${SKIP_BUILD:-}" ]; then
  if ! podman image exists "$BASE"; then
    step "base: debootstrap --variant=minbase bookworm $MIRROR -> $BASE"
    rootfs=$(mktemp -d /var/tmp/ocular-base.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" > "$rootfs.log" 2>&1 || {
      tail -20 "$rootfs.log" >&2; exit 1; }
    rm -f "$rootfs.log"
    # The same suites as the host (security updates included): bookworm, -updates, -security.
    security="${MIRROR%/debian}/debian-security"
    rm -f "$rootfs/etc/apt/sources.list"
    cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    # A frozen mirror (snapshot) has expired Release files: follow the host's apt setting.
    if apt-config dump 2>/dev/null | grep -q '^Acquire::Check-Valid-Until "false"'; then
      echo 'Acquire::Check-Valid-Until "false";' > "$rootfs/etc/apt/apt.conf.d/90mirror-snapshot"
    fi
    # Slim: no downloaded packages, indexes, docs or man pages (the copyright files stay).
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
      "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
    find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
    cat > "$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
    tar -C "$rootfs" --numeric-owner -c . |
      podman import --change 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
    rm -rf "$rootfs"
    trap - EXIT
    took base
  else
    echo "==> base: $BASE present"
  fi

  step "build: podman build --isolation chroot -> $IMAGE"
  args=(--isolation chroot --format docker --build-arg "BASE=$BASE" --layers)
  [ -n "${OCULAR_MODEL_LICENSES:-}" ] &&
    args+=(--build-arg "OCULAR_MODEL_LICENSES=$OCULAR_MODEL_LICENSES")
  if [ -n "${CCACHE_HOST_DIR:-}" ]; then
    mkdir -p "$CCACHE_HOST_DIR"
    args+=(-v "$CCACHE_HOST_DIR:/ccache")
    echo "    ccache: $CCACHE_HOST_DIR mounted at /ccache"
  fi
  if [ -n "${DEPS_TARBALLS:-}" ]; then
    args+=(-v "$DEPS_TARBALLS:/deps-tarballs:ro")
    echo "    npm tarballs: $DEPS_TARBALLS mounted read-only (sha256 still checked by setup)"
  fi
  podman build "${args[@]}" -f "$ROOT/deploy/container/Containerfile" -t "$IMAGE" "$ROOT"
  took build
  size=$(podman image inspect "$IMAGE" --format '{{.Size}}')
  echo "    image $IMAGE: $(( size / 1000000 )) MB"
fi

step "smoke: $ROOT/deploy/container/smoke-test.sh $IMAGE"
IMAGE="$IMAGE" "$ROOT/deploy/container/smoke-test.sh"
took smoke
echo "==> timings: ${timings[*]}; total $(( $(date +%s) - t_all )) s"
