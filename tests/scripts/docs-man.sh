#!/usr/bin/env bash
# The man pages in docs/man render with man-db/groff without a single warning (man's default
# --warnings, which are groff's macro warnings, and --warnings=all), carry the project's version,
# and name every option the programs' own --help prints. The checker is first shown to catch
# broken copies (an unknown macro, an undefined string, a bad escape).
# Usage: docs-man.sh SOURCE_ROOT VERSION ISTHMUSD ISTHMUSCTL
set -euo pipefail
start=$SECONDS
src=$1 version=$2 isthmusd=$3 isthmusctl=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"  # check DESCRIPTION COMMAND...
command -v man >/dev/null || { echo "docs-man: man (man-db) is not installed"; exit 1; }

# Any output on stderr (groff warnings, man-db complaints) is a failure; so is an empty page.
render_clean() {  # render_clean PAGE
  local err out w
  for w in --warnings --warnings=all; do
    out=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man "$w" -E UTF-8 -l "$1" 2>"$work/stderr") || {
      cat "$work/stderr"; return 1; }
    err=$(cat "$work/stderr")
    [ -z "$err" ] || { echo "$err"; return 1; }
    [ -n "$out" ] || { echo "empty page"; return 1; }
  done
}
rendered() { LC_ALL=C.UTF-8 MANWIDTH=200 man -E UTF-8 -l "$1" 2>/dev/null | col -b; }

pages=(isthmusd.8 isthmusctl.8 isthmus.json.5)
sed 's/^\.SH DESCRIPTION$/.XX DESCRIPTION/' "$src/docs/man/isthmusd.8" > "$work/broken-macro.8"
sed '0,/^\.B isthmusd$/s//.B \\*[nosuch]isthmusd/' "$src/docs/man/isthmusd.8" > "$work/broken-string.8"
sed '0,/^\.B isthmusd$/s//.B \\yisthmusd/' "$src/docs/man/isthmusd.8" > "$work/broken-escape.8"
rejects() { ! render_clean "$1" >/dev/null; }
check "the checker catches an unknown macro" rejects "$work/broken-macro.8"
check "the checker catches an undefined string" rejects "$work/broken-string.8"
check "the checker catches a bad escape" rejects "$work/broken-escape.8"

for p in "${pages[@]}"; do
  page=$src/docs/man/$p
  check "$p renders without warnings" render_clean "$page"
  check "$p carries version $version" grep -q "^\.TH .* \"isthmus $version\" " "$page"
  for section in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
    check "$p has a $section section" grep -qx "\.SH $section" "$page"
  done
done

# Every option --help names is documented (the page would otherwise lag behind the program).
documents_options() {  # documents_options PAGE PROGRAM
  local text opt missing=0
  text=$(rendered "$1")
  for opt in $("$2" --help | grep -oE -- '(^|[^[:alnum:]-])--?[[:alpha:]][[:alnum:]-]*' | grep -oE -- '--?[[:alpha:]][[:alnum:]-]*' | grep -vxE -- '--[A-Z]+' | sort -u); do
    grep -qF -- "$opt" <<<"$text" || { echo "  $1 does not mention $opt"; missing=1; }
  done
  return $missing
}
check "isthmusd.8 names every option of isthmusd --help" documents_options "$src/docs/man/isthmusd.8" "$isthmusd"
check "isthmusctl.8 names every option of isthmusctl --help" documents_options "$src/docs/man/isthmusctl.8" "$isthmusctl"
# The option check itself can fail: a page that never mentions --version.
sed 's/\\-\\-version/VERSION/g' "$src/docs/man/isthmusd.8" > "$work/no-version.8"
misses() { ! documents_options "$@" >/dev/null; }
check "the option check catches a page that lacks --version" misses "$work/no-version.8" "$isthmusd"

# Every command a running daemon offers (`isthmusctl help`, with BGP and LDP configured so their
# commands are there) is in isthmusctl.8. The daemon runs in a network namespace of its own (unshare), so its
# BGP listener cannot meet anything else on this machine.
daemon_commands() {  # daemon_commands OUTFILE: one command per line, arguments dropped
  [ "$(id -u)" -eq 0 ] || { echo "  needs root (unshare --net)"; return 1; }
  local sock=$work/ctl.sock pid i
  cat >"$work/ctl.json" <<JSON
{ "version": 1, "router-id": "192.0.2.1", "control-socket": "$sock",
  "ldp": { "targeted-neighbors": [ { "address": "192.0.2.2" } ] },
  "bgp": { "local-as": 65000, "neighbors": [ { "address": "192.0.2.2", "remote-as": 65000, "passive": true } ] } }
JSON
  unshare --net "$isthmusd" --config "$work/ctl.json" 2>"$work/daemon.log" &
  pid=$!
  for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.2; done
  "$isthmusctl" --socket "$sock" --json help >"$work/help.json" || { kill "$pid"; wait "$pid" || true; cat "$work/daemon.log"; return 1; }
  kill "$pid"; wait "$pid" || true
  python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["commands"]:
    print(" ".join(w for w in c["command"].split() if not w.startswith(("<", "["))))' "$work/help.json" >"$1"
  [ -s "$1" ]
}
documents_commands() {  # documents_commands PAGE COMMANDS_FILE
  local text c missing=0
  text=$(rendered "$1")
  while read -r c; do
    grep -qF -- "$c" <<<"$text" || { echo "  $1 does not mention \"$c\""; missing=1; }
  done <"$2"
  return $missing
}
if check "a running isthmusd lists its commands" daemon_commands "$work/commands"; then
  echo "  commands: $(paste -sd, "$work/commands")"
  sed '/show bgp summary/d' "$src/docs/man/isthmusctl.8" >"$work/no-summary.8"
  lacks() { ! documents_commands "$@" >/dev/null; }
  check "the command check catches a page without \"show bgp summary\"" lacks "$work/no-summary.8" "$work/commands"
  check "isthmusctl.8 documents every command of isthmusctl help" documents_commands "$src/docs/man/isthmusctl.8" "$work/commands"
fi

# The exit statuses the programs use are the ones the pages list.
check "isthmusctl.8 lists exit statuses 0 1 2 3" bash -c "[ \"\$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' '$src/docs/man/isthmusctl.8' | grep -A1 '^\.TP' | grep -oE '^\.B [0-9]+' | tr -d '.B ' | tr '\n' ' ')\" = '0 1 2 3 ' ]"
check "isthmusd.8 lists exit statuses 0 1 2" bash -c "[ \"\$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' '$src/docs/man/isthmusd.8' | grep -A1 '^\.TP' | grep -oE '^\.B [0-9]+' | tr -d '.B ' | tr '\n' ' ')\" = '0 1 2 ' ]"
echo "docs-man: $failures failure(s), $((SECONDS - start)) s"
[ "$failures" -eq 0 ]
