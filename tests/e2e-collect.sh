#!/bin/sh
# e2e-collect: `cascade collect` against a real sshd on 127.0.0.1 with its own host key, a client
# key and a known_hosts file (host key checking stays on). The "nodes" are the same sshd running
# different remote commands: a wrapper that logs its arguments, then journalctl on a journal file
# made from the export fixtures of tests/data/ingest/:
#   proxmox.export  16 entries (_HOSTNAME=proxmox), proxmox-later.export 3 more, appended later
#   proxmox2.export  9 entries (_HOSTNAME=proxmox2)
# plus a node on a closed port, a slow node, a node slow until a flag file is gone (interrupted,
# then resumed), and configurations that must be refused.
# shellcheck source=tests/lib-e2e.sh
. "$CASCADE_SOURCE_ROOT/tests/lib-e2e.sh"
require_tools
require_journal_tools
[ -x /usr/sbin/sshd ] || skip_all "/usr/sbin/sshd not installed (openssh-server)"
command -v ssh >/dev/null 2>&1 || skip_all "ssh not installed (openssh-client)"
command -v ssh-keygen >/dev/null 2>&1 || skip_all "ssh-keygen not installed (openssh-client)"
mkdir -p /run/sshd 2>/dev/null || skip_all "cannot create /run/sshd (sshd's privilege separation directory)"

sshd_pid=
trap '[ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null; rm -rf "$T"' EXIT

# ---- a real sshd ----
ssh-keygen -q -t ed25519 -N '' -f "$T/hostkey" || { echo "Bail out! ssh-keygen failed"; exit 1; }
ssh-keygen -q -t ed25519 -N '' -f "$T/client" || { echo "Bail out! ssh-keygen failed"; exit 1; }
cp "$T/client.pub" "$T/authorized_keys"
chmod 600 "$T/authorized_keys" "$T/hostkey" "$T/client"

start_sshd() {
        cat >"$T/sshd_config" <<EOF
Port $1
ListenAddress 127.0.0.1
HostKey $T/hostkey
AuthorizedKeysFile $T/authorized_keys
PidFile $T/sshd.pid
UsePAM no
StrictModes no
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
EOF
        /usr/sbin/sshd -f "$T/sshd_config" -D -e >"$T/sshd.log" 2>&1 &
        sshd_pid=$!
        i=0
        while [ $i -lt 50 ]; do
                grep -q "Server listening on 127.0.0.1 port $1" "$T/sshd.log" && return 0
                kill -0 "$sshd_pid" 2>/dev/null || break
                sleep 0.1
                i=$((i + 1))
        done
        kill "$sshd_pid" 2>/dev/null
        wait "$sshd_pid" 2>/dev/null
        sshd_pid=
        return 1
}

port=22220
while ! start_sshd $port; do
        port=$((port + 1))
        [ $port -le 22240 ] || { cat "$T/sshd.log"; echo "Bail out! sshd did not start on ports 22220..22240"; exit 1; }
done
diag "sshd listening on 127.0.0.1:$port"
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$T/hostkey.pub")" >"$T/known_hosts"
: >"$T/empty_known_hosts"
user=$(id -un)

# ---- the nodes' journals and remote commands ----
mkjournal "$T/proxmox.journal" "$DATA/proxmox.export"
mkjournal "$T/proxmox2.journal" "$DATA/proxmox2.export"
cp "$CASCADE_SOURCE_ROOT/examples/2025-11-25-cascading-reboot/corosync.conf" "$T/corosync.conf"
cat >"$T/wrap.sh" <<'EOF'
#!/bin/sh
# wrap.sh LOG COMMAND...: log the arguments ssh brought, one run per line, then run the command.
log=$1
shift
printf '%s\n' "$*" >>"$log"
exec "$@"
EOF
printf '#!/bin/sh\nsleep 10\n' >"$T/slow.sh"
# slow-once.sh ARGS...: proxmox2's journal, after a long pause while $T/slow.flag exists.
cat >"$T/slow-once.sh" <<EOF
#!/bin/sh
[ -e "$T/slow.flag" ] && sleep 30
exec journalctl --file "$T/proxmox2.journal" -o export "\$@"
EOF
chmod 755 "$T/wrap.sh" "$T/slow.sh" "$T/slow-once.sh"

