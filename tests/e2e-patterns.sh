#!/bin/sh
# The pattern library from the command line: list/show/test, a site rule overriding a shipped one
# (--patterns DIR), tags recomputed when the library changes, a broken rule file refused with
# file:line:col.
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
check "list: the library has 80+ rules" test "$(wc -l <"$work/list")" -ge 80
check "show: prints the rule with its examples" sh -c "'$CASCADE_BIN' patterns show corosync.totem.membership | grep -q '^example'"
check "show: an unknown id fails" fails "$CASCADE_BIN" patterns show no.such.rule

# The shipped library is compiled in: a copy of the binary far from any source tree, with no
# $CASCADE_PATTERNS_DIR, still has every rule.
mkdir "$work/elsewhere"
cp "$CASCADE_BIN" "$work/elsewhere/cascade"
check "compiled-in library: the binary alone, elsewhere, tests every rule" \
        sh -c "cd / && env -u CASCADE_PATTERNS_DIR '$work/elsewhere/cascade' patterns test | grep -q '^$(wc -l <"$work/list" | tr -d ' ') rules,'"

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
check "retag picks up the changed library" sh -c "'$CASCADE_BIN' --db '$db' --patterns '$work/site' retag | grep -q '^tagged 2 events, 2 tags'"
check "tags now carry the site rule's severity and captures" sh -c \
        "[ \"\$(sqlite3 '$db' \"SELECT group_concat(severity || ' ' || captures, ';') FROM (SELECT * FROM tag ORDER BY event_id)\")\" = 'warning {};critical {\"what\":\"fire\"}' ]"

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
