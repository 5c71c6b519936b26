#!/bin/bash
# Self-test of netlink/ against the real kernel: the static 6PE lab (tests/topo/static6pe.topo)
# without its iproute2 6PE routes and LFIB, programmed instead through our layer (the driver
# program tests/netlink/netlink_kernel_test.cpp, run inside each namespace). All scenarios share
# one topology and one VM boot:
#   tests/vm/vm-run --timeout 240 -- tests/selftest/netlink-kernel.sh BUILD/.../isthmus_netlink_vmtest
# shellcheck disable=SC2016,SC2034  # assertions are eval'd single-quoted strings, expanded when checked
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nl=${1:?usage: netlink-kernel.sh PATH/TO/isthmus_netlink_vmtest}
[[ -x $nl ]] || { echo "netlink-kernel: $nl is not executable" >&2; exit 1; }
[[ $EUID == 0 ]] || { echo "netlink-kernel: needs root (network namespaces)" >&2; exit 1; }
# shellcheck source=tests/topo/topo.sh
source "$here/../topo/topo.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failures=0
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"  # check DESCRIPTION COMMAND...
t_start=$SECONDS
nl() { local node=$1; shift; topo_exec "$node" "$nl" "$@"; }
ping6() { topo_exec ce1 ping -6 -n -c "${1:-3}" -i 0.2 -W 1 2001:db8:b::2 >/dev/null; }
# our dump of NODE contains every line given
dump_has() {
    local node=$1 out line; shift
    out=$(nl "$node" dump) || return 1
    for line in "$@"; do grep -qxF -- "$line" <<< "$out" || { echo "  missing in $node dump: $line"; echo "$out" | sed 's/^/  | /'; return 1; }; done
}
dump_lacks() {
    local node=$1 out line; shift
    out=$(nl "$node" dump) || return 1
    for line in "$@"; do ! grep -qxF -- "$line" <<< "$out" || { echo "  still in $node dump: $line"; return 1; }; done
}
# jq over `ip -j ARGS` in NODE must print true
ipj() { local node=$1 filter=$2; shift 2; [[ $(topo_exec "$node" ip -j "$@" | jq -c "$filter") == true ]]; }

# The lab minus what this test installs through netlink/.
topo_file=/tmp/netlink-kernel.topo
sed -e '/encap mpls/d' -e '/-f mpls route add/d' "$here/../topo/static6pe.topo" > "$topo_file"
topo_up "$topo_file"
# So that `ip` prints our protocol by name (the file netlink/ ships).
mkdir -p /etc/iproute2/rt_protos.d && cp "$here/../../netlink/rt_protos.d/isthmus.conf" /etc/iproute2/rt_protos.d/
echo "netlink-kernel: topology up in $((SECONDS - t_start)) s"

echo "--- (a) 6PE routes on the PEs and the LFIB on p, through netlink/"
check "(a) pe1: nexthop object 1 [200/2] via ::ffff:10.0.1.2 + route 2001:db8:b::/64 nhid 1" \
    nl pe1 apply 'nh add 1 via 10.0.1.2 dev core encap 200/2' 'route6 add 2001:db8:b::/64 nhid 1'
check "(a) pe2: nexthop object 1 [201/2] via ::ffff:10.0.2.1 + route 2001:db8:a::/64 nhid 1 (blocking mode)" \
    nl pe2 --sync apply 'nh add 1 via 10.0.2.1 dev core encap 201/2' 'route6 add 2001:db8:a::/64 nhid 1'
check "(a) p: pop 200 towards pe2, pop 201 towards pe1" \
    nl p apply 'mpls add 200 via inet 10.0.2.2 dev east' 'mpls add 201 via inet 10.0.1.1 dev west'
