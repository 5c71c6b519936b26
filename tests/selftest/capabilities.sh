#!/usr/bin/env bash
# isthmusd with exactly the unit's privileges (systemd/isthmusd.service): an unprivileged user with
# only CAP_NET_ADMIN and CAP_NET_BIND_SERVICE, in a network namespace of its own. It must start,
# bind BGP's 179 and LDP's 646, answer isthmusctl, and hold no other capability; without
# CAP_NET_BIND_SERVICE it must refuse to start and say why.
# Runs in the MPLS VM (an LDP router installs label routes, so "kernel.install" stays on).
# Usage: capabilities.sh ISTHMUSD ISTHMUSCTL   (as root)
set -euo pipefail
isthmusd=$1
ctl=$2
ns=isthmus-caps-$$
work=$(mktemp -d)
chmod 0777 "$work"
pid=
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source "$(dirname "$0")/../lib/check.sh"

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" addr add 192.0.2.1/32 dev lo
ip -n "$ns" link add core0 type veth peer name core1
ip -n "$ns" link set core1 up
modprobe mpls_router 2>/dev/null || true
ip netns exec "$ns" sysctl -qw net.mpls.platform_labels=100000 net.mpls.conf.core0.input=1
ip -n "$ns" addr add 10.0.0.1/30 dev core0
ip -n "$ns" link set core0 up

cat > "$work/isthmusd.json" <<JSON
{ "version": 1, "router-id": "192.0.2.1", "control-socket": "$work/run/isthmusd.sock",
  "ldp": { "interfaces": [ { "name": "core0" } ] },
  "bgp": { "local-as": 65000,
           "neighbors": [ { "address": "192.0.2.2", "remote-as": 65000, "passive": true,
                            "families": ["ipv6-labeled-unicast"] } ] } }
JSON

run_as_daemon() {  # run_as_daemon CAPS...: isthmusd as nobody with exactly CAPS
  local caps
  caps=$(printf ',+%s' "$@")
  exec ip netns exec "$ns" setpriv --reuid=nobody --regid=nogroup --clear-groups \
    --inh-caps="-all$caps" --ambient-caps="-all$caps" --bounding-set="-all$caps" \
    "$isthmusd" --config "$work/isthmusd.json"
}

run_as_daemon net_admin net_bind_service 2> "$work/log" &
pid=$!
for _ in $(seq 100); do [ -S "$work/run/isthmusd.sock" ] && break; sleep 0.1; done
check "isthmusd starts as nobody and opens its control socket" test -S "$work/run/isthmusd.sock"
# The daemon is the child of setpriv's exec chain: same pid (setpriv and ip netns exec exec).
status=/proc/$pid/status
check "it runs as nobody" bash -c "grep -qE '^Uid:\s+$(id -u nobody)\s' $status"
# CAP_NET_BIND_SERVICE is bit 10, CAP_NET_ADMIN bit 12: 0x1400 and nothing else.
check "its effective capabilities are exactly NET_ADMIN and NET_BIND_SERVICE" \
  grep -qE '^CapEff:\s+0000000000001400$' "$status"
check "its bounding set holds nothing more" grep -qE '^CapBnd:\s+0000000000001400$' "$status"
listening() { ip netns exec "$ns" ss -Hlnp "$@" | grep -q "pid=$pid,"; }
check "it listens on TCP 179 (BGP)" listening -t 'sport = :179'
check "it listens on TCP 646 (LDP sessions)" listening -t 'sport = :646'
check "it listens on UDP 646 (LDP discovery)" listening -u 'sport = :646'
check "isthmusctl talks to it" bash -c "'$ctl' --socket '$work/run/isthmusd.sock' show version | grep -q 'router-id: *192.0.2.1'"
kill -TERM "$pid" 2>/dev/null || true; wait "$pid" || true; pid=

set +e
(run_as_daemon net_admin) 2> "$work/log2"
rc=$?
set -e
check "without CAP_NET_BIND_SERVICE it refuses to start" test "$rc" -ne 0
check "and says which port it could not bind" grep -qE '(179|646).*(ermission|denied)|(ermission|denied).*(179|646)' "$work/log2"
echo "  refusal: $(grep -E 'critical|error' "$work/log2" | head -1)"
[ "$failures" -eq 0 ] || { echo "--- daemon log"; cat "$work/log" "$work/log2"; }
check_done capabilities
