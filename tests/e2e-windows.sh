#!/bin/sh
# Time windows on the timeline and tagged views (issue 17): `cascade query` reads them through
# store.c's cascade_window virtual tables, which turn a ts comparison into a ts_usec range of the
# event_node_ts index. The answers must be the plain views' (main.timeline, main.tagged, what
# sqlite3 reads): full outputs of every view, and the comparisons people write (T or a space,
# BETWEEN, LIKE, GLOB, a node, a join, constants of other types, another collation), on the
# example incident, on a store of schema 9 read as it is, on times at the ends of the range the
# text sorts in, and on a store holding times outside it (then nothing is derived).
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_tools
export CASCADE_PATTERNS_DIR=$CASCADE_SOURCE_ROOT/patterns
example=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
db=$T/db
q() { "$CASCADE_BIN" --db "$1" query --format csv "$2"; }

"$CASCADE_BIN" --db "$db" --tz UTC ingest --no-progress "$example"/journal/*.export "$example/corosync.conf" >/dev/null
"$CASCADE_BIN" --db "$db" --tz UTC ingest --no-progress --year 2025 "$example"/syslog/*.log \
        "$example"/syslog/auth/*.log >/dev/null
"$CASCADE_BIN" --db "$db" --tz UTC analyze >/dev/null
check "the example is stored with text and journal sources" \
        [ "$(q "$db" "SELECT count(DISTINCT substr(source, -1)) > 1 FROM timeline" | tail -1)" = 1 ]

# same DB NAME SQL: SQL over the shadowing tables and over the plain views (main.) agree, rows
# and their order: every SQL given sorts its rows whole.
same() {
        plain=$(echo "$3" | sed 's/\(FROM\|JOIN\) \(timeline\|tagged\)\b/\1 main.\2/g')
        q "$1" "$3" >"$T/got" 2>&1 && ok=1 || ok=0
        q "$1" "$plain" >"$T/want" 2>&1 || ok=0
        if [ "$ok" = 1 ] && cmp -s "$T/got" "$T/want"; then
                pass "$2 ($(($(wc -l <"$T/want") - 1)) rows)"
        else
                fail "$2"
                diag "$3" "$(diff "$T/want" "$T/got" | head -8)"
        fi
}

# Every view, whole: the shadowed ones answer as the views do, and the others are untouched.
for view in timeline tagged event_cursor boots membership incidents library host_claims notifications collect_status; do
        n=$(q "$db" "SELECT * FROM main.$view LIMIT 0" | head -1 | tr ',' '\n' | wc -l)
        same "$db" "$view, all rows" "SELECT * FROM $view ORDER BY $(seq -s, 1 "$n")"
done

# A time of the example, to the microsecond.
t=$(q "$db" "SELECT ts FROM main.timeline ORDER BY ts_usec LIMIT 1 OFFSET 700" | tail -1)
minute=$(echo "$t" | cut -c1-16)
windows() {
        d=$1 label=$2
        for w in \
                "node = 'proxmox2' AND ts >= '2025-11-25T08:09:48' AND ts < '2025-11-25T08:10:49'" \
                "ts >= '$minute'" \
                "ts > '$t'" \
                "ts >= '$t'" \
                "ts < '$t'" \
                "ts <= '$t'" \
                "ts = '$t'" \
                "ts IS '$t'" \
                "ts IN ('$t', '$minute')" \
                "ts = (SELECT ts FROM main.timeline ORDER BY ts_usec LIMIT 1 OFFSET 20)" \
                "ts BETWEEN '2025-11-25 08:00' AND '2025-11-25 09:00'" \
                "ts BETWEEN '2025-11-25T08:00' AND '2025-11-25T08:10'" \
                "ts >= '2025-11-25 08:10'" \
                "ts LIKE '2025-11-25T08:1%'" \
                "ts LIKE '2025-11-25t08:1_:%'" \
                "ts LIKE '%:03.%'" \
                "ts GLOB '2025-11-25T08:1*'" \
                "ts GLOB '2025-11-25t08:1*'" \
                "ts >= 5" \
                "ts < 5" \
                "ts >= NULL" \
                "ts IS NOT NULL AND ts <> '$t'" \
                "ts >= '' AND ts < 'zzz'" \
                "ts < '1970'" \
                "ts > '9999'" \
                "ts >= '${t}x'" \
                "ts >= '2025-11-25t08:10' COLLATE NOCASE" \
                "ts >= '2025-11-25T08:10' AND ts >= '2025-11-25T08:20' AND ts < '2025-11-25T09'" \
                "ts_usec >= 1764058200000000 AND ts_usec < 1764058800000000" \
                "event_id = 5" \
                "event_id IN (1, 2, 700)" \
                "node = 'proxmox2' AND message LIKE '%quorum%'" \
                "pid = '1'" \
                "priority <= '3' AND ts >= '$minute'"; do
                same "$d" "$label: timeline WHERE $w" "SELECT * FROM timeline WHERE $w ORDER BY event_id"
                case $w in
                pid* | priority*) ;;  # timeline's columns only
                *) same "$d" "$label: tagged WHERE $w" "SELECT * FROM tagged WHERE $w ORDER BY event_id, rule" ;;
                esac
        done
        same "$d" "$label: tagged by kind in a window" "SELECT * FROM tagged WHERE kind LIKE 'corosync.%'
                AND ts BETWEEN '2025-11-25T08:10' AND '2025-11-25T08:12' ORDER BY event_id, rule"
        same "$d" "$label: a join on event_id" "SELECT a.event_id, b.ts, b.message FROM timeline a
                JOIN timeline b ON b.event_id = a.event_id + 1 WHERE a.ts >= '$minute' ORDER BY 1"
        same "$d" "$label: tagged joined to timeline by time" "SELECT g.kind, count(*) FROM tagged g
                JOIN timeline l ON l.ts >= g.ts AND l.ts < g.ts || 'Z' AND l.node = g.node GROUP BY 1 ORDER BY 1"
        same "$d" "$label: counts per minute" "SELECT substr(ts, 1, 16), count(*) FROM timeline
                WHERE ts >= '2025-11-25T08' AND ts < '2025-11-25T09' GROUP BY 1 ORDER BY 1"
}
windows "$db" example

# How the README's example is read: the virtual table with both bounds handed down, read as a
# ts_usec range node by node (store.c knows the views' shape: a migration that changes a view
# must teach it the new one, or this fails), and the query it runs on the view searching
# event_node_ts for each node (the shape window_filter() writes).
is "README example: through the window table, both bounds handed down" \
        "$(q "$db" "EXPLAIN QUERY PLAN SELECT ts, identifier, message FROM timeline WHERE node = 'proxmox2'
                AND ts >= '2025-11-25T08:09:48' AND ts < '2025-11-25T08:10:49' ORDER BY ts" |
                sed -n 's/.*SCAN timeline VIRTUAL TABLE INDEX [0-9-]*:\([^"]*\)"*$/window table: \1/p')" \
        "window table: node =;ts >=;ts <; by ts_usec, node by node"
for view in timeline tagged; do
        sqlite3 "$db" "EXPLAIN QUERY PLAN SELECT * FROM main.$view WHERE ts_usec >= 1 AND ts_usec < 2
                AND node IN (SELECT name FROM main.node)" >"$T/plan"
        contains "$view: a ts_usec range of every node searches event_node_ts" "$T/plan" \
                "USING INDEX event_node_ts (node_id=? AND ts>? AND ts<?)"
done

# A store of schema 9, read-only, as it is (not migrated).
sqlite3 "$T/v9.db" <"$CASCADE_SOURCE_ROOT/tests/data/store-v9.sql"
windows "$T/v9.db" "schema 9"
is "schema 9: still schema 9" "$(sqlite3 "$T/v9.db" "PRAGMA user_version")" 9

# Times at the ends of 1970..9999, where window_format() must write what SQLite's strftime does.
cp "$db" "$T/ends.db"
sqlite3 "$T/ends.db" "INSERT INTO event (node_id, ts, ts_prec, message, source_id, dedup)
        SELECT (SELECT min(id) FROM node), v.column1, 1, 'end ' || v.column1, (SELECT min(id) FROM source), 0
        FROM (VALUES (0), (1), (999999), (1000000), (951782399999999), (951782400000000), (4107542400000000),
                     (253402300799999999)) v"
same "$T/ends.db" "ends of the range: ts as SQLite writes it" "SELECT ts, ts_usec FROM timeline WHERE message LIKE 'end %' ORDER BY 2"
same "$T/ends.db" "ends of the range: a window" "SELECT ts_usec FROM timeline WHERE ts >= '1970-01-01T00:00:00.000001Z'
        AND ts <= '9999-12-31T23:59:59.999999Z' ORDER BY 1"
same "$T/ends.db" "ends of the range: leap day" "SELECT ts_usec FROM timeline WHERE ts LIKE '2000-02-29%' ORDER BY 1"

# Times outside it (before 1970, after 9999) do not sort as their text: nothing is derived.
cp "$db" "$T/out.db"
sqlite3 "$T/out.db" "INSERT INTO event (node_id, ts, ts_prec, message, source_id, dedup)
        SELECT (SELECT min(id) FROM node), v.column1, 1, 'out', (SELECT min(id) FROM source), 0
        FROM (VALUES (-1), (-1000001), (253402300800000000)) v"
windows "$T/out.db" "times outside 1970..9999"

done_testing
