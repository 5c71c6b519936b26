#!/bin/bash
# NOT IN CTEST YET: it fails today (issue 12): the session survives the flap, but pe1 gives the FECs
# whose route blinked new labels (2 Label Mappings re-sent), so "no re-exchange" does not hold.
# LDP session protection end to end, issue 12 item 4: tests/topo/protect-lab.topo (the 6PE protocol
# lab plus a direct pe1 - pe2 link, OSPF cost 100, so p stays reachable from pe1 via pe2), every
# isthmusd with ldp.session-protection. The pe1 - p link goes down for 5 s and comes back, under a
# continuous ping -6 -i 0.05 CE1 -> CE2. Asserts, from both ends of the pe1 - p session (show ldp
# neighbor): a targeted adjacency beside the link one before the flap, the session held by it alone
# during the flap, never down (sessions-up unchanged) and no label re-exchange (label-mappings-received
# unchanged) afterwards; pe1's kernel and LSP to pe2 moved to the alt link and back. Prints the loss.
#
#   tests/vm/vm-run --timeout 300 -- tests/e2e/ldp-protection.sh build/daemon/isthmusd [ISTHMUSCTL]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
LAB_ISTHMUSD=$(realpath "${1:-$here/../../build/daemon/isthmusd}")
[[ -z ${2:-} ]] || LAB_ISTHMUSCTL=$(realpath "$2")
# shellcheck source=tests/topo/6pe-lab.sh
source "$here/../topo/6pe-lab.sh"
# shellcheck source=tests/lib/check.sh
source "$here/../lib/check.sh"
[[ $EUID == 0 ]] || { echo "ldp-protection: needs root (network namespaces)" >&2; exit 1; }
LAB_LOG_LEVEL=info
LAB_TOPO=$here/../topo/protect-lab.topo
LAB_CORE_IFS[pe1]="core alt"
LAB_CORE_IFS[pe2]="core alt"
LAB_OSPF_COST=([pe1:alt]=100 [pe2:alt]=100)
LAB_LDP_EXTRA=([pe1]='"session-protection": true' [p]='"session-protection": true' [pe2]='"session-protection": true')
FLAP_S=5
# The OSPF cost of a route changes with the flap: keep it out of the kernel metric (6pe-lab.sh).
LAB_KRT_METRIC=0

check() { check_late "$@"; }
# missing_seqs SENT FILE: the icmp_seq ranges of ping's output without a reply ("36-79 81").
missing_seqs() {
    sed -n 's/.*bytes from .*icmp_seq=\([0-9]*\).*/\1/p' "$2" | awk -v n="$1" '{s[$1] = 1}
        END { for (i = 1; i <= n; i++) if (!(i in s)) { a = i; while (i + 1 <= n && !((i + 1) in s)) i++
                  printf "%s ", (a == i ? a : a "-" i) } }'
}
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" 2>/dev/null; do ((SECONDS < deadline)) || return 1; sleep 0.3; done
}
finish() {
    local rc=$?
    [[ -z ${ping_pid:-} ]] || kill "$ping_pid" 2>/dev/null || true
    if ((failures || rc)); then lab_logs 40; fi
    if [[ -n ${VM_RESULTS:-} ]]; then
        mkdir -p "$VM_RESULTS/${LAB_W##*/}" && find "$LAB_W" -maxdepth 1 -type f -exec cp {} "$VM_RESULTS/${LAB_W##*/}/" \;
    fi
    lab_down
}

lab_up
trap finish EXIT
PE1=$(lab_id pe1) P=$(lab_id p) PE2=$(lab_id pe2)
# shellcheck disable=SC2034  # used inside the checks' eval'd strings
P_WEST=$(topo_addr p:west 4) PE2_ALT=$(topo_addr pe2:alt 4)
CE1_LAN=$(lab_lan ce1) CE2_LAN=$(lab_lan ce2)
lab_wait_ready

