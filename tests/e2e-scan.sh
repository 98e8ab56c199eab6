#!/bin/sh
# cascade scan on the bundled example incident (real journal files from its export streams): the
# first scan reports the reboot cascade once, later scans report nothing new, the analysis is
# queryable through the incidents / boots / membership views, --exec gets the report path as one
# argument, the metrics file is Prometheus text, and concurrent scans neither lose nor duplicate.
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
        cas "$scan_name" --db "$scan_db" --tz UTC scan --config /nonexistent --reports-dir "$scan_dir" "$@"
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
is "incidents view" "$(sed -n 2p "$T/qi.out" | tr -d '\r')" '"reboot-cascade","proxmox2","'"$report"'"'
cas qb --db "$db" query --format csv "SELECT end_kind, initiator FROM boots WHERE node = 'proxmox2' ORDER BY start LIMIT 1"
contains "boots: proxmox2's first boot ended clean-reboot" "$T/qb.out" '"clean-reboot",'
contains "boots: initiated by root" "$T/qb.out" "root"
cas qb2 --db "$db" query --format csv "SELECT count(*) FROM boots WHERE start LIKE '2025-11-25T%Z'"
check "boots: RFC 3339 UTC times" [ "$(sed -n 2p "$T/qb2.out" | tr -d '"\r')" -ge 3 ]
cas qm --db "$db" query --format csv "SELECT ts, count, members FROM membership ORDER BY ts"
check "membership: rows" [ "$(wc -l <"$T/qm.out")" -ge 3 ]
contains "membership: proxmox2 gone, 2 members" "$T/qm.out" '"2025-11-25T08:10:48.402430Z","2","proxmox proxmox3"'

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
