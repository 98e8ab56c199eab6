#!/bin/sh
# A release pass: in a fresh root of a Debian release made with debootstrap from the archive this
# machine uses, the README's two commands as a new user runs them (the example as a sudo user,
# the whole suite as root, installing everything themselves), then the package check installing
# into that root. Meson's test logs are copied to build-RELEASE/ for .ci/run to count.
#   sh tools/test-release.sh trixie     # Debian 13 (gcc 14, systemd 257, meson 1.7, clang 19): CI
#   sh tools/test-release.sh bookworm   # Debian 12, as CI's own machine is
#   CASCADE_SKIP_DEBIAN13=1             # skip the trixie pass (local runs)
# Exit 75 when the archive cannot be reached: reported as such, no verdict on the code.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
. "$src/tools/lib-root.sh"
release=${1:?usage: $0 RELEASE (bookworm, trixie)}
if [ "$release" = trixie ] && [ -n "${CASCADE_SKIP_DEBIAN13:-}" ]; then
        echo "$release: skipped (CASCADE_SKIP_DEBIAN13 is set)"
        exit 0
fi
why=$(root_archive_reachable "$release") || { echo "$release: not run: $why" >&2; exit "$ROOT_ARCHIVE_UNREACHABLE"; }
root=/var/tmp/cascade-$release
logs=$src/build-$release
trap 'root_remove "$root"' EXIT
root_make "$root" "$release"
root_copy_tree "$src" "$root/src"
# The render check's npm install reaches the registry through whatever TLS this machine's node
# trusts: the root gets the same extra certificates ($NODE_EXTRA_CA_CERTS, else npm's cafile).
node_ca=${NODE_EXTRA_CA_CERTS:-}
[ -n "$node_ca" ] || ! command -v npm >/dev/null || node_ca=$(npm config get cafile 2>/dev/null || true)
in_root_ca=""
if [ -n "$node_ca" ] && [ "$node_ca" != null ] && [ -r "$node_ca" ]; then
        $root_sudo cp "$node_ca" "$root/etc/host-node-extra-ca.crt"
        in_root_ca="NODE_EXTRA_CA_CERTS=/etc/host-node-extra-ca.crt "
fi
rm -rf "$logs" && mkdir -p "$logs"

status=0
# A new operator with sudo: install-deps.sh must get everything itself from a bare system.
root_run "$root" 'set -e
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sudo >/dev/null 2>&1
useradd --create-home ops
echo "ops ALL=(ALL) NOPASSWD: ALL" >/etc/sudoers.d/ops
chown -R ops: /src' || { echo "$release: preparing the root failed" >&2; exit 1; }
root_run "$root" 'cd /src && su ops -c "sh tools/run-example.sh" >/tmp/run-example.log 2>&1' || {
        status=1
        tail -30 "$root/tmp/run-example.log" >&2
        echo "$release: FAILED: tools/run-example.sh (as a sudo user)" >&2
}
root_run "$root" "cd /src && chown -R root: /src && ${in_root_ca}sh tools/run-tests.sh" || {
        status=1
        echo "$release: FAILED: tools/run-tests.sh" >&2
}
for b in build build-asan build-fuzz; do
        [ -f "$root/src/$b/meson-logs/testlog.json" ] || continue
        mkdir -p "$logs/$b"
        cp "$root/src/$b/meson-logs/testlog.json" "$root/src/$b/meson-logs/testlog.txt" "$logs/$b/"
done
root_run "$root" 'cd /src && CASCADE_PACKAGE_INSTALL=here CASCADE_PACKAGE_WORK=/var/tmp/package sh tools/test-package.sh' || {
        status=1
        echo "$release: FAILED: tools/test-package.sh" >&2
}
gcc=$(root_run "$root" 'gcc -dumpfullversion'); meson=$(root_run "$root" 'meson --version')
[ "$status" -eq 0 ] && echo "$release: ok (gcc $gcc, meson $meson: example, suite, package)"
exit "$status"
