#!/bin/sh
# bench/run-bench.sh: cascade next to the tools ops would otherwise reach for, on the same synthetic
# cluster logs, in one run: ingest of journal files and of syslog text, retag, analyze + report of
# one hour in a 10M-event store; baselines journalctl -o export, lnav's plain count and grep -cE
# with the pattern library's regexes. Prints throughput, peak RSS and each cascade/baseline ratio,
# then the components: tagging alone (bench-tag) and the SQLite writer alone (bench-store).
# It is not a test: the PASS/FAIL lines compare against the targets (issues 2 and 7) and do not
# change the exit status unless STRICT=1.
#
#   EVENTS=2000000 NODES=3 sh bench/run-bench.sh
#
# Environment: EVENTS (total over all nodes, default 2000000), NODES (3), SEED (1), RUNS (1: best
# time of RUNS runs, largest RSS), REGEN=1 (generate the data again), ANALYZE=0 (skip the 10M-event
# store, which takes a few minutes to build the first time, and the time windows on it), WINDOWS=0
# (skip the time windows only), WINDOW_RUNS (5), SHAPES=0 (skip issue 17's ingest of both data
# shapes under taskset with 1 and 2 CPUs), RESULTS_ROW=0 (do not append its rows to
# bench/RESULTS.md), STRICT=1 (exit 1 on a FAIL).
# Data goes to bench/out/ (ignored by git) and is reused while EVENTS/NODES/SEED and the generator
# are unchanged. cascade is built in build-bench/ (release).
set -eu
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-2000000}
NODES=${NODES:-3}
SEED=${SEED:-1}
RUNS=${RUNS:-1}
ANALYZE=${ANALYZE:-1}
OUT=bench/out
BUILD=build-bench
# Issue 7, then issue 2 where it asks less.
TEXT_TARGET=1000000       # lines/s, and faster than lnav's count
JOURNAL_TARGET=500000     # entries/s, and JOURNAL_RATIO_TARGET x journalctl -o export
JOURNAL_RATIO_TARGET=2
TEXT_TARGET_2=500000
JOURNAL_TARGET_2=300000
RSS_TARGET=64             # MiB
REPORT_TARGET=1           # seconds: analyze + report of one hour in a 10M-event store

die() { echo "run-bench: $*" >&2; exit 1; }
for tool in python3 meson ninja journalctl grep awk lnav; do
        command -v "$tool" >/dev/null 2>&1 || die "'$tool' is missing (apt-get install $tool)"
done
[ -x /lib/systemd/systemd-journal-remote ] ||
        die "/lib/systemd/systemd-journal-remote is missing (apt-get install systemd-journal-remote)"

# ---- build ----
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" -Dbuildtype=release -Dwerror=false >/dev/null || die "meson setup $BUILD failed"
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
                # The kernel's writeback of what earlier runs wrote (the text store, 270 MB) would
                # take CPU from this one on a 2-core machine: every contender starts with none.
                sync
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

# retag: every event of the text store dropped and matched again.
measure retag "$OUT/retag.out" "$CASCADE" --db "$OUT/text.db" retag --force
retag_s=$secs retag_rss=$rss retag_mem="$anon/$file"

measure journal "$OUT/journal.out" "$CASCADE" --db "$OUT/journal.db" ingest --no-progress "$OUT/journal"
journal_s=$secs journal_rss=$rss journal_mem="$anon/$file" journal_n=$(stored journal)

