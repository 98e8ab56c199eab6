#!/bin/sh
# e2e-scenarios: what `cascade analyze --format json` says about each incident scenario of
# tests/data/scenarios/ (written by tests/scenarios/make-scenarios.py from real message formats:
# power loss, network partition with HA fencing, rolling maintenance, two nodes down and quorum
# loss, a skewed clock, a flapping knet link, a reboot from the web UI).
#
# Per scenario: every <node>.export becomes a real journal file (systemd-journal-remote), the
# directory is ingested into a fresh database, analysed, and the JSON is compared with
# expect.json:
#   "expect":   {"incidents.0.classification": "quorum-loss", ...}  exact match of the value at
#               that path ("incidents.length" is the number of incidents); a list is compared as
#               a set
#   "approx":   {"incidents.0.clock_skew.hv13": {"value": 2.5, "tolerance": 0.05}}
#   "contains": {"incidents.0.root_cause.summary": "root@pam"}  substring
#   "timeline": [{"incident": 0, "kind": "node.left", "node": "hv12", "ts": "...Z", "tolerance": 0.1}]
#               the incident's first timeline entry of that kind and node lies within tolerance
#               seconds of ts; or, with "from" and "to" instead of ts/tolerance, inside that range
# One TAP line per check; a failed check prints the value found and the incidents cascade saw.
. "$CASCADE_SOURCE_ROOT/tests/lib-e2e.sh"
[ -n "$CASCADE_BIN" ] && [ -x "$CASCADE_BIN" ] || { echo "Bail out! CASCADE_BIN is not set or not executable"; exit 1; }
[ -n "$JOURNAL_REMOTE" ] && [ -x "$JOURNAL_REMOTE" ] || skip_all "systemd-journal-remote not found (JOURNAL_REMOTE unset)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"

SCEN=$CASCADE_SOURCE_ROOT/tests/data/scenarios
[ -d "$SCEN" ] || { echo "Bail out! no scenarios in $SCEN"; exit 1; }

cat >"$T/check.py" <<'EOF'
import json, re, sys

expect_path, actual_path, name = sys.argv[1:4]
with open(expect_path, encoding="utf-8") as f:
    want = json.load(f)
try:
    with open(actual_path, encoding="utf-8") as f:
        got = json.load(f)
except (OSError, ValueError) as e:
    print("fail\t%s: analyze output is JSON\tcannot read %s: %s" % (name, actual_path, e))
    sys.exit(0)
failed = False


def report(ok, desc, why=""):
    global failed
    failed |= not ok
    print("%s\t%s: %s\t%s" % ("ok" if ok else "fail", name, desc, why))


MISSING = object()


def lookup(doc, path):
    cur = doc
    for part in path.split("."):
        if isinstance(cur, list) and part == "length":
            cur = len(cur)
        elif isinstance(cur, list) and re.fullmatch(r"\d+", part):
            if int(part) >= len(cur):
                return MISSING
            cur = cur[int(part)]
        elif isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return MISSING
    return cur


def show(v):
    return "(missing)" if v is MISSING else json.dumps(v)


def same(a, b):
    if isinstance(a, list) and isinstance(b, list):
        return sorted(set(json.dumps(x) for x in a)) == sorted(set(json.dumps(x) for x in b))
    return json.dumps(a) == json.dumps(b)


def seconds(ts):
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", ts or "")
    if not m:
        return None
    import calendar
    y, mo, d, h, mi, s = (int(x) for x in m.group(1, 2, 3, 4, 5, 6))
    frac = float("0." + m.group(7)) if m.group(7) else 0.0
    off = 0
    if m.group(8) != "Z":
        sign = 1 if m.group(8)[0] == "+" else -1
        off = sign * (int(m.group(8)[1:3]) * 3600 + int(m.group(8)[4:6]) * 60)
    return calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) + frac - off


for path, value in want.get("expect", {}).items():
    v = lookup(got, path)
    report(v is not MISSING and same(v, value), "%s = %s" % (path, json.dumps(value)), "got " + show(v))
for path, spec in want.get("approx", {}).items():
    v = lookup(got, path)
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v - spec["value"]) <= spec["tolerance"]
    report(ok, "%s = %s +- %s" % (path, spec["value"], spec["tolerance"]), "got " + show(v))
for path, text in want.get("contains", {}).items():
    v = lookup(got, path)
    report(isinstance(v, str) and text in v, "%s mentions %s" % (path, json.dumps(text)), "got " + show(v))
for spec in want.get("timeline", []):
    entries = lookup(got, "incidents.%d.timeline" % spec["incident"])
    hit = None
    if isinstance(entries, list):
        hit = next((e for e in entries if e.get("kind") == spec["kind"] and e.get("node") == spec["node"]), None)
    ok = False
    why = "no %s entry of %s" % (spec["kind"], spec["node"])
    if "ts" in spec:
        lo, hi = seconds(spec["ts"]) - spec["tolerance"], seconds(spec["ts"]) + spec["tolerance"]
        when = "at %s +- %ss" % (spec["ts"], spec["tolerance"])
    else:
        lo, hi = seconds(spec["from"]), seconds(spec["to"])
        when = "between %s and %s" % (spec["from"], spec["to"])
    if hit is not None:
        t = seconds(hit.get("ts"))
        ok = t is not None and lo <= t <= hi
        why = "got %s" % hit.get("ts")
    report(ok, "incident %d timeline: %s of %s %s" % (spec["incident"] + 1, spec["kind"], spec["node"], when), why)

if failed:
    # what cascade saw, to diagnose from the test log
    print("diag\t%s: cascade found %d incident(s)" % (name, len(got.get("incidents", []))))
    for inc in got.get("incidents", []):
        rc = inc.get("root_cause") or {}
        print("diag\t  #%s %s..%s %s, root cause %s on %s, min_members %s/%s, quorum_lost %s %s, fenced %s, skew %s"
              % (inc.get("id"), inc.get("start"), inc.get("end"), inc.get("classification"), rc.get("kind"),
                 rc.get("node"), inc.get("min_members"), inc.get("nodes_expected"), inc.get("quorum_lost"),
                 inc.get("quorum_lost_nodes"), inc.get("fenced_nodes"), json.dumps(inc.get("clock_skew"))))
        print("diag\t    %s" % rc.get("summary"))
        for e in inc.get("timeline", []):
            print("diag\t    %s %s %s: %s" % (e.get("ts"), e.get("node"), e.get("kind"), e.get("summary")))
EOF

for dir in "$SCEN"/*/; do
        dir=${dir%/}
        name=$(basename "$dir")
        [ -f "$dir/expect.json" ] || continue
        w=$T/$name
        mkdir -p "$w/journal"
        for f in "$dir"/*.export; do
                node=$(basename "$f" .export)
                mkjournal "$w/journal/$node.journal" "$f"
        done
        cas "$name-ingest" --db "$w/db" ingest --no-progress "$w/journal"
        is_rc "$name-ingest" 0
        cas "$name-analyze" --db "$w/db" analyze --format json
        is_rc "$name-analyze" 0
        python3 "$T/check.py" "$dir/expect.json" "$T/$name-analyze.out" "$name" >"$T/$name.checks" ||
                echo "fail	$name: expectation checker ran	python3 failed" >>"$T/$name.checks"
        while IFS='	' read -r verdict desc why; do
                case $verdict in
                ok) pass "$desc" ;;
                fail)
                        fail "$desc"
                        diag "$why"
                        ;;
                diag) diag "$desc" ;;
                esac
        done <"$T/$name.checks"
done

done_testing
