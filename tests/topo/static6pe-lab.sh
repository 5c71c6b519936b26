#!/bin/bash
# The static 6PE lab (the demo before isthmusd installed routes itself): builds the static 6PE
# topology and shows how IPv6 crosses the IPv4/MPLS core. It shows; tests/selftest/static6pe.sh
# asserts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/static6pe.sh"

step() { printf '\n=== %s\n' "$*"; }
show() { echo "[$1]# ${*:2}"; topo_exec "$@"; }        # show NODE cmd...: the command, then its output
core_links=(pe1:core p:west p:east pe2:core)
snapshot() {    # labelled packets each core interface has received and sent so far
    local ep
    for ep in "${core_links[@]}"; do
        echo "$(mpls_counter "${ep%:*}" "${ep#*:}" rx packets) $(mpls_counter "${ep%:*}" "${ep#*:}" tx packets)"
    done
}

step "Topology (network namespaces and veth links)"
static6pe_up
topo_show

step "pe1: IPv6 routing table"
echo "The route to ce2's prefix pushes labels [$S6_LABEL, 2] ($S6_LABEL: pe2's LDP label; 2: the BGP label,"
echo "IPv6 explicit null) and goes via the IPv4-mapped address of p, the directly connected core router."
show pe1 ip -6 route show

step "p: its LFIB (p runs IPv4 and MPLS only: no IPv6 at all)"
show p ip -f mpls route show
show p sysctl net.ipv6.conf.all.disable_ipv6

step "ping -6 from ce1 to ce2 ($S6_CE2)"
mapfile -t before < <(snapshot)
show ce1 ping -6 -n -c 5 -i 0.2 -W 1 "$S6_CE2"
mapfile -t after < <(snapshot)

step "MPLS packet counters of the core interfaces (kernel afstats), before -> after the ping"
echo "Every request and every reply crossed the core labelled (p has no IPv6: it could not forward them otherwise)."
for i in "${!core_links[@]}"; do
    read -r rx0 tx0 <<< "${before[i]}"; read -r rx1 tx1 <<< "${after[i]}"
    printf '  %-9s received %2s -> %2s (+%s)   sent %2s -> %2s (+%s)\n' \
        "${core_links[i]}" "$rx0" "$rx1" "$((rx1 - rx0))" "$tx0" "$tx1" "$((tx1 - tx0))"
done

step "traceroute -6 from ce1 to ce2"
if command -v traceroute >/dev/null; then
    echo "Expect '*' for p: Linux sends no ICMP when an MPLS TTL expires (it drops the packet), so the"
    echo "P router is invisible to traceroute; the hops after it answer."
    show ce1 traceroute -6 -n -q 1 -w 1 -m 6 "$S6_CE2" || true
else
    echo "(traceroute is not installed; Debian package 'traceroute')"
fi

step "Done: IPv6 crossed an IPv6-less core on labels. The labels here are static; isthmusd will"
echo "learn them from BGP (6PE, RFC 4798) and LDP, which it already speaks, once its resolver is wired in."
