#!/bin/sh
# bench/run-bench.sh: ingest throughput and peak RSS of cascade on synthetic cluster logs, next to
# baselines on the same data (grep over the text, journalctl over the journals). Prints figures; it is
# not a test: the PASS/FAIL lines compare against the targets and do not change the exit status
# unless STRICT=1.
#
#   EVENTS=2000000 NODES=3 sh bench/run-bench.sh
#
# Environment: EVENTS (total over all nodes, default 2000000), NODES (3), SEED (1), RUNS (1: best
# time of RUNS runs, largest RSS), REGEN=1 (generate the data again), STRICT=1 (exit 1 on a FAIL).
# Data goes to bench/out/ (ignored by git) and is reused while EVENTS/NODES/SEED and the generator
# are unchanged. cascade is built in build-bench/ (release).
set -eu
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-2000000}
NODES=${NODES:-3}
SEED=${SEED:-1}
RUNS=${RUNS:-1}
OUT=bench/out
BUILD=build-bench
TEXT_TARGET=500000      # lines/s
JOURNAL_TARGET=300000   # entries/s
RSS_TARGET=64           # MiB

die() { echo "run-bench: $*" >&2; exit 1; }
for tool in python3 meson ninja journalctl grep awk; do
        command -v "$tool" >/dev/null 2>&1 || die "'$tool' is missing"
done
[ -x /lib/systemd/systemd-journal-remote ] ||
        die "/lib/systemd/systemd-journal-remote is missing (apt-get install systemd-journal-remote)"

# ---- build ----
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" -Dbuildtype=release >/dev/null || die "meson setup $BUILD failed"
log=$(ninja -C "$BUILD" 2>&1) || { echo "$log" | tail -30 >&2; die "build failed (ninja -C $BUILD)"; }
CASCADE=$BUILD/cascade

# ---- data, generated once per parameter set ----
params="nodes=$NODES events=$EVENTS seed=$SEED gen=$(cksum < bench/gen-cluster-logs.py | cut -d' ' -f1)"
mkdir -p "$OUT"
if [ "${REGEN:-}" = 1 ] || [ "$(cat "$OUT/params" 2>/dev/null)" != "$params" ]; then
        rm -rf "$OUT/journal" "$OUT/params"
        rm -f "$OUT"/*.log "$OUT"/*.export
        echo "generating $EVENTS events on $NODES nodes into $OUT/ ..."
        python3 bench/gen-cluster-logs.py --nodes "$NODES" --events "$EVENTS" --seed "$SEED" --out "$OUT" --journal
        echo "$params" > "$OUT/params"
fi
lines=$(cat "$OUT"/*.log | wc -l)
[ "$lines" -eq "$EVENTS" ] || die "$OUT/*.log hold $lines lines, expected $EVENTS (REGEN=1 to rebuild)"

# Everything is read from the page cache, for every contender alike.
cat "$OUT"/*.log "$OUT"/journal/*.journal > /dev/null

# measure NAME STDOUT CMD...: best seconds of RUNS runs, largest peak RSS and its sampled anonymous
# and file-backed parts (see bench/measure.py) -> $secs $rss $anon $file; the command's output goes to
# STDOUT, its errors to $OUT/NAME.err. A failing command leaves secs empty.
measure() {
        name=$1 stdout=$2
        shift 2
        secs= rss=0 anon=0 file=0 status=0
        i=0
        while [ "$i" -lt "$RUNS" ]; do
                i=$((i + 1))
                rm -f "$OUT/$name.db" "$OUT/$name.db-wal" "$OUT/$name.db-shm"
                res=$(python3 bench/measure.py --stdout "$stdout" --stderr "$OUT/$name.err" -- "$@") || true
                s=$(echo "$res" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
                m=$(echo "$res" | sed -n 's/.*maxrss_mib=\([0-9.]*\).*/\1/p')
                a=$(echo "$res" | sed -n 's/.*anon_mib=\([0-9.]*\).*/\1/p')
                f=$(echo "$res" | sed -n 's/.*file_mib=\([0-9.]*\).*/\1/p')
                status=$(echo "$res" | sed -n 's/.*status=\([0-9]*\).*/\1/p')
                if [ -z "$s" ] || [ "${status:-1}" != 0 ]; then
                        echo "run-bench: '$*' failed (status ${status:-?}); $OUT/$name.err:" >&2
                        tail -5 "$OUT/$name.err" >&2 || true
                        secs=
                        return 0
                fi
                secs=$(awk -v a="$secs" -v b="$s" 'BEGIN { print (a == "" || b < a) ? b : a }')
                rss=$(awk -v a="$rss" -v b="$m" 'BEGIN { print (b > a) ? b : a }')
                anon=$(awk -v a="$anon" -v b="$a" 'BEGIN { print (b > a) ? b : a }')
                file=$(awk -v a="$file" -v b="$f" 'BEGIN { print (b > a) ? b : a }')
        done
}

