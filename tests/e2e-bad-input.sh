#!/bin/sh
# Bad input and faults: every case ends with a clear message or a graceful result, and nothing
# already stored is lost (issue 6).
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_journal_tools
export CASCADE_PATTERNS_DIR=$CASCADE_SOURCE_ROOT/patterns
db=$T/db
c() { "$CASCADE_BIN" --db "$db" --tz UTC "$@"; }
quiet() { "$@" >/dev/null 2>&1; }
count() { sqlite3 "$db" "SELECT count(*) FROM event"; }

# NUL bytes and invalid UTF-8 in a text message: stored byte for byte (as a BLOB), still tagged.
printf 'Nov 25 08:10:00 pve1 app[1]: nul\000inside and \377\376 invalid\nNov 25 08:10:01 pve1 corosync[9]:   [TOTEM ] Token has not been received in 2250 ms \377\n' >"$T/bin.log"
c ingest --no-progress --year 2025 "$T/bin.log" >/dev/null
is "NUL and invalid UTF-8 kept byte for byte" "$(sqlite3 "$db" "SELECT hex(message) FROM event WHERE message LIKE 'nul%' OR hex(message) LIKE '6E756C00%'")" \
        "6E756C00696E7369646520616E6420FFFE20696E76616C6964"
is "a message with invalid UTF-8 is still tagged" "$(sqlite3 "$db" "SELECT kind FROM tagged WHERE node = 'pve1'")" corosync.token.warning

# A binary journal field (export format): the exact bytes.
printf '__REALTIME_TIMESTAMP=1764058200000000\n_HOSTNAME=pve2\nSYSLOG_IDENTIFIER=app\nMESSAGE\n' >"$T/bin.export"
printf '\007\000\000\000\000\000\000\000a\000b\nc\377d' >>"$T/bin.export"
printf '\n\n' >>"$T/bin.export"
c ingest --no-progress "$T/bin.export" >/dev/null
is "binary export field stored exactly" "$(sqlite3 "$db" "SELECT hex(message) FROM event WHERE identifier = 'app' AND node_id = (SELECT id FROM node WHERE name = 'pve2')")" "6100620A63FF64"

# A 10 MB line, and the line after it.
python3 -c "
import sys
sys.stdout.write('Nov 25 08:11:00 pve3 big[1]: ' + 'x' * 10485760 + '\n')
sys.stdout.write('Nov 25 08:11:01 pve3 small[1]: after the big one\n')" >"$T/big.log"
c ingest --no-progress --year 2025 "$T/big.log" >/dev/null
is "a 10 MB line is stored whole" "$(sqlite3 "$db" "SELECT length(message) FROM event WHERE identifier = 'big'")" 10485760
is "and the next line too" "$(sqlite3 "$db" "SELECT message FROM event WHERE identifier = 'small'")" "after the big one"

# Far future and far past stamps, a backwards clock step, duplicate stamps.
cat >"$T/times.log" <<'LOG'
9999-12-31T23:59:59Z pve4 app[1]: far future
1970-01-01T00:00:00Z pve4 app[1]: the epoch
1901-12-14T00:00:00Z pve4 app[1]: far past
2025-11-25T09:00:00Z pve4 app[1]: before the step
2025-11-25T08:00:00Z pve4 app[1]: after a backwards step
2025-11-25T08:00:00Z pve4 app[1]: same second
2025-11-25T08:00:00Z pve4 app[1]: same second
LOG
c ingest --no-progress "$T/times.log" >/dev/null
is "every stamp stored, duplicates included" "$(sqlite3 "$db" "SELECT count(*) FROM event WHERE node_id = (SELECT id FROM node WHERE name = 'pve4')")" 7
is "times kept as written" "$(sqlite3 "$db" "SELECT group_concat(ts, ' ') FROM (SELECT ts FROM timeline WHERE node = 'pve4' ORDER BY ts_usec LIMIT 2)")" \
        "1901-12-14T00:00:00.000000Z 1970-01-01T00:00:00.000000Z"
before=$(count)
c ingest --no-progress "$T/times.log" >/dev/null
is "rerun adds none of them again" "$(count)" "$before"
check "analysis copes with them" quiet c analyze --format json

