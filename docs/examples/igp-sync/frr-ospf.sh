#!/bin/sh
# isthmusd ldp.igp-sync hook for FRR ospfd (RFC 5443 by hand): while LDP on INTERFACE is not
# usable, advertise the link at the maximum OSPF cost so labelled traffic avoids it; restore the
# configured cost when it is. Called as: frr-ospf.sh INTERFACE synced|unsynced
# Needs vtysh access (the isthmus user in the frrvty group). The normal cost comes from
# /etc/isthmus/igp-cost.<INTERFACE> when present (default 10).
set -eu
ifname=$1 state=$2
normal=$(cat "/etc/isthmus/igp-cost.$ifname" 2>/dev/null || echo 10)
case $state in
  unsynced) cost=65535 ;;
  synced) cost=$normal ;;
  *) echo "usage: $0 INTERFACE synced|unsynced" >&2; exit 2 ;;
esac
exec vtysh -c 'configure terminal' -c "interface $ifname" -c "ip ospf cost $cost"
