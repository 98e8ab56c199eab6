# lib-e2e.sh: helpers for the tests/e2e-*.sh scripts (POSIX sh, sourced; not a test itself).
# The scripts print TAP: one "ok N - name" / "not ok N - name" per check, diagnostics as "# ...",
# and the plan "1..N" at the end (a script that dies early prints no plan, which TAP counts as a failure).
#
# Environment (from tests/meson.build): CASCADE_BIN, CASCADE_SOURCE_ROOT, JOURNAL_REMOTE, TZ=UTC,
# CASCADE_CONF=/dev/null (set here too: a script run by hand never reads the machine's /etc/cascade).

tap_n=0
tap_failed=0

# Every script works in its own directory, removed on exit.
T=$(mktemp -d "${TMPDIR:-/tmp}/cascade-e2e.XXXXXX") || { echo "Bail out! mktemp -d failed"; exit 1; }
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT TERM HUP
# Physical path: cascade stores realpath()s in source keys.
T=$(cd "$T" && pwd -P)
DATA=$CASCADE_SOURCE_ROOT/tests/data/ingest
export TZ=UTC LC_ALL=C CASCADE_CONF=/dev/null
unset CASCADE_DB

# The render check (tests/render/, suite 'render') renders every Markdown report the scripts write:
# with $CASCADE_REPORT_COPY_DIR set (by tests/meson.build; cascade knows nothing of it), done_testing
# copies each report left in $T there as SCRIPT--PATH-UNDER-T.md. This run's copies replace the last.
report_copy_name=$(basename "$0" .sh)
[ -n "${CASCADE_REPORT_COPY_DIR:-}" ] && rm -f "$CASCADE_REPORT_COPY_DIR/$report_copy_name"--*

skip_all() {
        echo "1..0 # SKIP $*"
        exit 0
}

require_tools() {
        [ -n "$CASCADE_BIN" ] && [ -x "$CASCADE_BIN" ] || { echo "Bail out! CASCADE_BIN is not set or not executable"; exit 1; }
        [ -n "$CASCADE_SOURCE_ROOT" ] || { echo "Bail out! CASCADE_SOURCE_ROOT is not set"; exit 1; }
        command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 CLI not installed"
}

require_journal_tools() {
        [ -n "$JOURNAL_REMOTE" ] && [ -x "$JOURNAL_REMOTE" ] || skip_all "systemd-journal-remote not found (JOURNAL_REMOTE unset)"
        command -v journalctl >/dev/null 2>&1 || skip_all "journalctl not installed"
}

diag() {
        printf '%s\n' "$@" | sed 's/^/# /'
}

# tests/known-gaps.txt lists, one TAP description a line, the checks cascade does not meet yet.
# They print as TAP TODO: a listed check that fails is expected; one that passes is reported as an
# unexpected pass (meson fails the test), so the list never outlives the gap.
known_gap() {
        [ -f "$CASCADE_SOURCE_ROOT/tests/known-gaps.txt" ] &&
                grep -Fxq -- "$1" "$CASCADE_SOURCE_ROOT/tests/known-gaps.txt"
}

# report_checks FILE [SUMMARY]: TAP lines from a checker's "verdict<TAB>description<TAB>why" lines
# (verdict ok, fail, diag, or summary, appended to SUMMARY).
report_checks() {
        while IFS='	' read -r verdict desc why; do
                case $verdict in
                ok) pass "$desc" ;;
                fail)
                        fail "$desc"
                        diag "$why"
                        ;;
                diag) diag "$desc" ;;
                summary) [ -n "${2:-}" ] && echo "$desc" >>"$2" ;;
                esac
        done <"$1"
}

pass() {
        tap_n=$((tap_n + 1))
        if known_gap "$1"; then
                echo "ok $tap_n - $1 # TODO listed in tests/known-gaps.txt but met now: remove it there"
        else
                echo "ok $tap_n - $1"
        fi
}

fail() {
        tap_n=$((tap_n + 1))
        if known_gap "$1"; then
                echo "not ok $tap_n - $1 # TODO known gap (tests/known-gaps.txt)"
                return 0
        fi
        tap_failed=$((tap_failed + 1))
        echo "not ok $tap_n - $1"
}

skip() {
        tap_n=$((tap_n + 1))
        echo "ok $tap_n # SKIP $1"
}

