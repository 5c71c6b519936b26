#!/bin/bash
# Captures real BGP sessions in which BIRD 2, FRR, GoBGP or ExaBGP *sends*
#   6pe:   IPv6 labeled unicast (AFI 2/SAFI 4) over an IPv4 iBGP session, AS 65000,
#          next hop ::ffff:10.0.0.1 (RFC 4798)
#          (no IPv6 global address on the link: see 6pe-ifv6)
#   6pe-ifv6: the same with IPv6 global addresses on the link too (FRR then sends the
#          interface's global + link-local IPv6 next hop instead of ::ffff:10.0.0.1)
#   6pe-noglobal: FRR only, 6pe without the route-map that sets ::ffff:10.0.0.1: FRR 8.4.4
#          then sends link-local + link-local (32 bytes) and BIRD does not take the routes
#   ipv6:  IPv6 unicast (AFI 2/SAFI 1) over an IPv6 eBGP session, AS 65001 -> 65000 (as a CE)
# to a BIRD 2 receiver, in two network namespaces joined by a veth, with tshark
# on the receiver's end. Writes <impl>-<case>.pcapng and <impl>-<case>.txt (one
# BGP message per line, see README.md) into the output directory.
# Needs root, bird2, frr, gobgpd, exabgp, tshark (installed with apt-get if missing).
# Usage: [CASES="6pe ipv6"] capture-peers.sh [output-dir] [impl ...]
#   impl: bird frr gobgp exabgp (default all); CASES default "6pe ipv6", plus 6pe-ifv6 6pe-noglobal for frr
set -euo pipefail
OUT=$(cd "${1:-$(dirname "$0")}" && pwd)
shift || true
IMPLS=${*:-bird frr gobgp exabgp}
WORK=$(mktemp -d /tmp/bgp-capture.XXXXXX)
chmod 755 "$WORK"
NS_S=bgpcapS   # sender
NS_R=bgpcapR   # receiver (BIRD) + tshark
PIDS=""

need() {  # command package
    command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] || {
        apt-get install -y "$2" >/dev/null
    }
}
need bird bird2
need /usr/lib/frr/bgpd frr
need gobgpd gobgpd
need exabgp exabgp
need tshark tshark

