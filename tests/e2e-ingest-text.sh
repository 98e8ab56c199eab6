#!/bin/sh
# e2e-ingest-text: `cascade ingest` of syslog text: reruns, grown, rotated and gzip-compressed files,
# the same events through a journal and rsyslog, year rollover, --tz, localized (German) month names,
# bad lines, host-less files, unknown formats, missing paths and the database's permissions.
# shellcheck source=tests/lib-e2e.sh
. "$CASCADE_SOURCE_ROOT/tests/lib-e2e.sh"
require_tools

# ---- rerun, grown file, unfinished last line ----
log=$T/syslog
db=$T/text.db
cp "$DATA/syslog-pve3" "$log"
cas base --db "$db" ingest --year 2024 "$log"
is_rc base 0
is "syslog: 8 lines, 8 events of node pve3" \
        "$(total_added base) $(q "$db" "SELECT count(*) FROM event e JOIN node n ON n.id = e.node_id WHERE n.name = 'pve3'")" "8 8"
is "syslog: stamp, precision, identifier, pid, message of the first line" \
        "$(q "$db" "SELECT ts, ts_prec, identifier, pid, '<' || message || '>' FROM event WHERE line = 1")" \
        "1713668114000000|1000000|corosync|1120|<  [KNET  ] link: host: 2 link: 0 is down>"
cas rerun --db "$db" ingest --year 2024 "$log"
is "syslog: rerun adds 0" "$(total_added rerun) $(total_dups rerun) $(q "$db" 'SELECT count(*) FROM event')" "0 0 8"

cat >>"$log" <<'EOF'
Apr 21 02:55:20 pve3 pve-ha-lrm[1302]: status change active => lost_agent_lock
Apr 21 02:55:20 pve3 pmxcfs[1112]: [status] notice: received log
Apr 21 02:55:21 pve3 pmxcfs[1112]: [status] notice: received log
EOF
cas grown --db "$db" ingest --year 2024 "$log"
is "grown file: exactly the 3 new lines added, nothing read twice" \
        "$(total_added grown) $(total_dups grown) $(q "$db" 'SELECT count(*) FROM event')" "3 0 11"

printf 'Apr 21 02:56:01 pve3 pmxcfs[1112]: [status] notice: rece' >>"$log"
cas partial --db "$db" ingest --year 2024 "$log"
is_rc partial 0
printf 'ived all states\n' >>"$log"
cas completed --db "$db" ingest --year 2024 "$log"
is_rc completed 0
is "unfinished last line: once completed, it is stored (once)" \
        "$(q "$db" "SELECT count(*) FROM event WHERE message = '[status] notice: received all states'")" 1
is "unfinished last line: no event keeps the cut-off text" \
        "$(q "$db" "SELECT count(*) FROM event WHERE message LIKE '%notice: rece' OR message LIKE '%notice: rece '")" 0
is "unfinished last line: the file's 12 lines are 12 events" "$(q "$db" 'SELECT count(*) FROM event')" 12

# ---- rotation: syslog -> syslog.1, a new syslog ----
mv "$log" "$log.1"
cat >"$log" <<'EOF'
Apr 21 03:00:00 pve3 pvedaemon[1405]: <root@pam> successful auth for user 'root@pam'
Apr 21 03:00:01 pve3 pvedaemon[1405]: <root@pam> starting task UPID:pve3:00002F1C:0001A2B3:66248136:vzdump::root@pam:
EOF
cas rotated --db "$db" ingest --year 2024 "$log"
is "rotated: the new syslog's 2 lines added" "$(total_added rotated) $(total_dups rotated)" "2 0"
cas rotated-old --db "$db" ingest --year 2024 "$log.1"
is "rotated: syslog.1 adds 0 (all 12 known)" "$(total_added rotated-old) $(total_dups rotated-old)" "0 12"
gzip -k "$log.1"
cas gz --db "$db" ingest --year 2024 "$log.1.gz"
is_rc gz 0
is "rotated: syslog.1.gz after syslog.1 adds 0" "$(total_added gz) $(total_dups gz)" "0 12"
cas gz-fresh --db "$T/gz.db" ingest --year 2024 "$log.1.gz"
is "gzip: a fresh database ingests the .gz fully" "$(total_added gz-fresh) $(q "$T/gz.db" 'SELECT count(*) FROM event')" "12 12"
cas plain-fresh --db "$T/plain.db" ingest --year 2024 "$log.1"
is "gzip: the same events as the plain file" \
        "$(q "$T/gz.db" 'SELECT group_concat(dedup) FROM (SELECT dedup FROM event ORDER BY dedup)')" \
        "$(q "$T/plain.db" 'SELECT group_concat(dedup) FROM (SELECT dedup FROM event ORDER BY dedup)')"

