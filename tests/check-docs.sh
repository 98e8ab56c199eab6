#!/bin/sh
# check-docs.sh ROOT BINARY: the man page and the bash completion document every option, and only them.
#
# For 'BINARY --help' and 'BINARY COMMAND --help' (each command of the help's command list), every
# long option shown must appear in doc/cascade.1 (in OPTIONS, or in the command's .SS in COMMANDS)
# and on the command's line of _cascade_options in dist/cascade.bash ('global' for the options
# before the command). The global options of a command's usage line ('cascade [--db PATH] ingest')
# belong to OPTIONS, not to the command. The other way round, an option the man page documents as
# a .TP item must be shown by that command's --help, and no \fB--option anywhere may be unknown to
# every --help (stale docs). A command whose --help says "not available yet" is checked from the
# man page side only: its .TP options must be completed. Exit 0 when in sync, 1 otherwise.
root=${1:?usage: check-docs.sh ROOT BINARY}
bin=${2:?usage: check-docs.sh ROOT BINARY}
man=$root/doc/cascade.1
comp=$root/dist/cascade.bash
status=0
fail() {
        echo "$*"
        status=1
}
for f in "$man" "$comp"; do
        [ -r "$f" ] || { echo "missing: $f"; exit 1; }
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Long options in standard input, one per line.
long_options() {
        grep -o -e '--[a-z][a-z0-9-]*' | sort -u
}
# The man page with troff's \- as plain '-'.
sed 's/\\-/-/g' "$man" >"$tmp/man"
# Lines of a man page part: 'OPTIONS' (the global options) or a command's .SS.
man_part() {
        awk -v want="$1" '
                /^\.S[HS]/ {
                        t = $0; sub(/^\.S[HS] +"?/, "", t); sub(/"$/, "", t)
                        if (want == "OPTIONS") on = (t == "OPTIONS")
                        else on = (t == "cascade " want || index(t, "cascade " want " ") == 1)
                        next
                }
                on' "$tmp/man"
}
# The options of a man page part documented as .TP items.
man_items() {
        man_part "$1" | awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' | long_options
}
# The options of a command (or 'global') on its line of _cascade_options.
comp_options() {
        grep -E "^[[:space:]]*$1\)[[:space:]]*echo" "$comp" | head -n 1 | tr -c 'a-z0-9-' '\n' |
                grep -e '^--' | sort -u
}

"$bin" --help >"$tmp/help" 2>&1 || { echo "'$bin --help' failed"; exit 1; }
verbs=$(awk '/^Commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }' "$tmp/help")
[ -n "$verbs" ] || { echo "no command list in '$bin --help'"; exit 1; }

# known: every option some --help shows, or that a not-yet-available command documents.
long_options <"$tmp/help" >"$tmp/known"

check() {       # $1: part name (OPTIONS or a command), $2: file of its options, $3: completion line
        man_part "$1" >"$tmp/part"
        if [ ! -s "$tmp/part" ]; then
                fail "doc/cascade.1: no section for '$1'"
        fi
        comp_options "$3" >"$tmp/comp"
        grep -q -E "^[[:space:]]*$3\)" "$comp" || fail "dist/cascade.bash: no option list for '$3'"
        while read -r opt; do
                grep -q -E -e "$opt([^a-z0-9-]|\$)" "$tmp/part" ||
                        fail "doc/cascade.1: $opt of '$4' is not documented (section $1)"
                grep -q -x -e "$opt" "$tmp/comp" ||
                        fail "dist/cascade.bash: $opt of '$4' is not completed (line '$3)')"
        done <"$2"
}

long_options <"$tmp/help" >"$tmp/opts"
check OPTIONS "$tmp/opts" global "cascade --help"
man_items OPTIONS >"$tmp/items"
while read -r opt; do
        grep -q -x -e "$opt" "$tmp/opts" ||
                fail "doc/cascade.1: $opt is documented in OPTIONS but 'cascade --help' does not show it"
done <"$tmp/items"

for v in $verbs; do
        grep -q -E "_cascade_commands=.*[' ]${v}[' ]" "$comp" ||
                fail "dist/cascade.bash: command '$v' is not completed"
        "$bin" "$v" --help >"$tmp/vhelp" 2>&1
        rc=$?
        if grep -q 'not available yet' "$tmp/vhelp"; then
                man_items "$v" >"$tmp/items"
                [ -s "$tmp/items" ] || fail "doc/cascade.1: '$v' (not available yet) documents no options"
                cat "$tmp/items" >>"$tmp/known"
                comp_options "$v" >"$tmp/comp"
                while read -r opt; do
                        grep -q -x -e "$opt" "$tmp/comp" ||
                                fail "dist/cascade.bash: $opt of '$v' (from the man page) is not completed"
                done <"$tmp/items"
                man_part "$v" | grep -q . || fail "doc/cascade.1: no section for '$v'"
                continue
        fi
        if [ "$rc" -ne 0 ]; then
                fail "'cascade $v --help' exited with $rc"
                continue
        fi
        long_options <"$tmp/vhelp" >>"$tmp/known"
        long_options <"$tmp/vhelp" >"$tmp/vall"
        # The command's own options: those of its usage (the help's first paragraph, without the
        # global options before the command) and those an option list line starts with.
        {
                sed '/^[[:space:]]*$/q' "$tmp/vhelp" |
                        sed "s/^.*cascade\( \[[^]]*\]\)* $v\([^a-z0-9-]\|\$\)/ \2/"
                sed -n 's/^[[:space:]]\{1,\}\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' "$tmp/vhelp"
        } | long_options >"$tmp/opts"
        check "$v" "$tmp/opts" "$v" "cascade $v --help"
        # Options the help only mentions (--tz in 'times are shown in --tz'): documented somewhere.
        grep -v -x -F -f "$tmp/opts" "$tmp/vall" >"$tmp/mentioned"
        while read -r opt; do
                grep -q -E -e "$opt([^a-z0-9-]|\$)" "$tmp/man" ||
                        fail "doc/cascade.1: $opt (mentioned by 'cascade $v --help') is not documented"
                grep -q -E -e "$opt([^a-z0-9-]|\$)" "$comp" ||
                        fail "dist/cascade.bash: $opt (mentioned by 'cascade $v --help') is not completed"
        done <"$tmp/mentioned"
        man_items "$v" >"$tmp/items"
        while read -r opt; do
                grep -q -x -e "$opt" "$tmp/vall" ||
                        fail "doc/cascade.1: $opt is documented for '$v' but 'cascade $v --help' does not show it"
        done <"$tmp/items"
done

# Commands the man page or the completion has that the binary does not.
grep -E '^\.SS +"?cascade ' "$tmp/man" | sed -E 's/^\.SS +"?cascade ([a-z-]+).*/\1/' | sort -u >"$tmp/manverbs"
while read -r v; do
        echo "$verbs" | grep -q -x -e "$v" || fail "doc/cascade.1: documents command '$v' that 'cascade --help' does not list"
done <"$tmp/manverbs"

# Stale: a bold option no --help shows.
sort -u "$tmp/known" -o "$tmp/known"
grep -o -e '\\fB--[a-z][a-z0-9-]*' "$tmp/man" | sed 's/^\\fB//' | sort -u >"$tmp/bold"
while read -r opt; do
        grep -q -x -e "$opt" "$tmp/known" || fail "doc/cascade.1: documents $opt that no --help shows (stale)"
done <"$tmp/bold"

[ "$status" -eq 0 ] && echo "doc/cascade.1 and dist/cascade.bash document every option of: cascade" \
        "$(echo "$verbs" | paste -s -d ' ')"
exit "$status"
