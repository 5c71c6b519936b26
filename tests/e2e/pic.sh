#!/bin/bash
# NOT IN CTEST YET: it fails today (issue 11): a remote core failure makes the 6PE next hop briefly
# unresolved (P1 withdraws its label before OSPF moves the route), so PE1 removes and re-sets every
# prefix (route-sets +1000 for 1,000 prefixes) instead of replacing the shared object; and 10,000
# prefixes did not install within 240 s in the sanitizer build under TCG (ISTHMUS_PIC_PREFIXES=1000).
# Prefix-independent convergence (issue 11 item 2) in the PIC lab (tests/topo/pic-lab.topo):
# CE1 - PE1 = {P1 (cost 10), P2 (cost 20)} = PE2 - CE2, CE2 announcing 10,000 prefixes that PE1
# learns over 6PE. Once all of them are in PE1's kernel:
#  (1) remote failure: the P1-PE2 link goes down (on P1's side); OSPF moves PE1's route to PE2 onto
#      P2 and the LSP takes P2's label. Asserted: CE1 -> CE2 traffic flows again, through P2 (its
#      MPLS counters), all prefixes stay installed, and PE1 sent few kernel requests for it
#      (show fib summary: layer.requests delta <= PIC_MAX_REQUESTS, resolver.route-sets delta too):
#      the shared entries only, not one per prefix. Lost pings of a 10/s ping across it are reported.
#  (2) the link comes back, PE1 returns to P1 (figures only);
#  (3) local failure: PE1's own link to P1 goes down. The kernel drops the nexthop objects on it
#      (DECISIONS 13), so in flat mode this costs per-prefix work: reported, not asserted; in
#      hierarchical mode the LFIB entries survive and the request count is asserted small too.
#
# Needs kernel MPLS:
#   tests/vm/vm-run --timeout 480 -- tests/e2e/pic.sh build/daemon/isthmusd MODE [ISTHMUSCTL [FORWARDING]]
# MODE: bgp.label-mode of the PEs, explicit-null (all prefixes share one nexthop object on PE1) or
# per-prefix (a BGP label per prefix). FORWARDING: PE1's kernel.forwarding, default flat for
# explicit-null and hierarchical otherwise. PIC_PREFIXES (default 10000) and PIC_MAX_REQUESTS
# (default 20) from the environment (ISTHMUS_PIC_PREFIXES inside vm-run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
LAB_ISTHMUSD=$(realpath "${1:-$here/../../build/daemon/isthmusd}")
LAB_LABEL_MODE=${2:-explicit-null}
[[ -z ${3:-} ]] || LAB_ISTHMUSCTL=$(realpath "$3")
if [[ -n ${4:-} ]]; then PIC_PE1_FORWARDING=$4
elif [[ $LAB_LABEL_MODE == explicit-null ]]; then PIC_PE1_FORWARDING=flat
else PIC_PE1_FORWARDING=hierarchical; fi
# Info level: 10,000 routes at debug level make a sanitizer build under TCG much slower.
LAB_LOG_LEVEL=${LAB_LOG_LEVEL:-info}
PIC_MAX_REQUESTS=${PIC_MAX_REQUESTS:-20}
# vm-run passes only ISTHMUS_* variables into the VM.
PIC_PREFIXES=${ISTHMUS_PIC_PREFIXES:-${PIC_PREFIXES:-10000}}
# shellcheck source=tests/topo/pic-lab.sh
source "$here/../topo/pic-lab.sh"
# shellcheck source=tests/lib/check.sh
source "$here/../lib/check.sh"
[[ $EUID == 0 ]] || { echo "pic: needs root (network namespaces)" >&2; exit 1; }
N=$PIC_PREFIXES
# What pe1 installs: CE2's N prefixes (6PE) and CE1's LAN (via CE1, also proto 205).
NI=$((N + 1))

check() { check_late "$@"; }
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" 2>/dev/null; do ((SECONDS < deadline)) || return 1; sleep 0.5; done
}