# ---- one event, two sources: node pve1's journal and its rsyslog /var/log/syslog ----
# pve1-dup.syslog holds the 8 journal entries as rsyslog wrote them, plus rsyslogd's own start line
# and a kernel line the journal lacks (printk uptime 400.25 s: boot start + 400.25 s = ...390250000).
if [ -n "$JOURNAL_REMOTE" ] && [ -x "$JOURNAL_REMOTE" ]; then
        mkjournal "$T/pve1.journal" "$DATA/pve1-dup.export"
        sel="SELECT ts, ts_prec, quote(priority), identifier, quote(pid), message FROM event ORDER BY ts, id"
        journal_rows='1730798015123456|1|6|kernel|NULL|vmbr0: port 1(enp3s0) entered forwarding state
1730798021000000|1|6|corosync|1187|  [KNET  ] link: host: 2 link: 0 is down
1730798021000100|1|6|corosync|1187|  [KNET  ] link: host: 2 link: 0 is down
1730798021200000|1|4|corosync|1187|  [KNET  ] host: host: 2 has no active links
1730798026500000|1|5|corosync|1187|  [TOTEM ] A new membership (1.3c) was formed. Members left: 2
1730798026600000|1|5|corosync|1187|  [QUORUM] Members[2]: 1 3
1730798026700000|1|5|pmxcfs|1098|[status] notice: members: 1/1098, 3/1112
1730798027100000|1|6|pve-ha-crm|1290|node '"'pve2': state changed from 'online' => 'unknown'"
        rsyslogd_row='1730797991000000|1000000|NULL|rsyslogd|NULL|[origin software="rsyslogd" swVersion="8.2302.0" x-pid="712" x-info="https://www.rsyslog.com"] start'
        perf='perf: interrupt took too long (2503 > 2500), lowering kernel.perf_event_max_sample_rate to 79750'

        db=$T/dup-journal-first.db
        cas dupA-journal --db "$db" ingest "$T/pve1.journal"
        cas dupA-syslog --db "$db" ingest --year 2024 "$DATA/pve1-dup.syslog"
        is_rc dupA-syslog 0
        is "journal then syslog: the syslog's 8 known lines are duplicates, 2 new" \
                "$(total_added dupA-syslog) $(total_dups dupA-syslog)" "2 8"
        is "journal then syslog: each event once, journal copies keep µs time and priority, kernel line at boot + uptime" \
                "$(q "$db" "$sel")" "$rsyslogd_row
$journal_rows
1730798390250000|1|NULL|kernel|NULL|$perf"
        is "journal then syslog: text lines placed in the journal's boot" \
                "$(q "$db" 'SELECT count(*), count(DISTINCT e.boot), max(b.inferred) FROM event e JOIN boot b ON b.id = e.boot')" "10|1|0"

        db=$T/dup-syslog-first.db
        cas dupB-syslog --db "$db" ingest --year 2024 "$DATA/pve1-dup.syslog"
        is "syslog then journal: the syslog's 10 lines first" "$(total_added dupB-syslog)" 10
        cas dupB-journal --db "$db" ingest "$T/pve1.journal"
        is_rc dupB-journal 0
        is "syslog then journal: the journal adds 0, its 8 entries are duplicates" \
                "$(total_added dupB-journal) $(total_dups dupB-journal)" "0 8"
        is "syslog then journal: each event once, with the journal's µs time and priority" \
                "$(q "$db" "$sel")" "$rsyslogd_row
$journal_rows
1730798402000000|1000000|NULL|kernel|NULL|$perf"
        is "syslog then journal: the refined events are in the journal's boot" \
                "$(q "$db" "SELECT count(*) FROM event e JOIN boot b ON b.id = e.boot WHERE e.ts_prec = 1 AND b.boot_id = '5e4d3c2b1a09f8e7d6c5b4a392817060'")" 8
else
        diag "JOURNAL_REMOTE not set: the journal+syslog duplicate cases are skipped"
        for n in 1 2 3 4 5 6 7 8; do
                skip "journal+syslog duplicate case $n: no systemd-journal-remote"
        done