# stored NAME: events cascade says it added (its summary's "total: N added"), to catch a fast but lossy ingest.
stored() {
        sed -n 's/^total: \([0-9]*\) added.*/\1/p' "$OUT/$1.out" 2>/dev/null | tail -1
}

measure floor /dev/null true
floor=$rss

measure text "$OUT/text.out" "$CASCADE" --db "$OUT/text.db" --tz UTC ingest --no-progress --year 2025 "$OUT"/*.log
text_s=$secs text_rss=$rss text_mem="$anon/$file" text_n=$(stored text)

measure journal "$OUT/journal.out" "$CASCADE" --db "$OUT/journal.db" ingest --no-progress "$OUT/journal"
journal_s=$secs journal_rss=$rss journal_mem="$anon/$file" journal_n=$(stored journal)

# Not to /dev/null: GNU grep notices that and stops at the first match.
measure grep "$OUT/grep.out" grep -c corosync "$OUT"/*.log
grep_s=$secs grep_rss=$rss grep_mem="$anon/$file"

measure journalctl /dev/null journalctl --file "$OUT/journal/*.journal" -o export
jctl_s=$secs jctl_rss=$rss jctl_mem="$anon/$file"
jctl_n=$(journalctl --file "$OUT/journal/*.journal" -o export | grep -c '^__CURSOR=' || true)

rm -f "$OUT"/text.db* "$OUT"/journal.db* "$OUT"/floor.* "$OUT"/grep.* "$OUT"/journalctl.*

# ---- report ----
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# Uncommitted changes to what ingest runs (code, schema, the pattern library it tags with):
[ -z "$(git status --porcelain -- analyzer schema patterns meson.build 2>/dev/null)" ] || rev="$rev+modified"
echo
echo "cascade ingest benchmark: $NODES nodes, $EVENTS events (seed $SEED), best of $RUNS run(s)"
echo "cascade $rev ($BUILD, release); $(nproc) CPU(s): ${cpu:-unknown CPU}; $(date -u +%Y-%m-%dT%H:%MZ)"
echo
awk -v floor="$floor" \
    -v text_s="$text_s" -v text_rss="$text_rss" -v text_n="$text_n" \
    -v journal_s="$journal_s" -v journal_rss="$journal_rss" -v journal_n="$journal_n" \
    -v grep_s="$grep_s" -v grep_rss="$grep_rss" -v jctl_s="$jctl_s" -v jctl_rss="$jctl_rss" -v jctl_n="$jctl_n" \
    -v text_mem="$text_mem" -v journal_mem="$journal_mem" -v grep_mem="$grep_mem" -v jctl_mem="$jctl_mem" \
    -v events="$EVENTS" -v tt="$TEXT_TARGET" -v jt="$JOURNAL_TARGET" -v rt="$RSS_TARGET" '
function rate(s) { return s == "" ? "" : (s > 0 ? events / s : 0) }
function num(x,   s, r) {            # 1234567 -> 1,234,567 (mawk has no %\047 flag)
        if (x == "") return "failed"
        s = sprintf("%.0f", x); r = ""
        while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
        return s r
}
function mem(m, s) { return s == "" ? "-" : (m <= floor + 0.5 ? sprintf("<= %.1f MiB", floor) : sprintf("%.1f MiB", m)) }
function split_mem(af,   p) { split(af, p, "/"); return sprintf("%6.1f + %6.1f", p[1], p[2]) }
function row(what, unit, n, s, m, af) {
        printf "%-34s %10s %9s %13s %-10s %14s  %s\n", what, n, s == "" ? "failed" : sprintf("%.3f", s), num(rate(s)), unit,
               mem(m, s), s == "" ? "" : split_mem(af)
}
function ratio(what, a, b) {
        printf "%-34s %34s\n", what, (a == "" || b == "" || b == 0) ? "-" : sprintf("%.3f", a / b)
}
function verdict(ok, what, got) { printf "%s  %s (%s)\n", ok ? "PASS" : "FAIL", what, got }
BEGIN {
        printf "%-34s %10s %9s %13s %-10s %14s  %s\n", "what", "items", "seconds", "rate", "unit", "peak RSS",
               "(anon + file MiB)"
        row("cascade ingest, text (*.log)", "lines/s", text_n == "" ? "-" : text_n, text_s, text_rss, text_mem)
        row("cascade ingest, journal", "entries/s", journal_n == "" ? "-" : journal_n, journal_s, journal_rss, journal_mem)
        row("baseline: grep -c corosync *.log", "lines/s", events, grep_s, grep_rss, grep_mem)
        row("baseline: journalctl -o export", "entries/s", jctl_n, jctl_s, jctl_rss, jctl_mem)
        ratio("ratio text ingest / grep", rate(text_s), rate(grep_s))
        ratio("ratio journal ingest / journalctl", rate(journal_s), rate(jctl_s))
        print ""
        if (text_n != "" && text_n != events) printf "NOTE  text ingest stored %s of %s events\n", text_n, events
        if (journal_n != "" && journal_n != events) printf "NOTE  journal ingest stored %s of %s events\n", journal_n, events
        verdict(text_s != "" && rate(text_s) >= tt, "text ingest >= " num(tt) " lines/s", num(rate(text_s)) " lines/s")
        verdict(journal_s != "" && rate(journal_s) >= jt, "journal ingest >= " num(jt) " entries/s", num(rate(journal_s)) " entries/s")
        verdict(text_s != "" && text_rss < rt, "text ingest peak RSS < " rt " MiB",
                mem(text_rss, text_s) "; sampled anon + file: " split_mem(text_mem) " MiB")
        verdict(journal_s != "" && journal_rss < rt, "journal ingest peak RSS < " rt " MiB",
                mem(journal_rss, journal_s) "; sampled anon + file: " split_mem(journal_mem) " MiB")
}' | tee "$OUT/last-result.txt"

# Components, when the lead's bench/bench-tag is built: parse alone and tagging alone on one node's
# log, one core, from memory (what ingest costs beyond them is the store).
if [ -x "$BUILD/bench/bench-tag" ]; then
        echo
        echo "components: $BUILD/bench/bench-tag patterns $OUT/pve1.log (in memory, one core)"
        "$BUILD/bench/bench-tag" patterns "$OUT/pve1.log" 2>&1 | sed 's/^/  /' | tee -a "$OUT/last-result.txt"
fi

if [ "${STRICT:-}" = 1 ] && grep -q '^FAIL' "$OUT/last-result.txt"; then
        exit 1
fi
[ -n "$text_s" ] && [ -n "$journal_s" ] && [ -n "$grep_s" ] && [ -n "$jctl_s" ]