# is NAME GOT WANT: exact string comparison.
is() {
        if [ "$2" = "$3" ]; then
                pass "$1"
        else
                fail "$1"
                diag "want: $3" "got:  $2"
        fi
}

# check NAME COMMAND...: passes when the command succeeds.
check() {
        name=$1
        shift
        # What the command prints is not TAP: it goes out as comment lines.
        if "$@" >"${TMPDIR:-/tmp}/check.$$.out"; then
                pass "$name"
        else
                fail "$name"
                diag "failed: $*"
        fi
        sed 's/^/# /' "${TMPDIR:-/tmp}/check.$$.out"
        rm -f "${TMPDIR:-/tmp}/check.$$.out"
}

# contains NAME FILE FIXED-STRING: the file holds the string (diagnostics show the file otherwise).
contains() {
        if grep -qF -- "$3" "$2"; then
                pass "$1"
        else
                fail "$1"
                diag "no '$3' in:"
                sed 's/^/#   /' "$2"
        fi
}

# A report is a *.md or *.out file (a cas run's standard output) that starts an incident or says
# there was none.
copy_reports() {
        [ -n "${CASCADE_REPORT_COPY_DIR:-}" ] || return 0
        mkdir -p "$CASCADE_REPORT_COPY_DIR" || return 0
        find "$T" -type f \( -name '*.md' -o -name '*.out' \) -size -4M 2>/dev/null | sort |
                while IFS= read -r f; do
                        grep -qE '^# (Incident [0-9]+: |No incident found$)' "$f" || continue
                        rel=$(printf '%s' "${f#"$T"/}" | tr -c 'A-Za-z0-9._\n-' '_')
                        cp "$f" "$CASCADE_REPORT_COPY_DIR/$report_copy_name--${rel%.md}.md"
                done
}

done_testing() {
        copy_reports
        echo "1..$tap_n"
        [ "$tap_failed" -eq 0 ]
        exit $?
}

# cas NAME ARGS...: run cascade, stdout in $T/NAME.out, stderr in $T/NAME.err, exit status in $rc.
cas() {
        cas_name=$1
        shift
        "$CASCADE_BIN" "$@" >"$T/$cas_name.out" 2>"$T/$cas_name.err"
        rc=$?
        return 0
}

# show NAME: the output of a cas run, as diagnostics.
show() {
        diag "exit status $rc; stdout:"
        sed 's/^/#   /' "$T/$1.out"
        diag "stderr:"
        sed 's/^/#   /' "$T/$1.err"
}

# is_rc NAME WANT: the exit status of the last cas run NAME.
is_rc() {
        if [ "$rc" = "$2" ]; then
                pass "$1: exit status $2"
        else
                fail "$1: exit status $2"
                show "$1"
        fi
}

# q DB SQL: one query, rows as lines, columns separated by '|'.
q() {
        sqlite3 -batch -noheader "$1" "$2"
}

# Summary of a cas run: "total: A added, D duplicates skipped, R rejected lines, S sources read".
total_added() { sed -n 's/^total: \([0-9]*\) added,.*/\1/p' "$T/$1.out"; }
total_dups() { sed -n 's/^total: [0-9]* added, \([0-9]*\) duplicates.*/\1/p' "$T/$1.out"; }
total_rejected() { sed -n 's/^total: .* \([0-9]*\) rejected lines.*/\1/p' "$T/$1.out"; }
# node_row NAME NODE: "added duplicates rejected" of NODE's summary row.
node_row() { awk -v n="$2" '$1 == n && NF >= 4 { print $2, $3, $4 }' "$T/$1.out"; }

# mkjournal OUT.journal EXPORT...: a real journal file written by systemd-journal-remote.
# It appends to an existing output file, so a fresh one is started unless KEEP=1.
mkjournal() {
        out=$1
        shift
        [ "${KEEP:-0}" = 1 ] || rm -f "$out"
        for f in "$@"; do
                "$JOURNAL_REMOTE" --output="$out" "$f" >>"$T/journal-remote.log" 2>&1 || {
                        echo "Bail out! systemd-journal-remote failed on $f"
                        cat "$T/journal-remote.log"
                        exit 1
                }
        done
}

# last_cursor FILE.journal: the cursor of the file's last entry, as journalctl sees it.
last_cursor() {
        journalctl --file="$1" -o export -n 1 --no-pager 2>/dev/null | sed -n 's/^__CURSOR=//p'
}
