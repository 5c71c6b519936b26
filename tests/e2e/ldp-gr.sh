#!/bin/bash
# LDP graceful restart (RFC 3478) end to end, issue 12 item 4: the 6PE protocol lab
# (tests/topo/6pe-lab.topo) with p in graceful-restart mode full and the PEs as helpers. A continuous
# ping -6 -i 0.05 CE1 -> CE2 runs while p's isthmusd stops (SIGTERM: it leaves its LFIB in the
# kernel) and starts again (it adopts the entries and re-learns them). Asserts: p's LFIB stays in the
# kernel while isthmusd is down, pe1 and pe2 help (show ldp neighbor: graceful-restart reconnect-wait,
# stale labels held), the sessions come back, the labels along the LSP are the ones from before,
# and the ping lost nothing (the loss is printed either way).
#
# Then the same for pe1 (LDP and BGP graceful restart mode full; p, pe2 and ce1's BIRD help): the
# kernel keeps pe1's LFIB and BGP routes while its isthmusd is down; the loss is printed, and the
# sessions, routes and ping must come back.
#
#   tests/vm/vm-run --timeout 300 -- tests/e2e/ldp-gr.sh build/daemon/isthmusd [ISTHMUSCTL]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
LAB_ISTHMUSD=$(realpath "${1:-$here/../../build/daemon/isthmusd}")
[[ -z ${2:-} ]] || LAB_ISTHMUSCTL=$(realpath "$2")
# shellcheck source=tests/topo/6pe-lab.sh
source "$here/../topo/6pe-lab.sh"
# shellcheck source=tests/lib/check.sh
source "$here/../lib/check.sh"
[[ $EUID == 0 ]] || { echo "ldp-gr: needs root (network namespaces)" >&2; exit 1; }
LAB_LOG_LEVEL=info
LAB_LDP_EXTRA=(
    [p]='"graceful-restart": { "mode": "full", "reconnect-time": 60, "recovery-time": 60 }'
    [pe1]='"graceful-restart": { "mode": "full", "reconnect-time": 60, "recovery-time": 60 }'
    [pe2]='"graceful-restart": { "mode": "helper", "reconnect-time": 60, "recovery-time": 60 }')
# pe1 keeps its 6PE and CE routes across its own restart; pe2 and ce1's BIRD help it.
LAB_BGP_EXTRA=([pe1]='"graceful-restart": { "mode": "full", "restart-time": 60 }'
               [pe2]='"graceful-restart": { "mode": "helper" }')
LAB_CE_BGP_EXTRA='graceful restart on;'

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
CE1_LAN=$(lab_lan ce1) CE2_LAN=$(lab_lan ce2) CE2_NET=$(lab_lan_prefix ce2)
lab_wait_ready

ldp_state() { lab_ctl "$1" show ldp neighbor | jq -r --arg n "$2" '.sessions[] | select(.["lsr-id"] | startswith($n)) | .state'; }
nbr() {  # NODE LSR FIELD: a per-neighbour counter or state of show ldp neighbor
    lab_ctl "$1" show ldp neighbor | jq -r --arg n "$2" --arg f "$3" '.neighbors[] | select(.["lsr-id"] | startswith($n)) | .[$f]'
}
lsp_label() { lab_ctl "$1" show ldp lsp | jq -r --arg f "$2" '.lsps[] | select(.fec == $f) | .["next-hops"][0].label'; }
# p's LFIB as the kernel has it (ours: proto 205), and the labels on the way pe1 -> pe2 -> pe1.
p_lfib() { topo_exec p ip -f mpls route show | tr -s ' ' | sort; }
labels() { echo "pe1->$PE2:$(lsp_label pe1 "$PE2/32") pe2->$PE1:$(lsp_label pe2 "$PE1/32") p->$PE2:$(lsp_label p "$PE2/32")"; }

echo "--- the lab converges"
check "pe1-p and pe2-p LDP sessions OPERATIONAL (\$took)" \
    wait_for 90 eval '[[ $(ldp_state pe1 $P) == OPERATIONAL && $(ldp_state pe2 $P) == OPERATIONAL ]]'
check "ping -6 ce1 -> ce2 works (\$took)" \
    wait_for 90 eval 'topo_exec ce1 ping -6 -n -c 1 -W 1 -I $CE1_LAN $CE2_LAN >/dev/null'