# conf FILE [KNOWN_HOSTS]: the configuration of every node below.
conf() {
        cat >"$1" <<EOF
# cascade collect, test configuration
[collect]
since = 2024-01-01      # the fixtures are from 2024-04
timeout = 60
ssh_option = UserKnownHostsFile=${2:-$T/known_hosts}
ssh_option = GlobalKnownHostsFile=/dev/null
ssh_option = IdentitiesOnly=yes
identity = $T/client

[node proxmox]
target = $user@127.0.0.1
port = $port
command = $T/wrap.sh $T/args-proxmox.log journalctl --file $T/proxmox.journal -o export
corosync_conf = $T/corosync.conf

[node proxmox2]
target = $user@127.0.0.1
port = $port
command = $T/wrap.sh $T/args-proxmox2.log journalctl --file=$T/proxmox2.journal -o export
corosync_conf = $T/no-such-corosync.conf

[node down]
target = $user@127.0.0.1
port = 1                # nothing listens there: connection refused

[node slow]
target = $user@127.0.0.1
port = $port
command = $T/slow.sh
corosync_conf = none

[node later]
target = $user@127.0.0.1
port = $port
command = $T/slow-once.sh
corosync_conf = none
EOF
}
conf "$T/cascade.conf"
db=$T/collect.db
mkdir "$T/tmp"
export TMPDIR="$T/tmp"

# ---- first collect: one node down ----
cas first --db "$db" collect --config "$T/cascade.conf" proxmox proxmox2 down
is_rc first 1
contains "first: the down node is named with ssh's reason" "$T/first.err" "cascade collect: down: ssh exited with status 255: ssh: connect to host 127.0.0.1 port 1"
is "first: only the down node is reported" "$(grep -c '^cascade collect: ' "$T/first.err")" 2
contains "first: which nodes were collected" "$T/first.out" "collected: proxmox proxmox2"
contains "first: which failed" "$T/first.out" "failed: down"
is "first: every event of the nodes that answered stored" \
        "$(q "$db" "SELECT n.name || '=' || count(*) FROM event e JOIN node n ON n.id = e.node_id GROUP BY n.name ORDER BY n.name" | tr '\n' ' ')" \
        "proxmox=16 proxmox2=9 "
is "first: summary rows" "$(node_row first proxmox) / $(node_row first proxmox2)" "16 0 0 / 9 0 0"
is "first: each node's outcome in collect_status" \
        "$(q "$db" "SELECT node || '=' || state FROM collect_status ORDER BY node" | tr '\n' ' ')" "down=failed proxmox=ok proxmox2=ok "
contains "first: why the down node failed" "$(q "$db" "SELECT last_error FROM collect_status WHERE node = 'down'" >"$T/why.txt"; echo "$T/why.txt")" \
        "ssh exited with status 255: ssh: connect to host 127.0.0.1 port 1"
is "first: no success yet for the down node" "$(q "$db" "SELECT last_success IS NULL FROM collect_status WHERE node = 'down'")" 1
is "first: the configured window asked for (journalctl --since=@EPOCH)" \
        "$(cat "$T/args-proxmox.log")" "journalctl --file $T/proxmox.journal -o export --since=@1704067200"
is "first: the cursor of each node's last entry kept" \
        "$(q "$db" "SELECT key || ' ' || (cursor = '$(last_cursor "$T/proxmox.journal")') FROM source WHERE key = 'collect:proxmox'")" \
        "collect:proxmox 1"
is "first: corosync.conf fetched and stored" \
        "$(q "$db" "SELECT group_concat(name || '=' || corosync_id, ' ') FROM (SELECT * FROM node WHERE corosync_id IS NOT NULL ORDER BY name)")" \
        "proxmox=1 proxmox2=2 proxmox3=3"
is "first: events tagged while stored" "$(q "$db" "SELECT count(*) > 0 FROM tag")" 1
is "first: no spool file left behind" "$(ls -A "$T/tmp")" ""

# ---- rerun: nothing new, asked after the stored cursor ----
cas rerun --db "$db" collect --config "$T/cascade.conf" proxmox proxmox2
is_rc rerun 0
is "rerun: 0 added" "$(total_added rerun) $(q "$db" 'SELECT count(*) FROM event')" "0 25"
is "rerun: the remote command got --after-cursor= with the stored cursor" \
        "$(sed -n 2p "$T/args-proxmox.log")" \
        "journalctl --file $T/proxmox.journal -o export --after-cursor=$(last_cursor "$T/proxmox.journal")"

