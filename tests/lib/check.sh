# Sourced by the test scripts: one way to state a check and to end a script.
#   check DESCRIPTION COMMAND...   runs COMMAND, prints "PASS: DESCRIPTION" or "FAIL: ...", counts failures
#   check_done NAME                prints "NAME: N failure(s) in T ms" and fails when N > 0
failures=0
check_t0=$(date +%s%N)
check() {
  local what=$1; shift
  if "$@"; then echo "PASS: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
check_done() {
  echo "$1: $failures failure(s) in $(( ($(date +%s%N) - check_t0) / 1000000 )) ms"
  [ "$failures" -eq 0 ]
}
#   check_late 'DESCRIPTION' COMMAND...  like check, but DESCRIPTION is expanded after COMMAND ran, so
#                                  it may show what the command waited for ('$(peer_state)'), and
#                                  $took holds the command's duration ("1.3 s")
check_late() {
  local what=$1 ok=0 t0; shift
  t0=$(date +%s%N)
  "$@" || ok=$?
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  took="$((ms / 1000)).$(( (ms % 1000) / 100 )) s"
  what=$(eval "echo \"$what\"")
  if ((ok == 0)); then echo "PASS: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
