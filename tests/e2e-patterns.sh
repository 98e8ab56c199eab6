#!/bin/sh
# The pattern library from the command line: list/show/test, a site rule overriding a shipped one
# (--patterns DIR), tags recomputed when the library changes, a broken rule file refused with
# file:line:col. The library's identity: its hash and sources in list's heading, the line ingest
# and retag print when they retag with another library, the library view, the report's footer, a
# database of schema 9 migrated (tests/data/store-v9.sql). Site directories from cascade.conf
# ([cascade] patterns = DIR) used by every command without --patterns, and its errors.
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_tools
work=$T
export CASCADE_PATTERNS_DIR="$CASCADE_SOURCE_ROOT/patterns"
db="$work/db"
c() { "$CASCADE_BIN" --db "$db" "$@"; }
fails() { ! "$@" >/dev/null 2>&1; }

c patterns list >"$work/list"
check "list: one rule per line with id, kind, severity, file" \
        grep -qE '^corosync\.quorum\.lost +corosync\.quorum\.lost +critical +corosync\.patterns$' "$work/list"
check "list: the library has 80+ rules" test "$(grep -vc '^#' "$work/list")" -ge 80
check "list: the heading names the library by hash, then its sources and rule count" grep -qE \
        "^# library [0-9a-f]{16}: .*/patterns: corosync.patterns, .* \\($(grep -vc '^#' "$work/list") rules\\)\$" "$work/list"
check "list: no store line without a database" sh -c "! grep -q '^# store' '$work/list'"
check "show: prints the rule with its examples" sh -c "'$CASCADE_BIN' patterns show corosync.totem.membership | grep -q '^example'"
check "show: an unknown id fails" fails "$CASCADE_BIN" patterns show no.such.rule

# The shipped library is compiled in: a copy of the binary far from any source tree, with no
# $CASCADE_PATTERNS_DIR, still has every rule.
mkdir "$work/elsewhere"
cp "$CASCADE_BIN" "$work/elsewhere/cascade"
check "compiled-in library: the binary alone, elsewhere, tests every rule" \
        sh -c "cd / && env -u CASCADE_PATTERNS_DIR '$work/elsewhere/cascade' patterns test | grep -q '^$(grep -vc '^#' "$work/list") rules,'"

