#!/bin/bash
# isthmusd against real BGP implementations from Debian, in network namespaces on the host
# (control plane only: "kernel": {"install": false}). Each case asserts what the PEER reports
# through its own CLI/JSON, plus what isthmusd logged it received:
#   6pe-<peer>  iBGP AS 65000 over IPv4, AFI 2/SAFI 4 negotiated; the peer shows our static
#               2001:db8:a1::/48 with next hop ::ffff:10.0.0.1 and label 2 (explicit-null mode), and
#               we receive its 2001:db8:b1::/48 with next hop ::ffff:10.0.0.2 and its label
#   ce-bird     BIRD as a CE: eBGP AS 65001 over IPv6, IPv6 unicast both ways
#   wrongas-<peer>  isthmusd expects the CE in AS 65099, it is 65001: the peer reports the OPEN error
#               Bad Peer AS (2/2) it received
#   restart-bird    BIRD restarts: the session comes back (BIRD Established, our count 2)
#   clear-bird      isthmusctl clear bgp soft out / soft in / hard, each seen by BIRD or in what we receive
#   reload-bird     a reload that removes a neighbor and adds a route leaves BIRD's session alone, a changed
#                   neighbor is reset, an invalid file is refused
#   shutdown-bird   isthmusd stops: BIRD reports the Cease/Administrative Shutdown and its RFC 9003 text
#   md5-bird        TCP-MD5 (RFC 2385) on both sides: Established; a wrong key never is
#   gtsm-bird       GTSM (RFC 5082) on both sides of the CE session: Established
#   ce-to-6pe       BIRD as CE and ExaBGP as 6PE peer at once: ExaBGP receives the CE's prefix as
#                   6PE: next hop ::ffff:10.0.0.1, label 2, AS path 65001
#   maxpfx-bird     the CE sends 3 prefixes, our limit is 2 (teardown): BIRD reports Cease/Maximum
#                   number of prefixes reached
# Usage: bgp-interop.sh [case ...]   (default: all). Needs root, bird2, frr, gobgpd, exabgp.
# ISTHMUSD / ISTHMUSCTL: the binaries (default: build/daemon/ of the source tree).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
ISTHMUSD=${ISTHMUSD:-$SRC/build/daemon/isthmusd}
ISTHMUSCTL=${ISTHMUSCTL:-$SRC/build/daemon/isthmusctl}
CASES=${*:-6pe-bird 6pe-frr 6pe-gobgp 6pe-exabgp ce-bird wrongas-bird wrongas-frr restart-bird clear-bird reload-bird shutdown-bird
            md5-bird gtsm-bird maxpfx-bird ce-to-6pe}
WORK=$(mktemp -d /tmp/bgp-interop.XXXXXX)
chmod 755 "$WORK"
NX=isbgpX   # isthmusd
NP=isbgpP   # the peer
T0=$(date +%s%N)
FAILED=""

cleanup() {
    for f in "$WORK"/*.pid "$WORK"/*/*.pid; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    done
    sleep 0.3
    for f in "$WORK"/*.pid "$WORK"/*/*.pid; do
        [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null || true
    done
    ip netns del $NX 2>/dev/null || true
    ip netns del $NP 2>/dev/null || true
}
trap 'cleanup; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM

for cmd in "$ISTHMUSD" "$ISTHMUSCTL"; do [ -x "$cmd" ] || { echo "missing $cmd (build it first)" >&2; exit 2; }; done
for cmd in bird birdc gobgpd gobgp exabgp /usr/lib/frr/bgpd vtysh jq; do
    command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || { echo "missing $cmd" >&2; exit 2; }
done

# Cases run in a subshell: exit ends the case (errexit is off inside an if condition).
fail() { echo "  FAIL: $*" >&2; exit 1; }
# wait_for SECONDS CMD...: poll until CMD succeeds.
wait_for() {
    local end=$(( $(date +%s) + $1 )); shift
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -ge "$end" ] && return 1
        sleep 0.2
    done
}

make_ns() {
    cleanup
    ip netns add $NX
    ip netns add $NP
    ip link add vX netns $NX type veth peer name vP netns $NP
    ip -n $NX link set lo up
    ip -n $NP link set lo up
    ip -n $NX addr add 10.0.0.1/24 dev vX
    ip -n $NP addr add 10.0.0.2/24 dev vP
    ip -n $NX -6 addr add 2001:db8:1::1/64 dev vX nodad
    ip -n $NP -6 addr add 2001:db8:1::2/64 dev vP nodad
    ip -n $NX link set vX up
    ip -n $NP link set vP up
}
# FRR wants the interface's link-local address for an IPv6 session (its next hop): wait for DAD.
wait_link_local() {
    wait_for 5 bash -c "ip -n $NP -6 addr show dev vP scope link | grep -q fe80 &&
                        ! ip -n $NP -6 addr show dev vP | grep -q tentative"
}

