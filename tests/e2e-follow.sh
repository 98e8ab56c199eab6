#!/bin/sh
# cascade timeline -f follows the store while ingest adds events (a node it already printed, and a
# node that was not in the store when it started), and ends on SIGINT with status 0, as
# journalctl -f. Also: -n and -b without a value, their value as the next word, --version after
# the command. Bounded in time: every wait gives up after 20 s.
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_tools
require_journal_tools
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
ex=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
mkdir "$T/j"
for n in proxmox proxmox2 proxmox3; do mkjournal "$T/j/$n.journal" "$ex/journal/$n.export"; done
db=$T/f.db
"$CASCADE_BIN" --db "$db" ingest --no-progress "$T/j/proxmox.journal" >/dev/null
tl() { "$CASCADE_BIN" --db "$db" --tz UTC timeline "$@"; }

# lines FILE: its number of lines.
lines() { wc -l <"$1" | tr -d ' '; }
# wait_lines FILE N: until FILE has at least N lines (20 s at most). 0 when it has.
wait_lines() {
        i=0
        while [ "$(lines "$1")" -lt "$2" ]; do
                i=$((i + 1))
                [ $i -le 200 ] || return 1
                sleep 0.1
        done
}

# 1. Follow while ingest adds two nodes' journals: proxmox2 and proxmox3 were not in the store.
tl -o json >"$T/before.json"
"$CASCADE_BIN" --db "$db" timeline -f -o json >"$T/follow.json" 2>"$T/follow.err" &
pid=$!
check "-f prints the last 10 events first" wait_lines "$T/follow.json" 10
"$CASCADE_BIN" --db "$db" ingest --no-progress "$T/j/proxmox2.journal" >/dev/null
"$CASCADE_BIN" --db "$db" ingest --no-progress "$T/j/proxmox3.journal" >/dev/null
tl -o json --node proxmox2 --node proxmox3 >"$T/added.json"
want=$((10 + $(lines "$T/added.json")))
check "-f prints every event ingest added, of nodes new to the store too" wait_lines "$T/follow.json" "$want"
sleep 0.6    # one more poll: nothing printed twice
kill -INT "$pid"
wait "$pid"
rc=$?
is "-f ends on SIGINT with status 0" "$rc" 0
is "-f: nothing on stderr" "$(cat "$T/follow.err")" ""
check "-f: the first 10 are the store's last, then exactly what was added" python3 -c "import json,sys
f=[json.loads(l) for l in open(sys.argv[1])]
before=[json.loads(l) for l in open(sys.argv[2])]
added=[json.loads(l) for l in open(sys.argv[3])]
assert f[:10] == before[-10:], (f[:10], before[-10:])
key=lambda e: (e['node'], json.dumps(e, sort_keys=True))
assert sorted(f[10:], key=key) == sorted(added, key=key), (len(f[10:]), len(added))" \
        "$T/follow.json" "$T/before.json" "$T/added.json"

# 2. What -f cannot be combined with: usage errors.
for opt in "-r" "--until 2025-11-25T09:00" "--list-boots" "--format json"; do
        # shellcheck disable=SC2086
        cas follow-bad --db "$db" timeline -f $opt
        is_rc "-f with $opt" 2
        contains "-f with $opt: the message names --follow" "$T/follow-bad.err" "--follow cannot be combined"
done
# -f -n 0: nothing of what was stored, only what comes.
"$CASCADE_BIN" --db "$db" timeline -f -n 0 >"$T/follow0.out" 2>&1 &
pid=$!
sleep 0.6
kill -TERM "$pid"
wait "$pid"
rc=$?
is "-f ends on SIGTERM with status 0" "$rc" 0
is "-f -n 0: no stored event" "$(lines "$T/follow0.out")" 0

# 3. -n and -b with and without a value, the value as the next word, as journalctl takes them.
is "-n alone: the last 10" "$(tl -n | lines /dev/stdin)" 10
is "-n 3: the next word is its value" "$(tl -n 3 | md5sum)" "$(tl -n3 | md5sum)"
is "--lines 3 is --lines=3" "$(tl --lines 3 | md5sum)" "$(tl --lines=3 | md5sum)"
is "-rn 2: the last two, newest first" "$(tl -rn 2 | md5sum)" "$(tl -n 2 | tac | md5sum)"
is "-n all" "$(tl -n all | lines /dev/stdin)" "$(tl | lines /dev/stdin)"
is "-b alone is -b 0" "$(tl -b | md5sum)" "$(tl -b0 | md5sum)"
is "-b -1: the next word is its value" "$(tl -b -1 | md5sum)" "$(tl -b-1 | md5sum)"
check "-b -1 differs from -b 0 (the example's proxmox2 and proxmox3 rebooted)" sh -c "test \"\$(\"\$0\" --db \"\$1\" timeline -b -1 | md5sum)\" != \"\$(\"\$0\" --db \"\$1\" timeline -b | md5sum)\"" "$CASCADE_BIN" "$db"
cas n-word --db "$db" timeline -n five
is_rc "-n five: not a value, an argument timeline does not take" 2
cas version-after --db "$db" timeline --version
is_rc "--version after the command" 0
contains "--version after the command prints the version" "$T/version-after.out" "cascade "
cas v-after timeline -V
is "-V after the command" "$(cat "$T/v-after.out")" "$(cat "$T/version-after.out")"
done_testing
