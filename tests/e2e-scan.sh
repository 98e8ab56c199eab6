#!/bin/sh
# cascade scan on the bundled example incident (real journal files from its export streams): the
# first scan reports the reboot cascade once, later scans report nothing new, the analysis is
# queryable through the incidents / boots / membership views, --exec gets the report path as one
# argument, the metrics file is Prometheus text, and concurrent scans neither lose nor duplicate.
# The history: a quiet night and ad-hoc analyses of other windows (or of a window cutting the
# incident) keep it; a failing --exec is retried by the next scan and then never run again, one
# that keeps failing is given up after 5 calls; a store of the cascade before the history
# (tests/data/scan-store-v9.sql, or one made by $CASCADE_OLD_BIN) reports nothing twice.
. "$(dirname "$0")/lib-e2e.sh"
require_tools
require_journal_tools

example=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
mkdir -p "$T/journal"
for e in "$example"/journal/*.export; do
        mkjournal "$T/journal/$(basename "$e" .export).journal" "$e"
done
db=$T/cascade.db
# A space in the reports directory: every path handed on must stay one argument.
R="$T/r x"

# scan NAME DB REPORTS-DIR [ARGS...]
scan() {
        scan_name=$1 scan_db=$2 scan_dir=$3
        shift 3
        cas "$scan_name" --db "$scan_db" --tz UTC scan --config /dev/null --reports-dir "$scan_dir" "$@"
}
nreports() { ls "$1" 2>/dev/null | grep -c '^incident-.*\.md$'; }

# --- first scan: one new incident ---
scan first "$db" "$R" --metrics "$T/m.prom" "$T/journal"
is_rc first 1
is "first: one line" "$(wc -l <"$T/first.out" | tr -d ' ')" 1
contains "first: the line names reboot-cascade" "$T/first.out" " reboot-cascade "
is "first: one report" "$(nreports "$R")" 1
report=$(ls "$R"/incident-*.md 2>/dev/null | head -n 1)
is "report named after start and classification" "$(basename "$report")" "incident-20251125T080952Z-reboot-cascade.md"
is "report is private (0600)" "$(stat -c %a "$report")" 600
is "reports directory is private (0700)" "$(stat -c %a "$R")" 700
is "line: start class severity root path" "$(cut -d' ' -f1,2,4 "$T/first.out")" "2025-11-25T08:09:52.187468Z reboot-cascade proxmox2"
check "line ends with the report path" grep -qF -- " $report" "$T/first.out"
contains "report is the postmortem" "$report" "reboot-cascade"

# --- the views ---
cas qi --db "$db" query --format csv "SELECT classification, root_node, report_path FROM incidents"
is "incidents view" "$(sed -n 2p "$T/qi.out")" "reboot-cascade,proxmox2,$report"
cas qb --db "$db" query --format csv "SELECT end_kind, initiator FROM boots WHERE node = 'proxmox2' ORDER BY start LIMIT 1"
contains "boots: proxmox2's first boot ended clean-reboot" "$T/qb.out" 'clean-reboot,'
contains "boots: initiated by root" "$T/qb.out" "root"
cas qb2 --db "$db" query --format csv "SELECT count(*) FROM boots WHERE start LIKE '2025-11-25T%Z'"
check "boots: RFC 3339 UTC times" [ "$(sed -n 2p "$T/qb2.out" | tr -d '"\r')" -ge 3 ]
cas qm --db "$db" query --format csv "SELECT ts, count, members FROM membership ORDER BY ts"
check "membership: rows" [ "$(wc -l <"$T/qm.out")" -ge 3 ]
contains "membership: proxmox2 gone, 2 members" "$T/qm.out" '2025-11-25T08:10:48.402430Z,2,proxmox proxmox3'

# --- metrics ---
# Every sample line: name, optional {label="value",...} with escaped values, a number.
bad=$(grep -v '^#' "$T/m.prom" | grep -Evc '^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9][0-9.eE+-]*$')
is "metrics: every sample parses" "$bad" 0
check "metrics: HELP and TYPE lines" grep -q '^# TYPE cascade_incidents_total counter$' "$T/m.prom"
contains "metrics: one new incident" "$T/m.prom" "cascade_incidents_new 1"
contains "metrics: events per node" "$T/m.prom" 'cascade_node_events_total{node="proxmox2"}'
contains "metrics: last scan time" "$T/m.prom" "cascade_last_scan_timestamp_seconds "
check "metrics: no temporary file left" [ -z "$(ls "$T" | grep 'm.prom.tmp')" ]

# --- nothing new afterwards ---
events=$(q "$db" "SELECT count(*) FROM event")
scan second "$db" "$R" --metrics "$T/m.prom" "$T/journal"
is_rc second 0
is "second: no line" "$(wc -c <"$T/second.out" | tr -d ' ')" 0
is "second: still one report" "$(nreports "$R")" 1
contains "metrics: nothing new" "$T/m.prom" "cascade_incidents_new 0"
# The same incident analysed again over a window that holds it is still not new.
scan again "$db" "$R" --since 2025-11-25
is_rc again 0
is "re-analysed: still one report" "$(nreports "$R")" 1
is "re-analysed: the view keeps the report path" "$(q "$db" "SELECT report_path FROM incidents")" "$report"
is "events unchanged" "$(q "$db" "SELECT count(*) FROM event")" "$events"

# --- --exec: the path is one positional argument ---
cat >"$T/hook.sh" <<'HOOK'
#!/bin/sh
printf '%s|%s\n' "$#" "$1" >>"$MARKER"
HOOK
chmod +x "$T/hook.sh"
export MARKER="$T/marker"
scan exec "$T/exec.db" "$T/r2 y" --exec "$T/hook.sh" "$T/journal"
is_rc exec 1
scan exec-again "$T/exec.db" "$T/r2 y" --exec "$T/hook.sh" "$T/journal"
is_rc exec-again 0
unset MARKER
is "exec: ran once, one argument, the report path" "$(cat "$T/marker" 2>/dev/null)" "1|$T/r2 y/incident-20251125T080952Z-reboot-cascade.md"
scan exec-fail "$T/exec2.db" "$T/r3" --exec false "$T/journal"
is_rc exec-fail 4

# --- a report that cannot be written is tried again by the next scan ---
: >"$T/not-a-dir"
scan unwritable "$T/retry.db" "$T/not-a-dir/r" "$T/journal"
is_rc unwritable 4
scan retry "$T/retry.db" "$T/r4"
is_rc retry 1
is "retry: the report written" "$(nreports "$T/r4")" 1

# --- history: a quiet night and ad-hoc analyses keep what earlier scans found ---
# A night with new events and no incident (the next day's logs): the window holds only them.
printf '%s\n' '2025-11-26T03:00:00+0000 proxmox systemd[1]: Starting Daily apt download activities...' \
        '2025-11-26T03:00:05+0000 proxmox systemd[1]: Finished Daily apt download activities.' >"$T/quiet.log"
id=$(q "$db" "SELECT id FROM incidents")
scan quiet "$db" "$R" "$T/quiet.log"
is_rc quiet 0
is "quiet night: the incident stays in the view" "$(q "$db" "SELECT id, classification, report_path FROM incidents")" \
        "$id|reboot-cascade|$report"
is "quiet night: its boots and membership stay" \
        "$(q "$db" "SELECT (SELECT count(*) FROM boots WHERE start LIKE '2025-11-25%') >= 3,
                           (SELECT count(*) FROM membership WHERE ts LIKE '2025-11-25%') >= 3")" "1|1"
cas adhoc --db "$db" --tz UTC analyze --since '2025-11-26 00:00' --until '2025-11-26 12:00'
is_rc adhoc 0
is "ad-hoc analyze of another window: the incident stays" "$(q "$db" "SELECT id, report_path FROM incidents")" "$id|$report"
# A window that cuts the incident: found again, the same incident (id, report) with what this analysis saw.
cas adhoc-in --db "$db" --tz UTC analyze --since '2025-11-25 08:12' --until '2025-11-25 08:13'
contains "ad-hoc analyze inside it: found" "$T/adhoc-in.out" "reboot-cascade"
is "ad-hoc analyze inside it: one incident, same id and report" \
        "$(q "$db" "SELECT count(*), id, report_path, window_since FROM incidents")" "1|$id|$report|2025-11-25T08:12:00.000000Z"
is "ad-hoc analyze: the analysis is stamped" "$(q "$db" "SELECT cascade_version IS NOT NULL, length(patterns_hash) FROM incidents")" "1|16"

# --- notifications: a failing --exec is retried by the next scan, then never run again ---
cat >"$T/flaky.sh" <<'HOOK'
#!/bin/sh
# Fails its first call and succeeds afterwards; counts every call.
echo "$1" >>"$CALLS"
[ "$(wc -l <"$CALLS")" -gt 1 ]
HOOK
cat >"$T/down.sh" <<'HOOK'
#!/bin/sh
echo "$1" >>"$CALLS"
exit 3
HOOK
chmod +x "$T/flaky.sh" "$T/down.sh"
calls() { if [ -f "$CALLS" ]; then wc -l <"$CALLS" | tr -d ' '; else echo 0; fi; }
export CALLS="$T/flaky.calls"
fdb=$T/flaky.db
scan flaky1 "$fdb" "$T/rf" --exec "$T/flaky.sh" --metrics "$T/f.prom" "$T/journal"
is_rc flaky1 4
is "flaky: called once" "$(calls)" 1
is "flaky: the report is written all the same" "$(nreports "$T/rf")" 1
is "flaky: pending in the incidents view" "$(q "$fdb" "SELECT notification FROM incidents")" \
        "pending (exec $T/flaky.sh: attempt 1/5: exit status 1)"
contains "flaky: metrics count the failure" "$T/f.prom" "cascade_notify_failures 1"
contains "flaky: metrics count it pending" "$T/f.prom" "cascade_notify_pending 1"
scan flaky2 "$fdb" "$T/rf" --exec "$T/flaky.sh" --metrics "$T/f.prom"
is_rc flaky2 0
is "flaky: retried by the next scan" "$(calls)" 2
is "flaky: retried with the report path" "$(sed -n 2p "$CALLS")" "$(ls "$T/rf"/incident-*.md)"
is "flaky: sent" "$(q "$fdb" "SELECT notification FROM incidents")" "sent"
is "flaky: the retry prints no new incident" "$(wc -c <"$T/flaky2.out" | tr -d ' ')" 0
contains "flaky: metrics, nothing pending" "$T/f.prom" "cascade_notify_pending 0"
scan flaky3 "$fdb" "$T/rf" --exec "$T/flaky.sh"
# Re-analysed over other windows, by scan and by an ad-hoc analyze: still the same incident.
scan flaky4 "$fdb" "$T/rf" --exec "$T/flaky.sh" --since 2025-11-25
cas flaky5 --db "$fdb" --tz UTC analyze --since '2025-11-25 08:12' --until '2025-11-25 08:20'
scan flaky6 "$fdb" "$T/rf" --exec "$T/flaky.sh" --since '2025-11-25 08:11'
is_rc flaky6 0
is "flaky: never called again, whatever the window" "$(calls)" 2
is "flaky: one report" "$(nreports "$T/rf")" 1
is "flaky: one incident" "$(q "$fdb" "SELECT count(*) FROM incidents")" 1

# A hook that keeps failing is called NOTIFY_MAX_ATTEMPTS (5) times in all, then given up.
export CALLS="$T/down.calls"
for i in 1 2 3 4 5 6; do
        scan "down$i" "$T/down.db" "$T/rd" --exec "$T/down.sh" --metrics "$T/d.prom" "$T/journal"
        echo "$rc" >>"$T/down.rcs"
done
is "failing hook: exit statuses" "$(tr '\n' ' ' <"$T/down.rcs")" "4 4 4 4 4 0 "
is "failing hook: called 5 times" "$(calls)" 5
is "failing hook: given up in the view" "$(q "$T/down.db" "SELECT notification FROM incidents")" \
        "failed (exec $T/down.sh: attempt 5/5: exit status 3)"
is "failing hook: notifications view" "$(q "$T/down.db" "SELECT hook, state, attempts FROM notifications ORDER BY hook")" \
        "exec $T/down.sh|failed|5
report|sent|1"
contains "failing hook: metrics count it given up" "$T/d.prom" "cascade_notify_given_up 1"

# --- a store of the cascade before the history (schema 9), migrated: nothing reported twice ---
# tests/data/scan-store-v9.sql is what commit 722bd54's scan left after reporting the incident and a
# quiet night. CASCADE_OLD_BIN=path/to/that/cascade makes the store with that binary instead.
mdir=$T/v9
mkdir -p "$mdir"
printf '#!/bin/sh\necho "$1" >>"%s/calls"\n' "$mdir" >"$mdir/hook.sh"
chmod +x "$mdir/hook.sh"
export CALLS="$mdir/calls"
if [ -n "${CASCADE_OLD_BIN:-}" ]; then
        for args in "$T/journal" ""; do
                # shellcheck disable=SC2086 # the empty second run takes no SOURCE
                env -u CASCADE_PATTERNS_DIR "$CASCADE_OLD_BIN" --db "$mdir/cascade.db" --tz UTC scan --config /dev/null \
                        --reports-dir "$mdir/reports" --exec "$mdir/hook.sh" $args >/dev/null 2>&1
        done
        is "old binary: reported once" "$(calls)" 1
else
        sed "s|@DIR@|$mdir|g" "$CASCADE_SOURCE_ROOT/tests/data/scan-store-v9.sql" | sqlite3 "$mdir/cascade.db"
fi
before=$(calls)
scan mig-quiet "$mdir/cascade.db" "$mdir/reports" --exec "$mdir/hook.sh"
is_rc mig-quiet 0
scan mig-again "$mdir/cascade.db" "$mdir/reports" --exec "$mdir/hook.sh" --since 2025-11-25 "$T/journal"
is_rc mig-again 0
is "migrated: the hook is not called again" "$(calls)" "$before"
is "migrated: the incident in the view, its old report, sent" \
        "$(q "$mdir/cascade.db" "SELECT classification, report_path, notification FROM incidents")" \
        "reboot-cascade|$mdir/reports/incident-20251125T080952Z-reboot-cascade.md|sent"
is "migrated: no report written again" "$(nreports "$mdir/reports")" "$(if [ -n "${CASCADE_OLD_BIN:-}" ]; then echo 1; else echo 0; fi)"
unset CALLS

# --- two scans at once ---
( scan c1 "$T/c.db" "$T/rc" "$T/journal"; echo "$rc" >"$T/c1.rc" ) &
( scan c2 "$T/c.db" "$T/rc" "$T/journal"; echo "$rc" >"$T/c2.rc" ) &
wait
is "concurrent: exit statuses 0 and 1" "$(cat "$T/c1.rc" "$T/c2.rc" | sort | tr '\n' ' ')" "0 1 "
is "concurrent: same events as one scan" "$(q "$T/c.db" "SELECT count(*) FROM event")" "$events"
is "concurrent: one report" "$(nreports "$T/rc")" 1

# --- usage ---
scan garbage "$db" "$R" --since garbage
is_rc garbage 2
cas help --db "$db" scan --help
is_rc help 0
contains "help documents the exit statuses" "$T/help.out" "5 another scan held the lock"

# --- a scan while a long query reads the same database ---
( "$CASCADE_BIN" --db "$T/c.db" query --format csv \
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) SELECT count(*) FROM n, event" \
        >"$T/longq.out" 2>&1; echo $? >"$T/longq.rc" ) &
scan during "$T/c.db" "$T/rc" "$T/journal"
wait
is "a scan while a query reads: both succeed" "$(cat "$T/longq.rc") $rc" "0 0"
is "the query saw a consistent store" "$(tr -d '\r"' <"$T/longq.out" | tail -1)" "$((3000 * events))"
done_testing
