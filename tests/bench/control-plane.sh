#!/usr/bin/env bash
# Control-plane benchmark without the kernel (issue 11 item 7): a BIRD sender feeds N 6PE prefixes
# over iBGP (AFI 2/SAFI 4) to a receiver in another network namespace on this host (no VM, nothing
# installed in the kernel), and the same load goes to isthmusd ("kernel": {"install": false}) and to
# a BIRD receiver (no kernel protocol), interleaved run by run. For each receiver and run:
#   time   from the session being Established to all N prefixes in the receiver's Adj-RIB-In, seen
#          by polling its CLI every 10 ms (isthmusctl show bgp summary: prefixes-received; birdc show
#          protocols all: "Routes: N imported"). Not the best paths: isthmusd finds no usable 6PE
#          next hop without LDP (its loc-rib-prefixes, printed per run, stays 0), and BIRD keeps
#          the routes as best but unreachable (no IGP here); both store every route.
#   cpu    CPU seconds (utime + stime, /proc/PID/stat) of the receiver process from just before the
#          sender is enabled to that moment; "settled" adds what it spends in the next second
#   B/rt   (VmHWM after the feed - VmRSS before it) / N: peak bytes per route of the whole process;
#          "steady" uses VmRSS one second after the feed instead of the peak
# Two label modes: one label for all prefixes (BIRD packs ~256 per UPDATE) and a label per prefix
# (one prefix per UPDATE). Medians (min-max) of RUNS runs, then the ratios isthmusd / BIRD.
#
# Usage: control-plane.sh [N [RUNS [MODES]]]     N default 1000000, RUNS 3, MODES "one per-prefix"
# ISTHMUSD / ISTHMUSCTL: the binaries (default build/bench-cp/daemon/); use a RelWithDebInfo build
# without sanitizers for figures (docs/performance.md). Needs root, bird2 (bird, birdc).
# RECEIVERS: which receivers to run (default "isthmusd bird").
# PROFILE=DIR: also record a perf profile of each isthmusd feed into DIR (perf report -i FILE);
# with PROFILE_STOP=1 the profile goes on through isthmusd's shutdown.
# The smoke run in the test suite is N=10000, 1 run: it only checks that every receiver gets all
# prefixes; its figures mean nothing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
ISTHMUSD=${ISTHMUSD:-$SRC/build/bench-cp/daemon/isthmusd}
ISTHMUSCTL=${ISTHMUSCTL:-$SRC/build/bench-cp/daemon/isthmusctl}
N=${1:-1000000}
RUNS=${2:-3}
MODES=${3:-one per-prefix}
RECEIVERS=${RECEIVERS:-isthmusd bird}
source "$SRC/tests/lib/check.sh"

for cmd in "$ISTHMUSD" "$ISTHMUSCTL"; do [ -x "$cmd" ] || { echo "missing $cmd (build it first)" >&2; exit 2; }; done
for cmd in bird birdc awk; do command -v $cmd >/dev/null || { echo "missing $cmd" >&2; exit 2; }; done
[ "$(id -u)" = 0 ] || { echo "control-plane.sh needs root (network namespaces)" >&2; exit 2; }

NS=bcps-$$   # the sender
NR=bcpr-$$   # the receiver
WORK=$(mktemp -d /tmp/bench-cp.XXXXXX)
chmod 755 "$WORK"
HZ=$(getconf CLK_TCK)
# A generous bound on one feed: BIRD sends ~0.35 M prefixes/s at worst (PEERS.md).
LIMIT_S=$(( 60 + N / 10000 ))

kill_pidfile() {
    local f=$1 pid
    [ -f "$f" ] || return 0
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
}
cleanup() {
    kill_pidfile "$WORK/recv.pid"
    kill_pidfile "$WORK/sender.pid"
    ip netns del "$NS" 2>/dev/null || true
    ip netns del "$NR" 2>/dev/null || true
}
trap 'cleanup; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
trap 'exit 1' INT TERM

