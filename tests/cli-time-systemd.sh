#!/bin/sh
# Every time a user types is read as systemd reads it (systemd.time(7), parse_timestamp()): each
# input below through cascade's time_parse_user() (the time-parse helper) and through
# systemd-analyze timestamp, in the same zone. TAP; skipped where systemd-analyze is missing.
#   sh tests/cli-time-systemd.sh BUILD/tests/time-parse
set -u
helper=${1:?usage: cli-time-systemd.sh TIME-PARSE-HELPER}
export LC_ALL=C
if ! command -v systemd-analyze >/dev/null 2>&1; then
        echo "1..0 # SKIP systemd-analyze not installed (package systemd)"
        exit 0
fi
sd_version=$(systemd-analyze --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')
n=0
status=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; status=1; }

# "UNIX seconds: @1764059400.5" -> µs, "error" when systemd refused the input.
systemd_usec() {
        v=$(TZ=":$1" systemd-analyze timestamp -- "$2" 2>/dev/null | sed -n 's/^ *UNIX seconds: @//p')
        [ -n "$v" ] || { echo error; return; }
        case $v in
        *.*) f=${v#*.}000000; echo "$(( ${v%%.*} * 1000000 + $(echo "${f%"${f#??????}"}" | sed 's/^0*//;s/^$/0/') ))" ;;
        *) echo "$((v * 1000000))" ;;
        esac
}

cascade_usec() {
        v=$("$helper" "$2" "$1")
        case $v in error:*) echo error ;; *) echo "$v" ;; esac
}

# One input: KIND "=" the same µs, "~" within 5 s (relative to now: both clocks read apart), "!"
# both refuse; MIN the first systemd version that reads it so (older ones skip the row).
check() {
        kind=$1 min=$2 zone=$3 input=$4
        if [ "$sd_version" -lt "$min" ]; then
                n=$((n + 1)); echo "ok $n - [$zone] '$input' # SKIP systemd $sd_version < $min"
                return
        fi
        for attempt in 1 2; do        # a second try when midnight passed between the two reads
                s=$(systemd_usec "$zone" "$input") c=$(cascade_usec "$zone" "$input")
                case $kind in
                '!') [ "$s" = error ] && [ "$c" = error ] && { ok "[$zone] '$input' refused by both"; return; } ;;
                '=') [ "$s" != error ] && [ "$s" = "$c" ] && { ok "[$zone] '$input' = $s"; return; } ;;
                '~') if [ "$s" != error ] && [ "$c" != error ]; then
                             d=$((s - c)); [ "$d" -lt 0 ] && d=$((-d))
                             [ "$d" -le 5000000 ] && { ok "[$zone] '$input' ~ $s"; return; }
                     fi ;;
                esac
        done
        not_ok "[$zone] '$input' ($kind): systemd $s, cascade $c"
}

