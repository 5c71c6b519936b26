#!/bin/bash
# Self-test of tests/vm/vm-run, run on the host (it starts the VMs itself): exit status, argument
# quoting, environment, working directory and result files come back; --timeout fires with 124
# and leaves no qemu behind. Two VM boots (about 15 s under TCG) plus two cheap direct runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
vmrun=$root/tests/vm/vm-run
cd "$root"     # a working directory the VM can see (its /tmp is private)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
source "$root/tests/lib/check.sh"  # check DESCRIPTION COMMAND...

# The arguments a command must receive unchanged: spaces, quotes, globs, $, newline, empty.
args=('two words' "it's" 'say "hi"' '*' '$HOME' $'line1\nline2' '')
printf '%s\n' "${args[@]}" > "$tmp/want-args"
probe='printf "%s\n" "$@" > "$VM_RESULTS/args"; pwd > "$VM_RESULTS/pwd"
       echo "$ISTHMUS_SELFTEST_VAR" > "$VM_RESULTS/env"; test -d /proc/sys/net/mpls && echo yes > "$VM_RESULTS/mpls"
       exit 7'

for mode in always never; do
    [[ $mode == never ]] && where="directly on the host" || where="in the VM"
    echo "--- vm-run $where (ISTHMUS_VM=$mode)"
    res=$tmp/results-$mode
    rc=0
    ISTHMUS_VM=$mode ISTHMUS_SELFTEST_VAR='a b' "$vmrun" --timeout 120 --results "$res" -- \
        bash -c "$probe" probe "${args[@]}" || rc=$?
    check "exit status 7 comes back (got $rc)" test "$rc" = 7
    check "arguments arrive unchanged" cmp -s "$tmp/want-args" "$res/args"
    check "runs in the caller's directory" test "$(cat "$res/pwd" 2>/dev/null)" = "$root"
    check "ISTHMUS_* environment passes" test "$(cat "$res/env" 2>/dev/null)" = 'a b'
    [[ $mode == never ]] || check "the VM kernel has MPLS" test -s "$res/mpls"
done

for mode in always never; do
    echo "--- --timeout (ISTHMUS_VM=$mode)"
    res=$tmp/timeout-$mode     # its path is on qemu's command line: finds a leftover qemu
    rc=0
    t0=$SECONDS
    ISTHMUS_VM=$mode "$vmrun" --timeout 5 --results "$res" -- sleep 600 2> "$tmp/stderr" || rc=$?
    check "exits 124 after $((SECONDS - t0)) s (got $rc)" test "$rc" = 124
    check "says it timed out" grep -q 'vm-run: timed out after 5 s' "$tmp/stderr"
    check "leaves no process behind" eval '! pgrep -f -- "$res" >/dev/null'
done

echo "vm-run-harness: $failures failed assertion(s)"
((failures == 0))
