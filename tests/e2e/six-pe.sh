#!/bin/bash
# End to end: CE1 (BIRD) - PE1 (isthmusd) - P (isthmusd, LDP only, no IPv6) - PE2 (isthmusd) - CE2
# (BIRD), every label learned (tests/topo/6pe-lab.topo, started by tests/topo/6pe-lab.sh). BIRD
# OSPFv2 carries the loopbacks; LDP labels them; PE1 and PE2 exchange the CE prefixes over 6PE iBGP
# between the loopbacks; the CEs speak eBGP IPv6 unicast to their PE. Asserts, each from the side
# that knows: (a) the IGP in the kernels, (b) LDP sessions (isthmusctl), (c) the four BGP sessions
# (isthmusctl and BIRD), (d) the labels along the LSP to PE2 (isthmusctl on PE1 and P, P's LFIB),
# (e) what each CE's BIRD received, (f) PE1's kernel: CE2's prefix over a nexthop object pushing
# [LDP label of PE2, BGP label] via ::ffff:<P>, PE2's egress LFIB entries, (g) ping -6 CE1 LAN ->
# CE2 LAN 5/5 with the MPLS counters of the core links growing, (h) CE2 withdraws its prefix and
# announces it again, (i) PE2's isthmusd stops: the route leaves PE1's kernel and CE1's BIRD.
# Prints the time from the daemons' start to each milestone.
#
# Needs kernel MPLS:
#   tests/vm/vm-run --timeout 400 -- tests/e2e/six-pe.sh build/daemon/isthmusd [MODE [ISTHMUSCTL]]
# MODE: the PEs' bgp.label-mode, explicit-null (default) or per-prefix, per-nexthop, per-table.
# ISTHMUSCTL defaults to the one beside isthmusd. On failure the daemons' logs are printed; with
# vm-run --results DIR, the configs and logs are copied there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
LAB_ISTHMUSD=$(realpath "${1:-$here/../../build/daemon/isthmusd}")
LAB_LABEL_MODE=${2:-explicit-null}
[[ -z ${3:-} ]] || LAB_ISTHMUSCTL=$(realpath "$3")
# shellcheck source=tests/topo/6pe-lab.sh
source "$here/../topo/6pe-lab.sh"
# shellcheck source=tests/lib/check.sh
source "$here/../lib/check.sh"
[[ $EUID == 0 ]] || { echo "six-pe: needs root (network namespaces)" >&2; exit 1; }

# check 'WHAT' COMMAND...: WHAT is expanded after COMMAND ran, and $took is its duration.
check() { check_late "$@"; }
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" 2>/dev/null; do ((SECONDS < deadline)) || return 1; sleep 0.3; done
}
secs() { [[ $1 =~ ^[0-9]+$ ]] && echo "$(($1 / 1000)).$((($1 % 1000) / 100)) s" || echo "never"; }
milestone() { awk -v m="$1" '$1 == m {print $2; exit}' "$LAB_W/milestones" 2>/dev/null; }

finish() {
    local rc=$?
    if ((failures || rc)); then lab_logs 40; fi
    if [[ -n ${VM_RESULTS:-} ]]; then   # the regular files only (not the sockets)
        mkdir -p "$VM_RESULTS/${LAB_W##*/}" && find "$LAB_W" -maxdepth 1 -type f -exec cp {} "$VM_RESULTS/${LAB_W##*/}/" \; &&
            echo "six-pe: configs and logs in $VM_RESULTS/${LAB_W##*/}"
    fi
    lab_down
}

t_start=$SECONDS
echo "six-pe: isthmusd $LAB_ISTHMUSD, label mode $LAB_LABEL_MODE"
lab_up
trap finish EXIT