check "(a) ip -j nexthop show (pe1): id 1 AF_INET6 gw ::ffff:10.0.1.2 onlink encap [200,2] proto isthmus" \
    ipj pe1 '.[] | select(.id==1) | .gateway=="::ffff:10.0.1.2" and .dev=="core" and (.flags|index("onlink")!=null) and .encap=="mpls" and .dst=="200/2" and .protocol=="isthmus"' nexthop show
check "(a) ip -j -6 route show (pe1): 2001:db8:b::/64 nhid 1 proto isthmus" \
    ipj pe1 'length==1 and .[0].nhid==1 and .[0].protocol=="isthmus"' -6 route show 2001:db8:b::/64
check "(a) ip -j -f mpls route show (p): 200 via inet 10.0.2.2 dev east, 201 via inet 10.0.1.1 dev west, proto isthmus" \
    ipj p '([.[] | select(.dst=="200" and .via.host=="10.0.2.2" and .dev=="east" and .protocol=="isthmus")] | length==1) and ([.[] | select(.dst=="201" and .via.host=="10.0.1.1" and .dev=="west")] | length==1)' -f mpls route show
check "(a) our dump (pe1) reads back the object and the route" \
    dump_has pe1 'nh id 1 encap mpls 200/2 via ::ffff:10.0.1.2 dev core onlink' 'route6 2001:db8:b::/64 nhid 1'
check "(a) our dump (p) reads back both label routes (blocking dump too)" \
    eval 'dump_has p "mpls 200 via inet 10.0.2.2 dev east" "mpls 201 via inet 10.0.1.1 dev west" && [[ $(nl p dump) == "$(nl p --sync dump)" ]]'
topo_exec ce1 ping -6 -n -c 1 -W 2 2001:db8:b::2 >/dev/null || true   # ND and ARP
check "(a) ping -6 ce1 -> ce2 across the core programmed by netlink/" ping6 3
check "(a) pe1 forwards 2001:db8:b::2 with encap mpls 200/2 (ip route get)" \
    eval '[[ $(topo_exec pe1 ip -6 route get 2001:db8:b::2) =~ encap\ mpls\ +200/2\  ]]'

echo "--- (b) replacing the nexthop object moves the traffic to a new LDP label"
check "(b) p: pop 300 towards pe2 (the new LSP)" nl p apply 'mpls add 300 via inet 10.0.2.2 dev east'
check "(b) pe1: replace object 1 with [300/2], route untouched" nl pe1 apply 'nh replace 1 via 10.0.1.2 dev core encap 300/2'
check "(b) p: delete label 200 (the old LSP)" nl p apply 'mpls delete 200'
check "(b) label 200 is gone from p (ip -j and our dump)" \
    eval 'ipj p "[.[] | select(.dst==\"200\")] | length==0" -f mpls route show && dump_lacks p "mpls 200 via inet 10.0.2.2 dev east"'
check "(b) pe1's route still points at nhid 1, which now pushes 300/2" \
    dump_has pe1 'nh id 1 encap mpls 300/2 via ::ffff:10.0.1.2 dev core onlink' 'route6 2001:db8:b::/64 nhid 1'
check "(b) ping -6 ce1 -> ce2 passes: the traffic uses label 300" ping6 3

echo "--- (c) swap on p and pop-to-CE at pe2: pe1 pushes [302], p swaps 302 -> 1000, pe2 pops 1000 to ce2"
echo "    (pe1 now in net.ipv4.nexthop_compat_mode=0: the layer must work in both modes)"
topo_sysctl pe1 net.ipv4.nexthop_compat_mode=0
check "(c) pe2: 1000 pop, forward via inet6 2001:db8:b::2 dev ce" nl pe2 apply 'mpls add 1000 via inet6 2001:db8:b::2 dev ce'
check "(c) p: 302 as 1000 via inet 10.0.2.2 dev east" nl p apply 'mpls add 302 as 1000 via inet 10.0.2.2 dev east'
check "(c) pe1: replace object 1 with [302]" nl pe1 apply 'nh replace 1 via 10.0.1.2 dev core encap 302'
check "(c) p: delete label 300" nl p apply 'mpls delete 300'
check "(c) ip -j: p swaps 302 to 1000; pe2 pops 1000 via inet6" \
    eval 'ipj p "[.[] | select(.dst==\"302\" and .to==\"1000\")] | length==1" -f mpls route show && ipj pe2 "[.[] | select(.dst==\"1000\" and .via.host==\"2001:db8:b::2\" and .dev==\"ce\")] | length==1" -f mpls route show'
