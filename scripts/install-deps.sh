#!/usr/bin/env bash
# Installs the Debian 12 packages that building isthmus and running its tests need.
# Idempotent: installs only what is missing, runs apt-get update only when it must.
#   scripts/install-deps.sh            build + tests (the default)
#   scripts/install-deps.sh build      build only
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config
  libboost1.81-dev libmnl-dev nlohmann-json3-dev libfmt-dev libsystemd-dev catch2
)
# The MPLS test VM (tests/vm/vm-run) and the namespace topologies.
test_pkgs=(
  qemu-system-x86 busybox-static cpio kmod xz-utils apt
  iproute2 iputils-ping traceroute procps util-linux systemd jq
  # Fuzzing (libFuzzer comes with clang's runtime) and the tshark dissector check.
  clang libclang-rt-14-dev xxd tshark
  # Man page rendering checks and the .deb package test.
  man-db groff-base python3 dpkg-dev
  # Real peers for the interop tests (docs/interop.md).
  bird2 frr gobgpd exabgp
)

want=("${build_pkgs[@]}")
[ "${1:-all}" = build ] || want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  # ok installed = present; anything else (absent, half-installed) gets installed.
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "install-deps: all ${#want[@]} packages present"; exit 0; }

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
# A fresh machine may have empty package lists; update once, then install.
if ! $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
