#!/bin/bash
# Interop: isthmusd's LDP against FRR 8.4.4 ldpd over a veth between two host network namespaces
# (control plane only: the host kernel may lack MPLS; LFIB installs then fail and are only logged).
# Every assertion reads what FRR reports (`show mpls ldp neighbor|binding json`) and compares it
# with what isthmusd logged it decided (LFIB and LSP lines).
#   A (isthmusd, 10.0.0.1) --a0 10.1.0.1/24 ---- b0 10.1.0.2/24-- B (FRR zebra+ldpd, 10.0.0.2)
#                          --a1 10.2.0.1/24 ---- b1 10.2.0.2/24--
#   B also routes 10.0.0.3/32 behind another link; A has static routes (the IGP) to 10.0.0.2 and
#   10.0.0.3 over a0, moved to a1 and to both (ECMP) by the test.
# Usage: ldp-frr.sh [path/to/isthmusd [path/to/isthmusctl]]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ISTHMUSD=${1:-$here/../../build/daemon/isthmusd}
ISTHMUSCTL=${2:-$(dirname "$ISTHMUSD")/isthmusctl}
FRR=/usr/lib/frr
[[ $EUID == 0 ]] || { echo "ldp-frr: needs root (network namespaces)" >&2; exit 1; }
[[ -x $ISTHMUSD ]] || { echo "ldp-frr: no isthmusd at $ISTHMUSD" >&2; exit 1; }
[[ -x $ISTHMUSCTL ]] || { echo "ldp-frr: no isthmusctl at $ISTHMUSCTL" >&2; exit 1; }
[[ -x $FRR/ldpd && -x $FRR/zebra ]] || { echo "ldp-frr: FRR (zebra, ldpd) is not installed" >&2; exit 1; }

t_start=$SECONDS
A=ldpfrrA$$ B=ldpfrrB$$
W=$(mktemp -d /tmp/ldp-frr.XXXXXX)
chmod 755 "$W"
ISTHMUS_PID=""
failures=0

