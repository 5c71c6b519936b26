#!/usr/bin/env bash
# docs/getting-started.md's two-router section, run as written: every ```sh block that follows a
# "<!-- getting-started: run -->" line, in order, in one bash (the last block stops the daemons
# the third one started). Before that last block, the test waits (up to 60 s) for what the page says
# you will see and records it; then it checks: both 6PE sessions Established, one prefix received
# over 2/4 on each side, the log lines the page quotes. Host network namespaces, no MPLS needed.
# Usage: docs-getting-started.sh SOURCE_ROOT BIN_DIR   (BIN_DIR holds isthmusd and isthmusctl)
set -euo pipefail
start=$SECONDS
src=$1 bin=$(cd "$2" && pwd)
doc=$src/docs/getting-started.md
[[ $EUID == 0 ]] || { echo "docs-getting-started: needs root (network namespaces)"; exit 1; }
for n in gs-pe1 gs-pe2; do
  ! ip netns list | grep -qw "$n" || { echo "docs-getting-started: namespace $n exists already"; exit 1; }
done
work=$(mktemp -d)
cleanup() {
  for n in gs-pe1 gs-pe2; do
    if ip netns list | grep -qw "$n"; then
      for pid in $(ip netns pids "$n"); do kill "$pid" 2>/dev/null || true; done
      sleep 0.2
      ip netns del "$n" 2>/dev/null || true
    fi
  done
  rm -rf /run/isthmus-gs "$work"
}
trap cleanup EXIT
failures=0
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"  # check DESCRIPTION COMMAND...

# The blocks, as the reader sees them.
awk -v out="$work/block" '
  /^<!-- getting-started: run -->$/ { armed = 1; next }
  armed && /^```sh$/ { n++; inblock = 1; armed = 0; next }
  inblock && /^```$/ { inblock = 0; next }
  inblock { print > (out n ".sh") }
' "$doc"
blocks=$(ls "$work"/block*.sh 2>/dev/null | wc -l)
check "the page has 4 runnable blocks" test "$blocks" -eq 4
((blocks == 4)) || exit 1

# Between the start block and the stop block: wait for the sessions, record what isthmusctl shows.
cat >"$work/checkpoint.sh" <<'SH'
for _ in $(seq 60); do
  isthmusctl --json --socket /run/isthmus-gs/pe1.sock show bgp summary > summary1.json 2>/dev/null || true
  isthmusctl --json --socket /run/isthmus-gs/pe2.sock show bgp neighbor 192.0.2.1 > neighbor2.json 2>/dev/null || true
  if grep -q '"2/4": 1' summary1.json && grep -q '"2/4": 1' neighbor2.json && grep -q 'ldp: LSP 192.0.2.2/32 via' pe1.log; then
    break
  fi
  sleep 1
done
SH
cat "$work/block1.sh" "$work/block2.sh" "$work/block3.sh" "$work/checkpoint.sh" "$work/block4.sh" >"$work/all.sh"
mkdir "$work/run"
set +e
(cd "$work/run" && PATH=$bin:$PATH timeout 120 bash -euo pipefail "$work/all.sh") >"$work/out" 2>&1
rc=$?
set -e
check "the page's commands run without error" test "$rc" -eq 0
((rc == 0)) || { echo "--- output"; tail -40 "$work/out"; echo "--- pe1.log"; tail -20 "$work/run/pe1.log" 2>/dev/null; }

r=$work/run
echo "--- what the page's isthmusctl commands printed"
sed -n '/^neighbors/,$p' "$work/out" | head -20
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@" 2>/dev/null; }
check "both configurations pass --check-config" test "$(grep -c "configuration is valid" "$work/out")" -eq 2
check "PE1: neighbor 192.0.2.2 Established" test "$(json "$r/summary1.json" "[n['state'] for n in d['neighbors'] if n['address']=='192.0.2.2'][0]")" = Established
check "PE1: one prefix received over 2/4" test "$(json "$r/summary1.json" "d['neighbors'][0]['prefixes-received'].get('2/4')")" = 1
check "PE2: neighbor 192.0.2.1 Established" test "$(json "$r/neighbor2.json" "d['state']")" = Established
check "PE2: one prefix received over 2/4" test "$(json "$r/neighbor2.json" "d['prefixes-received'].get('2/4')")" = 1
check "pe1.log: Established with AS 65000, families [2/4]" grep -q 'bgp neighbor 192.0.2.2: Established with AS 65000 id 192.0.2.2, hold 9s, families \[2/4\]' "$r/pe1.log"
check "pe1.log: the LDP session OPERATIONAL" grep -q 'ldp: session with 192.0.2.2:0 (192.0.2.2) OPERATIONAL' "$r/pe1.log"
check "pe1.log: LDP's LFIB entry for PE2's loopback" grep -q 'ldp: LFIB [0-9]* (192.0.2.2/32) pop via 10.0.12.2' "$r/pe1.log"
check "pe1.log: an LSP to PE2's loopback, implicit null" grep -q 'ldp: LSP 192.0.2.2/32 via 1 next hop(s), first 10.0.12.2 if [0-9]* label implicit-null' "$r/pe1.log"
check "both daemons stopped cleanly" bash -c "grep -q 'isthmusd stopped' '$r/pe1.log' && grep -q 'isthmusd stopped' '$r/pe2.log'"
((failures == 0)) || { echo "--- pe1.log"; tail -30 "$r/pe1.log"; }
echo "docs-getting-started: $failures failure(s), $((SECONDS - start)) s"
[ "$failures" -eq 0 ]
