#!/usr/bin/env bash
# Runs every test suite: CTest on the Release build (unit, golden, integration, contract), then
# the unit tests again in an ASan+UBSan build (build-asan/), then a short libFuzzer smoke
# (scripts/fuzz.sh, build-fuzz/). Run scripts/setup.sh first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="$(nproc)"
[ -f build/build.ninja ] || { echo "build/ is missing: run scripts/setup.sh first" >&2; exit 1; }

echo "==> tests: build (Release)"
cmake --build build --parallel "$JOBS"
echo "==> tests: ctest (Release: all labels)"
(cd build && ctest --output-on-failure --parallel "$JOBS" --timeout 900)

echo "==> tests: unit tests under ASan+UBSan (build-asan/)"
if [ ! -f build-asan/build.ninja ]; then
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOCULAR_SANITIZE=ON \
    -DONNXRUNTIME_ROOT="$ROOT/.deps/onnxruntime"
fi
cmake --build build-asan --parallel "$JOBS" --target ocular_unit_tests
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
(cd build-asan && ctest --output-on-failure --parallel "$JOBS" -L unit --timeout 900)
echo "==> tests: fuzz smoke (libFuzzer + ASan + UBSan, 10 s per target, 9 targets; fails on any crash)"
FUZZ_JOBS="$JOBS" "$ROOT/scripts/fuzz.sh" 10
echo "==> tests: all suites passed"
