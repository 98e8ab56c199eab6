#!/bin/sh
# Fail when a tests/test-*.c, tests/e2e-*.sh, tests/cli-*.sh or tests/fuzz/fuzz-*.c file is not registered in its meson.build
# (git's meson refuses unregistered tests for the same reason: an unregistered test never runs).
dir=${1:-$(dirname "$0")}
status=0
for f in "$dir"/test-*.c "$dir"/e2e-*.sh "$dir"/cli-*.sh "$dir"/fuzz/fuzz-*.c; do
        [ -e "$f" ] || continue
        name=$(basename "$f"); name=${name%.c}; name=${name%.sh}
        build=$dir/meson.build
        case $f in */fuzz/*) build=$dir/fuzz/meson.build ;; esac
        if ! grep -q "'$name'" "$build"; then
                echo "not registered in tests/meson.build: $name"
                status=1
        fi
done
exit $status