finish() {
    local rc=$?
    [[ -z ${ping_pid:-} ]] || kill "$ping_pid" 2>/dev/null || true
    if ((failures || rc)); then lab_logs 40; fi
    if [[ -n ${VM_RESULTS:-} ]]; then
        mkdir -p "$VM_RESULTS/${LAB_W##*/}" && find "$LAB_W" -maxdepth 1 -type f -exec cp {} "$VM_RESULTS/${LAB_W##*/}/" \; &&
            echo "pic: configs and logs in $VM_RESULTS/${LAB_W##*/}"
    fi
    lab_down
}

t_start=$SECONDS
echo "pic: isthmusd $LAB_ISTHMUSD, label mode $LAB_LABEL_MODE, pe1 forwarding $PIC_PE1_FORWARDING, $N prefixes"
pic_lab_up
trap finish EXIT
pic_lab_wait_ready
echo "pic: topology and daemons started in $((SECONDS - t_start)) s (work dir $LAB_W)"

# shellcheck disable=SC2034  # used inside the checks' eval'd strings
P1=$(lab_id p1) P2=$(lab_id p2) PE2=$(lab_id pe2)
P1_WEST=$(topo_addr p1:west 4) P2_WEST=$(topo_addr p2:west 4)
CE1_LAN=$(lab_lan ce1) CE2_LAN=$(lab_lan ce2)
BULK_LAST=$(pic_bulk_prefix $((N - 2)))

