#!/bin/sh
# bench/bench-fleet.sh: what a host that scans a fleet pays per cluster. N clusters, each a database
# of the bundled example incident (3 nodes' journals, corosync.conf, syslog; a copy per cluster,
# so each holds the same work), are scanned one after the other with the command line of the
# built cascade-scan@.service (as its timers would start them over the night), first when each
# incident is new (report and metrics written), then the next night (nothing new). Prints the
# time per cluster and in all, and the peak RSS of one scan.
#
#   N=20 sh bench/bench-fleet.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
N=${N:-10}
build=${1:-build}
bin=$build/cascade
unit=$build/cascade-scan@.service
[ -x "$bin" ] && [ -r "$unit" ] || { echo "build cascade first (meson setup $build && ninja -C $build)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cascade-fleet.XXXXXX")
trap 'rm -rf "$work"' EXIT
sh tools/analyze-example.sh "$bin" "$work/example" >/dev/null
root=$work/root
mkdir -p "$root/etc/cascade" "$root/var/lib/prometheus/node-exporter"
i=1
while [ $i -le "$N" ]; do
        mkdir -p "$root/var/lib/cascade/c$i"
        printf '[cascade]\n' >"$root/etc/cascade/c$i.conf"
        sqlite3 "$work/example/cascade.db" "VACUUM INTO '$root/var/lib/cascade/c$i/cascade.db'"
        # A fresh history: the example's analysis was kept in its store.
        sqlite3 "$root/var/lib/cascade/c$i/cascade.db" "DELETE FROM incident_notification; DELETE FROM analysis_incident; DELETE FROM meta WHERE key = 'last_scan'"
        i=$((i + 1))
done
line=$(sed -n 's/^ExecStart=//p' "$unit" | sed -e "s| /etc/| $root/etc/|g" -e "s| /var/| $root/var/|g" -e "s|^[^ ]*/cascade |$bin |")
night() {
        i=1 max=0
        start=$(date +%s.%N)
        while [ $i -le "$N" ]; do
                c=c$i
                rss=$(CASCADE_DB=$root/var/lib/cascade/$c/cascade.db /usr/bin/time -f %M \
                        sh -c "$(echo "$line" | sed "s|%i|$c|g") >/dev/null 2>/dev/null" 2>&1 | tail -n 1)
                [ "$rss" -gt "$max" ] && max=$rss
                i=$((i + 1))
        done
        end=$(date +%s.%N)
        awk -v s="$start" -v e="$end" -v n="$N" -v m="$max" -v what="$1" \
                'BEGIN { printf "%-24s %d clusters: %.2f s in all, %.3f s per cluster, peak RSS %.1f MiB\n", what, n, e - s, (e - s) / n, m / 1024 }'
}
echo "fleet: $(nproc) cores, $(sqlite3 "$root/var/lib/cascade/c1/cascade.db" 'SELECT count(*) FROM event') events per cluster, $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
night "first night (new):"
night "next night (quiet):"
echo "metrics files: $(ls "$root/var/lib/prometheus/node-exporter" | wc -l), reports: $(ls "$root"/var/lib/cascade/*/reports | grep -c '\.md$')"
