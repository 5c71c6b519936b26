#!/bin/bash
# Self-test of netlink/'s recirculation port (hierarchical labels, KERNEL.md section 4) against the
# real kernel, in the static 6PE lab (tests/topo/static6pe.topo) without pe1's iproute2 route to
# ce2: pe1 programs it through our layer instead, by way of the port. pe1's IPv6 route pushes
# [1000 (pe1's local label for pe2) / 2 (BGP label)] into isth-rc0; the packet comes back in on
# isth-rc1, where pe1's LFIB entry 1000 -> 200 (pe2's LDP label at p) sends it to p; p pops 200,
# pe2 pops 2. Then the port is broken in every way an admin can and repaired, removed, and the
# forwarding cost of flat vs hierarchical is measured in the same run (figures, no threshold):
#   tests/vm/vm-run --timeout 240 -- tests/selftest/recirculation.sh BUILD/tests/netlink/isthmus_recirculation_probe
# shellcheck disable=SC2016,SC2034  # assertions are eval'd single-quoted strings, expanded when checked
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
probe=${1:?usage: recirculation.sh PATH/TO/isthmus_recirculation_probe}
[[ -x $probe ]] || { echo "recirculation: $probe is not executable" >&2; exit 1; }
[[ $EUID == 0 ]] || { echo "recirculation: needs root (network namespaces)" >&2; exit 1; }
# shellcheck source=tests/topo/topo.sh
source "$here/../topo/topo.sh"
# shellcheck source=tests/lib/check.sh
source "$here/../lib/check.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
blast_count=${ISTHMUS_RECIRC_PACKETS:-20000}
rounds=${ISTHMUS_RECIRC_ROUNDS:-7}
t_start=$SECONDS

pr() { local node=$1; shift; topo_exec "$node" "$probe" "$@"; }
ping6() { topo_exec ce1 ping -6 -n -c "${1:-3}" -i 0.2 -W 1 2001:db8:b::2 >/dev/null; }
no_ping6() { ! topo_exec ce1 ping -6 -n -c 1 -W 1 2001:db8:b::2 >/dev/null; }
ipj() { local node=$1 filter=$2; shift 2; [[ $(topo_exec "$node" ip -j "$@" | jq -c "$filter") == true ]]; }
ifindex_of() { topo_exec pe1 ip -j link show "$1" | jq '.[0].ifindex'; }
rx_packets() { topo_exec "$1" cat "/sys/class/net/$2/statistics/rx_packets"; }
sysctl_of() { topo_exec pe1 sysctl -n "$1"; }
hier() { pr pe1 hier 2 2001:db8:b::/64 1000 2 200 10.0.1.2 core; }
# lines LINE... : stdin has exactly these lines
lines() { [[ $(cat) == "$(printf '%s\n' "$@")" ]]; }
# says FILE TEXT: FILE (a probe's output) has TEXT on a line of its own or inside one
says() { grep -qF -- "$2" "$1" || { echo "  not in output: $2"; sed 's/^/  | /' "$1"; return 1; }; }

topo_file=/tmp/recirculation.topo
sed -e '/^ip pe1 -6 route add 2001:db8:b::\/64/d' "$here/../topo/static6pe.topo" > "$topo_file"
topo_up "$topo_file"
mkdir -p /etc/iproute2/rt_protos.d && cp "$here/../../netlink/rt_protos.d/isthmus.conf" /etc/iproute2/rt_protos.d/
out=/tmp/recirculation.out
echo "recirculation: topology up in $((SECONDS - t_start)) s"

echo "--- (a) ensure creates the port in pe1; a second ensure adopts it (t=$((SECONDS - t_start)) s)"
check "(a) no port before: check says what is missing" \
    eval '! pr pe1 check > $out && says $out "recirculation port needs repair: isth-rc0 is missing; isth-rc1 is missing"'
check "(a) ensure creates veth isth-rc0/isth-rc1" eval 'pr pe1 ensure > $out && says $out "change: created veth isth-rc0/isth-rc1"'
sed 's/^/  | /' "$out"
check "(a) ip -j -d link: a veth pair in pe1, both ends up, each the other's peer" \
    eval 'ipj pe1 ".[0].linkinfo.info_kind==\"veth\" and .[0].link==\"isth-rc1\" and (.[0].flags|index(\"UP\")!=null)" -d link show isth-rc0 &&
          ipj pe1 ".[0].linkinfo.info_kind==\"veth\" and .[0].link==\"isth-rc0\" and (.[0].flags|index(\"UP\")!=null)" -d link show isth-rc1'
check "(a) the reported ifindexes are the kernel's" \
    eval 'says $out "port out isth-rc0 ifindex $(ifindex_of isth-rc0) in isth-rc1 ifindex $(ifindex_of isth-rc1) gateway ::ffff:169.254.77.2"'