# ---- probes -------------------------------------------------------------------------------------
ldp_state() { lab_ctl "$1" show ldp neighbor | jq -r --arg n "$2" '.sessions[] | select(.["lsr-id"] | startswith($n)) | .state'; }
bgp_state() { lab_ctl "$1" show bgp summary | jq -r --arg a "$2" '.neighbors[] | select(.address == $a) | .state'; }
summary() { lab_ctl pe1 show fib summary; }
# One line of the counters this test follows (a missing one reads as 0).
counters() {
    summary | jq -r '[.layer.requests, .layer.batches, .resolver["route-sets"], .resolver["object-replaces"],
                      (.resolver["transport-replaces"] // 0), .resolver.installed] | map(. // 0) | @tsv'
}
fmt_counters() {
    local -a c; read -r -a c <<<"$1"
    echo "requests ${c[0]}, batches ${c[1]}, route-sets ${c[2]}, object-replaces ${c[3]}, transport-replaces ${c[4]}, installed ${c[5]}"
}
field() { local -a c; read -r -a c <<<"$1"; echo "${c[$2]}"; }   # field LINE INDEX
kernel_routes() { topo_exec pe1 ip -6 route show proto 205 | wc -l; }
installed() { summary | jq -r '.resolver.installed'; }
igp_to_pe2() { topo_exec pe1 ip route show "$PE2" | tr '\n' ';'; }
ce_ping() { topo_exec ce1 ping -6 -n -c "$1" -i 0.2 -W 1 -I "$CE1_LAN" "$2"; }
# MPLS packets received by a P router from pe1 (the requests of CE1's pings).
p_rx() { mpls_counter "$1" west rx packets; }

# Until PE1's kernel requests stop growing (two equal readings 1 s apart) and its layer is idle.
settle() {
    local prev="" cur deadline=$((SECONDS + 60))
    while ((SECONDS < deadline)); do
        cur=$(summary | jq -r '"\(.layer.requests) \(.layer.idle) \(.resolver.installed)"')
        [[ $cur == "$prev" && $cur == *" true "* ]] && return 0
        prev=$cur; sleep 1
    done
    return 1
}

# A 10/s ping from CE1's LAN to CE2's LAN in the background, with timestamps (-D), until stop_ping.
start_ping() {
    ping_out=$LAB_W/ping-$1.txt
    ip netns exec "$(topo_ns ce1)" ping -6 -n -D -i 0.1 -W 1 -I "$CE1_LAN" "$CE2_LAN" >"$ping_out" 2>&1 &
    ping_pid=$!
    sleep 2
}
# Sets lost (requests without reply) and gap_ms (the longest time between two replies).
stop_ping() {
    kill -INT "$ping_pid" 2>/dev/null || true
    wait "$ping_pid" 2>/dev/null || true
    ping_pid=
    local sent recv
    sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$ping_out")
    recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$ping_out")
    lost=$(( ${sent:-0} - ${recv:-0} ))
    gap_ms=$(awk -F'[][]' '/bytes from/ { t = $2 + 0; if (p && t - p > g) g = t - p; p = t }
                            END { printf "%d", g * 1000 }' "$ping_out")
    echo "pic: ping 10/s: $sent sent, $recv received, $lost lost, longest gap between replies $gap_ms ms"
}

# ---- the lab comes up ---------------------------------------------------------------------------
echo "--- the core: OSPF, LDP, 6PE"
check "pe1 reaches pe2's loopback via p1 (\$took): \$(igp_to_pe2)" \
    wait_for 90 eval '[[ $(igp_to_pe2) == *"via $P1_WEST dev p1 proto bird"* ]]'
check "pe1 has LDP sessions with p1 and p2 OPERATIONAL (\$took)" \
    wait_for 60 eval '[[ $(ldp_state pe1 $P1) == OPERATIONAL && $(ldp_state pe1 $P2) == OPERATIONAL ]]'
check "pe2 has LDP sessions with p1 and p2 OPERATIONAL (\$took)" \
    wait_for 30 eval '[[ $(ldp_state pe2 $P1) == OPERATIONAL && $(ldp_state pe2 $P2) == OPERATIONAL ]]'
check "pe1: 6PE session with $PE2 \$(bgp_state pe1 $PE2) (\$took)" \
    wait_for 60 eval '[[ $(bgp_state pe1 $PE2) == Established ]]'

echo "--- $N prefixes from ce2 into pe1's kernel"
t0=$SECONDS
check "pe1 installed all $N prefixes and CE1's LAN (resolver.installed \$(installed), \$took)" \
    wait_for 200 eval '[[ $(installed) == "$NI" ]]'
[[ $(installed) == "$NI" ]] || {
    echo "pic: pe1: $(summary | jq -c .resolver); pe2: $(lab_ctl pe2 show fib summary | jq -c .resolver)"
    echo "pic: pe2's BGP: $(lab_ctl pe2 show bgp summary | jq -c '[.neighbors[] | {address, state, pfx: .["prefixes-received"]}]')"
}
check "pe1's kernel has $NI routes of proto 205 (\$(kernel_routes), \$took)" \
    wait_for 60 eval '[[ $(kernel_routes) == "$NI" ]]'
echo "pic: all $N prefixes in pe1's kernel $((SECONDS - t0)) s after the 6PE session (lab up $((SECONDS - t_start)) s)"
check "pe1's route to $BULK_LAST: \$(topo_exec pe1 ip -6 route show $BULK_LAST | tr -s ' ')" \
    eval '[[ -n $(topo_exec pe1 ip -6 route show $BULK_LAST) ]]'
check "ping -6 CE1 LAN -> CE2 LAN 3/3" ce_ping 3 "$CE2_LAN"
if [[ $PIC_PE1_FORWARDING == hierarchical ]]; then
    check "pe1's routes go through the recirculation port: \$(topo_exec pe1 ip -6 route show $BULK_LAST | tr -s ' ')" \
        eval '[[ $(topo_exec pe1 ip -6 route show $BULK_LAST) == *isth-rc0* ]]'
fi
lab_ctl_text pe1 show nexthops | head -12 || true

# A failure and its figures: NAME, the command that fails (or repairs) the link, the IGP route
# pe1 must end up with, whether the request count is asserted small, the P router carrying traffic after.
declare -A fig_req fig_sets fig_lost fig_gap fig_conv
event() {
    # shellcheck disable=SC2034  # want, rx0: used inside eval'd strings
    local name=$1 cmd=$2 want=$3 assert=$4 via=$5
    echo "--- $name: $cmd"
    settle || echo "pic: pe1 did not settle before $name"
    local before after; before=$(counters)
    echo "pic: before: $(fmt_counters "$before")"
    start_ping "$name"
    local t_ev; t_ev=$(date +%s%N)
    eval "$cmd"
    check "$name: pe1 reaches pe2 over \$(igp_to_pe2) (\$took)" \
        wait_for 60 eval '[[ $(igp_to_pe2) == *"$want"* ]]'
    [[ $(igp_to_pe2) == *"$want"* ]] || {   # what each side's OSPF saw
        echo "pic: pe1: $(topo_exec pe1 ip route show "$PE2" | tr '\n' ';')"
        lab_birdc pe1 show ospf neighbors || true
        lab_birdc p1 show ospf interface || true
        topo_exec p1 ip -br link || true
        lab_birdc pe1 show ospf state || true
    }
    check "$name: CE2's LAN answers again (\$took)" \
        wait_for 60 eval 'topo_exec ce1 ping -6 -n -c 1 -W 1 -I "$CE1_LAN" "$CE2_LAN" >/dev/null'
    fig_conv[$name]=$(( ($(date +%s%N) - t_ev) / 1000000 ))
    sleep 1
    settle || echo "pic: pe1 did not settle after $name"
    stop_ping
    after=$(counters)
    echo "pic: after:  $(fmt_counters "$after")"
    local dreq=$(( $(field "$after" 0) - $(field "$before" 0) ))
    local dsets=$(( $(field "$after" 2) - $(field "$before" 2) ))
    fig_req[$name]=$dreq fig_sets[$name]=$dsets fig_lost[$name]=$lost fig_gap[$name]=$gap_ms
    echo "pic: $name: kernel requests +$dreq, batches +$(( $(field "$after" 1) - $(field "$before" 1) )), route-sets +$dsets, object-replaces +$(( $(field "$after" 3) - $(field "$before" 3) )), transport-replaces +$(( $(field "$after" 4) - $(field "$before" 4) )); $lost pings lost"
    check "$name: all $N prefixes still installed (resolver \$(installed), kernel \$(kernel_routes))" \
        wait_for 30 eval '[[ $(installed) == "$NI" && $(kernel_routes) == "$NI" ]]'
    if [[ $assert == yes ]]; then
        check "$name: pe1 sent few kernel requests: +$dreq <= $PIC_MAX_REQUESTS (not one per prefix)" \
            eval '((dreq <= PIC_MAX_REQUESTS))'
        check "$name: resolver.route-sets grew by $dsets <= $PIC_MAX_REQUESTS" eval '((dsets <= PIC_MAX_REQUESTS))'
    else
        echo "pic: $name: kernel requests +$dreq, route-sets +$dsets (reported, not asserted: DECISIONS 13)"
    fi
    # shellcheck disable=SC2034  # global: read by the eval'd check
    rx0=$(p_rx "$via")
    check "$name: ping -6 CE1 -> CE2 5/5 through $via (MPLS rx on $via:west +\$(( \$(p_rx $via) - rx0 )))" \
        eval 'ce_ping 5 "$CE2_LAN" >/dev/null && (( $(p_rx $via) - rx0 >= 5 ))'
}

event remote "topo_exec p1 ip link set east down" "via $P2_WEST dev p2" yes p2
event repair "topo_exec p1 ip link set east up" "via $P1_WEST dev p1" no p1
local_assert=no
[[ $PIC_PE1_FORWARDING == hierarchical ]] && local_assert=yes
event local "topo_exec pe1 ip link set p1 down" "via $P2_WEST dev p2" "$local_assert" p2

echo "--- figures ($LAB_LABEL_MODE, pe1 $PIC_PE1_FORWARDING, $N prefixes)"
for e in remote repair local; do
    printf 'pic: %-7s kernel requests %6s  route-sets %6s  lost pings %4s  longest reply gap %6s ms  converged (ping) in %6s ms\n' \
        "$e" "${fig_req[$e]:-?}" "${fig_sets[$e]:-?}" "${fig_lost[$e]:-?}" "${fig_gap[$e]:-?}" "${fig_conv[$e]:-?}"
done
echo "pic: total $((SECONDS - t_start)) s"
check_done "pic ($LAB_LABEL_MODE, $PIC_PE1_FORWARDING)"
