#!/bin/bash
# Self-test of netlink/'s desired-state layer (Fib) and Monitor against the real kernel, in pe1 of
# the static 6PE lab (tests/topo/static6pe.topo without pe1's iproute2 6PE route): the driver
# tests/netlink/netlink_state_test.cpp runs both in pe1, fed commands through a FIFO. One VM boot:
#   tests/vm/vm-run --timeout 180 -- tests/selftest/netlink-state.sh BUILD/.../isthmus_netlink_statetest
# (a) a previous run's entries of ours are adopted where they match and swept where not, other
#     protocols' entries untouched; (b) one object replace moves the traffic (and the monitor's
#     filter keeps the compat-mode-1 flood out); (c) an admin's `ip route del` of ours (a route,
#     then a label route) is repaired;
#     (d) a link going down and up is followed, in compat mode 1 and then 0.
# shellcheck disable=SC2016,SC2034  # assertions are eval'd single-quoted strings, expanded when checked
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
drv=${1:?usage: netlink-state.sh PATH/TO/isthmus_netlink_statetest}
[[ -x $drv ]] || { echo "netlink-state: $drv is not executable" >&2; exit 1; }
[[ $EUID == 0 ]] || { echo "netlink-state: needs root (network namespaces)" >&2; exit 1; }
# shellcheck source=tests/topo/topo.sh
source "$here/../topo/topo.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failures=0
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"  # check DESCRIPTION COMMAND...
t_start=$SECONDS
work=$(mktemp -d /tmp/netlink-state.XXXXXX)
cleanup() { exec 3>&- 2>/dev/null || true; _topo_exit; rm -rf "$work"; }
pe1() { topo_exec pe1 "$@"; }
ping6() { topo_exec ce1 ping -6 -n -c "${1:-3}" -i 0.2 -W 1 2001:db8:b::2 >/dev/null; }
# until SECONDS COMMAND...: retry every 0.1 s
until_ok() { local end=$((SECONDS + $1)); shift; until "$@"; do ((SECONDS < end)) || return 1; sleep 0.1; done; }
# ctl COMMAND: send one command to the driver, print its answer. The count of commands lives in
# a file: ctl runs in $(...) subshells too.
echo 0 > "$work/n"
ctl() {
    echo "$*" >&3
    local n i line
    n=$(($(< "$work/n") + 1))
    echo "$n" > "$work/n"
    for ((i = 0; i < 600; i++)); do
        line=$(grep -m1 "^ok $n " "$work/log" || true)
        [[ -n $line ]] && { echo "${line#"ok $n "}"; return 0; }
        sleep 0.05
    done
    echo "netlink-state: no answer to '$*'" >&2; return 1
}
# stats: the driver's counters as shell variables (requests=..., repairs=..., ...)
requests=0 monitor_messages=0 overruns=0 repairs=0 adopted=0 swept=0 failures=0
stats() {
    local kv
    for kv in $(ctl show); do [[ $kv != *=* ]] || printf -v "${kv%%=*}" '%s' "${kv#*=}"; done
}
ours() { pe1 ip -6 route show proto isthmus | grep -c "nhid $1" || true; }

topo_file=$work/topo
sed -e '/^ip pe1 -6 route add 2001:db8:b::\/64 encap/d' "$here/../topo/static6pe.topo" > "$topo_file"
echo 'ip p -f mpls route add 300 via inet 10.0.2.2 dev east' >> "$topo_file"   # the LSP after the relabel
topo_up "$topo_file"
trap cleanup EXIT
mkdir -p /etc/iproute2/rt_protos.d && cp "$here/../../netlink/rt_protos.d/isthmus.conf" /etc/iproute2/rt_protos.d/
echo "netlink-state: topology up in $((SECONDS - t_start)) s"

