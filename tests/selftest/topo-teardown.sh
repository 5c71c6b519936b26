#!/bin/bash
# Self-test of tests/topo/topo.sh teardown: a test that fails, is interrupted or is killed outright
# leaves no namespaces (or their processes) behind, or "topo.sh cleanup" removes them.
# Run it as: tests/vm/vm-run --timeout 120 -- tests/selftest/topo-teardown.sh
set -euo pipefail
topo=$(cd "$(dirname "$0")/../topo" && pwd)/topo.sh

[[ $EUID == 0 ]] || { echo "topo-teardown: needs root (network namespaces)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' 'node a' 'node b' 'link a:x b:y' 'addr a:x 10.9.0.1/30' 'addr b:y 10.9.0.2/30' > "$tmp/pair.topo"

failures=0
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"  # check DESCRIPTION COMMAND...
# Namespaces of run PID, one per line.
namespaces_of() { ip netns list | awk -v p="isthmus-$1-" 'index($1, p) == 1 { print $1 }'; }

# A child test: builds the pair, starts a long-lived process in node a, then does $1. Job control
# (set -m) so the child doesn't start with SIGINT ignored, as background jobs otherwise do.
child() {
    set -m
    bash -c 'set -euo pipefail; source "$1"; topo_up "$2"
             topo_exec a sleep 600 & echo up > "$3"
             case $4 in fail) false ;; *) wait ;; esac' child "$topo" "$tmp/pair.topo" "$tmp/up" "$1" \
        2>> "$tmp/child.err" &     # "Terminated" job notices; shown if something fails
    cpid=$!
    set +m
    for _ in $(seq 100); do [[ -s $tmp/up ]] && break; sleep 0.1; done
    rm -f "$tmp/up"
}

for how in fail TERM INT; do
    child "$([[ $how == fail ]] && echo fail || echo wait)"
    [[ $how == fail ]] || kill -"$how" "$cpid"
    wait "$cpid" 2>/dev/null || true
    left=$(namespaces_of "$cpid" | xargs)
    check "a test ended by $how leaves no namespaces: [$left]" test -z "$left"
done
check "no process of the topology survives (sleep 600)" eval '! pgrep -x -f "sleep 600" >/dev/null'

child wait
kill -KILL "$cpid"; wait "$cpid" 2>/dev/null || true
left=$(namespaces_of "$cpid" | xargs)
check "SIGKILL leaves namespaces behind (as expected): [$left]" test -n "$left"
"$topo" cleanup
left=$(namespaces_of "$cpid" | xargs)
check "topo.sh cleanup removes them: [$left]" test -z "$left"
check "and kills what ran in them (sleep 600)" eval '! pgrep -x -f "sleep 600" >/dev/null'

((failures == 0)) || { echo "--- the children's stderr:"; cat "$tmp/child.err"; }
echo "topo-teardown: $failures failed assertion(s)"
((failures == 0))
