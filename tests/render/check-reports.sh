#!/bin/sh
# The render check (meson suite 'render'): every Markdown report the e2e scripts wrote in this run
# (tests/lib-e2e.sh copies them to REPORTS_DIR), and the example's postmortem written here, rendered
# as GitHub does by check-reports.mjs: cmark-gfm for the Markdown (no table row wider than 200
# characters of text outside <details>), the real Mermaid in Debian's chromium for the charts.
#   check-reports.sh REPORTS_DIR     # from meson, after the e2e tests (CASCADE_BIN, CASCADE_SOURCE_ROOT)
#   check-reports.sh --self-test     # it must refuse fixtures/bad-report.md, saying why, and pass good-report.md
# What it needs is installed by tools/install-deps.sh --tests (tools/run-tests.sh does that); when
# it is missing the check fails, unless CASCADE_SKIP_RENDER=REASON makes it a visible skip.
set -u
render_dir=$(cd "$(dirname "$0")" && pwd)
. "$render_dir/lib-render.sh"
modules=$(render_modules_dir)

if [ -n "${CASCADE_SKIP_RENDER:-}" ]; then
        echo "render check skipped: $CASCADE_SKIP_RENDER"
        exit 77
fi
missing=""
[ -f "$modules/installed" ] || missing="$missing the npm packages ($modules)"
command -v node >/dev/null || missing="$missing node"
command -v cmark-gfm >/dev/null || missing="$missing cmark-gfm"
[ -x "$render_chromium" ] || missing="$missing $render_chromium"
if [ -n "$missing" ]; then
        echo "render check: missing:$missing; 'tools/install-deps.sh --tests' installs them"
        exit 1
fi
check() { node "$render_dir/check-reports.mjs" --modules "$modules" "$@"; }

if [ "${1:-}" = --self-test ]; then
        # One run on both fixtures: the bad one's two faults are found, nothing in the good one.
        out=$(check "$render_dir/fixtures/bad-report.md" "$render_dir/fixtures/good-report.md" 2>&1)
        rc=$?
        printf '%s\n' "$out" | sed 's/^/# /'
        status=0
        [ "$rc" -eq 1 ] || { echo "not ok: exit status $rc, not 1"; status=1; }
        # The broken gantt line is line 10, the long row line 16; as long a row at line 22 is in <details>.
        for want in 'bad-report.md:10: Mermaid cannot render the ```mermaid block of line 3: Parse error on line 7' \
                'bad-report.md:16: table row of 254 characters of text' '2 report(s), 2 mermaid block(s) (2 distinct)' \
                ' 2 failure(s)'; do
                printf '%s\n' "$out" | grep -qF -- "$want" || { echo "not ok: no '$want'"; status=1; }
        done
        check "$render_dir/fixtures/no-such-file.md" >/dev/null 2>&1 && { echo "not ok: a missing input passed"; status=1; }
        empty=$(mktemp -d) && { check "$empty" >/dev/null 2>&1 && { echo "not ok: no report at all passed"; status=1; }; rmdir "$empty"; }
        [ "$status" -eq 0 ] && echo "ok: bad-report.md refused with its two faults, good-report.md passed, nothing to check refused"
        exit "$status"
fi

reports=${1:?usage: $0 REPORTS_DIR | --self-test}
work=$(mktemp -d "${TMPDIR:-/tmp}/cascade-render.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
# The example's postmortem, the README's, is rendered whatever the e2e scripts did.
sh "$CASCADE_SOURCE_ROOT/tools/analyze-example.sh" "$CASCADE_BIN" "$work/example" >"$work/example.log" 2>&1 || {
        cat "$work/example.log"
        echo "render check: tools/analyze-example.sh failed"
        exit 1
}
n=$(find "$reports" -name '*.md' 2>/dev/null | wc -l)
echo "reports the e2e scripts wrote: $n (in $reports)"
[ "$n" -gt 0 ] || echo "render check: the e2e scripts left no report in $reports (run the e2e suite first: meson test --suite e2e --suite render)"
[ -d "$reports" ] || reports=""
check ${reports:+"$reports"} "$work/example/postmortem.md" && [ "$n" -gt 0 ]
