# lib-render.sh: where the render check's npm packages live, sourced (after setting render_dir to
# tests/render) by install.sh, check-reports.sh and tools/render-chart.sh. Outside the source tree,
# so no copy of the tree carries them: $CASCADE_RENDER_MODULES, else a cache directory per
# package-lock.json (a changed lock installs anew).

render_modules_dir() {
        if [ -n "${CASCADE_RENDER_MODULES:-}" ]; then
                echo "$CASCADE_RENDER_MODULES"
                return
        fi
        render_lock=$(sha256sum "$render_dir/package-lock.json" | cut -c1-12)
        echo "${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/cascade/render-$render_lock"
}

# The browser the check drives: Debian's, never one puppeteer would download.
# shellcheck disable=SC2034 # read by check-reports.sh
render_chromium=/usr/bin/chromium
