#!/usr/bin/env bash
# Smoke test of the Ocular container image WITHOUT `podman run` (crun cannot set rlimits in some
# sandboxes, such as the build machine): the image is mounted (podman image mount) and started as
# the image itself would start it:
#   - its own ENTRYPOINT + CMD, environment, working directory and user (podman image inspect);
#   - in a new mount and PID namespace, chrooted into a READ-ONLY bind of the image (no tmpfs:
#     the service must write nothing at all), with /proc, /dev and the run-time secrets mounted;
#   - as the image's non-root user with no new privileges and an empty capability bounding set
#     (setpriv from the image), like deploy/kubernetes/deployment.yaml;
#   - with a throwaway TLS pair and API key mounted read-only at /run/secrets/ocular/ (the paths of
#     the Kubernetes manifests) and OCULAR_LISTEN moved to a free loopback port (the only
#     override: the image's 0.0.0.0:5000 would listen on every address of this machine).
# Then checks: the image's HEALTHCHECK command (run inside the image, against the port), GET /ready
# and one real analysis of ../shared/testdata/images/street_bus.jpg (4.0 API, tags + objects): its
# JSON must carry a modelVersion, tags, and a detected "bus" (the photo's MANIFEST.tsv expectation).
# Prints the time of each step. Needs root (image mount, namespaces, chroot), podman, python3, curl,
# openssl. Usage: IMAGE=localhost/ocular:latest deploy/container/smoke-test.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGE=${IMAGE:-localhost/ocular:latest}
SMOKE_IMAGE=${SMOKE_IMAGE:-$ROOT/../shared/testdata/images/street_bus.jpg}
[ -f "$SMOKE_IMAGE" ] || SMOKE_IMAGE=/work/shared/testdata/images/street_bus.jpg
ms() { echo $(( $(date +%s%N) / 1000000 )); }
t0=$(ms)
say() { echo "    [smoke +$(( $(ms) - t0 )) ms] $*"; }