lfib_before=$(p_lfib)
labels_before=$(labels)
rx_before=$(nbr pe1 "$P" label-mappings-received)
echo "    p's LFIB: $(tr '\n' ';' <<<"$lfib_before")"
echo "    labels: $labels_before"

echo "--- continuous ping -6 -i 0.05 ce1 -> ce2 while p's isthmusd restarts"
# Not through topo_exec: $! must be ping itself, for the SIGINT that makes it print its summary.
ip netns exec "$(topo_ns ce1)" ping -6 -n -i 0.05 -W 1 -I "$CE1_LAN" "$CE2_LAN" >"$LAB_W/ping.out" 2>&1 &
ping_pid=$!
sleep 2
t0=$SECONDS
lab_stop_isthmusd p
echo "    p's isthmusd stopped (SIGTERM) after $((SECONDS - t0)) s"
check "p's LFIB is still in the kernel with isthmusd stopped" eval '[[ $(p_lfib) == "$lfib_before" ]]'
check "pe1 helps: graceful-restart \$(nbr pe1 $P graceful-restart), stale-held \$(nbr pe1 $P stale-held) (\$took)" \
    wait_for 20 eval '[[ $(nbr pe1 $P graceful-restart) == reconnect-wait && $(nbr pe1 $P stale-held) -gt 0 ]]'
check "pe2 helps: graceful-restart \$(nbr pe2 $P graceful-restart)" \
    wait_for 20 eval '[[ $(nbr pe2 $P graceful-restart) == reconnect-wait ]]'
