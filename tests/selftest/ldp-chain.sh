#!/bin/bash
# LDP across pe1 - p1 - p2 - pe2 (tests/ldp/ldp-chain.topo) with the kernel forwarding: isthmusd on
# pe1 and p1, FRR ldpd on p2 and pe2. Labels are read from each side (isthmusd's LSP/LFIB log
# lines, FRR's `show mpls ldp binding json`, both kernels' `ip -f mpls route`), then ping crosses
# the chain labelled both ways: p1 (isthmusd) swaps and pops, p2 (FRR) swaps and pops. Then p1's
# isthmusd stops (its LFIB entries go, forwarding fails) and starts again (forwarding returns).
# Needs kernel MPLS: tests/vm/vm-run --timeout 360 -- tests/selftest/ldp-chain.sh path/to/isthmusd
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ISTHMUSD=${1:-$here/../../build/daemon/isthmusd}
FRR=/usr/lib/frr
# shellcheck source=tests/topo/topo.sh
source "$here/../topo/topo.sh"
[[ $EUID == 0 ]] || { echo "ldp-chain: needs root (network namespaces)" >&2; exit 1; }
[[ -x $ISTHMUSD ]] || { echo "ldp-chain: no isthmusd at $ISTHMUSD" >&2; exit 1; }

t_start=$SECONDS
W=$(mktemp -d /tmp/ldp-chain.XXXXXX)
chmod 755 "$W"
failures=0
declare -A PIDS=()