# shellcheck disable=SC2034  # some are only used inside the checks' eval'd strings
PE1=$(lab_id pe1) P=$(lab_id p) PE2=$(lab_id pe2)
# shellcheck disable=SC2034
P_WEST=$(topo_addr p:west 4) P_EAST=$(topo_addr p:east 4) PE2_CORE=$(topo_addr pe2:core 4)
CE1_LAN=$(lab_lan ce1) CE2_LAN=$(lab_lan ce2)
CE1_NET=$(lab_lan_prefix ce1) CE2_NET=$(lab_lan_prefix ce2)
CE1_ADDR=$(topo_addr ce1:eth0 6) CE2_ADDR=$(topo_addr ce2:eth0 6)
PE1_CE=$(topo_addr pe1:ce 6) PE2_CE=$(topo_addr pe2:ce 6)

# Milestones watched in the background from the daemons' start, with cheap commands only, so the
# pace of the checks below does not count: the IGP route on pe1, pe1's route to CE2's prefix, the
# first ping reply. One line "NAME MS" each in $LAB_W/milestones.
watch_milestones() {
    local stage=igp
    while :; do
        case $stage in
            igp) [[ -n $(topo_exec pe1 ip route show "$PE2" proto bird) ]] && { echo "igp $(lab_elapsed_ms)"; stage=route; } ;;
            route) [[ -n $(topo_exec pe1 ip -6 route show "$CE2_NET" proto 205) ]] && { echo "route $(lab_elapsed_ms)"; stage=ping; } ;;
            ping) topo_exec ce1 ping -6 -n -c 1 -W 1 -I "$CE1_LAN" "$CE2_LAN" >/dev/null 2>&1 &&
                      { echo "ping $(lab_elapsed_ms)"; return 0; } ;;
        esac
        sleep 0.2
    done >>"$LAB_W/milestones"
}
watch_milestones &
lab_wait_ready
echo "six-pe: topology and daemons started in $((SECONDS - t_start)) s (work dir $LAB_W)"

# ---- probes -------------------------------------------------------------------------------------
ldp_state() { lab_ctl "$1" show ldp neighbor | jq -r --arg n "$2" '.sessions[] | select(.["lsr-id"] | startswith($n)) | .state'; }
bgp_state() { lab_ctl "$1" show bgp summary | jq -r --arg a "$2" '.neighbors[] | select(.address == $a) | .state'; }
bird_bgp_state() { lab_birdc "$1" show protocols "$2" | awk -v p="$2" '$1 == p {print $6}'; }
lsp_label() { lab_ctl "$1" show ldp lsp | jq -r --arg f "$2" '.lsps[] | select(.fec == $f) | .["next-hops"][0].label'; }
lsp_nexthop() { lab_ctl "$1" show ldp lsp | jq -r --arg f "$2" '.lsps[] | select(.fec == $f) | .["next-hops"][0]["next-hop"]'; }
local_label() { lab_ctl "$1" show ldp binding | jq -r --arg f "$2" '.bindings[] | select(.fec == $f) | .["local-label"]'; }
bird_route() { lab_birdc "$1" show route "$2" all; }
# iproute2 pads some fields ("encap mpls  17/2"): squeeze the spaces so the patterns stay plain.
kroute() { topo_exec "$1" ip -6 route show "$2" | tr -s ' '; }
nhid_of() { kroute "$1" "$2" | sed -n 's/.* nhid \([0-9]*\) .*/\1/p'; }
nexthop_of() { local id; id=$(nhid_of "$1" "$2"); [[ -n $id ]] && topo_exec "$1" ip nexthop show id "$id" | tr -s ' '; }
ce_ping() {  # COUNT: from CE1's LAN address to CE2's
    topo_exec ce1 ping -6 -n -c "$1" -i 0.2 -W 1 -I "$CE1_LAN" "$CE2_LAN"
}
# MPLS packets received on the core links: p:west (requests), pe2:core (requests, popped by p),
# p:east (replies), pe1:core (replies).
core_rx=(p:west pe2:core p:east pe1:core)
rx_snapshot() { local ep; for ep in "${core_rx[@]}"; do mpls_counter "${ep%:*}" "${ep#*:}" rx packets; done; }