check "(c) our dumps read back the swap and the pop-to-CE" \
    eval 'dump_has p "mpls 302 as 1000 via inet 10.0.2.2 dev east" && dump_has pe2 "mpls 1000 via inet6 2001:db8:b::2 dev ce"'
check "(c) ping -6 ce1 -> ce2 passes through the swap and the egress pop" ping6 3

echo "--- (d) the other entry types read back: groups, plain IPv6 next hop, multipath LFIB, pop-and-lookup"
check "(d) pe1: object 2, plain IPv6 object 3, group 10 {1, 2 weight 3}, routes on 10 and 3" \
    nl pe1 apply 'nh add 2 via 10.0.1.2 dev core encap 300/2' 'nh add 3 via 2001:db8:a::2 dev ce' \
        'group add 10 1 2:3' 'route6 add 2001:db8:c::/48 nhid 10' 'route6 add 2001:db8:d::/48 nhid 3 metric 50'
check "(d) ip -j nexthop show (pe1): group 10 = [1, 2 weight 3]; 3 via 2001:db8:a::2 dev ce" \
    ipj pe1 '([.[] | select(.id==10) | .group] == [[{"id":1},{"id":2,"weight":3}]]) and ([.[] | select(.id==3 and .gateway=="2001:db8:a::2" and .dev=="ce")] | length==1)' nexthop show
check "(d) our dump (pe1): group, objects, routes" \
    dump_has pe1 'group id 10 group 1/2,3' 'nh id 3 via 2001:db8:a::2 dev ce' 'nh id 2 encap mpls 300/2 via ::ffff:10.0.1.2 dev core onlink' \
        'route6 2001:db8:c::/48 nhid 10' 'route6 2001:db8:d::/48 nhid 3 metric 50'
check "(d) p: multipath 500 (swap to 501 east / pop west), swap to a stack 502 -> 503/504" \
    nl p apply 'mpls add 500 as 501 via inet 10.0.2.2 dev east nexthop via inet 10.0.1.1 dev west' \
        'mpls add 502 as 503/504 via inet 10.0.2.2 dev east'
check "(d) pe2: pop-and-lookup 1001 dev lo" nl pe2 apply 'mpls add 1001 dev lo'
check "(d) ip -j -f mpls route show: p 500 has 2 paths, pe2 1001 dev lo" \
    eval 'ipj p "[.[] | select(.dst==\"500\") | .nexthops | length] == [2]" -f mpls route show && ipj pe2 "[.[] | select(.dst==\"1001\" and .dev==\"lo\")] | length==1" -f mpls route show'
check "(d) our dumps: multipath, stack swap, pop-and-lookup" \
    eval 'dump_has p "mpls 500 nexthop as 501 via inet 10.0.2.2 dev east nexthop via inet 10.0.1.1 dev west" "mpls 502 as 503/504 via inet 10.0.2.2 dev east" && dump_has pe2 "mpls 1001 dev lo"'
check "(d) replace of a group, a route and a label route, read back" \
    eval 'nl pe1 apply "group replace 10 2" "route6 replace 2001:db8:c::/48 nhid 2" >/dev/null && nl p apply "mpls replace 502 as 505 via inet 10.0.1.1 dev west" >/dev/null && dump_has pe1 "group id 10 group 2" "route6 2001:db8:c::/48 nhid 2" && dump_has p "mpls 502 as 505 via inet 10.0.1.1 dev west" && ipj p "[.[] | select(.dst==\"502\" and .to==\"505\" and .dev==\"west\")] | length==1" -f mpls route show'
