# shellcheck shell=bash
# The 6PE protocol lab (6pe-lab.topo) with its daemons, shared by the end-to-end test
# (tests/e2e/six-pe.sh, which asserts) and the demo (tests/topo/6pe-demo.sh, which shows), so both
# build, start and probe it the same way. Needs a kernel that forwards MPLS: tests/vm/vm-run.
#
#   source tests/topo/6pe-lab.sh
#   lab_up                       topology, BIRD (OSPF on pe1/p/pe2, BGP on the CEs), isthmusd x3
#   lab_wait_ready               until every isthmusd answers on its control socket
#   lab_ctl NODE COMMAND...      isthmusctl --json on NODE;  lab_ctl_text: the same as text
#   lab_birdc NODE COMMAND...    birdc of NODE's BIRD
#   lab_stop_isthmusd NODE / lab_start_isthmusd NODE
#   lab_logs [LINES]             the end of every daemon's log (for failures)
#
# Settings (environment or variables before lab_up): LAB_ISTHMUSD, LAB_ISTHMUSCTL (the binaries),
# LAB_LABEL_MODE (bgp.label-mode of both PEs, default explicit-null), LAB_LOG_LEVEL (default debug).
# Variants (set after sourcing, before lab_up): LAB_TOPO (another .topo with the same nodes),
# LAB_CORE_IFS[node] (its OSPF+LDP interfaces), LAB_OSPF_COST[node:if] (OSPF cost, default BIRD's),
# LAB_LDP_EXTRA[node] / LAB_BGP_EXTRA[node] (extra JSON members of its "ldp" / "bgp" object, e.g.
# '"graceful-restart": { "mode": "full" }'), LAB_CE_BGP_EXTRA (extra lines in the CEs' BIRD bgp),
# LAB_KRT_METRIC=0 (OSPF routes enter the kernels with metric 0 rather than their OSPF cost).
# lab_up sets LAB_W (configs, sockets, logs; lab_down removes it unless LAB_KEEP=1) and
# LAB_T_DAEMONS (date +%s%N when the first daemon started). Teardown: topo.sh's EXIT trap; a
# caller with its own EXIT trap calls lab_down from it.

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/topo/topo.sh
source "$LAB_DIR/topo.sh"

LAB_ISTHMUSD=${LAB_ISTHMUSD:-$LAB_DIR/../../build/daemon/isthmusd}
LAB_ISTHMUSCTL=${LAB_ISTHMUSCTL:-$(dirname "$LAB_ISTHMUSD")/isthmusctl}
LAB_LABEL_MODE=${LAB_LABEL_MODE:-explicit-null}
LAB_LOG_LEVEL=${LAB_LOG_LEVEL:-debug}
LAB_W=
LAB_T_DAEMONS=
declare -gA LAB_PIDS=()      # node -> isthmusd's pid (BIRDs are found by topo_down)
declare -gA LAB_LDP_EXTRA=() LAB_BGP_EXTRA=() LAB_OSPF_COST=()
LAB_CE_BGP_EXTRA=${LAB_CE_BGP_EXTRA:-}

# Who is who. The core interfaces run OSPF and LDP; each PE has one CE.
declare -gA LAB_CORE_IFS=([pe1]="core" [p]="west east" [pe2]="core")
declare -gA LAB_AS=([ce1]=65101 [ce2]=65102 [pe1]=65000 [pe2]=65000)
declare -gA LAB_CE_OF=([pe1]=ce1 [pe2]=ce2)
declare -gA LAB_PE_OF=([ce1]=pe1 [ce2]=pe2)
declare -gA LAB_OTHER_PE=([pe1]=pe2 [pe2]=pe1)

lab_id() { topo_addr "$1:lo" 4; }                   # router id = loopback
lab_lan() { topo_addr "$1:lan" 6; }                 # a CE's LAN address (2001:db8:N::1)
lab_lan_prefix() {                                   # a CE's announced prefix (2001:db8:N::/48)
    topo_exec "$1" ip -6 route show dev lan proto kernel | awk '$1 !~ /^fe80/ {print $1; exit}'
}

lab_ctl() { local n=$1; shift; topo_exec "$n" "$LAB_ISTHMUSCTL" --socket "$LAB_W/$n.sock" --json "$@"; }
lab_ctl_text() { local n=$1; shift; topo_exec "$n" "$LAB_ISTHMUSCTL" --socket "$LAB_W/$n.sock" "$@"; }
lab_birdc() { local n=$1; shift; topo_exec "$n" birdc -s "$LAB_W/bird-$n.ctl" "$@"; }

_lab_wait() {  # SECONDS CMD...: poll until CMD succeeds
    local deadline=$((SECONDS + $1)); shift
    until "$@" 2>/dev/null; do ((SECONDS < deadline)) || return 1; sleep 0.3; done
}