stop_all() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    for f in "$WORK"/*/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
    sleep 1
    for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done
    PIDS=""
    ip netns del $NS_S 2>/dev/null || true
    ip netns del $NS_R 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 1' INT TERM

make_ns() {  # case
    ip netns del $NS_S 2>/dev/null || true
    ip netns del $NS_R 2>/dev/null || true
    ip netns add $NS_S
    ip netns add $NS_R
    ip link add vS netns $NS_S type veth peer name vR netns $NS_R
    for ns in $NS_S $NS_R; do ip -n $ns link set lo up; done
    ip -n $NS_S addr add 10.0.0.1/24 dev vS
    ip -n $NS_R addr add 10.0.0.2/24 dev vR
    if [ "$1" != 6pe ] && [ "$1" != 6pe-noglobal ]; then
        ip -n $NS_S -6 addr add 2001:db8:1::1/64 dev vS nodad
        ip -n $NS_R -6 addr add 2001:db8:1::2/64 dev vR nodad
    fi
    ip -n $NS_S link set vS up
    ip -n $NS_R link set vR up
    sleep 2  # link-local addresses leave DAD
}

# The receiver: BIRD, passive, imports everything, exports nothing.
start_receiver() {  # case
    local d="$WORK/recv" chan nbr local las
    mkdir -p "$d"
    if [ "$1" = 6pe ]; then
        chan="ipv6 mpls { extended next hop on; import all; export none; };"
        nbr="10.0.0.1 as 65000"; local="10.0.0.2"
    else
        chan="ipv6 { import all; export none; };"
        nbr="2001:db8:1::1 as 65001"; local="2001:db8:1::2"
    fi
    cat >"$d/bird.conf" <<CONF
router id 10.0.0.2;
protocol device { }
protocol bgp sender {
  local $local as 65000;
  neighbor $nbr;
  passive on;
  hold time 9; keepalive time 3;
  $chan
}
CONF
    ip netns exec $NS_R bird -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid"
}
recv_cli() { ip netns exec $NS_R birdc -s "$WORK/recv/bird.ctl" "$@"; }

wait_routes() {  # count: poll the receiver (bounded, 40 s)
    for _ in $(seq 1 80); do
        n=$(recv_cli show route count 2>/dev/null | awk '/ of .* routes/ { n += $1 } END { print n + 0 }')
        [ "${n:-0}" -ge "$1" ] && { recv_cli show route all || true; return 0; }
        sleep 0.5
    done
    echo "timeout waiting for $1 routes" >&2
    recv_cli show protocols all sender || true
    return 1
}

# ---- senders ----------------------------------------------------------------
# Each: start_<impl> case; withdraw_<impl> case (withdraws one prefix, optional).

start_bird() {
    local d="$WORK/send"; mkdir -p "$d"
    if [ "$1" = 6pe ]; then
        cat >"$d/bird.conf" <<CONF
router id 10.0.0.1;
protocol device { }
protocol static s6 {
  ipv6;
  route 2001:db8:100::/48 blackhole;
  route 2001:db8:101::/64 blackhole;
}
protocol static s6b {
  ipv6;
  route 2001:db8:102::/56 blackhole;
}
protocol bgp recv {
  local 10.0.0.1 as 65000;
  neighbor 10.0.0.2 as 65000;
  hold time 9; keepalive time 3; connect retry time 2;
  ipv6 mpls { extended next hop on; next hop self; import none; export all; };
}
CONF
    else
        cat >"$d/bird.conf" <<CONF
router id 10.0.0.1;
protocol device { }
protocol static s6 {
  ipv6;
  route 2001:db8:100::/48 unreachable;
  route 2001:db8:101::/64 unreachable;
}
protocol static s6b {
  ipv6;
  route 2001:db8:102::/56 unreachable;
}
protocol bgp recv {
  local 2001:db8:1::1 as 65001;
  neighbor 2001:db8:1::2 as 65000;
  hold time 9; keepalive time 3; connect retry time 2;
  ipv6 { import none; export all; };
}
CONF
    fi
    ip netns exec $NS_S bird -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid"
}
bird_cli() { ip netns exec $NS_S birdc -s "$WORK/send/bird.ctl" "$@"; }
routes_bird() { echo 3; }
withdraw_bird() { bird_cli disable s6b; }
stop_bird() { bird_cli down || true; }

start_frr() {
    local d="$WORK/send"; mkdir -p "$d"; chmod 777 "$d"
    if [ "$1" = 6pe ]; then
        cat >"$d/bgpd.conf" <<CONF
hostname frr-sender
router bgp 65000
 bgp router-id 10.0.0.1
 no bgp default ipv4-unicast
 no bgp network import-check
 timers bgp 3 9
 neighbor 10.0.0.2 remote-as 65000
 neighbor 10.0.0.2 timers connect 2
 address-family ipv6 unicast
  network 2001:db8:200::/48
  network 2001:db8:201::/64
  network 2001:db8:202::/56
 exit-address-family
 address-family ipv6 labeled-unicast
  neighbor 10.0.0.2 activate
$( [ "$FULLCASE" = 6pe ] && echo "  neighbor 10.0.0.2 route-map MAPPED out" || true)
 exit-address-family
route-map MAPPED permit 10
 set ipv6 next-hop global ::ffff:10.0.0.1
CONF
    else
        cat >"$d/bgpd.conf" <<CONF
hostname frr-sender
router bgp 65001
 bgp router-id 10.0.0.1
 no bgp default ipv4-unicast
 no bgp ebgp-requires-policy
 no bgp network import-check
 timers bgp 3 9
 neighbor 2001:db8:1::2 remote-as 65000
 neighbor 2001:db8:1::2 timers connect 2
 address-family ipv6 unicast
  network 2001:db8:200::/48
  network 2001:db8:201::/64
  network 2001:db8:202::/56
  neighbor 2001:db8:1::2 activate
 exit-address-family
CONF
    fi
    chmod 644 "$d/bgpd.conf"
    printf 'hostname frr-sender\n' >"$d/zebra.conf"
    ip netns exec $NS_S /usr/lib/frr/zebra -d -u frr -g frr -f "$d/zebra.conf" -i "$d/zebra.pid" \
        -z "$d/zserv.api" --vty_socket "$d" --log "file:$d/zebra.log"
    sleep 1
    ip netns exec $NS_S /usr/lib/frr/bgpd -d -u frr -g frr -f "$d/bgpd.conf" -i "$d/bgpd.pid" \
        -z "$d/zserv.api" --vty_socket "$d" --log "file:$d/bgpd.log"
}
frr_cli() { ip netns exec $NS_S vtysh --vty_socket "$WORK/send" "$@"; }
routes_frr() { echo 3; }
withdraw_frr() {
    local as=65000; [ "$1" = ipv6 ] && as=65001
    frr_cli -c 'configure terminal' -c "router bgp $as" -c 'address-family ipv6 unicast' \
        -c 'no network 2001:db8:202::/56'
}
stop_frr() { kill "$(cat "$WORK/send/bgpd.pid")" 2>/dev/null || true; }

start_gobgp() {
    local d="$WORK/send"; mkdir -p "$d"
    local as=65000 nbr=10.0.0.2 fam=ipv6-labelled-unicast
    [ "$1" = ipv6 ] && { as=65001; nbr=2001:db8:1::2; fam=ipv6-unicast; }
    cat >"$d/gobgpd.toml" <<CONF
[global.config]
  as = $as
  router-id = "10.0.0.1"
  port = 179
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$nbr"
    peer-as = 65000
  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 9
    keepalive-interval = 3
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "$fam"
CONF
    ip netns exec $NS_S gobgpd -f "$d/gobgpd.toml" --api-hosts 127.0.0.1:50051 -l warn \
        >"$d/gobgpd.log" 2>&1 &
    PIDS="$PIDS $!"
    echo $! >"$d/gobgpd.pid"
    for _ in $(seq 1 20); do gobgp_cli global >/dev/null 2>&1 && break; sleep 0.5; done
    if [ "$1" = 6pe ]; then
        # (-a ipv6-lu, as in PEERS.md, is refused by gobgp 3.10: "unsupported address family")
        gobgp_cli global rib -a ipv6-mpls add 2001:db8:300::/48 300 nexthop ::ffff:10.0.0.1 \
            origin igp local-pref 200 med 50
        gobgp_cli global rib -a ipv6-mpls add 2001:db8:301::/64 301 nexthop ::ffff:10.0.0.1
        gobgp_cli global rib -a ipv6-mpls add 2001:db8:302::/56 302/303 nexthop ::ffff:10.0.0.1
    else
        gobgp_cli global rib -a ipv6 add 2001:db8:300::/48 nexthop 2001:db8:1::1 origin igp med 50
        gobgp_cli global rib -a ipv6 add 2001:db8:301::/64 nexthop 2001:db8:1::1
        gobgp_cli global rib -a ipv6 add 2001:db8:302::/56 nexthop 2001:db8:1::1
    fi
}
gobgp_cli() { ip netns exec $NS_S gobgp -u 127.0.0.1 -p 50051 "$@"; }
routes_gobgp() { echo 3; }
withdraw_gobgp() {
    if [ "$1" = 6pe ]; then
        gobgp_cli global rib -a ipv6-mpls del 2001:db8:302::/56 302/303 nexthop ::ffff:10.0.0.1
    else
        gobgp_cli global rib -a ipv6 del 2001:db8:302::/56
    fi
}
stop_gobgp() { gobgp_cli neighbor "$( [ "$1" = ipv6 ] && echo 2001:db8:1::2 || echo 10.0.0.2)" disable || true; }

start_exabgp() {
    local d="$WORK/send"; mkdir -p "$d"
    if [ "$1" = 6pe ]; then
        cat >"$d/exabgp.conf" <<CONF
neighbor 10.0.0.2 {
  router-id 10.0.0.1;
  local-address 10.0.0.1;
  local-as 65000;
  peer-as 65000;
  hold-time 9;
  family { ipv6 nlri-mpls; }
  static {
    route 2001:db8:400::/48 next-hop ::ffff:10.0.0.1 label 400 origin igp local-preference 200 med 50;
    route 2001:db8:401::/64 next-hop ::ffff:10.0.0.1 label 401;
    route 2001:db8:402::/56 next-hop ::ffff:10.0.0.1 label [ 402 403 ];
  }
}
CONF
    else
        cat >"$d/exabgp.conf" <<CONF
neighbor 2001:db8:1::2 {
  router-id 10.0.0.1;
  local-address 2001:db8:1::1;
  local-as 65001;
  peer-as 65000;
  hold-time 9;
  family { ipv6 unicast; }
  static {
    route 2001:db8:400::/48 next-hop 2001:db8:1::1 origin igp as-path [ 65001 ] med 50;
    route 2001:db8:401::/64 next-hop 2001:db8:1::1 as-path [ 65001 ];
    route 2001:db8:402::/56 next-hop 2001:db8:1::1 as-path [ 65001 65010 ];
  }
}
CONF
    fi
    ip netns exec $NS_S env exabgp.daemon.user=root exabgp.tcp.bind= exabgp.api.cli=false \
        exabgp.log.destination="$d/exabgp.log" exabgp "$d/exabgp.conf" >"$d/exabgp.out" 2>&1 &
    PIDS="$PIDS $!"
    echo $! >"$d/exabgp.pid"
}
routes_exabgp() { echo 3; }
withdraw_exabgp() { :; }   # static routes only: no withdraw captured
stop_exabgp() { kill "$(cat "$WORK/send/exabgp.pid")" 2>/dev/null || true; }

version_of() {
    case $1 in
        bird) bird --version 2>&1 | head -1 ;;
        frr) echo "FRR $(/usr/lib/frr/bgpd --version 2>&1 | sed -n 's/^bgpd version //p')" ;;
        gobgp) gobgpd --version ;;
        exabgp) exabgp --version 2>&1 | sed -n 's/^ExaBGP : /ExaBGP /p' ;;
    esac
}

# One line per BGP message: "<direction> <hex>", direction "S" (sender -> receiver)
# or "R" (receiver -> sender). TCP payloads are joined per connection and direction
# in frame order, then split by the BGP length field.
split_messages() {  # pcap
    tshark -r "$1" -Y 'tcp.len > 0' -T fields -E separator=' ' \
        -e tcp.stream -e tcp.srcport -e tcp.dstport -e tcp.payload 2>/dev/null |
    python3 -c '
import sys
streams = {}
order = []
for line in sys.stdin:
    f = line.split()
    if len(f) < 4: continue
    stream, sport, dport, payload = f[0], f[1], f[2], f[3].replace(":", "")
    key = (stream, "S" if dport == "179" else "R")
    if key not in streams: streams[key] = ""; order.append(key)
    streams[key] += payload
    buf = bytes.fromhex(streams[key])
    while len(buf) >= 19 and len(buf) >= int.from_bytes(buf[16:18], "big"):
        n = int.from_bytes(buf[16:18], "big")
        print(key[1], buf[:n].hex())
        buf = buf[n:]
    streams[key] = buf.hex()
'
}

capture() {  # impl case
    local impl=$1 case=${2%-*} name="$1-$2"
    FULLCASE=$2
    echo "=== $name"
    rm -rf "$WORK/send" "$WORK/recv"
    make_ns "$2"
    ip netns exec $NS_R tshark -q -i vR -f 'tcp port 179' -w "$WORK/$name.pcapng" 2>/dev/null &
    local tpid=$!
    PIDS="$PIDS $tpid"
    sleep 2
    start_receiver "$case"
    "start_$impl" "$case"
    local ok=1
    wait_routes "$("routes_$impl")" || ok=0
    sleep 4                    # End-of-RIB and a keepalive or two
    "withdraw_$impl" "$case" || true
    sleep 3
    "stop_$impl" "$case"       # a NOTIFICATION (Cease), for those that send one
    sleep 2
    kill -INT $tpid; wait $tpid 2>/dev/null || true
    stop_all
    {
        echo "# $name: $(version_of "$impl") sending $FULLCASE routes to $(version_of bird) (receiver)"
        echo "# made by tests/data/bgp/capture/capture-peers.sh $impl on $(date -u +%Y-%m-%d) with $(tshark --version | head -1)"
        echo "# one BGP message per line: S = from the sender ($impl), R = from the receiver (BIRD); hex"
        split_messages "$WORK/$name.pcapng"
    } >"$OUT/$name.txt"
    cp "$WORK/$name.pcapng" "$OUT/$name.pcapng"
    chmod 644 "$OUT/$name.pcapng"
    mkdir -p "$WORK/logs/$name"; cp -r "$WORK/send" "$WORK/recv" "$WORK/logs/$name/" 2>/dev/null || true
    echo "$name: $(grep -c '^[SR] ' "$OUT/$name.txt") messages (routes seen: $ok)"
}

for impl in $IMPLS; do
    extra=""
    [ "$impl" = frr ] && extra="6pe-ifv6 6pe-noglobal"
    cases=${CASES:-6pe ipv6 $extra}
    for case in $cases; do
        capture "$impl" "$case" || echo "$impl-$case FAILED"
    done
done
echo "logs and configs in $WORK/logs"