echo "--- (a) start-up: adopt what matches, sweep our stale entries, leave other protocols' alone"
# A previous run of ours: object 51 = what we will want again (with its route), object 50 and
# its route no longer wanted, a route in another table, a label route. Then other protocols'
# entries, some at our kind of places. One `ip -batch` (each process start costs in the VM).
pe1 ip -batch - <<'EOF'
nexthop add id 51 encap mpls 200/2 via ::ffff:10.0.1.2 dev core onlink proto isthmus
route add 2001:db8:b::/64 nhid 51 proto isthmus
nexthop add id 50 encap mpls 999/2 via ::ffff:10.0.1.2 dev core onlink proto isthmus
route add 2001:db8:50::/48 nhid 50 proto isthmus
route add 2001:db8:51::/48 nhid 51 proto isthmus table 100
nexthop add id 60 via 2001:db8:a::2 dev ce proto static
route add 2001:db8:60::/48 nhid 60 proto bgp
route add 2001:db8:77::/48 via 2001:db8:a::2 dev ce proto static
EOF
pe1 ip -f mpls -batch - <<'EOF'
route add 777 via inet 10.0.1.2 dev core proto isthmus
route add 778 via inet 10.0.1.2 dev core proto static
EOF

mkfifo "$work/ctl"
topo_exec pe1 "$drv" < "$work/ctl" > "$work/log" 2>&1 &
exec 3> "$work/ctl"
t0=$SECONDS
bulk=500 total=501   # routes on object 51: enough for the compat-mode-1 flood to overflow ip monitor
ctl "route 2001:db8:b::/64 via 10.0.1.2 dev core labels 200/2" >/dev/null
ctl "bulk 0 $bulk via 10.0.1.2 dev core labels 200/2" >/dev/null
check "(a) the layer settles" eval '[[ $(ctl wait-idle) == idle ]]'
echo "  (a) start-up and $total routes took $((SECONDS - t0)) s: $(ctl show)"
check "(a) our stale route 2001:db8:50::/48, object 50, the table-100 route and label 777 are gone" \
    eval '[[ -z $(pe1 ip -6 route show 2001:db8:50::/48) && -z $(pe1 ip -6 route show table 100) ]] && ! pe1 ip nexthop show id 50 >/dev/null 2>&1 && ! pe1 ip -f mpls route show | grep -q "^777 "'
check "(a) other protocols' object 60, routes 2001:db8:60::/48 and 2001:db8:77::/48, label 778 are untouched" \
    eval 'pe1 ip nexthop show id 60 >/dev/null && [[ -n $(pe1 ip -6 route show 2001:db8:60::/48 proto bgp) && -n $(pe1 ip -6 route show 2001:db8:77::/48 proto static) ]] && pe1 ip -f mpls route show | grep -q "^778 "'
check "(a) 2001:db8:b::/64 adopted on object 51 (not re-created) and the $bulk new routes share it" \
    eval '[[ $(ours 51) == $total && $(ctl nhid 2001:db8:b::/64) == "51 installed=1" ]] && ! pe1 ip nexthop show | grep -qv "^id \(51\|60\) "'
check "(a) the driver counts what it adopted and swept (adopted>=2, swept>=4, nothing refused)" \
    eval 'stats && (( adopted >= 2 && swept >= 4 && failures == 0 ))'
topo_exec ce1 ping -6 -n -c 1 -W 2 2001:db8:b::2 >/dev/null || true   # ND and ARP
check "(a) ping -6 ce1 -> ce2 over the adopted route" ping6 3

echo "  (a) took $((SECONDS - t0)) s"; t0=$SECONDS
echo "--- (b) a new LDP label: one nexthop replace moves all $total routes, and the traffic"
pe1 ip monitor route > "$work/monitor" 2>&1 &
mon_pid=$!
sleep 0.3
stats; req0=$requests msg0=$monitor_messages
check "(b) relabel 200/2 -> 300/2" eval '[[ $(ctl "relabel 10.0.1.2 dev core 200/2 300/2") == replaced && $(ctl wait-idle) == idle ]]'
stats; req1=$requests
topo_exec p ip -f mpls route del 200   # the old LSP is gone: only label 300 can carry the traffic
check "(b) exactly one request was sent ($req0 -> $req1)" eval '(( req1 - req0 == 1 ))'
check "(b) object 51 pushes 300/2; routes untouched" \
    eval '[[ $(pe1 ip nexthop show id 51) =~ encap\ mpls\ +300/2 && $(ours 51) == $total ]]'