ldp_state() { lab_ctl "$1" show ldp neighbor | jq -r --arg n "$2" '.sessions[] | select(.["lsr-id"] | startswith($n)) | .state'; }
nbr() {  # NODE LSR FIELD: a per-neighbour counter or state of show ldp neighbor
    lab_ctl "$1" show ldp neighbor | jq -r --arg n "$2" --arg f "$3" '.neighbors[] | select(.["lsr-id"] | startswith($n)) | .[$f]'
}
adjs() {  # NODE LSR: the types of NODE's adjacencies with LSR, sorted ("link targeted")
    lab_ctl "$1" show ldp neighbor | jq -r --arg n "$2" '[.adjacencies[] | select(.["lsr-id"] | startswith($n)) | .type] | sort | join(" ")'
}
lsp() { lab_ctl "$1" show ldp lsp | jq -r --arg f "$2" '.lsps[] | select(.fec == $f) | .["next-hops"][0] | "\(.["next-hop"]) \(.label)"'; }
route_pe2() { topo_exec pe1 ip route show "$PE2" | tr -s ' '; }
# The session's two ends: counters that a session flap or a label re-exchange would move.
counters() {
    echo "pe1:$(nbr pe1 "$P" sessions-up)/$(nbr pe1 "$P" label-mappings-received)/$(nbr pe1 "$P" label-mappings-sent)" \
         "p:$(nbr p "$PE1" sessions-up)/$(nbr p "$PE1" label-mappings-received)/$(nbr p "$PE1" label-mappings-sent)"
}

echo "--- the lab converges (pe1 - p - pe2, backup pe1 - pe2 at OSPF cost 100)"
check "LDP sessions pe1-p, p-pe2, pe1-pe2 OPERATIONAL (\$took)" \
    wait_for 90 eval '[[ $(ldp_state pe1 $P) == OPERATIONAL && $(ldp_state pe2 $P) == OPERATIONAL && $(ldp_state pe1 $PE2) == OPERATIONAL ]]'
check "pe1 reaches pe2 via p: \$(route_pe2)" wait_for 60 eval '[[ $(route_pe2) == *"via $P_WEST dev core"* ]]'
check "ping -6 ce1 -> ce2 works (\$took)" \
    wait_for 90 eval 'topo_exec ce1 ping -6 -n -c 1 -W 1 -I $CE1_LAN $CE2_LAN >/dev/null'
check "pe1 has a link and a targeted adjacency with p: '\$(adjs pe1 $P)'; p with pe1: '\$(adjs p $PE1)' (\$took)" \
    wait_for 60 eval '[[ $(adjs pe1 $P) == "link targeted" && $(adjs p $PE1) == "link targeted" ]]'
check "protected on both sides: pe1 \$(nbr pe1 $P protected), p \$(nbr p $PE1 protected)" \
    eval '[[ $(nbr pe1 $P protected) == true && $(nbr p $PE1 protected) == true ]]'
lsp_before=$(lsp pe1 "$PE2/32")
check "pe1's LSP to $PE2/32 via p: '$lsp_before'" eval '[[ $lsp_before == "$P_WEST "[0-9]* ]]'
sleep 2   # let the counters settle (late mappings after the sessions came up)
counters_before=$(counters)
echo "    sessions-up/mappings-received/mappings-sent: $counters_before"

echo "--- continuous ping -6 -i 0.05 ce1 -> ce2; pe1's core link (to p) down for $FLAP_S s"
# Not through topo_exec: $! must be ping itself, for the SIGINT that makes it print its summary.
ip netns exec "$(topo_ns ce1)" ping -6 -n -i 0.05 -W 1 -I "$CE1_LAN" "$CE2_LAN" >"$LAB_W/ping.out" 2>&1 &
ping_pid=$!
sleep 2
t_down=$SECONDS
topo_exec pe1 ip link set core down
check "pe1 reaches pe2 over the alt link (\$took): \$(route_pe2)" \
    wait_for $FLAP_S eval '[[ $(route_pe2) == *"via $PE2_ALT dev alt"* ]]'