# ---- BIRD -------------------------------------------------------------------------------------
# The core IGP: OSPFv2 on the core links, the loopback as a stub. OSPF routes go to the kernel
# with their OSPF cost as the metric, which isthmusd reads as a 6PE next hop's IGP cost
# (DECISIONS 2). Hellos every second so the lab converges in seconds, hold times well above them
# (OSPF, LDP, BGP): a sanitizer build under TCG on a busy host can stall for seconds, and
# 3 s LDP hold times flapped the adjacencies there. Nothing below relies on a hold timer expiring.
_lab_bird_igp_conf() {
    local node=$1 i
    echo "log \"$LAB_W/bird-$node.log\" all;"
    echo "router id $(lab_id "$node");"
    echo "protocol device { scan time 2; }"
    # metric 0: otherwise BIRD writes its fixed default metric (32) and ignores krt_metric. The own
    # loopback's stub route (dev lo) stays out: the kernel's local route covers it.
    echo "protocol kernel { metric 0; ipv4 { import none;"
    # LAB_KRT_METRIC=0: a fixed metric instead. BIRD replaces a route in place only when its metric
    # is unchanged (the metric is part of the kernel's key): an OSPF cost that changes (a link
    # failure with a backup path) leaves the old route in the kernel beside the new one, preferred.
    local metric="krt_metric = ospf_metric1;"
    [[ ${LAB_KRT_METRIC:-1} == 1 ]] || metric=""
    echo "  export filter { if source != RTS_OSPF || ifname = \"lo\" then reject; $metric accept; }; }; }"
    echo "protocol ospf v2 core_ospf {"
    echo "  ipv4 { import all; export none; };"
    echo "  area 0 {"
    for i in ${LAB_CORE_IFS[$node]}; do
        echo "    interface \"$i\" { type ptp; hello 1; dead 10; retransmit 2;${LAB_OSPF_COST[$node:$i]:+ cost ${LAB_OSPF_COST[$node:$i]};} };"
    done
    echo "    interface \"lo\" { stub yes; };"
    echo "  };"
    echo "}"
}

# A CE: announces its LAN (the prefix of its "lan" interface) to its PE, installs what it learns.
_lab_bird_ce_conf() {
    local node=$1 pe=${LAB_PE_OF[$1]}
    local pe_addr; pe_addr=$(topo_addr "$pe:ce" 6)
    local own; own=$(topo_addr "$node:eth0" 6)
    echo "log \"$LAB_W/bird-$node.log\" all;"
    # A CE has no IPv4 address to take a router id from.
    echo "router id 10.255.255.${node#ce};"
    echo "protocol device { scan time 2; }"
    echo "protocol direct lan { ipv6; interface \"lan\"; }"
    echo "protocol kernel { ipv6 { import none; export where source = RTS_BGP; }; }"
    echo "protocol bgp $pe {"
    echo "  local $own as ${LAB_AS[$node]};"
    echo "  neighbor $pe_addr as ${LAB_AS[$pe]};"
    echo "  hold time 30; keepalive time 10; connect retry time 2;"
    echo "  ttl security on;    # GTSM: the PE accepts only TTL 255 from its CE (ttl-security 1)"
    echo "  ipv6 { import all; export where proto = \"lan\"; };"
    [[ -z $LAB_CE_BGP_EXTRA ]] || echo "  $LAB_CE_BGP_EXTRA"
    echo "}"
}

_lab_start_bird() {  # node conf-function
    "$2" "$1" >"$LAB_W/bird-$1.conf"
    # Foreground (-f), so the job is bird itself; topo_down ends it with the namespace.
    ip netns exec "$(topo_ns "$1")" bird -f -c "$LAB_W/bird-$1.conf" -s "$LAB_W/bird-$1.ctl" \
        >>"$LAB_W/bird-$1.out" 2>&1 &
}

# ---- isthmusd ---------------------------------------------------------------------------------
_lab_ldp_json() {
    local node=$1 i ifs=""
    for i in ${LAB_CORE_IFS[$node]}; do
        ifs+="${ifs:+, }{ \"name\": \"$i\", \"hello-interval\": 1, \"hello-hold-time\": 10 }"
    done
    echo "\"ldp\": { \"interfaces\": [ $ifs ], \"session-hold-time\": 15${LAB_LDP_EXTRA[$node]:+, ${LAB_LDP_EXTRA[$node]}} }"
}

_lab_isthmusd_conf() {
    local node=$1 id; id=$(lab_id "$node")
    echo "{ \"version\": 1, \"router-id\": \"$id\", \"log-level\": \"$LAB_LOG_LEVEL\","
    echo "  \"control-socket\": \"$LAB_W/$node.sock\","
    if [[ -z ${LAB_CE_OF[$node]:-} ]]; then    # the P router: LDP only
        echo "  $(_lab_ldp_json "$node") }"
        return
    fi
    local ce=${LAB_CE_OF[$node]} other=${LAB_OTHER_PE[$node]}
    local ce_addr; ce_addr=$(topo_addr "$ce:eth0" 6)
    cat <<JSON
  $(_lab_ldp_json "$node"),
  "bgp": {
    "local-as": ${LAB_AS[$node]},
    "label-mode": "$LAB_LABEL_MODE",${LAB_BGP_EXTRA[$node]:+
    ${LAB_BGP_EXTRA[$node]},}
    "neighbors": [
      { "address": "$(lab_id "$other")", "remote-as": ${LAB_AS[$other]}, "description": "$other (6PE)",
        "families": ["ipv6-labeled-unicast"], "update-source": "$id",
        "timers": { "hold-time": 30, "connect-retry-time": 2 } },
      { "address": "$ce_addr", "remote-as": ${LAB_AS[$ce]}, "description": "$ce",
        "families": ["ipv6-unicast"], "ttl-security": 1,
        "import-policy": "from-ce", "export-policy": "to-ce",
        "timers": { "hold-time": 30, "connect-retry-time": 2 } }
    ]
  },
  "prefix-lists": { "ce-lan": ["$(lab_lan_prefix "$ce") le 64"] },
  "policies": {
    "from-ce": { "terms": [ { "match": { "prefix-list": "ce-lan" }, "action": "accept" } ], "default-action": "reject" },
    "to-ce": { "terms": [ { "match": { "protocols": ["bgp"] }, "action": "accept" } ], "default-action": "reject" }
  }
}
JSON
}

