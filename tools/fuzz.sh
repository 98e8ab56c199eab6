#!/bin/sh
# Fuzz every parser for longer than the test suite does: sh tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Corpora grow in $build/corpus/; a crash is copied into tests/fuzz/crashers/TARGET/, where the
# test suite replays it from then on (fix it, then commit the file).
set -eu
cd "$(dirname "$0")/.."
build=${CASCADE_FUZZ_BUILD:-build-fuzz}   # a separate directory lets the suite run meanwhile
seconds=${1:-300}
[ $# -gt 0 ] && shift
targets=${*:-fuzz-text fuzz-json fuzz-export fuzz-corosync-conf fuzz-patterns fuzz-time}
[ -f "$build/build.ninja" ] || CC=clang meson setup "$build" -Dfuzz=enabled -Dtests=enabled \
        -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
ninja -C "$build" >/dev/null
# As in the suite: the first sanitizer report stops the run and is a crash.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
status=0
for t in $targets; do
        corpus=$build/corpus/$t
        mkdir -p "$corpus" "$build/artifacts/$t"
        cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
        if "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
                -artifact_prefix="$build/artifacts/$t/" "$corpus" >"$build/artifacts/$t.log" 2>&1; then
                echo "$t: $(grep -o 'Done [0-9]* runs' "$build/artifacts/$t.log" | tail -1) in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs, no crash"
        else
                echo "$t: CRASH, see $build/artifacts/$t.log:"
                grep -A25 -m1 -E '^==[0-9]+==ERROR|runtime error:' "$build/artifacts/$t.log" || tail -25 "$build/artifacts/$t.log"
                cp "$build/artifacts/$t"/* "tests/fuzz/crashers/$t/" 2>/dev/null || true
                status=1
        fi
done
exit $status
