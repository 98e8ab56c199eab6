#!/bin/sh
# e2e-ingest-journal: `cascade ingest` of real journal files (written by systemd-journal-remote from
# the export fixtures in tests/data/ingest/), journal directories, export and json streams.
#
# Fixtures (times UTC, 2024-04-21 unless said):
#   proxmox.export        16 entries, two boots 3b1f0c4e... (12, from 02:49:50) and 7c2e9a41... (4, from 03:10:00)
#   proxmox-later.export   3 later entries of proxmox's second boot (03:20)
#   proxmox2.export        9 entries, boot a1b2c3d4...
#   proxmox3.export        5 entries, boot 0f1e2d3c..., on 2024-04-20: older than everything above
# shellcheck source=tests/lib-e2e.sh
. "$CASCADE_SOURCE_ROOT/tests/lib-e2e.sh"
require_tools
require_journal_tools

B1=3b1f0c4e9d2a4f6b8e7c5a1d2f3e4b5c
B2=7c2e9a41b0d34f5e9a8b6c1d0e2f3a4b
BP2=a1b2c3d4e5f60718293a4b5c6d7e8f90
BP3=0f1e2d3c4b5a69788796a5b4c3d2e1f0

# ---- one .journal file ----
mkdir "$T/single"
mkjournal "$T/single/proxmox.journal" "$DATA/proxmox.export"
db=$T/single.db
cas single --db "$db" ingest "$T/single/proxmox.journal"
is_rc single 0
is "single file: every entry stored" "$(q "$db" 'SELECT count(*) FROM event')" 16
is "single file: summary says 16 added" "$(total_added single)" 16
is "single file: node from _HOSTNAME" "$(q "$db" 'SELECT DISTINCT n.name FROM event e JOIN node n ON n.id = e.node_id')" proxmox
is "single file: boots from _BOOT_ID" \
        "$(q "$db" "SELECT b.boot_id || ':' || count(*) FROM event e JOIN boot b ON b.id = e.boot GROUP BY b.boot_id ORDER BY b.boot_id" | tr '\n' ' ')" \
        "$B1:12 $B2:4 "
is "single file: boot start = realtime - monotonic" \
        "$(q "$db" "SELECT boot_id || '=' || start_ts FROM boot ORDER BY start_ts" | tr '\n' ' ')" \
        "$B1=1713667790000000 $B2=1713669000000000 "
is "single file: microsecond times kept" \
        "$(q "$db" 'SELECT min(ts), max(ts), max(ts_prec), min(ts_prec) FROM event')" \
        "1713667790000001|1713669040000000|1|1"
is "single file: identifier, pid, priority, unit, message of one entry" \
        "$(q "$db" "SELECT identifier, pid, priority, unit, message FROM event WHERE ts = 1713667807000000")" \
        "pmxcfs|1098|5|pve-cluster.service|[status] notice: members: 1/1098, 2/1045, 3/1112"
is "single file: corosync message kept verbatim (leading blanks)" \
        "$(q "$db" "SELECT '<' || message || '>' FROM event WHERE ts = 1713668115000000")" \
        "<  [TOTEM ] A new membership (1.2e) was formed. Members left: 2>"
is "single file: one source, keyed by the chain, cursor of the last entry" \
        "$(q "$db" 'SELECT key, format, cursor FROM source')" \
        "journal:$T/single/proxmox|journal|$(last_cursor "$T/single/proxmox.journal")"

# Cursors are stored without the boot id, mono and time the row holds (schema/009); event_cursor
# and the timeline view give them whole, exactly as journalctl spells them.
is "single file: stored cursors leave out b=, m= and t=" \
        "$(q "$db" "SELECT count(cursor), sum(instr(cursor, ';b=') > 0), sum(cursor LIKE 's=%;i=%;x=%') FROM event")" "16|0|16"
is "single file: event_cursor gives every event the cursor journalctl gives it" \
        "$(q "$db" 'SELECT cursor FROM event_cursor' | LC_ALL=C sort | tr '\n' ' ')" \
        "$(journalctl --file="$T/single/proxmox.journal" -o export --no-pager | sed -n 's/^__CURSOR=//p' | LC_ALL=C sort | tr '\n' ' ')"
is "single file: the timeline view's source names the whole cursor" \
        "$(q "$db" "SELECT count(*) FROM timeline t JOIN event_cursor c ON c.event_id = t.event_id
                    WHERE t.source = '$T/single/proxmox*.journal (cursor ' || c.cursor || ')' AND c.cursor LIKE '%;b=%;m=%;t=%;x=%'")" 16
