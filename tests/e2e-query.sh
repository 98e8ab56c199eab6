#!/bin/sh
# cascade query (read-only SQL; table, CSV through libcsv, JSON) and cascade timeline (merged,
# skew-corrected, filtered, terminal-safe).
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_journal_tools
db=$T/db
export CASCADE_PATTERNS_DIR=$CASCADE_SOURCE_ROOT/patterns
esc=$(printf '\033')
cat >"$T/a.log" <<EOF2
Nov 25 08:10:00 pve1 app[1]: plain, with "quotes" and a comma
Nov 25 08:10:01 pve2 app[2]: second node ${esc}[31mred${esc}[0m
Nov 25 08:10:02 pve1 corosync[9]:   [TOTEM ] Token has not been received in 2250 ms
Nov 25 08:10:03 pve2 corosync[9]:   [KNET  ] link: host: 1 link: 0 is down
EOF2
"$CASCADE_BIN" --db "$db" --tz UTC ingest --no-progress --year 2025 "$T/a.log" >/dev/null
q() { "$CASCADE_BIN" --db "$db" query "$@"; }

check "a write is refused" sh -c "! '$CASCADE_BIN' --db '$db' query 'DELETE FROM event' 2>'$T/w.err'"
contains "with a clear message" "$T/w.err" "opened read-only"
is "the event survived" "$(q --format csv 'SELECT count(*) FROM event' | tail -1 | tr -d '\r')" '"4"'
is "CSV: header row and RFC 4180 quoting" "$(q --format csv "SELECT message FROM timeline WHERE node = 'pve1' LIMIT 1")" \
        "$(printf '"message"\r\n"plain, with ""quotes"" and a comma"\r')"
check "JSON: an array of objects keyed by column" sh -c "'$CASCADE_BIN' --db '$db' query --format json \
        'SELECT node, count(*) AS n FROM timeline GROUP BY node' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d == [{\"node\":\"pve1\",\"n\":2},{\"node\":\"pve2\",\"n\":2}], d'"
is "SQL from standard input" "$(echo "SELECT kind FROM tagged ORDER BY ts" | q --format csv - | tr -d '\r' | tr '\n' ' ')" \
        '"kind" "corosync.token.warning" "knet.link.down" '
check "table format strips control characters" sh -c "! '$CASCADE_BIN' --db '$db' query --format table 'SELECT message FROM timeline' | grep -q '$esc'"

"$CASCADE_BIN" --db "$db" --tz UTC timeline >"$T/tl.txt"
is "timeline merges both nodes in time order" "$(cut -c12-19 "$T/tl.txt" | tr '\n' ' ')" "08:10:00 08:10:01 08:10:02 08:10:03 "
check "timeline strips escapes" sh -c "! grep -q '$esc' '$T/tl.txt'"
contains "timeline shows tags" "$T/tl.txt" "[corosync.token.warning]"
is "--node" "$("$CASCADE_BIN" --db "$db" timeline --node pve2 | wc -l)" 2
is "--kind prefix" "$("$CASCADE_BIN" --db "$db" timeline --kind knet. | wc -l)" 1
is "--grep" "$("$CASCADE_BIN" --db "$db" timeline --grep 'quo+tes' | wc -l)" 1
check "--format json parses" sh -c "'$CASCADE_BIN' --db '$db' timeline --format json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)) == 4'"

# The skewed-clock scenario: hv13's clock is 2.5 s ahead; the timeline puts its lines back.
scen=$CASCADE_SOURCE_ROOT/tests/data/scenarios/skewed-clock
mkdir "$T/j"
for e in "$scen"/*.export; do "$JOURNAL_REMOTE" --output="$T/j/$(basename "$e" .export).journal" "$e" >/dev/null 2>&1; done
"$CASCADE_BIN" --db "$T/s.db" ingest --no-progress "$T/j" >/dev/null
ring=$(sqlite3 "$T/s.db" "SELECT json_extract(captures, '$.ring') FROM tag WHERE kind = 'corosync.membership' LIMIT 1")
"$CASCADE_BIN" --db "$T/s.db" timeline --utc --kind corosync.membership --format csv | grep -F "($ring)" >"$T/ring.csv"
check "the same ring id is logged at the same corrected time on every node" python3 - "$T/ring.csv" <<'PY'
import csv, sys, datetime
rows = list(csv.reader(open(sys.argv[1])))
ts = [datetime.datetime.fromisoformat(r[0].replace("Z", "+00:00")).timestamp() for r in rows]
assert len(rows) >= 2 and max(ts) - min(ts) < 0.1, rows
PY
# analyze keeps its results for the boots, incidents and membership views.
ex=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
"$CASCADE_BIN" --db "$T/ex.db" ingest --no-progress --year 2025 "$ex"/syslog/*.log "$ex"/syslog/auth/*.log >/dev/null
"$CASCADE_BIN" --db "$T/ex.db" analyze >/dev/null
is "boots view after analyze" "$("$CASCADE_BIN" --db "$T/ex.db" query --format csv \
        "SELECT node, end_kind, initiator FROM boots WHERE end_kind != 'running' ORDER BY node" | tr -d '\r' | tail -2 | tr '\n' ' ')" \
        '"proxmox","clean-reboot","root (ssh login from 192.168.1.50)" "proxmox2","clean-reboot","root (ssh login from 192.168.1.50)" '
is "incidents view after analyze" "$("$CASCADE_BIN" --db "$T/ex.db" query --format csv "SELECT classification, root_node FROM incidents" | tr -d '\r' | tail -1)" \
        '"reboot-cascade","proxmox2"'
check "membership view after analyze" test "$("$CASCADE_BIN" --db "$T/ex.db" query --format csv "SELECT count(*) FROM membership" | tr -d '\r"' | tail -1)" -ge 4
done_testing