check "(a) net.mpls.conf.isth-rc1.input = 1, net.ipv6.conf.isth-rc0.disable_ipv6 = 0" \
    eval '[[ $(sysctl_of net.mpls.conf.isth-rc1.input) == 1 && $(sysctl_of net.ipv6.conf.isth-rc0.disable_ipv6) == 0 ]]'
rc1_mac=$(topo_exec pe1 ip -j link show isth-rc1 | jq -r '.[0].address')
check "(a) neighbour 169.254.77.2 on isth-rc0: PERMANENT, lladdr = isth-rc1's $rc1_mac" \
    ipj pe1 "[.[] | select(.dst==\"169.254.77.2\" and .lladdr==\"$rc1_mac\" and (.state|index(\"PERMANENT\")!=null))] | length==1" neigh show dev isth-rc0
first_out=$(ifindex_of isth-rc0)
check "(a) a second ensure changes nothing and keeps the ifindexes" \
    eval 'pr pe1 ensure > $out && says $out "change: none (adopted)" && [[ $(ifindex_of isth-rc0) == "$first_out" ]]'
check "(a) check: intact" eval 'pr pe1 check | lines intact'

echo "--- (b) hierarchical forwarding: [1000/2] into the port, LFIB 1000 -> 200 towards p (t=$((SECONDS - t_start)) s)"
check "(b) pe1: object 2 [1000/2] via ::ffff:169.254.77.2 dev isth-rc0, label route 1000 as 200, route nhid 2 (one batch)" hier
check "(b) ip -j nexthop (pe1): id 2 encap 1000/2 via ::ffff:169.254.77.2 dev isth-rc0 onlink, proto isthmus" \
    ipj pe1 '[.[] | select(.id==2 and .dst=="1000/2" and .gateway=="::ffff:169.254.77.2" and .dev=="isth-rc0" and .protocol=="isthmus")] | length==1' nexthop show
check "(b) ip -j -f mpls route (pe1): 1000 as to 200 via inet 10.0.1.2 dev core, proto isthmus" \
    ipj pe1 '[.[] | select(.dst=="1000" and .to=="200" and .via.host=="10.0.1.2" and .dev=="core" and .protocol=="isthmus")] | length==1' -f mpls route show
check "(b) pe1 forwards 2001:db8:b::2 with encap mpls 1000/2 into isth-rc0 (ip route get)" \
    eval '[[ $(topo_exec pe1 ip -6 route get 2001:db8:b::2) =~ encap\ mpls\ +1000/2\ .*dev\ isth-rc0 ]]'
topo_exec ce1 ping -6 -n -c 1 -W 2 2001:db8:b::2 >/dev/null || true  # ND and ARP on the way
for spot in "pe1 isth-rc1" "p west" "pe2 core"; do
    read -r node dev <<< "$spot"
    pr "$node" capture "$dev" 3 8 > "/tmp/recirc-cap-$node-$dev" &
done
for f in /tmp/recirc-cap-pe1-isth-rc1 /tmp/recirc-cap-p-west /tmp/recirc-cap-pe2-core; do
    for _ in $(seq 50); do grep -q ready "$f" 2>/dev/null && break; sleep 0.1; done
done
rc1_before=$(rx_packets pe1 isth-rc1)
check "(b) ping -6 ce1 -> ce2 through the port" ping6 3
wait
rc1_after=$(rx_packets pe1 isth-rc1)
for f in /tmp/recirc-cap-pe1-isth-rc1 /tmp/recirc-cap-p-west /tmp/recirc-cap-pe2-core; do
    echo "  $f: $(grep -v ready "$f" | sort | uniq -c | tr -s ' ' | tr '\n' ',')"
done
check "(b) on isth-rc1 the packets arrive as [1000/2] (the second pass)" \
    eval 'grep -v ready /tmp/recirc-cap-pe1-isth-rc1 | lines 1000/2 1000/2 1000/2'
check "(b) on the wire into p: [200/2] (LDP label swapped in, BGP label below)" \
    eval 'grep -v ready /tmp/recirc-cap-p-west | lines 200/2 200/2 200/2'
check "(b) into pe2: [2] (p popped 200)" eval 'grep -v ready /tmp/recirc-cap-pe2-core | lines 2 2 2'
check "(b) isth-rc1 received the 3 pings (rx $rc1_before -> $rc1_after)" eval '((rc1_after - rc1_before >= 3))'
check "(b) path MTU as in flat mode: 1500 bytes from ce1 get Packet Too Big mtu=1492 from pe1, 1492 bytes cross" \
    eval '[[ $(topo_exec ce1 ping -6 -n -c 1 -W 1 -s 1452 -M do 2001:db8:b::2 2>&1) == *"mtu=1492"* ]] &&
          topo_exec ce1 ping -6 -n -c 1 -W 2 -s 1444 -M do 2001:db8:b::2 >/dev/null'
