#!/bin/sh
# e2e-excerpts: what `cascade analyze --format json` says about real incidents whose logs were
# posted publicly (tests/data/excerpts/<slug>/, see its README.md), checked against the outcome
# the thread established (never against cascade's own output).
#
# Per incident: every file of expect.json's "files" is ingested into a fresh database
#   cascade --db DB --tz TZ ingest --no-progress --year YEAR [--node NODE] FILE
# then analysed, and each key of "expect" becomes one TAP line, about the incident with the
# earliest start (or "incident": N, 0-based):
#   incidents_min N          at least N incidents
#   classification [..]      the classification is one of these
#   classification_not [..]  the classification is none of these
#   root_node NAME|[..]      the root cause's node is NAME (or one of the accepted spellings)
#   not_root [..]            the root cause's node is none of these (an unknown root passes)
#   fenced_nodes_include [..] each entry (a name, or a list of accepted spellings) is fenced
#   quorum_lost BOOL         quorum_lost of the incident
# A failed check prints what cascade found (incidents, classification, root cause, summary).
. "$CASCADE_SOURCE_ROOT/tests/lib-e2e.sh"
[ -n "$CASCADE_BIN" ] && [ -x "$CASCADE_BIN" ] || { echo "Bail out! CASCADE_BIN is not set or not executable"; exit 1; }
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"

EXC=$CASCADE_SOURCE_ROOT/tests/data/excerpts
[ -d "$EXC" ] || { echo "Bail out! no excerpts in $EXC"; exit 1; }

# plan.py EXPECT: the ingest plan, one "year<TAB>tz<TAB>file<TAB>node" line per file ("-" = no --node).
cat >"$T/plan.py" <<'EOF'
import json, sys

with open(sys.argv[1], encoding="utf-8") as f:
    want = json.load(f)
for name, node in want.get("files", {}).items():
    print("%s\t%s\t%s\t%s" % (want.get("year", ""), want.get("tz", "UTC"), name, node or "-"))
EOF

cat >"$T/check.py" <<'EOF'
import json, sys

expect_path, actual_path, name = sys.argv[1:4]
with open(expect_path, encoding="utf-8") as f:
    want = json.load(f)
exp = want.get("expect", {})
try:
    with open(actual_path, encoding="utf-8") as f:
        got = json.load(f)
except (OSError, ValueError) as e:
    for key in exp:
        print("fail\t%s: %s\tanalyze output is not JSON (%s)" % (name, key, e))
    sys.exit(0)
incidents = got.get("incidents") or []
failed = False


def report(ok, desc, why=""):
    global failed
    failed |= not ok
    print("%s\t%s: %s\t%s" % ("ok" if ok else "fail", name, desc, why))


def alts(v):
    return v if isinstance(v, list) else [v]


def spell(v):
    return " or ".join(json.dumps(a) for a in alts(v))


if "incident" in exp:
    idx = exp["incident"]
    inc = incidents[idx] if 0 <= idx < len(incidents) else None
    which = "incident %d" % idx
else:
    inc = min(incidents, key=lambda i: i.get("start") or "") if incidents else None
    which = "first incident"
rc = (inc or {}).get("root_cause") or {}
root = rc.get("node")
none = "no such incident (cascade found %d)" % len(incidents)

# A check's description never depends on its outcome: tests/known-gaps.txt names checks by it.
if inc is None:
    inc = {}
    none_why = none
else:
    none_why = None


def why(text):
    return none_why or text


for key, value in exp.items():
    if key == "incident":
        continue
    if key == "incidents_min":
        report(len(incidents) >= value, "at least %d incident(s)" % value, "got %d" % len(incidents))
        continue
    if key == "classification":
        c = inc.get("classification")
        report(c in value, "%s classified as %s" % (which, " or ".join(value)), why("got %s" % json.dumps(c)))
    elif key == "classification_not":
        c = inc.get("classification")
        report(c is not None and c not in value, "%s not classified as %s" % (which, " or ".join(value)),
               why("got %s" % json.dumps(c)))
    elif key == "root_node":
        report(root in alts(value), "%s root cause on %s" % (which, spell(value)), why("got %s" % json.dumps(root)))
    elif key == "not_root":
        # An unknown root (no node) is not pinned on them either.
        report(bool(inc) and root not in value, "%s root cause not on %s" % (which, ", ".join(value)),
               why("got %s" % json.dumps(root)))
    elif key == "fenced_nodes_include":
        fenced = inc.get("fenced_nodes") or []
        for entry in value:
            report(any(a in fenced for a in alts(entry)), "%s fenced %s" % (which, spell(entry)),
                   why("fenced_nodes %s" % json.dumps(fenced)))
    elif key == "quorum_lost":
        q = inc.get("quorum_lost")
        report(q is value, "%s quorum_lost %s" % (which, json.dumps(value)), why("got %s" % json.dumps(q)))
    else:
        report(False, "unknown expectation %s" % key, "fix expect.json")

if failed:
    print("diag\t%s: cascade found %d incident(s)" % (name, len(incidents)))
    for i in incidents:
        r = i.get("root_cause") or {}
        print("diag\t  #%s %s..%s %s, root cause %s on %s, quorum_lost %s, fenced %s"
              % (i.get("id"), i.get("start"), i.get("end"), i.get("classification"), r.get("kind"),
                 r.get("node"), json.dumps(i.get("quorum_lost")), json.dumps(i.get("fenced_nodes"))))
        print("diag\t    %s" % r.get("summary"))
EOF

for dir in "$EXC"/*/; do
        dir=${dir%/}
        name=$(basename "$dir")
        [ -f "$dir/expect.json" ] || continue
        w=$T/$name
        mkdir -p "$w"
        if ! python3 "$T/plan.py" "$dir/expect.json" >"$w/plan"; then
                fail "$name: expect.json is readable"
                continue
        fi
        n=0
        while IFS='	' read -r year tz file node; do
                n=$((n + 1))
                set -- --db "$w/db" --tz "$tz" ingest --no-progress
                [ -n "$year" ] && set -- "$@" --year "$year"
                [ "$node" = "-" ] || set -- "$@" --node "$node"
                cas "$name-ingest-$n" "$@" "$dir/$file" </dev/null
                if [ "$rc" = 0 ]; then
                        pass "$name: ingest $file"
                else
                        fail "$name: ingest $file"
                        show "$name-ingest-$n"
                fi
        done <"$w/plan"
        cas "$name-analyze" --db "$w/db" --tz UTC analyze --format json
        is_rc "$name-analyze" 0
        python3 "$T/check.py" "$dir/expect.json" "$T/$name-analyze.out" "$name" >"$T/$name.checks" ||
                echo "fail	$name: expectation checker ran	python3 failed" >>"$T/$name.checks"
        report_checks "$T/$name.checks"
done

done_testing