fi

# ---- December -> January ----
years="SELECT group_concat(strftime('%Y-%m-%d %H:%M:%S', ts / 1000000, 'unixepoch'), ',') FROM (SELECT ts FROM event ORDER BY line)"
rollover_want="2024-12-31 23:59:57,2024-12-31 23:59:58,2024-12-31 23:59:58,2025-01-01 00:00:03,2025-01-01 00:00:04,2025-01-01 00:00:08,2025-01-01 00:00:08"
cp "$DATA/syslog-rollover" "$T/rollover"
cas rollover --db "$T/rollover.db" ingest --year 2024 "$T/rollover"
is_rc rollover 0
is "--year 2024: December lines in 2024, January lines in 2025" "$(q "$T/rollover.db" "$years")" "$rollover_want"

cp "$DATA/syslog-rollover" "$T/rollover-mtime"
touch -d '2025-01-01 00:10:00' "$T/rollover-mtime"
cas rollover-mtime --db "$T/rollover-mtime.db" ingest "$T/rollover-mtime"
is_rc rollover-mtime 0
is "no --year, mtime 2025-01-01: December lines in 2024" "$(q "$T/rollover-mtime.db" "$years")" "$rollover_want"

# A grown rollover file resumes in the year its last line was in, whatever --year says about line 1.
printf 'Jan  1 00:00:09 pve2 corosync[1187]:   [QUORUM] Members[2]: 1 2\n' >>"$T/rollover"
cas rollover-grown --db "$T/rollover.db" ingest --year 2024 "$T/rollover"
is "grown rollover file, --year 2024 again: the new January line is in 2025" \
        "$(total_added rollover-grown) $(q "$T/rollover.db" "SELECT strftime('%Y-%m-%d %H:%M:%S', ts / 1000000, 'unixepoch') FROM event WHERE line = 8")" \
        "1 2025-01-01 00:00:09"

# A rewritten rollover file (new inode) is read from the start: known events must stay known.
cp "$DATA/syslog-rollover" "$T/rollover2"
cas rollover2 --db "$T/rollover2.db" ingest --year 2024 "$T/rollover2"
cp "$T/rollover2" "$T/rollover2.tmp"
mv "$T/rollover2.tmp" "$T/rollover2"
touch -d '2025-01-01 00:10:00' "$T/rollover2"
cas rollover2-again --db "$T/rollover2.db" ingest "$T/rollover2"
is "rewritten rollover file read again without --year: 0 added" \
        "$(total_added rollover2-again) $(total_dups rollover2-again) $(q "$T/rollover2.db" 'SELECT count(*) FROM event')" "0 7 7"

# ---- time zones ----
stamps="SELECT group_concat(ts, ' ') FROM (SELECT ts FROM event ORDER BY line)"
cas tz-utc --db "$T/tz-utc.db" ingest --year 2025 "$DATA/syslog-tz"
is "TZ=UTC: Jan 15 10:00 and Jul 15 10:00 taken as UTC" "$(q "$T/tz-utc.db" "$stamps")" "1736935200000000 1752573600000000"
cas tz-berlin --db "$T/tz-berlin.db" ingest --tz Europe/Berlin --year 2025 "$DATA/syslog-tz"
is "ingest --tz Europe/Berlin: one hour earlier in winter, two in summer" \
        "$(q "$T/tz-berlin.db" "$stamps")" "1736931600000000 1752566400000000"
cas tz-global --tz Europe/Berlin --db "$T/tz-global.db" ingest --year 2025 "$DATA/syslog-tz"
is "cascade --tz Europe/Berlin ingest: the same" "$(q "$T/tz-global.db" "$stamps")" "1736931600000000 1752566400000000"
TZ=Europe/Berlin "$CASCADE_BIN" --db "$T/tz-env.db" ingest --year 2025 "$DATA/syslog-tz" >"$T/tz-env.out" 2>&1
is "no --tz: the zone in TZ (Europe/Berlin) is honoured" "$(q "$T/tz-env.db" "$stamps")" "1736931600000000 1752566400000000"

# ---- journalctl short output of a German system: month names in the language of LC_TIME ----
# "Mai", "Okt", "Dez" (and "Jan", the same as in English); the node's zone is Europe/Berlin, CEST in
# May and October, CET in December and January; line 4 is a message's continuation line.
de="$T/pve1-de.txt"
cp "$DATA/journal-short-de" "$de"
cas german --db "$T/german.db" ingest --tz Europe/Berlin --year 2024 "$de"
is_rc german 0
is "German month names: 6 events of node pve1, 1 line rejected" \
        "$(total_added german) $(total_rejected german) $(node_row german pve1)" "6 1 6 0 1"