# The image's own start-up: user, env, entrypoint + cmd, working directory, healthcheck.
podman image inspect "$IMAGE" > /dev/null
work=$(mktemp -d /tmp/ocular-smoke.XXXXXX)
podman image inspect "$IMAGE" --format '{{json .Config}}' > "$work/config.json"
podman image inspect "$IMAGE" --format '{{json .HealthCheck}}' > "$work/health.json"
read_cfg() { python3 - "$work/config.json" "$work/health.json" "$1" <<'PY'
import json, shlex, sys
cfg = json.load(open(sys.argv[1]))
health = json.load(open(sys.argv[2])) or cfg.get("Healthcheck") or {}
what = sys.argv[3]
if what == "user": print(cfg.get("User") or "0:0")
elif what == "workdir": print(cfg.get("WorkingDir") or "/")
elif what == "env": print("\n".join(cfg.get("Env") or []))
elif what == "argv": print("\n".join((cfg.get("Entrypoint") or []) + (cfg.get("Cmd") or [])))
elif what == "health":
    test = health.get("Test") or []
    if test[:1] == ["CMD-SHELL"]: print(test[1])
    elif test[:1] == ["CMD"]: print(shlex.join(test[1:]))
PY
}
user=$(read_cfg user); workdir=$(read_cfg workdir); health=$(read_cfg health)
mapfile -t cmd < <(read_cfg argv)
uid=${user%%:*}; gid=${user#*:}; [ "$gid" != "$user" ] || gid=$uid
say "image config: user $user, workdir $workdir, command: ${cmd[*]}"
if [ "$uid" = 0 ] || [ "$uid" = root ]; then echo "!!! the image runs as root" >&2; exit 1; fi
[ -n "$health" ] || { echo "!!! the image has no HEALTHCHECK (built without --format docker?)" >&2; exit 1; }
say "healthcheck: $health"

# Throwaway secrets, readable by the image's user only.
secrets="$work/secrets"
mkdir -p "$secrets/tls" "$secrets/keys"
key=$(openssl rand -hex 16)
echo "$key" > "$secrets/keys/api-keys"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$secrets/tls/tls.key" -out "$secrets/tls/tls.crt" 2>/dev/null
chown -R "$uid:$gid" "$secrets"; chmod -R go-rwx "$secrets"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mapfile -t env < <(read_cfg env | grep -v -e '^OCULAR_LISTEN=' -e '^OCULAR_HEALTHCHECK_URL=')
env+=("OCULAR_LISTEN=127.0.0.1:$port" "OCULAR_HEALTHCHECK_URL=https://127.0.0.1:$port/ready")

t=$(ms)
mnt=$(podman image mount "$IMAGE")
say "podman image mount: $mnt ($(( $(ms) - t )) ms)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  podman image unmount "$IMAGE" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# in_image CMD...: runs CMD chrooted in the read-only image, as the image's user, in the image's
# working directory and environment (new mount + PID namespaces; killing the unshare process
# kills everything in it).
root="$work/root"
mkdir -p "$root"
in_image() {
  # shellcheck disable=SC2016  # expanded by the inner shell
  unshare --mount --pid --fork --kill-child -- bash -euc '
    mnt=$1 root=$2 secrets=$3 uid=$4 gid=$5 workdir=$6; shift 6
    mount --make-rprivate /
    mount --bind "$mnt" "$root"
    mount -o remount,bind,ro "$root"
    mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs -o size=1m,mode=755 tmpfs "$root/run"
    mkdir -p "$root/run/secrets/ocular"
    mount --bind -o ro "$secrets" "$root/run/secrets/ocular"
    mount -o remount,bind,ro "$root/run"
    exec chroot "$root" /usr/bin/setpriv --reuid="$uid" --regid="$gid" --clear-groups \
      --no-new-privs --inh-caps=-all --bounding-set=-all \
      /usr/bin/env -i -C "$workdir" "$@"
  ' in_image "$mnt" "$root" "$secrets" "$uid" "$gid" "$workdir" "$@"
}

# The image's command, plus the secret paths (as deploy/kubernetes/deployment.yaml passes them).
t_start=$(ms)
in_image "${env[@]}" "${cmd[@]}" --tls-cert=/run/secrets/ocular/tls/tls.crt \
  --tls-key=/run/secrets/ocular/tls/tls.key --api-key-file=/run/secrets/ocular/keys/api-keys \
  > "$work/server.log" 2>&1 &
pid=$!
curl_img() { curl -sS --cacert "$secrets/tls/tls.crt" "$@"; }
ready=""
for _ in $(seq 1 600); do
  if curl_img -f -o /dev/null "https://127.0.0.1:$port/ready" 2>/dev/null; then ready=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "!!! the service did not become ready; its log:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
say "GET /ready: $(curl_img "https://127.0.0.1:$port/ready") (start to ready $(( $(ms) - t_start )) ms)"

t=$(ms)
if in_image "${env[@]}" /bin/sh -c "$health"; then
  say "HEALTHCHECK inside the image: healthy ($(( $(ms) - t )) ms)"
else
  echo "!!! the image's HEALTHCHECK failed" >&2; cat "$work/server.log" >&2; exit 1
fi

t=$(ms)
code=$(curl_img -o "$work/result.json" -w '%{http_code}' -H "Ocp-Apim-Subscription-Key: $key" \
  -H 'Content-Type: application/octet-stream' --data-binary "@$SMOKE_IMAGE" \
  "https://127.0.0.1:$port/computervision/imageanalysis:analyze?api-version=2024-02-01&features=tags,objects")
say "POST analyze $(basename "$SMOKE_IMAGE") (tags, objects): HTTP $code in $(( $(ms) - t )) ms"
if [ "$code" != 200 ]; then
  echo "!!! analysis answered $code:" >&2; cat "$work/result.json" >&2; echo >&2
  cat "$work/server.log" >&2; exit 1
fi
python3 - "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r.get("modelVersion"), "no modelVersion"
tags = [t["name"] for t in r["tagsResult"]["values"]]
objects = [t["name"] for o in r["objectsResult"]["values"] for t in o["tags"]]
assert tags, "no tags"
assert "bus" in objects, f"no bus among the objects {objects}"
print(f"    result: modelVersion {r['modelVersion']}, {len(tags)} tags ({', '.join(tags[:5])}...), "
      f"objects {sorted(set(objects))}")
PY
code=$(curl_img -o /dev/null -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
  --data-binary "@$SMOKE_IMAGE" \
  "https://127.0.0.1:$port/computervision/imageanalysis:analyze?api-version=2024-02-01&features=tags")
[ "$code" = 401 ] || { echo "!!! a request without a key answered $code, not 401" >&2; exit 1; }
say "POST without a key: 401"

# Graceful stop: SIGTERM to the service itself (PID 1 of its namespace) must end it with status 0
# within the image's grace period.
t=$(ms)
find_service() {  # the process named after the entrypoint among the descendants of $1
  local p
  for p in $(ps -o pid= --ppid "$1"); do
    if [ "$(ps -o comm= -p "$p")" = "$(basename "${cmd[0]}")" ]; then echo "$p"; return; fi
    find_service "$p"
  done
}
spid=$(find_service "$pid" | head -1)
if [ -n "$spid" ]; then
  kill -TERM "$spid"
  rc=0; wait "$pid" || rc=$?
  pid=""
  say "SIGTERM: exited with $rc after $(( $(ms) - t )) ms"
  [ "$rc" = 0 ] || { echo "!!! exit status $rc after SIGTERM" >&2; cat "$work/server.log" >&2; exit 1; }
fi
if grep -q -F "$key" "$work/server.log"; then
  echo "!!! the API key appears in the service log" >&2; exit 1
fi
say "smoke test passed: read-only root, user $user, /ready, HEALTHCHECK, one analysis, 401, SIGTERM"
