#!/usr/bin/env bash
# The .deb on a system that never had isthmus (issue 8 item 2): CPack builds it on the host, then in
# the MPLS VM (a throw-away overlay of the host, so installing writes nothing to the host) dpkg
# installs it, the postinst creates the isthmus user, and the packaged unit's own ExecStartPre and
# ExecStart lines run with the unit's User, AmbientCapabilities and RuntimeDirectory (the VM's PID 1
# is not systemd, so this script plays its part) from the packaged example config: READY=1 arrives
# on a NOTIFY_SOCKET, isthmusctl answers on the packaged socket path, the process holds only the
# unit's capabilities, SIGTERM stops it cleanly, and dpkg removes the package again.
# Usage (host): deb-install.sh BUILD_DIR VM_RUN
#        (VM):  deb-install.sh --in-vm DEB
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" != --in-vm ]; then
  build=$1 vm_run=$2
  out=$(mktemp -d /tmp/isthmus-deb.XXXXXX)
  trap 'rm -rf "$out"' EXIT
  (cd "$build" && cpack -G DEB -B "$out") >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
  deb=$(ls "$out"/isthmus_*.deb)
  echo "deb-install: built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"
  "$vm_run" --timeout 240 -- "$here/deb-install.sh" --in-vm "$deb"
  exit $?
fi
deb=$2
start=$SECONDS
failures=0
source "$here/../lib/check.sh"
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT

check "isthmus is not installed before" eval '! dpkg -s isthmus >/dev/null 2>&1 && ! getent passwd isthmus >/dev/null'
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; }
check "dpkg -i installed it: $(dpkg-query -W -f='${Package} ${Version} ${Status}' isthmus 2>/dev/null)" \
  eval '[[ $(dpkg-query -W -f="\${Status}" isthmus) == "install ok installed" ]]'
check "the postinst created the system user: $(getent passwd isthmus)" getent passwd isthmus
unit=/usr/lib/systemd/system/isthmusd.service
check "the unit, binaries and example are in place" \
  test -f "$unit" -a -x /usr/sbin/isthmusd -a -x /usr/bin/isthmusctl -a -f /etc/isthmus/isthmusd.json.example

# The unit's own lines, as systemd would run them.
key() { sed -n "s/^$1=//p" "$unit" | head -1; }
user=$(key User) caps=$(key AmbientCapabilities) rundir=/run/$(key RuntimeDirectory)
pre=$(key ExecStartPre) exec_start=$(key ExecStart)
echo "deb-install: unit runs '$exec_start' as $user with $caps"
cp /etc/isthmus/isthmusd.json.example /etc/isthmus/isthmusd.json
modprobe mpls_router 2>/dev/null || true
sysctl -qw net.mpls.platform_labels=100000
capset=$(for c in $caps; do c=${c#CAP_}; printf '+%s,' "${c,,}"; done); capset=${capset%,}
# setpriv execs the command, so a background start's $! is the daemon itself.
as_unit=(setpriv --reuid="$user" --regid="$user" --init-groups --inh-caps="$capset" --ambient-caps="$capset"
         --bounding-set=-all,"$capset" --)
check "ExecStartPre ($pre) accepts the packaged example" "${as_unit[@]}" $pre
install -d -o "$user" -g "$user" -m "$(key RuntimeDirectoryMode)" "$rundir"

# systemd's side of Type=notify: a datagram socket collecting what the daemon sends.
python3 - "$work/notify" >"$work/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
import os; os.chmod(sys.argv[1], 0o777)
while True:
    print(s.recv(4096).decode().replace("\n", " "), flush=True)
PY
listener=$!
for _ in $(seq 50); do [ -S "$work/notify" ] && break; sleep 0.1; done
chmod 755 "$work"
NOTIFY_SOCKET=$work/notify "${as_unit[@]}" $exec_start >"$work/isthmusd.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q READY=1 "$work/notify.log" && break; sleep 0.1; done
check "READY=1 on NOTIFY_SOCKET: $(head -c 200 "$work/notify.log" | tr '\n' ' ')" grep -q READY=1 "$work/notify.log"
kill -0 "$pid" 2>/dev/null || { echo "--- isthmusd exited:"; tail -30 "$work/isthmusd.log"; }
sock=$(sed -n 's/.*"control-socket": *"\([^"]*\)".*/\1/p' /etc/isthmus/isthmusd.json)
ver=$(/usr/bin/isthmusctl --socket "$sock" --json show version 2>&1 || true)
check "isthmusctl answers on $sock: $(jq -c "{\"router-id\", version}" <<<"$ver" 2>/dev/null || echo "$ver")" eval '[[ $(jq -r ".\"router-id\"" <<<"$ver") == $(jq -r ".\"router-id\"" /etc/isthmus/isthmusd.json) ]]'
check "the socket is the unit's user's, mode 0660: $(stat -c '%U %a' "$sock")" \
  eval '[[ $(stat -c "%U %a" "$sock") == "$user 660" ]]'
capeff=$(awk '/^CapEff/ {print $2}' /proc/$pid/status 2>/dev/null || echo gone)
check "the daemon holds only CAP_NET_ADMIN and CAP_NET_BIND_SERVICE (CapEff $capeff)" \
  eval '[[ $capeff == 0000000000001400 ]]'
check "it runs as $user: $(ps -o user= -p "$pid" || true)" eval '[[ $(ps -o user= -p "$pid") == "$user" ]]'
kill -TERM "$pid" 2>/dev/null || true
rc=0; wait "$pid" || rc=$?
pid=
check "SIGTERM stops it with status 0 ($rc) after STOPPING=1" eval '((rc == 0)) && grep -q STOPPING=1 "$work/notify.log"'
kill "$listener" 2>/dev/null || true
dpkg -r isthmus >"$work/dpkg-r.log" 2>&1 || cat "$work/dpkg-r.log"
check "dpkg -r removes the binaries and keeps the operator's config" \
  eval '[[ ! -e /usr/sbin/isthmusd && -f /etc/isthmus/isthmusd.json ]]'
if ((failures)); then echo "--- isthmusd log"; tail -20 "$work/isthmusd.log"; fi
echo "deb-install: $failures failure(s) in $((SECONDS - start)) s"
((failures == 0))
