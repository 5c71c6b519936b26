#!/usr/bin/env bash
# systemd/isthmusd.service as systemd reads it: `systemd-analyze verify` with no complaint at all
# (it exits 0 even for unknown keys, so any output fails too), and the settings the operations issue
# asks for. The checker is first shown to catch a broken copy.
# Usage: systemd-unit.sh SOURCE_ROOT ISTHMUSD
set -euo pipefail
src=$1
isthmusd=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/../lib/check.sh"
# verify needs the binaries the unit names: point them at this build.
verify_clean() {  # verify_clean UNIT_FILE
  local out
  out=$(systemd-analyze verify --man=no "$1" 2>&1) || { echo "$out"; return 1; }
  [ -z "$out" ] || { echo "$out"; return 1; }
}
unit=$work/isthmusd.service
sed "s#/usr/sbin/isthmusd#$isthmusd#g" "$src/systemd/isthmusd.service" > "$unit"

mkdir "$work/broken"
sed 's/^NoNewPrivileges=yes/NoNewPrivileges=maybe/' "$unit" > "$work/broken/isthmusd.service"
rejects() { ! verify_clean "$1" >/dev/null; }
check "the checker catches a value systemd ignores" rejects "$work/broken/isthmusd.service"

check "systemd-analyze verify: no error, no warning" verify_clean "$unit"
has() { grep -qxF "$1" "$unit"; }
for line in Type=notify WatchdogSec=30s 'ExecReload=/bin/kill -HUP $MAINPID' User=isthmus Group=isthmus \
            'AmbientCapabilities=CAP_NET_ADMIN CAP_NET_BIND_SERVICE' \
            'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE' NoNewPrivileges=yes ProtectSystem=strict \
            'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK' RuntimeDirectory=isthmus; do
  check "the unit sets $line" has "$line"
done
check "the sysctl drop-in sets platform_labels" grep -q '^net.mpls.platform_labels = ' "$src/systemd/sysctl.d/60-isthmus.conf"
check "the modules-load entry names both MPLS modules" \
  bash -c "grep -qx mpls_router '$src/systemd/modules-load.d/isthmus.conf' && grep -qx mpls_iptunnel '$src/systemd/modules-load.d/isthmus.conf'"
check_done systemd-unit