# ---- a node's journal grows: only the new entries come ----
KEEP=1 mkjournal "$T/proxmox.journal" "$DATA/proxmox-later.export"
cas grown --db "$db" collect --config "$T/cascade.conf" proxmox proxmox2
is_rc grown 0
is "grown: exactly the 3 new entries added" "$(total_added grown) $(total_dups grown)" "3 0"
is "grown: proxmox row" "$(node_row grown proxmox)" "3 0 0"
is "grown: cursor moved" "$(q "$db" "SELECT cursor FROM source WHERE key = 'collect:proxmox'")" "$(last_cursor "$T/proxmox.journal")"

# ---- no node's corosync.conf could be read: said, and exit status 1 ----
cas noconf --db "$db" collect --config "$T/cascade.conf" proxmox2
is_rc noconf 1
contains "noconf: cat's reason, naming the node" "$T/noconf.err" "cascade collect: proxmox2: corosync.conf: ssh exited with status 1: cat: $T/no-such-corosync.conf: No such file or directory"
contains "noconf: the journal was still collected" "$T/noconf.out" "collected: proxmox2"

# ---- a slow node is killed at its timeout; the others are stored ----
start=$(date +%s)
cas slow --db "$db" collect --config "$T/cascade.conf" --timeout 2 slow proxmox
is_rc slow 1
contains "slow: the timeout names the node" "$T/slow.err" "cascade collect: slow: no complete answer within 2 s, ssh killed"
check "slow: killed well before its command ended" [ $(($(date +%s) - start)) -lt 9 ]
contains "slow: the other node still collected" "$T/slow.out" "collected: proxmox"
is "slow: the other node ran its command" "$(wc -l <"$T/args-proxmox.log" | tr -d ' ')" 4

# ---- a stopped collect takes its ssh children with it ----
# slow_ssh: pids of local ssh clients still running slow.sh (the remote side is sshd's business).
slow_ssh() {
        ps -eo pid=,comm=,args= | awk -v cmd="$T/slow.sh" '$2 == "ssh" && index($0, cmd) { print $1 }'
}
"$CASCADE_BIN" --db "$db" collect --config "$T/cascade.conf" --timeout 60 slow >"$T/stopped.out" 2>"$T/stopped.err" &
cascade_pid=$!
waited=0
while [ -z "$(slow_ssh)" ] && [ $waited -lt 100 ]; do
        sleep 0.1
        waited=$((waited + 1))
done
check "stopped: ssh was running" [ -n "$(slow_ssh)" ]
kill -TERM $cascade_pid
wait $cascade_pid
rc=$?
is "stopped: cascade dies of the signal it got" "$rc" 143
contains "stopped: said so, not as a timeout" "$T/stopped.err" "cascade collect: Interrupted: ssh stopped"
is "stopped: no ssh left running" "$(slow_ssh)" ""

