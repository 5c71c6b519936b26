# shellcheck shell=bash
# The static 6PE lab (static6pe.topo), shared by tests/selftest/static6pe.sh and the demo's
# tests/topo/static6pe-lab.sh, so both build and probe it the same way. Source it, then call
# static6pe_up. Needs a kernel that forwards MPLS: run the caller under tests/vm/vm-run.

S6_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/topo/topo.sh
source "$S6_DIR/topo.sh"

# Build the lab; sets S6_CE2 (the address pinged) and S6_LABEL (the top label pe1 pushes towards
# ce2, read back from pe1's kernel route so nothing here repeats the topology file).
static6pe_up() {
    topo_up "$S6_DIR/static6pe.topo" || return 1
    S6_CE2=$(topo_addr ce2:eth0 6) || return 1
    S6_LABEL=$(topo_exec pe1 ip -6 route get "$S6_CE2" | sed -n 's/.*encap mpls *\([0-9]*\).*/\1/p')
    [[ -n $S6_LABEL ]] || { echo "static6pe: pe1 has no labelled route to $S6_CE2" >&2; return 1; }
    # Resolve neighbours (ND at the edges, ARP in the core) so that later pings lose nothing to it.
    topo_exec ce1 ping -6 -n -c 1 -W 2 "$S6_CE2" >/dev/null || true
}

# ping -6 ce1 -> ce2 COUNT times; prints ping's output, returns its status (0: replies came back).
static6pe_ping() {
    topo_exec ce1 ping -6 -n -c "${1:-3}" -i 0.2 -W 1 "$S6_CE2"
}

# The "received" figure of ping output given as $1.
ping_received() { sed -n 's/.* \([0-9][0-9]*\) received.*/\1/p' <<< "$1"; }

# mpls_counter NODE IF DIR FIELD: the kernel's per-interface MPLS counter (ip stats, afstats),
# DIR rx or tx, FIELD packets, bytes, errors, dropped or (rx only) noroute.
mpls_counter() {
    topo_exec "$1" ip -j stats show dev "$2" group afstats subgroup mpls |
        sed -n "s/.*\"$3\":{[^}]*\"$4\":\([0-9]*\).*/\1/p"
}
