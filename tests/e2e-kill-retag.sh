#!/bin/sh
# kill -9 during retag at random points, then retag again: the tags equal a clean retag's, none
# twice, and the high-water mark covers every event (derived tables stay consistent). A retag with
# another library, killed, leaves every event tagged by one library or the other, never by none.
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_tools
export CASCADE_PATTERNS_DIR=$CASCADE_SOURCE_ROOT/patterns
db=$T/db
python3 - "$T/big.log" <<'PY'
import sys
lines = [
    "pve%d corosync[9]:   [TOTEM ] Token has not been received in 2250 ms",
    "pve%d corosync[9]:   [KNET  ] link: host: 2 link: 0 is down",
    "pve%d pmxcfs[7]: [status] crit: cpg_dispatch failed: CS_ERR_LIBRARY",
    "pve%d pvestatd[5]: status update time (6.042 seconds)",
    "pve%d CRON[11]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)",
    "pve%d app[3]: nothing to see here",
]
with open(sys.argv[1], "w") as f:
    for i in range(240000):
        f.write("Nov 25 %02d:%02d:%02d " % (i // 3600 % 24, i // 60 % 60, i % 60) + lines[i % len(lines)] % (i % 3 + 1) + "\n")
PY
"$CASCADE_BIN" --db "$db" ingest --no-progress --year 2025 "$T/big.log" >/dev/null
fingerprint() {
        sqlite3 "$db" "SELECT count(*), sum(event_id), count(DISTINCT event_id || rule), group_concat(n, ',') FROM tag,
                       (SELECT group_concat(rule || '=' || c) AS n FROM (SELECT rule, count(*) AS c FROM tag GROUP BY rule ORDER BY rule))"
}
consistent() {
        [ "$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'tags_upto'")" = "$(sqlite3 "$db" 'SELECT max(id) FROM event')" ]
}
"$CASCADE_BIN" --db "$db" retag --force >/dev/null
clean=$(fingerprint)
check "a clean retag tags every event once" consistent
start=$(date +%s%N)
"$CASCADE_BIN" --db "$db" retag --force >/dev/null
took=$(( ($(date +%s%N) - start) / 1000000 ))
diag "clean retag: ${took} ms"
seed=${CASCADE_KILL_SEED:-$$}
kills=0
for round in 1 2 3 4 5 6; do
        delay=$(( (seed * round * 7919) % (took > 50 ? took : 50) ))
        "$CASCADE_BIN" --db "$db" retag --force >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf '0.%03d' "$delay")"
        kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
        wait "$pid" 2>/dev/null
        "$CASCADE_BIN" --db "$db" retag >/dev/null
        is "round $round (killed after ${delay} ms): tags equal a clean retag" "$(fingerprint)" "$clean"
        check "round $round: high-water mark at the last event" consistent
done
diag "$kills of 6 retags killed before they ended (seed $seed)"

# Another library (a site rule for an identifier the log does not have: the library's hash changes,
# the tags it makes do not). Each batch replaces its events' tags, so whenever the retag is killed
# the events that had tags still have them, each naming the library that made it.
mkdir "$T/site"
cat >"$T/site/site.patterns" <<'RULES'
version 1
rule site.never
kind site.never
severity info
ident nosuchident
match never matches
summary never
explain A rule of another library that tags nothing here.
example Nov 25 08:10:49 pve1 nosuchident[1]: never matches
RULES
events_tagged() { sqlite3 "$db" "SELECT count(DISTINCT event_id) FROM tag"; }
clean_events=$(events_tagged)
for round in 1 2 3; do
        delay=$(( (seed * round * 104729) % (took > 50 ? took : 50) ))
        "$CASCADE_BIN" --db "$db" --patterns "$T/site" retag >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf '0.%03d' "$delay")"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        diag "other library, round $round (killed after ${delay} ms): $(sqlite3 "$db" \
                "SELECT group_concat(substr(hash, 1, 8) || ' ' || tags || ' tags', ', ') FROM library")"
        is "other library, round $round: every event is still tagged" "$(events_tagged)" "$clean_events"
        is "other library, round $round: every tag names a library of the view" \
                "$(sqlite3 "$db" "SELECT sum(tags) FROM library")" "$(sqlite3 "$db" "SELECT count(*) FROM tag")"
        "$CASCADE_BIN" --db "$db" retag >/dev/null 2>&1
        is "other library, round $round: the next retag ends with a clean retag's tags" "$(fingerprint)" "$clean"
done
check "the database is intact" sh -c "[ \"\$(sqlite3 '$db' 'PRAGMA integrity_check')\" = ok ]"
done_testing