# ---- isthmusd ----------------------------------------------------------------
# start_x NEIGHBOR_JSON: AS 65000, router id 10.0.0.1, static 2001:db8:a1::/48 redistributed.
start_x() {
    cat >"$WORK/x.json" <<CONF
{
  "version": 1, "router-id": "10.0.0.1", "log-level": "debug", "control-socket": "$WORK/x.sock",
  "kernel": { "install": false },
  "bgp": {
    "local-as": 65000,
    "neighbors": [ $1 ],
    "redistribute": { "static-routes": true }
  },
  "static-routes": [ { "prefix": "2001:db8:a1::/48", "blackhole": true } ],
  "policies": { "all": { "default-action": "accept" } }
}
CONF
    ip netns exec $NX "$ISTHMUSD" --config "$WORK/x.json" >>"$WORK/x.log" 2>&1 &
    echo $! >"$WORK/x.pid"
    wait_for 5 test -S "$WORK/x.sock" || fail "isthmusd did not start: $(tail -5 "$WORK/x.log")"
}
stop_x() {
    [ -f "$WORK/x.pid" ] || return 0
    local pid; pid=$(cat "$WORK/x.pid")
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$WORK/x.pid"
}
xctl() { ip netns exec $NX "$ISTHMUSCTL" --socket "$WORK/x.sock" --json "$@"; }
x_neighbor() { xctl show bgp neighbor "$1"; }
# x_received PATTERN: isthmusd logged an UPDATE line matching it.
x_received() { grep -E "received $1" "$WORK/x.log"; }
IBGP_6PE='{ "address": "10.0.0.2", "remote-as": 65000, "families": ["ipv6-labeled-unicast"],
            "update-source": "10.0.0.1", "timers": { "hold-time": 9, "connect-retry-time": 2 } }'
# 6PE is iBGP only (the config refuses another AS), so the wrong AS is tried on a CE session.
WRONG_AS='{ "address": "2001:db8:1::2", "remote-as": 65099, "families": ["ipv6-unicast"],
            "import-policy": "all", "export-policy": "all", "timers": { "hold-time": 9, "connect-retry-time": 2 } }'
EBGP_CE='{ "address": "2001:db8:1::2", "remote-as": 65001, "families": ["ipv6-unicast"],
           "import-policy": "all", "export-policy": "all", "timers": { "hold-time": 9, "connect-retry-time": 2 } }'

# ---- BIRD --------------------------------------------------------------------
start_bird() {  # 6pe | ce [extra protocol lines]
    local chan nbr local as=65000
    if [ "$1" = ce ]; then
        chan="ipv6 { import all; export all; };"; nbr="2001:db8:1::1 as 65000"; local="2001:db8:1::2"; as=65001
    else
        chan="ipv6 mpls { extended next hop on; next hop self; import all; export all; };"
        nbr="10.0.0.1 as 65000"; local="10.0.0.2"
    fi
    cat >"$WORK/bird.conf" <<CONF
log "$WORK/bird.log" all;
router id 10.0.0.2;
protocol device { }
protocol static s6 { ipv6; route 2001:db8:b1::/48 blackhole; }
protocol bgp pe1 {
  local $local as $as;
  neighbor $nbr;
  hold time 9; keepalive time 3; connect retry time 2;
  ${2:-}
  $chan
}
protocol static s6more { ipv6; route 2001:db8:b2::/48 blackhole; route 2001:db8:b3::/48 blackhole; }
CONF
    [ -n "${BIRD_MORE:-}" ] || sed -i '/s6more/d' "$WORK/bird.conf"
    ip netns exec $NP bird -c "$WORK/bird.conf" -s "$WORK/bird.ctl" -P "$WORK/bird.pid"
}
birdc_() { ip netns exec $NP birdc -s "$WORK/bird.ctl" "$@"; }
bird_established() { birdc_ show protocols pe1 | grep -q 'Established'; }
stop_bird() { birdc_ down >/dev/null 2>&1 || true; rm -f "$WORK/bird.pid"; }