check "pe1's LSP to $PE2/32 moved to pe2 on alt: '\$(lsp pe1 $PE2/32)'" \
    wait_for $FLAP_S eval '[[ $(lsp pe1 $PE2/32) == "$PE2_ALT "* ]]'
check "the pe1-p session is held by the targeted adjacency alone: pe1 '\$(adjs pe1 $P)' held \$(nbr pe1 $P held-by-protection), p '\$(adjs p $PE1)' (\$took)" \
    wait_for $FLAP_S eval '[[ $(adjs pe1 $P) == targeted && $(nbr pe1 $P held-by-protection) == true && $(adjs p $PE1) == targeted ]]'
while ((SECONDS - t_down < FLAP_S)); do sleep 0.2; done
check "the pe1-p session is still OPERATIONAL on both sides after $((SECONDS - t_down)) s down" \
    eval '[[ $(ldp_state pe1 $P) == OPERATIONAL && $(ldp_state p $PE1) == OPERATIONAL ]]'
topo_exec pe1 ip link set core up
check "pe1 reaches pe2 via p again (\$took): \$(route_pe2)" wait_for 60 eval '[[ $(route_pe2) == *"via $P_WEST dev core"* ]]'
check "pe1's LSP to $PE2/32 is p's label again: '\$(lsp pe1 $PE2/32)'" \
    wait_for 30 eval '[[ $(lsp pe1 $PE2/32) == "$lsp_before" ]]'
check "the link adjacency is back beside the targeted one: pe1 '\$(adjs pe1 $P)', p '\$(adjs p $PE1)' (\$took)" \
    wait_for 30 eval '[[ $(adjs pe1 $P) == "link targeted" && $(adjs p $PE1) == "link targeted" ]]'
sleep 2
kill -INT "$ping_pid"; wait "$ping_pid" || true; ping_pid=
counters_after=$(counters)
echo "    sessions-up/mappings-received/mappings-sent: $counters_after (before: $counters_before)"
check "the session never went down: sessions-up pe1 \$(nbr pe1 $P sessions-up), p \$(nbr p $PE1 sessions-up)" \
    eval '[[ $(nbr pe1 $P sessions-up) == 1 && $(nbr p $PE1 sessions-up) == 1 ]]'
check "no label re-exchange: label-mappings-received pe1 \$(nbr pe1 $P label-mappings-received), p \$(nbr p $PE1 label-mappings-received) (before: $counters_before)" \
    eval '[[ $counters_after == "$counters_before" ]]'
stats=$(grep 'packets transmitted' "$LAB_W/ping.out")
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$stats")
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$stats")
echo "    ping: $stats"
if ((sent != got)); then
    echo "    unanswered icmp_seq: $(missing_seqs "$sent" "$LAB_W/ping.out")"
fi
echo "    ICMP errors among them: $(grep -v 'bytes from' "$LAB_W/ping.out" | sed -n 's/^From \([^ ]*\) icmp_seq=[0-9]* /\1: /p' |
    sort | uniq -c | tr -s ' ' | tr '\n' ';')"
# Some loss is expected while OSPF moves the route (the link's failure is seen at once, but the SPF
# and the kernel routes take a moment); the ping must go on across the flap and after it.
check "ping went on during and after the flap: $got of $sent received ($((sent - got)) lost, 0.05 s apart)" \
    eval '((sent > 100 && got > sent * 8 / 10)) && tail -3 "$LAB_W/ping.out" | grep -q "packets transmitted" &&
          [[ $(grep -c icmp_seq= "$LAB_W/ping.out") -gt 0 ]]'
check "ping works after the flap" eval 'topo_exec ce1 ping -6 -n -c 3 -i 0.2 -W 1 -I $CE1_LAN $CE2_LAN >/dev/null'
check_done "ldp-protection"
