#!/bin/sh
# Captures real LDP PDUs between two FRR ldpd instances in network namespaces
# joined by a veth (PEERS.md, LDP), and writes the hex of every LDP segment to
# frr-ldpd-8.4.4[-dual-stack].txt (and the .pcapng) in the output directory.
# Needs root, FRR (zebra, ldpd, vtysh) and tshark. See README.md.
# Usage: capture-frr.sh [output-dir] [dual]
#   dual: also IPv6 (address-family ipv6 in ldpd, RFC 7552 dual-stack)
set -eu
OUT=$(cd "${1:-$(dirname "$0")}" && pwd)
DUAL=${2:-}
NAME=frr-ldpd-8.4.4
[ "$DUAL" = dual ] && NAME=frr-ldpd-8.4.4-dual-stack
WORK=$(mktemp -d /tmp/ldp-capture.XXXXXX)
chmod 755 "$WORK"
FRR=/usr/lib/frr
PIDS=""

cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    for ns in ldpcapA ldpcapB; do
        for f in "$WORK/$ns"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
        ip netns del "$ns" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add ldpcapA
ip netns add ldpcapB
ip link add vA netns ldpcapA type veth peer name vB netns ldpcapB

setup() {  # ns ifname lo-addr link-addr peer-lo peer-link
    ip -n "$1" link set lo up
    ip -n "$1" link set "$2" up
    ip -n "$1" addr add "$3/32" dev lo
    ip -n "$1" addr add "$4/24" dev "$2"
    ip -n "$1" route add "$5/32" via "$6"
}
setup ldpcapA vA 1.1.1.1 10.0.12.1 2.2.2.2 10.0.12.2
setup ldpcapB vB 2.2.2.2 10.0.12.2 1.1.1.1 10.0.12.1
setup6() {  # ns ifname lo-addr link-addr peer-lo peer-link
    ip -n "$1" -6 addr add "$3/128" dev lo
    ip -n "$1" -6 addr add "$4/64" dev "$2" nodad
    ip -n "$1" -6 route add "$5/128" via "$6"
}
if [ "$DUAL" = dual ]; then
    setup6 ldpcapA vA 2001:db8::1 2001:db8:12::1 2001:db8::2 2001:db8:12::2
    setup6 ldpcapB vB 2001:db8::2 2001:db8:12::2 2001:db8::1 2001:db8:12::1
    sleep 2  # link-local addresses leave DAD
fi

ip netns exec ldpcapA tshark -q -i vA -f 'port 646' -w "$WORK/ldp.pcapng" 2>/dev/null &
PIDS="$PIDS $!"
sleep 2

start_frr() {  # ns ifname router-id peer-id [ipv6 transport address]
    d="$WORK/$1"
    v6=""
    [ -n "${5:-}" ] && v6=" address-family ipv6
  discovery transport-address $5
  interface $2
 exit-address-family
"
    mkdir -p "$d"
    chmod 777 "$d"
    printf 'hostname %s\n' "$1" >"$d/zebra.conf"
    cat >"$d/ldpd.conf" <<CONF
hostname $1
mpls ldp
 router-id $3
 neighbor $4 session holdtime 15
 address-family ipv4
  discovery transport-address $3
  interface $2
 exit-address-family
${v6}exit
CONF
    ip netns exec "$1" "$FRR/zebra" -d -u frr -g frr -f "$d/zebra.conf" -i "$d/zebra.pid" \
        -z "$d/zserv.api" --vty_socket "$d" --log "file:$d/zebra.log"
    sleep 1
    ip netns exec "$1" "$FRR/ldpd" -d -u frr -g frr -f "$d/ldpd.conf" -i "$d/ldpd.pid" \
        -z "$d/zserv.api" --vty_socket "$d" --ctl_socket "$d" --log "file:$d/ldpd.log"
}
if [ "$DUAL" = dual ]; then
    start_frr ldpcapA vA 1.1.1.1 2.2.2.2 2001:db8::1
    start_frr ldpcapB vB 2.2.2.2 1.1.1.1 2001:db8::2
else
    start_frr ldpcapA vA 1.1.1.1 2.2.2.2
    start_frr ldpcapB vB 2.2.2.2 1.1.1.1
fi

vty() { ip netns exec "$1" vtysh --vty_socket "$WORK/$1" -c "$2"; }

for i in $(seq 1 40); do
    if vty ldpcapA 'show mpls ldp neighbor' 2>/dev/null | grep -q OPERATIONAL; then break; fi
    sleep 1
done
vty ldpcapA 'show mpls ldp neighbor' || true
sleep 8                                    # bindings and keepalives (5 s with holdtime 15)
ip -n ldpcapB addr add 2.2.2.22/32 dev lo  # Address + Label Mapping
sleep 4
ip -n ldpcapB addr del 2.2.2.22/32 dev lo  # Address Withdraw + Label Withdraw, Label Release back
sleep 4
vty ldpcapA 'show mpls ldp binding' || true
vty ldpcapA 'clear mpls ldp neighbor' || true  # Notification (Shutdown)
sleep 6
vty ldpcapA 'show mpls ldp neighbor' || true
sleep 2

cleanup
trap - EXIT
# One line per TCP segment or UDP datagram carrying LDP: frame, source (IPv4 or
# IPv6; tshark leaves the other field empty), hex payload.
tshark -r "$WORK/ldp.pcapng" -Y 'tcp.len > 0 || udp' -T fields -E separator=' ' \
    -e frame.number -e ip.src -e ipv6.src -e tcp.payload -e udp.payload >"$OUT/$NAME.txt" 2>/dev/null
tshark -r "$WORK/ldp.pcapng" -Y ldp -V -O ldp 2>/dev/null >"$WORK/decoded.txt" || true
cp "$WORK/ldp.pcapng" "$OUT/$NAME.pcapng"
echo "captured $(wc -l <"$OUT/$NAME.txt") segments into $OUT/$NAME.txt ($WORK kept for logs)"
