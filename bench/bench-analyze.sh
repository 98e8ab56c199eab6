#!/bin/sh
# Analyze + report of one hour in a 10M-event store (issue target: under 1 s). Builds the store
# once from gen-cluster-logs.py text (3 nodes, 20 events/s each: 46 hours) and reuses it.
# Usage: sh bench/bench-analyze.sh [EVENTS] [WINDOW_START]
set -eu
cd "$(dirname "$0")/.."
events=${1:-10000000}
start=${2:-2025-11-25 10:00}
out=${BENCH_ANALYZE_DIR:-bench/out/analyze-$events}
[ -f build-bench/build.ninja ] || meson setup build-bench -Dbuildtype=release >/dev/null
ninja -C build-bench >/dev/null
bin=build-bench/cascade
if [ ! -f "$out/store.db" ]; then
        mkdir -p "$out"
        python3 bench/gen-cluster-logs.py --nodes 3 --events "$events" --rate 20 --out "$out/logs" >/dev/null
        rm -f "$out"/logs/*.export
        python3 bench/measure.py -- "$bin" --db "$out/store.db" --tz UTC ingest --no-progress --year 2025 "$out"/logs/*.log
fi
until=$(date -u -d "$start UTC + 1 hour" '+%Y-%m-%d %H:%M')
echo "store: $(sqlite3 "$out/store.db" 'SELECT count(*) FROM event') events; window $start .. $until UTC"
python3 bench/measure.py -- "$bin" --db "$out/store.db" --tz UTC analyze --since "$start" --until "$until" --format json
python3 bench/measure.py -- "$bin" --db "$out/store.db" --tz UTC report --since "$start" --until "$until" -o "$out/report.md"