# Rows systemd 252 (Debian 12) reads as shown were checked there; those marked 257 (Debian 13)
# were read off systemd's current parse_timestamp(), 252 refuses them.
rows() {
        cat <<'ROWS'
= 252 UTC|2025-11-25
= 252 UTC|2025-11-25 08:10
= 252 UTC|2025-11-25 08:10:48
= 252 UTC|2025-11-25 08:10:48.123456
= 252 UTC|2025-11-25 08:10:48.5
= 252 UTC|2025-11-25 08:10:48.1234567
= 252 UTC|2025-11-25 08:10:48.9999996
= 252 UTC|25-11-25
= 252 UTC|25-11-25 08:10
= 252 UTC|25-11-25 08:10:48.25
= 252 UTC|99-01-01
= 252 UTC|70-01-01
= 252 UTC|1970-01-01 UTC
= 252 UTC|2025-1-5
= 252 UTC|2025-11-25 8:10
= 252 UTC|2025-11-25 08:10:61
= 252 UTC|2025-02-30
= 252 UTC| 2025-11-25
= 252 UTC|2025-11- 25
= 252 UTC|2025-11-2508:10
= 252 Europe/Berlin|2025-11-25
= 252 Europe/Berlin|2025-11-25 08:10
= 252 Europe/Berlin|2025-07-25 08:10:48
= 252 Europe/Berlin|2025-03-30 02:30
= 252 Europe/Berlin|2025-10-26 02:30
= 252 Europe/Berlin|2025-11-25 08:10 UTC
= 252 Europe/Berlin|2025-07-25 08:10:48 UTC
= 252 Europe/Berlin|Tue 2025-11-25 08:10
= 252 Europe/Berlin|tue 2025-11-25
= 252 Europe/Berlin|Tuesday 2025-11-25 08:10:48.5
= 252 Europe/Berlin|Sunday  2025-11-23
= 252 Europe/Berlin|9999-12-31
= 252 America/New_York|2025-11-25 08:10
= 252 America/New_York|2025-06-25 08:10
= 252 Asia/Kolkata|25-11-25 08:10:48
= 252 UTC|@1764059400
= 252 UTC|@1764059400.5
= 252 UTC|@0
= 252 UTC|@1h
= 252 UTC|@ 5
~ 252 UTC|now
~ 252 Europe/Berlin|now
~ 252 UTC|-1h
~ 252 UTC|+15m
~ 252 UTC|-5h 30min
~ 252 UTC|-1h30min
~ 252 UTC|-1.5h
~ 252 UTC|- 1h
~ 252 UTC|-0
~ 252 UTC|-2
~ 252 UTC|+5min
~ 252 UTC|+1µs
~ 252 UTC|-3 weeks
~ 252 UTC|-1M
~ 252 UTC|-2 months
~ 252 UTC|-1y
~ 252 UTC|-1 year 2 days
~ 252 UTC|-500ms
~ 252 UTC|-20 seconds
~ 252 UTC|1h ago
~ 252 UTC|2 hours ago
~ 252 UTC|1h30min ago
~ 252 UTC|.5h ago
~ 252 UTC|1.5 .5 ago
~ 252 UTC|1h +5min ago
~ 252 UTC|5 min left
~ 252 UTC|5 minutes left
~ 252 UTC|1 M ago
~ 252 UTC|today
~ 252 UTC|yesterday
~ 252 UTC|tomorrow
~ 252 Europe/Berlin|today
~ 252 Europe/Berlin|yesterday
~ 252 Europe/Berlin|tomorrow
~ 252 Europe/Berlin|08:10
~ 252 Europe/Berlin|08:10:48
~ 252 Europe/Berlin|08:10:48.123456
~ 252 Europe/Berlin|8:1
~ 252 UTC|Nov 25 08:10:48
~ 252 UTC|nov 25 08:10:48.5
~ 252 UTC|November 25 08:10:48
! 252 UTC|
! 252 UTC|garbage
! 252 UTC|Mon 2025-11-25 08:10
! 252 Europe/Berlin|Wed 2025-11-25
! 252 UTC|Sund 2025-11-23
! 252 UTC|2025-13-01
! 252 UTC|2025-11-32
! 252 UTC|2025-11-25 24:00
! 252 UTC|2025-11-25 08:60
! 252 UTC|2025-11-25 08:10:62
! 252 UTC|2025-11-25 08
! 252 UTC|2025-11-25 08:10:48 trailing
! 252 UTC|2025-11-25 08:10:48.
! 252 UTC|2025-11-25 08:10:48,5
! 252 UTC|2025-11-25 08:10:48 .5
! 252 UTC|10000-01-01
! 252 UTC|1969-12-31
! 252 UTC|69-12-31
! 252 Europe/Berlin|1970-01-01
! 252 UTC|1700000000
! 252 UTC| now
! 252 UTC|now 
! 252 UTC|today 
! 252 UTC|ago
! 252 UTC|1h ago 
! 252 UTC|5mins ago
! 252 UTC|1.5.5 ago
! 252 UTC|-1h ago
! 252 UTC|--1h
! 252 UTC|-2x
! 252 UTC|-h
! 252 UTC|+
! 252 UTC|@
! 252 UTC|@-1
! 252 UTC|@1e3
! 252 UTC|@12x
! 252 UTC|99999999999y ago
! 252 UTC|+100000000000000000000s
! 252 UTC| Nov 25 08:10:48
! 252 UTC|Nov 25 08:10
! 252 UTC|2025-11-25 08:10 Nowhere/Zone
! 252 UTC|-1h UTC
= 257 UTC|2025-11-25T08:10
= 257 UTC|2025-11-25T08:10:48
= 257 UTC|2025-11-25T08:10:48Z
= 257 Europe/Berlin|2025-11-25T08:10:48Z
= 257 Europe/Berlin|2025-11-25T08:10:48.5Z
= 257 Europe/Berlin|2025-11-25T08:10:48+01:00
= 257 Europe/Berlin|2025-11-25T08:10:48-05:30
= 257 UTC|2025-11-25 08:10 +01:00
= 257 UTC|2025-11-25 08:10 +0100
= 257 UTC|2025-11-25 08:10 +01
= 257 UTC|2025-11-25 08:10 -0330
= 257 UTC|2025-11-25 08:10 Z
= 257 UTC|2025-11-25 08:10 Europe/Berlin
= 257 UTC|2025-07-25 08:10 Europe/Berlin
= 257 Europe/Berlin|2025-11-25 08:10 America/New_York
= 257 Europe/Berlin|Tue 2025-11-25 08:10 Asia/Tokyo
= 257 Europe/Berlin|2025-11-25 08:10 CET
= 257 Europe/Berlin|2025-07-25 08:10 CEST
~ 257 UTC|today Europe/Berlin
~ 257 UTC|tomorrow Pacific/Auckland
~ 257 Europe/Berlin|08:10 UTC
! 257 UTC|2025-11-25 08:10 +25:00
! 257 UTC|2025-11-25 08:10 +01:60
! 257 UTC|2025-11-25T08:10:48+0100
! 257 UTC|now UTC
! 257 Europe/Berlin|Mon 2025-11-25 08:10 Europe/Berlin
ROWS
}

rows | while IFS= read -r line; do
        kind=${line%% *} rest=${line#* }
        min=${rest%% *} rest=${rest#* }
        check "$kind" "$min" "${rest%%|*}" "${rest#*|}"
done >"${TMPDIR:-/tmp}/cli-time-systemd.$$"
status=0
grep -q '^not ok' "${TMPDIR:-/tmp}/cli-time-systemd.$$" && status=1
cat "${TMPDIR:-/tmp}/cli-time-systemd.$$"
echo "1..$(grep -c '^ok\|^not ok' "${TMPDIR:-/tmp}/cli-time-systemd.$$")"
rm -f "${TMPDIR:-/tmp}/cli-time-systemd.$$"
exit $status
