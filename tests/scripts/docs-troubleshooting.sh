#!/usr/bin/env bash
# docs/troubleshooting.md has an entry for every message isthmusd can print about the kernel. The
# messages are read from the source, so a new one without an entry fails this test:
#   - every kernel-precondition finding in netlink/preconditions.cpp ({S::error|S::warning, problem, fix}):
#     the problem needs an entry (a heading or table row quoting it) and the fix command must appear;
#   - every message in netlink/ (log::*() format strings, err(...), fail(...), sys_error(...), and the
#     returns of functions that build reasons or errors: *reason*, *error*, describe*);
#   - the same calls under daemon/ when their text is about the kernel (kernel, LFIB, netlink,
#     monitor, sysctl, MPLS, nexthop, modprobe).
# A message is its literal pieces in order, with whatever is computed at run time as a gap; an entry
# matches when a `code span` in a heading or a table row's first cell reads as the whole message,
# any text standing in for each gap (`net.mpls.platform_labels is N: label L would be refused`).
# Messages that are only a gap (log::critical("{}", e)) pass another message on and are skipped.
# Usage: docs-troubleshooting.sh SOURCE_ROOT [DOC]      (DOC defaults to SOURCE_ROOT/docs/troubleshooting.md)
#        docs-troubleshooting.sh --list SOURCE_ROOT     (print the extracted messages)
set -euo pipefail
start=$SECONDS
list=0
if [ "${1:-}" = --list ]; then list=1; shift; fi
src=$1
doc=${2:-$src/docs/troubleshooting.md}
python3 - "$src" "$doc" "$list" <<'PY'
import os, re, sys

src, doc, list_only = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
KERNEL_WORDS = re.compile(r"kernel|lfib|netlink|monitor|sysctl|mpls|nexthop|modprobe", re.I)
GAP = None  # a run-time value inside a message

def lex(text):
    """Code with comments removed and each string literal replaced by @S<n>@; the literals decoded."""
    out, lits, i, n = [], [], 0, len(text)
    esc = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "0": "\0"}
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif c == "R" and i + 1 < n and text[i + 1] == '"' and not (i and (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i)
            lits.append(text[i + len(m.group(0)):end])
            out.append("@S%d@" % (len(lits) - 1))
            i = end + len(m.group(1)) + 2
        elif c == '"':
            j, s = i + 1, []
            while text[j] != '"':
                if text[j] == "\\":
                    s.append(esc.get(text[j + 1], text[j + 1]))
                    j += 2
                else:
                    s.append(text[j])
                    j += 1
            lits.append("".join(s))
            out.append("@S%d@" % (len(lits) - 1))
            i = j + 1
        elif c == "'" and not (i and text[i - 1].isalnum()):  # a char literal (not a digit separator)
            j = i + 1
            while text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            out.append("0")
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out), lits

OPEN, CLOSE = "([{", ")]}"

def args_at(code, i):
    """Top-level arguments of the call or brace list whose opening bracket is at code[i]."""
    depth, parts, cur = 0, [], []
    for j in range(i, len(code)):
        c = code[j]
        if c in OPEN:
            depth += 1
            if depth == 1:
                continue
        elif c in CLOSE:
            depth -= 1
            if depth == 0:
                parts.append("".join(cur))
                return [p.strip() for p in parts]
        elif c == "," and depth == 1:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(c)
    return [p.strip() for p in parts]

def split_top(expr, sep):
    depth, parts, cur, k = 0, [], [], 0
    while k < len(expr):
        c = expr[k]
        if c in OPEN:
            depth += 1
        elif c in CLOSE:
            depth -= 1
        if depth == 0 and expr.startswith(sep, k):
            parts.append("".join(cur))
            cur = []
            k += len(sep)
            continue
        cur.append(c)
        k += 1
    parts.append("".join(cur))
    return [p.strip() for p in parts]

def pattern(expr, lits, fmt=False):
    """An expression as a list of literal pieces and GAPs."""
    items = []
    for term in split_top(expr, "+"):
        m = re.fullmatch(r"(?:std::string\s*\(\s*)?((?:@S\d+@\s*)+)\)?", term)
        if m and term.count("(") == term.count(")"):
            text = "".join(lits[int(x)] for x in re.findall(r"@S(\d+)@", m.group(1)))
            if fmt:
                for k, piece in enumerate(re.split(r"\{[^{}]*\}", text)):
                    if k:
                        items.append(GAP)
                    items.append(piece)
            else:
                items.append(text)
            continue
        if "?" in split_top(term, "?")[0] or len(split_top(term, "?")) > 1:
            items.append(GAP)  # a choice between texts: either reads as a gap
            continue
        m = re.fullmatch(r"(?:std::string\s*)?\((.*)\)(?:\.c_str\(\))?", term, re.S)
        if m and m.group(1).count("(") == m.group(1).count(")"):
            items += pattern(m.group(1), lits, fmt)
            continue
        items.append(GAP)
    merged = []
    for it in items:
        if it == "":
            continue
        if merged and it is not GAP and merged[-1] is not GAP:
            merged[-1] += it
        elif not (merged and it is GAP and merged[-1] is GAP):
            merged.append(it)
    return merged