ip netns add "$NS"
ip netns add "$NR"
ip link add vS netns "$NS" type veth peer name vR netns "$NR"
ip -n "$NS" link set lo up
ip -n "$NR" link set lo up
ip -n "$NS" addr add 10.0.0.2/24 dev vS
ip -n "$NR" addr add 10.0.0.1/24 dev vR
# No IPv6 link-local addresses: their DAD ends a second or two after the link comes up, and an address
# event in the middle of a feed makes isthmusd re-run the decision for every prefix (a full walk of
# the table, Rib::next_hops_changed), which is not what this measures.
ip -n "$NS" link set vS addrgenmode none
ip -n "$NR" link set vR addrgenmode none
ip -n "$NS" link set vS up
ip -n "$NR" link set vR up

now_ns() { date +%s%N; }
# cpu_ticks PID: user + system time of the whole process (all threads), in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# status_kb PID FIELD: VmRSS or VmHWM in kB.
status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

# ---- the sender: BIRD with N static routes "via 10.0.0.3 mpls L", exported over ipv6 mpls -------------
# Prefixes 2a00:X:Y::/48 (X:Y = the route's index). The next hop 10.0.0.3 is on the shared subnet, so
# BIRD sends it as is (::ffff:10.0.0.3, third party) with the route's label. The BGP protocol starts
# disabled and is enabled for each run, so parsing N routes is not part of any run.
start_sender() {  # MODE
    local conf=$WORK/sender.conf
    {
        echo "log \"$WORK/sender.log\" { warning, error, fatal, bug };"
        echo "router id 10.0.0.2;"
        echo "protocol device { }"
        echo "protocol static feed { ipv6;"
        awk -v n="$N" -v mode="$1" 'BEGIN {
            for (i = 0; i < n; i++)
                printf "route 2a00:%x:%x::/48 via 10.0.0.3 mpls %d;\n", int(i / 65536), i % 65536,
                       mode == "one" ? 1000 : 16 + i % 1048000 }'
        echo "}"
        cat <<CONF
protocol bgp r {
  disabled;
  local 10.0.0.2 as 65000; neighbor 10.0.0.1 as 65000;
  connect retry time 1; error wait time 1, 2; start delay time 1;
  ipv6 mpls { extended next hop on; import none; export all; };
}
CONF
    } >"$conf"
    ip netns exec "$NS" bird -f -c "$conf" -s "$WORK/sender.ctl" >>"$WORK/sender.out" 2>&1 &
    echo $! >"$WORK/sender.pid"
    local end=$(( $(date +%s) + LIMIT_S ))
    until birdc -s "$WORK/sender.ctl" show protocols feed 2>/dev/null | grep -q " up "; do
        [ "$(date +%s)" -lt "$end" ] || { echo "sender did not start: $(tail -3 "$WORK/sender.out")" >&2; return 1; }
        sleep 0.2
    done
}
sender() { birdc -s "$WORK/sender.ctl" "$@" >/dev/null; }