is "German month names: the UTC times, December -> January in the next year" \
        "$(q "$T/german.db" "SELECT group_concat(strftime('%Y-%m-%dT%H:%M:%SZ', ts / 1000000, 'unixepoch'), ',') FROM (SELECT ts FROM event ORDER BY line)")" \
        "2024-05-14T07:12:01Z,2024-10-26T12:05:11Z,2024-10-26T12:05:12Z,2024-12-31T22:59:57Z,2024-12-31T22:59:58Z,2024-12-31T23:00:03Z"
is "German month names: identifier and message after the stamp" \
        "$(q "$T/german.db" "SELECT identifier || '|' || pid || '|' || message FROM event WHERE line = 5")" \
        "corosync|1187|  [TOTEM ] Token has not been received in 2737 ms"
is "German month names: the continuation line reported as FILE:LINE: reason" \
        "$(sed -n "s|^cascade ingest: $de:\([0-9]*\): no timestamp at the start of the line\$|\1|p" "$T/german.err")" 4
head -n 3 "$de" >"$T/pve1-de-head.txt"
cas german-head --db "$T/german-head.db" ingest --tz Europe/Berlin --year 2024 "$T/pve1-de-head.txt"
is_rc german-head 0
is "German month names only (no English one in the file): a text log, not an unknown format" \
        "$(total_added german-head) $(q "$T/german-head.db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ts / 1000000, 'unixepoch') FROM event WHERE line = 1")" \
        "3 2024-05-14T07:12:01Z"

# ---- Pacemaker's own log files: 2.x detail log and 1.1 corosync.log, tagged like its syslog ----
cas pcmk --db "$T/pcmk.db" --tz UTC ingest --year 2025 "$DATA/pacemaker-detail.log" "$DATA/pacemaker-1.1-corosync.log"
is_rc pcmk 0
is "Pacemaker log files: every line an event, each with its daemon and a Pacemaker tag" \
        "$(q "$T/pcmk.db" "SELECT group_concat(node || ' ' || identifier || ' ' || kind, ',') FROM (SELECT node, identifier, kind FROM tagged ORDER BY ts_usec)")" \
        "dev43 crmd pcmk.fence.requested,node1 pacemaker-controld pcmk.peer.lost,node1 pacemaker-schedulerd pcmk.fence.scheduled,node1 pacemaker-controld pcmk.fence.requested,node1 pacemaker-controld pcmk.fence.done"

# ---- unparsable lines ----
bad=$T/bad.log
cp "$DATA/syslog-bad" "$bad"
cas bad --db "$T/bad.db" ingest --year 2024 "$bad"
is_rc bad 0
is "bad lines: 4 events stored, 3 rejected in the summary" \
        "$(total_added bad) $(total_rejected bad) $(node_row bad pve3)" "4 3 4 0 3"
want=
for n in 2 4 6; do
        want="$want$n|no timestamp at the start of the line|$(sed -n "${n}p" "$bad" | od -An -tx1 -v | tr -d ' \n' | tr a-f A-F | sed 's/0A$//')
"
done
is "bad lines: kept verbatim in rejected_line with their line numbers" \
        "$(q "$T/bad.db" 'SELECT line, reason, hex(raw) FROM rejected_line ORDER BY line')
" "$want"
is "bad lines: reported on stderr as FILE:LINE: reason" \
        "$(sed -n "s|^cascade ingest: $bad:\([0-9]*\): no timestamp at the start of the line\$|\1|p" "$T/bad.err" | tr '\n' ' ')" "2 4 6 "

{
        echo 'Apr 21 03:05:00 pve3 pvedaemon[1405]: <root@pam> starting task UPID:pve3:1'
        for n in 1 2 3 4 5 6 7; do echo "    continuation line $n of a multi-line message"; done
        echo 'Apr 21 03:05:01 pve3 pvedaemon[1405]: <root@pam> end task UPID:pve3:1 OK'
} >"$T/many-bad.log"
cas many-bad --db "$T/many-bad.db" ingest --year 2024 "$T/many-bad.log"
is_rc many-bad 0
is "7 bad lines: all kept, the good lines stored" \
        "$(total_added many-bad) $(total_rejected many-bad) $(q "$T/many-bad.db" 'SELECT count(*) FROM rejected_line')" "2 7 7"