lab_start_isthmusd() {
    local node=$1
    [[ -f $LAB_W/$node.json ]] || _lab_isthmusd_conf "$node" >"$LAB_W/$node.json"
    # Not through topo_exec: $! must be isthmusd itself (ip netns exec execs it), not a subshell.
    ip netns exec "$(topo_ns "$node")" "$LAB_ISTHMUSD" --config "$LAB_W/$node.json" >>"$LAB_W/$node.log" 2>&1 &
    LAB_PIDS[$node]=$!
}

lab_stop_isthmusd() {
    local pid=${LAB_PIDS[$1]:-}
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "LAB_PIDS[$1]"
}

# ---- the whole lab ----------------------------------------------------------------------------
lab_up() {
    [[ -x $LAB_ISTHMUSD && -x $LAB_ISTHMUSCTL ]] ||
        { echo "6pe-lab: no isthmusd/isthmusctl at $LAB_ISTHMUSD (build them first)" >&2; return 1; }
    local cmd
    for cmd in bird birdc jq; do
        command -v "$cmd" >/dev/null || { echo "6pe-lab: $cmd is missing (scripts/install-deps.sh)" >&2; return 1; }
    done
    LAB_W=$(mktemp -d /tmp/6pe-lab.XXXXXX)
    chmod 755 "$LAB_W"
    topo_up "${LAB_TOPO:-$LAB_DIR/6pe-lab.topo}" || return 1
    LAB_T_DAEMONS=$(date +%s%N)
    local n
    for n in pe1 p pe2; do _lab_start_bird "$n" _lab_bird_igp_conf; done
    for n in ce1 ce2; do _lab_start_bird "$n" _lab_bird_ce_conf; done
    for n in pe1 p pe2; do lab_start_isthmusd "$n"; done
}

# Wait until each isthmusd answers on its control socket (seconds under TCG with sanitizers).
lab_wait_ready() {
    local n
    for n in pe1 p pe2; do
        _lab_wait 60 test -S "$LAB_W/$n.sock" ||
            { echo "6pe-lab: isthmusd on $n did not open its control socket" >&2; tail -5 "$LAB_W/$n.log" >&2; return 1; }
    done
}

# Milliseconds since the daemons started.
lab_elapsed_ms() { echo $(( ($(date +%s%N) - LAB_T_DAEMONS) / 1000000 )); }
# lab_log_ms NODE REGEX: milliseconds from the daemons' start to the first line of NODE's isthmusd
# log matching REGEX (its lines start with the local time, HH:MM:SS.mmm).
lab_log_ms() {
    local ts
    ts=$(grep -m1 -E "$2" "$LAB_W/$1.log" | awk '{print $1}')
    [[ $ts =~ ^[0-9:.]+$ ]] || return 1
    echo $(( ($(date -d "$(date +%F) $ts" +%s%N) - LAB_T_DAEMONS) / 1000000 ))
}

lab_logs() {
    local f
    for f in "$LAB_W"/*.log "$LAB_W"/*.out; do
        [[ -s $f ]] || continue
        echo "=== $f (last ${1:-25} lines)"; tail -"${1:-25}" "$f"
    done
}

lab_down() {
    # isthmusd first, each with SIGTERM and a wait: topo_down's SIGKILL, 0.2 s after its SIGTERM,
    # is too soon for a sanitizer build under TCG (and bash would report the killed job).
    local n
    for n in "${!LAB_PIDS[@]}"; do kill -TERM "${LAB_PIDS[$n]}" 2>/dev/null || true; done
    for n in "${!LAB_PIDS[@]}"; do lab_stop_isthmusd "$n"; done
    _topo_exit
    [[ -z $LAB_W || -n ${LAB_KEEP:-} ]] || rm -rf "$LAB_W"
}

# mpls_counter NODE IF DIR FIELD: the kernel's per-interface MPLS counter (ip stats, afstats),
# DIR rx or tx, FIELD packets, bytes, errors, dropped or (rx only) noroute.
mpls_counter() {
    topo_exec "$1" ip -j stats show dev "$2" group afstats subgroup mpls |
        sed -n "s/.*\"$3\":{[^}]*\"$4\":\([0-9]*\).*/\1/p"
}