# lnav keeps its state under $HOME/.lnav: a scratch home leaves the user's alone.
mkdir -p "$OUT/lnav-home"
measure lnav "$OUT/lnav.out" env HOME="$OUT/lnav-home" lnav -n -c ';SELECT count(*) FROM syslog_log' "$OUT"/*.log
lnav_s=$secs lnav_rss=$rss lnav_mem="$anon/$file"
lnav_n=$(awk '$1 ~ /^[0-9]+$/ { n = $1 } END { print n }' "$OUT/lnav.out")

python3 bench/ere-patterns.py patterns > "$OUT/library.ere" 2> "$OUT/library.ere.txt"
# Not to /dev/null: GNU grep notices that and stops at the first match.
measure grep "$OUT/grep.out" grep -cE -f "$OUT/library.ere" "$OUT"/*.log
grep_s=$secs grep_rss=$rss grep_mem="$anon/$file"

measure journalctl /dev/null journalctl --file "$OUT/journal/*.journal" -o export
jctl_s=$secs jctl_rss=$rss jctl_mem="$anon/$file"
jctl_n=$(journalctl --file "$OUT/journal/*.journal" -o export | grep -c '^__CURSOR=' || true)

# analyze + report of one hour in a 10M-event store, built once by bench-analyze.sh.
report_s= report_rss=0 report_mem=0/0 store_n=
if [ "$ANALYZE" = 1 ]; then
        sh bench/bench-analyze.sh > "$OUT/analyze.txt" 2>&1 || { tail -5 "$OUT/analyze.txt" >&2; die "bench/bench-analyze.sh failed"; }
        last=$(grep '^seconds=' "$OUT/analyze.txt" | tail -1)
        report_s=$(echo "$last" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')
        report_rss=$(echo "$last" | sed -n 's/.*maxrss_mib=\([0-9.]*\).*/\1/p')
        report_mem="$(echo "$last" | sed -n 's/.*anon_mib=\([0-9.]*\).*/\1/p')/$(echo "$last" | sed -n 's/.*file_mib=\([0-9.]*\).*/\1/p')"
        store_n=$(sed -n 's/^store: \([0-9]*\) events.*/\1/p' "$OUT/analyze.txt")
fi

rm -f "$OUT"/text.db* "$OUT"/journal.db* "$OUT"/floor.* "$OUT"/grep.err "$OUT"/journalctl.*

# ---- report ----
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
# Uncommitted changes to what ingest runs (code, schema, the pattern library it tags with):
[ -z "$(git status --porcelain -- analyzer schema patterns meson.build 2>/dev/null)" ] || rev="$rev+modified"
echo
echo "cascade benchmark: $NODES nodes, $EVENTS events (seed $SEED), best of $RUNS run(s)"
echo "cascade $rev ($BUILD, release); $(nproc) CPU(s): ${cpu:-unknown CPU}; $(date -u +%Y-%m-%dT%H:%MZ)"
echo "grep regexes: $(cat "$OUT/library.ere.txt")"
echo
awk -v floor="$floor" -v events="$EVENTS" \
    -v text="$text_n|$text_s|$text_rss|$text_mem" -v journal="$journal_n|$journal_s|$journal_rss|$journal_mem" \
    -v retag="$text_n|$retag_s|$retag_rss|$retag_mem" -v lnav="$lnav_n|$lnav_s|$lnav_rss|$lnav_mem" \
    -v grep="$EVENTS|$grep_s|$grep_rss|$grep_mem" -v jctl="$jctl_n|$jctl_s|$jctl_rss|$jctl_mem" \
    -v report="${store_n:-}|$report_s|$report_rss|$report_mem" -v analyze="$ANALYZE" \
    -v tt="$TEXT_TARGET" -v jt="$JOURNAL_TARGET" -v jr="$JOURNAL_RATIO_TARGET" -v tt2="$TEXT_TARGET_2" \
    -v jt2="$JOURNAL_TARGET_2" -v rt="$RSS_TARGET" -v pt="$REPORT_TARGET" '
