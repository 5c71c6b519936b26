#!/bin/sh
# isthmusd ldp.igp-sync hook for BIRD 2 OSPF (RFC 5443 by hand). BIRD has no command to change a
# cost at run time, so the costs live in a file BIRD includes, one variable per interface, and the
# hook rewrites it and asks BIRD to reconfigure (a soft change: adjacencies stay up).
# In bird.conf:
#     include "/etc/bird/ldp-sync.conf";      # defines ldp_cost_<if>, written by this hook
#     protocol ospf v2 core { area 0 { interface "core0" { cost ldp_cost_core0; }; }; }
# and create /etc/bird/ldp-sync.conf once with "define ldp_cost_core0 = 65535;" per interface.
# Called as: bird-ospf.sh INTERFACE synced|unsynced   (BIRD_CTL: birdc's socket, optional)
set -eu
ifname=$1 state=$2
file=${LDP_SYNC_CONF:-/etc/bird/ldp-sync.conf}
normal=$(cat "/etc/isthmus/igp-cost.$ifname" 2>/dev/null || echo 10)
case $state in
  unsynced) cost=65535 ;;
  synced) cost=$normal ;;
  *) echo "usage: $0 INTERFACE synced|unsynced" >&2; exit 2 ;;
esac
var=ldp_cost_$(printf '%s' "$ifname" | tr -c 'A-Za-z0-9_\n' _)
tmp=$file.$$
{ grep -v "^define $var " "$file" 2>/dev/null || true; echo "define $var = $cost;"; } >"$tmp"
mv "$tmp" "$file"
exec birdc ${BIRD_CTL:+-s "$BIRD_CTL"} configure soft