check "(b) an LSP change is one label-route replace: 1000 as 300 breaks it (p knows no 300), back to 200 heals it" \
    eval 'topo_exec pe1 ip -f mpls route replace 1000 as 300 via inet 10.0.1.2 dev core proto 205 && no_ping6 && hier >/dev/null && ping6 2'

echo "--- (c) an admin breaks the port; check names it, ensure repairs it (t=$((SECONDS - t_start)) s)"
topo_exec pe1 ip link set isth-rc1 down
check "(c) isth-rc1 down: check says so" eval '! pr pe1 check > $out && says $out "isth-rc1 is down"'
check "(c) the kernel dropped the object on the port with the carrier (KERNEL.md 4): no forwarding" no_ping6
check "(c) ensure sets it up; the route re-installed on it forwards again" \
    eval 'hier > $out && says $out "change: set isth-rc1 up" && ping6 2'
topo_sysctl pe1 net.mpls.conf.isth-rc1.input=0
check "(c) MPLS input off on isth-rc1: check says so, traffic stops" \
    eval '! pr pe1 check > $out && says $out "net.mpls.conf.isth-rc1.input is 0, not 1" && no_ping6'
check "(c) ensure turns it back on, traffic passes without re-installing anything" \
    eval 'pr pe1 ensure > $out && says $out "change: wrote /proc/sys/net/mpls/conf/isth-rc1/input = 1" && ping6 2'
topo_exec pe1 ip neigh del 169.254.77.2 dev isth-rc0
check "(c) neighbour entry deleted: check says so" eval '! pr pe1 check > $out && says $out "no neighbour entry 169.254.77.2 on isth-rc0"'
check "(c) ensure writes it again; traffic passes" \
    eval 'pr pe1 ensure > $out && says $out "change: neighbour 169.254.77.2 on isth-rc0 = " && ping6 2'
topo_exec pe1 ip neigh replace 169.254.77.2 lladdr 02:00:00:00:00:99 dev isth-rc0 nud permanent
check "(c) neighbour pointing at the wrong MAC: check says so, ensure corrects it" \
    eval '! pr pe1 check > $out && says $out "neighbour 169.254.77.2 on isth-rc0 is 02:00:00:00:00:99, not isth-rc1" && pr pe1 ensure >/dev/null && ping6 2'
topo_sysctl pe1 net.ipv6.conf.isth-rc0.disable_ipv6=1
check "(c) IPv6 disabled on isth-rc0: check says so, ensure re-enables it (then the route is re-installed)" \
    eval '! pr pe1 check > $out && says $out "IPv6 is disabled on isth-rc0" && hier > $out && says $out "disable_ipv6 = 0" && ping6 2'
old_out=$(ifindex_of isth-rc0)
topo_exec pe1 ip link del isth-rc0
check "(c) pair deleted: check says both ends are missing, no forwarding" \
    eval '! pr pe1 check > $out && says $out "isth-rc0 is missing; isth-rc1 is missing" && no_ping6'
check "(c) ensure recreates it (new ifindex), the route re-installed on it forwards" \
    eval 'hier > $out && says $out "change: created veth isth-rc0/isth-rc1" && [[ $(ifindex_of isth-rc0) != "$old_out" ]] && ping6 2'
topo_exec pe1 ip link del isth-rc0
topo_exec pe1 ip link add isth-rc0 type veth peer name stray netns "$(topo_ns ce1)"
check "(c) isth-rc0 peered with a link in another namespace: check says isth-rc1 is missing" \
    eval '! pr pe1 check > $out && says $out "isth-rc1 is missing"'
check "(c) ensure replaces it (the stray end in ce1 goes with it), forwarding restored" \
    eval 'hier > $out && says $out "change: deleted isth-rc0" && says $out "change: created veth" && ! topo_exec ce1 ip link show stray 2>/dev/null && ping6 2'
check "(c) a broken name prefix is refused before anything is sent" \
    eval '! pr pe1 --prefix "bad/name" ensure 2> $out && says $out "name prefix \"bad/name\" is not usable"'
check "(c) a custom prefix and MTU: rc-test0/rc-test1 with MTU 1400, then removed" \
    eval 'pr pe1 --prefix rc-test --mtu 1400 ensure >/dev/null && ipj pe1 ".[0].mtu==1400" link show rc-test1 && pr pe1 --prefix rc-test remove && ! topo_exec pe1 ip link show rc-test0 2>/dev/null'

echo "--- (d) remove (t=$((SECONDS - t_start)) s)"
check "(d) remove deletes the pair; its object and route go with it; a second remove is a no-op" \
    eval 'pr pe1 remove && ! topo_exec pe1 ip link show isth-rc0 2>/dev/null && ! topo_exec pe1 ip link show isth-rc1 2>/dev/null && no_ping6 && pr pe1 remove'

