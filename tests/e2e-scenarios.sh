#!/bin/sh
# e2e-scenarios: what `cascade analyze --format json` says about each incident scenario of
# tests/data/scenarios/ (written by tests/scenarios/make-scenarios.py from real message formats:
# power loss, network partition with HA fencing, rolling maintenance, two nodes down and quorum
# loss, a skewed clock, a flapping knet link, a reboot from the web UI, a frozen node fenced, a
# node whose logs are missing, two-node clusters with a QDevice and with two_node, two of five
# nodes lost, a Pacemaker cluster fencing a cut-off node).
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
#
# Then the ablation pass: the same story must be read from part of the logs.  For every single node
# and every pair of nodes (pairs only with more than two exports), with and without the scenario's
# corosync.conf (ingested as one more source), only those nodes' journal files go into a fresh
# database and expect.json's "ablation" object is checked, one TAP line per (scenario, view, conf):
#   "incident": true             the view finds exactly one incident (the story has one) ...
#                                (false: the story has none, and no view may find one)
#   "classification": [...]      ... classified as one of these (what a partial view may conclude),
#   "root_node": "pve-b"         ... whose root cause names that node (a list: any of them).  A view
#                                without corosync.conf and without that node's own logs cannot know
#                                its name: there "node N" (its id in corosync.conf) is right too;
#   "classification_not": [...]  and no incident of the view is classified as any of these.
#   "views_without_incident": ["kvm-c"], "why": {"kvm-c": "..."}: views that cannot see the
#                                incident: none is required of them, but what they report must be
#                                of an allowed classification.
# A diagnostic summary per scenario ("partition-fence: 10/12 views right") ends the output.
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

# chart_check NAME REPORT: the postmortem's chart (tests/chart-check.py): rows sound, bars of a row
# never overlapping, and what the scenario's story puts on it: milestones on the row of the node
# they happened to, quorum lost as a critical stretch. This pass ingests no corosync.conf, so quorum
# is counted in members (e2e-example checks the votes a corosync.conf gives).
chart_check() {
        report=$2
        case $1 in
        two-down-quorum-loss)
                set -- 'pm2~power-off requested :milestone, ' 'pm3~power-off requested :milestone, ' 'pm1!~milestone' \
                        'cluster quorum~no quorum 1/3 members :crit, ' ;;
        self-fence)
                set -- 'hv03~fenced :milestone, crit, ' 'hv03~fence acknowledged by HA :milestone, crit, ' \
                        'hv01!~milestone' 'cluster quorum~quorate 2/3 members :active, ' 'cluster quorum!~:crit' ;;
        partition-fence)
                set -- 'hv03~fenced :milestone, crit, ' 'hv03~out :crit, ' 'cluster quorum!~:crit' ;;
        power-loss)
                set -- 'pve-b~crash or power loss :milestone, crit, ' 'pve-b~out :crit, ' ;;
        *)
                set -- ;;
        esac
        python3 "$CASCADE_SOURCE_ROOT/tests/chart-check.py" "$report" "$@"
}

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
        report_checks "$T/$name.checks"
        cas "$name-report" --db "$w/db" report -o "$w/report.md"
        is_rc "$name-report" 0
        check "$name: the report's chart" chart_check "$name" "$w/report.md"
done

# ---- ablation: the story from one node's or two nodes' logs, with and without corosync.conf ----

cat >"$T/ablation.py" <<'EOF'
import json, re, sys

expect_path, conf_path, manifest, name = sys.argv[1:5]
with open(expect_path, encoding="utf-8") as f:
    want = json.load(f)["ablation"]