# A journal file still being written: systemd-journal-remote keeps it online while its input
# FIFO is open. What is there is read; the rest comes with the next ingest, nothing twice.
entry() { printf '__REALTIME_TIMESTAMP=%s\n_HOSTNAME=pve6\nSYSLOG_IDENTIFIER=app\n_BOOT_ID=0123456789abcdef0123456789abcdef\nMESSAGE=entry %s\n\n' "$1" "$1"; }
mkfifo "$T/fifo"
"$JOURNAL_REMOTE" --output="$T/online.journal" "$T/fifo" >/dev/null 2>&1 &
remote=$!
exec 7>"$T/fifo"
for i in 1 2 3; do entry "176405820000000$i" >&7; done
sleep 1
c ingest --no-progress "$T/online.journal" >/dev/null 2>&1
first=$(sqlite3 "$db" "SELECT count(*) FROM event WHERE node_id = (SELECT id FROM node WHERE name = 'pve6')")
for i in 4 5; do entry "176405820000000$i" >&7; done
exec 7>&-
wait "$remote"
c ingest --no-progress "$T/online.journal" >/dev/null 2>&1
is "a journal being written: read while online, completed later, nothing twice" \
        "$first $(sqlite3 "$db" "SELECT count(*) FROM event WHERE node_id = (SELECT id FROM node WHERE name = 'pve6')")" "3 5"

# An empty file and a file of blank lines.
: >"$T/empty.log"
printf '\n\n\n' >"$T/blank.log"
check "an empty file is fine" quiet c ingest --no-progress "$T/empty.log" "$T/blank.log"

# A database file that is not SQLite.
echo "not a database" >"$T/not.db"
"$CASCADE_BIN" --db "$T/not.db" ingest --no-progress "$T/empty.log" >/dev/null 2>"$T/notdb.err"
is "not-SQLite database: exit 1" "$?" 1
contains "with a message naming it" "$T/notdb.err" "'$T/not.db' is not a cascade database"
is "and the file untouched" "$(cat "$T/not.db")" "not a database"

# Disk full while ingesting, on a small tmpfs: an error, and what was stored before stays.
mkdir "$T/small"
if mount -t tmpfs -o size=600k tmpfs "$T/small" 2>/dev/null; then
        "$CASCADE_BIN" --db "$T/small/db" --tz UTC ingest --no-progress --year 2025 "$T/bin.log" >/dev/null 2>&1
        kept=$(sqlite3 "$T/small/db" "SELECT count(*) FROM event")
        python3 -c "
for i in range(200000):
    print('Nov 25 09:%02d:%02d pve5 filler[%d]: line %d with some padding to fill the disk quickly' % (i // 3600 % 60, i // 60 % 60, i, i))" >"$T/filler.log"
        "$CASCADE_BIN" --db "$T/small/db" --tz UTC ingest --no-progress --year 2025 "$T/filler.log" >/dev/null 2>"$T/full.err"
        is "disk full: exit 1" "$?" 1
        contains "disk full: said so" "$T/full.err" "space"
        is "disk full: what was stored before is still there" \
                "$(sqlite3 "$T/small/db" "SELECT count(*) FROM event WHERE node_id = (SELECT id FROM node WHERE name = 'pve1')")" "$kept"
        check "disk full: the database is intact" sh -c "[ \"\$(sqlite3 '$T/small/db' 'PRAGMA integrity_check')\" = ok ]"
        # Read-only: the same filesystem remounted read-only.
        mount -o remount,ro "$T/small"
        "$CASCADE_BIN" --db "$T/small/db" --tz UTC ingest --no-progress --year 2025 "$T/bin.log" >/dev/null 2>"$T/ro.err"
        is "read-only database directory: exit 1" "$?" 1
        check "read-only: analysis still reads it" quiet "$CASCADE_BIN" --db "$T/small/db" analyze
        umount "$T/small"
else
        skip "disk full (mounting a tmpfs is not permitted here)"
        skip "read-only database directory (mounting a tmpfs is not permitted here)"
fi
done_testing
