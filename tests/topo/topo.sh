#!/bin/bash
# topo.sh: network-namespace topologies for tests, built from a small description file.
#
# As a library:  source tests/topo/topo.sh; topo_up FILE; topo_exec NODE cmd...; (teardown is automatic)
#   also: topo_addr NODE:IF [4|6], topo_sysctl NODE KEY=VALUE..., topo_ns NODE, topo_show, topo_down
# As a command:  tests/topo/topo.sh cleanup [--all]   remove namespaces left by runs that died
#
# Description file: one directive per line, '#' starts a comment. All nodes are created first,
# then the other directives run in file order.
#   node NAME [mpls]          a namespace, loopback up, IPv6 DAD off (so addresses work at once);
#                             mpls: net.mpls.platform_labels=$TOPO_PLATFORM_LABELS (default 100000)
#   link NODE:IF NODE:IF      a veth pair between two nodes, both ends up
#   addr NODE:IF PREFIX       an address (IF may be lo)
#   mpls NODE:IF...           net.mpls.conf.IF.input=1: accept labelled packets on IF
#   sysctl NODE KEY=VALUE     a sysctl in the node, e.g. net.ipv6.conf.all.forwarding=1
#   ip NODE ARGS...           "ip ARGS" in the node: routes, label routes, neighbours
#
# Namespaces are named $TOPO_PREFIX<node>; the prefix defaults to isthmus-<pid>-, so parallel runs
# don't clash and leftovers of dead runs are recognisable. topo_up sets EXIT, INT, TERM and HUP
# traps that tear the topology down and end the caller's background jobs (set -e failures end in
# EXIT too); a caller needing its own EXIT trap calls _topo_exit from it. No ERR trap: tests run
# commands that are meant to fail.

TOPO_PREFIX=${TOPO_PREFIX:-isthmus-$$-}
TOPO_PLATFORM_LABELS=${TOPO_PLATFORM_LABELS:-100000}
TOPO_FILE=
TOPO_NODES=()
declare -gA TOPO_ADDRS=()         # NODE:IF -> addresses, space separated
TOPO_LINKS=()                     # "NODE:IF NODE:IF"

topo_ns() { echo "$TOPO_PREFIX$1"; }

topo_exec() {
    local node=$1; shift
    ip netns exec "$TOPO_PREFIX$node" "$@"
}

# First address of NODE:IF, without the prefix length; family 4 or 6 (default: any).
topo_addr() {
    local a
    for a in ${TOPO_ADDRS[$1]:-}; do
        case ${2:-any} in
            4) [[ $a == *:* ]] && continue ;;
            6) [[ $a == *:* ]] || continue ;;
        esac
        echo "${a%/*}"; return 0
    done
    echo "topo: no ${2:+IPv$2 }address on $1" >&2; return 1
}

# The description's leading comment (a drawing, say) and the links with their addresses.
topo_show() {
    local l a b
    sed -n '/^#/!q; s/^# \{0,1\}//p' "$TOPO_FILE"
    echo "nodes: ${TOPO_NODES[*]} (namespaces $TOPO_PREFIX<node>)"
    for l in "${TOPO_LINKS[@]}"; do
        read -r a b <<< "$l"
        printf '  %-10s %-18s <-> %-10s %s\n' "$a" "${TOPO_ADDRS[$a]:-}" "$b" "${TOPO_ADDRS[$b]:-}"
    done
    for a in "${!TOPO_ADDRS[@]}"; do
        [[ $a == *:lo ]] && printf '  %-10s %s\n' "$a" "${TOPO_ADDRS[$a]}"
    done | sort
}

# topo_sysctl NODE KEY=VALUE...: one process for all, since each exec costs ~50 ms under TCG.
topo_sysctl() { ip netns exec "$TOPO_PREFIX$1" sysctl -qw "${@:2}" >/dev/null; }

_topo_known() {
    [[ " ${TOPO_NODES[*]} " == *" $1 "* ]] || { echo "unknown node '$1'" >&2; return 1; }
}

# Split NODE:IF into the globals _node and _if, checking the node exists.
_topo_endpoint() {
    [[ $1 == ?*:?* ]] || { echo "expected NODE:IF, got '$1'" >&2; return 1; }
    _node=${1%%:*} _if=${1#*:}
    _topo_known "$_node"
}

_topo_node() {
    local name=$1 opt
    # DAD would hold new IPv6 addresses "tentative" (unusable) for a second or two.
    local keys=(net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0)
    for opt in "${@:2}"; do
        case $opt in
            mpls)
                [[ -d /proc/sys/net/mpls ]] ||
                    { echo "this kernel has no MPLS (run the test under tests/vm/vm-run)" >&2; return 1; }
                keys+=("net.mpls.platform_labels=$TOPO_PLATFORM_LABELS") ;;
            *) echo "unknown node option '$opt'" >&2; return 1 ;;
        esac
    done
    ip netns add "$TOPO_PREFIX$name" || return 1
    TOPO_NODES+=("$name")
    ip -n "$TOPO_PREFIX$name" link set lo up && topo_sysctl "$name" "${keys[@]}"
}

