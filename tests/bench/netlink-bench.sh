#!/usr/bin/env bash
# Runs isthmus_netlink_bench in both nexthop compat modes inside the MPLS VM (tests/vm/vm-run):
# a namespace with one core link (veth core0), MPLS modules, enough platform labels.
#   netlink-bench.sh BENCH ROUTES RUNS
# The smoke run in the test suite uses 10,000 routes and 1 run; the full one (docs/performance.md)
# 250,000 routes and 5 runs, with `vm-run --mem 4096` (a full table's kernel state needs it).
set -euo pipefail
bench=$1
routes=$2
runs=$3
ns=nlbench-$$
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
# vm-run's init loads the MPLS modules; outside the VM they must be there already.
[ -d /proc/sys/net/mpls ] || { echo "netlink-bench: no MPLS in this kernel (run it under tests/vm/vm-run)"; exit 2; }
ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" link add core0 type veth peer name core1
ip -n "$ns" addr add 10.0.0.1/30 dev core0
ip -n "$ns" link set core0 up
ip -n "$ns" link set core1 up
ip netns exec "$ns" sysctl -qw net.mpls.platform_labels=100000 net.mpls.conf.core0.input=1
for mode in 1 0; do
  ip netns exec "$ns" sysctl -qw net.ipv4.nexthop_compat_mode=$mode
  ip netns exec "$ns" "$bench" "$routes" "$runs"
done
