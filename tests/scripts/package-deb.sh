#!/usr/bin/env bash
# The Debian package: CPack builds isthmus_<version>_<arch>.deb from this build tree, and
# dpkg-deb -c / -I show every file at its path, the control fields, Depends naming the package of
# every shared library the binaries really need (objdump NEEDED -> dpkg -S), the maintainer scripts,
# a postinst that creates the user but starts nothing (run against stub systemctl/systemd-sysusers),
# the packaged binary running and validating the packaged example, and `systemd-analyze verify` of
# the packaged unit finding its Documentation= man pages among the packaged ones. Each checker is
# first shown to catch a broken input (a missing file, a live config, a man page the unit names wrongly).
# Installing the .deb and starting it as its unit says is tests/selftest/deb-install.sh (in the MPLS VM).
# Usage: package-deb.sh BUILD_DIR SOURCE_ROOT VERSION
set -euo pipefail
start=$SECONDS
build=$1 src=$2 version=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"  # check DESCRIPTION COMMAND...
arch=$(dpkg --print-architecture)
deb=$work/pkg/isthmus_${version}_${arch}.deb

# -B keeps the package and CPack's staging tree out of the build directory.
if ! (cd "$build" && cpack -G DEB -B "$work/pkg") >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"; echo "package-deb: cpack failed"; exit 1
fi
check "cpack built $(basename "$deb")" test -f "$deb"
[ -f "$deb" ] || { ls -R "$work/pkg" | head -20; exit 1; }
dpkg-deb -c "$deb" | awk '{print $1, $6}' | sed 's# \./# /#' >"$work/contents"

expected=(
  /usr/sbin/isthmusd /usr/bin/isthmusctl
  /usr/lib/systemd/system/isthmusd.service /usr/lib/sysctl.d/60-isthmus.conf
  /usr/lib/modules-load.d/isthmus.conf /usr/lib/sysusers.d/isthmus.conf
  /etc/iproute2/rt_protos.d/isthmus.conf /etc/isthmus/isthmusd.json.example
  /usr/share/man/man8/isthmusd.8.gz /usr/share/man/man8/isthmusctl.8.gz /usr/share/man/man5/isthmus.json.5.gz
  /usr/share/doc/isthmus/README.md
)
for d in config control operations troubleshooting getting-started; do expected+=(/usr/share/doc/isthmus/$d.md); done
for e in "$src"/docs/examples/*.json; do expected+=(/usr/share/doc/isthmus/examples/$(basename "$e")); done

# Every expected file is there as a regular file; no live config; nothing outside /usr and /etc,
# nothing under /usr/local.
contents_ok() {  # contents_ok LISTING
  local f bad=0
  for f in "${expected[@]}"; do
    grep -qE "^-[rwx-]{9} $f\$" "$1" || { echo "  missing: $f"; bad=1; }
  done
  if grep -qE ' /etc/isthmus/isthmusd\.json$' "$1"; then echo "  a live config is packaged"; bad=1; fi
  if grep -vE ' /(usr|etc)(/|$)| /$' "$1" | grep -q .; then echo "  outside /usr and /etc:"; grep -vE ' /(usr|etc)(/|$)| /$' "$1"; bad=1; fi
  if grep -q ' /usr/local' "$1"; then
    echo "  under /usr/local (an install() rule with an absolute DESTINATION fixed at configure time, e.g. CMAKE_INSTALL_FULL_SYSCONFDIR):"
    grep ' /usr/local' "$1"; bad=1
  fi
  return $bad
}
grep -v ' /usr/share/man/man8/isthmusd.8.gz$' "$work/contents" >"$work/without-man"
{ cat "$work/contents"; echo "-rw-r--r-- /etc/isthmus/isthmusd.json"; } >"$work/with-config"
rejects() { ! contents_ok "$1" >/dev/null; }
check "the checker catches a missing man page" rejects "$work/without-man"
check "the checker catches a packaged live config" rejects "$work/with-config"
check "every file at its path, no live config, nothing under /usr/local (${#expected[@]} files)" contents_ok "$work/contents"
check "isthmusd and isthmusctl are executable" bash -c "grep -qE '^-rwxr-xr-x /usr/sbin/isthmusd$' '$work/contents' && grep -qE '^-rwxr-xr-x /usr/bin/isthmusctl$' '$work/contents'"

# Packaged files are the source's files.
extract() { dpkg-deb --fsys-tarfile "$deb" | tar -xO ".$1"; }
same() { cmp -s <(extract "$1") "$2"; }
check "the packaged unit is systemd/isthmusd.service" same /usr/lib/systemd/system/isthmusd.service "$src/systemd/isthmusd.service"
check "the packaged example config is docs/examples/pe1.json" same /etc/isthmus/isthmusd.json.example "$src/docs/examples/pe1.json"
check "the packaged rt_protos entry names 205 isthmus" bash -c "$(declare -f extract); deb='$deb'; extract /etc/iproute2/rt_protos.d/isthmus.conf | grep -qE '^205[[:space:]]+isthmus$'"
check "the unit runs the packaged binary" grep -q '^ExecStart=/usr/sbin/isthmusd ' "$src/systemd/isthmusd.service"
check "the packaged man page is docs/man/isthmusd.8" bash -c "cmp -s <(dpkg-deb --fsys-tarfile '$deb' | tar -xO ./usr/share/man/man8/isthmusd.8.gz | gzip -dc) '$src/docs/man/isthmusd.8'"

# Control fields.
field() { dpkg-deb -f "$deb" "$1"; }
check "Package: isthmus" test "$(field Package)" = isthmus
check "Version: $version" test "$(field Version)" = "$version"
check "Architecture: $arch" test "$(field Architecture)" = "$arch"
check "Section: net" test "$(field Section)" = net
check "Maintainer and Description are set" bash -c "[ -n '$(field Maintainer)' ] && [ -n '$(field Description | head -1)' ]"
depends=$(field Depends)
echo "  Depends: $depends"
# The package names in Depends, one per line (versions and alternatives dropped).
names=$(sed 's/ *([^)]*)//g; s/ *[,|] */\n/g' <<<"$depends")
depends_on() { grep -qxF -- "$1" <<<"$names"; }
# The package of every library the binaries need (not a list written by hand).
dpkg-deb -x "$deb" "$work/root"
check "the packaged isthmusd runs: --version says $version" test "$("$work/root/usr/sbin/isthmusd" --version)" = "isthmusd $version"
check "the packaged isthmusd validates the packaged example" \
  bash -c "'$work/root/usr/sbin/isthmusd' --check-config '$work/root/etc/isthmus/isthmusd.json.example' >/dev/null"