case_6pe_bird() {
    start_x "$IBGP_6PE"; start_bird 6pe
    wait_for 15 bird_established || fail "BIRD not Established: $(birdc_ show protocols all pe1)"
    local p; p=$(birdc_ show protocols all pe1)
    # Both sides announced ipv6-mpls (AFI 2/SAFI 4) and the channel is up.
    [ "$(grep -c 'AF announced: ipv6-mpls' <<<"$p")" = 2 ] || fail "6PE not negotiated per BIRD: $p"
    grep -A1 'Channel ipv6-mpls' <<<"$p" | grep -q 'State: *UP' || fail "BIRD's ipv6-mpls channel is not up"
    wait_for 10 bash -c "ip netns exec $NP birdc -s $WORK/bird.ctl show route all 2001:db8:a1::/48 | grep -q mpls_label_stack" ||
        fail "BIRD has no 6PE route from us"
    local r; r=$(birdc_ show route all 2001:db8:a1::/48)
    echo "$r" | sed 's/^/    bird: /'
    # BIRD shows the IPv4-mapped next hop ::ffff:10.0.0.1 as its IPv4 address (extended next hop).
    grep -q 'BGP.next_hop: 10.0.0.1$' <<<"$r" || fail "next hop"
    grep -q 'BGP.mpls_label_stack: 2$' <<<"$r" || fail "label 2 (IPv6 explicit null)"
    grep -q 'BGP.origin: IGP' <<<"$r" || fail "origin"
    grep -q 'BGP.local_pref: 100' <<<"$r" || fail "local pref"
    grep -q 'BGP.as_path: *$' <<<"$r" || fail "empty AS path (iBGP, our own route)"
    wait_for 10 x_received "2/4 next hop ::ffff:10.0.0.2: 2001:db8:b1::/48 label 3" ||
        fail "we did not receive BIRD's route: $(grep received "$WORK/x.log")"
    [ "$(x_neighbor 10.0.0.2 | jq '."prefixes-received"."2/4"')" = 1 ] || fail "Adj-RIB-In count"
}

case_restart_bird() {
    start_x "$IBGP_6PE"; start_bird 6pe
    wait_for 15 bird_established || fail "BIRD not Established"
    stop_bird
    wait_for 10 bash -c "[ \"\$(ip netns exec $NX $ISTHMUSCTL --socket $WORK/x.sock --json show bgp neighbor 10.0.0.2 | jq -r .state)\" != Established ]" ||
        fail "isthmusd did not see BIRD go"
    # BIRD's Cease on the way down, as we report it.
    x_neighbor 10.0.0.2 | jq -r '."last-notification-received"' | grep -q '^6/' || fail "no Cease from BIRD"
    start_bird 6pe
    wait_for 20 bird_established || fail "BIRD not Established again: $(birdc_ show protocols all pe1)"
    wait_for 5 bash -c "[ \"\$(ip netns exec $NX $ISTHMUSCTL --socket $WORK/x.sock --json show bgp neighbor 10.0.0.2 | jq -r '.\"established-count\"')\" = 2 ]" ||
        fail "isthmusd established count is not 2"
    wait_for 10 bash -c "ip netns exec $NP birdc -s $WORK/bird.ctl show route all 2001:db8:a1::/48 | grep -q mpls_label_stack" ||
        fail "route not re-advertised after the restart"
}

# isthmusctl clear bgp: soft out re-sends our route (BIRD counts a second import update), soft in
# asks BIRD for its table again (ROUTE-REFRESH: we receive its route a second time), a hard clear
# resets the session with our shutdown text (BIRD logs it) and it comes back.
bird_import_updates() { birdc_ show protocols all pe1 | awk '/Import updates:/ {print $3; exit}'; }
case_clear_bird() {
    start_x "$IBGP_6PE"; start_bird 6pe
    wait_for 15 bird_established || fail "BIRD not Established"
    wait_for 10 bash -c "[ \"\$(ip netns exec $NP birdc -s $WORK/bird.ctl show protocols all pe1 | awk '/Import updates:/ {print \$3; exit}')\" = 1 ]" ||
        fail "BIRD did not count our one route: $(birdc_ show protocols all pe1 | grep -A3 'Route change')"
    wait_for 10 x_received "2/4 .*2001:db8:b1::/48" || fail "no route from BIRD"
    xctl clear bgp 10.0.0.2 soft out | jq -c . | sed 's/^/    isthmusctl: /'
    wait_for 10 bash -c "[ \"\$(ip netns exec $NP birdc -s $WORK/bird.ctl show protocols all pe1 | awk '/Import updates:/ {print \$3; exit}')\" = 2 ]" ||
        fail "soft out: BIRD did not receive our route again ($(bird_import_updates) import updates)"
    xctl clear bgp 10.0.0.2 soft in >/dev/null
    wait_for 10 bash -c "[ \$(grep -cE 'received 2/4 .*2001:db8:b1::/48' $WORK/x.log) -ge 2 ]" ||
        fail "soft in: BIRD's route did not come again after our ROUTE-REFRESH"
    [ "$(x_neighbor 10.0.0.2 | jq '."established-count"')" = 1 ] || fail "a soft clear reset the session"
    xctl clear bgp 10.0.0.2 | jq -c . | sed 's/^/    isthmusctl: /'
    wait_for 10 grep -q 'session cleared by the operator' "$WORK/bird.log" ||
        fail "BIRD did not log our shutdown text: $(grep -i shutdown "$WORK/bird.log")"
    wait_for 20 bash -c "[ \"\$(ip netns exec $NX $ISTHMUSCTL --socket $WORK/x.sock --json show bgp neighbor 10.0.0.2 | jq '.\"established-count\"')\" = 2 ]" ||
        fail "the session did not come back after the hard clear"
    wait_for 15 bird_established || fail "BIRD not Established again"
    ! xctl clear bgp 10.9.9.9 >/dev/null 2>&1 || fail "clearing an unknown neighbor succeeded"
}

