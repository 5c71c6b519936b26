#!/bin/bash
# The README's demo. BGP and LDP are not implemented yet, so for now it runs the static 6PE lab:
# CE1 - PE1 - P - PE2 - CE2 in network namespaces, labels configured by hand, showing IPv6 crossing
# an IPv4-only MPLS core. Runs in an MPLS-capable VM (tests/vm/vm-run) unless this kernel forwards
# MPLS itself. Needs root; uses nothing from the C++ build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if [ -x "$root/scripts/install-deps.sh" ]; then
    "$root/scripts/install-deps.sh"
fi

echo "isthmus demo: isthmusd speaks BGP and LDP, but the resolver that turns 6PE routes into kernel routes"
echo "is wired next; until then this is the static 6PE lab: the entries isthmusd will install, set by hand."
cd "$root"
exec tests/vm/vm-run --timeout 300 -- tests/topo/static6pe-lab.sh