# name -> corosync node id, from the scenario's corosync.conf ("node 5" is how cascade shows a node
# it knows only by id)
ids, cur = {}, {}
if conf_path:
    with open(conf_path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*(name|nodeid):\s*(\S+)", line)
            if m:
                cur[m.group(1)] = m.group(2)
            if "name" in cur and "nodeid" in cur:
                ids[cur.pop("name")] = cur.pop("nodeid")
roots = want["root_node"] if isinstance(want["root_node"], list) else [want["root_node"]]
allowed, never = want["classification"], want.get("classification_not", [])
blind = want.get("views_without_incident", [])
right = total = 0
with open(manifest, encoding="utf-8") as f:
    runs = [line.rstrip("\n").split("\t") for line in f if line.strip()]
for view, conf, out, rc_ingest, rc_analyze in runs:
    nodes = view.split("+")
    label = "%s [%s, %s]" % (name, view, "conf" if conf == "conf" else "no conf")
    problems, incidents = [], []
    if rc_ingest != "0" or rc_analyze != "0":
        problems.append("ingest exit %s, analyze exit %s" % (rc_ingest, rc_analyze))
        for path in (out[:-5] + ".ingest", out[:-5] + ".err"):
            with open(path, encoding="utf-8", errors="replace") as f:
                problems += ["%s: %s" % (path.rsplit("/", 1)[-1], line.strip()) for line in f.readlines()[-3:]]
    else:
        try:
            with open(out, encoding="utf-8") as f:
                incidents = json.load(f).get("incidents", [])
        except (OSError, ValueError) as e:
            problems.append("analyze output is not JSON (%s)" % e)
    # the root node by name, or as "node N" where the view cannot know its name
    names = set(roots)
    for r in roots:
        if conf != "conf" and r not in nodes and r in ids:
            names.add("node %s" % ids[r])
    for c in sorted(set(inc.get("classification") for inc in incidents), key=str):
        if c in never:
            problems.append("classified %s, never right here" % c)
        elif c not in allowed:
            problems.append("classified %s, want %s" % (c, " or ".join(allowed)))
    if view in blind:
        what = "%d incident(s), none wrong; it cannot see the incident: %s" % (
            len(incidents), want.get("why", {}).get(view, "(no reason given)"))
    elif not want.get("incident", True):
        if incidents and not problems:
            problems.append("%d incidents, want none" % len(incidents))
        what = "no incident"
    else:
        if len(incidents) != 1 and not problems:
            problems.append("%d incidents, want 1" % len(incidents))
        if len(incidents) == 1:
            got = (incidents[0].get("root_cause") or {}).get("node")
            if got not in names:
                problems.append("root node %s, want %s" % (got or "(none)", " or ".join(sorted(names))))
            what = "one %s incident, root node %s" % (incidents[0].get("classification"), got)
    total += 1
    if problems:
        # The description is the view alone: tests/known-gaps.txt names checks by it.
        print("fail\t%s\t%s" % (label, "; ".join(problems)))
        for inc in incidents:
            rc = inc.get("root_cause") or {}
            print("diag\t  saw #%s %s..%s %s, root cause %s on %s, members %s/%s, fenced %s\t" % (
                inc.get("id"), inc.get("start"), inc.get("end"), inc.get("classification"), rc.get("kind"),
                rc.get("node"), inc.get("min_members"), inc.get("nodes_expected"), inc.get("fenced_nodes")))
    else:
        right += 1
        print("ok\t%s\t%s" % (label, what))
print("summary\t%s: %d/%d views right\t" % (name, right, total))
EOF

# views NODE...: one view per line, the nodes of a pair joined by '+': every node alone, then every
# pair when there are more than two nodes
views() {
        for a; do echo "$a"; done
        [ $# -gt 2 ] || return 0
        while [ $# -gt 1 ]; do
                a=$1
                shift
                for b; do echo "$a+$b"; done
        done
}

: >"$T/ablation-summary"
for dir in "$SCEN"/*/; do
        dir=${dir%/}
        name=$(basename "$dir")
        grep -q '"ablation"' "$dir/expect.json" 2>/dev/null || continue
        w=$T/$name     # the journal files of the full view are reused
        conf=
        [ -f "$dir/corosync.conf" ] && conf=$dir/corosync.conf
        nodes=
        for f in "$dir"/*.export; do
                nodes="$nodes $(basename "$f" .export)"
        done
        : >"$w/manifest"
        n=0
        # shellcheck disable=SC2086 # node names have no blanks
        for view in $(views $nodes); do
                files=
                for node in $(echo "$view" | tr '+' ' '); do
                        files="$files $w/journal/$node.journal"
                done
                for c in noconf ${conf:+conf}; do
                        n=$((n + 1))
                        db=$w/ablation-$n.db
                        sources=$files
                        [ "$c" = conf ] && sources="$conf $files"
                        # shellcheck disable=SC2086 # the list of sources
                        "$CASCADE_BIN" --db "$db" ingest --no-progress $sources >"$w/ablation-$n.ingest" 2>&1
                        ri=$?
                        "$CASCADE_BIN" --db "$db" analyze --format json >"$w/ablation-$n.json" 2>"$w/ablation-$n.err"
                        ra=$?
                        rm -f "$db" "$db-wal" "$db-shm"
                        printf '%s\t%s\t%s\t%s\t%s\n' "$view" "$c" "$w/ablation-$n.json" "$ri" "$ra" >>"$w/manifest"
                done
        done
        python3 "$T/ablation.py" "$dir/expect.json" "$conf" "$w/manifest" "$name" >"$w/ablation.checks" ||
                echo "fail	$name: ablation checker ran	python3 failed" >>"$w/ablation.checks"
        report_checks "$w/ablation.checks" "$T/ablation-summary"
done
while read -r line; do diag "$line"; done <"$T/ablation-summary"

done_testing
