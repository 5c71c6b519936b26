#!/usr/bin/env bash
# isthmusd as a process: command line, --check-config, start, SIGHUP with a bad
# then a good config (the bad one must not replace the running one), SIGTERM.
# Usage: daemon-lifecycle.sh ISTHMUSD SOURCE_ROOT
set -euo pipefail
isthmusd=$1
src=$2
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

source "$(dirname "$0")/../lib/check.sh"
# Waits up to 10 s for a line matching REGEX in the daemon's log.
wait_log() {
  for _ in $(seq 100); do grep -qE "$1" "$work/log" && return 0; sleep 0.1; done
  echo "  log so far:"; sed 's/^/  | /' "$work/log"; return 1
}

check "--version prints the version" bash -c "'$isthmusd' --version | grep -qE '^isthmusd [0-9]+\.[0-9]+\.[0-9]+$'"
check "--help names --check-config" bash -c "'$isthmusd' --help | grep -q -- --check-config"
set +e
out=$("$isthmusd" --bogus 2>&1); rc=$?
set -e
check "an unknown argument exits 2 and says which" bash -c "[ $rc -eq 2 ] && grep -q 'unknown argument \"--bogus\"' <<<'$out'"

for example in "$src"/docs/examples/*.json; do
  check "--check-config accepts $(basename "$example")" bash -c \
    "'$isthmusd' --check-config '$example' > '$work/summary' && grep -q 'configuration is valid' '$work/summary'"
done

printf '{ "version": 1, "router-id": "10.0.0.300" }\n' > "$work/bad.json"
set +e
out=$("$isthmusd" --check-config "$work/bad.json" 2>&1); rc=$?
set -e
check "a bad config exits 1" test "$rc" -eq 1
check "the error names the JSON path and the bad value" grep -q 'router-id: "10.0.0.300"' <<<"$out"
set +e
"$isthmusd" --config "$work/missing.json" >/dev/null 2>&1; rc=$?
set -e
check "a missing config file exits 1" test "$rc" -eq 1

# The daemon itself.
# A config with no protocols and the control socket in this test's directory: the protocols' own
# tests start sessions; this one is about the process (and may run beside them in the host namespace).
run_config() {  # run_config LOG_LEVEL
  printf '{ "version": 1, "router-id": "192.0.2.9", "log-level": "%s", "control-socket": "%s",\n  "kernel": { "install": false } }\n' \
    "$1" "$work/ctl.sock" > "$work/run.json"
}
run_config notice
"$isthmusd" --config "$work/run.json" 2> "$work/log" &
pid=$!
check "the daemon starts" wait_log 'isthmusd .* started'

cp "$work/bad.json" "$work/run.json"
kill -HUP "$pid"
check "SIGHUP with a bad file is rejected" wait_log 'reload rejected, the running configuration stays'
check "the rejection lists the error" wait_log 'router-id: "10.0.0.300"'
check "the daemon survives a rejected reload" kill -0 "$pid"

run_config debug
kill -HUP "$pid"
check "SIGHUP with a good file is adopted" wait_log 'reload: new configuration validated and adopted'

kill -TERM "$pid"
set +e
wait "$pid"; rc=$?
set -e
pid=
check "SIGTERM stops it with status 0" test "$rc" -eq 0
check "it says it stopped" wait_log 'isthmusd stopped'

check_done daemon-lifecycle
