#!/bin/sh
# The test command of the README: install what is missing, build, run the whole suite; then the
# suites again under AddressSanitizer + UndefinedBehaviorSanitizer; then every parser's libFuzzer
# target for a bounded time (clang), after replaying the crashers saved in tests/fuzz/crashers/.
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh --tests
# Every sanitizer pass stops at the first report: a report that is only printed is a failure
# nobody sees.
SANITIZER_ASAN=detect_leaks=1:abort_on_error=1:halt_on_error=1
SANITIZER_UBSAN=halt_on_error=1:abort_on_error=1:print_stacktrace=1
[ -f build/build.ninja ] || meson setup build -Dtests=enabled >/dev/null
ninja -C build
meson test -C build --print-errorlogs "$@"
if [ -z "${CASCADE_SKIP_SANITIZERS:-}" ]; then
        [ -f build-asan/build.ninja ] || meson setup build-asan -Dtests=enabled -Db_sanitize=address,undefined \
                -Db_lundef=false -Dbuildtype=debug >/dev/null
        ninja -C build-asan
        ASAN_OPTIONS=$SANITIZER_ASAN UBSAN_OPTIONS=$SANITIZER_UBSAN \
                meson test -C build-asan --print-errorlogs --no-suite bench --no-suite render "$@"
fi
if [ -z "${CASCADE_SKIP_FUZZ:-}" ]; then
        [ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dtests=enabled -Dfuzz=enabled \
                -Db_sanitize=address,undefined -Db_lundef=false -Dfuzz_seconds=10 >/dev/null
        ninja -C build-fuzz
        ASAN_OPTIONS=$SANITIZER_ASAN UBSAN_OPTIONS=$SANITIZER_UBSAN \
                meson test -C build-fuzz --print-errorlogs --suite fuzz
fi