is "7 bad lines: the first five reported, then one line saying more follow" \
        "$(grep -c "^cascade ingest: $T/many-bad.log:[2-6]: " "$T/many-bad.err") $(grep -c "^cascade ingest: $T/many-bad.log:[0-9][0-9]*: " "$T/many-bad.err") $(grep -c 'more bad lines follow' "$T/many-bad.err")" \
        "5 5 1"

# A rotated file's bad lines are its own: the old file's rows must not shadow them.
printf 'Apr 21 03:00:00 pve3 pvedaemon[1405]: <root@pam> starting task UPID:pve3:2\nold file: not a log line\n' >"$T/rot-bad.log"
cas rot-bad-1 --db "$T/rot-bad.db" ingest --year 2024 "$T/rot-bad.log"
mv "$T/rot-bad.log" "$T/rot-bad.log.1"
printf 'Apr 21 03:10:00 pve3 pvedaemon[1405]: <root@pam> end task UPID:pve3:2 OK\nnew file: not a log line either\n' >"$T/rot-bad.log"
cas rot-bad-2 --db "$T/rot-bad.db" ingest --year 2024 "$T/rot-bad.log"
is "rotated file with a bad line: the summary counts it" "$(total_added rot-bad-2) $(total_rejected rot-bad-2)" "1 1"
is "rotated file with a bad line: rejected_line keeps the new file's line verbatim" \
        "$(q "$T/rot-bad.db" "SELECT line || ':' || CAST(raw AS TEXT) FROM rejected_line WHERE source_id = (SELECT id FROM source WHERE key = 'file:$T/rot-bad.log')")" \
        "2:new file: not a log line either"

# ---- a file without host names ----
cp "$DATA/corosync-nohost.log" "$T/corosync.log"
cas nohost --db "$T/nohost.db" ingest --year 2024 "$T/corosync.log"
is "no host names, no --node: nothing stored, the lines kept as rejected" \
        "$(q "$T/nohost.db" 'SELECT count(*) FROM event') $(q "$T/nohost.db" 'SELECT count(*) FROM rejected_line')" "0 7"
contains "no host names, no --node: stderr asks for --node" "$T/nohost.err" "--node"
cas nohost-node --db "$T/nohost-node.db" ingest --year 2024 --node pve1 "$T/corosync.log"
is_rc nohost-node 0
is "--node pve1: all 7 lines stored as corosync events of pve1" \
        "$(q "$T/nohost-node.db" "SELECT n.name || ' ' || e.identifier || ' ' || count(*) FROM event e JOIN node n ON n.id = e.node_id GROUP BY n.name, e.identifier")" \
        "pve1 corosync 7"
is "--node pve1: message after the host-less tag" \
        "$(q "$T/nohost-node.db" 'SELECT message FROM event WHERE line = 7')" \
        "[TOTEM ] A processor joined or left the membership and a new membership was formed."
cas nohost-retry --db "$T/nohost.db" ingest --year 2024 --node pve1 "$T/corosync.log"
is "run again with --node as told: the 7 lines are stored" \
        "$(total_added nohost-retry) $(q "$T/nohost.db" 'SELECT count(*) FROM event')" "7 7"

# ---- sources that cannot be read; the others of the run still are ----
awk 'BEGIN { for (i = 0; i < 4096; i++) printf "%c", (i * 131 + 7) % 256 }' >"$T/random.bin"
cas unknown --db "$T/unknown.db" ingest --year 2024 "$T/random.bin" "$DATA/syslog-pve3"
is_rc unknown 1
contains "unknown format: the error names the file" "$T/unknown.err" "$T/random.bin: unknown format"
is "unknown format: the other source is stored" "$(q "$T/unknown.db" 'SELECT count(*) FROM event')" 8

cas missing --db "$T/missing.db" ingest --year 2024 "$DATA/syslog-pve3" "$T/no/such/syslog" "$DATA/syslog-tz"
is_rc missing 1
contains "missing path: the error names it" "$T/missing.err" "$T/no/such/syslog: "
is "missing path: the sources before and after it are stored" "$(q "$T/missing.db" 'SELECT count(*) FROM event')" 10

