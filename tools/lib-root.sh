# lib-root.sh: fresh Debian roots for the release checks, sourced by test-release.sh and
# test-package.sh. A root is made with debootstrap from the archive this machine's apt uses, gets
# /proc, /sys, /dev and a resolver while commands run in it, and is unmounted before removal.
# Needs root (sudo is used otherwise).

ROOT_ARCHIVE_UNREACHABLE=75     # sysexits' EX_TEMPFAIL: no verdict on the code

root_sudo=""
[ "$(id -u)" -eq 0 ] || root_sudo="sudo"

# The Debian archive apt uses here (not the security one), or $CASCADE_DEBIAN_MIRROR.
root_mirror() {
        if [ -n "${CASCADE_DEBIAN_MIRROR:-}" ]; then
                echo "$CASCADE_DEBIAN_MIRROR"
                return
        fi
        m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
                2>/dev/null | grep -v '^[[:space:]]*#' | grep -oE '(https?|file):/+[^ ]+/debian/?( |$)' |
                head -1 | tr -d ' ')
        echo "${m:-http://deb.debian.org/debian}"
}

# Can the archive serve RELEASE? Prints why not; 0 when it can.
root_archive_reachable() {
        python3 - "$(root_mirror)" "$1" <<'PY'
import sys, urllib.request
url = f"{sys.argv[1].rstrip('/')}/dists/{sys.argv[2]}/InRelease"
try:
    urllib.request.urlopen(url, timeout=30).read(1)
except Exception as e:
    print(f"cannot reach the Debian archive: {url}: {e}")
    sys.exit(1)
PY
}

root_install_tools() {
        command -v debootstrap >/dev/null && return 0
        $root_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                debootstrap debian-archive-keyring >/dev/null
}

# root_make DIR RELEASE: a minimal root of RELEASE in DIR (replacing what was there).
root_make() {
        root_remove "$1"
        root_install_tools
        $root_sudo debootstrap --variant=minbase "$2" "$1" "$(root_mirror)" >"$1.debootstrap.log" 2>&1 || {
                tail -5 "$1.debootstrap.log" >&2
                echo "debootstrap of $2 into $1 failed (log: $1.debootstrap.log)" >&2
                return 1
        }
        $root_sudo cp /etc/resolv.conf "$1/etc/resolv.conf"
        $root_sudo mount -t proc proc "$1/proc"
        $root_sudo mount -t sysfs sysfs "$1/sys"
        $root_sudo mount --rbind /dev "$1/dev"
        $root_sudo mount --make-rslave "$1/dev"
        $root_sudo mount -t tmpfs tmpfs "$1/run"
}

# root_run DIR COMMAND: COMMAND by /bin/sh in the root, as root.
root_run() {
        $root_sudo chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
                LANG=C.UTF-8 TERM=dumb /bin/sh -c "$2"
}

# Every mount under DIR, deepest first, then DIR itself: nothing of the host's /dev is removed.
root_remove() {
        [ -d "$1" ] || { rm -f "$1.debootstrap.log"; return 0; }
        for m in $(awk -v d="$(realpath "$1")" '$2 == d || index($2, d "/") == 1 { print $2 }' \
                /proc/self/mounts | sort -r); do
                $root_sudo umount -l "$m"
        done
        if awk -v d="$(realpath "$1")" 'index($2, d "/") == 1 { f = 1 } END { exit !f }' /proc/self/mounts; then
                echo "root_remove: $1 still has mounts, not removed" >&2
                return 1
        fi
        $root_sudo rm -rf --one-file-system "$1" "$1.debootstrap.log"
}

# Copy this source tree (without build directories and git data) to DIR.
root_copy_tree() {
        $root_sudo mkdir -p "$2"
        tar -C "$1" --exclude=./build --exclude='./build-*' --exclude=./.git --exclude='./obj-*' -cf - . |
                $root_sudo tar -xf - -C "$2"
}