_topo_link() {
    local _node _if a ai
    _topo_endpoint "$1" || return 1
    a=$TOPO_PREFIX$_node ai=$_if
    _topo_endpoint "$2" || return 1
    ip -n "$a" link add "$ai" up type veth peer name "$_if" netns "$TOPO_PREFIX$_node" &&
        ip -n "$TOPO_PREFIX$_node" link set "$_if" up || return 1
    TOPO_LINKS+=("$1 $2")
}

_topo_directive() {
    local _node _if ep
    case $1 in
        node) ;;   # done in the first pass
        link)
            (($# == 3)) || { echo "usage: link NODE:IF NODE:IF" >&2; return 1; }
            _topo_link "$2" "$3" ;;
        addr)
            (($# == 3)) || { echo "usage: addr NODE:IF PREFIX" >&2; return 1; }
            _topo_endpoint "$2" && ip -n "$TOPO_PREFIX$_node" addr add "$3" dev "$_if" || return 1
            TOPO_ADDRS[$2]="${TOPO_ADDRS[$2]:+${TOPO_ADDRS[$2]} }$3" ;;
        mpls)
            (($# >= 2)) || { echo "usage: mpls NODE:IF..." >&2; return 1; }
            local -A per_node=()     # one sysctl process per node
            for ep in "${@:2}"; do
                _topo_endpoint "$ep" || return 1
                per_node[$_node]+=" net.mpls.conf.$_if.input=1"
            done
            # shellcheck disable=SC2086  # split into KEY=VALUE words on purpose
            for ep in "${!per_node[@]}"; do topo_sysctl "$ep" ${per_node[$ep]} || return 1; done ;;
        sysctl)
            (($# == 3)) || { echo "usage: sysctl NODE KEY=VALUE" >&2; return 1; }
            _topo_known "$2" && topo_sysctl "$2" "$3" ;;
        ip)
            (($# >= 3)) || { echo "usage: ip NODE ARGS..." >&2; return 1; }
            _topo_known "$2" && ip -n "$TOPO_PREFIX$2" "${@:3}" ;;
        *) echo "unknown directive '$1'" >&2; return 1 ;;
    esac
}

# Build the topology described in FILE. On a bad or failing line: message with file:line, return 1.
topo_up() {
    local file=$1 pass n line words
    TOPO_FILE=$file
    [[ -r $file ]] || { echo "topo: cannot read $file" >&2; return 1; }
    trap _topo_exit EXIT
    trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
    topo_cleanup >/dev/null
    for pass in nodes rest; do
        n=0
        while IFS= read -r line || [[ -n $line ]]; do
            n=$((n + 1))
            line=${line%%#*}
            read -r -a words <<< "$line"
            ((${#words[@]})) || continue
            if [[ $pass == nodes ]]; then
                [[ ${words[0]} == node ]] || continue
                (( ${#words[@]} >= 2 )) && _topo_node "${words[@]:1}"
            else
                _topo_directive "${words[@]}"
            fi || { echo "topo: $file:$n: '$line' failed" >&2; return 1; }
        done < "$file"
    done
}

# On exit, end the caller's background jobs first: one still starting (say "topo_exec pe1 daemon &"
# just forked) is not in a namespace yet, so topo_down could not see it.
_topo_exit() {
    local jobs
    jobs=$(jobs -p)
    # shellcheck disable=SC2086  # one pid per word
    [[ -z $jobs ]] || kill $jobs 2>/dev/null || true
    topo_down
}

# Kill what runs in our namespaces (daemons a test started), then delete them.
topo_down() {
    local node ns pids
    for node in "${TOPO_NODES[@]}"; do
        ns=$TOPO_PREFIX$node
        pids=$(ip netns pids "$ns" 2>/dev/null) || continue
        if [[ -n $pids ]]; then
            # shellcheck disable=SC2086  # one pid per word
            kill $pids 2>/dev/null || true
            sleep 0.2
            # shellcheck disable=SC2086
            kill -KILL $pids 2>/dev/null || true
        fi
        ip netns del "$ns" 2>/dev/null || true
    done
    TOPO_NODES=()
    return 0
}

# Delete namespaces named isthmus-<pid>-* whose run (pid) is gone; with --all, every isthmus-*.
topo_cleanup() {
    local ns pid pids
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        [[ $ns =~ ^isthmus-([0-9]+)- ]] || continue
        pid=${BASH_REMATCH[1]}
        [[ ${1:-} == --all ]] || ! kill -0 "$pid" 2>/dev/null || continue
        pids=$(ip netns pids "$ns" 2>/dev/null) || true
        # shellcheck disable=SC2086  # one pid per word
        [[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
        if ip netns del "$ns"; then echo "topo: removed leftover namespace $ns"; fi
    done
    return 0
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    case ${1:-} in
        cleanup) topo_cleanup "${@:2}" ;;
        *) echo "usage: $0 cleanup [--all]   (or source it: see the top of this file)" >&2; exit 2 ;;
    esac
fi