# Reload: a neighbor removed and a static route added leave BIRD's session alone (our count stays 1,
# BIRD receives the new route); a changed neighbor is reset (BIRD logs our text); an invalid file is refused
# (exit status 1) and the running configuration stays.
x_config() {  # NEIGHBORS STATIC_ROUTES
    cat >"$WORK/x.json.new" <<CONF
{ "version": 1, "router-id": "10.0.0.1", "log-level": "debug", "control-socket": "$WORK/x.sock",
  "kernel": { "install": false },
  "bgp": { "local-as": 65000, "neighbors": [ $1 ], "redistribute": { "static-routes": true } },
  "static-routes": [ $2 ] }
CONF
    mv "$WORK/x.json.new" "$WORK/x.json"
}
case_reload_bird() {
    local idle='{ "address": "10.0.0.99", "remote-as": 65000, "families": ["ipv6-labeled-unicast"], "passive": true }'
    start_x "$IBGP_6PE, $idle"; start_bird 6pe
    wait_for 15 bird_established || fail "BIRD not Established"
    [ "$(xctl show bgp summary | jq '.neighbors | length')" = 2 ] || fail "two neighbors before the reload"
    x_config "$IBGP_6PE" '{ "prefix": "2001:db8:a1::/48", "blackhole": true }, { "prefix": "2001:db8:a2::/48", "blackhole": true }'
    xctl reload | jq -c . | sed 's/^/    isthmusctl: /'
    wait_for 10 bash -c "ip netns exec $NP birdc -s $WORK/bird.ctl show route all 2001:db8:a2::/48 | grep -q mpls_label_stack" ||
        fail "BIRD did not receive the static route the reload added"
    [ "$(xctl show bgp summary | jq -r '[.neighbors[].address] | join(",")')" = 10.0.0.2 ] || fail "10.0.0.99 is still configured"
    [ "$(x_neighbor 10.0.0.2 | jq '."established-count"')" = 1 ] || fail "the reload reset BIRD's session"
    bird_established || fail "BIRD's session went down"
    x_config "${IBGP_6PE/\"hold-time\": 9/\"hold-time\": 12}" '{ "prefix": "2001:db8:a1::/48", "blackhole": true }'
    xctl reload >/dev/null
    wait_for 10 grep -q 'neighbor configuration changed' "$WORK/bird.log" ||
        fail "BIRD did not see the changed neighbor's session reset with our text"
    wait_for 20 bird_established || fail "BIRD not Established again after the reset"
    wait_for 10 bash -c "! ip netns exec $NP birdc -s $WORK/bird.ctl show route all 2001:db8:a2::/48 | grep -q mpls_label_stack" ||
        fail "BIRD still has the static route the reload removed"
    wait_for 10 bash -c "[ \"\$(ip netns exec $NX $ISTHMUSCTL --socket $WORK/x.sock --json show bgp neighbor 10.0.0.2 | jq -r .state)\" = Established ]" ||
        fail "isthmusd not Established again"
    echo '{ "version": 1, "router-id": "10.0.0.1", "bgp": { "local-as": "x" } }' >"$WORK/x.json"
    local rc=0; xctl reload >"$WORK/reload.out" 2>&1 || rc=$?
    sed 's/^/    isthmusctl: /' "$WORK/reload.out" | head -3
    [ "$rc" = 1 ] || fail "an invalid file was not refused (status $rc)"
    [ "$(x_neighbor 10.0.0.2 | jq -r .state)" = Established ] || fail "the refused reload disturbed the session"
}

case_wrongas_bird() {
    start_x "$WRONG_AS"; start_bird ce
    wait_for 15 bash -c "ip netns exec $NP birdc -s $WORK/bird.ctl show protocols all pe1 | grep -q 'Received: Bad peer AS'" ||
        fail "BIRD did not report Bad peer AS: $(birdc_ show protocols all pe1 | head -8)"
    birdc_ show protocols all pe1 | grep 'Last error' | sed 's/^/    bird: /'
}

