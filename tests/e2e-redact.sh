#!/bin/sh
# e2e-redact: `report --redact` on the bundled example, stored the way tools/analyze-example.sh
# stores it (journal files, syslog, corosync.conf): nothing of the analyst's machine (the sources'
# directories) and no SSH key fingerprint is left, while sources and keys can still be told apart.
set -u
# shellcheck source=tests/lib-e2e.sh
. "$(dirname "$0")/lib-e2e.sh"
require_tools
require_journal_tools
export CASCADE_PATTERNS_DIR=$CASCADE_SOURCE_ROOT/patterns
sh "$CASCADE_SOURCE_ROOT/tools/analyze-example.sh" "$CASCADE_BIN" "$T/ex" >"$T/analyze-example.log" 2>&1 ||
        { cat "$T/analyze-example.log"; echo "Bail out! tools/analyze-example.sh failed"; exit 1; }
db=$T/ex/cascade.db
"$CASCADE_BIN" --db "$db" --tz UTC report -o "$T/plain.md"
CASCADE_REDACT_KEY=k1 "$CASCADE_BIN" --db "$db" --tz UTC report --redact -o "$T/red.md"
root=$(cd "$CASCADE_SOURCE_ROOT" && pwd -P)

# What there is to mask: without --redact the report shows it.
check "plain: fingerprints shown" grep -q 'SHA256:' "$T/plain.md"
check "plain: the sources' directories shown" grep -qF "$T/ex/journal/" "$T/plain.md"

check "redacted: no SHA256 fingerprint" sh -c "! grep -q 'SHA256:' '$T/red.md'"
check "redacted: no MD5 fingerprint" sh -c "! grep -q 'MD5:' '$T/red.md'"
check "redacted: no path of the machine (the work directory)" sh -c "! grep -qF '$T' '$T/red.md'"
check "redacted: no path of the machine (the source tree)" sh -c "! grep -qF '$root' '$T/red.md'"
# The directory of each source of the plain report: none is left.
# The appendix lists each as "- NAME: `PATH`" (NAME only when it is not the whole path).
sed -n 's/^- \([^`]*: \)\{0,1\}`\(\/.*\)`$/\2/p' "$T/plain.md" >"$T/sources"
check "plain: the sources listed" test "$(wc -l <"$T/sources")" -ge 7
sed 's,/[^/]*$,,' "$T/sources" | sort -u >"$T/dirs"
while read -r dir; do
        check "redacted: no '$dir'" sh -c "! grep -qF '$dir/' '$T/red.md'"
done <"$T/dirs"

# Still readable: a key keeps one token, a directory one token, every source its own line.
check "redacted: the key of the logins is a token" grep -q 'ssh2: ED25519 key-[0-9a-f]\{6\} ' "$T/red.md"
is "redacted: that key has one token throughout" \
        "$(grep -o 'ED25519 key-[0-9a-f]\{6\}' "$T/red.md" | sort -u | wc -l | tr -d ' ')" 1
is "redacted: the sources are still told apart" \
        "$(sed -n 's/^- \([^`]*: \)\{0,1\}`\(path-[0-9a-f]\{6\}\/.*\)`$/\2/p' "$T/red.md" | sort -u | wc -l | tr -d ' ')" \
        "$(wc -l <"$T/sources" | tr -d ' ')"
is "redacted: the three journals share their directory's token" \
        "$(sed -n 's/^- host-[0-9a-f]\{6\}\.journal: `\(path-[0-9a-f]\{6\}\)\/host-[0-9a-f]\{6\}\.journal`$/\1/p' "$T/red.md" | sort | uniq -c | awk '{ print $1 }')" 3
check "redacted: file names stay" grep -q '^- corosync.conf: `path-[0-9a-f]\{6\}/corosync.conf`$' "$T/red.md"
check "redacted: a short name's directory is masked" grep -q '^- path-[0-9a-f]\{6\}/host-[0-9a-f]\{6\}\.log: `path-[0-9a-f]\{6\}/host-[0-9a-f]\{6\}\.log`$' "$T/red.md"
check "redacted: evidence rows name the node's token" grep -q '| host-[0-9a-f]\{6\} journal \\\[[0-9]*\\\] |$' "$T/red.md"
check "redacted: the cited lines' commands name the directory's token" \
        grep -q "^- \\\\\[1\\\\\] host-[0-9a-f]\{6\}\.journal at .*: \`journalctl --file 'path-[0-9a-f]\{6\}/host-[0-9a-f]\{6\}\[\.@\]\*' --cursor 's=" "$T/red.md"
done_testing
