#!/bin/sh
# An inverted --since/--until window is a usage error (exit 2) naming both values, caught before a
# database is opened (there is none here). TAP.
set -u
bin=${CASCADE_BIN:?}
echo "1..2"
err=$(CASCADE_DB=/nonexistent/cascade.db "$bin" timeline --since now --until 2025-01-01 2>&1 >/dev/null)
rc=$?
[ "$rc" -eq 2 ] && echo "ok 1 - exit status 2" || echo "not ok 1 - exit status $rc, want 2"
case $err in
*"--since 'now' is after --until '2025-01-01'"*) echo "ok 2 - the message names both values" ;;
*) echo "not ok 2 - message: $err" ;;
esac