case_ce_bird() {
    start_x "$EBGP_CE"; start_bird ce
    wait_for 15 bird_established || fail "BIRD (CE) not Established: $(birdc_ show protocols all pe1)"
    local p; p=$(birdc_ show protocols all pe1)
    [ "$(grep -c 'AF announced: ipv6$' <<<"$p")" = 2 ] || fail "IPv6 unicast not negotiated per BIRD: $p"
    grep -q 'external' <<<"$p" || fail "BIRD does not see an eBGP session"
    wait_for 10 bash -c "ip netns exec $NP birdc -s $WORK/bird.ctl show route all 2001:db8:a1::/48 | grep -q BGP.as_path" ||
        fail "BIRD (CE) has no route from us"
    local r; r=$(birdc_ show route all 2001:db8:a1::/48)
    echo "$r" | sed 's/^/    bird: /'
    grep -q 'BGP.as_path: 65000$' <<<"$r" || fail "AS path 65000"
    grep -q 'BGP.next_hop: 2001:db8:1::1' <<<"$r" || fail "next hop self 2001:db8:1::1"
    ! grep -q mpls_label_stack <<<"$r" || fail "a label toward a CE"
    wait_for 10 x_received "2/1 next hop 2001:db8:1::2.*: 2001:db8:b1::/48 label -" ||
        fail "we did not receive the CE's route: $(grep received "$WORK/x.log")"
}

case_shutdown_bird() {
    start_x "$IBGP_6PE"; start_bird 6pe
    wait_for 15 bird_established || fail "BIRD not Established"
    stop_x
    wait_for 5 bash -c "ip netns exec $NP birdc -s $WORK/bird.ctl show protocols all pe1 | grep -q 'Received: Administrative shutdown'" ||
        fail "BIRD did not report our Cease: $(birdc_ show protocols all pe1 | head -8)"
    birdc_ show protocols all pe1 | grep 'Last error' | sed 's/^/    bird: /'
    # BIRD logs the RFC 9003 text it received.
    grep -i 'shutdown' "$WORK/bird.log" | sed 's/^/    bird log: /'
    grep -q 'isthmusd stopping' "$WORK/bird.log" || fail "RFC 9003 shutdown communication not seen by BIRD"
}

case_md5_bird() {
    start_x "${IBGP_6PE/\"update-source\"/\"password\": \"s3cret\", \"update-source\"}"
    start_bird 6pe 'password "s3cret";'
    wait_for 15 bird_established || fail "BIRD not Established with TCP-MD5: $(birdc_ show protocols all pe1 | head -8)"
    stop_bird; stop_x; : >"$WORK/x.log"
    # Wrong key: the kernel drops the segments; nobody ever gets to OPEN.
    start_x "${IBGP_6PE/\"update-source\"/\"password\": \"other\", \"update-source\"}"
    start_bird 6pe 'password "s3cret";'
    sleep 4
    ! bird_established || fail "Established with a wrong TCP-MD5 key"
    ! grep -q 'OpenSent -> OpenConfirm' "$WORK/x.log" || fail "an OPEN got through with a wrong key"
}

case_gtsm_bird() {
    start_x "${EBGP_CE/\"families\"/\"ttl-security\": 1, \"families\"}"
    start_bird ce 'ttl security on;'
    wait_for 15 bird_established || fail "BIRD not Established with GTSM: $(birdc_ show protocols all pe1 | head -8)"
    [ "$(x_neighbor 2001:db8:1::2 | jq -r .state)" = Established ] || fail "isthmusd not Established"
}

case_maxpfx_bird() {
    local limit='"max-prefixes": { "limit": 2, "action": "teardown", "restart-time": 0 }, "families"'
    start_x "${EBGP_CE/\"families\"/$limit}"
    BIRD_MORE=1 start_bird ce
    wait_for 15 bash -c "ip netns exec $NP birdc -s $WORK/bird.ctl show protocols all pe1 | grep -q 'Received: Maximum number of prefixes reached'" ||
        fail "BIRD did not report the max-prefix Cease: $(birdc_ show protocols all pe1 | head -8)"
    birdc_ show protocols all pe1 | grep 'Last error' | sed 's/^/    bird: /'
    # restart-time 0: the session stays down.
    sleep 3
    ! bird_established || fail "the session came back although restart-time is 0"
    [ "$(x_neighbor 2001:db8:1::2 | jq -r '."last-notification-sent"')" = 6/1 ] || fail "we did not send 6/1"
}

