#!/bin/sh
# Bad input and faults: every case ends with a clear message or a graceful result, and nothing
# already stored is lost (issue 6); a database that cannot be opened is named with the real
# reason (issue 15).
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

# A database that cannot be opened: each case names the path and the real reason, and only a
# database that is not there "does not exist" (issue 15).
# dbfail NAME WANT CASCADE-ARGS...: exit status 1, WANT in stderr, one line. $run_as: a command
# prefix for cascade (setpriv), none when empty.
run_as=
dbfail() {
        dbfail_name=$1 dbfail_want=$2
        shift 2
        # shellcheck disable=SC2086 # $run_as is a command prefix, split on purpose
        $run_as "$CASCADE_BIN" "$@" >/dev/null 2>"$T/$dbfail_name.err"
        is "$dbfail_name: exit 1" "$?" 1
        contains "$dbfail_name: the path and the reason" "$T/$dbfail_name.err" "$dbfail_want"
        is "$dbfail_name: one line" "$(wc -l <"$T/$dbfail_name.err" | tr -d ' ')" 1
}
# not_missing NAME: the message does not claim a missing database.
not_missing() {
        check "$1: not 'does not exist'" sh -c "! grep -q 'does not exist' '$T/$1.err'"
}
dbfail db-missing "cascade timeline: Database '$T/missing.db' does not exist; 'cascade ingest SOURCE...' or 'cascade collect' creates it" \
        --db "$T/missing.db" timeline
check "db-missing: a reading command creates nothing" test ! -e "$T/missing.db"
dbfail db-proc-read "Database '/proc/cascade-x.db' does not exist" --db /proc/cascade-x.db query 'SELECT 1'
dbfail db-proc-create "cascade ingest: Cannot create database '/proc/cascade-x.db': " \
        --db /proc/cascade-x.db ingest --no-progress "$T/empty.log"
not_missing db-proc-create
dbfail db-empty "Empty database path: give --db a file name" --db '' timeline
dbfail db-empty-ingest "Empty database path: give --db a file name" --db '' ingest --no-progress "$T/empty.log"
mkdir "$T/dir.db"
dbfail db-directory "Cannot open database '$T/dir.db': Is a directory" --db "$T/dir.db" timeline
not_missing db-directory
dbfail db-directory-ingest "Cannot open database '$T/dir.db' for writing: Is a directory" \
        --db "$T/dir.db" ingest --no-progress "$T/empty.log"
: >"$T/plain-file"
dbfail db-parent-file "Cannot open database '$T/plain-file/x.db': Not a directory" --db "$T/plain-file/x.db" timeline
not_missing db-parent-file
dbfail db-parent-file-ingest "Cannot open database '$T/plain-file/x.db' for writing: Not a directory" \
        --db "$T/plain-file/x.db" ingest --no-progress "$T/empty.log"
echo "not a database" >"$T/not.db"
dbfail db-not-sqlite "cascade ingest: Cannot read database '$T/not.db': file is not a database" \
        --db "$T/not.db" ingest --no-progress "$T/empty.log"
is "db-not-sqlite: the file untouched" "$(cat "$T/not.db")" "not a database"
dbfail db-not-sqlite-read "Cannot read database '$T/not.db': file is not a database" --db "$T/not.db" timeline
sqlite3 "$T/other.db" "CREATE TABLE mail (id INTEGER)"
dbfail db-other-program "'$T/other.db' is another program's SQLite database, not cascade's" --db "$T/other.db" timeline
cp "$db" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 999"
dbfail db-newer "Database '$T/newer.db' has schema version 999, newer than this cascade's" --db "$T/newer.db" timeline
dbfail db-newer-ingest "Database '$T/newer.db' has schema version 999, newer than this cascade's" \
        --db "$T/newer.db" ingest --no-progress "$T/empty.log"
# Without read permission: root reads any file, so as root the case runs as nobody (setpriv).
cp "$db" "$T/unreadable.db"
chmod 000 "$T/unreadable.db"
can_run=1
if [ "$(id -u)" = 0 ]; then
        can_run=0
        nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
        # nobody must reach the file, and run the binary (a build directory may be private).
        chmod 711 "$T"
        command -v setpriv >/dev/null 2>&1 && $nobody "$CASCADE_BIN" --version >/dev/null 2>&1 &&
                run_as=$nobody can_run=1
fi
if [ "$can_run" = 1 ]; then
        dbfail db-unreadable "Cannot open database '$T/unreadable.db': Permission denied" \
                --db "$T/unreadable.db" timeline
        not_missing db-unreadable
else
        skip "db-unreadable (running as root, and 'setpriv' cannot run cascade as nobody here)"
fi
run_as=

# Ctrl-C during an ingest: one line saying so, exit status 130; every committed batch stays with
# its resume point, and the same ingest again stores exactly the rest (issue 15).
# A wrapper as CASCADE_BIN (tools/valgrind-e2e.sh) would report, as leaks, all that a process
# killed in the middle of its work holds.
if [ "$(head -c 2 "$CASCADE_BIN")" = "#!" ]; then
        skip "interrupted ingest (CASCADE_BIN is a wrapper script: valgrind reports a killed process's memory)"
elif env --default-signal=INT true 2>/dev/null; then
        # Long enough to be interrupted after its first batch of 20000 events.
        lines=1000000
        python3 -c "
for i in range($lines):
    print('Nov 25 10:%02d:%02d pve7 app[%d]: interrupted ingest line %d' % (i // 6000 % 60, i // 100 % 60, i % 97, i))" >"$T/long.log"
        idb=$T/interrupted.db
        # A background job of a script starts with SIGINT ignored: env gives it a terminal's default.
        env --default-signal=INT "$CASCADE_BIN" --db "$idb" ingest --no-progress --year 2025 "$T/long.log" \
                >"$T/int.out" 2>"$T/int.err" &
        pid=$!
        waited=0
        while [ $waited -lt 300 ] && [ "$(sqlite3 "$idb" 'SELECT count(*) FROM event' 2>/dev/null || echo 0)" = 0 ]; do
                sleep 0.1
                waited=$((waited + 1))
        done
        kill -INT $pid
        wait $pid
        is "interrupted ingest: exit status 130" "$?" 130
        is "interrupted ingest: one line, saying so" "$(cat "$T/int.err")" \
                "cascade ingest: Interrupted; what was stored so far is kept, and the same ingest again continues from there"
        kept=$(sqlite3 "$idb" 'SELECT count(*) FROM event')
        check "interrupted ingest: stopped part way" test "$kept" -gt 0 -a "$kept" -lt "$lines"
        diag "$kept of $lines lines stored when interrupted"
        is "interrupted ingest: the store is whole" "$(sqlite3 "$idb" 'PRAGMA integrity_check')" ok
        "$CASCADE_BIN" --db "$idb" ingest --no-progress --year 2025 "$T/long.log" >"$T/resumed.out" 2>&1
        is "interrupted ingest: the same ingest again completes" "$?" 0
        is "interrupted ingest: it went on after the last batch stored" \
                "$(total_added resumed) $(total_dups resumed)" "$((lines - kept)) 0"
        is "interrupted ingest: every line once" "$(sqlite3 "$idb" 'SELECT count(*), count(DISTINCT message) FROM event')" "$lines|$lines"
else
        skip "interrupted ingest ('env --default-signal' is missing: a background job cannot get SIGINT)"
fi

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