# ---- Ctrl-C: ssh stopped, "Interrupted" (no timeout), 130; what came is kept, a rerun resumes ----
# later_ssh: pids of local ssh clients running slow-once.sh.
later_ssh() {
        ps -eo pid=,comm=,args= | awk -v cmd="$T/slow-once.sh" '$2 == "ssh" && index($0, cmd) { print $1 }'
}
# A background job of a script starts with SIGINT ignored, and cascade leaves an ignored signal
# alone (nohup): 'env --default-signal' gives the job a terminal's default.
if env --default-signal=INT true 2>/dev/null; then
        idb=$T/interrupted.db
        touch "$T/slow.flag"
        env --default-signal=INT "$CASCADE_BIN" --db "$idb" collect --config "$T/cascade.conf" --timeout 60 proxmox later \
                >"$T/int.out" 2>"$T/int.err" &
        cascade_pid=$!
        # Until proxmox's journal is stored (as soon as it came) while 'later' still waits.
        waited=0
        while [ $waited -lt 200 ]; do
                [ -n "$(later_ssh)" ] && [ "$(q "$idb" "SELECT count(*) FROM event" 2>/dev/null)" = 19 ] && break
                sleep 0.1
                waited=$((waited + 1))
        done
        check "interrupted: the slow node's ssh still runs" [ -n "$(later_ssh)" ]
        kill -INT $cascade_pid
        wait $cascade_pid
        rc=$?
        is "interrupted: exit status 130 (128 + SIGINT)" "$rc" 130
        is "interrupted: one line, saying so" "$(cat "$T/int.err")" \
                "cascade collect: Interrupted: ssh stopped; what was stored so far is kept, and the next collect continues from there"
        check "interrupted: no timeout named" sh -c "! grep -qiE 'timeout|within|killed' '$T/int.err'"
        is "interrupted: no ssh left running" "$(later_ssh)" ""
        is "interrupted: the store is whole" "$(q "$idb" 'PRAGMA integrity_check')" ok
        is "interrupted: the events of the node that answered before are stored, only them" \
                "$(q "$idb" "SELECT n.name || '=' || count(*) FROM event e JOIN node n ON n.id = e.node_id GROUP BY n.name")" \
                "proxmox=19"
        is "interrupted: no cursor for the node that did not answer" \
                "$(q "$idb" "SELECT group_concat(key, ' ') FROM source WHERE cursor IS NOT NULL")" "collect:proxmox"
        rm "$T/slow.flag"
        cas resumed --db "$idb" collect --config "$T/cascade.conf" proxmox later
        is_rc resumed 0
        # 'later' answers with proxmox2's journal: stored under 'later', as configured.
        is "resumed: nothing twice, the rest added" \
                "$(node_row resumed later) / $(q "$idb" 'SELECT count(*) FROM event')" "9 0 0 / 28"
        is "resumed: proxmox asked after its cursor" "$(tail -n 1 "$T/args-proxmox.log")" \
                "journalctl --file $T/proxmox.journal -o export --after-cursor=$(last_cursor "$T/proxmox.journal")"

        # scan runs collect as a child: it passes the signal on, waits for collect's last word, then
        # says its own and dies of the signal too.
        printf '[collect]\nsince = 2024-01-01\nssh_option = UserKnownHostsFile=%s/known_hosts\nssh_option = IdentitiesOnly=yes\nidentity = %s/client\n[node later]\ntarget = %s@127.0.0.1\nport = %s\ncommand = %s/slow-once.sh\ncorosync_conf = none\n' \
                "$T" "$T" "$user" "$port" "$T" >"$T/scan.conf"
        touch "$T/slow.flag"
        env --default-signal=INT "$CASCADE_BIN" --db "$T/scan.db" scan --config "$T/scan.conf" --reports-dir "$T/reports" \
                >"$T/scan-int.out" 2>"$T/scan-int.err" &
        scan_pid=$!
        waited=0
        while [ -z "$(later_ssh)" ] && [ $waited -lt 100 ]; do
                sleep 0.1
                waited=$((waited + 1))
        done
        check "scan interrupted: its collect's ssh was running" [ -n "$(later_ssh)" ]
        kill -INT $scan_pid
        wait $scan_pid
        is "scan interrupted: exit status 130" "$?" 130
        is "scan interrupted: collect's line, then scan's" "$(cat "$T/scan-int.err")" \
                "cascade collect: Interrupted: ssh stopped; what was stored so far is kept, and the next collect continues from there
cascade scan: Interrupted; what was stored so far is kept, and the next scan continues from there"
        is "scan interrupted: no ssh left running" "$(later_ssh)" ""
        is "scan interrupted: no collect left running" \
                "$(ps -eo comm=,args= | awk -v db="$T/scan.db" '$1 == "cascade" && index($0, db)')" ""
        rm "$T/slow.flag"
else
        skip "interrupted collect and scan ('env --default-signal' is missing: a background job cannot get SIGINT)"
fi

# ---- host key checking is kept: an unknown host key is refused ----
conf "$T/unknown-host.conf" "$T/empty_known_hosts"
cas hostkey --db "$T/hostkey.db" collect --config "$T/unknown-host.conf" proxmox
is_rc hostkey 1
contains "hostkey: ssh refused the unknown host key" "$T/hostkey.err" "Host key verification failed"
is "hostkey: nothing stored" "$(q "$T/hostkey.db" 'SELECT count(*) FROM event')" 0

