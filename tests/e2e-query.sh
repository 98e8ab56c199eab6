#!/bin/sh
# cascade query (read-only SQL; table, CSV quoted where RFC 4180 needs it, JSON with JSON nested)
# and cascade timeline (merged, skew-corrected, filtered, terminal-safe); the JSON of analyze and
# report: times RFC 3339 to the µs, UTC unless --tz.
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_journal_tools
db=$T/db
export CASCADE_PATTERNS_DIR=$CASCADE_SOURCE_ROOT/patterns
esc=$(printf '\033')
cat >"$T/a.log" <<EOF2
Nov 25 08:10:00 pve1 app[1]: plain, with "quotes" and a comma
Nov 25 08:10:01 pve2 app[2]: second node ${esc}[31mred${esc}[0m
Nov 25 08:10:02 pve1 corosync[9]:   [TOTEM ] Token has not been received in 2250 ms
Nov 25 08:10:03 pve2 corosync[9]:   [KNET  ] link: host: 1 link: 0 is down
EOF2
"$CASCADE_BIN" --db "$db" --tz UTC ingest --no-progress --year 2025 "$T/a.log" >/dev/null
q() { "$CASCADE_BIN" --db "$db" query "$@"; }

check "a write is refused" sh -c "! '$CASCADE_BIN' --db '$db' query 'DELETE FROM event' 2>'$T/w.err'"
contains "with a clear message" "$T/w.err" "opened read-only"
is "the event survived" "$(q --format csv 'SELECT count(*) FROM event' | tail -1)" 4
is "CSV: header row, quotes where RFC 4180 needs them" "$(q --format csv "SELECT message FROM timeline WHERE node = 'pve1' LIMIT 1")" \
        "$(printf 'message\n"plain, with ""quotes"" and a comma"')"
check "JSON: an array of objects keyed by column" sh -c "'$CASCADE_BIN' --db '$db' query --format json \
        'SELECT node, count(*) AS n FROM timeline GROUP BY node' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d == [{\"node\":\"pve1\",\"n\":2},{\"node\":\"pve2\",\"n\":2}], d'"
is "SQL from standard input" "$(echo "SELECT kind FROM tagged ORDER BY ts" | q --format csv - | tr '\n' ' ')" \
        'kind corosync.token.warning knet.link.down '
check "table format strips control characters" sh -c "! '$CASCADE_BIN' --db '$db' query --format table 'SELECT message FROM timeline' | grep -q '$esc'"

"$CASCADE_BIN" --db "$db" --tz UTC timeline >"$T/tl.txt"
is "timeline merges both nodes in time order" "$(cut -c12-19 "$T/tl.txt" | tr '\n' ' ')" "08:10:00 08:10:01 08:10:02 08:10:03 "
check "timeline strips escapes" sh -c "! grep -q '$esc' '$T/tl.txt'"
contains "timeline shows tags" "$T/tl.txt" "[corosync.token.warning]"
is "--node" "$("$CASCADE_BIN" --db "$db" timeline --node pve2 | wc -l)" 2
is "--kind prefix" "$("$CASCADE_BIN" --db "$db" timeline --kind knet. | wc -l)" 1
is "--grep" "$("$CASCADE_BIN" --db "$db" timeline --grep 'quo+tes' | wc -l)" 1
check "--format json parses" sh -c "'$CASCADE_BIN' --db '$db' timeline --format json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 4'"

# The skewed-clock scenario: hv13's clock is 2.5 s ahead; the timeline puts its lines back.
scen=$CASCADE_SOURCE_ROOT/tests/data/scenarios/skewed-clock
mkdir "$T/j"
for e in "$scen"/*.export; do "$JOURNAL_REMOTE" --output="$T/j/$(basename "$e" .export).journal" "$e" >/dev/null 2>&1; done
"$CASCADE_BIN" --db "$T/s.db" ingest --no-progress "$T/j" >/dev/null
ring=$(sqlite3 "$T/s.db" "SELECT json_extract(captures, '$.ring') FROM tag WHERE kind = 'corosync.membership' LIMIT 1")
"$CASCADE_BIN" --db "$T/s.db" timeline --utc --kind corosync.membership --format csv | grep -F "($ring)" >"$T/ring.csv"
check "the same ring id is logged at the same corrected time on every node" python3 - "$T/ring.csv" <<'PY'
import csv, sys, datetime
rows = list(csv.reader(open(sys.argv[1])))
ts = [datetime.datetime.fromisoformat(r[0].replace("Z", "+00:00")).timestamp() for r in rows]
assert len(rows) >= 2 and max(ts) - min(ts) < 0.1, rows
PY
# analyze keeps its results for the boots, incidents and membership views.
ex=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
"$CASCADE_BIN" --db "$T/ex.db" ingest --no-progress --year 2025 "$ex"/syslog/*.log "$ex"/syslog/auth/*.log >/dev/null
"$CASCADE_BIN" --db "$T/ex.db" analyze >/dev/null
is "boots view after analyze" "$("$CASCADE_BIN" --db "$T/ex.db" query --format csv \
        "SELECT node, end_kind, initiator FROM boots WHERE end_kind != 'running' ORDER BY node" | tail -2 | tr '\n' ' ')" \
        'proxmox,clean-reboot,root (ssh login from 192.168.1.50) proxmox2,clean-reboot,root (ssh login from 192.168.1.50) '
is "incidents view after analyze" "$("$CASCADE_BIN" --db "$T/ex.db" query --format csv "SELECT classification, root_node FROM incidents" | tail -1)" \
        'reboot-cascade,proxmox2'
check "membership view after analyze" test "$("$CASCADE_BIN" --db "$T/ex.db" query --no-header "SELECT count(*) FROM membership")" -ge 4

# ---- One output contract for machines (issue 15) ----
# CSV: quotes only where RFC 4180 needs them, "" is the empty string, no field is NULL, LF ends a
# record; what Python's csv module reads back is what SQL said.
q --format csv "SELECT 658 AS n, 'a,b' AS comma, 'say \"hi\"' AS quote, 'l1' || char(10) || 'l2' AS lf,
        'x' || char(13) || 'y' AS cr, '' AS empty, NULL AS null_, ' sp ' AS spaces, 'é' AS utf8" >"$T/special.csv"
is "CSV: bare fields bare, the rest quoted" "$(tail -n +2 "$T/special.csv" | od -An -c | tr -s ' ' | tr -d '\n')" \
        "$(printf '658,"a,b","say ""hi""","l1\nl2","x\ry","",, sp ,é\n' | od -An -c | tr -s ' ' | tr -d '\n')"
check "CSV: Python's csv module reads every value back" python3 -c "import csv,sys
rows=list(csv.reader(open(sys.argv[1], newline='')))
assert rows == [['n','comma','quote','lf','cr','empty','null_','spaces','utf8'],
                ['658','a,b','say \"hi\"','l1\nl2','x\ry','','',' sp ','é']], rows" "$T/special.csv"
check "CSV: every message of the timeline view round-trips" python3 -c "import csv,json,sys
c=[r['message'] for r in csv.DictReader(open(sys.argv[1], newline=''))]
j=[r['message'] for r in json.load(open(sys.argv[2]))]
assert c == j and len(c) == 4 and any(',' in m and '\"' in m for m in c), (c, j)" \
        "$(q --format csv 'SELECT message FROM timeline ORDER BY ts_usec' >"$T/m.csv"; echo "$T/m.csv")" \
        "$(q --format json 'SELECT message FROM timeline ORDER BY ts_usec' >"$T/m.json"; echo "$T/m.json")"
n=$(q --format csv --no-header 'SELECT count(*) FROM event')
is "--no-header: n=\$(cascade query ...) is the value itself" "$n" 4
is "--no-header: the table too" "$(q --format table --no-header "SELECT 'x' AS a, 1 AS b")" "x  1"
check "--no-header with JSON changes nothing" sh -c "test \"\$('$CASCADE_BIN' --db '$db' query --format json --no-header 'SELECT 1 AS a')\" = \"\$('$CASCADE_BIN' --db '$db' query --format json 'SELECT 1 AS a')\""

# JSON nests JSON: captures (stored as text), report_json, and what SQL's JSON functions return.
raw=$(sqlite3 "$db" "SELECT captures FROM tag WHERE kind = 'knet.link.down'")
q --format json "SELECT * FROM tagged WHERE kind = 'knet.link.down'" >"$T/tagged.json"
check "JSON: captures is an object, the one stored" python3 -c "import json,sys
d=json.load(open(sys.argv[1]))
assert isinstance(d[0]['captures'], dict) and d[0]['captures'] == json.loads(sys.argv[2]) and d[0]['captures'], d" \
        "$T/tagged.json" "$raw"
check "JSON: the tag table's captures too" sh -c "'$CASCADE_BIN' --db '$db' query --format json 'SELECT captures FROM tag' |
        python3 -c 'import json,sys; d=json.load(sys.stdin); assert d and all(isinstance(r[\"captures\"], dict) for r in d), d'"
q --format json "SELECT json_object('a', 1, 'b', json_array(1, 2)) AS obj, json('[1, 2]') AS arr, json_group_array(x) AS agg,
        '{\"x\":1}' AS plain_text, 'not {json' AS captures FROM (SELECT 1 AS x UNION ALL SELECT 2)" >"$T/nest.json"
check "JSON: json() and friends nest; other text stays a string, a column named captures too when not JSON" python3 -c "import json,sys
d=json.load(open(sys.argv[1]))
assert d == [{'obj': {'a': 1, 'b': [1, 2]}, 'arr': [1, 2], 'agg': [1, 2], 'plain_text': '{\"x\":1}', 'captures': 'not {json'}], d" "$T/nest.json"
rfc3339_utc='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$'
check "JSON: the views' times are RFC 3339 UTC to the µs" sh -c "'$CASCADE_BIN' --db '$db' query --format json 'SELECT ts FROM timeline' |
        python3 -c 'import json,re,sys; d=json.load(sys.stdin); assert len(d) == 4 and all(re.match(sys.argv[1], r[\"ts\"]) for r in d), d' '$rfc3339_utc'"

# analyze and report: the same JSON; every time RFC 3339 to the µs, UTC ('Z') unless --tz.
exq() { "$CASCADE_BIN" --db "$T/ex.db" "$@"; }
exq analyze --format json >"$T/analysis.json"
exq --tz Europe/Berlin analyze --format json >"$T/analysis-berlin.json"
cat >"$T/times.py" <<'PY'
# times.py FILE PATTERN [FILE2]: every string of FILE that looks like a time matches PATTERN; with
# FILE2, FILE2 is the same document with the same instants, whatever their offsets (prose that
# quotes a time of day, a summary, is in --tz: left out).
import datetime, json, re, sys
def walk(v, path=""):
    if isinstance(v, dict):
        for k, x in v.items():
            yield from walk(x, path + "." + k)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from walk(x, "%s.%d" % (path, i))
    else:
        yield path, v
def instant(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
a = dict(walk(json.load(open(sys.argv[1]))))
times = {p: v for p, v in a.items() if isinstance(v, str) and re.match(r"^\d{4}-\d\d-\d\dT", v)}
assert len(times) > 10, times
bad = {p: v for p, v in times.items() if not re.match(sys.argv[2], v)}
assert not bad, bad
if len(sys.argv) > 3:
    b = dict(walk(json.load(open(sys.argv[3]))))
    assert a.keys() == b.keys()
    for p in a:
        if p in times:
            assert instant(a[p]) == instant(b[p]), (p, a[p], b[p])
        elif not (isinstance(a[p], str) and re.search(r"\d\d:\d\d", a[p])):
            assert a[p] == b[p], (p, a[p], b[p])
PY
check "analyze --format json: every time RFC 3339 UTC to the µs" python3 "$T/times.py" "$T/analysis.json" "$rfc3339_utc"
check "analyze --tz Europe/Berlin: the offset +01:00, the same instants" python3 "$T/times.py" "$T/analysis-berlin.json" \
        '^[0-9-]{10}T[0-9:]{8}\.[0-9]{6}\+01:00$' "$T/analysis.json"
check "analyze --tz UTC: what no --tz gives" sh -c "'$CASCADE_BIN' --db '$T/ex.db' --tz UTC analyze --format json | cmp -s - '$T/analysis.json'"
check "the incidents view: report_json nested, its times RFC 3339 UTC to the µs" sh -c "'$CASCADE_BIN' --db '$T/ex.db' query --format json \
        'SELECT report_json FROM incidents' | python3 -c 'import json,re,sys; d=json.load(sys.stdin); assert d and re.match(sys.argv[1], d[0][\"report_json\"][\"start\"]), d' '$rfc3339_utc'"
exq report --format json >"$T/report.json"
check "report --format json: analyze's JSON for the same window" python3 -c "import json,sys
assert json.load(open(sys.argv[1])) == json.load(open(sys.argv[2]))" "$T/report.json" "$T/analysis.json"
exq report --format json --incident 1 -o - >"$T/report-1.json"
check "report --format json --incident 1 -o -: that incident only, to stdout" python3 -c "import json,sys
r=json.load(open(sys.argv[1])); a=json.load(open(sys.argv[2]))
assert r['incidents'] == a['incidents'][:1] and r['window'] == a['window'] and r['incidents'][0]['id'] == 1, r" "$T/report-1.json" "$T/analysis.json"
exq report --format json -o "$T/report-file.json"
check "report --format json -o FILE: the same JSON in the file" cmp -s "$T/report-file.json" "$T/report.json"
exq report >"$T/report.md"
check "report --format markdown is the default" sh -c "'$CASCADE_BIN' --db '$T/ex.db' report --format markdown | cmp -s - '$T/report.md'"
check "report --format yaml is a usage error" sh -c "'$CASCADE_BIN' --db '$T/ex.db' report --format yaml 2>/dev/null; test \$? -eq 2"
check "report --redact --format json is a usage error" sh -c "'$CASCADE_BIN' --db '$T/ex.db' report --redact --format json >/dev/null 2>&1; test \$? -eq 2"
done_testing