check "(d) entries of other protocols are not in our dump (pe1's connected routes, kernel's labels 0/2)" \
    eval '! nl pe1 dump | grep -q "2001:db8:a::/64" && ! nl pe2 dump | grep -qE "^mpls (0|2) "'

echo "--- (e) kernel refusals come back naming the request, with the kernel's reason"
rc=0; out=$(nl p apply 'mpls add 600 via inet 10.0.2.2 dev east' 'mpls add 100000 via inet 10.0.2.2 dev east' \
    'mpls add 601 via inet 10.0.2.2 dev east' 'mpls add 5 via inet 10.0.2.2 dev east' \
    'mpls add 602 via inet 10.0.2.2 dev east' 2>&1) || rc=$?
echo "$out" | sed 's/^/  | /'
check "(e) exit status 1 and exactly two refusals" eval '((rc == 1)) && [[ $(grep -c "^error: " <<< "$out") == 2 ]]'
check "(e) label 100000 >= platform_labels: named, with extack" \
    eval '[[ $out == *"error: add mpls route 100000 via inet 10.0.2.2 dev east: "*"(kernel: "*"platform_labels)"* ]]'
check "(e) reserved label 5: named, with extack" \
    eval '[[ $out == *"error: add mpls route 5 via inet 10.0.2.2 dev east: "*"(kernel: "*")"* ]]'
check "(e) the requests around the refused ones were applied (600, 601, 602)" \
    dump_has p 'mpls 600 via inet 10.0.2.2 dev east' 'mpls 601 via inet 10.0.2.2 dev east' 'mpls 602 via inet 10.0.2.2 dev east'
rc=0; out=$(nl pe1 apply 'route6 add 2001:db8:e::/48 nhid 999' 2>&1) || rc=$?
check "(e) route to a missing object: $(grep '^error' <<< "$out" | head -1)" \
    eval '((rc == 1)) && [[ $out == *"error: add route 2001:db8:e::/48 nhid 999: "*"(kernel: "*")"* ]]'
rc=0; out=$(nl pe1 apply 'nh add 1 via 10.0.1.2 dev core encap 200/2' 2>&1) || rc=$?
check "(e) add of an existing object (NLM_F_EXCL): $(grep '^error' <<< "$out" | head -1)" \
    eval '((rc == 1)) && [[ $out == "error: add nexthop id 1 encap mpls 200/2 via ::ffff:10.0.1.2 dev core onlink: File exists"* ]]'

echo "--- (f) a large batch, many requests per sendmsg in chunks of 64, one refusal in the middle"
t0=$SECONDS
rc=0; out=$(nl pe1 --chunk 64 apply 'bulk add 0 700 nhid 1' 'route6 add 2001:db8:ffff::/64 nhid 999' 'bulk add 700 300 nhid 1' 2>&1) || rc=$?
echo "$out" | sed 's/^/  | /'
check "(f) 1001 requests, exactly the bad one refused (matched by sequence number)" \
    eval '((rc == 1)) && [[ $(grep -c "^error: " <<< "$out") == 1 && $out == *"error: add route 2001:db8:ffff::/64 nhid 999: "* && $out == *"applied 1001 request(s), 1 refused"* ]]'
# (ip -j prints "dst" twice for routes whose nexthop has encap, so plain text here)
check "(f) all 1000 routes are in the kernel (ip route show proto isthmus) and in our dump" \
    eval '[[ $(topo_exec pe1 ip -6 route show proto isthmus | grep -c "^2001:db8:1000:") == 1000 && $(nl pe1 dump | grep -c "^route6 2001:db8:1000:") == 1000 ]]'
check "(f) bulk delete of the 1000 routes" \
    eval 'nl pe1 apply "bulk delete 0 1000" >/dev/null && [[ $(nl pe1 dump | grep -c "^route6 2001:db8:1000:") == 0 ]]'
