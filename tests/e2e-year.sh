#!/bin/sh
# Year-less syslog stamps never silently disagree with the store: a file copied without cp -p (its
# mtime a later year) takes the year of its node's journal; a file of a node without one, more
# than a day away from every stored event, is refused whole with the --year to pass; the README's
# recipe without --year gives the incident of the recipe with it, never a phantom one.
set -u
. "$(dirname "$0")/lib-e2e.sh"
require_tools
require_journal_tools
ex=$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot
mkdir "$T/j" "$T/copy"
for n in proxmox proxmox2 proxmox3; do mkjournal "$T/j/$n.journal" "$ex/journal/$n.export"; done
# Copied without cp -p, a year and a half later: by the mtime, its November lines are of 2026.
cp "$ex"/syslog/*.log "$T/copy/"
touch -d "2027-06-01 12:00 UTC" "$T"/copy/*.log
export CASCADE_DB=$T/y.db
in_year() { q "$CASCADE_DB" "SELECT count(*) FROM event e JOIN node n ON n.id = e.node_id WHERE n.name = '$1' AND strftime('%Y', e.ts / 1000000, 'unixepoch') = '$2'"; }

# 1. The node's journal gives the year.
"$CASCADE_BIN" --tz UTC ingest --no-progress "$T/j/proxmox2.journal" >/dev/null
cas journal-year --tz UTC ingest --no-progress "$T/copy/proxmox2.log"
is_rc "a copied syslog of a node with a journal" 0
contains "it says the journal gave the year" "$T/journal-year.err" "took 2025 from node proxmox2's journal (the file's modification time said 2026)"
contains "its lines are the journal's events (all duplicates)" "$T/journal-year.out" "total: 0 added, 785 duplicates skipped"
is "no event of proxmox2 in 2026" "$(in_year proxmox2 2026)" 0

# 2. No journal for the node, far from everything stored: refused whole.
cas refused --tz UTC ingest --no-progress "$T/copy/proxmox3.log"
is_rc "a copied syslog of a node without a journal, a year away" 1
contains "the refusal names the file and the --year to pass" "$T/refused.err" "proxmox3.log:1: stamps have no year, and the file's modification time puts them in 2026"
contains "... the --year to pass" "$T/refused.err" "pass --year 2025"
is "nothing of it stored: no event" "$(q "$CASCADE_DB" "SELECT count(*) FROM event e JOIN node n ON n.id = e.node_id WHERE n.name = 'proxmox3'")" 0
is "... no source row" "$(q "$CASCADE_DB" "SELECT count(*) FROM source WHERE path LIKE '%proxmox3.log'")" 0
is "... no node row" "$(q "$CASCADE_DB" "SELECT count(*) FROM node WHERE name = 'proxmox3'")" 0
cas year-given --tz UTC ingest --no-progress --year 2025 "$T/copy/proxmox3.log"
is_rc "the same file with the --year it named" 0
is "its events are in 2025" "$(in_year proxmox3 2025)" 369
# A file near the stored events keeps its mtime's year.
cp "$ex/syslog/auth/proxmox.log" "$T/auth.log"
touch -d "2025-11-25 09:00 UTC" "$T/auth.log"
cas near --tz UTC ingest --no-progress "$T/auth.log"
is_rc "a file whose mtime's year puts it among the stored events" 0
is "... is stored in that year" "$(in_year proxmox 2025)" 59

# 3. The README's recipe without --year: journals, then the copied text: the incident of the recipe
# with --year. An empty store has no clue but the mtime: stored, with the warning.
recipe() {     # DB YEAR-OPTION...
        db=$1
        shift
        CASCADE_DB=$db "$CASCADE_BIN" --tz UTC ingest --no-progress "$T/j" "$ex/corosync.conf" >/dev/null 2>&1
        CASCADE_DB=$db "$CASCADE_BIN" --tz UTC ingest --no-progress "$@" "$T"/copy/*.log >/dev/null 2>"$T/recipe.err"
        CASCADE_DB=$db "$CASCADE_BIN" --tz UTC analyze
}
recipe "$T/with.db" --year 2025 >"$T/with.txt"
recipe "$T/without.db" >"$T/without.txt"
check "the recipe finds the example's root cause" grep -q "root cause (85%): proxmox2 was rebooted by root" "$T/with.txt"
check "without --year: the same analysis, no phantom incident" cmp "$T/with.txt" "$T/without.txt"
is "without --year: no event in 2026" "$(CASCADE_DB=$T/without.db in_year proxmox 2026)" 0
cas empty --db "$T/empty.db" --tz UTC ingest --no-progress "$T/copy/proxmox.log"
is_rc "an empty store: the mtime is the only clue" 0
contains "... and the warning says so" "$T/empty.err" "took 2026 from the file's modification time (use --year if the file was copied)"
done_testing