# ---- (a) the IGP ----------------------------------------------------------------------------------
echo "--- (a) OSPF (BIRD) puts the loopbacks into the kernels, with the OSPF cost as metric"
check "(a) pe1's kernel reaches pe2's loopback via p, metric 20 (\$took): \$(topo_exec pe1 ip route show $PE2)" \
    wait_for 60 eval '[[ $(topo_exec pe1 ip route show $PE2) == *"via $P_WEST dev core proto bird metric 20"* ]]'
check "(a) pe2's kernel reaches pe1's loopback: \$(topo_exec pe2 ip route show $PE1)" \
    wait_for 30 eval '[[ $(topo_exec pe2 ip route show $PE1) == *"via $P_EAST dev core proto bird metric 20"* ]]'
check "(a) p reaches both: \$(topo_exec p ip route show $PE1 | head -1); \$(topo_exec p ip route show $PE2 | head -1)" \
    wait_for 30 eval '[[ $(topo_exec p ip route show $PE1) == *"dev west proto bird"* && $(topo_exec p ip route show $PE2) == *"dev east proto bird"* ]]'
p_no_ipv6() {
    [[ $(topo_exec p sysctl -n net.ipv6.conf.west.disable_ipv6 net.ipv6.conf.east.disable_ipv6 | sort -u) == 1 &&
       -z $(topo_exec p ip -6 addr show) ]]
}
check "(a) p has IPv6 disabled on its core links and no IPv6 address" p_no_ipv6

# ---- (b) LDP ------------------------------------------------------------------------------------
echo "--- (b) LDP sessions (isthmusctl --json show ldp neighbor)"
check "(b) pe1 has p OPERATIONAL (\$took)" wait_for 60 eval '[[ $(ldp_state pe1 $P) == OPERATIONAL ]]'
check "(b) p has pe1 and pe2 OPERATIONAL" \
    wait_for 30 eval '[[ $(ldp_state p $PE1) == OPERATIONAL && $(ldp_state p $PE2) == OPERATIONAL ]]'
check "(b) pe2 has p OPERATIONAL" wait_for 30 eval '[[ $(ldp_state pe2 $P) == OPERATIONAL ]]'

# ---- (c) BGP ------------------------------------------------------------------------------------
echo "--- (c) BGP: 6PE iBGP between the loopbacks, eBGP to each CE"
check "(c) pe1: 6PE session with $PE2 \$(bgp_state pe1 $PE2) (\$took)" \
    wait_for 60 eval '[[ $(bgp_state pe1 $PE2) == Established ]]'
# The session's local address and its one negotiated family (prefixes-received is keyed by family).
six_pe_session() { lab_ctl pe1 show bgp neighbor "$PE2" | jq -r '"\(.["local-address"]) \(.["prefixes-received"] | keys | join(","))"'; }
check "(c) pe1's 6PE session runs from $PE1 with one family: \$(six_pe_session)" \
    eval '[[ $(six_pe_session) =~ ^$PE1\ [^,]+$ ]]'
check "(c) pe2: 6PE session with $PE1 \$(bgp_state pe2 $PE1)" wait_for 30 eval '[[ $(bgp_state pe2 $PE1) == Established ]]'
check "(c) pe1: CE session with $CE1_ADDR \$(bgp_state pe1 $CE1_ADDR)" \
    wait_for 30 eval '[[ $(bgp_state pe1 $CE1_ADDR) == Established ]]'
check "(c) pe2: CE session with $CE2_ADDR \$(bgp_state pe2 $CE2_ADDR)" \
    wait_for 30 eval '[[ $(bgp_state pe2 $CE2_ADDR) == Established ]]'
check "(c) BIRD on ce1 and ce2: \$(bird_bgp_state ce1 pe1), \$(bird_bgp_state ce2 pe2)" \
    wait_for 30 eval '[[ $(bird_bgp_state ce1 pe1) == Established && $(bird_bgp_state ce2 pe2) == Established ]]'

