#!/bin/bash
# Builds the BGP codec libFuzzer targets with clang (ASan + UBSan + coverage),
# seeds each corpus from tests/unit/data/bgp and runs every target for a bounded time.
# Usage: bgp/fuzz/run.sh [BUILD_DIR] [SECONDS_PER_TARGET]   (defaults: build-fuzz, 20)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-fuzz}
secs=${2:-20}
targets=(frame message open update nlri as_path capability)
data=$src/tests/unit/data/bgp

cmake -S "$src" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DISTHMUS_SANITIZE=ON -DISTHMUS_BGP_FUZZ=ON -DISTHMUS_TESTS=OFF \
  -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
cmake --build "$build" -j2 $(printf -- '--target bgp_fuzz_%s ' "${targets[@]}")

seeds=$build/bgp-fuzz-seeds
corpus=$build/bgp-fuzz-corpus
rm -rf "$seeds"
for t in "${targets[@]}"; do mkdir -p "$seeds/$t" "$corpus/$t"; done

unhex() { sed 's/#.*//' | tr -d ' \n\t\r|' | xxd -r -p; }
# seed TARGET NAME PREFIX_HEX: stdin (binary) -> seed file with a leading context/coding byte
seed() { { printf '%s' "$3" | xxd -r -p; cat; } > "$seeds/$1/$2"; }

for f in "$data"/*.hex; do
  name=$(basename "$f" .hex)
  ctx=00; [[ $name == *as2* ]] && ctx=01; [[ $name == *addpath* ]] && ctx=04
  unhex < "$f" | seed message "$name" $ctx
  unhex < "$f" | seed frame "$name" $ctx
  type=$(unhex < "$f" | xxd -p -s 18 -l 1)
  [[ $type == 02 ]] && unhex < "$f" | tail -c +20 | seed update "$name" $ctx
  [[ $type == 01 ]] && unhex < "$f" | tail -c +20 | seed open "$name" ""
  [[ $type == 01 ]] && unhex < "$f" | tail -c +32 | seed capability "$name" ""
done
# The malformed corpus: name | context | kind | hex | expectation
n=0
grep -v '^\s*#' "$data/malformed.txt" | grep '|' | while IFS='|' read -r name ctx kind hex _; do
  name=$(echo $name); kind=$(echo $kind)
  c=00; [[ $ctx == *as2* ]] && c=01; [[ $ctx == *extmsg* ]] && c=02; [[ $ctx == *ap* ]] && c=04
  body=$(echo "$hex" | tr -d ' ')
  if [[ $kind == raw ]]; then msg=$body
  else msg=$(printf 'ffffffffffffffffffffffffffffffff%04x%02x%s' $(( 19 + ${#body} / 2 )) "$kind" "$body"); fi
  echo "$msg" | unhex | seed message "$name" $c
  [[ $kind == 2 ]] && echo "$body" | unhex | seed update "$name" $c
  [[ $kind == 1 ]] && echo "$body" | unhex | seed open "$name" ""
  true
done
echo 48000031 20010db80001 58003e81 20010db800020000 | unhex | seed nlri 6pe 0a
echo 0000000148800000 20010db80001 | unhex | seed nlri 6pe-withdraw-addpath 0f
echo 080a 18c0a801 | unhex | seed nlri ipv4 00
echo 0202 0000fde9 0000fdea 0102 0000fdeb 0000fdec | unhex | seed as_path four 00
echo 0203 fde9 5ba0 5ba0 0301 fde8 | unhex | seed as_path two 01

status=0
for t in "${targets[@]}"; do
  echo "== bgp_fuzz_$t: ${secs}s"
  if ! "$build/bgp/bgp_fuzz_$t" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$build/bgp-fuzz-crash-$t-" \
      "$corpus/$t" "$seeds/$t" 2>"$build/bgp-fuzz-$t.log"; then
    echo "bgp_fuzz_$t FAILED, see $build/bgp-fuzz-$t.log"; status=1
  fi
  grep -E 'stat::number_of_executed_units|cov:' "$build/bgp-fuzz-$t.log" | tail -2
done
exit $status