L_PE2=${labels_before#pe1->$PE2:}; L_PE2=${L_PE2%% *}
check "pe1 kept the LSP to $PE2 (label \$(lsp_label pe1 $PE2/32), before: $L_PE2)" \
    eval '[[ $(lsp_label pe1 $PE2/32) == "$L_PE2" && -n $L_PE2 && $L_PE2 != null ]]'
sleep 3
lab_start_isthmusd p
check "p's isthmusd is back: pe1-p and pe2-p OPERATIONAL (\$took)" \
    wait_for 60 eval '[[ $(ldp_state pe1 $P) == OPERATIONAL && $(ldp_state pe2 $P) == OPERATIONAL ]]'
echo "    pe1's view of p after the reconnect: $(lab_ctl pe1 show ldp neighbor | jq -c --arg n "$P" '.neighbors[] | select(.["lsr-id"] | startswith($n))')"
check "p's recovery ends (show ldp neighbor recovering: \$(lab_ctl p show ldp neighbor | jq .recovering)) (\$took)" \
    wait_for 90 eval '[[ $(lab_ctl p show ldp neighbor | jq .recovering) == false ]]'
check "pe1 has left the helper state: \$(nbr pe1 $P graceful-restart), stale \$(nbr pe1 $P stale-held) (\$took)" \
    wait_for 90 eval '[[ $(nbr pe1 $P graceful-restart) == none && $(nbr pe1 $P stale-held) == 0 ]]'
check "sessions-up pe1->p: \$(nbr pe1 $P sessions-up) (2: the restart is one new session)" \
    eval '[[ $(nbr pe1 $P sessions-up) == 2 ]]'
check "labels after the restart equal those before: \$(labels)" eval '[[ $(labels) == "$labels_before" ]]'
check "p's LFIB after recovery equals the one before: \$(p_lfib | tr '\n' ';')" \
    eval '[[ $(p_lfib) == "$lfib_before" ]]'
sleep 2
kill -INT "$ping_pid"; wait "$ping_pid" || true; ping_pid=
stats=$(grep 'packets transmitted' "$LAB_W/ping.out")
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$stats")
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$stats")
echo "    ping: $stats"
echo "    pe1 label-mappings-received from p: $rx_before before, $(nbr pe1 "$P" label-mappings-received) after"
check "zero loss across p's restart: $((sent - got)) of $sent lost" eval '((sent > 100 && got == sent))'
if ((sent != got)); then
    echo "    unanswered icmp_seq: $(missing_seqs "$sent" "$LAB_W/ping.out")"
fi
grep -E 'graceful|recover|preserv|stale|adopted' "$LAB_W/p.log" | tail -6 | sed 's/^/    p.log: /' || true

# ---- pe1 restarts --------------------------------------------------------------------------------
echo "--- continuous ping -6 -i 0.05 ce1 -> ce2 while pe1's isthmusd restarts (LDP and BGP full)"
bgp_state() { lab_ctl "$1" show bgp summary | jq -r --arg a "$2" '.neighbors[] | select(.address == $a) | .state'; }
# shellcheck disable=SC2034  # used inside the checks' eval'd strings
CE1_ADDR=$(topo_addr ce1:eth0 6) CE1_NET=$(lab_lan_prefix ce1)
kroute() { topo_exec "$1" ip -6 route show "$2" | tr -s ' '; }
check "pe1's BGP sessions with pe2 and ce1 Established (\$took)" \
    wait_for 60 eval '[[ $(bgp_state pe1 $PE2) == Established && $(bgp_state pe1 $CE1_ADDR) == Established ]]'
pe1_lfib() { topo_exec pe1 ip -f mpls route show | tr -s ' ' | sort; }
# shellcheck disable=SC2034
pe1_lfib_before=$(pe1_lfib)
route_before=$(kroute pe1 "$CE2_NET")
echo "    pe1's route to $CE2_NET: $route_before"
ip netns exec "$(topo_ns ce1)" ping -6 -n -i 0.05 -W 1 -I "$CE1_LAN" "$CE2_LAN" >"$LAB_W/ping-pe1.out" 2>&1 &
ping_pid=$!
sleep 2
lab_stop_isthmusd pe1
check "pe1's kernel keeps its route to $CE2_NET with isthmusd stopped: \$(kroute pe1 $CE2_NET)" \
    eval '[[ -n $route_before && $(kroute pe1 $CE2_NET) == "$route_before" ]]'
check "and its LFIB: \$(pe1_lfib | tr '\n' ';')" eval '[[ $(pe1_lfib) == "$pe1_lfib_before" ]]'
check "p helps pe1 (LDP): graceful-restart \$(nbr p $PE1 graceful-restart) (\$took)" \
    wait_for 20 eval '[[ $(nbr p $PE1 graceful-restart) == reconnect-wait ]]'
sleep 1
echo "    pe2's BGP session with pe1: $(bgp_state pe2 "$PE1"); pe2's route to $CE1_NET: $(kroute pe2 "$CE1_NET")"
echo "    ce1's BIRD: $(lab_birdc ce1 show protocols pe1 | tail -1 | tr -s ' '); route: $(lab_birdc ce1 show route "$CE2_NET" | tail -1 | tr -s ' ')"
lab_start_isthmusd pe1
check "pe1 is back: LDP with p OPERATIONAL, BGP with pe2 and ce1 Established (\$took)" \
    wait_for 90 eval '[[ $(ldp_state pe1 $P) == OPERATIONAL && $(bgp_state pe1 $PE2) == Established && $(bgp_state pe1 $CE1_ADDR) == Established ]]'
check "pe1's route to $CE2_NET is labelled as before: \$(kroute pe1 $CE2_NET)" \
    wait_for 30 eval '[[ $(kroute pe1 $CE2_NET) == "$route_before" ]]'
check "pe1's recovery ends (\$took)" wait_for 90 eval '[[ $(lab_ctl pe1 show ldp neighbor | jq .recovering) == false ]]'
check "pe1's LFIB after recovery equals the one before: \$(pe1_lfib | tr '\n' ';')" eval '[[ $(pe1_lfib) == "$pe1_lfib_before" ]]'
sleep 2
kill -INT "$ping_pid"; wait "$ping_pid" || true; ping_pid=
stats=$(grep 'packets transmitted' "$LAB_W/ping-pe1.out")
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$stats")
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$stats")
echo "    ping across pe1's restart: $stats"
if ((sent != got)); then
    echo "    unanswered icmp_seq: $(missing_seqs "$sent" "$LAB_W/ping-pe1.out")"
fi
check "ping works after pe1's restart" eval 'topo_exec ce1 ping -6 -n -c 3 -i 0.2 -W 1 -I $CE1_LAN $CE2_LAN >/dev/null'
grep -E 'graceful|recover|preserv|stale|adopted|sweep' "$LAB_W/pe1.log" | tail -8 | sed 's/^/    pe1.log: /' || true
check_done "ldp-gr"