# ---- (d) labels towards pe2 -----------------------------------------------------------------------
echo "--- (d) the LSP to pe2 ($PE2/32): pe1's label from p, p's LFIB"
wait_for 30 eval '[[ $(lsp_label pe1 $PE2/32) =~ ^[0-9]+$ ]]' || true
L=$(lsp_label pe1 "$PE2/32")
check "(d) pe1's LSP to $PE2/32: label $L via \$(lsp_nexthop pe1 $PE2/32)" \
    eval '[[ $L =~ ^[0-9]+$ && $(lsp_nexthop pe1 $PE2/32) == $P_WEST ]]'
check "(d) it is p's own binding for $PE2/32 (p: \$(local_label p $PE2/32))" eval '[[ $(local_label p $PE2/32) == "$L" ]]'
check "(d) p's LFIB pops $L towards pe2 (pe2 advertises implicit null): \$(topo_exec p ip -f mpls route show $L)" \
    wait_for 15 eval '[[ $(topo_exec p ip -f mpls route show $L) == "$L via inet $PE2_CORE dev east"* ]]'
L_BACK=$(lsp_label pe2 "$PE1/32")
check "(d) and the way back: pe2 pushes $L_BACK, p pops it: \$(topo_exec p ip -f mpls route show $L_BACK)" \
    eval '[[ $L_BACK =~ ^[0-9]+$ && $(topo_exec p ip -f mpls route show $L_BACK) == "$L_BACK via inet $(topo_addr pe1:core 4) dev west"* ]]'

# ---- (e) what the CEs received --------------------------------------------------------------------
echo "--- (e) each CE's BIRD has the other CE's prefix, next hop its own PE"
check "(e) ce1's BIRD: $CE2_NET via $PE1_CE, AS path 65000 65102 (\$took)" \
    wait_for 60 eval '[[ $(bird_route ce1 $CE2_NET) == *"via $PE1_CE on eth0"*"BGP.as_path: 65000 65102"* ]]'
check "(e) ce2's BIRD: $CE1_NET via $PE2_CE, AS path 65000 65101" \
    wait_for 30 eval '[[ $(bird_route ce2 $CE1_NET) == *"via $PE2_CE on eth0"*"BGP.as_path: 65000 65101"* ]]'
bird_route ce1 "$CE2_NET" | sed 's/^/    ce1# /'
received() { lab_ctl "$1" show bgp summary | jq -c '[.neighbors[] | {(.address): .["prefixes-received"]}]'; }
received_total() { lab_ctl "$1" show bgp summary | jq '[.neighbors[]["prefixes-received"][]] | add'; }
check "(e) pe1 received one prefix from each neighbor: \$(received pe1)" eval '[[ $(received_total pe1) == 2 ]]'

# ---- (f) the kernels ------------------------------------------------------------------------------
echo "--- (f) pe1's kernel: $CE2_NET over a labelled nexthop object; pe2's egress entries"
case $LAB_LABEL_MODE in
    explicit-null) B=2 ;;
    *)  # pe2 advertises a label of its own, from the BGP range: its LFIB entry pops it towards ce2.
        wait_for 30 eval '[[ -n $(topo_exec pe2 ip -f mpls route show proto 205 | awk "\$1 >= 50000 && \$1 < 90000")  ]]' || true
        B=$(topo_exec pe2 ip -f mpls route show proto 205 | awk '$1 >= 50000 && $1 < 90000 {print $1; exit}') ;;
esac
check "(f) pe1's kernel route to $CE2_NET uses a nexthop object of ours (\$took): \$(kroute pe1 $CE2_NET)" \
    wait_for 60 eval '[[ $(kroute pe1 $CE2_NET) == *"nhid "*"proto 205"* ]]'
check "(f) that nexthop pushes [$L, $B] via ::ffff:$P_WEST: \$(nexthop_of pe1 $CE2_NET)" \
    eval '[[ $(nexthop_of pe1 $CE2_NET) == *"encap mpls $L/$B via ::ffff:$P_WEST dev core"*onlink* ]]'