check "(b) ping -6 ce1 -> ce2 passes with label 300" ping6 3
sleep 1
kill "$mon_pid" 2>/dev/null; wait "$mon_pid" 2>/dev/null || true
flood=$(grep -c "proto isthmus" "$work/monitor" || true)
lost=$(grep -ci "no buffer space" "$work/monitor" || true)
stats; msg1=$monitor_messages
# ip monitor's default-sized buffer takes only a few hundred of the announcements before it
# overflows; ours sees none of them (the socket filter) and never overflows.
check "(b) compat mode 1 flooded ip monitor ($flood routes announced, overflow reported $lost time(s)); our monitor let $((msg1 - msg0)) message(s) through, no overrun" \
    eval '(( (flood >= total || (flood >= 100 && lost >= 1)) && msg1 - msg0 < 50 && overruns == 0 ))'

echo "  (b) took $((SECONDS - t0)) s"; t0=$SECONDS
echo "--- (c) drift: an admin deletes one of our routes; the layer puts it back"
pe1 ip -6 route del 2001:db8:b::/64 proto isthmus
check "(c) 2001:db8:b::/64 is back on object 51" \
    until_ok 5 eval '[[ $(pe1 ip -6 route show 2001:db8:b::/64 proto isthmus) == *"nhid 51 "* ]]'
check "(c) counted as a repair" eval 'stats && (( repairs == 1 ))'
check "(c) ping -6 ce1 -> ce2 passes again" ping6 3
ctl "swap 400 401 via 10.0.1.2 dev core" >/dev/null
check "(c) a label route of ours (400 as 401) is installed" \
    until_ok 5 eval 'pe1 ip -f mpls route show | grep -q "^400 .*401 via inet 10.0.1.2 dev core .*proto isthmus"'
pe1 ip -f mpls route del 400
check "(c) deleted by an admin, label route 400 is back" \
    until_ok 5 eval 'pe1 ip -f mpls route show | grep -q "^400 .*401 via inet 10.0.1.2 dev core .*proto isthmus"'
check "(c) counted as a second repair" eval 'stats && (( repairs == 2 ))'

echo "  (c) took $((SECONDS - t0)) s"
for mode in 1 0; do
    t0=$SECONDS
    echo "--- (d) compat mode $mode: pe1's core link goes down (the kernel drops object 51 and its routes silently), then up"
    topo_sysctl pe1 "net.ipv4.nexthop_compat_mode=$mode"
    refused0=$(grep -c "^refused" "$work/log" || true)
    pe1 ip link set core down
    check "(d$mode) the monitor derives the loss of object 51 from the link event" \
        until_ok 5 eval '(( $(grep -c "^event - nexthop id 51 .*(derived)" "$work/log") >= '"$((mode == 1 ? 1 : 2))"' ))'
    check "(d$mode) the kernel has neither the object nor its routes; the layer knows the route is out" \
        eval '! pe1 ip nexthop show id 51 >/dev/null 2>&1 && [[ $(ours 51) == 0 && $(ctl nhid 2001:db8:b::/64) == "51 installed=0" ]]'
    sleep 0.5
    check "(d$mode) nothing is sent while the link is down (no refusals)" \
        eval '(( $(grep -c "^refused" "$work/log" || true) == refused0 ))'
    pe1 ip link set core up
    check "(d$mode) link up: object 51 and all $total routes are back" \
        until_ok 10 eval '[[ $(ours 51) == $total ]]'
    check "(d$mode) the layer settles with the route installed" \
        eval '[[ $(ctl wait-idle) == idle && $(ctl nhid 2001:db8:b::/64) == "51 installed=1" ]]'
    topo_exec ce1 ping -6 -n -c 1 -W 2 2001:db8:b::2 >/dev/null || true   # ARP after the link came back
    check "(d$mode) ping -6 ce1 -> ce2 passes" ping6 3
    echo "  (d$mode) took $((SECONDS - t0)) s"
done
echo "  final: $(ctl show)"
ctl quit >/dev/null || true

echo "netlink-state: $failures failed assertion(s), $((SECONDS - t_start)) s"
((failures == 0))
