#!/bin/sh
# cascade forget undoes an ingest: a stray file forgotten gives back the store (and the analysis)
# of before; a node forgotten and its sources ingested again give the same store; a window
# forgotten stays forgotten; --dry-run removes nothing; bad names are errors that remove nothing.
# On the bundled example: journals (real files from its exports), corosync.conf and syslog text.
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_tools
require_journal_tools
ex=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
mkdir "$T/j"
for n in proxmox proxmox2 proxmox3; do mkjournal "$T/j/$n.journal" "$ex/journal/$n.export"; done
db=$T/f.db
export CASCADE_DB=$db
ingest() { "$CASCADE_BIN" --tz UTC ingest --no-progress "$@" >"$T/ingest.out" 2>&1; }
ingest "$T/j" "$ex/corosync.conf"
ingest --year 2025 "$ex"/syslog/*.log "$ex"/syslog/auth/*.log

# Everything the content tables say, without row ids and wall-clock times: equal dumps, equal stores.
dump() {
        q "$db" "SELECT n.name, e.ts, e.ts_prec, e.mono, e.identifier, e.pid, e.priority, e.unit, e.message,
                        s.key, e.line, e.cursor, b.boot_id,
                        (SELECT group_concat(t.rule || '=' || t.captures, ';') FROM tag t WHERE t.event_id = e.id)
                 FROM event e JOIN node n ON n.id = e.node_id JOIN source s ON s.id = e.source_id
                 LEFT JOIN boot b ON b.id = e.boot ORDER BY 1, 2, 9, 10, 11"
        q "$db" "SELECT n.name, b.boot_id, b.start_ts, b.first_ts, b.last_ts, b.inferred FROM boot b
                 JOIN node n ON n.id = b.node_id ORDER BY 1, 2"
        q "$db" "SELECT key, path, format, offset, line, cursor, state FROM source ORDER BY key"
        q "$db" "SELECT name, corosync_id, first_ts, last_ts FROM node ORDER BY name"
        q "$db" "SELECT c.nodeid, c.name, c.ring0_addr, c.votes, s.key FROM corosync_node c JOIN source s ON s.id = c.source_id ORDER BY 1"
        q "$db" "SELECT c.key, c.value FROM corosync_setting c ORDER BY 1"
        q "$db" "SELECT s.key, r.line, r.reason FROM rejected_line r JOIN source s ON s.id = r.source_id ORDER BY 1, 2"
}
dump >"$T/a.dump"
events=$(q "$db" "SELECT count(*) FROM event")
"$CASCADE_BIN" --tz UTC analyze >"$T/a.analyze"
check "the example's store has events" test "$(q "$db" "SELECT count(*) FROM event")" -gt 2000

# 1. A stray test file in an incident's database: forgotten, the store and its analysis are as before.
printf '%s\n' 'Nov 25 08:10:30 proxmox2 corosync[1200]:   [KNET  ] link: host: 1 link: 0 is down' \
        'Nov 25 08:10:31 proxmox9 logger: just testing' 'a line no parser takes' >"$T/stray.log"
ingest --year 2025 "$T/stray.log"
is "the stray file added two events" "$(q "$db" "SELECT count(*) FROM event")" $((events + 2))
cas dry forget --dry-run "$T/stray.log"
is_rc "forget --dry-run" 0
contains "--dry-run says what would go" "$T/dry.out" "would forget 2 events"
dump >"$T/dry.dump"
check "--dry-run removes nothing" sh -c "! cmp -s '$T/a.dump' '$T/dry.dump'"
cas stray forget "$T/stray.log"
is_rc "forget FILE" 0
contains "forget names the source" "$T/stray.out" "file:$T/stray.log"
contains "forget counts what went" "$T/stray.out" "forgot 2 events"
contains "forget counts its rejected line" "$T/stray.out" "1 rejected line"
dump >"$T/b.dump"
check "forgetting the stray file gives the store of before (node proxmox9 gone too)" cmp "$T/a.dump" "$T/b.dump"
"$CASCADE_BIN" --tz UTC analyze >"$T/b.analyze"
check "... and the analysis of before" cmp "$T/a.analyze" "$T/b.analyze"

# 2. A node forgotten, its sources ingested again: the same store.
cas node forget --node proxmox2
is_rc "forget --node" 0
is "no event of proxmox2 is left" "$(q "$db" "SELECT count(*) FROM event e JOIN node n ON n.id = e.node_id WHERE n.name = 'proxmox2'")" 0
ingest "$T/j/proxmox2.journal"
ingest --year 2025 "$ex/syslog/proxmox2.log" "$ex/syslog/auth/proxmox2.log"
dump >"$T/c.dump"
check "forget --node, then ingest again: the same store" cmp "$T/a.dump" "$T/c.dump"
diff "$T/a.dump" "$T/c.dump" | head -10 | sed "s/^/# /"

# 3. A source given as its journal file, its directory or its key.
cas chain forget --dry-run "$T/j/proxmox3.journal"
contains "a journal file names its chain" "$T/chain.out" "journal:$T/j/proxmox3"
cas dir forget --dry-run "$T/j"
is "a directory names every source in it" "$(grep -c '^journal ' "$T/dir.out")" 3
cas key forget --dry-run "file:$ex/corosync.conf"
contains "a key names its source" "$T/key.out" "13 corosync.conf rows"

# 4. A window of a node: exactly its events go, and ingest does not bring them back.
in_window="SELECT count(*) FROM event e JOIN node n ON n.id = e.node_id WHERE n.name = 'proxmox'
           AND e.ts >= 1764057600000000 AND e.ts < 1764058200000000"
n=$(q "$db" "$in_window")
check "the window holds events of proxmox" test "$n" -gt 0
cas window forget --node proxmox --since "2025-11-25 08:00 UTC" --until "2025-11-25 08:10 UTC"
contains "forget --since --until: that window's events" "$T/window.out" "forgot $n events"
is "none is left in the window" "$(q "$db" "$in_window")" 0
check "the node's events outside the window stay" test "$(q "$db" "SELECT count(*) FROM event e JOIN node n ON n.id = e.node_id WHERE n.name = 'proxmox'")" -gt 0
ingest "$T/j/proxmox.journal"
contains "the source kept its resume point: nothing comes back" "$T/ingest.out" "total: 0 added"

# 5. Mistakes remove nothing.
dump >"$T/d.dump"
cas unknown forget "$T/j/proxmox.journal" /no/such/file
is_rc "a name that is no stored source" 1
contains "the error names it" "$T/unknown.err" "No stored source is '/no/such/file'"
cas nonode forget --node pve9
is_rc "an unknown node" 1
cas none forget
is_rc "nothing named" 2
cas badtime forget --node proxmox --since yesterday-ish
is_rc "a bad time" 2
dump >"$T/e.dump"
check "failed forgets removed nothing" cmp "$T/d.dump" "$T/e.dump"
cas nodb --db "$T/none.db" forget --node proxmox
is_rc "a database that does not exist" 1
check "... is not created" test ! -e "$T/none.db"
done_testing
