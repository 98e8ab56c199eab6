#!/bin/sh
# Golden test on the bundled example incident (examples/2025-11-25-cascading-reboot): real journal
# files made from its export streams with systemd-journal-remote, plus its syslog text; the tags on
# its key lines, the analysis JSON and the Markdown postmortem must state the reference facts.
set -u
example="$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
failed=0
check() {       # check NAME COMMAND...
        n=$((n + 1))
        name=$1
        shift
        if "$@" >"$work/out" 2>&1; then
                echo "ok $n - $name"
        else
                echo "not ok $n - $name"
                sed 's/^/# /' "$work/out" | head -20
                failed=$((failed + 1))
        fi
}
echo "1..34"

mkdir -p "$work/journal"
for e in "$example"/journal/*.export; do
        "$JOURNAL_REMOTE" --output="$work/journal/$(basename "$e" .export).journal" "$e" >/dev/null 2>&1
done
db="$work/cascade.db"
cas() { "$CASCADE_BIN" --db "$db" --tz UTC "$@"; }

check "ingest journals" cas ingest --no-progress "$work/journal"
check "ingest corosync.conf: nodelist stored and linked to node names" sh -c "'$CASCADE_BIN' --db '$db' ingest --no-progress \
        '$example/corosync.conf' >/dev/null && [ \"\$(sqlite3 '$db' \"SELECT group_concat(name || '=' || corosync_id, ' ') FROM node ORDER BY name\")\" = 'proxmox=1 proxmox2=2 proxmox3=3' ]"
check "corosync.conf settings flattened" sh -c "[ \"\$(sqlite3 '$db' \"SELECT value FROM corosync_setting WHERE key = 'totem.cluster_name'\")\" = homelab-cluster ]"
check "ingest syslog text adds no duplicate" sh -c "'$CASCADE_BIN' --db '$db' --tz UTC ingest --no-progress --year 2025 \
        '$example'/syslog/*.log '$example'/syslog/auth/*.log | grep -q '^total: 0 added, 2105 duplicates'"

tag_of() {      # tag_of 'message LIKE pattern' expected-rule-or-kind [captures-substring]
        sqlite3 "$db" "SELECT t.kind || ' ' || t.captures FROM tag t JOIN event e ON e.id = t.event_id
                       WHERE e.message LIKE '$1'" | grep -F -- "$2" | grep -qF -- "${3:-}"
}
check "tag: reboot request" tag_of 'The system will reboot now!' system.reboot.requested
check "tag: ssh login with user and address" tag_of 'Accepted publickey for root from 192.168.1.50%' ssh.login '"addr":"192.168.1.50"'
check "tag: pmxcfs CS_ERR_LIBRARY" tag_of '%cpg_dispatch failed: CS_ERR_LIBRARY' pmxcfs.cpg.dispatch.failed '"error":"CS_ERR_LIBRARY"'
check "tag: member shut down" tag_of '%Node 2 was shut down by sysadmin' corosync.member.shutdown '"nodeid":"2"'
check "tag: membership left" tag_of '%A new membership (1.1e6) was formed. Members left: 2' corosync.membership '"left":"2"'
check "tag: quorum view" tag_of '%[QUORUM] Members[2]: 1 3' corosync.quorum.members '"members":"1 3"'
check "tag: gotify failure" tag_of 'could not notify via target%' notify.failed '"target":"gotify"'
check "tag: HA migration" tag_of "migrate service ''vm:101''%" ha.migration '"sid":"vm:101"'

cas analyze --format json >"$work/analysis.json"
jcheck() {      # jcheck PYTHON-EXPRESSION over `inc` (the only incident) and `a` (the document)
        python3 - "$work/analysis.json" "$1" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
inc = a["incidents"][0] if a["incidents"] else {}
def at(kind, node):
    return [t["ts"] for t in inc["timeline"] if t["kind"] == kind and t["node"] == node]
ok = eval(sys.argv[2])
if not ok:
    print("false:", sys.argv[2])
    print(json.dumps(inc, indent=1)[:3000])
sys.exit(0 if ok else 1)
PY
}
check "one incident" jcheck 'len(a["incidents"]) == 1'
check "classification reboot-cascade" jcheck 'inc["classification"] == "reboot-cascade"'
check "root cause: manual reboot of proxmox2 at 08:09:52" jcheck \
        'inc["root_cause"]["kind"] == "manual-reboot" and inc["root_cause"]["node"] == "proxmox2" and inc["root_cause"]["at"].startswith("2025-11-25T08:09:52")'
check "root cause names who: root from 192.168.1.50" jcheck \
        '"root" in inc["root_cause"]["summary"] and "192.168.1.50" in inc["root_cause"]["summary"]'
check "proxmox2 left 08:10:48 and rejoined 08:11:19" jcheck \
        'at("node.left", "proxmox2")[0].startswith("2025-11-25T08:10:48") and at("node.joined", "proxmox2")[0].startswith("2025-11-25T08:11:19")'
check "proxmox reboot 08:14:55, rejoined 08:17:13" jcheck \
        'at("node.reboot.requested", "proxmox")[0].startswith("2025-11-25T08:14:55") and at("node.joined", "proxmox")[0].startswith("2025-11-25T08:17:13")'
check "never fewer than 2 of 3 members" jcheck 'inc["min_members"] == 2 and inc["nodes_expected"] == 3'
check "quorum kept, nobody fenced" jcheck 'inc["quorum_lost"] is False and inc["quorum_lost_nodes"] == [] and inc["fenced_nodes"] == []'
check "gotify notifications failed" jcheck 'inc["notifications_failed"] == 9 and any(t["kind"] == "notify.failed" for t in inc["timeline"])'
check "root evidence cites verbatim lines with sources" jcheck \
        'any(e["message"] == "The system will reboot now!" and e["node"] == "proxmox2" and "cursor" in e["source"] for e in inc["root_cause"]["evidence"])'

cas report -o "$work/report.md"
check "report states the facts" sh -c "for s in 'reboot-cascade' '08:09:52' '08:10:48' '08:11:19' '08:14:55' '08:17:13' \
        '2 of 3' 'gotify' 'root (ssh login from 192.168.1.50)' '\`\`\`mermaid' 'kept by the cluster'; do
                grep -qF -- \"\$s\" '$work/report.md' || { echo \"missing: \$s\"; exit 1; }; done"
check "report is private (0600)" sh -c "[ \"\$(stat -c %a '$work/report.md')\" = 600 ]"
# The chart: a row per node whose bars never overlap, the reboot requests as milestones on their
# node's row, the quorum as stretches labelled with the votes corosync.conf gives (tests/chart-check.py).
check "report chart: rows per node, reboot milestones, quorum by votes" python3 \
        "$CASCADE_SOURCE_ROOT/tests/chart-check.py" "$work/report.md" \
        'proxmox~reboot requested :milestone, 2025-11-25T08:14:55, 2025-11-25T08:14:55' \
        'proxmox~out :crit, 2025-11-25T08:15:37, 2025-11-25T08:17:13' \
        'proxmox2~reboot requested :milestone, 2025-11-25T08:09:52, 2025-11-25T08:09:52' \
        'proxmox2~out :crit, 2025-11-25T08:10:48, 2025-11-25T08:11:19' \
        'proxmox3!~milestone' 'proxmox3!~:crit' \
        'cluster quorum~quorate 3/3 votes :active, 2025-11-25T08:08:52, 2025-11-25T08:10:48' \
        'cluster quorum~:active, 2025-11-25T08:15:37, 2025-11-25T08:17:13' 'cluster quorum!~:crit'

# The whole postmortem against tests/golden/example-postmortem.md, which a person read and signed
# off: any change of wording, order or figures shows here as a diff. The machine's paths, the
# journal files' random sequence ids, the version and the library's hash are masked. After a
# deliberate change, read the new report and refresh the file: CASCADE_UPDATE_GOLDEN=1.
golden="$CASCADE_SOURCE_ROOT/tests/golden/example-postmortem.md"
sed -e "s|$work|WORK|g" -e "s|$CASCADE_SOURCE_ROOT|SRC|g" -e 's/s=[0-9a-f]\{32\};/s=SEQNUM;/g' \
        -e 's/pattern library [0-9a-f]\{16\}/pattern library LIBRARY/' -e 's/Written by cascade [^ ]* from/Written by cascade VERSION from/' \
        "$work/report.md" >"$work/report.golden"
[ "${CASCADE_UPDATE_GOLDEN:-}" = 1 ] && cp "$work/report.golden" "$golden"
check "report matches the reviewed golden file (CASCADE_UPDATE_GOLDEN=1 refreshes it)" diff -u "$golden" "$work/report.golden"

# Only the syslog text (inferred boots): the same story.
rm -f "$db"*
cas ingest --no-progress --year 2025 "$example"/syslog/*.log "$example"/syslog/auth/*.log >/dev/null
cas analyze --format json >"$work/analysis.json"
check "text only: reboot-cascade rooted at proxmox2" jcheck \
        'inc["classification"] == "reboot-cascade" and inc["root_cause"]["node"] == "proxmox2" and inc["min_members"] == 2'
check "text only: same departures" jcheck \
        'at("node.left", "proxmox2")[0].startswith("2025-11-25T08:10:48") and at("node.joined", "proxmox")[0].startswith("2025-11-25T08:17:13")'
# From each single node's journal, with and without corosync.conf: the same story, the root named
# (or "node 2" where nothing in that view names it), never pinned on the observer.
for v in proxmox proxmox2 proxmox3; do
        for conf in no conf; do
                rm -f "$db"*
                cas ingest --no-progress "$work/journal/$v.journal" >/dev/null
                [ "$conf" = conf ] && cas ingest --no-progress "$example/corosync.conf" >/dev/null
                cas analyze --format json >"$work/analysis.json"
                if [ "$conf" = conf ] || [ "$v" = proxmox2 ]; then root='["proxmox2"]'; else root='["proxmox2", "node 2"]'; fi
                check "$v's journal alone ($conf corosync.conf): reboot-cascade rooted at proxmox2" jcheck \
                        "inc['classification'] == 'reboot-cascade' and inc['root_cause']['node'] in $root"
        done
done
exit $((failed > 0))
