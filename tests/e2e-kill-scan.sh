#!/bin/sh
# kill -9 during scan at spread points, then scan again: the events are exactly those of one
# clean scan, no identity twice, one report for the incident, the derived tables consistent.
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_journal_tools
export CASCADE_PATTERNS_DIR=$CASCADE_SOURCE_ROOT/patterns
ex=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
mkdir "$T/journal"
for e in "$ex"/journal/*.export; do
        "$JOURNAL_REMOTE" --output="$T/journal/$(basename "$e" .export).journal" "$e" >/dev/null 2>&1
done
scan() { "$CASCADE_BIN" --db "$1" --tz UTC scan --config /dev/null --reports-dir "$2" "$T/journal" >/dev/null 2>&1; }
fingerprint() {
        sqlite3 "$1" "SELECT (SELECT count(*) FROM event), (SELECT sum(ts / 1000000) FROM event),
                             (SELECT count(*) FROM (SELECT 1 FROM event GROUP BY ts / 1000000, dedup HAVING count(*) > 1)),
                             (SELECT count(*) FROM tag), (SELECT count(*) FROM analysis_incident),
                             (SELECT count(*) FROM incident_notification WHERE succeeded_at IS NOT NULL)"
}
start=$(date +%s%N)
scan "$T/clean.db" "$T/clean"
took=$(( ($(date +%s%N) - start) / 1000000 ))
clean=$(fingerprint "$T/clean.db")
# A kill that comes after the scan ended leaves a finished scan: the rerun is then a second, quiet
# scan, whose analysis window holds no incident (the history keeps the first one's).
scan "$T/clean.db" "$T/clean"
rescanned=$(fingerprint "$T/clean.db")
diag "clean scan: ${took} ms; fingerprint $clean; after a second scan $rescanned"
seed=${CASCADE_KILL_SEED:-$$}
for round in 1 2 3 4 5 6; do
        db=$T/k$round.db
        delay=$(( (seed * round * 7919) % (took > 50 ? took : 50) ))
        "$CASCADE_BIN" --db "$db" --tz UTC scan --config /dev/null --reports-dir "$T/r$round" "$T/journal" \
                >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf '0.%03d' "$delay")"
        kill -9 "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        scan "$db" "$T/r$round"
        got=$(fingerprint "$db")
        check "round $round (killed after ${delay} ms): same store as a clean scan" \
                test "$got" = "$clean" -o "$got" = "$rescanned"
        is "round $round: one report" "$(ls "$T/r$round" | grep -c '^incident-.*\.md$')" 1
done
done_testing
