#!/bin/sh
# The main job of the README on the bundled example incident: install what is missing, build,
# turn the example's export streams into real journal files, ingest them with the syslog text,
# find the incident and write its postmortem to build/example/postmortem.md (printed too).
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
out=build/example
sh tools/analyze-example.sh build/cascade "$out"
echo
cat "$out/postmortem.md"
echo
echo "postmortem written to $out/postmortem.md"
