#!/bin/sh
# Install the render check's npm packages (@mermaid-js/mermaid-cli and puppeteer, pinned by
# package-lock.json) into the cache directory of lib-render.sh; called by tools/install-deps.sh
# --tests. Does nothing once they are installed. No browser is downloaded: --ignore-scripts skips
# puppeteer's download step (PUPPETEER_SKIP_DOWNLOAD and .puppeteerrc.cjs say so too); the check
# runs Debian's chromium.
set -eu
render_dir=$(cd "$(dirname "$0")" && pwd)
. "$render_dir/lib-render.sh"
dir=$(render_modules_dir)
[ -f "$dir/installed" ] && exit 0
command -v npm >/dev/null || { echo "$0: npm not found (tools/install-deps.sh --tests installs it)" >&2; exit 1; }
echo "installing the render check's npm packages into $dir" >&2
tmp=$dir.partial.$$
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp" && mkdir -p "$tmp"
cp "$render_dir/package.json" "$render_dir/package-lock.json" "$render_dir/.puppeteerrc.cjs" "$tmp/"
(cd "$tmp" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
touch "$tmp/installed"
rm -rf "$dir"
mv "$tmp" "$dir"
# An older lock's install is some hundred MB nothing uses any more.
if [ -z "${CASCADE_RENDER_MODULES:-}" ]; then
        for old in "$(dirname "$dir")"/render-*; do
                case $old in "$dir" | *.partial.*) ;; *) rm -rf "$old" ;; esac
        done
fi
