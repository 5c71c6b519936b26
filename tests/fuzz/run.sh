#!/bin/bash
# Builds every libFuzzer target (clang, ASan + UBSan, coverage), seeds the corpora from each
# codec's seeds script and runs all targets within a total time budget. A crash, leak or
# sanitizer report fails the run; the input is kept as BUILD_DIR/crash-<target>-*.
# Usage: tests/fuzz/run.sh [BUILD_DIR] [TOTAL_SECONDS]   (defaults: build/fuzz, 150)
# The test suite runs it with its default budget (DECISIONS.md 7: at most 5 minutes); a long
# campaign is the same command with a larger budget: tests/fuzz/run.sh build/fuzz 3600
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build/fuzz}
total=${2:-150}

start=$(date +%s)
cmake -S "$src" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DISTHMUS_SANITIZE=ON -DISTHMUS_FUZZ=ON -DISTHMUS_TESTS=OFF \
  -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
targets=()
for seeds_script in "$src"/*/fuzz/seeds.sh; do
  proto=$(basename "$(dirname "$(dirname "$seeds_script")")")
  for f in "$src/$proto"/fuzz/fuzz_*.cpp; do
    name=$(basename "$f" .cpp)
    targets+=("${proto}_${name}")
  done
done
cmake --build "$build" -j"$(nproc)" $(printf -- '--target %s ' "${targets[@]}")
echo "fuzz: built ${#targets[@]} targets in $(( $(date +%s) - start )) s"

seeds=$build/seeds
rm -rf "$seeds"
for seeds_script in "$src"/*/fuzz/seeds.sh; do "$seeds_script" "$seeds"; done

per_target=$(( total / ${#targets[@]} ))
[ "$per_target" -ge 1 ] || per_target=1
failed=0
for t in "${targets[@]}"; do
  bin=$(find "$build" -type f -name "$t" -perm -u+x | head -1)
  corpus=$build/corpus/$t
  mkdir -p "$corpus" "$seeds/$t"
  log=$build/$t.log
  if "$bin" -max_total_time="$per_target" -print_final_stats=1 -artifact_prefix="$build/crash-$t-" \
      "$corpus" "$seeds/$t" >"$log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
    echo "fuzz: $t: ${per_target} s, $runs inputs, coverage $cov, no crash"
  else
    echo "fuzz: $t FAILED (log: $log)"; tail -30 "$log"; failed=$((failed + 1))
  fi
done
echo "fuzz: ${#targets[@]} targets, $failed failed, $(( $(date +%s) - start )) s in all"
[ "$failed" -eq 0 ]