# ---- FRR ---------------------------------------------------------------------
start_frr() {  # 6pe | ce
    mkdir -p "$WORK/frr"; chmod 777 "$WORK/frr"
    if [ "${1:-6pe}" = ce ]; then
        cat >"$WORK/frr/bgpd.conf" <<CONF
hostname frr-ce
router bgp 65001
 bgp router-id 10.0.0.2
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 no bgp network import-check
 timers bgp 3 9
 neighbor 2001:db8:1::1 remote-as 65000
 neighbor 2001:db8:1::1 timers connect 2
 address-family ipv6 unicast
  network 2001:db8:b1::/48
  neighbor 2001:db8:1::1 activate
 exit-address-family
CONF
    else
        cat >"$WORK/frr/bgpd.conf" <<CONF
hostname frr-pe2
router bgp 65000
 bgp router-id 10.0.0.2
 no bgp default ipv4-unicast
 no bgp network import-check
 timers bgp 3 9
 neighbor 10.0.0.1 remote-as 65000
 neighbor 10.0.0.1 timers connect 2
 address-family ipv6 unicast
  network 2001:db8:b1::/48
 exit-address-family
 address-family ipv6 labeled-unicast
  neighbor 10.0.0.1 activate
  neighbor 10.0.0.1 route-map MAPPED out
 exit-address-family
route-map MAPPED permit 10
 set ipv6 next-hop global ::ffff:10.0.0.2
CONF
    fi
    printf 'hostname frr-pe2\n' >"$WORK/frr/zebra.conf"
    chmod 644 "$WORK/frr/"*.conf
    ip netns exec $NP /usr/lib/frr/zebra -d -u frr -g frr -f "$WORK/frr/zebra.conf" -i "$WORK/frr/zebra.pid" \
        -z "$WORK/frr/zserv.api" --vty_socket "$WORK/frr" --log "file:$WORK/frr/zebra.log" 2>/dev/null
    wait_for 5 test -S "$WORK/frr/zserv.api"
    ip netns exec $NP /usr/lib/frr/bgpd -d -u frr -g frr -f "$WORK/frr/bgpd.conf" -i "$WORK/frr/bgpd.pid" \
        -z "$WORK/frr/zserv.api" --vty_socket "$WORK/frr" --log "file:$WORK/frr/bgpd.log"
}
vtysh_() { ip netns exec $NP vtysh --vty_socket "$WORK/frr" "$@"; }
frr_nbr() { vtysh_ -c 'show bgp neighbor 10.0.0.1 json' | jq '."10.0.0.1"'; }
frr_established() { [ "$(frr_nbr | jq -r .bgpState)" = Established ]; }

case_6pe_frr() {
    start_x "$IBGP_6PE"; start_frr
    wait_for 20 frr_established || fail "FRR not Established: $(frr_nbr | jq -c '{bgpState,lastResetDueTo}')"
    local n; n=$(frr_nbr)
    jq -c '{bgpState, afi: .neighborCapabilities.multiprotocolExtensions}' <<<"$n" | sed 's/^/    frr: /'
    [ "$(jq -r '.neighborCapabilities.multiprotocolExtensions.ipv6LabeledUnicast.advertisedAndReceived' <<<"$n")" = true ] ||
        fail "FRR does not report ipv6 labeled-unicast advertised and received"
    wait_for 10 bash -c "ip netns exec $NP vtysh --vty_socket $WORK/frr -c 'show bgp ipv6 labeled-unicast 2001:db8:a1::/48 json' | jq -e '.paths[0]'" ||
        fail "FRR has no 6PE route from us"
    local r; r=$(vtysh_ -c 'show bgp ipv6 labeled-unicast 2001:db8:a1::/48 json')
    jq -c '.paths[0] | {nexthops: [.nexthops[].ip], remoteLabel, origin, locPrf, aspath: .aspath.string}' <<<"$r" | sed 's/^/    frr: /'
    # FRR prints the IPv4-mapped next hop in hex: ::ffff:a00:1 is ::ffff:10.0.0.1.
    [ "$(jq -r '.paths[0].nexthops[0].ip' <<<"$r")" = "::ffff:a00:1" ] || fail "next hop"
    [ "$(jq -r '.paths[0].remoteLabel' <<<"$r")" = 2 ] || fail "label 2"
    [ "$(jq -r '.paths[0].origin' <<<"$r")" = IGP ] || fail "origin"
    [ "$(jq -r '.paths[0].locPrf' <<<"$r")" = 100 ] || fail "local pref"
    wait_for 10 x_received "2/4 next hop ::ffff:10.0.0.2: 2001:db8:b1::/48 label 3" ||
        fail "we did not receive FRR's route: $(grep received "$WORK/x.log")"
}

case_wrongas_frr() {
    wait_link_local
    start_x "$WRONG_AS"; start_frr ce
    local q="show bgp neighbor 2001:db8:1::1 json"
    wait_for 20 bash -c "ip netns exec $NP vtysh --vty_socket $WORK/frr -c '$q' | grep -q 'Bad Peer AS'" ||
        fail "FRR did not report Bad Peer AS: $(vtysh_ -c "$q")"
    vtysh_ -c "$q" | jq -c '.[] | {bgpState, lastNotificationReason, lastResetDueTo}' | sed 's/^/    frr: /'
}