# isthmusd's own account of the same (isthmusctl --json): the BGP path, the egress resolution, the FIB.
best_path() {
    lab_ctl pe1 show bgp routes "$CE2_NET" |
        jq -c '.routes[0].paths[] | select(.best) | {from, "next-hop", labels, "next-hop-usable", "igp-cost"}'
}
egress() {
    lab_ctl pe1 show nexthops | jq -c --arg e "$PE2" '.["next-hops"][] | select(.egress == $e) |
        {resolved, fec, "igp-cost", labels: .paths[0].labels, via: .paths[0]["core-next-hop"], prefixes}'
}
fib_nhid() { lab_ctl pe1 show fib "$CE2_NET" | jq -r '.routes[0].nhid'; }
check "(f) show bgp routes: best path from $PE2, next hop ::ffff:$PE2, label $B, usable, IGP cost 20 (OSPF's): \$(best_path)" \
    eval '[[ $(best_path) == "{\"from\":\"$PE2\",\"next-hop\":\"::ffff:$PE2\",\"labels\":[$B],\"next-hop-usable\":true,\"igp-cost\":20}" ]]'
check "(f) show nexthops: egress $PE2 resolved on $PE2/32, stack [$L,$B] via p: \$(egress)" \
    eval '[[ $(egress) == "{\"resolved\":true,\"fec\":\"$PE2/32\",\"igp-cost\":20,\"labels\":[$L,$B],\"via\":\"$P_WEST\",\"prefixes\":1}" ]]'
check "(f) show fib reads back the kernel's nexthop id: \$(fib_nhid)" eval '[[ $(fib_nhid) == "$(nhid_of pe1 $CE2_NET)" ]]'
check "(f) pe1's route to ce1's own prefix is plain IPv6 via ce1: \$(kroute pe1 $CE1_NET)" \
    eval '[[ $(kroute pe1 $CE1_NET) == *"via $CE1_ADDR dev ce proto 205"* && $(kroute pe1 $CE1_NET) != *encap* ]]'
check "(f) pe2's kernel: $CE1_NET labelled towards p too: \$(nexthop_of pe2 $CE1_NET)" \
    wait_for 30 eval '[[ $(nexthop_of pe2 $CE1_NET) == *"encap mpls $L_BACK/"*"via ::ffff:$P_EAST dev core"* ]]'
pe2_egress=$(topo_exec pe2 ip -f mpls route show proto 205 | awk '$1 >= 50000 && $1 < 90000')
if [[ $LAB_LABEL_MODE == explicit-null ]]; then
    check "(f) pe2 needs no BGP label entry in explicit-null mode (label 2 is the kernel's): '$pe2_egress'" \
        test -z "$pe2_egress"
else
    check "(f) pe2's egress entry for label $B sends to ce2: '$pe2_egress'" \
        eval '[[ $B =~ ^[0-9]+$ && $pe2_egress == *"$B via inet6 $CE2_ADDR dev ce"* ]]'
fi

# ---- (g) traffic ----------------------------------------------------------------------------------
echo "--- (g) ping -6 $CE1_LAN -> $CE2_LAN across the labelled core"
check "(g) first reply \$(secs \$(milestone ping)) after the daemons started" \
    wait_for 90 eval '[[ -n $(milestone ping) ]]'
mapfile -t before < <(rx_snapshot)
rc=0; out=$(ce_ping 5) || rc=$?
mapfile -t after < <(rx_snapshot)
got=$(sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p' <<<"$out")
echo "$out" | tail -2 | sed 's/^/    /'
check "(g) ping $got/5" eval '((rc == 0 && got == 5))'
deltas=""
for i in "${!core_rx[@]}"; do deltas+="${core_rx[i]} +$((after[i] - before[i])) "; done
all_grew() { local i; for i in "${!core_rx[@]}"; do (( after[i] - before[i] >= 5 )) || return 1; done; }
check "(g) labelled on every core link (MPLS rx: $deltas)" all_grew

# ---- (h) ce2 withdraws its prefix, then announces it again -----------------------------------------
echo "--- (h) ce2 withdraws $CE2_NET (birdc disable lan), then announces it again"
lab_birdc ce2 disable lan >/dev/null
check "(h) gone from pe1's kernel (\$took)" wait_for 30 eval '[[ -z $(kroute pe1 $CE2_NET) ]]'
check "(h) gone from ce1's BIRD: \$(bird_route ce1 $CE2_NET | tail -1)" \
    wait_for 30 eval '[[ $(bird_route ce1 $CE2_NET) != *"$CE2_NET"* ]]'
rc=0; ce_ping 1 >/dev/null || rc=$?
check "(h) ping fails (status $rc)" eval '((rc != 0))'
echo "    pe2's BGP-range MPLS routes after the withdraw: '$(topo_exec pe2 ip -f mpls route show proto 205 |
    awk '$1 >= 50000 && $1 < 90000' | tr '\n' ';')'"