echo "  (f) took $((SECONDS - t0)) s"

echo "--- (f2) several batches queued at once on the loop complete one by one, in order"
rc=0; out=$(nl p --each apply 'mpls add 700 via inet 10.0.2.2 dev east' 'mpls add 5 via inet 10.0.2.2 dev east' \
    'mpls add 701 via inet 10.0.2.2 dev east' 'mpls delete 700' 2>&1) || rc=$?
check "(f2) 4 batches: completed in order 0 1 2 3, only the second refused" \
    eval '((rc == 1)) && [[ $out == *"completed in order: 0 1 2 3"* && $(grep -c "^error: add mpls route 5 " <<< "$out") == 1 ]] && dump_has p "mpls 701 via inet 10.0.2.2 dev east" && dump_lacks p "mpls 700 via inet 10.0.2.2 dev east" && nl p apply "mpls delete 701" >/dev/null'

echo "--- (g) delete of each entry type"
check "(g) pe1: routes, then the group, then the objects" \
    nl pe1 apply 'route6 delete 2001:db8:b::/64' 'route6 delete 2001:db8:c::/48' 'route6 delete 2001:db8:d::/48 metric 50' \
        'group delete 10' 'nh delete 1' 'nh delete 2' 'nh delete 3'
check "(g) p and pe2: every label route of ours" \
    eval 'nl p apply "mpls delete 201" "mpls delete 302" "mpls delete 500" "mpls delete 502" "mpls delete 600" "mpls delete 601" "mpls delete 602" >/dev/null && nl pe2 apply "mpls delete 1000" "mpls delete 1001" >/dev/null'
check "(g) nothing of ours left on pe1 and p (our dump and ip -j)" \
    eval '[[ -z $(nl pe1 dump) && -z $(nl p dump) && $(nl pe2 dump) == $'"'"'nh id 1 encap mpls 201/2 via ::ffff:10.0.2.1 dev core onlink\nroute6 2001:db8:a::/64 nhid 1'"'"' ]] && ipj pe1 "[.[] | select(.protocol==\"isthmus\")] | length==0" nexthop show && ipj p "[.[] | select(.protocol==\"isthmus\")] | length==0" -f mpls route show'
check "(g) a delete never touches another protocol's route: pe1's connected 2001:db8:a::/64 survives" \
    eval '! nl pe1 apply "route6 delete 2001:db8:a::/64" >/dev/null 2>&1; [[ -n $(topo_exec pe1 ip -6 route show 2001:db8:a::/64) ]]'
check "(g) ping -6 fails now that pe1 has no 6PE route" eval '! ping6 1'

echo "--- (h) preconditions: what is missing, and the command that fixes it"
check "(h) the kernel has nexthop objects" eval '[[ $(nl pe1 nexthop-objects) == "nexthop objects: yes" ]]'
check "(h) pe1 (core) and p (west, east; no IPv6 needed) are ready" \
    eval 'nl pe1 preconditions core && nl p preconditions --p west east'
rc=0; out=$(nl ce1 preconditions eth0) || rc=$?
echo "$out" | sed 's/^/  | /'
check "(h) ce1 as a PE: platform_labels 0 and no MPLS input on eth0, each with its fix" \
    eval '((rc == 1)) && [[ $out == *"fix: sysctl -w net.mpls.platform_labels=100000"* && $out == *"fix: sysctl -w net.mpls.conf.eth0.input=1"* ]]'
rc=0; out=$(nl pe2 preconditions --label 200000 core) || rc=$?
check "(h) pe2 with a label above platform_labels: $out" \
    eval '((rc == 1)) && [[ $out == *"fix: sysctl -w net.mpls.platform_labels=200001"* && $out == *"nexthop_compat_mode is 1"* ]]'

echo "netlink-kernel: $failures failed assertion(s), $((SECONDS - t_start)) s"
((failures == 0))
