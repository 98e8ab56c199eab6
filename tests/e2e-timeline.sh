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
jcheck "--kind twice: any of them" 'all(any(k.startswith(("ha.", "knet.")) for k in e["kinds"].split(",")) for e in d) and any("knet." in e["kinds"] for e in d) and any("ha." in e["kinds"] for e in d)' --kind ha --kind knet.
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
done_testing
