#!/bin/sh
# The README's image of a postmortem's chart: the example incident's Mermaid gantt rendered by mmdc
# (the render check's @mermaid-js/mermaid-cli and Debian's chromium, as tools/install-deps.sh
# --tests installs them) to doc/example-chart.png. Rerun it when the chart changes:
#   sh tools/render-chart.sh [BINARY]      # default build/cascade
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build/cascade}
out=doc/example-chart.png
render_dir=$(pwd)/tests/render
. "$render_dir/lib-render.sh"
modules=$(render_modules_dir)
[ -f "$modules/installed" ] || sh "$render_dir/install.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cascade-chart.XXXXXX")
trap 'rm -rf "$work"' EXIT
sh tools/analyze-example.sh "$bin" "$work/example" >/dev/null
awk '/^```mermaid$/ { on = 1; next } on && /^```$/ { exit } on' "$work/example/postmortem.md" >"$work/chart.mmd"
[ -s "$work/chart.mmd" ] || { echo "$0: no mermaid block in the example's postmortem" >&2; exit 1; }
# Twice the pixels of a 1000 px wide page: sharp on GitHub's high-density screens.
"$modules/node_modules/.bin/mmdc" --quiet -p "$render_dir/puppeteer-config.json" -i "$work/chart.mmd" \
        -o "$work/chart.png" -b white -w 1000 -s 2
mkdir -p doc
mv "$work/chart.png" "$out"
echo "$out: the chart of $bin's postmortem of the example"
