#!/bin/sh
# Build the Debian package from this tree (dpkg-buildpackage -us -uc -b), check what it ships,
# install it with apt into a fresh root of this machine's own release, run the installed binary
# on the example incident there, then purge it. Prints "package: ok" or the first failure.
#   sh tools/test-package.sh           # on a development machine or CI
#   CASCADE_PACKAGE_INSTALL=here ...   # inside a throwaway root: install into this system itself
# Exit 75 when the archive cannot be reached (no verdict on the package).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
. "$src/tools/lib-root.sh"
work=${CASCADE_PACKAGE_WORK:-/var/tmp/cascade-package}
fail() { echo "package: FAILED: $*" >&2; exit 1; }

$root_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        dpkg-dev debhelper lintian >/dev/null
rm -rf "$work" && mkdir -p "$work/cascade"
root_copy_tree "$src" "$work/cascade"
$root_sudo env DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -qq "$work/cascade" >/dev/null
(cd "$work/cascade" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) ||
        { tail -20 "$work/build.log" >&2; fail "dpkg-buildpackage (log: $work/build.log)"; }
version=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
deb=$work/cascade_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "no $deb"

# What it ships: every piece at its place, the example configuration as a conffile.
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$work/contents"
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /usr/lib/systemd/system)
for f in /usr/bin/cascade /usr/share/man/man1/cascade.1.gz /usr/share/bash-completion/completions/cascade \
        /usr/share/cascade/patterns/corosync.patterns /etc/cascade/cascade.conf \
        "$unitdir/cascade-scan.service" "$unitdir/cascade-scan.timer" "$unitdir/cascade-scan@.service" \
        "$unitdir/cascade-scan@.timer" /usr/share/doc/cascade/copyright; do
        grep -qx "$f" "$work/contents" || fail "$f not in $deb"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles | grep -qx /etc/cascade/cascade.conf ||
        fail "/etc/cascade/cascade.conf is not a conffile"
dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ".$unitdir/cascade-scan.service" |
        grep -qx 'ExecStart=/usr/bin/cascade scan .*' || fail "cascade-scan.service does not start /usr/bin/cascade"
lintian --allow-root --fail-on error "$work"/cascade_"${version}"_*.changes >"$work/lintian.log" 2>&1 ||
        { cat "$work/lintian.log" >&2; fail "lintian"; }

# Installed as an operator would, with apt resolving its dependencies, and used.
check_installed='set -e
cascade --version
cascade --help >/dev/null
test "$(stat -c %a /var/lib/cascade)" = 700 || { echo "/var/lib/cascade is not 0700" >&2; exit 1; }
test -f /etc/cascade/cascade.conf
sh /opt/cascade-example/tools/analyze-example.sh /usr/bin/cascade /tmp/cascade-example >/dev/null
test -s /tmp/cascade-example/postmortem.md
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq cascade >/dev/null
test ! -e /usr/bin/cascade && test ! -e /etc/cascade/cascade.conf && test ! -e /var/lib/cascade'
install='DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ./'"$(basename "$deb")"' \
        systemd-journal-remote >/tmp/cascade-apt.log 2>&1 || { cat /tmp/cascade-apt.log >&2; exit 1; }'
if [ "${CASCADE_PACKAGE_INSTALL:-}" = here ]; then
        mkdir -p /opt/cascade-example
        cp -r "$src/tools" "$src/examples" /opt/cascade-example/
        (cd "$work" && sh -c "$install") || fail "apt install ./$(basename "$deb")"
        sh -c "$check_installed" || fail "the installed package"
        rm -rf /opt/cascade-example
else
        . /etc/os-release
        release=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}
        why=$(root_archive_reachable "$release") || { echo "package: not installed: $why" >&2; exit "$ROOT_ARCHIVE_UNREACHABLE"; }
        root=$work/root
        trap 'root_remove "$root"' EXIT
        root_make "$root" "$release" || fail "making a $release root"
        $root_sudo cp "$deb" "$root/tmp/"
        $root_sudo mkdir -p "$root/opt/cascade-example"
        $root_sudo cp -r "$src/tools" "$src/examples" "$root/opt/cascade-example/"
        root_run "$root" "apt-get update -qq && cd /tmp && { $install; }" || fail "apt install ./$(basename "$deb") in a fresh $release root"
        root_run "$root" "$check_installed" || fail "the installed package in a fresh $release root"
fi
echo "package: ok ($(basename "$deb") built, checked with lintian, installed, run on the example, purged)"
