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