# ---- the receivers -----------------------------------------------------------------------------------
start_isthmusd() {
    cat >"$WORK/x.json" <<CONF
{
  "version": 1, "router-id": "10.0.0.1", "log-level": "${X_LOG_LEVEL:-info}", "control-socket": "$WORK/x.sock",
  "kernel": { "install": false },
  "bgp": {
    "local-as": 65000,
    "neighbors": [ { "address": "10.0.0.2", "remote-as": 65000, "families": ["ipv6-labeled-unicast"],
                     "update-source": "10.0.0.1", "timers": { "connect-retry-time": 1 } } ]
  }
}
CONF
    rm -f "$WORK/x.sock"
    ip netns exec "$NR" "$ISTHMUSD" --config "$WORK/x.json" >"$WORK/x.log" 2>&1 &
    echo $! >"$WORK/recv.pid"
    wait_socket "$WORK/x.sock" || { echo "isthmusd did not start: $(tail -3 "$WORK/x.log")" >&2; return 1; }
}
# x_poll: "STATE RECEIVED LOCRIB" from one summary (no jq: this runs every 10 ms).
x_poll() {
    local out st="" got=0 loc=0
    out=$("$ISTHMUSCTL" --socket "$WORK/x.sock" --json show bgp summary 2>/dev/null) || return 1
    [[ $out =~ \"state\":\ *\"([A-Za-z]+)\" ]] && st=${BASH_REMATCH[1]}
    [[ $out =~ \"2/4\":\ *([0-9]+) ]] && got=${BASH_REMATCH[1]}
    [[ $out =~ \"loc-rib-prefixes\":\ *([0-9]+) ]] && loc=${BASH_REMATCH[1]}
    echo "$st $got $loc"
}
start_bird_receiver() {
    cat >"$WORK/b.conf" <<CONF
log "$WORK/b.log" { warning, error, fatal, bug };
router id 10.0.0.1;
protocol device { }
protocol bgp snd {
  local 10.0.0.1 as 65000; neighbor 10.0.0.2 as 65000;
  connect retry time 1; start delay time 1;
  ipv6 mpls { extended next hop on; import all; export none; };
}
CONF
    rm -f "$WORK/b.ctl"
    ip netns exec "$NR" bird -f -c "$WORK/b.conf" -s "$WORK/b.ctl" >"$WORK/b.out" 2>&1 &
    echo $! >"$WORK/recv.pid"
    wait_socket "$WORK/b.ctl" || { echo "BIRD receiver did not start: $(cat "$WORK/b.out")" >&2; return 1; }
}
# b_poll: "STATE IMPORTED IMPORTED" (BIRD's table is its Loc-RIB).
b_poll() {
    birdc -s "$WORK/b.ctl" show protocols all snd 2>/dev/null |
        awk '/BGP state:/ { s = $3 } /Routes:/ { r = $2 } END { if (s == "") exit; print s, r + 0, r + 0 }'
}
wait_socket() {
    for _ in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.05; done
    return 1
}

# run_one RECEIVER MODE RUN: one feed; appends "receiver mode time cpu cpu_settled B/rt_peak B/rt_steady".
run_one() {
    local who=$1 mode=$2 run=$3 pid t_enable t_est="" t_done="" st got loc cpu0 rss0 cpu1 hwm cpu2 rss2
    if [ "$who" = isthmusd ]; then start_isthmusd || return 1; else start_bird_receiver || return 1; fi
    pid=$(cat "$WORK/recv.pid")
    sleep 1   # let the receiver finish starting (first kernel dumps, socket setup)
    cpu0=$(cpu_ticks "$pid"); rss0=$(status_kb "$pid" VmRSS)
    local perf_pid=""
    if [ -n "${PROFILE:-}" ] && [ "$who" = isthmusd ]; then
        # perf samples the receiver for the whole feed; its own CPU is not in the receiver's figures,
        # but sampling slows the receiver a little: profile runs are not for the table.
        mkdir -p "$PROFILE"
        perf record -q -F 999 --call-graph dwarf,16384 -p "$pid" -o "$PROFILE/isthmusd-$mode-$run.data" >/dev/null 2>&1 &
        perf_pid=$!
        sleep 0.5
    fi
    t_enable=$(now_ns)
    sender enable r
    local end=$(( $(date +%s) + LIMIT_S ))
    while :; do
        # BIRD as sender stalls ~3 s before its last batch unless something wakes it (PEERS.md).
        sender show status || true
        if [ "$who" = isthmusd ]; then read -r st got loc < <(x_poll) || true
        else read -r st got loc < <(b_poll) || true; fi
        if [ -z "$t_est" ] && [ "${st:-}" = Established ]; then t_est=$(now_ns); fi
        if [ -n "$t_est" ] && [ "${got:-0}" -ge "$N" ]; then t_done=$(now_ns); break; fi
        [ "$(date +%s)" -lt "$end" ] || break
        sleep 0.01
    done
    cpu1=$(cpu_ticks "$pid"); hwm=$(status_kb "$pid" VmHWM)
    sleep 1
    cpu2=$(cpu_ticks "$pid"); rss2=$(status_kb "$pid" VmRSS)
    if [ -n "$perf_pid" ] && [ -z "${PROFILE_STOP:-}" ]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
    sender disable r
    local t_stop; t_stop=$(now_ns)
    kill_pidfile "$WORK/recv.pid"
    t_stop=$(( ($(now_ns) - t_stop) / 1000000 ))
    # PROFILE_STOP: perf stayed attached through the shutdown and ends with the process.
    if [ -n "$perf_pid" ] && [ -n "${PROFILE_STOP:-}" ]; then wait "$perf_pid" || true; fi
    if [ -z "$t_done" ]; then
        echo "  run $run $mode $who: only ${got:-0} of $N prefixes received (loc-rib ${loc:-0}), state ${st:-?}, in $LIMIT_S s"
        return 1
    fi
    local row
    row=$(awk -v w="$who" -v m="$mode" -v t=$(( t_done - t_est )) -v c0="$cpu0" -v c1="$cpu1" -v c2="$cpu2" \
              -v hz="$HZ" -v r0="$rss0" -v h="$hwm" -v r2="$rss2" -v n="$N" \
              'BEGIN { printf "%s %s %.3f %.2f %.2f %.1f %.1f", w, m, t / 1e9, (c1 - c0) / hz, (c2 - c0) / hz,
                       (h - r0) * 1024 / n, (r2 - r0) * 1024 / n }')
    echo "$row" >>"$WORK/results"
    echo "  run $run: $row   (Established $(( (t_est - t_enable) / 1000000 )) ms after enable; best paths: ${loc:-?}; stopped in $t_stop ms)"
}

echo "control-plane benchmark: $N prefixes, $RUNS run(s), modes: $MODES; $(nproc) CPUs, $(uname -r), $(bird --version 2>&1)"
for mode in $MODES; do
    t0=$(now_ns)
    start_sender "$mode"
    echo "mode $mode: sender loaded $N static routes in $(( ($(now_ns) - t0) / 1000000 )) ms"
    for run in $(seq "$RUNS"); do
        # Interleaved, the order alternating run by run.
        if (( run % 2 )); then order="isthmusd bird"; else order="bird isthmusd"; fi
        for who in $order; do
            [[ " $RECEIVERS " == *" $who "* ]] || continue
            check "run $run, $mode labels: $who receives all $N prefixes" run_one "$who" "$mode" "$run"
        done
    done
    kill_pidfile "$WORK/sender.pid"
done

# ---- the table: median (min-max) per receiver and mode, then isthmusd / BIRD ------------------------
if [ -s "$WORK/results" ]; then
    echo
    echo "$N prefixes, median (min-max) of $RUNS run(s):"
    printf '%-11s %-10s %-22s %-22s %-22s %-24s %-24s\n' mode receiver "time s" "CPU s" "CPU s settled" "B/route peak" "B/route steady"
    awk '
        function med(a, k,   i, j, t) {   # sorts a[1..k] in place, returns the median
            for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
            return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
        }
        { key = $2 " " $1; if (!(key in n)) order[++keys] = key; n[key]++
          for (c = 3; c <= 7; c++) v[key, c, n[key]] = $c }
        END {
            for (i = 1; i <= keys; i++) {
                key = order[i]; split(key, km, " ")
                line = sprintf("%-11s %-10s", km[1], km[2])
                for (c = 3; c <= 7; c++) {
                    delete a; for (r = 1; r <= n[key]; r++) a[r] = v[key, c, r]
                    m = med(a, n[key]); M[key, c] = m
                    line = line sprintf(" %-22s", sprintf(c <= 5 ? "%.3g (%.3g-%.3g)" : "%.0f (%.0f-%.0f)", m, a[1], a[n[key]]))
                }
                print line
            }
            print ""
            print "ratios isthmusd / BIRD (medians):"
            for (i = 1; i <= keys; i++) {
                split(order[i], km, " "); if (km[2] != "isthmusd") continue
                x = km[1] " isthmusd"; b = km[1] " bird"
                if (!((b, 3) in M)) continue
                line = sprintf("%-11s", km[1])
                split("time CPU CPU-settled B/route-peak B/route-steady", names, " ")
                for (c = 3; c <= 7; c++)
                    line = line sprintf("  %s %s", names[c - 2], M[b, c] > 0 ? sprintf("%.2fx", M[x, c] / M[b, c]) : "n/a")
                print line
            }
        }' "$WORK/results"
fi
check_done "control-plane benchmark ($N prefixes, $RUNS run(s))"
