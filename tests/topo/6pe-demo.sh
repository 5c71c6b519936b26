#!/bin/bash
# The demo's show-and-tell (scripts/demo-lab.sh runs it through tests/vm/vm-run): the 6PE protocol
# lab of tests/topo/6pe-lab.topo with every daemon running, each step shown with the command that
# shows it. It shows; tests/e2e/six-pe.sh asserts.
#   tests/vm/vm-run --timeout 400 -- tests/topo/6pe-demo.sh path/to/isthmusd
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
LAB_ISTHMUSD=$(realpath "${1:-$here/../../build/daemon/isthmusd}")
LAB_LOG_LEVEL=info
# shellcheck source=tests/topo/6pe-lab.sh
source "$here/6pe-lab.sh"
[[ $EUID == 0 ]] || { echo "6pe-demo: needs root (network namespaces)" >&2; exit 1; }

step() { printf '\n=== %s\n' "$*"; }
say() { printf '%s\n' "$@"; }
show() { echo "[$1]# ${*:2}"; topo_exec "$@" || true; }     # show NODE cmd...: the command, then its output
ctl() { echo "[$1]# isthmusctl ${*:2}"; lab_ctl_text "$@" || true; }
birdc_show() { echo "[$1]# birdc ${*:2}"; lab_birdc "$@" | sed '/^BIRD .* ready\.$/d' || true; }
wait_until() {   # SECONDS CMD...: poll quietly
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do ((SECONDS < deadline)) || return 1; sleep 0.5; done
}
elapsed() { local ms; ms=$(lab_elapsed_ms); echo "$((ms / 1000)).$(((ms % 1000) / 100)) s"; }
finish() { local rc=$?; ((rc == 0)) || lab_logs 15; lab_down; }

step "Topology: five network namespaces, veth links"
lab_up
trap finish EXIT
lab_wait_ready
topo_show
say "" "Daemons started: BIRD OSPFv2 on pe1, p, pe2 (the core IGP, loopbacks as stubs); BIRD BGP on ce1 and ce2;" \
    "isthmusd on pe1 and pe2 (6PE iBGP between the loopbacks, eBGP to the CE, LDP to p) and on p (LDP only)."

CE1_LAN=$(lab_lan ce1) CE2_LAN=$(lab_lan ce2) CE2_NET=$(lab_lan_prefix ce2)
pingable() { topo_exec ce1 ping -6 -n -c 1 -W 1 -I "$CE1_LAN" "$CE2_LAN"; }
step "Waiting for the protocols to converge (OSPF, LDP, BGP; up to 3 minutes in the VM)"
if wait_until 180 pingable; then
    say "ce1 reaches ce2 $(elapsed) after the daemons started."
else
    say "ce1 does not reach ce2 after $(elapsed); showing the state anyway."
fi

step "Sessions: BGP on pe1 (6PE to pe2's loopback, IPv6 unicast to ce1) and LDP along the core"
ctl pe1 show bgp summary
ctl pe1 show ldp neighbor
ctl p show ldp neighbor

step "ce1 (BIRD) received ce2's prefix from pe1: next hop pe1, AS path 65000 65102"
birdc_show ce1 show route "$CE2_NET" all

step "pe1: the kernel route to $CE2_NET and the nexthop object it uses"
say "The route points at a nexthop object (nhid) that pushes [LDP label of pe2 learned from p, BGP label]" \
    "and goes via the IPv4-mapped address of p, the directly connected core router: p has no IPv6."
show pe1 ip -6 route show proto 205
show pe1 ip nexthop show
say "isthmusd's view: the BGP path (next hop ::ffff:<pe2's loopback>, BGP label, IGP cost from OSPF's metric)" \
    "and how that next hop resolves onto the LSP to pe2's loopback."
echo "[pe1]# isthmusctl --json show bgp routes $CE2_NET | jq ."
lab_ctl pe1 show bgp routes "$CE2_NET" | jq . || true
ctl pe1 show nexthops

step "p: its LFIB (p runs IPv4 and MPLS only, no IPv6 at all)"
say "pe2 advertises implicit null for its loopback, so p pops the LDP label and pe2 receives [BGP label]."
show p ip -f mpls route show
show p sysctl net.ipv6.conf.all.disable_ipv6
step "pe2: its MPLS routes (LDP; with a label mode other than explicit-null, its BGP labels too)"
show pe2 ip -f mpls route show

core_links=(pe1:core p:west p:east pe2:core)
snapshot() { local ep; for ep in "${core_links[@]}"; do
    echo "$(mpls_counter "${ep%:*}" "${ep#*:}" rx packets) $(mpls_counter "${ep%:*}" "${ep#*:}" tx packets)"; done; }
step "ping -6 from ce1's LAN ($CE1_LAN) to ce2's LAN ($CE2_LAN)"
mapfile -t before < <(snapshot)
show ce1 ping -6 -n -c 5 -i 0.2 -W 1 -I "$CE1_LAN" "$CE2_LAN"
mapfile -t after < <(snapshot)
step "MPLS packet counters of the core interfaces (kernel afstats), before -> after the ping"
say "Requests and replies crossed the core labelled (p has no IPv6: it could not forward them otherwise)."
for i in "${!core_links[@]}"; do
    read -r rx0 tx0 <<< "${before[i]}"; read -r rx1 tx1 <<< "${after[i]}"
    printf '  %-9s received %3s -> %3s (+%s)   sent %3s -> %3s (+%s)\n' \
        "${core_links[i]}" "$rx0" "$rx1" "$((rx1 - rx0))" "$tx0" "$tx1" "$((tx1 - tx0))"
done

step "traceroute -6 from ce1 to ce2"
if command -v traceroute >/dev/null; then
    say "Expect '*' for p: Linux sends no ICMP when an MPLS TTL expires (it drops the packet), so the" \
        "P router is invisible to traceroute; pe1, pe2 and ce2 answer."
    show ce1 traceroute -6 -n -q 1 -w 1 -m 6 -s "$CE1_LAN" "$CE2_LAN"
else
    say "(traceroute is not installed; Debian package 'traceroute')"
fi

step "ce2 withdraws its prefix (birdc disable lan): pe1 removes the route, ce1's BIRD loses it"
lab_birdc ce2 disable lan >/dev/null
wait_until 30 eval '[[ -z $(topo_exec pe1 ip -6 route show "$CE2_NET") ]]' || true
show pe1 ip -6 route show "$CE2_NET"
birdc_show ce1 show route "$CE2_NET"
lab_birdc ce2 enable lan >/dev/null
if wait_until 30 pingable; then say "Announced again: ce1 reaches ce2 again."; else say "Announced again, but ce1 does not reach ce2."; fi

step "Done: IPv6 crossed an IPv6-less core on labels that isthmusd learned over BGP (6PE, RFC 4798) and LDP"
say "and installed itself. The same lab, asserted: tests/e2e/six-pe.sh (ctest -L vm)."
