#!/bin/sh
# Fail when a tests/test-*.c or tests/e2e-*.sh file is not registered in tests/meson.build
# (git's meson refuses unregistered tests for the same reason: an unregistered test never runs).
dir=${1:-$(dirname "$0")}
status=0
for f in "$dir"/test-*.c "$dir"/e2e-*.sh "$dir"/fuzz-*.c; do
        [ -e "$f" ] || continue
        name=$(basename "$f"); name=${name%.c}; name=${name%.sh}
        if ! grep -q "'$name'" "$dir/meson.build"; then
                echo "not registered in tests/meson.build: $name"
                status=1
        fi
done
exit $status
