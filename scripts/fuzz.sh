#!/bin/bash
# Coverage-guided fuzzing with libFuzzer (docs/reliability.md "Fuzzing").
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
#
# Builds fuzz/ standalone with Debian's clang (ASan + UBSan + libFuzzer; only the sources the
# targets need) in build-fuzz/, runs every target for SECONDS_PER_TARGET on one core, starting
# from fuzz/corpus/<target>/ (read-only) plus a scratch corpus kept in build-fuzz/corpus/<target>
# between runs, and prints one line per target: execs, coverage (edges), features, crashes,
# seconds. Exits 1 when any target crashed; crash inputs are left in build-fuzz/crashes/<target>/
# (minimise them, fix the bug, and add the input to fuzz/corpus/<target>/ as a regression seed).
# Env: FUZZ_TARGETS (space-separated subset), FUZZ_JOBS (ninja -j, default 1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
build="$root/build-fuzz"
if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ is missing (deps/apt-packages.txt: clang, libclang-rt-14-dev)" >&2
  exit 2
fi
cmake -S "$root/fuzz" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=${FUZZ_TARGETS:-"image_decode http_head query_params tfjs_weights request_body customvision_path gallery_index model_config read_store"}
ninja -C "$build" -j "${FUZZ_JOBS:-1}" $(for t in $targets; do echo "fuzz_$t"; done) >/dev/null

printf 'target\texecs\tcoverage\tfeatures\tcrashes\tseconds\n'
failed=0
for t in $targets; do
  corpus="$build/corpus/$t"
  crashes="$build/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  options=$(sed -n 's/^\([a-z_]*\) = \(.*\)$/-\1=\2/p' "$root/fuzz/$t.options" | tr '\n' ' ')
  log="$build/$t.log"
  start=$(date +%s)
  set +e
  # shellcheck disable=SC2086
  "$build/fuzz_$t" $options -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$corpus" "$root/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  elapsed=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ncrash=$(find "$crashes" -type f | wc -l)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$ncrash" "$elapsed"
  if [ "$rc" -ne 0 ] || [ "$ncrash" -gt 0 ]; then
    failed=1
    echo "fuzz.sh: $t failed (exit $rc); see $log and $crashes" >&2
    grep -m5 -E 'ERROR|SUMMARY|runtime error' "$log" >&2 || true
  fi
done
exit $failed
