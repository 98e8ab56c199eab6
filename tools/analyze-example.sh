#!/bin/sh
# Analyze the bundled example incident with a given cascade binary, writing OUTDIR/postmortem.md:
#   sh tools/analyze-example.sh BINARY OUTDIR
# The example's export streams become real journal files (systemd-journal-remote), ingested with
# the syslog text and the nodelist. Used by run-example.sh (build/cascade) and by the package
# checks (an installed /usr/bin/cascade). Fails unless the known root cause is found.
set -eu
[ $# -eq 2 ] || { echo "usage: $0 BINARY OUTDIR" >&2; exit 2; }
bin=$1
out=$2
example=$(dirname "$0")/../examples/2025-11-25-cascading-reboot
rm -rf "$out" && mkdir -p "$out/journal"
remote=$(command -v systemd-journal-remote || echo /lib/systemd/systemd-journal-remote)
for export in "$example"/journal/*.export; do
        node=$(basename "$export" .export)
        "$remote" --output="$out/journal/$node.journal" "$export" 2>/dev/null
done
export CASCADE_DB="$out/cascade.db"
"$bin" --tz UTC ingest --no-progress "$out/journal" "$example/corosync.conf"
"$bin" --tz UTC ingest --no-progress --year 2025 "$example"/syslog/*.log "$example"/syslog/auth/*.log
echo
"$bin" --tz UTC analyze >"$out/analyze.txt"
cat "$out/analyze.txt"
"$bin" --tz UTC report -o "$out/postmortem.md"
grep -q "root cause (85%): proxmox2 was rebooted by root" "$out/analyze.txt" || {
        echo "$0: $bin did not find the example's root cause (see $out/analyze.txt)" >&2
        exit 1
}