echo "--- (e) forwarding cost: packets/s through pe1, flat vs hierarchical, same run (t=$((SECONDS - t_start)) s)"
# pe1's own cost, as little diluted as one CPU allows: ce1 sends small UDP datagrams as fast as it
# can, to 2001:db8:c::1 (flat: pe1 pushes [999/2]) or to 2001:db8:d::1 (hierarchical: pe1 pushes
# [1001/2] into the port and swaps 1001 -> 999); p knows no label 999 and drops them on arrival (no
# ICMP for MPLS), so the chain is sender + pe1 + p's receive. The forwarding runs in the sender's
# softirq on the VM's one CPU, so the sender's time is the chain's. Both routes stay installed (no
# switching between runs); runs alternate, the order swapping every round, after one warm-up pair.
# What arrived where is counted over the whole series: p's west rx (everything sent arrived) and
# pe1's isth-rc1 rx (the hierarchical datagrams, and only those, crossed the port).
pr pe1 flat 3 2001:db8:c::/64 999 2 10.0.1.2 core
pr pe1 hier 4 2001:db8:d::/64 1001 2 999 10.0.1.2 core >/dev/null
topo_exec ce1 ping -6 -n -c 1 -W 1 2001:db8:c::1 >/dev/null 2>&1 || true  # ARP for p on pe1's core
declare -A pps=() sent=()
measure() {  # measure MODE ROUND
    local mode=$1 round=$2 dst line secs n
    dst=2001:db8:c::1
    [[ $mode == hier ]] && dst=2001:db8:d::1
    line=$(pr ce1 blast "$dst" 9 "$blast_count")
    secs=$(sed -n 's/.* in \([0-9.]*\) s:.*/\1/p' <<< "$line")
    n=$(sed -n 's/^sent \([0-9]*\) .*/\1/p' <<< "$line")
    printf '  %-4s %-6s %s\n' "$mode" "$round" "$line"
    sent[$mode]=$(( ${sent[$mode]:-0} + n ))
    [[ $round == warmup ]] || pps[$mode.$round]=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
}
p_rx0=$(rx_packets p west) rc_rx0=$(rx_packets pe1 isth-rc1)
measure flat warmup
measure hier warmup
for round in $(seq "$rounds"); do
    if ((round % 2)); then measure flat "$round"; measure hier "$round"
    else measure hier "$round"; measure flat "$round"; fi
done
sleep 0.3
p_rx=$(( $(rx_packets p west) - p_rx0 )) rc_rx=$(( $(rx_packets pe1 isth-rc1) - rc_rx0 ))
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
flat_list=() hier_list=() pair_ratios=()
for round in $(seq "$rounds"); do
    flat_list+=("${pps[flat.$round]}") hier_list+=("${pps[hier.$round]}")
    # a round's two runs are adjacent in time: their ratio is the least disturbed by the host
    pair_ratios+=("$(awk -v h="${pps[hier.$round]}" -v f="${pps[flat.$round]}" 'BEGIN { printf "%.3f", h / f }')")
done
flat_med=$(median "${flat_list[@]}") hier_med=$(median "${hier_list[@]}")
minmax() { printf '%s\n' "$@" | sort -n | sed -n '1p;$p' | paste -sd/; }
echo "  figures ($blast_count datagrams a run, $rounds rounds): flat ${flat_list[*]} pps (median $flat_med, min/max $(minmax "${flat_list[@]}"))"
echo "           hierarchical ${hier_list[*]} pps (median $hier_med, min/max $(minmax "${hier_list[@]}"))"
echo "  ratio hierarchical / flat: per round ${pair_ratios[*]} (median $(median "${pair_ratios[@]}")); of the medians" \
     "$(awk -v h="$hier_med" -v f="$flat_med" 'BEGIN { printf "%.2f", h / f }')"
echo "  time per packet through the chain: flat $(awk -v f="$flat_med" 'BEGIN { printf "%.1f", 1e6 / f }') us," \
     "hierarchical $(awk -v h="$hier_med" 'BEGIN { printf "%.1f", 1e6 / h }') us (medians; TCG: compare ratios, not times)"
check "(e) every datagram sent reached p (p west rx +$p_rx, sent ${sent[flat]} flat + ${sent[hier]} hierarchical)" \
    eval '((sent[flat] > 0 && p_rx >= sent[flat] + sent[hier]))'
check "(e) the hierarchical datagrams and only they crossed the port (isth-rc1 rx +$rc_rx, ${sent[hier]} sent hierarchical)" \
    eval '((rc_rx >= sent[hier] && rc_rx < sent[hier] + 100))'

echo "recirculation: $((SECONDS - t_start)) s in all"
check_done recirculation
