#!/bin/sh
# The end-to-end tests with every cascade run under valgrind (memcheck, definite leaks are errors).
# PCRE2's JIT is turned off: valgrind cannot see into JIT-generated code and reports it.
# Usage: sh tools/valgrind-e2e.sh [TEST...]   (default: the quicker e2e tests)
set -eu
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || meson setup build -Dtests=enabled >/dev/null
ninja -C build >/dev/null
wrapper=$(mktemp)
trap 'rm -f "$wrapper"' EXIT
printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite %s "$@"\n' \
        "$PWD/build/cascade" >"$wrapper"
chmod +x "$wrapper"
status=0
for t in ${*:-e2e-example e2e-report e2e-query e2e-patterns e2e-bad-input}; do
        out=$(CASCADE_NO_JIT=1 CASCADE_SOURCE_ROOT=$PWD CASCADE_BIN=$wrapper CASCADE_PATTERNS_DIR=$PWD/patterns \
                JOURNAL_REMOTE=$(command -v systemd-journal-remote || echo /lib/systemd/systemd-journal-remote) \
                TZ=UTC sh "tests/$t.sh" 2>&1) || status=1
        errors=$(printf '%s\n' "$out" | grep -c '^==[0-9]*==' || true)
        echo "$t: $(printf '%s\n' "$out" | grep -c '^ok') ok, $(printf '%s\n' "$out" | grep -c '^not ok') not ok, $errors valgrind lines"
        [ "$errors" -eq 0 ] || { printf '%s\n' "$out" | grep '^==' | head -20; status=1; }
done
exit $status