function num(x,   s, r) {            # 1234567 -> 1,234,567 (mawk has no %\047 flag)
        if (x == "") return "failed"
        s = sprintf("%.0f", x); r = ""
        while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
        return s r
}
# A row "items|seconds|rss|anon/file" -> fields; rate is items (or all events) per second.
function load(name, v,   p) { split(v, p, "|"); N[name] = p[1]; S[name] = p[2]; M[name] = p[3]; AF[name] = p[4] }
function rate(name) { return S[name] == "" || S[name] == 0 ? "" : (N[name] != "" ? N[name] : events) / S[name] }
function mem(name) { return S[name] == "" ? "-" : (M[name] <= floor + 0.5 ? sprintf("<= %.1f MiB", floor) : sprintf("%.1f MiB", M[name])) }
function split_mem(name,   p) { split(AF[name], p, "/"); return sprintf("%6.1f + %6.1f", p[1], p[2]) }
function row(name, what, unit) {
        printf "%-44s %10s %9s %13s %-10s %14s  %s\n", what, N[name] == "" ? "-" : N[name],
               S[name] == "" ? "failed" : sprintf("%.3f", S[name]), num(rate(name)), unit, mem(name),
               S[name] == "" ? "" : split_mem(name)
}
function ratio(what, a, b) { printf "%-44s %34s\n", what, (a == "" || b == "") ? "-" : sprintf("%.2f", a / b) }
function verdict(ok, what, got) { printf "%s  %s (%s)\n", ok ? "PASS" : "FAIL", what, got }
BEGIN {
        load("text", text); load("journal", journal); load("retag", retag); load("lnav", lnav)
        load("grep", grep); load("jctl", jctl); load("report", report)
        printf "%-44s %10s %9s %13s %-10s %14s  %s\n", "what", "items", "seconds", "rate", "unit", "peak RSS",
               "(anon + file MiB)"
        row("text", "cascade ingest, text (*.log)", "lines/s")
        row("journal", "cascade ingest, journal", "entries/s")
        row("retag", "cascade retag --force (text store)", "events/s")
        if (analyze == 1) row("report", "cascade report, 1 hour of the 10M store", "events/s")
        row("lnav", "baseline: lnav count(*) FROM syslog_log", "lines/s")
        row("grep", "baseline: grep -cE -f library.ere *.log", "lines/s")
        row("jctl", "baseline: journalctl -o export", "entries/s")
        ratio("ratio text ingest / lnav", rate("text"), rate("lnav"))
        ratio("ratio text ingest / grep -cE", rate("text"), rate("grep"))
        ratio("ratio journal ingest / journalctl", rate("journal"), rate("jctl"))
        print ""
        if (N["text"] != "" && N["text"] != events) printf "NOTE  text ingest stored %s of %s events\n", N["text"], events
        if (N["journal"] != "" && N["journal"] != events) printf "NOTE  journal ingest stored %s of %s events\n", N["journal"], events
        if (N["lnav"] != "" && N["lnav"] != events) printf "NOTE  lnav counted %s of %s lines\n", N["lnav"], events
        t = rate("text"); j = rate("journal")
        verdict(t != "" && t >= tt && (rate("lnav") == "" || t > rate("lnav")), "text ingest >= " num(tt) " lines/s and faster than lnav", num(t) " lines/s")
        verdict(t != "" && t >= tt2, "text ingest >= " num(tt2) " lines/s (issue 2)", num(t) " lines/s")
        verdict(j != "" && j >= jt && rate("jctl") != "" && j >= jr * rate("jctl"), "journal ingest >= " num(jt) " entries/s and >= " jr "x journalctl", num(j) " entries/s")
        verdict(j != "" && j >= jt2, "journal ingest >= " num(jt2) " entries/s (issue 2)", num(j) " entries/s")
        verdict(S["text"] != "" && M["text"] < rt, "text ingest peak RSS < " rt " MiB", mem("text") "; sampled anon + file: " split_mem("text") " MiB")
        verdict(S["journal"] != "" && M["journal"] < rt, "journal ingest peak RSS < " rt " MiB", mem("journal") "; sampled anon + file: " split_mem("journal") " MiB")
        if (analyze == 1) verdict(S["report"] != "" && S["report"] < pt, "analyze + report of one hour in a 10M store < " pt " s", S["report"] " s")
}' | tee "$OUT/last-result.txt"

# Components: parse alone and tagging alone on one node's log, one core, from memory (the
# tagging target of issue 3 is 2M lines/s; what ingest costs beyond them is the store).
if [ -x "$BUILD/bench/bench-tag" ]; then
        echo
        echo "components: $BUILD/bench/bench-tag patterns $OUT/pve1.log (in memory, one core)"
        "$BUILD/bench/bench-tag" patterns "$OUT/pve1.log" 2>&1 | sed 's/^/  /' | tee -a "$OUT/last-result.txt"
fi