cp "$db" "$T/whole-cursor.db"
q "$T/whole-cursor.db" "UPDATE event SET cursor = (SELECT cursor FROM event_cursor c WHERE c.event_id = event.id)"
is "single file: a cursor stored whole (before schema 9) is given back as it is" \
        "$(q "$T/whole-cursor.db" 'SELECT count(*) FROM event e JOIN event_cursor c ON c.event_id = e.id WHERE c.cursor = e.cursor')" 16
cas report-9 --db "$db" --tz UTC report --since 2024-04-21 --until 2024-04-22
contains "single file: a report cites the whole cursor" "$T/report-9.out" ";b=$B1;m=1360a1e0;t=6169273437160;x="
# A report opens the database read-only: one made before schema 9 is read as it is, not migrated.
q "$T/whole-cursor.db" "DROP VIEW event_cursor; PRAGMA user_version = 8"
cas report-8 --db "$T/whole-cursor.db" --tz UTC report --since 2024-04-21 --until 2024-04-22
is_rc report-8 0
contains "single file: a database before schema 9 is reported with its cursors" "$T/report-8.out" \
        ";b=$B1;m=1360a1e0;t=6169273437160;x="
is "single file: ... and stays at schema 8" "$(q "$T/whole-cursor.db" 'PRAGMA user_version')" 8

cas single-rerun --db "$db" ingest "$T/single/proxmox.journal"
is "single file: rerun adds 0" "$(total_added single-rerun) $(q "$db" 'SELECT count(*) FROM event')" "0 16"

# journal-remote appends to an existing file: the journal grows, the rerun reads only the new entries.
KEEP=1 mkjournal "$T/single/proxmox.journal" "$DATA/proxmox-later.export"
cas single-grown --db "$db" ingest "$T/single/proxmox.journal"
is "grown journal: only the 3 new entries read (3 added, 0 duplicates)" \
        "$(total_added single-grown) $(total_dups single-grown)" "3 0"
is "grown journal: cursor moved to the new last entry" \
        "$(q "$db" 'SELECT cursor FROM source')" "$(last_cursor "$T/single/proxmox.journal")"

# ---- a systemd-journal-remote directory: one remote-HOST.journal per node ----
r=$T/remote
mkdir "$r"
for h in proxmox proxmox2 proxmox3; do
        mkjournal "$r/remote-$h.journal" "$DATA/$h.export"
done
db=$T/remote.db
cas remote --db "$db" ingest "$r"
is_rc remote 0
is "remote dir: 30 events in all" "$(total_added remote) $(q "$db" 'SELECT count(*) FROM event')" "30 30"
is "remote dir: each event with its node" \
        "$(q "$db" "SELECT n.name || '=' || count(*) FROM event e JOIN node n ON n.id = e.node_id GROUP BY n.name ORDER BY n.name" | tr '\n' ' ')" \
        "proxmox=16 proxmox2=9 proxmox3=5 "
is "remote dir: boot ids from _BOOT_ID, on the right node" \
        "$(q "$db" "SELECT n.name || ':' || b.boot_id || ':' || count(*) FROM event e JOIN node n ON n.id = e.node_id JOIN boot b ON b.id = e.boot AND b.node_id = e.node_id GROUP BY n.name, b.boot_id ORDER BY n.name, b.boot_id" | tr '\n' ' ')" \
        "proxmox:$B1:12 proxmox:$B2:4 proxmox2:$BP2:9 proxmox3:$BP3:5 "
is "remote dir: one source row per chain" \
        "$(q "$db" "SELECT key || ' ' || format FROM source ORDER BY key" | tr '\n' ';')" \
        "journal:$r/remote-proxmox journal;journal:$r/remote-proxmox2 journal;journal:$r/remote-proxmox3 journal;"
for h in proxmox proxmox2 proxmox3; do
        is "remote dir: cursor of remote-$h is its last entry" \
                "$(q "$db" "SELECT cursor FROM source WHERE key = 'journal:$r/remote-$h'")" "$(last_cursor "$r/remote-$h.journal")"
done
cas remote-rerun --db "$db" ingest "$r"
is "remote dir: rerun adds 0" "$(total_added remote-rerun) $(q "$db" 'SELECT count(*) FROM event')" "0 30"

