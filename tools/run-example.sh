#!/bin/sh
# The main job of the README on the bundled example incident: install what is missing, build,
# turn the example's export streams into real journal files, ingest them with the syslog text,
# find the incident and write its postmortem to build/example/postmortem.md (printed too).
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
example=examples/2025-11-25-cascading-reboot
out=build/example
rm -rf "$out" && mkdir -p "$out/journal"
remote=$(command -v systemd-journal-remote || echo /lib/systemd/systemd-journal-remote)
for export in "$example"/journal/*.export; do
        node=$(basename "$export" .export)
        "$remote" --output="$out/journal/$node.journal" "$export" 2>/dev/null
done
export CASCADE_DB="$out/cascade.db"
build/cascade --tz UTC ingest --no-progress "$out/journal" "$example/corosync.conf"
build/cascade --tz UTC ingest --no-progress --year 2025 "$example"/syslog/*.log "$example"/syslog/auth/*.log
echo
build/cascade --tz UTC analyze
build/cascade --tz UTC report -o "$out/postmortem.md"
echo
cat "$out/postmortem.md"
echo
echo "postmortem written to $out/postmortem.md"
