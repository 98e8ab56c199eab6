#!/bin/sh
# Fuzz every parser for longer than the test suite does: sh tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Corpora grow in build-fuzz/corpus/; a crash is copied into tests/fuzz/crashers/TARGET/, where the
# test suite replays it from then on (fix it, then commit the file).
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-300}
[ $# -gt 0 ] && shift
targets=${*:-fuzz-text fuzz-json fuzz-export fuzz-corosync-conf fuzz-patterns fuzz-time}
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=enabled -Dtests=enabled \
        -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
ninja -C build-fuzz >/dev/null
status=0
for t in $targets; do
        corpus=build-fuzz/corpus/$t
        mkdir -p "$corpus" "build-fuzz/artifacts/$t"
        cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
        if build-fuzz/tests/fuzz/"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
                -artifact_prefix="build-fuzz/artifacts/$t/" "$corpus" >"build-fuzz/artifacts/$t.log" 2>&1; then
                echo "$t: $(grep -o 'Done [0-9]* runs' "build-fuzz/artifacts/$t.log" | tail -1) in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs, no crash"
        else
                echo "$t: CRASH, see build-fuzz/artifacts/$t.log"
                cp build-fuzz/artifacts/"$t"/* tests/fuzz/crashers/"$t"/ 2>/dev/null || true
                status=1
        fi
done
exit $status
