#!/usr/bin/env bash
# isthmusctl against a running isthmusd over its control socket: answers in text and JSON,
# abbreviations, exact errors with exit status 1, no daemon -> exit 3, and `reload` refusing a bad
# file while the daemon keeps its running config.
# Usage: isthmusctl.sh ISTHMUSD ISTHMUSCTL
set -euo pipefail
isthmusd=$1
ctl=$2
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

source "$(dirname "$0")/../lib/check.sh"
sock=$work/run/isthmusd.sock
config() {  # config ROUTER_ID
  printf '{ "version": 1, "router-id": "%s", "control-socket": "%s", "kernel": { "install": false } }\n' \
    "$1" "$sock" > "$work/isthmusd.json"
}
c() { "$ctl" --socket "$sock" "$@"; }

set +e
out=$("$ctl" --socket "$work/none.sock" show version 2>&1); rc=$?
set -e
check "no daemon: exit 3 and a message naming the socket" \
  bash -c "[ $rc -eq 3 ] && grep -q 'cannot reach isthmusd at $work/none.sock' <<<'$out'"

config 192.0.2.9
"$isthmusd" --config "$work/isthmusd.json" 2> "$work/log" &
pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
check "the daemon creates its control socket (and its directory)" test -S "$sock"
check "the socket is mode 0660" test "$(stat -c %a "$sock")" = 660

check "show version: the router id in text" bash -c "'$ctl' --socket '$sock' show version | grep -qE '^router-id: +192\.0\.2\.9$'"
check "show version --json: the same as JSON" bash -c "'$ctl' --socket '$sock' --json show version | grep -q '\"router-id\": \"192.0.2.9\"'"
check "abbreviated words work" bash -c "'$ctl' --socket '$sock' sh ver | grep -q '^version:'"
check "help lists reload" bash -c "'$ctl' --socket '$sock' help | grep -q '^reload '"

set +e
out=$(c show nonsense 2>&1); rc=$?
set -e
check "an unknown command: exit 1 and the daemon's words" \
  bash -c "[ $rc -eq 1 ] && grep -q 'unknown command \"show nonsense\"' <<<'$out'"

printf '{ "version": 1, "router-id": "10.0.0.300" }\n' > "$work/isthmusd.json"
set +e
out=$(c reload 2>&1); rc=$?
set -e
check "reload of a bad file: exit 1 with the path-qualified error" \
  bash -c "[ $rc -eq 1 ] && grep -q 'router-id: \"10.0.0.300\"' <<<'$out'"
check "the daemon still answers with its old config" bash -c "'$ctl' --socket '$sock' show version | grep -q '192.0.2.9'"

config 192.0.2.10
check "reload of a good file succeeds" bash -c "'$ctl' --socket '$sock' reload | grep -q 'configuration reloaded'"
check "the new config is in effect" bash -c "'$ctl' --socket '$sock' show version | grep -q '192.0.2.10'"

kill -TERM "$pid"; wait "$pid" || true; pid=
check "the socket file is removed at stop" test ! -e "$sock"

check_done isthmusctl
