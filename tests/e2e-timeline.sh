#!/bin/sh
# cascade timeline speaks journalctl: short options, priority ranges, output modes, repeated
# filters, units and identifiers, -n and -r; on the bundled example (its journal exports, and its
# syslog text, which stores no unit). The long options of before keep their output (e2e-query.sh).
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_tools
require_journal_tools
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
ex=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
mkdir "$T/j"
for e in "$ex"/journal/*.export; do "$JOURNAL_REMOTE" --output="$T/j/$(basename "$e" .export).journal" "$e" >/dev/null 2>&1; done
db=$T/ex.db
"$CASCADE_BIN" --db "$db" ingest --no-progress "$T/j" >/dev/null
"$CASCADE_BIN" --db "$T/text.db" ingest --no-progress --year 2025 "$ex"/syslog/*.log >/dev/null
tl() { "$CASCADE_BIN" --db "$db" --tz UTC timeline "$@"; }
same() {        # NAME "ARGS A" "ARGS B": both command lines print the same
        # shellcheck disable=SC2086
        tl $2 >"$T/a.out" 2>&1
        # shellcheck disable=SC2086
        tl $3 >"$T/b.out" 2>&1
        if [ -s "$T/a.out" ] && cmp -s "$T/a.out" "$T/b.out"; then pass "$1"; else fail "$1"; diag "$2 vs $3"; fi
}
count() { tl "$@" | wc -l | tr -d ' '; }
# Python over the -o json lines of a command line: d is the list of events.
jcheck() {
        name=$1 expr=$2
        shift 2
        tl -o json "$@" >"$T/j.out"
        check "$name" python3 -c "import json,sys; d=[json.loads(l) for l in open(sys.argv[1])]; assert d and ($expr), d[:3]" "$T/j.out"
}
tl >"$T/all.txt"
tl --utc >"$T/all-utc.txt"
total=$(wc -l <"$T/all.txt" | tr -d ' ')

# 1. Short options, priority ranges, output modes.
same "-S and -U are --since and --until" "--since 2025-11-25T08:10 --until 2025-11-25T08:20" "-S 2025-11-25T08:10 -U 2025-11-25T08:20"
same "-p is --priority" "--priority err" "-p err"
same "-g is --grep" "--grep quorum" "-g quorum"
same "-o short is the default" "" "-o short"
same "-o csv is --format csv" "--format csv" "-o csv"
jcheck "-p 4: warning or more important" 'all(0 <= e["priority"] <= 4 for e in d)' -p 4
jcheck "-p err..warning: err and warning only" 'set(e["priority"] for e in d) == {3, 4}' -p err..warning
is "-p warning..err: either order" "$(count -p warning..err)" "$(count -p err..warning)"
is "-p err..warning: warning's events less crit's" "$(count -p err..warning)" "$(($(count -p warning) - $(count -p crit)))"
check "-p with an unknown name is a usage error" sh -c "'$CASCADE_BIN' --db '$db' timeline -p err..loud 2>/dev/null; test \$? -eq 2"
check "-o short-iso: seconds and the offset" sh -c "tl() { '$CASCADE_BIN' --db '$db' --tz UTC timeline \"\$@\"; }; tl -o short-iso | head -3 | grep -c -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+00:00 ' | grep -qx 3"
check "-o short-precise: microseconds" sh -c "'$CASCADE_BIN' --db '$db' --tz UTC timeline -o short-precise | head -1 | grep -q -E '^[0-9-]{10} [0-9:]{8}\\.[0-9]{6} '"
check "-o short-precise --utc: RFC 3339 to the µs" sh -c "'$CASCADE_BIN' --db '$db' timeline --utc -o short-precise | head -1 | grep -q -E '^[0-9-]{10}T[0-9:]{8}\\.[0-9]{6}Z '"
is "-o short-iso: the text lines otherwise" "$(tl -o short-iso | cut -d' ' -f2- | md5sum)" "$(cut -d' ' -f3- "$T/all.txt" | md5sum)"
tl -o cat >"$T/cat.txt"
tl -o json >"$T/lines.json"
check "-o cat: the messages only" python3 -c "import json,sys
msgs=[json.loads(l)['message'] for l in open(sys.argv[1])]
cat=open(sys.argv[2]).read().split('\n')[:-1]
assert len(cat) == len(msgs) == $total and sum(a == b for a, b in zip(cat, msgs)) > 0.9 * len(msgs)" "$T/lines.json" "$T/cat.txt"
check "-o json: an object per line, as --format json's array" python3 -c "import json,sys
lines=[json.loads(l) for l in open(sys.argv[1])]
arr=json.load(open(sys.argv[2]))
assert lines == arr and len(lines) == $total" "$T/lines.json" "$(tl --format json >"$T/arr.json"; echo "$T/arr.json")"
tl -o json-seq >"$T/seq.json"
check "-o json-seq: RFC 7464, each record after 0x1E" python3 -c "import json,sys
data=open(sys.argv[1], 'rb').read()
recs=data.split(b'\x1e')
assert recs[0] == b'' and len(recs) == $total + 1
assert all(r.endswith(b'\n') for r in recs[1:])
assert [json.loads(r) for r in recs[1:]] == [json.loads(l) for l in open(sys.argv[2])]" "$T/seq.json" "$T/lines.json"
check "an unknown -o is a usage error" sh -c "'$CASCADE_BIN' --db '$db' timeline -o verbose 2>/dev/null; test \$? -eq 2"

# 2. Repeated nodes and kinds.
is "--node twice: both nodes' events" "$(count --node proxmox --node proxmox3)" "$(($(count --node proxmox) + $(count --node proxmox3)))"
jcheck "--node twice: only those nodes" 'set(e["node"] for e in d) == {"proxmox", "proxmox3"}' --node proxmox --node proxmox3
same "--kind ha is --kind ha." "--kind ha." "--kind ha"
check "--kind ha: events tagged" test "$(count --kind ha)" -gt 0
jcheck "--kind twice: any of them" 'all(any(k.startswith(("ha.", "knet.")) for k in e["kinds"]) for e in d) and any(k.startswith("knet.") for e in d for k in e["kinds"]) and any(k.startswith("ha.") for e in d for k in e["kinds"])' --kind ha --kind knet.
check "--node of no node fails" sh -c "! '$CASCADE_BIN' --db '$db' timeline --node proxmox --node nope 2>'$T/nope.err'"
contains "naming that node" "$T/nope.err" "No node 'nope'"

# 3. Units and identifiers.
units=$(sqlite3 "$db" "SELECT count(*) FROM event WHERE unit = 'corosync.service'")
is "-u corosync: the stored unit corosync.service" "$(count -u corosync)" "$units"
is "-u corosync.service too" "$(count -u corosync.service)" "$units"
jcheck "-t: that identifier only" 'set(e["identifier"] for e in d) == {"pmxcfs", "corosync"}' -t pmxcfs -t corosync
is "-t twice: the events of both" "$(count -t pmxcfs -t corosync)" "$(($(count -t pmxcfs) + $(count -t corosync)))"
is "--identifier is -t" "$(count --identifier kernel)" "$(sqlite3 "$db" "SELECT count(*) FROM event WHERE identifier = 'kernel'")"
tt() { "$CASCADE_BIN" --db "$T/text.db" timeline "$@" | wc -l | tr -d ' '; }
check "text logs: some corosync events" test "$(tt -t corosync)" -gt 0
is "text logs store no unit: -u corosync is identifier corosync" "$(tt -u corosync)" "$(tt -t corosync)"

# 4. -n and -r.
is "-n 5: the last 5 events" "$(tl -n 5)" "$(tail -n 5 "$T/all.txt")"
is "--lines: the last 10" "$(tl --lines)" "$(tail -n 10 "$T/all.txt")"
is "--lines=3" "$(tl --lines=3)" "$(tail -n 3 "$T/all.txt")"
is "-n all: every event" "$(tl -n all | wc -l | tr -d ' ')" "$total"
is "-n 0: none" "$(tl -n 0 | wc -l | tr -d ' ')" 0
is "-n more than there are: all" "$(tl -n 100000 | md5sum)" "$(md5sum <"$T/all.txt")"
is "-r: newest first" "$(tl -r | md5sum)" "$(tac "$T/all.txt" | md5sum)"
is "-n 4 -r: the last 4, newest first" "$(tl -n 4 -r)" "$(tail -n 4 "$T/all.txt" | tac)"
is "-n with a filter: the last of the selection" "$(tl -n 2 -p err)" "$(tl -p err | tail -n 2)"
check "-n 2 -o json: two objects" sh -c "test \"\$('$CASCADE_BIN' --db '$db' timeline -n 2 -o json | wc -l)\" -eq 2"
check "-n 2 --format json: an array of two" sh -c "'$CASCADE_BIN' --db '$db' timeline -n 2 --format json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 2'"
check "-n with a bad count is a usage error" sh -c "'$CASCADE_BIN' --db '$db' timeline -n 3x 2>/dev/null; test \$? -eq 2"

# 5. Boots: proxmox and proxmox2 rebooted once in the example, proxmox3 did not.
tl --list-boots -o csv | tr -d '\r' >"$T/boots.csv"
check "--list-boots: every node's boots, counted back from 0" python3 -c "import csv,sys,sqlite3
rows=list(csv.DictReader(open(sys.argv[1])))
db=sqlite3.connect(sys.argv[2])
want=db.execute('SELECT n.name, b.boot_id FROM boot b JOIN node n ON n.id = b.node_id ORDER BY n.name, b.first_ts').fetchall()
assert [(r['node'], r['boot_id']) for r in rows] == want, rows
assert [r['index'] for r in rows] == ['-1', '0', '-1', '0', '0'], rows
assert all(r['first'] <= r['last'] for r in rows)" "$T/boots.csv" "$db"
check "--list-boots: a table on the text outputs" sh -c "'$CASCADE_BIN' --db '$db' timeline --list-boots | head -1 | grep -q '^node  *index  *boot_id  *first  *last'"
is "--list-boots --node" "$(tl --list-boots --node proxmox3 -o json | wc -l | tr -d ' ')" 1
per_boot() { sqlite3 "$db" "SELECT count(*) FROM event e JOIN boot b ON b.id = e.boot WHERE $1"; }
is "--boot: each node's last boot" "$(count --boot)" "$(per_boot "b.first_ts = (SELECT max(first_ts) FROM boot x WHERE x.node_id = b.node_id)")"
is "-b 0 is --boot" "$(count -b 0)" "$(count --boot)"
is "-b -1: each node's boot before" "$(count -b -1)" "$(per_boot "b.first_ts < (SELECT max(first_ts) FROM boot x WHERE x.node_id = b.node_id)")"
is "--boot=1: each node's first boot" "$(count --boot=1)" "$(per_boot "b.first_ts = (SELECT min(first_ts) FROM boot x WHERE x.node_id = b.node_id)")"
id=$(sed -n 2p "$T/boots.csv" | cut -d, -f3 | tr -d '"')
is "-b ID: that boot" "$(count -b "$id")" "$(per_boot "b.boot_id = '$id'")"
check "-b with a bad value is a usage error" sh -c "'$CASCADE_BIN' --db '$db' timeline -b last 2>/dev/null; test \$? -eq 2"

# ---- 6. Output for machines (issue 15): RFC 3339 to the µs, kinds as arrays, CSV quoted where
# RFC 4180 needs it, Timesketch's JSONL. ----
rfc3339_utc='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$'
"$CASCADE_BIN" --db "$db" timeline -o json >"$T/m-utc.json"
check "-o json: ts RFC 3339 UTC to the µs, ts_usec the same instant, kinds an array" python3 -c "import datetime,json,re,sys
d=[json.loads(l) for l in open(sys.argv[1])]
assert len(d) == $total
for e in d:
    assert re.match(sys.argv[2], e['ts']), e
    t=datetime.datetime.fromisoformat(e['ts'].replace('Z', '+00:00'))
    assert isinstance(e['ts_usec'], int) and e['ts_usec'] == round(t.timestamp() * 1e6), e
    assert isinstance(e['kinds'], list) and all(isinstance(k, str) and k for k in e['kinds']), e
assert any(e['kinds'] for e in d) and any(not e['kinds'] for e in d)" "$T/m-utc.json" "$rfc3339_utc"
check "-o json: the times of the text lines" python3 -c "import json,sys
d=[json.loads(l) for l in open(sys.argv[1])]
text=[l.split(' ')[0] for l in open(sys.argv[2])]
assert [e['ts'] for e in d] == text" "$T/m-utc.json" "$(tl --utc -o short-precise >"$T/precise.txt"; echo "$T/precise.txt")"
"$CASCADE_BIN" --db "$db" --tz Europe/Berlin timeline -o json >"$T/m-berlin.json"
check "--tz Europe/Berlin -o json: the zone's offset, the same instants" python3 -c "import datetime,json,re,sys
a=[json.loads(l) for l in open(sys.argv[1])]
b=[json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) == $total
for x, y in zip(a, b):
    assert re.match(r'^[0-9-]{10}T[0-9:]{8}\.[0-9]{6}\+01:00$', y['ts']), y
    iso=lambda s: datetime.datetime.fromisoformat(s.replace('Z', '+00:00'))
    assert iso(x['ts']) == iso(y['ts']) and x['ts_usec'] == y['ts_usec'], (x, y)
    assert dict(x, ts=None) == dict(y, ts=None)" "$T/m-utc.json" "$T/m-berlin.json"
is "--tz Europe/Berlin --utc -o json: UTC again" "$("$CASCADE_BIN" --db "$db" --tz Europe/Berlin timeline --utc -o json | md5sum)" "$(md5sum <"$T/m-utc.json")"
is "--tz UTC -o json: as without --tz" "$(tl -o json | md5sum)" "$(md5sum <"$T/m-utc.json")"
check "--format json and -o json-seq: the same times" python3 -c "import json,sys
lines=[json.loads(l) for l in open(sys.argv[1])]
assert json.load(open(sys.argv[2])) == lines
assert [json.loads(r) for r in open(sys.argv[3], 'rb').read().split(b'\x1e')[1:]] == lines" "$T/m-utc.json" \
        "$(tl --format json >"$T/m-arr.json"; echo "$T/m-arr.json")" "$(tl -o json-seq >"$T/m-seq.json"; echo "$T/m-seq.json")"
"$CASCADE_BIN" --db "$db" timeline -o csv >"$T/m.csv"
check "-o csv: Python's csv reads back what -o json says (kinds comma-joined, no value empty)" python3 -c "import csv,json,sys
rows=list(csv.DictReader(open(sys.argv[1], newline='')))
d=[json.loads(l) for l in open(sys.argv[2])]
assert len(rows) == len(d) == $total
for r, e in zip(rows, d):
    want={k: '' if v is None else ','.join(v) if isinstance(v, list) else str(v) for k, v in e.items()}
    assert r == want, (r, want)
assert any(',' in r['message'] or '\"' in r['message'] for r in rows)" "$T/m.csv" "$T/m-utc.json"
check "-o csv: a field is quoted only when it holds a comma, a quote or a line break" python3 -c "import sys
for line in open(sys.argv[1], newline=''):
    assert line.endswith('\n') and not line.endswith('\r\n'), line
    for field in line[:-1].split(','):
        if field.startswith('\"') and field.endswith('\"') and len(field) > 2 and '\"' not in field[1:-1]:
            assert False, 'needlessly quoted: ' + line
" "$T/m.csv"
tl -o jsonl >"$T/events.jsonl"
check "-o jsonl: every line imports into Timesketch (message, datetime, timestamp_desc...)" python3 "$CASCADE_SOURCE_ROOT/tests/check-timesketch.py" "$T/events.jsonl"
check "-o jsonl: the events of -o json, their kinds as tags" python3 -c "import json,sys
a=[json.loads(l) for l in open(sys.argv[1])]
b=[json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) == $total
for x, y in zip(a, b):
    assert (y['message'], y['datetime'], y['timestamp'], y['node'], y['identifier'], y['priority'], y['tag'], y['source']) == \
           (x['message'], x['ts'], x['ts_usec'], x['node'], x['identifier'], x['priority'], x['kinds'], x['source']), (x, y)
    assert y['timestamp_desc'] == 'Event Logged'
assert any(y['tag'] for y in b)" "$T/m-utc.json" "$T/events.jsonl"
same "--format jsonl is -o jsonl" "-o jsonl" "--format jsonl"
same "--output jsonl is -o jsonl" "-o jsonl" "--output jsonl"
printf '{"message":"m","datetime":"2025-11-25T08:10:00+00:00","timestamp":1}\n' >"$T/bad.jsonl"
check "the Timesketch checker fails a line without timestamp_desc" sh -c "! python3 '$CASCADE_SOURCE_ROOT/tests/check-timesketch.py' '$T/bad.jsonl' >/dev/null"
tl -o json >"$T/not-timesketch.jsonl"
check "the Timesketch checker fails -o json (no datetime)" sh -c "! python3 '$CASCADE_SOURCE_ROOT/tests/check-timesketch.py' '$T/not-timesketch.jsonl' >/dev/null"
check "--list-boots -o json: first and last RFC 3339 UTC to the µs" sh -c "'$CASCADE_BIN' --db '$db' timeline --list-boots -o json |
        python3 -c 'import json,re,sys; d=[json.loads(l) for l in sys.stdin]; assert d and all(re.match(sys.argv[1], b[k]) for b in d for k in (\"first\", \"last\")), d' '$rfc3339_utc'"
done_testing