cleanup() {
    [[ -n $ISTHMUS_PID ]] && kill "$ISTHMUS_PID" 2>/dev/null && wait "$ISTHMUS_PID" 2>/dev/null
    for f in "$W"/frr/*.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null; done
    sleep 0.3
    ip netns del "$A" 2>/dev/null || true
    ip netns del "$B" 2>/dev/null || true
    if ((failures)); then echo "ldp-frr: logs kept in $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
# check 'WHAT' COMMAND...: WHAT is expanded after COMMAND ran, and $took is its duration.
check() { check_late "$@"; }
wait_for() {  # wait_for SECONDS COMMAND...: true once COMMAND succeeds, polling every 0.2 s
    local deadline=$((SECONDS + $1)); shift
    until "$@" 2>/dev/null; do ((SECONDS < deadline)) || return 1; sleep 0.2; done
}
vty() { ip netns exec "$B" vtysh --vty_socket "$W/frr" "$@"; }
frr_state() { vty -c 'show mpls ldp neighbor json' | jq -r '.neighbors[]? | select(.neighborId=="10.0.0.1") | .state'; }
frr_operational() { [[ $(frr_state) == OPERATIONAL ]]; }
frr_no_neighbor() { [[ -z $(frr_state) ]]; }
# FRR's remote label from us for a prefix ("imp-null", a number, or empty when it has none).
frr_remote() { vty -c 'show mpls ldp binding json' |
    jq -r --arg p "$1" '.bindings[] | select(.prefix==$p and .neighborId=="10.0.0.1") | .remoteLabel'; }
frr_local() { vty -c 'show mpls ldp binding json' | jq -r --arg p "$1" '[.bindings[] | select(.prefix==$p)][0].localLabel'; }
# What isthmusd logged last for a FEC: the in-label of its LFIB entry, the label of its LSP.
our_lfib_label() { grep -E "ldp: LFIB [0-9]+ \($1\) " "$W/isthmusd.log" | tail -1 | sed -E 's/.*LFIB ([0-9]+) .*/\1/'; }
our_lfib_line() { grep -E "ldp: LFIB [0-9]+ \($1\) " "$W/isthmusd.log" | tail -1 | sed -E 's/.*ldp: //'; }
our_lsp_line() { grep -E "ldp: LSP $1 " "$W/isthmusd.log" | tail -1 | sed -E 's/.*ldp: //'; }
# isthmusd's own view through its control socket: our label / FRR's label for a FEC.
ctl() { ip netns exec "$A" "$ISTHMUSCTL" --socket "$W/isthmusd.sock" --json "$@"; }
ctl_local() { ctl show ldp binding | jq -r --arg p "$1" '.bindings[] | select(.fec==$p) | ."local-label"'; }
ctl_remote() { ctl show ldp binding | jq -r --arg p "$1" '.bindings[] | select(.fec==$p) | ."remote-labels"."10.0.0.2:0"'; }
frr_label_word() { [[ $1 == implicit-null ]] && echo imp-null || echo "$1"; }

# ---- topology ----
ip netns add "$A"
ip netns add "$B"
ip link add a0 netns "$A" type veth peer name b0 netns "$B"
ip link add a1 netns "$A" type veth peer name b1 netns "$B"
ip link add d0 netns "$B" type veth peer name d1 netns "$B"
for ns in "$A" "$B"; do ip -n "$ns" link set lo up; done
ip -n "$A" link set a0 up; ip -n "$A" link set a1 up
ip -n "$B" link set b0 up; ip -n "$B" link set b1 up; ip -n "$B" link set d0 up; ip -n "$B" link set d1 up
ip -n "$A" addr add 10.0.0.1/32 dev lo
ip -n "$A" addr add 10.1.0.1/24 dev a0
ip -n "$B" addr add 10.0.0.2/32 dev lo
ip -n "$B" addr add 10.1.0.2/24 dev b0
ip -n "$A" addr add 10.2.0.1/24 dev a1
ip -n "$B" addr add 10.2.0.2/24 dev b1
ip -n "$B" addr add 10.3.0.1/24 dev d0
ip -n "$B" addr add 10.3.0.2/24 dev d1
ip -n "$B" route add 10.0.0.3/32 via 10.3.0.2
ip -n "$B" route add 10.0.0.1/32 via 10.1.0.1
ip -n "$A" route add 10.0.0.2/32 via 10.1.0.2
ip -n "$A" route add 10.0.0.3/32 via 10.1.0.2

# ---- FRR: zebra and ldpd with short timers ----
mkdir -p "$W/frr"
chmod 777 "$W/frr"
printf 'hostname frr\n' >"$W/frr/zebra.conf"
cat >"$W/frr/ldpd.conf" <<CONF
hostname frr
mpls ldp
 router-id 10.0.0.2
 neighbor 10.0.0.1 session holdtime 15
 address-family ipv4
  discovery hello holdtime 3
  discovery hello interval 1
  discovery transport-address 10.0.0.2
  interface b0
  interface b1
 exit-address-family
exit
CONF
start_ldpd() {
    ip netns exec "$B" "$FRR/ldpd" -d -u frr -g frr -f "$W/frr/ldpd.conf" -i "$W/frr/ldpd.pid" \
        -z "$W/frr/zserv.api" --vty_socket "$W/frr" --ctl_socket "$W/frr" --log "file:$W/frr/ldpd.log"
}
ip netns exec "$B" "$FRR/zebra" -d -u frr -g frr -f "$W/frr/zebra.conf" -i "$W/frr/zebra.pid" \
    -z "$W/frr/zserv.api" --vty_socket "$W/frr" --log "file:$W/frr/zebra.log"
wait_for 10 test -S "$W/frr/zserv.api"
start_ldpd

# ---- isthmusd ----
write_config() {  # write_config [password]
    local neighbors=""
    [[ -n ${1:-} ]] && neighbors=", \"neighbors\": [ { \"lsr-id\": \"10.0.0.2\", \"password\": \"$1\" } ]"
    cat >"$W/isthmusd.json" <<JSON
{ "version": 1, "router-id": "10.0.0.1", "log-level": "debug", "control-socket": "$W/isthmusd.sock",
  "ldp": { "interfaces": [ { "name": "a0", "hello-interval": 1, "hello-hold-time": 3 },
                           { "name": "a1", "hello-interval": 1, "hello-hold-time": 3 } ],
           "session-hold-time": 15, "igp-sync": { "hook": "$W/igp-sync-hook", "delay": 1 } $neighbors } }
JSON
}
# The LDP-IGP sync hook (docs/ldp-igp-sync.md) records what it is told, one line per call.
printf '#!/bin/sh\necho "$1 $2" >> %s/igp-sync.log\n' "$W" >"$W/igp-sync-hook"
chmod 755 "$W/igp-sync-hook"
last_sync() { grep "^$1 " "$W/igp-sync.log" 2>/dev/null | tail -1 | cut -d' ' -f2; }
start_isthmusd() {
    ip netns exec "$A" "$ISTHMUSD" --config "$W/isthmusd.json" >>"$W/isthmusd.log" 2>&1 &
    ISTHMUS_PID=$!
}
write_config
start_isthmusd

echo "--- (a) session"
check "(a) FRR reports the session with 10.0.0.1 OPERATIONAL (\$took)" wait_for 30 frr_operational
check "(a) isthmusd runs the session with GTSM (both sides set the G flag in their link Hellos)" \
    grep -q "session with 10.0.0.2:0 at 10.0.0.2 needed, passive role, GTSM" "$W/isthmusd.log"
check "(a) igp-sync: the hook heard 'unsynced' for a0 and a1 at start, then 'synced' once the session was up (\$took): \$(tr '\n' ';' <"$W/igp-sync.log")" \
    wait_for 10 eval '[[ $(head -2 "$W/igp-sync.log" | sort | tr "\n" " ") == "a0 unsynced a1 unsynced " && $(last_sync a0) == synced && $(last_sync a1) == synced ]]'
check "(a) show ldp neighbor reports a0 synced: \$(ip netns exec $A $ISTHMUSCTL --socket $W/isthmusd.sock --json show ldp neighbor | jq -c '.\"igp-sync\".a0')" \
    eval '[[ $(ip netns exec $A $ISTHMUSCTL --socket $W/isthmusd.sock --json show ldp neighbor | jq -r ".\"igp-sync\".a0.synced") == true ]]'

echo "--- (b) bindings in both directions"
check "(b) FRR has our implicit null for our loopback 10.0.0.1/32: '\$(frr_remote 10.0.0.1/32)'" \
    wait_for 10 eval '[[ $(frr_remote 10.0.0.1/32) == imp-null ]]'
for fec in 10.0.0.2/32 10.0.0.3/32; do
    wait_for 10 eval '[[ -n $(our_lfib_label $fec) && -n $(frr_remote $fec) ]]' || true
    ours=$(our_lfib_label "$fec")
    check "(b) FRR has our label for $fec: FRR '\$(frr_remote $fec)' = our LFIB in-label '$ours'" \
        eval '[[ -n $ours && $(frr_remote $fec) == "$ours" ]]'
    lsp=$(our_lsp_line "$fec")
    got=$(frr_label_word "${lsp##* label }")
    check "(b) we use FRR's label for $fec: our '$lsp' = FRR local '\$(frr_local $fec)'" \
        eval '[[ -n $lsp && $got == "$(frr_local $fec)" ]]'
    check "(b) our LFIB for $fec pops towards FRR (it is the egress): \$(our_lfib_line $fec)" \
        eval '[[ $(our_lfib_line $fec) == *" pop via 10.1.0.2 "* ]]'
done

check "(b) isthmusctl show ldp neighbor: \$(ctl show ldp neighbor | jq -c '.sessions[0] | {state, gtsm}')" \
    eval '[[ $(ctl show ldp neighbor | jq -r ".sessions[0].state") == OPERATIONAL ]]'
for fec in 10.0.0.1/32 10.0.0.2/32 10.0.0.3/32; do
    check "(b) isthmusctl show ldp binding $fec: ours \$(ctl_local $fec) = FRR's remote \$(frr_remote $fec), theirs \$(ctl_remote $fec) = FRR's local \$(frr_local $fec)" \
        eval '[[ $(ctl_local $fec) == "$(frr_remote $fec)" && $(ctl_remote $fec) == "$(frr_local $fec)" ]]'
done
check "(b) isthmusctl show ldp lsp: 10.0.0.2/32 via 10.1.0.2 imp-null" \
    eval '[[ $(ctl show ldp lsp | jq -c ".lsps[] | select(.fec==\"10.0.0.2/32\") | .\"next-hops\"[0] | [.\"next-hop\", .label]") == "[\"10.1.0.2\",\"imp-null\"]" ]]'

echo "--- (c) changes: a new loopback address, a route FRR loses"
ip -n "$A" addr add 10.0.0.11/32 dev lo
check "(c) FRR learns our new 10.0.0.11/32 with implicit null" \
    wait_for 10 eval '[[ $(frr_remote 10.0.0.11/32) == imp-null ]]'
ip -n "$A" addr del 10.0.0.11/32 dev lo
check "(c) FRR drops 10.0.0.11/32 after our withdraw" wait_for 10 eval '[[ -z $(frr_remote 10.0.0.11/32) ]]'
ip -n "$B" route del 10.0.0.3/32 via 10.3.0.2
check "(c) FRR's withdraw of 10.0.0.3/32 removes our LSP: \$(our_lsp_line 10.0.0.3/32)" \
    wait_for 10 eval '[[ $(our_lsp_line 10.0.0.3/32) == "LSP 10.0.0.3/32 none" ]]'
check "(c) ... and our LFIB entry: \$(our_lfib_line 10.0.0.3/32)" \
    eval '[[ $(our_lfib_line 10.0.0.3/32) == *" delete" ]]'
check "(c) ordered control: FRR no longer has a label from us for 10.0.0.3/32" \
    wait_for 10 eval '[[ -z $(frr_remote 10.0.0.3/32) || $(frr_remote 10.0.0.3/32) == "-" ]]'
ip -n "$B" route add 10.0.0.3/32 via 10.3.0.2
check "(c) the route back: FRR has our label for 10.0.0.3/32 again (\$(frr_remote 10.0.0.3/32))" \
    wait_for 10 eval '[[ $(frr_remote 10.0.0.3/32) =~ ^[0-9]+$ ]]'

echo "--- (d) the IGP moves 10.0.0.3/32: the LSP follows the next hop, ECMP uses both links"
ifa1=$(ip netns exec "$A" cat /sys/class/net/a1/ifindex)
ip -n "$A" route replace 10.0.0.3/32 via 10.2.0.2
check "(d) next hop 10.2.0.2 (a1): \$(our_lsp_line 10.0.0.3/32)" \
    wait_for 10 eval '[[ $(our_lsp_line 10.0.0.3/32) == "LSP 10.0.0.3/32 via 1 next hop(s), first 10.2.0.2 if $ifa1 label imp"* ]]'
check "(d) ... and the LFIB entry moved with it: \$(our_lfib_line 10.0.0.3/32)" \
    eval '[[ $(our_lfib_line 10.0.0.3/32) == *" pop via 10.2.0.2 if $ifa1" ]]'
ip -n "$A" route replace 10.0.0.3/32 nexthop via 10.1.0.2 nexthop via 10.2.0.2
check "(d) ECMP over both links: \$(our_lfib_line 10.0.0.3/32)" \
    wait_for 10 eval '[[ $(our_lfib_line 10.0.0.3/32) == *" pop via 10.1.0.2 if "*" pop via 10.2.0.2 if $ifa1" ]]'
check "(d) FRR still has our label for 10.0.0.3/32 (\$(frr_remote 10.0.0.3/32)), the same binding" \
    eval '[[ $(frr_remote 10.0.0.3/32) == "$(our_lfib_label 10.0.0.3/32)" ]]'
ip -n "$A" route replace 10.0.0.3/32 via 10.1.0.2

echo "--- (e) isthmusd stops (SIGTERM): Shutdown Notification, then restarts"
kill -TERM "$ISTHMUS_PID"; wait "$ISTHMUS_PID" || true; ISTHMUS_PID=""
check "(e) FRR drops the session at once, not after its 15 s hold time (\$took)" \
    wait_for 3 frr_no_neighbor
check "(e) isthmusd sent Shutdown" grep -q "sending Notification Shutdown" "$W/isthmusd.log"
start_isthmusd
check "(e) session OPERATIONAL again after the restart (\$took)" wait_for 30 frr_operational
check "(e) FRR has our implicit null for 10.0.0.1/32 again" \
    wait_for 10 eval '[[ $(frr_remote 10.0.0.1/32) == imp-null ]]'

echo "--- (f) isthmusd killed (SIGKILL): FRR notices, recovers with the new instance"
kill -KILL "$ISTHMUS_PID"; wait "$ISTHMUS_PID" 2>/dev/null || true; ISTHMUS_PID=""
check "(f) FRR drops the session (connection reset)" wait_for 20 frr_no_neighbor
start_isthmusd
check "(f) OPERATIONAL again" wait_for 30 frr_operational

echo "--- (g) FRR's ldpd killed and restarted"
before=$(grep -c "ldp: session with 10.0.0.2:0 down" "$W/isthmusd.log" || true)
kill -KILL "$(cat "$W/frr/ldpd.pid")"
# ldpd runs as three processes (parent, lde, ldpe); kill every ldpd of B's namespace.
for p in $(ip netns pids "$B"); do
    [[ $(cat "/proc/$p/comm" 2>/dev/null) == ldpd ]] && kill -KILL "$p" 2>/dev/null || true
done
check "(g) isthmusd saw the session go down" \
    wait_for 20 eval '(( $(grep -c "ldp: session with 10.0.0.2:0 down" "$W/isthmusd.log") > before ))'
check "(g) ... and dropped FRR's labels: \$(our_lsp_line 10.0.0.2/32)" \
    eval '[[ $(our_lsp_line 10.0.0.2/32) == "LSP 10.0.0.2/32 none" ]]'
check "(g) igp-sync: the hook heard 'a0 unsynced' with the session gone (\$took)" \
    wait_for 5 eval '[[ $(last_sync a0) == unsynced && $(last_sync a1) == unsynced ]]'
rm -f "$W/frr/ldpd.pid"
start_ldpd
check "(g) OPERATIONAL again with the restarted ldpd (\$took)" wait_for 40 frr_operational
check "(g) we use FRR's label for 10.0.0.2/32 again" \
    wait_for 10 eval '[[ $(our_lsp_line 10.0.0.2/32) == *"label implicit-null" ]]'
check "(g) igp-sync: synced again (\$took); the hook ran \$(wc -l <"$W/igp-sync.log") times in all" \
    wait_for 10 eval '[[ $(last_sync a0) == synced && $(last_sync a1) == synced ]]'

echo "--- (h) TCP-MD5"
vty -c 'configure terminal' -c 'mpls ldp' -c 'neighbor 10.0.0.1 password isthmus-md5' >/dev/null
kill -TERM "$ISTHMUS_PID"; wait "$ISTHMUS_PID" || true; ISTHMUS_PID=""
write_config wrong-password
start_isthmusd
sleep 8
check "(h) with a wrong password no session comes up (FRR state '\$(frr_state)')" \
    eval '! frr_operational'
kill -TERM "$ISTHMUS_PID"; wait "$ISTHMUS_PID" || true; ISTHMUS_PID=""
write_config isthmus-md5
start_isthmusd
check "(h) with the same password on both sides: OPERATIONAL (\$took)" wait_for 40 frr_operational
check "(h) bindings flow over the MD5 session" wait_for 10 eval '[[ $(frr_remote 10.0.0.1/32) == imp-null ]]'

echo "--- (i) clean exit"
kill -TERM "$ISTHMUS_PID"; rc=0; wait "$ISTHMUS_PID" || rc=$?; ISTHMUS_PID=""
check "(i) isthmusd exits 0 on SIGTERM (status $rc)" eval '((rc == 0))'
check "(i) no sanitizer report in isthmusd's log (ASan/UBSan builds)" \
    eval '! grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$W/isthmusd.log"'

echo "ldp-frr: $failures failure(s) in $((SECONDS - t_start)) s"
((failures == 0))