# The export stream the journals were made from: the same events, all duplicates.
cas export-file --db "$db" ingest "$DATA/proxmox.export"
is_rc export-file 0
is "export file after the journal: 0 added" "$(total_added export-file) $(q "$db" 'SELECT count(*) FROM event')" "0 30"
is "export file after the journal: the duplicates column says 16" "$(node_row export-file proxmox)" "0 16 0"
journalctl --file="$r/remote-proxmox.journal" -o export --no-pager >"$T/proxmox.real-export"
"$CASCADE_BIN" --db "$db" ingest - <"$T/proxmox.real-export" >"$T/export-stdin.out" 2>"$T/export-stdin.err"
rc=$?
is_rc export-stdin 0
is "journalctl -o export on stdin: 0 added" "$(total_added export-stdin) $(q "$db" 'SELECT count(*) FROM event')" "0 30"
is "journalctl -o export on stdin: the duplicates column says 16" "$(node_row export-stdin proxmox)" "0 16 0"
journalctl --file="$r/remote-proxmox.journal" -o json --no-pager >"$T/proxmox.json"
cas json --db "$db" ingest "$T/proxmox.json"
is_rc json 0
is "journalctl -o json of the journal: 0 added, 16 duplicates" \
        "$(node_row json proxmox) $(q "$db" 'SELECT count(*) FROM event')" "0 16 0 30"

# ---- a copied /var/log/journal/<machine-id>/ with an archived file of the same chain ----
mid=0123456789abcdef0123456789abcdef
m=$T/varlogjournal
mkdir -p "$m/$mid"
mkjournal "$m/$mid/system@00000000000000000000000000000001-0000000000000001-0006168c5a8a8b80.journal" "$DATA/proxmox.export"
mkjournal "$m/$mid/system.journal" "$DATA/proxmox-later.export"
db=$T/machine-id.db
cas machine-id --db "$db" ingest "$m"
is_rc machine-id 0
is "machine-id dir: archived and active file both read" "$(total_added machine-id) $(q "$db" 'SELECT count(*) FROM event')" "19 19"
is "machine-id dir: system.journal and system@... are ONE source" \
        "$(q "$db" "SELECT key FROM source")" "journal:$m/$mid/system"
is "machine-id dir: its cursor is the chain's last entry" \
        "$(q "$db" 'SELECT cursor FROM source')" "$(last_cursor "$m/$mid/system.journal")"
cas machine-id-rerun --db "$db" ingest "$m"
is "machine-id dir: rerun adds 0" "$(total_added machine-id-rerun) $(q "$db" 'SELECT count(*) FROM event')" "0 19"

# ---- a late-arriving node whose entries are older than everything stored ----
l=$T/late
mkdir "$l"
cp "$r/remote-proxmox.journal" "$r/remote-proxmox2.journal" "$l/"
db=$T/late.db
cas late-1 --db "$db" ingest "$l"
is "late node: two nodes first" "$(total_added late-1)" 25
cp "$r/remote-proxmox3.journal" "$l/"
cas late-2 --db "$db" ingest "$l"
is_rc late-2 0
is "late node: all 5 older entries of the new node added, nothing re-read" \
        "$(total_added late-2) $(total_dups late-2) $(node_row late-2 proxmox3)" "5 0 5 0 0"
is "late node: every node complete" \
        "$(q "$db" "SELECT n.name || '=' || count(*) FROM event e JOIN node n ON n.id = e.node_id GROUP BY n.name ORDER BY n.name" | tr '\n' ' ')" \
        "proxmox=16 proxmox2=9 proxmox3=5 "

# ---- an empty directory fails, the other source of the run is still stored ----
mkdir "$T/empty"
db=$T/empty.db
cas empty --db "$db" ingest "$T/empty" "$DATA/proxmox2.export"
is_rc empty 1
contains "empty dir: the error names it" "$T/empty.err" "$T/empty: "
is "empty dir: the other source was ingested" "$(q "$db" 'SELECT count(*) FROM event')" 9

# ---- a corrupt journal file: cut in the middle, bytes flipped ----
cp "$r/remote-proxmox.journal" "$T/corrupt.journal"
# Header field tail_object_offset (offset 136): where the written data ends.
used=$(od -An -t u8 -j 136 -N 8 "$T/corrupt.journal" | tr -d ' ')
half=$((used / 2))
truncate -s "$half" "$T/corrupt.journal"
printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' |
        dd of="$T/corrupt.journal" bs=1 seek=$((half / 2)) conv=notrunc 2>/dev/null
diag "corrupt.journal: data ended at $used, cut at $half, 16 bytes flipped at $((half / 2))"
db=$T/corrupt.db
cas corrupt --db "$db" ingest "$T/corrupt.journal" "$r/remote-proxmox2.journal"
is_rc corrupt 1
contains "corrupt journal: the error names the file" "$T/corrupt.err" "corrupt.journal"
is "corrupt journal: the other source's events are stored" \
        "$(q "$db" "SELECT count(*) FROM event e JOIN node n ON n.id = e.node_id WHERE n.name = 'proxmox2'")" 9

done_testing
