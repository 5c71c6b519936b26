#!/usr/bin/env bash
# Enforces the folder dependency rules (ARCHITECTURE.md, DECISIONS.md item 9):
#   daemon -> bgp, ldp, netlink -> lib; bgp and ldp never include netlink/ or each other;
#   only netlink/ includes rtnetlink/libmnl/libnl headers.
# Usage: check-layering.sh [SOURCE_ROOT]   (exit 1 and one line per violation)
set -uo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || exit 2

# Headers that speak netlink to the kernel.
kernel_hdr='#include *<(linux/(rtnetlink|netlink|neighbour|nexthop|lwtunnel|mpls_iptunnel|if_addr|fib_rules)\.h|libmnl/|netlink/)'

violations=0
forbid() {  # forbid FOLDER REGEX WHY
  local folder=$1 regex=$2 why=$3 hits
  [ -d "$folder" ] || return 0
  hits=$(grep -rnE --include='*.hpp' --include='*.cpp' --include='*.h' "$regex" "$folder" || true)
  if [ -n "$hits" ]; then
    while IFS= read -r line; do echo "layering: $line: $why"; done <<<"$hits"
    violations=$((violations + $(wc -l <<<"$hits")))
  fi
}

forbid lib     '#include *"(daemon|bgp|ldp|netlink)/'  "lib/ depends on nothing of ours"
forbid netlink '#include *"(daemon|bgp|ldp)/'          "netlink/ depends only on lib/"
forbid bgp     '#include *"(daemon|ldp|netlink)/'      "bgp/ depends only on lib/"
forbid ldp     '#include *"(daemon|bgp|netlink)/'      "ldp/ depends only on lib/"
for folder in lib bgp ldp daemon; do
  forbid "$folder" "$kernel_hdr" "only netlink/ may include netlink headers"
done

if [ "$violations" -gt 0 ]; then
  echo "layering: $violations violation(s)"
  exit 1
fi
echo "layering: ok"
