#!/bin/sh
# e2e-terminal.sh: the global options before or after the command, 'cascade help', -V, -q, the
# "cascade COMMAND:" prefix, and the pager and colour of terminal output (a terminal from
# util-linux script(1)). TAP.
. "$CASCADE_SOURCE_ROOT/tests/lib-e2e.sh"
bin=${CASCADE_BIN:?}
command -v script >/dev/null 2>&1 || skip_all "script (util-linux) not installed"
unset CASCADE_PAGER PAGER LESS NO_COLOR
export TERM=xterm
db=$T/t.db

# ---- global options after the command ----
cas ingest ingest "$DATA/proxmox.export" --db "$db" --tz UTC
is "ingest: --db after the command" "$rc" 0
contains "ingest: the summary" "$T/ingest.out" "total: 16 added"
cas before --db "$db" --tz Europe/Berlin timeline --format csv
cas after timeline --format csv --db "$db" --tz Europe/Berlin
is "timeline: --db --tz after the command exits 0" "$rc" 0
check "timeline: the same rows as with them before it" cmp "$T/before.out" "$T/after.out"
contains "timeline: --tz after the command is used" "$T/after.out" "2024-04-21T04:49:50.000001+02:00"
cas badtz timeline --db "$db" --tz No/Such_Zone
is "timeline: a bad --tz after the command is a usage error" "$rc" 2
contains "the prefix names the command" "$T/badtz.err" "cascade timeline: Unknown time zone 'No/Such_Zone'"
cas badopt timeline --no-such-option
is "an unknown option of a command: usage error" "$rc" 2
contains "getopt's message names the command" "$T/badopt.err" "cascade timeline: unrecognized option '--no-such-option'"
cas badglobal --no-such-option
contains "before the command: 'cascade:'" "$T/badglobal.err" "cascade: unrecognized option '--no-such-option'"
cas pat patterns list -q
is "patterns: global options after the sub-command" "$rc" 0

# ---- help and version ----
cas help help timeline
is "help COMMAND exits 0" "$rc" 0
"$bin" timeline --help >"$T/timeline-help.out"
check "help COMMAND is COMMAND --help" cmp "$T/help.out" "$T/timeline-help.out"
cas help0 help
"$bin" --help >"$T/main-help.out"
check "help is --help" cmp "$T/help0.out" "$T/main-help.out"
cas helpbad help no-such-command
is "help of an unknown command: usage error" "$rc" 2
cas version -V
contains "-V is --version" "$T/version.out" "cascade "

# ---- -q ----
cas quiet --db "$db" ingest -q "$DATA/proxmox2.export"
is "ingest -q exits 0" "$rc" 0
is "ingest -q: no summary table" "$(cat "$T/quiet.out" "$T/quiet.err")" ""
cas quietq -q --db "$db" query --format csv 'SELECT count(*) AS n FROM event'
contains "query -q: the answer still prints" "$T/quietq.out" "n"

# ---- pager ----
# on_terminal NAME ENV... -- ARGS...: cascade on a terminal, its output in $T/NAME.out.
on_terminal() {
        name=$1
        shift
        env "$@" script -qec "$bin --db $db query 'SELECT 42 AS answer'" /dev/null >"$T/$name.out" 2>&1
        rc=$?
}
on_terminal paged PAGER="sh -c \"cat > $T/paged.txt\""
is "terminal: exit status with a pager" "$rc" 0
contains "terminal: the table went through \$PAGER" "$T/paged.txt" "answer"
check "terminal: not also on the terminal" sh -c "! grep -q answer '$T/paged.out'"
rm -f "$T/paged.txt"
on_terminal cpaged PAGER=false CASCADE_PAGER="cat > $T/paged.txt"
contains "terminal: \$CASCADE_PAGER before \$PAGER" "$T/paged.txt" "answer"
rm -f "$T/paged.txt"
env PAGER="cat > $T/paged.txt" script -qec "$bin --no-pager --db $db query 'SELECT 42 AS answer'" /dev/null \
        >"$T/nopager.out" 2>&1
check "--no-pager: no pager" test ! -e "$T/paged.txt"
contains "--no-pager: the table on the terminal" "$T/nopager.out" "answer"
on_terminal dumb TERM=dumb PAGER="cat > $T/paged.txt"
check "TERM=dumb: no pager" test ! -e "$T/paged.txt"
contains "TERM=dumb: the table on the terminal" "$T/dumb.out" "answer"
on_terminal catpager PAGER=cat
contains "PAGER=cat: the table on the terminal" "$T/catpager.out" "answer"
on_terminal emptypager CASCADE_PAGER= PAGER="cat > $T/paged.txt"
check "CASCADE_PAGER='': no pager" test ! -e "$T/paged.txt"
PAGER="cat > $T/paged.txt" "$bin" --db "$db" query --format table 'SELECT 42 AS answer' >"$T/pipe.out"
check "not a terminal: never paged" test ! -e "$T/paged.txt"
contains "not a terminal: the table on stdout" "$T/pipe.out" "answer"

# ---- colour (timeline text on a terminal) ----
esc=$(printf '\033')
env script -qec "$bin --no-pager --db $db timeline" /dev/null >"$T/color.out" 2>&1
check "timeline: colour on a terminal" grep -q "$esc\[" "$T/color.out"
env NO_COLOR=1 script -qec "$bin --no-pager --db $db timeline" /dev/null >"$T/nocolor.out" 2>&1
check "timeline: NO_COLOR, no colour" sh -c "! grep -q '$esc\[' '$T/nocolor.out'"
env TERM=dumb script -qec "$bin --db $db timeline" /dev/null >"$T/dumbcolor.out" 2>&1
check "timeline: TERM=dumb, no colour" sh -c "! grep -q '$esc\[' '$T/dumbcolor.out'"
env script -qec "$bin --no-pager --color=never --db $db timeline" /dev/null >"$T/never.out" 2>&1
check "timeline: --color=never, no colour" sh -c "! grep -q '$esc\[' '$T/never.out'"
"$bin" --db "$db" timeline --color=always >"$T/always.out"
check "timeline: --color=always colours a pipe" grep -q "$esc\[" "$T/always.out"
rm -f "$T/paged.txt"
env PAGER="cat > $T/paged.txt" script -qec "$bin --db $db timeline" /dev/null >"$T/tlpaged.out" 2>&1
contains "timeline: the text goes through the pager" "$T/paged.txt" "proxmox"
cas badcolor --color=sometimes timeline
is "--color: an unknown value is a usage error" "$rc" 2

done_testing
