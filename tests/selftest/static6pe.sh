#!/bin/bash
# Self-test of the static 6PE lab (tests/topo/static6pe.topo): IPv6 crosses an IPv4-only MPLS core
# on the kernel's own forwarding, and the labels are what carries it. Several scenarios in one
# topology (one VM boot). Run it as: tests/vm/vm-run --timeout 240 -- tests/selftest/static6pe.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../topo/static6pe.sh"

[[ $EUID == 0 ]] || { echo "static6pe: needs root (network namespaces)" >&2; exit 1; }

failures=0
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"  # check DESCRIPTION COMMAND...
t_start=$SECONDS

static6pe_up
echo "static6pe: topology up in $((SECONDS - t_start)) s; pe1 pushes [$S6_LABEL, 2] towards ce2 $S6_CE2"

# (a) IPv6 crosses the core labelled: replies come back, and p's MPLS counters on both core links
# grew by at least one packet per reply (requests in on west, replies in on east).
echo "--- (a) ping -6 ce1 -> ce2 across the labelled core"
check "(a) pe1's route to ce2 pushes the stack $S6_LABEL/2" \
    eval '[[ $(topo_exec pe1 ip -6 route get "$S6_CE2") =~ encap\ mpls\ +$S6_LABEL/2\  ]]'
check "(a) p has IPv6 disabled and no IPv6 address" \
    eval '[[ $(topo_exec p sysctl -n net.ipv6.conf.all.disable_ipv6) == 1 && -z $(topo_exec p ip -6 addr show) ]]'
w0=$(mpls_counter p west rx packets) e0=$(mpls_counter p east rx packets)
rc=0; out=$(static6pe_ping 3) || rc=$?
echo "$out"
got=$(ping_received "$out")
w1=$(mpls_counter p west rx packets) e1=$(mpls_counter p east rx packets)
check "(a) ping exits 0 with replies ($got/3 received)" eval '((rc == 0 && got > 0))'
check "(a) p received labelled packets: west rx +$((w1 - w0)), east rx +$((e1 - e0)), >= $got each" \
    eval '((w1 - w0 >= got && e1 - e0 >= got))'

# (b) Without p's label route for S6_LABEL the same ping must fail, and for that reason: the route
# is gone, ping reports 100% loss (status 1, not an error), p counts the requests as "noroute".
echo "--- (b) p's LFIB entry for label $S6_LABEL removed"
saved=$(topo_exec p ip -f mpls route show "$S6_LABEL")
check "(b) p had a label route: $saved" test -n "$saved"
topo_exec p ip -f mpls route del "$S6_LABEL"
check "(b) label $S6_LABEL is gone from p's LFIB" \
    eval '! grep -q "^$S6_LABEL " <<< "$(topo_exec p ip -f mpls route show)"'
n0=$(mpls_counter p west rx noroute)
rc=0; out=$(static6pe_ping 3) || rc=$?
echo "$out"
n1=$(mpls_counter p west rx noroute)
check "(b) ping fails: status $rc (want 1), 100% packet loss" \
    eval '((rc == 1)) && [[ $out == *" 0 received, 100% packet loss"* ]]'
check "(b) p dropped the labelled requests for lack of a route: noroute +$((n1 - n0)) (want >= 3)" \
    eval '((n1 - n0 >= 3))'

# (c) Restoring the entry restores forwarding.
echo "--- (c) p's LFIB entry restored"
# shellcheck disable=SC2086  # the saved route is re-read as separate words on purpose
topo_exec p ip -f mpls route add $saved
check "(c) label $S6_LABEL is back: $(topo_exec p ip -f mpls route show "$S6_LABEL")" \
    eval '[[ -n $(topo_exec p ip -f mpls route show "$S6_LABEL") ]]'
rc=0; out=$(static6pe_ping 3) || rc=$?
echo "$out"
got=$(ping_received "$out")
check "(c) ping exits 0 again ($got/3 received)" eval '((rc == 0 && got > 0))'

echo "static6pe: $failures failed assertion(s), $((SECONDS - t_start)) s"
((failures == 0))
