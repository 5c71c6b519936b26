#!/bin/bash
# Seeds the LDP codec fuzz corpora from the FRR captures and the unit-test vectors.
# Usage: ldp/fuzz/seeds.sh SEEDS_DIR   (writes SEEDS_DIR/ldp_fuzz_<target>/*); run by tests/fuzz/run.sh.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
seeds=$1
for t in pdu message; do mkdir -p "$seeds/ldp_fuzz_$t"; done

# Each captured TCP segment / UDP datagram is a pdu seed; its messages (after the
# 10-byte PDU header) are a message seed.
for capture in "$src"/tests/data/ldp/frr-*.txt; do
  tag=$(basename "$capture" .txt)
  while read -r frame _ payload; do
    [[ -n $payload ]] || continue
    echo "$payload" | xxd -r -p > "$seeds/ldp_fuzz_pdu/$tag-$frame"
    echo "$payload" | xxd -r -p | tail -c +11 > "$seeds/ldp_fuzz_message/$tag-$frame"
  done < "$capture"
done
# Hand-built messages of the unit tests (check_vector/malformed strings).
n=0
grep -ohE '"[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{8}[^"]*"' "$src"/tests/unit/ldp_codec_test.cpp \
    "$src"/tests/unit/ldp_malformed_test.cpp | tr -d '"| ' | while read -r h; do
  n=$((n + 1))
  echo "$h" | xxd -r -p > "$seeds/ldp_fuzz_message/unit-$n" 2>/dev/null || true
done