# ---- GoBGP -------------------------------------------------------------------
start_gobgp() {
    cat >"$WORK/gobgpd.toml" <<CONF
[global.config]
  as = 65000
  router-id = "10.0.0.2"
  port = 179
[[neighbors]]
  [neighbors.config]
    neighbor-address = "10.0.0.1"
    peer-as = 65000
  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 9
    keepalive-interval = 3
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-labelled-unicast"
CONF
    ip netns exec $NP gobgpd -f "$WORK/gobgpd.toml" --api-hosts 127.0.0.1:50051 -l warn >"$WORK/gobgpd.log" 2>&1 &
    echo $! >"$WORK/gobgpd.pid"
    wait_for 10 gobgp_ global
    gobgp_ global rib -a ipv6-mpls add 2001:db8:b1::/48 300 nexthop ::ffff:10.0.0.2
}
gobgp_() { ip netns exec $NP gobgp -u 127.0.0.1 -p 50051 "$@"; }
gobgp_established() { [ "$(gobgp_ neighbor 10.0.0.1 -j | jq -r .state.session_state)" = 6 ] || gobgp_ neighbor 10.0.0.1 -j | jq -e '.state.session_state == "established"'; }

case_6pe_gobgp() {
    start_x "$IBGP_6PE"; start_gobgp
    wait_for 20 gobgp_established || fail "GoBGP not Established: $(gobgp_ neighbor 10.0.0.1 -j | jq -c .state)"
    local n; n=$(gobgp_ neighbor 10.0.0.1 -j)
    jq -c '{state: .state.session_state, afi_safis: [.afi_safis[] | {f: .config.family, enabled: .config.enabled, received: .state.received}]}' <<<"$n" | sed 's/^/    gobgp: /'
    # The remote OPEN's capabilities as GoBGP decoded them: MP for AFI 2 / SAFI 4.
    # GoBGP's own account of the capabilities: multiprotocol l3vpn... "advertised and received".
    local t; t=$(gobgp_ neighbor 10.0.0.1)
    grep -A2 'multiprotocol:' <<<"$t" | sed 's/^/    gobgp: /'
    grep -A3 'multiprotocol:' <<<"$t" | grep -qE 'ipv6-labelled-unicast:[[:space:]]*advertised and received' ||
        fail "GoBGP does not report ipv6-labelled-unicast advertised and received"
    wait_for 10 bash -c "ip netns exec $NP gobgp -u 127.0.0.1 -p 50051 neighbor 10.0.0.1 adj-in -a ipv6-mpls -j | grep -q 2001:db8:a1::" ||
        fail "GoBGP has no 6PE route from us"
    local r; r=$(gobgp_ neighbor 10.0.0.1 adj-in -a ipv6-mpls -j)
    echo "    gobgp: $(jq -c '.[]' <<<"$r" | head -3)"
    jq -e '.[][] | select(.nlri.prefix == "2001:db8:a1::/48") | .nlri.labels == [2]' <<<"$r" >/dev/null || fail "label 2"
    # Go prints the 16-byte ::ffff:10.0.0.1 as 10.0.0.1 (net.IP.String); FRR and ExaBGP show the mapped form.
    jq -e '.[][] | select(.nlri.prefix == "2001:db8:a1::/48") | .attrs[] | select(.type == 14) | .nexthop == "10.0.0.1"' <<<"$r" >/dev/null || fail "next hop"
    jq -e '.[][] | select(.nlri.prefix == "2001:db8:a1::/48") | .attrs[] | select(.type == 5) | .value == 100' <<<"$r" >/dev/null || fail "local pref"
    wait_for 10 x_received "2/4 next hop ::ffff:10.0.0.2: 2001:db8:b1::/48 label 300" ||
        fail "we did not receive GoBGP's route: $(grep received "$WORK/x.log")"
}

# ---- ExaBGP ------------------------------------------------------------------
start_exabgp() {
    # The API process: every JSON line ExaBGP writes goes to a file, flushed at once.
    cat >"$WORK/exabgp-api.sh" <<CONF
#!/bin/sh
while IFS= read -r line; do printf '%s\n' "\$line" >>"$WORK/exabgp-api.json"; done
CONF
    chmod 755 "$WORK/exabgp-api.sh"
    cat >"$WORK/exabgp.conf" <<CONF
process recorder {
  run $WORK/exabgp-api.sh;
  encoder json;
}
neighbor 10.0.0.1 {
  router-id 10.0.0.2;
  local-address 10.0.0.2;
  local-as 65000;
  peer-as 65000;
  hold-time 9;
  family { ipv6 nlri-mpls; }
  api { processes [ recorder ]; neighbor-changes; receive { parsed; update; open; notification; } }
  static {
    route ${EXA_PREFIX:-2001:db8:b1::/48} next-hop ::ffff:10.0.0.2 label 400;
  }
}
CONF
    ip netns exec $NP env exabgp.daemon.user=root exabgp.tcp.bind= exabgp.api.cli=false \
        exabgp.log.destination="$WORK/exabgp.log" exabgp "$WORK/exabgp.conf" >"$WORK/exabgp.out" 2>&1 &
    echo $! >"$WORK/exabgp.pid"
}
exa_json() { cat "$WORK/exabgp-api.json" 2>/dev/null || true; }

