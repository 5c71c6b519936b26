#!/usr/bin/env bash
# Relative links in README.md and docs/*.md point at files that exist, and #anchors at headings that
# exist (GitHub's slugs: lower case, punctuation dropped, spaces to hyphens). The checker is first
# shown to catch a broken file link and a broken anchor.
# Usage: docs-links.sh SOURCE_ROOT
set -euo pipefail
start=$SECONDS
src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check_links() {  # check_links FILE... : prints each broken link, fails if any
python3 - "$@" <<'PY'
import os, re, sys
def slugs(path):
    out, fence = set(), False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            fence = not fence
        if fence or not line.startswith("#"):
            continue
        title = line.lstrip("#").strip()
        out.add(re.sub(r"[^\w\- ]", "", title.lower().replace("`", "")).replace(" ", "-"))
    return out
bad = 0
for doc in sys.argv[1:]:
    text = re.sub(r"```.*?```", "", open(doc, encoding="utf-8").read(), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # http:, man:, mailto:
        path, _, anchor = target.partition("#")
        full = os.path.normpath(os.path.join(os.path.dirname(doc), path)) if path else doc
        if not os.path.exists(full):
            print("%s: no file %s" % (doc, target)); bad += 1
        elif anchor and full.endswith(".md") and anchor not in slugs(full):
            print("%s: no heading #%s in %s" % (doc, anchor, path or "this file")); bad += 1
sys.exit(1 if bad else 0)
PY
}
failures=0
source "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"  # check DESCRIPTION COMMAND...
printf '# T\n\nsee [a](nosuch.md) and [b](#t) and [c](#nosuch)\n' >"$work/broken.md"
check "the checker catches a missing file and a missing anchor" \
  bash -c "$(declare -f check_links); out=\$(check_links '$work/broken.md') && exit 1; [ \$(wc -l <<<\"\$out\") -eq 2 ]"
check "every relative link and anchor in README.md and docs/*.md resolves" check_links "$src/README.md" "$src"/docs/*.md
echo "docs-links: $failures failure(s), $((SECONDS - start)) s"
[ "$failures" -eq 0 ]
