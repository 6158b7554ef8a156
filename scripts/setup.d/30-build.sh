#!/usr/bin/env bash
# Configures (once) and builds Release into build/. Incremental: a no-op build takes a second.
# OCULAR_CMAKE_ARGS: extra configure arguments for the first configure (e.g. the container build's
# "-DOCULAR_BUILD_TESTS=OFF -DOCULAR_BUILD_BENCH=OFF"); default: none.
set -euo pipefail
cd "$OCULAR_ROOT"
if [ ! -f build/build.ninja ]; then
  # shellcheck disable=SC2086  # word splitting of the extra arguments is intended
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DONNXRUNTIME_ROOT="$OCULAR_ROOT/.deps/onnxruntime" ${OCULAR_CMAKE_ARGS:-}
fi
cmake --build build --parallel "$(nproc)"
