#!/bin/sh
# Install what cascade needs to build, test and run on Debian 12 or 13 (as root, or with sudo).
# libclang-rt-dev (not -14-dev) is clang's sanitizer runtime on both releases.
# --tests (tools/run-tests.sh): also what the render check needs (tests/render/): Debian's chromium,
# cmark-gfm, a font, node and npm (Debian's, unless some are installed already), then its pinned npm
# packages (tests/render/install.sh, as the calling user, into a cache directory).
# Idempotent: does nothing when everything is present.
set -eu
packages="meson ninja-build pkg-config gcc libc6-dev libsystemd-dev libpcre2-dev libsqlite3-dev
libcsv-dev libcmocka-dev zlib1g-dev systemd systemd-journal-remote sqlite3 tzdata python3
openssh-server openssh-client clang libclang-rt-dev"
tests=""
[ "${1:-}" = --tests ] && tests=1
if [ -n "$tests" ]; then
        packages="$packages chromium cmark-gfm fonts-dejavu-core"
        command -v node >/dev/null || packages="$packages nodejs"
        command -v npm >/dev/null || packages="$packages npm"
fi
missing=""
for p in $packages; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        echo "installing:$missing" >&2
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        # shellcheck disable=SC2086
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
[ -z "$tests" ] || sh "$(dirname "$0")/../tests/render/install.sh"