# ---- tags: the reading thread matches while the storer has a batch waiting, else the storer ----
# Enough lines for both to happen; whichever matched, the tags are those a retag makes.
python3 "$CASCADE_SOURCE_ROOT/bench/gen-cluster-logs.py" --nodes 2 --events 60000 --out "$T/gen" >/dev/null
cas gen --db "$T/gen.db" ingest --year 2025 "$T/gen/pve1.log" "$T/gen/pve2.log"
is_rc gen 0
tags="SELECT event_id, rule, kind, severity, captures FROM tag ORDER BY event_id, rule"
q "$T/gen.db" "$tags" >"$T/gen-ingest.tags"
cas gen-retag --db "$T/gen.db" retag --force
is_rc gen-retag 0
q "$T/gen.db" "$tags" >"$T/gen-retag.tags"
is "60k lines: ingest tags as many events as retag --force, and a few thousand" \
        "$(wc -l <"$T/gen-ingest.tags") $(test "$(wc -l <"$T/gen-ingest.tags")" -gt 3000 && echo ok)" \
        "$(wc -l <"$T/gen-retag.tags") ok"
check "60k lines: ingest's tags are retag's, row for row" cmp -s "$T/gen-ingest.tags" "$T/gen-retag.tags"

# ---- tagging threads (issue 17): they match the batches between reader and storer ----
# Three of them whatever the CPUs here: the same events in the same order, and retag's tags.
events="SELECT id, node_id, ts, identifier, pid, message, line FROM event ORDER BY id"
export CASCADE_TAG_THREADS=3
cas gen-threads --db "$T/gen-threads.db" ingest --year 2025 "$T/gen/pve1.log" "$T/gen/pve2.log"
is_rc gen-threads 0
q "$T/gen-threads.db" "$tags" >"$T/gen-threads.tags"
check "tagging threads: the tags are retag's, row for row" cmp -s "$T/gen-threads.tags" "$T/gen-retag.tags"
q "$T/gen.db" "$events" >"$T/gen.events"
q "$T/gen-threads.db" "$events" >"$T/gen-threads.events"
check "tagging threads: the events are those of an ingest without them, id for id" \
        cmp -s "$T/gen.events" "$T/gen-threads.events"
python3 "$CASCADE_SOURCE_ROOT/bench/gen-cluster-logs.py" --nodes 2 --events 30000 --shape long --out "$T/long" >/dev/null
cas long-threads --db "$T/long.db" ingest --year 2025 "$T/long/pve1.log" "$T/long/pve2.log"
is_rc long-threads 0
unset CASCADE_TAG_THREADS
q "$T/long.db" "$tags" >"$T/long-ingest.tags"
cas long-retag --db "$T/long.db" retag --force
q "$T/long.db" "$tags" >"$T/long-retag.tags"
is "long messages, tagging threads: as many tags as retag --force, and thousands" \
        "$(wc -l <"$T/long-ingest.tags") $(test "$(wc -l <"$T/long-ingest.tags")" -gt 1000 && echo ok)" \
        "$(wc -l <"$T/long-retag.tags") ok"
check "long messages, tagging threads: ingest's tags are retag's, row for row" \
        cmp -s "$T/long-ingest.tags" "$T/long-retag.tags"

# ---- the database is private ----
(umask 022 && "$CASCADE_BIN" --db "$T/private/sub/c.db" ingest --year 2024 "$DATA/syslog-tz" >/dev/null 2>&1)
is "--db in a new directory: file 0600, directories 0700" \
        "$(stat -c %a "$T/private/sub/c.db" "$T/private/sub" "$T/private" | tr '\n' ' ')" "600 700 700 "
modes=
for f in "$T/private/sub/c.db"-*; do
        [ -e "$f" ] && modes="$modes $(basename "$f")=$(stat -c %a "$f")"
done
diag "side files:${modes:- none}"
is "--db: no side file readable by others" "$(echo "$modes" | tr ' ' '\n' | grep -v '=600$' | grep -c .)" 0
mkdir "$T/home"
(umask 022 && unset CASCADE_DB XDG_STATE_HOME && HOME=$T/home "$CASCADE_BIN" ingest --year 2024 "$DATA/syslog-tz" >/dev/null 2>&1)
is "default database ~/.local/state/cascade/cascade.db: file 0600 in a 0700 directory" \
        "$(stat -c %a "$T/home/.local/state/cascade/cascade.db" "$T/home/.local/state/cascade" 2>&1 | tr '\n' ' ')" "600 700 "

done_testing