finish() {
    if ((failures)); then
        for f in "$W"/*.log; do echo "=== $f (last 25 lines)"; tail -25 "$f"; done
    fi
    _topo_exit
    rm -rf "$W"
}

source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
# check 'WHAT' COMMAND...: WHAT is expanded after COMMAND ran, and $took is its duration.
check() { check_late "$@"; }
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@" 2>/dev/null; do ((SECONDS < deadline)) || return 1; sleep 0.3; done
}

topo_up "$here/../ldp/ldp-chain.topo"
trap finish EXIT
echo "ldp-chain: topology up in $((SECONDS - t_start)) s"
t_daemons=$SECONDS

# ---- isthmusd on pe1 and p1 ----
start_isthmusd() {  # node router-id interfaces...
    local node=$1 id=$2 ifs="" i
    shift 2
    for i in "$@"; do ifs+="${ifs:+, }{ \"name\": \"$i\", \"hello-interval\": 1, \"hello-hold-time\": 3 }"; done
    cat >"$W/$node.json" <<JSON
{ "version": 1, "router-id": "$id", "log-level": "debug", "control-socket": "$W/$node.sock",
  "ldp": { "interfaces": [ $ifs ], "session-hold-time": 15 } }
JSON
    # Not through topo_exec: $! must be isthmusd itself (ip netns exec execs it), not a subshell.
    ip netns exec "$(topo_ns "$node")" "$ISTHMUSD" --config "$W/$node.json" >>"$W/$node.log" 2>&1 &
    PIDS[$node]=$!
}
# ---- FRR on p2 and pe2 ----
start_frr() {  # node router-id interfaces...
    local node=$1 id=$2 d=$W/frr-$1 i
    shift 2
    mkdir -p "$d"; chmod 777 "$d"
    printf 'hostname %s\n' "$node" >"$d/zebra.conf"
    { echo "hostname $node"; echo "mpls ldp"; echo " router-id $id"; echo " address-family ipv4"
      echo "  discovery hello holdtime 3"; echo "  discovery hello interval 1"
      echo "  discovery transport-address $id"
      for i in "$@"; do echo "  interface $i"; done
      echo " exit-address-family"; echo "exit"; } >"$d/ldpd.conf"
    topo_exec "$node" "$FRR/zebra" -d -u frr -g frr -f "$d/zebra.conf" -i "$d/zebra.pid" -z "$d/zserv.api" \
        --vty_socket "$d" --log "file:$W/frr-$node-zebra.log"
    wait_for 10 test -S "$d/zserv.api"
    topo_exec "$node" "$FRR/ldpd" -d -u frr -g frr -f "$d/ldpd.conf" -i "$d/ldpd.pid" -z "$d/zserv.api" \
        --vty_socket "$d" --ctl_socket "$d" --log "file:$W/frr-$node-ldpd.log"
}
vty() { topo_exec "$1" vtysh --vty_socket "$W/frr-$1" -c "$2"; }
frr_neighbor_state() { vty "$1" 'show mpls ldp neighbor json' | jq -r --arg n "$2" '.neighbors[]? | select(.neighborId==$n) | .state'; }
frr_local() { vty "$1" 'show mpls ldp binding json' | jq -r --arg p "$2" '[.bindings[] | select(.prefix==$p)][0].localLabel'; }
frr_remote() { vty "$1" 'show mpls ldp binding json' |
    jq -r --arg p "$2" --arg n "$3" '.bindings[] | select(.prefix==$p and .neighborId==$n) | .remoteLabel'; }
# isthmusd's last LSP label and LFIB line for a FEC.
our_lsp_label() { grep -E "ldp: LSP $2 via" "$W/$1.log" | tail -1 | sed -E 's/.* label ([^ ]+)$/\1/'; }
our_lfib_line() { grep -E "ldp: LFIB [0-9]+ \($2\) " "$W/$1.log" | tail -1 | sed -E 's/.*ldp: //'; }
our_lfib_label() { our_lfib_line "$1" "$2" | sed -E 's/^LFIB ([0-9]+) .*/\1/'; }
mpls_rx() {  # node if: MPLS packets received (the kernel's per-interface afstats)
    topo_exec "$1" ip -j stats show dev "$2" group afstats subgroup mpls | sed -n 's/.*"rx":{[^}]*"packets":\([0-9]*\).*/\1/p'
}

start_frr p2 192.0.2.3 west east
start_frr pe2 192.0.2.4 core
start_isthmusd pe1 192.0.2.1 core
start_isthmusd p1 192.0.2.2 west east

echo "--- (a) sessions along the chain"
check "(a) p2 (FRR) has p1 (isthmusd) OPERATIONAL (\$took)" \
    wait_for 60 eval '[[ $(frr_neighbor_state p2 192.0.2.2) == OPERATIONAL ]]'
check "(a) pe2 (FRR) has p2 OPERATIONAL" wait_for 60 eval '[[ $(frr_neighbor_state pe2 192.0.2.3) == OPERATIONAL ]]'
check "(a) p1 logged its session with pe1 OPERATIONAL" \
    wait_for 30 grep -q "session with 192.0.2.1:0 (192.0.2.1) OPERATIONAL" "$W/p1.log"

echo "ldp-chain: sessions up $((SECONDS - t_daemons)) s after starting the daemons"
echo "--- (b) labels agree hop by hop, towards pe2 (192.0.2.4/32) and towards pe1 (192.0.2.1/32)"
wait_for 30 eval '[[ -n $(our_lsp_label pe1 192.0.2.4/32) && $(our_lfib_line p1 192.0.2.4/32) == *swap* ]]' || true
L1=$(our_lsp_label pe1 192.0.2.4/32)
L2=$(frr_local p2 192.0.2.4/32)
check "(b) pe1's LSP label for pe2 ($L1) is p1's LFIB in-label: \$(our_lfib_line p1 192.0.2.4/32)" \
    eval '[[ $L1 =~ ^[0-9]+$ && $(our_lfib_label p1 192.0.2.4/32) == "$L1" ]]'
check "(b) p1 swaps to p2's (FRR) label $L2" eval '[[ $(our_lfib_line p1 192.0.2.4/32) == *"swap $L2 via 10.0.2.2 "* ]]'
check "(b) p1's kernel: \$(topo_exec p1 ip -f mpls route show $L1)" \
    eval '[[ $(topo_exec p1 ip -f mpls route show $L1) == *"as to $L2 via inet 10.0.2.2 dev east"* ]]'
check "(b) p2's kernel pops $L2 towards pe2: \$(topo_exec p2 ip -f mpls route show $L2)" \
    eval '[[ $(topo_exec p2 ip -f mpls route show $L2) == *"via inet 10.0.3.2 dev east"* ]]'
R1=$(frr_remote pe2 192.0.2.1/32 192.0.2.3)
R2=$(our_lfib_label p1 192.0.2.1/32)
check "(b) p2 (FRR) swaps pe2's label $R1 to p1's $R2: \$(topo_exec p2 ip -f mpls route show $R1)" \
    eval '[[ $R1 =~ ^[0-9]+$ && $(topo_exec p2 ip -f mpls route show $R1) == *"as to $R2 via inet 10.0.2.1 dev west"* ]]'
check "(b) p2 learned $R2 from p1 for 192.0.2.1/32 (FRR: \$(frr_remote p2 192.0.2.1/32 192.0.2.2))" \
    eval '[[ $(frr_remote p2 192.0.2.1/32 192.0.2.2) == "$R2" ]]'
check "(b) p1 pops $R2 towards pe1: \$(topo_exec p1 ip -f mpls route show $R2)" \
    eval '[[ $(topo_exec p1 ip -f mpls route show $R2) == "$R2 via inet 10.0.1.1 dev west"* ]]'
check "(b) pe1 learned p1's implicit null for p1's loopback: \$(our_lsp_label pe1 192.0.2.2/32)" \
    eval '[[ $(our_lsp_label pe1 192.0.2.2/32) == implicit-null ]]'

echo "--- (c) traffic: pe1 -> pe2 labelled $L1 (p1 swaps, p2 pops), replies labelled $R1 (p2 swaps, p1 pops)"
topo_exec pe1 ip route replace 192.0.2.4/32 encap mpls "$L1" via 10.0.1.2 dev core
topo_exec pe2 ip route replace 192.0.2.1/32 encap mpls "$R1" via 10.0.3.1 dev core
topo_exec pe1 ping -c 1 -W 2 -I 192.0.2.1 192.0.2.4 >/dev/null || true   # ARP
w0=$(mpls_rx p1 west) e0=$(mpls_rx p1 east) p0=$(mpls_rx p2 west) q0=$(mpls_rx p2 east)
rc=0; out=$(topo_exec pe1 ping -n -c 5 -i 0.2 -W 1 -I 192.0.2.1 192.0.2.4) || rc=$?
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
w1=$(mpls_rx p1 west) e1=$(mpls_rx p1 east) p1c=$(mpls_rx p2 west) q1=$(mpls_rx p2 east)
check "(c) ping pe1 -> pe2 loopback: $got/5 replies" eval '((rc == 0 && got >= 4))'
check "(c) labelled all the way: p1 west +$((w1 - w0)), p2 west +$((p1c - p0)) (requests); p2 east +$((q1 - q0)), p1 east +$((e1 - e0)) (replies)" \
    eval '((w1 - w0 >= got && p1c - p0 >= got && q1 - q0 >= got && e1 - e0 >= got))'

echo "--- (d) p1's isthmusd stops: its LFIB entries go and forwarding fails; it starts again"
kill -TERM "${PIDS[p1]}"; wait "${PIDS[p1]}" || true
check "(d) p1's kernel has no LFIB entry of ours left: '\$(topo_exec p1 ip -f mpls route show proto 205)'" \
    eval '[[ -z $(topo_exec p1 ip -f mpls route show proto 205) ]]'
rc=0; topo_exec pe1 ping -n -c 2 -i 0.2 -W 1 -I 192.0.2.1 192.0.2.4 >/dev/null || rc=$?
check "(d) ping fails without p1's LFIB (status $rc)" eval '((rc != 0))'
start_isthmusd p1 192.0.2.2 west east
check "(d) p1 relearned and reinstalled its swap entry for pe2 (\$took): \$(topo_exec p1 ip -f mpls route show proto 205 | head -3 | tr '\n' ';')" \
    wait_for 60 eval '[[ -n $(topo_exec p1 ip -f mpls route show proto 205 | grep "as to") ]]'
# p1 may now hand out other labels: repoint pe1 at whatever pe1 learned again.
wait_for 30 eval '[[ $(our_lsp_label pe1 192.0.2.4/32) =~ ^[0-9]+$ ]]' || true
L1=$(our_lfib_label p1 192.0.2.4/32)
wait_for 30 eval '[[ $(our_lsp_label pe1 192.0.2.4/32) == "$L1" ]]' || true
topo_exec pe1 ip route replace 192.0.2.4/32 encap mpls "$L1" via 10.0.1.2 dev core
R1=$(frr_remote pe2 192.0.2.1/32 192.0.2.3)
topo_exec pe2 ip route replace 192.0.2.1/32 encap mpls "$R1" via 10.0.3.1 dev core
rc=0; out=$(topo_exec pe1 ping -n -c 3 -i 0.2 -W 1 -I 192.0.2.1 192.0.2.4) || rc=$?
check "(d) ping works again over p1's new labels (pe1 pushes $L1)" eval '((rc == 0))'

echo "--- session timeline (isthmusd on pe1 and p1)"
grep -h "OPERATIONAL, keepalive" "$W/pe1.log" "$W/p1.log" | sort || true
echo "ldp-chain: $failures failure(s) in $((SECONDS - t_start)) s"
((failures == 0))
