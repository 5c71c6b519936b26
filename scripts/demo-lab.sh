#!/bin/bash
# The README's demo: CE1 (BIRD) - PE1 (isthmusd) - P (isthmusd, LDP only, no IPv6) - PE2 (isthmusd) -
# CE2 (BIRD) in network namespaces, with BIRD OSPF as the core IGP. isthmusd learns every label
# (6PE over iBGP, LDP) and installs the forwarding; the demo shows the sessions, the routes, the
# kernel entries, a ping -6 CE1 -> CE2 across the IPv6-less core and a traceroute.
# From a fresh Debian 12 machine: installs the packages (scripts/install-deps.sh), builds isthmusd
# and isthmusctl in build/demo (Release), then runs tests/topo/6pe-demo.sh in an MPLS-capable VM
# (tests/vm/vm-run; directly when this kernel forwards MPLS itself, then as root).
#   ISTHMUS_DEMO_BUILD=DIR   build somewhere else than build/demo
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${ISTHMUS_DEMO_BUILD:-$root/build/demo}

"$root/scripts/install-deps.sh"

# The compiler's output goes to a log (shown only when the build fails): the demo is the lab.
echo "demo: building isthmusd and isthmusctl in $build (log: $build/demo-build.log)"
start=$SECONDS
mkdir -p "$build"
if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DISTHMUS_TESTS=OFF &&
       cmake --build "$build" -j"$(nproc)" --target isthmusd isthmusctl; } >"$build/demo-build.log" 2>&1; then
    tail -40 "$build/demo-build.log"
    echo "demo: the build failed (whole log: $build/demo-build.log)" >&2
    exit 1
fi
echo "demo: build took $((SECONDS - start)) s"

cd "$root"
# qemu needs no root; the lab inside the VM runs as root (directly on an MPLS kernel: run as root).
exec tests/vm/vm-run --timeout 400 -- tests/topo/6pe-demo.sh "$build/daemon/isthmusd"