case_6pe_exabgp() {
    start_x "$IBGP_6PE"; start_exabgp
    wait_for 20 bash -c "grep -q '\"state\": \"up\"' $WORK/exabgp-api.json" || fail "ExaBGP never reported up: $(tail -5 "$WORK/exabgp.out")"
    # ExaBGP's decode of our OPEN: multiprotocol ipv6 nlri-mpls.
    local o; o=$(exa_json | jq -c 'select(.type == "open" and .neighbor.direction == "receive") | .neighbor.open.capabilities' | head -1)
    echo "    exabgp: received OPEN capabilities $o"
    grep -q 'ipv6/nlri-mpls' <<<"$o" || fail "ExaBGP did not see AFI 2/SAFI 4 in our OPEN"
    wait_for 10 bash -c "grep -q '2001:db8:a1::/48' $WORK/exabgp-api.json" || fail "ExaBGP got no route from us"
    local u; u=$(exa_json | jq -c 'select(.type == "update") | .neighbor.message.update' | grep 2001:db8:a1 | head -1)
    echo "    exabgp: $u"
    jq -e '.announce["ipv6 nlri-mpls"]["::ffff:10.0.0.1"][] | select(.nlri == "2001:db8:a1::/48") | .label == [[2]] or .label == [2]' <<<"$u" >/dev/null ||
        fail "next hop ::ffff:10.0.0.1 with label 2"
    jq -e '.attribute."local-preference" == 100 and .attribute.origin == "igp"' <<<"$u" >/dev/null || fail "attributes"
    wait_for 10 x_received "2/4 next hop ::ffff:10.0.0.2: 2001:db8:b1::/48 label 400" ||
        fail "we did not receive ExaBGP's route: $(grep received "$WORK/x.log")"
}

case_ce_to_6pe() {
    # Both peers live in the peer namespace; ExaBGP does not listen, so BIRD has port 179.
    start_x "$IBGP_6PE, $EBGP_CE"; start_bird ce; EXA_PREFIX=2001:db8:e1::/48 start_exabgp
    wait_for 15 bird_established || fail "BIRD (CE) not Established"
    wait_for 20 bash -c "grep -q '\"state\": \"up\"' $WORK/exabgp-api.json" || fail "ExaBGP never reported up"
    wait_for 10 bash -c "grep -q '2001:db8:b1::/48' $WORK/exabgp-api.json" || fail "ExaBGP did not get the CE's prefix"
    local u; u=$(exa_json | jq -c 'select(.type == "update") | .neighbor.message.update' | grep 2001:db8:b1 | head -1)
    echo "    exabgp: $u"
    jq -e '.announce["ipv6 nlri-mpls"]["::ffff:10.0.0.1"][] | select(.nlri == "2001:db8:b1::/48") | .label == [[2]]' <<<"$u" >/dev/null ||
        fail "the CE's prefix is not 6PE with next hop ::ffff:10.0.0.1 and label 2"
    jq -e '.attribute["as-path"] == [65001]' <<<"$u" >/dev/null || fail "AS path [65001]"
}

# ---- run ---------------------------------------------------------------------
for c in $CASES; do
    t=$(date +%s%N)
    make_ns
    : >"$WORK/x.log"
    if ( set -e; "case_${c//-/_}" ); then r=ok; else r=FAILED; FAILED="$FAILED $c"; fi
    stop_x
    cleanup
    # A sanitizer build reports at exit: any report fails the case.
    if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$WORK/x.log"; then
        r=FAILED; FAILED="$FAILED $c"; grep -E -A5 'Sanitizer|runtime error:' "$WORK/x.log" | head -30
    fi
    [ "$r" = ok ] || { echo "  isthmusd log:"; sed 's/^/    /' "$WORK/x.log" | tail -15; }
    printf '%-16s %-6s %6d ms\n' "$c" "$r" $(( ($(date +%s%N) - t) / 1000000 ))
done
printf 'total %d ms\n' $(( ($(date +%s%N) - T0) / 1000000 ))
[ -z "$FAILED" ] || { echo "FAILED:$FAILED"; exit 1; }