lab_birdc ce2 enable lan >/dev/null
# In the modes with labels of pe2's own, the prefix may come back with another label: take the one
# pe1 now has from BGP, and check pe2's LFIB has it too.
best_label() { lab_ctl pe1 show bgp routes "$CE2_NET" | jq -r '.routes[0].paths[] | select(.best) | .labels[0]'; }
check "(h) back in pe1's kernel, labelled (\$took): \$(nexthop_of pe1 $CE2_NET)" \
    wait_for 30 eval '[[ $(nexthop_of pe1 $CE2_NET) == *"encap mpls $L/$(best_label) via ::ffff:$P_WEST"* ]]'
B2=$(best_label)
if [[ $LAB_LABEL_MODE == explicit-null ]]; then
    check "(h) with label 2 again: $B2" test "$B2" = 2
else
    check "(h) pe2's LFIB has its label $B2 towards ce2: \$(topo_exec pe2 ip -f mpls route show $B2)" \
        eval '[[ $(topo_exec pe2 ip -f mpls route show $B2) == *"via inet6 $CE2_ADDR dev ce"* ]]'
fi
check "(h) ping works again (\$took)" wait_for 30 eval 'ce_ping 1 >/dev/null'

# ---- (i) pe2's isthmusd stops ------------------------------------------------------------------------
echo "--- (i) pe2's isthmusd stops"
lab_stop_isthmusd pe2
check "(i) pe1's 6PE session with $PE2 is down: \$(bgp_state pe1 $PE2) (\$took)" \
    wait_for 30 eval '[[ $(bgp_state pe1 $PE2) != Established ]]'
check "(i) $CE2_NET left pe1's kernel (\$took)" wait_for 30 eval '[[ -z $(kroute pe1 $CE2_NET) ]]'
check "(i) and ce1's BIRD (\$took)" wait_for 30 eval '[[ $(bird_route ce1 $CE2_NET) != *"$CE2_NET"* ]]'
check "(i) pe1 has no labelled nexthop object left: '\$(topo_exec pe1 ip nexthop show | grep encap)'" \
    wait_for 15 eval '[[ -z $(topo_exec pe1 ip nexthop show | grep encap) ]]'

echo "--- timings from the daemons' start (a TCG VM, sanitizer builds: several times a real machine's)"
timing() { printf '  %-44s %s\n' "$1" "$(secs "$2")"; }
timing "isthmusd on pe1 running (its start-up log line)" "$(lab_log_ms pe1 'isthmusd .* started with')"
timing "OSPF: pe1's kernel route to pe2's loopback" "$(milestone igp)"
timing "LDP: pe1-p session OPERATIONAL" "$(lab_log_ms pe1 'ldp: session with .* OPERATIONAL')"
timing "LDP: pe2-p session OPERATIONAL" "$(lab_log_ms pe2 'ldp: session with .* OPERATIONAL')"
timing "BGP: pe1-ce1 Established" "$(lab_log_ms pe1 "bgp neighbor $CE1_ADDR: .*-> Established")"
timing "BGP: pe1-pe2 (6PE) Established" "$(lab_log_ms pe1 "bgp neighbor $PE2: .*-> Established")"
timing "pe1's kernel route to $CE2_NET" "$(milestone route)"
timing "first ping reply ce1 -> ce2" "$(milestone ping)"
check_done "six-pe ($LAB_LABEL_MODE)"
