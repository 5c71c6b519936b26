#!/bin/bash
# Seeds the BGP codec fuzz corpora from the unit-test vectors and the malformed corpus.
# Usage: bgp/fuzz/seeds.sh SEEDS_DIR   (writes SEEDS_DIR/bgp_fuzz_<target>/*); run by tests/fuzz/run.sh.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
seeds=$1
data=$src/tests/data/bgp
for t in frame message open update nlri as_path capability; do mkdir -p "$seeds/bgp_fuzz_$t"; done

unhex() { sed 's/#.*//' | tr -d ' \n\t\r|' | xxd -r -p; }
# seed TARGET NAME PREFIX_HEX: stdin (binary) -> seed file with a leading context/coding byte
seed() { { printf '%s' "$3" | xxd -r -p; cat; } > "$seeds/bgp_fuzz_$1/$2"; }

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

