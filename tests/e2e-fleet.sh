#!/bin/sh
# A host that scans a fleet: the command lines of the built cascade-scan@.service, for two clusters,
# run as systemd would (%i the cluster, its Environment=), under a scratch root instead of / (the
# paths /etc/cascade, /var/lib/cascade and /var/lib/prometheus moved below it): two databases, two
# report directories, two metrics files each labelled with its cluster, mode 0644 as the unit asks;
# and the plain cascade-scan.service's command line keeps working.
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_tools
require_journal_tools
unit=$CASCADE_BUILD_ROOT/cascade-scan@.service
[ -r "$unit" ] || { echo "Bail out! $unit not built"; exit 1; }
ex=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
root=$T/root
mkdir -p "$root/etc/cascade" "$root/var/lib/prometheus/node-exporter" "$T/j"
for n in proxmox proxmox2 proxmox3; do mkjournal "$T/j/$n.journal" "$ex/journal/$n.export"; done

# The unit's line with %i and the root put in: KEY= from the unit (ExecStart, Environment).
unit_line() {   # KEY CLUSTER
        sed -n "s/^$1=//p" "$unit" | sed -e "s|%i|$2|g" -e "s| /etc/| $root/etc/|g" -e "s| /var/| $root/var/|g" \
                -e "s|^CASCADE_DB=/var/|CASCADE_DB=$root/var/|" -e "s|^[^ ]*/cascade |$CASCADE_BIN |"
}
check "the unit starts the installed binary with the cluster's configuration and database" \
        grep -q '^ExecStart=/.*/cascade --config /etc/cascade/%i.conf scan --cluster %i ' "$unit"
# Each cluster's store is fed (here by ingest, as systemd-journal-remote or collect would), its
# configuration names no node: scan only analyses.
for c in alpha beta; do
        mkdir -p "$root/var/lib/cascade/$c"
        printf '[cascade]\n' >"$root/etc/cascade/$c.conf"
done
CASCADE_DB=$root/var/lib/cascade/alpha/cascade.db "$CASCADE_BIN" --tz UTC ingest --no-progress "$T/j" "$ex/corosync.conf" >/dev/null
CASCADE_DB=$root/var/lib/cascade/beta/cascade.db "$CASCADE_BIN" --tz UTC ingest --no-progress "$T/j/proxmox.journal" >/dev/null
for c in alpha beta; do
        env "$(unit_line Environment $c)" TZ=UTC sh -c "$(unit_line ExecStart $c)" >"$T/$c.out" 2>"$T/$c.err"
        echo "$?" >"$T/$c.rc"
done
for c in alpha beta; do
        is "$c: a new incident (exit status 1, the unit's SuccessExitStatus)" "$(cat "$T/$c.rc")" 1
        is "$c: its report in its own directory" "$(ls "$root/var/lib/cascade/$c/reports" | wc -l | tr -d ' ')" 1
        check "$c: its report names its cluster" grep -q "cluster \*\*$c\*\*" "$root"/var/lib/cascade/$c/reports/*.md
done
# beta holds proxmox's journal only: its report reads the incident from that one node's view.
check "the reports are each cluster's own" sh -c "! cmp -s '$root'/var/lib/cascade/alpha/reports/*.md '$root'/var/lib/cascade/beta/reports/*.md"
prom=$root/var/lib/prometheus/node-exporter
for c in alpha beta; do
        is "$c: metrics file mode 0644, as the unit asks" "$(stat -c %a "$prom/cascade-$c.prom")" 644
        check "$c: every sample is labelled with its cluster" \
                sh -c "! grep -v '^#' '$prom/cascade-$c.prom' | grep -qv '^cascade_[a-z_]*{cluster=\"$c\"'"
done
check "alpha: the store's figures" grep -q '^cascade_events{cluster="alpha"} [1-9]' "$prom/cascade-alpha.prom"
check "beta: one node's last event" grep -q '^cascade_node_last_event_timestamp_seconds{cluster="beta",node="proxmox"} 17' "$prom/cascade-beta.prom"
check "the two databases are apart" test "$(q "$root/var/lib/cascade/beta/cascade.db" "SELECT count(DISTINCT node_id) FROM event")" = 1

# The single cluster's unit: its command line as built, metrics 0644, no cluster label.
single=$CASCADE_BUILD_ROOT/cascade-scan.service
line=$(sed -n 's/^ExecStart=//p' "$single" | sed -e "s| /var/| $root/var/|g" -e "s|^[^ ]*/cascade |$CASCADE_BIN |")
mkdir -p "$root/var/lib/cascade"
CASCADE_DB=$root/var/lib/cascade/alpha/cascade.db TZ=UTC sh -c "$line" >"$T/single.out" 2>"$T/single.err"
is "cascade-scan.service: nothing new for alpha's store (reported by its own unit)" "$?" 0
check "cascade-scan.service: metrics without a cluster label" grep -q '^cascade_events [1-9]' "$prom/cascade.prom"
is "cascade-scan.service: metrics file mode 0644" "$(stat -c %a "$prom/cascade.prom")" 644
# Without --metrics-mode the file is private.
CASCADE_DB=$root/var/lib/cascade/beta/cascade.db "$CASCADE_BIN" scan --reports-dir "$T/r" --metrics "$T/private.prom" >/dev/null 2>&1
is "--metrics without --metrics-mode: mode 0600" "$(stat -c %a "$T/private.prom")" 600
cas badmode scan --metrics "$T/x.prom" --metrics-mode 0755
is_rc "--metrics-mode 0755 (executable)" 2
done_testing