# The storing side alone: SQLite writing the same events with nothing else to do (bench-store.c),
# the floor of text ingest whatever the reading thread does; set against lnav's count.
if [ -x "$BUILD/bench/bench-store" ]; then
        echo
        echo "components: $BUILD/bench/bench-store $OUT/store.db $OUT/*.log (from memory, one writer)"
        sync
        "$BUILD/bench/bench-store" "$OUT/store.db" "$OUT"/*.log > "$OUT/store.txt" 2>&1 || true
        rm -f "$OUT"/store.db*
        awk -v lnav_s="$lnav_s" '
                { print "  " $0 }
                $2 ~ /^[0-9.]+$/ && $3 == "s," && lnav_s != "" {
                        ratio[++n] = sprintf("  ratio %s / lnav count: %.2f", $1, lnav_s / $2)
                }
                END { for (i = 1; i <= n; i++) print ratio[i] }' "$OUT/store.txt" |
                tee -a "$OUT/last-result.txt"
fi

# ---- ingest on two data shapes, 1 and 2 cores (issue 17) ----
# The default data and a second shape with longer, more varied messages (gen-cluster-logs.py
# --shape long, ~120 bytes of message like real PVE journals), each ingested as text and as
# journal files under `taskset -c` of one CPU, then two (and all of them when there are more),
# against lnav's count and journalctl -o export under the same taskset. Best of RUNS. SHAPES=0
# skips it. Targets: text >= 1.2x lnav and >= 1M lines/s, journal >= 2x journalctl, peak RSS <=
# 64 MiB, on both shapes. A summary row goes to bench/RESULTS.md (RESULTS_ROW=0: not).
if [ "${SHAPES:-1}" = 1 ]; then
        command -v taskset >/dev/null 2>&1 || die "'taskset' is missing (util-linux)"
        LONG=$OUT/long
        params_long="$params shape=long"
        if [ "${REGEN:-}" = 1 ] || [ "$(cat "$LONG/params" 2>/dev/null)" != "$params_long" ]; then
                rm -rf "$LONG"
                echo "generating $EVENTS events (--shape long) on $NODES nodes into $LONG/ ..."
                python3 bench/gen-cluster-logs.py --nodes "$NODES" --events "$EVENTS" --seed "$SEED" --shape long \
                        --out "$LONG" --journal >/dev/null
                echo "$params_long" > "$LONG/params"
        fi
        cat "$OUT"/*.log "$OUT"/journal/*.journal "$LONG"/*.log "$LONG"/journal/*.journal > /dev/null
        cpus=$(python3 -c 'import os; print(" ".join(map(str, sorted(os.sched_getaffinity(0)))))')
        set -- $cpus
        sets=$1
        [ $# -ge 2 ] && sets="$sets $1,$2"
        [ $# -gt 2 ] && sets="$sets $(echo "$cpus" | tr ' ' ',')"
        : >"$OUT/shapes.txt"
        for shape in short long; do
                dir=$OUT
                [ "$shape" = long ] && dir=$LONG
                bytes=$(cat "$dir"/*.log | wc -c)
                for set in $sets; do
                        n_cpus=$(echo "$set" | tr ',' '\n' | grep -c .)
                        measure shape-text "$OUT/shape-text.out" taskset -c "$set" "$CASCADE" --db "$OUT/shape-text.db" \
                                --tz UTC ingest --no-progress --year 2025 "$dir"/*.log
                        t_s=$secs t_rss=$rss t_n=$(stored shape-text)
                        measure shape-journal "$OUT/shape-journal.out" taskset -c "$set" "$CASCADE" \
                                --db "$OUT/shape-journal.db" ingest --no-progress "$dir/journal"
                        j_s=$secs j_rss=$rss j_n=$(stored shape-journal)
                        measure shape-lnav "$OUT/shape-lnav.out" env HOME="$OUT/lnav-home" taskset -c "$set" \
                                lnav -n -c ';SELECT count(*) FROM syslog_log' "$dir"/*.log
                        l_s=$secs
                        measure shape-jctl /dev/null taskset -c "$set" journalctl --file "$dir/journal/*.journal" -o export
                        c_s=$secs
                        echo "$shape|$n_cpus|$set|$bytes|$t_n|$t_s|$t_rss|$j_n|$j_s|$j_rss|$l_s|$c_s" >>"$OUT/shapes.txt"
                done
        done
        rm -f "$OUT"/shape-*.db*
        echo
        echo "ingest by data shape and CPUs (taskset -c; every contender under the same set), $EVENTS events," \
             "best of $RUNS; load $(cut -d' ' -f1-3 /proc/loadavg)"
        awk -F'|' -v events="$EVENTS" '
                function rate(n, s) { return s > 0 ? (n != "" ? n : events) / s : 0 }
                BEGIN { printf "  %-5s %4s %-8s %7s  %-24s %-24s %-20s %-22s %6s %6s %11s\n", "shape", "cpus", "set",
                               "B/line", "text ingest", "journal ingest", "lnav count", "journalctl -o export",
                               "t/lnav", "j/jctl", "RSS t/j MiB" }
                { t = rate($5, $6); j = rate($8, $9); l = rate("", $11); c = rate("", $12)
                  printf "  %-5s %4d %-8s %7.0f  %7.3f s %9.0f/s  %7.3f s %9.0f/s  %6.3f s %9.0f/s  %6.3f s %9.0f/s  %6.2f %6.2f %5.1f/%5.1f\n",
                         $1, $2, $3, $4 / events, $6, t, $9, j, $11, l, $12, c, l ? t / l : 0, c ? j / c : 0, $7, $10
                  if ($5 != "" && $5 != events) printf "NOTE  %s, %s: text ingest stored %s of %s events\n", $1, $3, $5, events
                  if ($8 != "" && $8 != events) printf "NOTE  %s, %s: journal ingest stored %s of %s events\n", $1, $3, $8, events
                  key = $1 " shape, " $2 " CPU" ($2 > 1 ? "s" : "")
                  v[++n] = sprintf("%s  text ingest >= 1.2x lnav and >= 1,000,000 lines/s, %s (%.2fx, %.0f lines/s)",
                                   (l && t >= 1.2 * l && t >= 1000000) ? "PASS" : "FAIL", key, l ? t / l : 0, t)
                  v[++n] = sprintf("%s  journal ingest >= 2x journalctl -o export, %s (%.2fx)",
                                   (c && j >= 2 * c) ? "PASS" : "FAIL", key, c ? j / c : 0)
                  v[++n] = sprintf("%s  peak RSS <= 64 MiB, %s (text %.1f, journal %.1f MiB)",
                                   ($7 <= 64 && $10 <= 64) ? "PASS" : "FAIL", key, $7, $10)
                  if ($2 == 1) one[$1] = t; else if ($2 == 2) two[$1] = t }
                END { for (i = 1; i <= n; i++) print v[i]
                      for (sh in one) if (two[sh]) printf "  %s shape: text ingest 2 CPUs / 1 CPU: %.2fx\n", sh, two[sh] / one[sh] }
        ' "$OUT/shapes.txt" | tee -a "$OUT/last-result.txt"

        if [ "${RESULTS_ROW:-1}" = 1 ]; then
                cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
                rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
                [ -z "$(git status --porcelain -- analyzer schema patterns meson.build 2>/dev/null)" ] || rev="$rev+modified"
                grep -q '^| date | commit | machine' bench/RESULTS.md 2>/dev/null || {
                        echo
                        echo "## Ingest by data shape and CPUs (rows appended by \`sh bench/run-bench.sh\`, issue 17)"
                        echo
                        echo "Rates in lines or entries per second; t/lnav and j/jctl are cascade's rate over the baseline's under the same \`taskset -c\`."
                        echo
                        echo "| date | commit | machine | command | shape | CPUs | text ingest | lnav count | t/lnav | journal ingest | journalctl -o export | j/jctl | peak RSS text / journal |"
                        echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
                } >>bench/RESULTS.md
                awk -F'|' -v events="$EVENTS" -v date="$(date -u +%Y-%m-%dT%H:%MZ)" -v rev="$rev" \
                    -v machine="$(nproc) CPUs, ${cpu:-unknown CPU}, load $(cut -d' ' -f1 /proc/loadavg)" \
                    -v cmd="EVENTS=$EVENTS NODES=$NODES RUNS=$RUNS ANALYZE=$ANALYZE sh bench/run-bench.sh" '
                        function rate(n, s) { return s > 0 ? (n != "" ? n : events) / s : 0 }
                        { t = rate($5, $6); j = rate($8, $9); l = rate("", $11); c = rate("", $12)
                          printf "| %s | %s | %s | `%s` | %s | %s | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %.1f / %.1f MiB |\n",
                                 date, rev, machine, cmd, $1, $3, t, l, l ? t / l : 0, j, c, c ? j / c : 0, $7, $10 }
                ' "$OUT/shapes.txt" >>bench/RESULTS.md
                echo "  (rows appended to bench/RESULTS.md)"
        fi
fi

# ---- time windows (issue 17) ----
# One hour of the timeline and tagged views, filtered as the README writes it (ts compared with
# RFC 3339 text), through `cascade query`, on stores of 1M and 10M events (3 nodes at 20 events/s
# each: bench-analyze.sh builds them once). "plain view" is the same SQL on main.VIEW: what sqlite3
# reads, and what cascade read before issue 17 (every row); "cascade query" goes through store.c's
# window tables (a ts_usec range of event_node_ts). Best of WINDOW_RUNS (5); the plain view once.
# WINDOWS=0 skips it (ANALYZE=0 too: the 10M store is the analyze benchmark's).
if [ "$ANALYZE" = 1 ] && [ "${WINDOWS:-1}" = 1 ]; then
        WINDOW_RUNS=${WINDOW_RUNS:-5}
        WINDOW_TARGET=0.050   # seconds: a one-hour count and a one-hour timeline of the 10M store
        sh bench/bench-analyze.sh 1000000 '2025-11-24 02:00' >"$OUT/windows-1m.txt" 2>&1 ||
                { tail -5 "$OUT/windows-1m.txt" >&2; die "bench/bench-analyze.sh 1000000 failed"; }
        since=2025-11-24T02:00 until=2025-11-24T03:00
        w="ts >= '$since' AND ts < '$until'"
        runs=$RUNS
        : >"$OUT/windows.txt"
        for events in 1000000 10000000; do
                db=bench/out/analyze-$events/store.db
                bytes=$(( $(stat -c %s "$db") + $(stat -c %s "$db-wal" 2>/dev/null || echo 0) ))
                while IFS='|' read -r what sql; do
                        plain=$(echo "$sql" | sed 's/FROM \(timeline\|tagged\)/FROM main.\1/')
                        case $sql in
                        "SELECT count(*) "*) rows=$("$CASCADE" --db "$db" query --no-header --format csv "$sql") ;;
                        *) rows=$("$CASCADE" --db "$db" query --no-header --format csv "SELECT count(*) FROM ($sql)") ;;
                        esac
                        RUNS=1
                        measure window /dev/null "$CASCADE" --db "$db" query --format csv "$plain"
                        before=$secs
                        RUNS=$WINDOW_RUNS
                        measure window /dev/null "$CASCADE" --db "$db" query --format csv "$sql"
                        echo "$events|$bytes|$what|$rows|$before|$secs" >>"$OUT/windows.txt"
                done <<EOF2
count(*) FROM timeline, 1 hour|SELECT count(*) FROM timeline WHERE $w
count(*) FROM tagged, 1 hour|SELECT count(*) FROM tagged WHERE $w
SELECT * FROM timeline, 1 hour|SELECT * FROM timeline WHERE $w
README: one node, ORDER BY ts|SELECT ts, identifier, message FROM timeline WHERE node = 'pve2' AND $w ORDER BY ts
count(*) FROM timeline, 6 minutes|SELECT count(*) FROM timeline WHERE ts >= '$since' AND ts < '2025-11-24T02:06'
EOF2
        done
        RUNS=$runs
        rm -f "$OUT"/window.*
        echo
        echo "time windows: $since .. $until UTC through cascade query (3 nodes, 60 events/s in all); best of" \
             "$WINDOW_RUNS, plain view (main.VIEW: every row) once"
        awk -F'|' -v target="$WINDOW_TARGET" '
                { printf "  %-5s %6.0f B/event  %-34s %7d rows  plain view %8.3f s  cascade query %7.3f s  %7.1fx\n",
                         $1 / 1000000 "M", $2 / $1, $3, $4, $5, $6, ($6 > 0 ? $5 / $6 : 0)
                  t[$1, $3] = $6; if (!($3 in seen)) { seen[$3] = 1; names[++n] = $3 } }
                END {
                        for (i = 1; i <= n; i++) if (t[1000000, names[i]] > 0)
                                printf "  %-34s 10M / 1M: %.2f\n", names[i], t[10000000, names[i]] / t[1000000, names[i]]
                        c = t[10000000, "count(*) FROM timeline, 1 hour"]; s = t[10000000, "SELECT * FROM timeline, 1 hour"]
                        printf "%s  one-hour count of the 10M store < %.0f ms (%.3f s)\n", c != "" && c < target ? "PASS" : "FAIL", target * 1000, c
                        printf "%s  one-hour timeline of the 10M store < %.0f ms (%.3f s)\n", s != "" && s < target ? "PASS" : "FAIL", target * 1000, s
                        flat = 1
                        for (i = 1; i <= n; i++)
                                if (t[1000000, names[i]] == "" || t[10000000, names[i]] > 1.5 * t[1000000, names[i]] + 0.005) flat = 0
                        printf "%s  every window as fast at 10M events as at 1M (within 1.5x)\n", flat ? "PASS" : "FAIL"
                }' "$OUT/windows.txt" | tee -a "$OUT/last-result.txt"
fi

if [ "${STRICT:-}" = 1 ] && grep -q '^FAIL' "$OUT/last-result.txt"; then
        exit 1
fi
[ -n "$text_s" ] && [ -n "$journal_s" ] && [ -n "$grep_s" ] && [ -n "$jctl_s" ] && [ -n "$lnav_s" ]
