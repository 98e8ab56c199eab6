#!/bin/sh
# run-fuzz.sh TARGET SEED_DIR CRASHER_DIR SECONDS: replay every saved crasher (each must pass now),
# then fuzz for SECONDS from a scratch copy of the seed corpus. Prints TAP.
set -u
target=$1 seeds=$2 crashers=$3 seconds=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The sanitizer's own report (UBSan's "runtime error", ASan's "ERROR: AddressSanitizer", a
# libFuzzer deadly signal, leak or timeout) with its stack, not libFuzzer's progress lines.
report_start='runtime error:\|ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|ERROR: libFuzzer\|==ERROR'
sanitizer_report() {
        at=$(grep -m1 -n "$report_start" "$1" | cut -d: -f1)
        if [ -n "$at" ]; then
                sed -n "${at},$((at + 40))p" "$1" | sed 's/^/# /'
        else
                tail -30 "$1" | sed 's/^/# /'
        fi
}
echo "1..2"
set -- "$crashers"/*
if [ -e "$1" ]; then
        if "$target" -detect_leaks=1 "$@" >"$work/replay.log" 2>&1; then
                echo "ok 1 - $# saved crasher(s) replayed"
        else
                echo "not ok 1 - a saved crasher fails again"
                sanitizer_report "$work/replay.log"
        fi
else
        echo "ok 1 - no saved crasher"
fi
mkdir "$work/corpus"
cp "$seeds"/* "$work/corpus/" 2>/dev/null
if "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$work/" "$work/corpus" >"$work/fuzz.log" 2>&1; then
        echo "ok 2 - $(grep -o 'Done [0-9]* runs' "$work/fuzz.log" | tail -1) in ${seconds}s, no crash"
else
        echo "not ok 2 - crash found"
        sanitizer_report "$work/fuzz.log"
        for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
                [ -e "$f" ] && echo "# input saved: $f ($(base64 -w0 "$f" | head -c 400))"
        done
        exit 1
fi