# ---- hostile configurations: refused with exit 2 before anything runs ----
# bad NAME 'KEY = VALUE' WANT-IN-STDERR
bad() {
        printf '[collect]\nsince = 2024-01-01\n[node ok]\ntarget = %s@127.0.0.1\nport = %s\ncommand = %s/wrap.sh %s/args-bad.log journalctl\n%s\n' \
                "$user" "$port" "$T" "$T" "$2" >"$T/$1.conf"
        cas "$1" --db "$T/bad.db" collect --config "$T/$1.conf"
        is_rc "$1" 2
        contains "$1: the error names file:line" "$T/$1.err" "$3"
}
bad node-semicolon '[node pve1;touch]
target = a@b' "$T/node-semicolon.conf:7: invalid node name"
bad node-dash '[node -oProxyCommand=x]
target = a@b' "$T/node-dash.conf:7: invalid node name"
bad target-dash "[node pve2]
target = -oProxyCommand=touch $T/pwned" "$T/target-dash.conf:8: invalid target"
bad target-semicolon '[node pve2]
target = root@127.0.0.1;touch' "$T/target-semicolon.conf:8: invalid target"
bad command-meta '[node pve2]
target = root@127.0.0.1
command = journalctl -o export $(touch /tmp/x)' "$T/command-meta.conf:9: invalid command"
bad port-twice 'port = 22' "$T/port-twice.conf:7: key given twice in this section"
bad command-twice 'command = journalctl -o export' "$T/command-twice.conf:7: key given twice in this section"
bad target-twice 'target = root@127.0.0.1' "$T/target-twice.conf:7: key given twice in this section"
printf '[collect]\nssh_option = StrictHostKeyChecking no\n[node a]\ntarget = a\n' >"$T/strict.conf"
cas strict --db "$T/bad.db" collect --config "$T/strict.conf"
is_rc strict 2
contains "strict: turning host key checking off is refused" "$T/strict.err" "strict.conf:2: ssh_option may not turn host key checking off"
printf '[collect]\n[node a]\nport = 22\n[node b]\ntarget = b\n' >"$T/notarget.conf"
cas notarget --db "$T/bad.db" collect --config "$T/notarget.conf"
is_rc notarget 2
contains "notarget: names the node's header line" "$T/notarget.err" "notarget.conf:2: node has no target"
cas unknown-node --db "$db" collect --config "$T/cascade.conf" nosuchnode
is_rc unknown-node 2
cas no-config --db "$db" collect --config "$T/does-not-exist.conf"
is_rc no-config 2
check "hostile configurations: no remote command was run" [ ! -e "$T/args-bad.log" ]
check "hostile configurations: no ProxyCommand was run" [ ! -e "$T/pwned" ]

# ---- provenance: a node's stream is stored under the configured node, whatever _HOSTNAME says ----
# Two nodes whose journals came out swapped (cloned VMs, or a node writing another's name into its
# own journal): proxmox2's ssh returns entries with _HOSTNAME=proxmox, and the other way round.
cat >"$T/swapped.conf" <<EOF
[collect]
since = 2024-01-01
ssh_option = UserKnownHostsFile=$T/known_hosts
ssh_option = IdentitiesOnly=yes
identity = $T/client
[node proxmox]
target = $user@127.0.0.1
port = $port
command = journalctl --file $T/proxmox2.journal -o export
corosync_conf = none
[node proxmox2]
target = $user@127.0.0.1
port = $port
command = journalctl --file $T/proxmox.journal -o export
corosync_conf = none
EOF
cas swapped --db "$T/swapped.db" collect --config "$T/swapped.conf"
is_rc "swapped streams" 0
is "swapped: each stream under its configured node" \
        "$(q "$T/swapped.db" "SELECT n.name || '=' || count(*) FROM event e JOIN node n ON n.id = e.node_id GROUP BY n.name ORDER BY n.name" | tr '\n' ' ')" \
        "proxmox=9 proxmox2=19 "
is "swapped: every entry naming the other node is listed in host_claims" \
        "$(q "$T/swapped.db" "SELECT node || '<' || claimed || '=' || count(*) FROM host_claims GROUP BY node, claimed ORDER BY node DESC" | tr '\n' ' ')" \
        "proxmox2<proxmox=19 proxmox<proxmox2=9 "
contains "swapped: collect says so" "$T/swapped.err" "19 entries gave another node's host name: stored under proxmox2 all the same"
is "first collect: its own names are no claim" "$(q "$db" "SELECT count(*) FROM host_claims")" 0
"$CASCADE_BIN" --db "$T/swapped.db" report -o "$T/swapped.md" 2>/dev/null
contains "swapped: the report's sources say so" "$T/swapped.md" "\`collect:proxmox2\`: 19 of its entries gave another node's host name (proxmox)"

done_testing
