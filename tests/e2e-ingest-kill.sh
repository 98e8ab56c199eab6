#!/bin/sh
# e2e-ingest-kill: crash safety. A big syslog (300k lines, four nodes, reboots, Retransmit List storms
# of identical lines within one second, so occurrence numbers inside dedup keys matter) and a big
# journal (200k entries, two boots) are ingested with `kill -9` at random moments, some before the
# first commit and some late, each time resumed by the same command; the end result must be exactly
# what one clean ingest into a fresh database stores.
#
# CASCADE_KILL_SEED=N repeats a run's delays (the seed is printed as a diagnostic).
# shellcheck source=tests/lib-e2e.sh
. "$CASCADE_SOURCE_ROOT/tests/lib-e2e.sh"
require_tools

# Sizes: 300k syslog lines and 200k journal entries; a third of that under the sanitizers (several
# times slower), which still makes 5 and more batches of 20000 events per source.
lines=300000 entries=200000
if ldd "$CASCADE_BIN" 2>/dev/null | grep -q 'lib[a-z]*san'; then
        lines=100000 entries=66000
        diag "sanitizer build: $lines syslog lines, $entries journal entries"
fi

seed=${CASCADE_KILL_SEED:-$(date +%s)}
diag "seed $seed (CASCADE_KILL_SEED=$seed repeats these delays)"
script_start=$(date +%s%3N)

# ---- the big syslog ----
awk -v total="$lines" 'BEGIN {
        split("pve1 pve2 pve3 pve4", nodes, " ")
        t = 0; n = 0
        while (n < total) {
                stamp = sprintf("Apr %2d %02d:%02d:%02d", 10 + int(t / 86400), int(t / 3600) % 24, int(t / 60) % 60, t % 60)
                node = nodes[t % 4 + 1]
                if (t >= 4000 && t < 4004) {
                        printf "%s %s kernel: [    0.000000] Linux version 6.8.4-2-pve (build@proxmox) #1 SMP PREEMPT_DYNAMIC PMX 6.8.4-2\n", stamp, node
                        n++
                } else if (t % 50 == 7 || t % 50 == 30) {
                        # a storm: 400 identical lines of one node within one second
                        for (i = 0; i < 400 && n < total; i++) {
                                printf "%s %s corosync[1187]:   [TOTEM ] Retransmit List: %x\n", stamp, node, 4096 + t % 3
                                n++
                        }
                } else {
                        for (i = 0; i < 6 && n < total; i++) {
                                k = (t + i) % 5
                                if (k == 0) printf "%s %s pmxcfs[1098]: [status] notice: received log\n", stamp, node
                                else if (k == 1) printf "%s %s corosync[1187]:   [KNET  ] link: host: %d link: 0 is down\n", stamp, node, 1 + i % 3
                                else if (k == 2) printf "%s %s pvedaemon[%d]: <root@pam> successful auth for user '\''root@pam'\''\n", stamp, node, 1400 + i
                                else if (k == 3) printf "%s %s kernel: [%d.%06d] vmbr0: port 2(tap101i0) entered blocking state\n", stamp, node, t, i
                                else printf "%s %s corosync[1187]:   [QUORUM] Members[3]: 1 2 3\n", stamp, node
                                n++
                        }
                }
                t++
        }
}' >"$T/big.syslog"

# ---- the big journal ----
have_journal=0
if [ -n "$JOURNAL_REMOTE" ] && [ -x "$JOURNAL_REMOTE" ]; then
        have_journal=1
        awk -v total="$entries" 'BEGIN {
                split("5e4d3c2b1a09f8e7d6c5b4a392817061 5e4d3c2b1a09f8e7d6c5b4a392817062", boots, " ")
                start = 1712707200000000; n = 0; sec = 0; boot = 1; boot_start = start - 1000000
                while (n < total) {
                        burst = (sec % 40 == 3) ? 300 : 5
                        for (i = 0; i < burst && n < total; i++) {
                                if (n == int(total / 2)) { boot = 2; boot_start = start + sec * 1000000 - 5000000 }
                                rt = start + sec * 1000000 + i * 7
                                printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n_BOOT_ID=%s\n", rt, rt - boot_start, boots[boot]
                                printf "_HOSTNAME=pve1\n_TRANSPORT=syslog\nPRIORITY=%d\nSYSLOG_IDENTIFIER=corosync\n_PID=1187\n_SYSTEMD_UNIT=corosync.service\n", 5 + i % 2
                                if (burst > 5) printf "MESSAGE=  [TOTEM ] Retransmit List: %x\n\n", 4096 + sec % 3
                                else printf "MESSAGE=  [KNET  ] link: host: %d link: 0 is down (entry %d)\n\n", 1 + i % 3, n
                                n++
                        }
                        sec++
                }
        }' >"$T/big.export"
        mkjournal "$T/big.journal" "$T/big.export"
        rm -f "$T/big.export"
fi
diag "data generated in $(( $(date +%s%3N) - script_start )) ms"

AGG='SELECT count(*), sum(ts / 1000000), sum(ts % 1000000), sum(length(message)) FROM event'
DUPS='SELECT count(*) FROM (SELECT dedup FROM event GROUP BY dedup HAVING count(*) > 1)'
ROWS='SELECT n.name, e.ts, e.ts_prec, e.mono, b.boot_id, e.identifier, e.pid, e.priority, e.unit, e.message, e.line, e.cursor, e.dedup
      FROM event e JOIN node n ON n.id = e.node_id LEFT JOIN boot b ON b.id = e.boot'