# The unit's Documentation= names man pages the package ships: systemd-analyze verify runs man on
# each (here with MANPATH at the package's pages, the binary path pointed at the extracted one);
# a page name it cannot find fails, as the doctored copy shows.
verify_with_pages() {  # verify_with_pages UNIT
  local out
  out=$(MANPATH=$work/root/usr/share/man systemd-analyze verify "$1" 2>&1) || { echo "$out"; return 1; }
  [ -z "$out" ] || { echo "$out"; return 1; }
}
mkdir -p "$work/unit/bad"
sed "s#/usr/sbin/isthmusd#$work/root/usr/sbin/isthmusd#g" "$work/root/usr/lib/systemd/system/isthmusd.service" >"$work/unit/isthmusd.service"
sed 's/man:isthmusctl(8)/man:isthmusctl(7)/' "$work/unit/isthmusd.service" >"$work/unit/bad/isthmusd.service"
unverified() { ! verify_with_pages "$1" >/dev/null; }
check "verify catches a Documentation= page the package lacks" unverified "$work/unit/bad/isthmusd.service"
check "systemd-analyze verify with the packaged man pages: clean" verify_with_pages "$work/unit/isthmusd.service"
needed=$(objdump -p "$work/root/usr/sbin/isthmusd" "$work/root/usr/bin/isthmusctl" | awk '/NEEDED/ {print $2}' | sort -u)
owner() {  # owner SONAME: the package that ships it (dpkg knows /lib or /usr/lib, merged or not)
  local path candidate
  path=$(ldconfig -p | awk -v l="$1" '$1 == l {print $NF; exit}')
  [ -n "$path" ] || return 1
  for candidate in "$path" "$(readlink -f "$path")" "${path#/usr}" "/usr$path"; do
    dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 | grep . && return 0
  done
  return 1
}
check "the binaries need shared libraries (objdump sees NEEDED)" test -n "$needed"
for lib in $needed; do
  pkg=$(owner "$lib" || true)
  check "Depends names ${pkg:-<no package owns $lib>} (for $lib)" depends_on "${pkg:-NONE}"
done
for pkg in libc6 libstdc++6 libmnl0 libsystemd0; do
  check "Depends names $pkg" depends_on "$pkg"
done

# Maintainer scripts.
dpkg-deb -e "$deb" "$work/control"
for f in postinst prerm postrm conffiles; do check "control member $f" test -f "$work/control/$f"; done
check "conffiles: the example config and the rt_protos entry" \
  bash -c "grep -qx /etc/isthmus/isthmusd.json.example '$work/control/conffiles' && grep -qx /etc/iproute2/rt_protos.d/isthmus.conf '$work/control/conffiles'"
check "postinst is valid sh" sh -n "$work/control/postinst"
# Run postinst against stubs that record what it asks of systemd: a first install creates the user
# and neither enables nor starts the service (there is no config yet).
mkdir "$work/stubs"
for tool in systemctl systemd-sysusers useradd; do
  printf '#!/bin/sh\necho "%s $*" >> "%s/calls"\n' "$tool" "$work" >"$work/stubs/$tool"
  chmod +x "$work/stubs/$tool"
done
: >"$work/calls"
PATH=$work/stubs:$PATH sh "$work/control/postinst" configure "" >"$work/postinst.out"
check "postinst creates the user through systemd-sysusers isthmus.conf" grep -qx 'systemd-sysusers isthmus.conf' "$work/calls"
check "postinst neither starts nor enables the service" bash -c "! grep -E 'systemctl .*(start|enable|restart)' '$work/calls'"
check "postinst tells the operator to write the config" grep -q 'isthmusd.json.example' "$work/postinst.out"

echo "package-deb: $failures failure(s), $((SECONDS - start)) s"
[ "$failures" -eq 0 ]
