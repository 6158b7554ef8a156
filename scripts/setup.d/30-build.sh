#!/usr/bin/env bash
# Configures (once) and builds Release into build/. Incremental: a no-op build takes a second.
set -euo pipefail
cd "$OCULAR_ROOT"
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DONNXRUNTIME_ROOT="$OCULAR_ROOT/.deps/onnxruntime"
fi
cmake --build build --parallel "$(nproc)"
