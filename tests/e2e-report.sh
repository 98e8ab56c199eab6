#!/bin/sh
# Reports are safe with hostile log text and honest without incidents: notification errors and a
# host name carrying Markdown, HTML, links, images, backticks, pipes, Mermaid syntax and terminal
# escapes reach the report and the terminal only as inert text.
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_tools
example=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
db=$T/db
esc=$(printf '\033')

# The example's syslog, plus hostile lines on proxmox3 inside the incident.
cp "$example"/syslog/*.log "$T/"
cat >>"$T/proxmox3.log" <<EOF2
Nov 25 08:12:30 proxmox3 perl[1409]: could not notify via target \`evil\`: could not notify via endpoint(s): evil: http status: 500 <img src=x onerror=alert(1)> [click](http://evil.example/) ![pic](http://evil.example/p.png) | a | b | \`\`\`mermaid ${esc}[31mRED${esc}[0m
EOF2
"$CASCADE_BIN" --db "$db" --tz UTC ingest --no-progress --year 2025 "$T"/*.log "$example"/syslog/auth/*.log >/dev/null
"$CASCADE_BIN" --db "$db" --tz UTC report -o "$T/report.md"
check "the hostile notification is in the report" grep -q 'http status: 500' "$T/report.md"
check "no raw HTML tag" sh -c "! grep -q '<img' '$T/report.md'"
check "HTML is escaped" grep -q '&lt;img src=x' "$T/report.md"
# Markup needs an unescaped "](" or "![": every bracket of the log text must be backslash-escaped.
check "no link or image markup" sh -c "! grep -qE '(^|[^\\\\])(\\]\\(|!\\[)' '$T/report.md'"
check "no bare URL left to autolink" sh -c "! grep -q 'http://evil' '$T/report.md'"
check "no escape character" sh -c "! grep -q '$esc' '$T/report.md'"
check "exactly one mermaid block" test "$(grep -c '^```mermaid' "$T/report.md")" -eq 1
check "every timeline row has its 4 cells" awk '/^## Timeline/ { t = 1; next } /^## / { t = 0 }
        t && /^\| [0-9]/ { line = $0; gsub(/\\\|/, "", line); if (gsub(/\|/, "", line) != 5) bad++ }
        END { exit bad > 0 }' "$T/report.md"

# The terminal: analyze's text output strips control characters from log text.
"$CASCADE_BIN" --db "$db" --tz UTC analyze >"$T/analyze.txt"
check "analyze prints no escape character" sh -c "! grep -q '$esc' '$T/analyze.txt'"
check "analyze shows the text around it" grep -q '?\[31mRED' "$T/analyze.txt"

# No incident in the window: said so, with the window and the sources checked.
"$CASCADE_BIN" --db "$db" --tz UTC report --since '2025-11-25 07:30' --until '2025-11-25 08:00' -o "$T/quiet.md"
check "a quiet window says there was no incident" grep -q '^# No incident found' "$T/quiet.md"
check "with the window checked" grep -q '2025-11-25 07:30:00 and 2025-11-25 08:00:00' "$T/quiet.md"
check "and the sources" grep -q 'proxmox3.log' "$T/quiet.md"
check "report of a missing incident fails" sh -c "! '$CASCADE_BIN' --db '$db' report --incident 9 >/dev/null 2>&1"
# --redact: hosts, users and addresses become tokens, the same ones throughout and with the same key.
CASCADE_REDACT_KEY=k1 "$CASCADE_BIN" --db "$db" --tz UTC report --redact -o "$T/red1.md"
CASCADE_REDACT_KEY=k1 "$CASCADE_BIN" --db "$db" --tz UTC report --redact -o "$T/red2.md"
CASCADE_REDACT_KEY=k2 "$CASCADE_BIN" --db "$db" --tz UTC report --redact -o "$T/red3.md"
check "redacted: no host name, address or user left" sh -c "! grep -qE 'proxmox|192\.168\.|root \(|for root' '$T/red1.md'"
host=$(grep -o 'host-[0-9a-f]\{6\}' "$T/red1.md" | head -1)
check "redacted: a host keeps one token throughout" test "$(grep -c -- "$host" "$T/red1.md")" -ge 5
check "redacted: the same key gives the same report" cmp -s "$T/red1.md" "$T/red2.md"
check "redacted: another key gives other tokens" sh -c "! grep -q -- '$host' '$T/red3.md'"
check "redacted: the facts remain" grep -q 'Between 08:09:52 and 08:17:13' "$T/red1.md"

# Readable as GitHub shows it: outside the collapsed <details> appendix no table row is wider than
# 200 characters (sources are short labels, the paths and cursors are in the appendix), no path
# of this machine, and no "(s)" in cascade's own wording (log text in code spans may have one).
outside_details() {
        awk '/^<details>/ { inside = 1 } !inside { print } /^<\/details>/ { inside = 0 }' "$1"
}
widest_row() {
        outside_details "$1" | awk '/^\|/ && length($0) > max { max = length($0) } END { print max + 0 }'
}
without_code_spans() {
        awk '{
                line = $0; out = ""
                while (match(line, /`+/)) {
                        fence = substr(line, RSTART, RLENGTH); rest = substr(line, RSTART + RLENGTH)
                        out = out substr(line, 1, RSTART - 1)
                        k = index(rest, fence)
                        if (!k) { out = out fence; line = rest; continue }
                        line = substr(rest, k + RLENGTH)
                }
                print out line
        }'
}
check_readable() {    # NAME REPORT
        diag "$1: the widest table row outside <details> has $(widest_row "$2") characters"
        check "$1: table rows outside <details> at most 200 characters" test "$(widest_row "$2")" -le 200
        check "$1: no \"(s)\" in the wording" sh -c "! grep -qF '(s)' '$T/$1.words'"
        check "$1: no path of this machine outside <details>" \
                sh -c "! grep -qF -e '$T/' -e '$CASCADE_SOURCE_ROOT/' -e '$(cd "$CASCADE_SOURCE_ROOT" && pwd -P)/' '$T/$1.outside'"
        check "$1: <details> blocks open and close in turn" sh -c "awk '/<details>/ { d++ } /<\\/details>/ { d-- }
                d < 0 || d > 1 { bad = 1 } END { exit bad || d != 0 }' '$2'"
        check "$1: the sources are in a collapsed appendix" grep -q '^<details><summary>Sources</summary>$' "$2"
        check "$1: the pattern hits are in a collapsed appendix" grep -q '^<details><summary>Pattern hits' "$2"
}
prepare_readable() {  # NAME REPORT
        outside_details "$2" >"$T/$1.outside"
        without_code_spans <"$T/$1.outside" >"$T/$1.words"
}
"$CASCADE_BIN" --db "$T/example.db" --tz UTC ingest --no-progress --year 2025 "$example"/syslog/*.log \
        "$example"/syslog/auth/*.log "$example/corosync.conf" >/dev/null
"$CASCADE_BIN" --db "$T/example.db" --tz UTC report -o "$T/example-syslog.md"
prepare_readable example-syslog "$T/example-syslog.md"
check_readable example-syslog "$T/example-syslog.md"
check "example-syslog: text sources cited as node file:line" \
        grep -qE '^\| [0-9:]+ \| proxmox[23]? \| .* \| proxmox[23]? (syslog|auth)/proxmox[23]?\.log:[0-9]+ \|$' "$T/example-syslog.md"
# The example as tools/analyze-example.sh stores it: journal files, whose lines carry cursors.
if [ -n "${JOURNAL_REMOTE:-}" ] && [ -x "$JOURNAL_REMOTE" ] && command -v journalctl >/dev/null 2>&1; then
        sh "$CASCADE_SOURCE_ROOT/tools/analyze-example.sh" "$CASCADE_BIN" "$T/ex" >"$T/analyze-example.log" 2>&1 ||
                { cat "$T/analyze-example.log"; echo "Bail out! tools/analyze-example.sh failed"; exit 1; }
        prepare_readable example "$T/ex/postmortem.md"
        check_readable example "$T/ex/postmortem.md"
        check "example: journal lines cited as node journal [n]" \
                grep -q '^| 08:09:52 | proxmox2 | ` The system will reboot now! ` | proxmox2 journal \\\[[0-9]*\\\] |$' "$T/ex/postmortem.md"
        check "example: no glob that matches other nodes' journals" sh -c "! grep -q 'proxmox\*' '$T/ex/postmortem.md'"
        # The appendix's command shows the cited line, from the chain's files only.
        cmd=$(sed -n 's/^- \\\[2\\\] proxmox2\.journal at [0-9: -]*: `\(journalctl .*\)`$/\1/p' "$T/ex/postmortem.md")
        check "example: the appendix has a journalctl command per cited line" test -n "$cmd"
        check "example: that command shows the cited line" sh -c "$cmd 2>/dev/null | grep -q 'proxmox2 systemd-logind.*The system will reboot now!'"
fi
(cd "$T" && "$CASCADE_BIN" --db "$db" --tz UTC report -o - >"$T/stdout.md")
check "report -o - writes standard output, the same report" cmp -s "$T/stdout.md" "$T/report.md"
check "report -o - creates no file named '-'" test ! -e "$T/-"
done_testing