def show(p):
    return "".join("…" if x is GAP else x for x in p)

def meaningful(p):
    return any(x is not GAP and re.search(r"[A-Za-z]{2}", x) for x in p)

def function_names(code):
    """(position, name) of each function definition: a line at column 0 that opens a parameter list."""
    found = []
    for m in re.finditer(r"(?m)^(?!namespace\b|using\b|struct\b|class\b|enum\b|#|\}|template\b)[A-Za-z_].*?(\w+)\s*\(", code):
        found.append((m.start(), m.group(1)))
    return found

messages = {}   # shown text -> (pattern, kind, where)
fixes = {}

def add(p, kind, where):
    if meaningful(p):
        messages.setdefault(show(p), (p, kind, where))

for area in ("netlink", "daemon"):
    for root, _, files in os.walk(os.path.join(src, area)):
        for f in sorted(files):
            if not f.endswith((".cpp", ".hpp")):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, src)
            code, lits = lex(open(path, encoding="utf-8").read())
            found = []
            for m in re.finditer(r"\blog::(debug|info|notice|warning|error|critical|at)\s*\(", code):
                a = args_at(code, m.end() - 1)
                a = a[1:] if m.group(1) == "at" else a
                if a and a[0].startswith("@S"):
                    found.append((pattern(a[0], lits, fmt=True), "log", m.start()))
            for m in re.finditer(r"(?<![\w.>:])(err|sys_error)\s*\(|[.>](fail)\s*\(", code):
                a = args_at(code, m.end() - 1)
                if a and a[0]:
                    # sys_error(what) reads "what: <errno text>"
                    tail = [": ", GAP] if m.group(1) == "sys_error" else []
                    found.append((pattern(a[0], lits) + tail, "error", m.start()))
            if area == "netlink":
                defs = function_names(code)
                # Only returns that start with text: "op + ' nexthop ' + ..." describes, it is no message.
                for m in re.finditer(r"\breturn\s+((?:std::string\s*\(\s*)?@S[^;]*);", code):
                    owner = [name for pos, name in defs if pos < m.start()]
                    if owner and re.search(r"reason|error|describe", owner[-1], re.I):
                        found.append((pattern(m.group(1), lits), "error", m.start()))
            if rel == os.path.join("netlink", "preconditions.cpp"):
                for m in re.finditer(r"\{\s*S::(error|warning)\s*,", code):
                    a = args_at(code, m.start())
                    found.append((pattern(a[1], lits), "precondition " + m.group(1), m.start()))
                    if len(a) > 2 and meaningful(pattern(a[2], lits)):
                        fixes.setdefault(show(pattern(a[2], lits)), pattern(a[2], lits))
            for p, kind, pos in found:
                if area == "daemon" and not KERNEL_WORDS.search(" ".join(x for x in p if x is not GAP)):
                    continue
                add(p, kind, "%s:%d" % (rel, code.count("\n", 0, pos) + 1))

if list_only:
    for text, (p, kind, where) in sorted(messages.items(), key=lambda kv: kv[1][2]):
        print("%-28s %-22s %s" % (where, kind, text))
    for text in fixes:
        print("%-28s %-22s %s" % ("", "fix", text))
    sys.exit(0)

def regex(p):
    return re.compile("".join(".+" if x is GAP else re.escape(x) for x in p) + r"\Z", re.S)

entries, commands, in_block = [], [], False
for line in open(doc, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("```"):
        in_block = not in_block
        continue
    if in_block:
        commands.append(line.strip().lstrip("$# ").strip())
        continue
    spans = re.findall(r"`([^`]+)`", line)
    commands += spans
    if line.startswith("#"):
        entries += spans
    elif line.startswith("|"):
        cells = line.split("|")
        if len(cells) > 2:
            entries += re.findall(r"`([^`]+)`", cells[1])

missing = 0
for text, (p, kind, where) in sorted(messages.items(), key=lambda kv: kv[1][2]):
    r = regex(p)
    if not any(r.match(e) for e in entries):
        print("MISSING (%s, %s): %s" % (kind, where, text))
        missing += 1
for text, p in fixes.items():
    r = regex(p)
    if not any(r.match(c) for c in commands):
        print("MISSING (fix command): %s" % text)
        missing += 1
print("troubleshooting: %d message(s) and %d fix command(s) from the source, %d without an entry in %s"
      % (len(messages), len(fixes), missing, os.path.relpath(doc, src) if doc.startswith(src) else doc))
sys.exit(1 if missing else 0)
PY
rc=$?
echo "docs-troubleshooting: $((SECONDS - start)) s"
exit $rc
