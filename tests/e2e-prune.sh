#!/bin/sh
# cascade prune: exactly what lies before the cut goes (events, their tags, boots without events,
# incidents and their notifications), an incident that ends after the cut is kept whole with the
# events its analysis reads, sources keep their resume points (nothing comes back on ingest), and a
# prune killed with SIGKILL at spread points leaves a consistent store that a rerun finishes, with
# exact counts. scan applies the configuration's retain.
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_tools
require_journal_tools
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
ex=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
now=$(date +%s)
# A retain for a cut at a given time (seconds, as systemd.time(7) spans take them).
older_than() { echo "$((now - $(date -d "$1" +%s)))s"; }

# 1. The example: one incident, 08:09:52 .. 08:17:13.
mkdir "$T/j"
for n in proxmox proxmox2 proxmox3; do mkjournal "$T/j/$n.journal" "$ex/journal/$n.export"; done
db=$T/ex.db
export CASCADE_DB=$db
"$CASCADE_BIN" --tz UTC ingest --no-progress "$T/j" "$ex/corosync.conf" >/dev/null
"$CASCADE_BIN" --tz UTC ingest --no-progress --year 2025 "$ex"/syslog/*.log >/dev/null
"$CASCADE_BIN" --tz UTC analyze >/dev/null
total=$(q "$db" "SELECT count(*) FROM event")
cas inside prune --before "2025-11-25 08:12 UTC"
is_rc "a cut inside the incident" 0
contains "... moves back to keep it whole" "$T/inside.out" "(moved back to keep an incident whole)"
is "... and its events stay" "$(q "$db" "SELECT count(*) FROM event")" "$total"
is "... and the incident" "$(q "$db" "SELECT count(*) FROM incidents")" 1

cut=$(date -d '2025-11-25 08:20 UTC' +%s)000000
before=$(q "$db" "SELECT count(*) FROM event WHERE ts < $cut")
tags=$(q "$db" "SELECT count(*) FROM tag t JOIN event e ON e.id = t.event_id WHERE e.ts < $cut")
cas dry prune --dry-run --before "2025-11-25 08:20 UTC"
contains "--dry-run: what would go" "$T/dry.out" "would prune $before events ($tags tags)"
is "--dry-run: nothing went" "$(q "$db" "SELECT count(*) FROM event")" "$total"
cas after prune --before "2025-11-25 08:20 UTC"
is_rc "a cut after the incident" 0
contains "... prunes exactly the events before it, with their tags" "$T/after.out" "pruned $before events ($tags tags)"
contains "... and the incident" "$T/after.out" "1 incident before"
is "a new database is incremental (auto_vacuum 2)" "$(q "$db" "PRAGMA auto_vacuum")" 2
contains "... and prune gives the freed pages back" "$T/after.out" "pages given back"
is "no event before the cut is left" "$(q "$db" "SELECT count(*) FROM event WHERE ts < $cut")" 0
is "the events after it stay" "$(q "$db" "SELECT count(*) FROM event")" "$((total - before))"
is "no tag without its event" "$(q "$db" "SELECT count(*) FROM tag WHERE event_id NOT IN (SELECT id FROM event)")" 0
is "no boot without events ends before the cut" \
        "$(q "$db" "SELECT count(*) FROM boot b WHERE b.last_ts < $cut AND NOT EXISTS (SELECT 1 FROM event e WHERE e.boot = b.id)")" 0
is "no incident left" "$(q "$db" "SELECT count(*) FROM incidents")" 0
is "a node's range starts at its first event" \
        "$(q "$db" "SELECT count(*) FROM node n WHERE first_ts != (SELECT min(ts) FROM event WHERE node_id = n.id)")" 0
is "the sources stay" "$(q "$db" "SELECT count(*) FROM source")" 7
"$CASCADE_BIN" --tz UTC ingest --no-progress "$T/j" >"$T/again.out" 2>&1
contains "ingest after a prune: nothing comes back" "$T/again.out" "total: 0 added"
is "the database is whole" "$(q "$db" "PRAGMA integrity_check")" ok
cas nothing prune
is_rc "no --older-than and no retain" 2
cas nodb --db "$T/none.db" prune --older-than 1d
is_rc "a database that does not exist" 1
check "... is not created" test ! -e "$T/none.db"

# 2. Killed at spread points: consistent every time, and a rerun gives the exact counts.
python3 "$CASCADE_SOURCE_ROOT/bench/gen-cluster-logs.py" --events 150000 --seed 7 --out "$T/gen" >/dev/null
big=$T/big.db
CASCADE_DB=$big "$CASCADE_BIN" --tz UTC ingest --no-progress --year 2025 "$T"/gen/*.log >/dev/null
cut=$(date -d '2025-11-24 03:00 UTC' +%s)000000
keep=$(q "$big" "SELECT count(*) FROM event WHERE ts >= $cut")
keep_tags=$(q "$big" "SELECT count(*) FROM tag t JOIN event e ON e.id = t.event_id WHERE e.ts >= $cut")
span="2025-11-24 03:00 UTC"
check "the generated store spans the cut" test "$keep" -gt 0 -a "$keep" -lt "$(q "$big" "SELECT count(*) FROM event")"
for delay in 0.02 0.05 0.1 0.2 0.4; do
        cp "$big" "$T/k.db"
        CASCADE_DB=$T/k.db "$CASCADE_BIN" prune --before "$span" >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        is "killed after ${delay}s: the database is whole" "$(q "$T/k.db" "PRAGMA integrity_check")" ok
        is "killed after ${delay}s: no tag lost its event" \
                "$(q "$T/k.db" "SELECT count(*) FROM tag WHERE event_id NOT IN (SELECT id FROM event)")" 0
        CASCADE_DB=$T/k.db "$CASCADE_BIN" prune --before "$span" >/dev/null 2>&1
        is "killed after ${delay}s, run again: exactly the events after the cut" \
                "$(q "$T/k.db" "SELECT count(*) FROM event") $(q "$T/k.db" "SELECT count(*) FROM tag")" "$keep $keep_tags"
done

# 3. scan applies retain.
printf '[cascade]\nretain = %s\n' "$(older_than '2025-11-25 08:20 UTC')" >"$T/retain.conf"
rm -f "$T/s.db"
CASCADE_DB=$T/s.db "$CASCADE_BIN" --tz UTC ingest --no-progress "$T/j" >/dev/null
CASCADE_DB=$T/s.db "$CASCADE_BIN" --config "$T/retain.conf" scan --reports-dir "$T/reports" >/dev/null 2>&1
# The cut is now - retain when scan runs, a few seconds after it was written: a minute of slack.
cut=$(date -d '2025-11-25 08:19 UTC' +%s)000000
is "scan with retain: nothing older is left" "$(q "$T/s.db" "SELECT count(*) FROM event WHERE ts < $cut")" 0
cut=$(date -d '2025-11-25 08:21 UTC' +%s)000000
is "scan with retain: what is newer stays" "$(q "$T/s.db" "SELECT count(*) FROM event WHERE ts >= $cut")" \
        "$(q "$db" "SELECT count(*) FROM event e JOIN source s ON s.id = e.source_id WHERE e.ts >= $cut AND s.format = 'journal'")"
cas olderthan prune --older-than 1d --dry-run
is_rc "--older-than DURATION" 0
cas both prune --older-than 1d --before 2025-01-01
is_rc "--older-than and --before" 2
check "scan with retain: the incident was reported before it went" test -n "$(ls "$T/reports")"
done_testing
