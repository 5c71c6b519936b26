# shellcheck shell=bash
# The PIC lab (pic-lab.topo): the 6PE lab's daemons on a core with two P routers, p1 (OSPF cost 10)
# and p2 (cost 20), and a CE2 that announces PIC_PREFIXES prefixes in all (its LAN plus /48s from
# BIRD static routes). Reuses tests/topo/6pe-lab.sh's helpers (lab_ctl, lab_birdc, lab_down, ...)
# and replaces only what differs: the node lists, the OSPF costs, CE2's routes, the PE configs.
#
#   source tests/topo/pic-lab.sh
#   pic_lab_up                   topology, BIRD x6 (OSPF on pe1/p1/p2/pe2, BGP on the CEs), isthmusd x4
#   pic_lab_wait_ready           until every isthmusd answers on its control socket
#
# Settings: those of 6pe-lab.sh, plus PIC_PREFIXES (default 10000, CE2's LAN included) and
# PIC_PE1_FORWARDING (kernel.forwarding of pe1: flat, the default, or hierarchical).

PIC_LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/topo/6pe-lab.sh
source "$PIC_LAB_DIR/6pe-lab.sh"

PIC_PREFIXES=${PIC_PREFIXES:-10000}
PIC_PE1_FORWARDING=${PIC_PE1_FORWARDING:-flat}
PIC_NODES="pe1 p1 p2 pe2"

# shellcheck disable=SC2034  # read by 6pe-lab.sh's functions
LAB_CORE_IFS=([pe1]="p1 p2" [p1]="west east" [p2]="west east" [pe2]="p1 p2")
# OSPF cost per node:interface; p2's side costs twice p1's, so pe1 -> pe2 goes through p1 (20 vs 40).
declare -gA PIC_COST=([pe1:p1]=10 [p1:west]=10 [p1:east]=10 [pe2:p1]=10
                      [pe1:p2]=20 [p2:west]=20 [p2:east]=20 [pe2:p2]=20)

# The extra prefixes: 2001:db8:1000::/48 upwards (clear of the lab's 2001:db8:1/2/c1/c2::).
pic_bulk_prefix() { printf '2001:db8:%x::/48' $((0x1000 + $1)); }

# OSPF as in 6pe-lab.sh, with the interface costs above.
_pic_bird_igp_conf() {
    local node=$1 i
    _lab_bird_igp_conf "$node" | while IFS= read -r line; do
        for i in ${LAB_CORE_IFS[$node]}; do
            [[ $line == *"interface \"$i\" {"* ]] && line=${line/\{ type ptp;/\{ type ptp; cost ${PIC_COST[$node:$i]};}
        done
        # No krt_metric: BIRD 2.0 adds a route with a changed metric beside the old one (a new
        # kernel key) and leaves the old one, so the failed path would stay preferred.
        printf '%s\n' "${line/krt_metric = ospf_metric1; /}"
    done
}

# CE2 as in 6pe-lab.sh, plus PIC_PREFIXES - 1 static /48s exported to pe2 (and not to its kernel).
_pic_bird_ce_conf() {
    local node=$1 k
    # pic_bulk_prefix gives the same names.
    _lab_bird_ce_conf "$node" | sed 's/export where proto = "lan"; }/export where proto = "lan" || proto = "bulk"; }/'
    [[ $node == ce2 ]] || return 0
    echo "protocol static bulk {"
    echo "  ipv6;"
    # No command substitution per line: 10,000 forks take minutes under TCG.
    for ((k = 0; k < PIC_PREFIXES - 1; k++)); do printf '  route 2001:db8:%x::/48 via "lan";\n' $((0x1000 + k)); done
    echo "}"
}

# The PE configs of 6pe-lab.sh, with CE2's whole range accepted and pe1's forwarding mode.
eval "$(declare -f _lab_isthmusd_conf | sed '1s/_lab_isthmusd_conf/_pic_6pe_isthmusd_conf/')"
_lab_isthmusd_conf() {
    local node=$1
    if [[ -z ${LAB_CE_OF[$node]:-} ]]; then _pic_6pe_isthmusd_conf "$node"; return; fi
    local fwd=flat
    [[ $node == pe1 ]] && fwd=$PIC_PE1_FORWARDING
    _pic_6pe_isthmusd_conf "$node" |
        jq --arg fwd "$fwd" '.["prefix-lists"]["ce-lan"] = ["2001:db8::/32 le 64"] | .kernel.forwarding = $fwd'
}

pic_lab_up() {
    [[ -x $LAB_ISTHMUSD && -x $LAB_ISTHMUSCTL ]] ||
        { echo "pic-lab: no isthmusd/isthmusctl at $LAB_ISTHMUSD (build them first)" >&2; return 1; }
    local cmd n
    for cmd in bird birdc jq; do
        command -v "$cmd" >/dev/null || { echo "pic-lab: $cmd is missing (scripts/install-deps.sh)" >&2; return 1; }
    done
    LAB_W=$(mktemp -d /tmp/pic-lab.XXXXXX)
    chmod 755 "$LAB_W"
    topo_up "$PIC_LAB_DIR/pic-lab.topo" || return 1
    LAB_T_DAEMONS=$(date +%s%N)
    for n in $PIC_NODES; do _lab_start_bird "$n" _pic_bird_igp_conf; done
    for n in ce1 ce2; do _lab_start_bird "$n" _pic_bird_ce_conf; done
    for n in $PIC_NODES; do lab_start_isthmusd "$n"; done
}

pic_lab_wait_ready() {
    local n
    for n in $PIC_NODES; do
        _lab_wait 60 test -S "$LAB_W/$n.sock" ||
            { echo "pic-lab: isthmusd on $n did not open its control socket" >&2; tail -5 "$LAB_W/$n.log" >&2; return 1; }
    done
}