BOOTS='SELECT n.name, b.boot_id, b.start_ts, b.first_ts, b.last_ts, b.inferred FROM boot b JOIN node n ON n.id = b.node_id'
RESUME='SELECT key, offset, line, cursor, state FROM source'

# delay FRACTION CLEAN_MS SALT: seconds to wait before the kill, FRACTION of a clean ingest +-25%.
delay() {
        awk -v f="$1" -v ms="$2" -v s="$seed" -v salt="$3" 'BEGIN {
                srand(s * 1000 + salt); d = f * ms / 1000 * (0.75 + 0.5 * rand())
                printf "%.3f", d < 0.005 ? 0.005 : d }'
}

# count_events DB: events committed so far (0 when the database is not even there yet).
count_events() {
        n=$(sqlite3 -batch -noheader "$1" 'SELECT count(*) FROM event' 2>/dev/null)
        echo "${n:-0}"
}

# crash_rounds LABEL WANT ARGS...: the kill/resume rounds for one `cascade ingest ARGS...`.
# $ROUNDS: one word per round, each a comma-separated list of fractions of the clean ingest's time
# after which to kill the ingest; the round's last ingest then runs to completion.
crash_rounds() {
        label=$1
        want=$2
        shift 2
        clean=$T/$label-clean.db
        t0=$(date +%s%3N)
        "$CASCADE_BIN" --db "$clean" ingest "$@" >"$T/$label-clean.out" 2>"$T/$label-clean.err"
        rc=$?
        clean_ms=$(( $(date +%s%3N) - t0 ))
        diag "$label: clean ingest took $clean_ms ms"
        is_rc "$label-clean" 0
        is "$label: a clean ingest stores all $want events" "$(count_events "$clean")" "$want"
        clean_agg=$(q "$clean" "$AGG")
        clean_boots=$(q "$clean" "$BOOTS ORDER BY 1, 2")
        clean_resume=$(q "$clean" "$RESUME")

        kills=0 early=0 mid=0 salt=0 round=0
        for fractions in $ROUNDS; do
                round=$((round + 1))
                db=$T/$label-$round.db
                for f in $(echo "$fractions" | tr ',' ' '); do
                        salt=$((salt + 1))
                        d=$(delay "$f" "$clean_ms" "$salt")
                        "$CASCADE_BIN" --db "$db" ingest "$@" >/dev/null 2>&1 &
                        pid=$!
                        sleep "$d"
                        kill -9 "$pid" 2>/dev/null
                        { wait "$pid"; } 2>/dev/null   # no "Killed" job notice
                        st=$?
                        n=$(count_events "$db")
                        if [ "$st" = 137 ]; then
                                kills=$((kills + 1))
                                if [ "$n" = 0 ]; then
                                        early=$((early + 1))
                                elif [ "$n" -lt "$want" ]; then
                                        mid=$((mid + 1))
                                fi
                        fi
                        diag "$label round $round: kill -9 after ${d}s -> exit status $st, $n events committed"
                done
                "$CASCADE_BIN" --db "$db" ingest "$@" >"$T/$label-$round.out" 2>"$T/$label-$round.err"
                rc=$?
                is_rc "$label-$round" 0
                is "$label round $round: count, sum(ts), sum(length(message)) as the clean ingest" "$(q "$db" "$AGG")" "$clean_agg"
                is "$label round $round: no dedup key twice" "$(q "$db" "$DUPS")" 0
                is "$label round $round: the very same events (every column) as the clean ingest" \
                        "$(q "$db" "ATTACH '$clean' AS c; SELECT count(*) FROM ($ROWS EXCEPT $(echo "$ROWS" | sed 's/FROM event e JOIN node n/FROM c.event e JOIN c.node n/; s/JOIN boot b/JOIN c.boot b/'))")" 0
                is "$label round $round: the same boots and resume point" \
                        "$(q "$db" "$BOOTS ORDER BY 1, 2") $(q "$db" "$RESUME")" "$clean_boots $clean_resume"
                "$CASCADE_BIN" --db "$db" ingest "$@" >"$T/$label-$round-rerun.out" 2>&1
                is "$label round $round: a rerun afterwards adds 0" "$(total_added "$label-$round-rerun")" 0
                rm -f "$db" "$db"-*
        done
        rm -f "$clean" "$clean"-*
        diag "$label: $kills kills, $early before the first commit, $mid in the middle"
        check "$label: at least 5 ingests killed" test "$kills" -ge 5
        check "$label: some killed before the first commit, some after it" test "$early" -ge 1 -a "$mid" -ge 1
}

ROUNDS='0.01,0.3,0.2,0.2 0.03,0.5 0.9,0.03'
crash_rounds syslog "$lines" --year 2024 "$T/big.syslog"
if [ "$have_journal" = 1 ]; then
        crash_rounds journal "$entries" "$T/big.journal"
else
        skip "journal crash rounds: no systemd-journal-remote"
fi

diag "total $(( $(date +%s%3N) - script_start )) ms"
done_testing