# A library that lacks the rules of a kind the correlator reasons with fails its test, by name.
mkdir "$work/partial"
cp "$CASCADE_SOURCE_ROOT"/patterns/*.patterns "$work/partial/"
rm "$work/partial/pacemaker.patterns"
check "test: the whole shipped library serves every kind the correlator needs" "$CASCADE_BIN" patterns test
CASCADE_PATTERNS_DIR="$work/partial" "$CASCADE_BIN" patterns test >/dev/null 2>"$work/partial.err" && echo unexpected >"$work/partial.err"
check "test: a library without pcmk.fence.done fails, naming the kind" grep -q "kind 'pcmk.fence.done'" "$work/partial.err"

cat >"$work/log" <<'LOG'
Nov 25 08:10:48 pve1 corosync[1076]:   [QUORUM] This node is within the non-primary component and will NOT provide any services.
Nov 25 08:10:49 pve1 myapp[42]: disk is on fire
LOG
c ingest --no-progress --year 2025 "$work/log" >/dev/null
check "ingest tags with the shipped library" sh -c "[ \"\$(sqlite3 '$db' \"SELECT rule FROM tag\")\" = corosync.quorum.lost ]"
shipped=$(q "$db" "SELECT value FROM meta WHERE key = 'tags_hash'")

mkdir "$work/site"
cat >"$work/site/local.patterns" <<'RULES'
version 1
# A site rule with a shipped id replaces the shipped rule.
rule corosync.quorum.lost
kind      corosync.quorum.lost
severity  warning
ident     corosync
match     non-primary component
summary   {node} is without quorum (site wording)
explain   Local wording.
example   Nov 25 08:10:48 pve1 corosync[1076]:   [QUORUM] This node is within the non-primary component and will NOT provide any services.

rule site.disk.fire
kind      site.disk
severity  critical
ident     myapp
match     disk is on (?P<what>\w+)
summary   disk on {what}
explain   Our own application's alarm.
example   Nov 25 08:10:49 pve1 myapp[42]: disk is on fire
expect    what=fire
RULES
check "site rule replaces the shipped one" sh -c "'$CASCADE_BIN' --patterns '$work/site' patterns list | grep -E '^corosync\.quorum\.lost ' | grep -q 'warning  local.patterns'"
check "retag picks up the changed library" sh -c "'$CASCADE_BIN' --db '$db' --patterns '$work/site' retag 2>/dev/null | grep -q '^tagged 2 events, 2 tags'"
check "tags now carry the site rule's severity and captures" sh -c \
        "[ \"\$(sqlite3 '$db' \"SELECT group_concat(severity || ' ' || captures, ';') FROM (SELECT * FROM tag ORDER BY event_id)\")\" = 'warning {};critical {\"what\":\"fire\"}' ]"

# ---- which library tagged the store ----
site=$(q "$db" "SELECT value FROM meta WHERE key = 'tags_hash'")
check "the site library has a hash of its own" test -n "$site" -a "$site" != "$shipped"
is "library view: both libraries, the shipped one kept with no tag left" \
        "$(q "$db" "SELECT group_concat(hash || ' ' || tags || ' ' || events || ' ' || current, ',') FROM library")" \
        "$shipped 0 0 0,$site 2 2 1"
is "library view: the site library's sources and rule count" "$(q "$db" "SELECT sources, rules FROM library WHERE hash = '$site'")" \
        "$CASCADE_SOURCE_ROOT/patterns: $(cd "$CASCADE_SOURCE_ROOT/patterns" && ls -- *.patterns | paste -s -d, - | sed 's/,/, /g'); $work/site: local.patterns|$(( $(grep -vc '^#' "$work/list") + 1 ))"
check "library view: first_used is RFC 3339 UTC" sh -c \
        "sqlite3 '$db' 'SELECT first_used FROM library' | grep -qxE '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z'"
is "every tag names its library" "$(q "$db" "SELECT count(*) FROM tag WHERE library_id = (SELECT id FROM tag_library WHERE hash = '$site')")" 2

# A plain ingest (the shipped library) replaces the site tags, and says so: which library tagged the
# store, by hash and sources, and which one retags it now. One line.
cas plain --db "$db" ingest --no-progress --year 2025 "$work/log"
contains "plain ingest: names the library that tagged the store" "$T/plain.err" \
        "cascade ingest: The store is tagged by pattern library $site ($CASCADE_SOURCE_ROOT/patterns: corosync.patterns"
contains "plain ingest: ... its site directory, and the library that retags it now" "$T/plain.err" \
        "; $work/site: local.patterns); retagging with $shipped ($CASCADE_SOURCE_ROOT/patterns: corosync.patterns"
is "plain ingest: one line" "$(grep -c 'pattern library' "$T/plain.err")" 1
is "library view: the site library's row is kept, its tags replaced" \
        "$(q "$db" "SELECT group_concat(hash || ' ' || tags || ' ' || current, ',') FROM library")" "$shipped 1 1,$site 0 0"
cas plain-again --db "$db" ingest --no-progress --year 2025 "$work/log"
is "the same library again: nothing said" "$(grep -c 'pattern library' "$T/plain-again.err")" 0
cas quiet -q --db "$db" --patterns "$work/site" ingest --no-progress --year 2025 "$work/log"
is "-q: retagged without a word" "$(cat "$T/quiet.err")$(q "$db" "SELECT value FROM meta WHERE key = 'tags_hash'")" "$site"
cas retag-back --db "$db" retag
contains "retag names the library change too" "$T/retag-back.err" \
        "cascade retag: The store is tagged by pattern library $site ("

# ---- site directories from cascade.conf: every command, no --patterns ----
printf '# site rules\n[cascade]\npatterns = %s   # ours\n' "$work/site" >"$work/cascade.conf"
cas conf-ingest --db "$db" --config "$work/cascade.conf" ingest --no-progress --year 2025 "$work/log"
contains "conf: ingest tags with the configured site rules, and says it retags" "$T/conf-ingest.err" \
        "retagging with $site ($CASCADE_SOURCE_ROOT/patterns: "
is "conf: the site rule's tag is there" "$(q "$db" "SELECT rule FROM tag WHERE kind = 'site.disk'")" site.disk.fire
CASCADE_CONF="$work/cascade.conf" "$CASCADE_BIN" --db "$db" retag >"$work/conf-retag.out" 2>"$work/conf-retag.err"
is "conf via \$CASCADE_CONF: retag finds the store tagged by the same library" \
        "$(cat "$work/conf-retag.err"; cat "$work/conf-retag.out")" "tagged 0 events, 0 tags added; pattern library $site ($(( $(grep -vc '^#' "$work/list") + 1 )) rules)"
CASCADE_CONF="$work/cascade.conf" "$CASCADE_BIN" --db "$db" patterns list >"$work/conf-list" 2>&1
contains "conf: patterns list has the site rule" "$work/conf-list" "site.disk.fire"
contains "conf: patterns list's heading names the site directory" "$work/conf-list" "$work/site: local.patterns ("
contains "conf: ... and the store tagged by this library" "$work/conf-list" "# store $db: tagged by this library"
"$CASCADE_BIN" --db "$db" patterns list >"$work/plain-list" 2>&1
contains "without the conf: the store is tagged by another library, named" "$work/plain-list" \
        "# store $db: tagged by library $site ("
CASCADE_CONF="$work/cascade.conf" "$CASCADE_BIN" --db "$db" timeline --format csv >"$work/conf-timeline" 2>&1
contains "conf: timeline shows the site rule's kind" "$work/conf-timeline" "site.disk"
CASCADE_CONF="$work/cascade.conf" "$CASCADE_BIN" --db "$db" report >"$work/conf-report.md" 2>&1
contains "report: the footer names the library that tagged the events" "$work/conf-report.md" \
        ", tagged by pattern library $site; times in"
CASCADE_CONF="$work/cascade.conf" "$CASCADE_BIN" --db "$db" analyze --format json >"$work/conf-analysis.json" 2>&1
contains "analyze --format json: libraries" "$work/conf-analysis.json" "\"libraries\":[\"$site\"]"
# --config wins over $CASCADE_CONF; /dev/null is no configuration at all.
CASCADE_CONF="$work/cascade.conf" "$CASCADE_BIN" --db "$db" --config /dev/null patterns list >"$work/null-list" 2>&1
check "--config /dev/null over \$CASCADE_CONF: no site rule" sh -c "! grep -q site.disk.fire '$work/null-list'"

# Errors: a named file must exist; a bad line is a usage error naming file:line, for every command.
cas conf-missing --db "$db" --config "$work/nope.conf" query "SELECT 1"
is_rc conf-missing 2
contains "conf: a missing named file is named" "$T/conf-missing.err" "Cannot read configuration '$work/nope.conf'"
printf '[cascade]\npatterns = %s\nretian = 90d\n' "$work/site" >"$work/typo.conf"
cas conf-typo --db "$db" --config "$work/typo.conf" timeline
is_rc conf-typo 2
contains "conf: an unknown key is refused with file:line" "$T/conf-typo.err" "$work/typo.conf:3: unknown key in [cascade]"
printf '[cascade]\nretain = 90d\n\n[cascade]\npatterns = %s/gone\n' "$work" >"$work/gone.conf"
cas conf-gone --db "$db" --config "$work/gone.conf" patterns list
is_rc conf-gone 1
contains "conf: a directory that cannot be read is named with its file:line" "$T/conf-gone.err" \
        "Cannot read pattern directory '$work/gone' ($work/gone.conf:5)"

# ---- a database of schema 9 (before libraries were recorded), made by the binary of 722bd54 ----
sqlite3 "$work/v9.db" <"$CASCADE_SOURCE_ROOT/tests/data/store-v9.sql"
old=$(q "$work/v9.db" "SELECT value FROM meta WHERE key = 'tags_hash'")
"$CASCADE_BIN" --db "$work/v9.db" patterns list >"$work/v9-list" 2>&1
contains "v9, read-only: list names the library of its tags, sources not recorded" "$work/v9-list" \
        "# store $work/v9.db: tagged by library $old (sources not recorded)"
"$CASCADE_BIN" --db "$work/v9.db" report >"$work/v9-report.md" 2>&1
contains "v9, read-only: the report's footer names it (from meta)" "$work/v9-report.md" "tagged by pattern library $old;"
is "v9, read-only: not migrated" "$(q "$work/v9.db" "PRAGMA user_version")" 9
"$CASCADE_BIN" --db "$work/v9.db" analyze >/dev/null 2>&1
check "v9, migrated: schema 10 or later" [ "$(q "$work/v9.db" "PRAGMA user_version")" -ge 10 ]
is "v9, migrated: its tags belong to the library meta named, sources and first use unknown" \
        "$(q "$work/v9.db" "SELECT hash, sources IS NULL, rules IS NULL, first_used IS NULL, tags, events, current FROM library")" \
        "$old|1|1|1|2|2|1"
cas v9-ingest --db "$work/v9.db" ingest --no-progress --year 2025 "$work/log"
contains "v9: a plain ingest names the old library (sources not recorded)" "$T/v9-ingest.err" \
        "The store is tagged by pattern library $old (sources not recorded); retagging with $shipped ("
is "v9: both libraries in the view, the old one kept without tags" \
        "$(q "$work/v9.db" "SELECT group_concat(hash || ' ' || tags || ' ' || current, ',') FROM library")" "$old 0 0,$shipped 1 1"

printf 'version 1\nrule bad.one\nkind k\nseverity info\nident x\nmatch a(b\nsummary s\nexplain e\nexample Nov 25 08:10:49 pve1 x[1]: ab\n' >"$work/site/broken.patterns"
"$CASCADE_BIN" --patterns "$work/site" patterns list >/dev/null 2>"$work/broken.err"
contains "a broken rule file is refused with file:line:col" "$work/broken.err" "broken.patterns:6:10: bad regex in rule 'bad.one'"
check "patterns test fails on a broken file" fails "$CASCADE_BIN" patterns test "$work/site/broken.patterns"
# patterns match: the rules that tag one pasted line, with kind and captures; exit 1 when none.
line='Nov 25 08:10:48 pve1 corosync[1234]:   [KNET  ] link: host: 2 link: 0 is down'
"$CASCADE_BIN" patterns match "$line" >"$work/match.out"
check "match: a syslog line names its rule, kind and captures" \
        grep -q 'knet.link.down  kind knet.link.down  captures {"host":"2","link":"0"}' "$work/match.out"
printf 'pve-ha-crm[99]: node %s: state changed from %s => %s\n' "'pve2'" "'online'" "'unknown'" |
        "$CASCADE_BIN" patterns match - >"$work/match-stdin.out"
check "match: '-' reads lines as IDENT[PID]: MESSAGE from standard input" grep -q 'kind ha.node.state' "$work/match-stdin.out"
check "match: no rule is exit 1" fails "$CASCADE_BIN" patterns match 'nothing to see'
check "match: without a line is a usage error" sh -c "'$CASCADE_BIN' patterns match 2>/dev/null; test \$? -eq 2"
done_testing
