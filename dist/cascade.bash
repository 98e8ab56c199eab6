# bash completion for cascade(1)                                         -*- shell-script -*-
# Installed as completions/cascade for bash-completion; works without bash-completion too.
# tests/check-docs.sh checks that every option of 'cascade --help' and 'cascade COMMAND --help'
# is on the line of its command in _cascade_options below.

_cascade_commands='ingest patterns retag analyze report query timeline forget prune collect scan help'

# The options of a command ('global': the options before the command; those but --help and --version
# are accepted after it too).
_cascade_options() {
        case $1 in
        global)   echo '--db --tz --patterns --config --color --no-pager --verbose --quiet --help --version -v -q -h -V' ;;
        ingest)   echo '--node --format --tz --year --since --until --local --no-progress --help' ;;
        patterns) echo '--help' ;;
        retag)    echo '--force --help' ;;
        analyze)  echo '--since --until --format --help' ;;
        report)   echo '--incident --since --until --redact --format -o --output --help' ;;
        query)    echo '--format --no-header --help' ;;
        timeline) echo '--since --until --node --kind --unit --identifier --grep --priority --lines --reverse --follow --boot --list-boots --utc --output --format --help -S -U -u -t -g -p -n -r -f -o -b' ;;
        forget)   echo '--node --since --until --dry-run --list --help' ;;
        prune)    echo '--older-than --before --dry-run --help' ;;
        collect)  echo '--since --timeout --help' ;;
        scan)     echo '--since --reports-dir --exec --metrics --metrics-mode --cluster --help' ;;
        esac
}

# The values of --format, per command.
_cascade_formats() {
        case $1 in
        ingest)   echo 'journal export json text corosync-conf' ;;
        analyze)  echo 'text json' ;;
        report)   echo 'markdown json' ;;
        query)    echo 'table csv json' ;;
        timeline) echo 'text csv json jsonl' ;;
        esac
}

_cascade_files() {   # $1: -d for directories only
        if declare -F _filedir >/dev/null 2>&1; then
                _filedir "$@"
        else
                compopt -o filenames 2>/dev/null
                if [[ $1 == -d ]]; then
                        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
                else
                        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
                fi
        fi
}

_cascade_words() {   # complete $cur from the words of $1
        mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur")
}

# Runs cascade with the --db, --patterns and --config of the command line; quiet, never fails.
_cascade_run() {
        "${COMP_WORDS[0]}" "${_cascade_global[@]}" "$@" 2>/dev/null
}

_cascade_nodes() {
        _cascade_run query --format csv --no-header 'SELECT name FROM node ORDER BY name' |
                sed 's/^"\(.*\)"$/\1/; s/""/"/g'
}

_cascade() {
        local cur=${COMP_WORDS[COMP_CWORD]} prev='' cword=$COMP_CWORD
        (( cword > 0 )) && prev=${COMP_WORDS[cword - 1]}
        # COMP_WORDBREAKS splits --opt=value into '--opt' '=' 'value'.
        if [[ $cur == = ]]; then
                cur=
        elif [[ $prev == = ]] && (( cword > 1 )); then
                prev=${COMP_WORDS[cword - 2]}
        elif [[ $cur == --*=* ]]; then      # '=' not in COMP_WORDBREAKS
                prev=${cur%%=*} cur=${cur#*=}
        fi

        # Find the command, and the global options that matter to the look-ups.
        local verb='' verb_at=0 i j w
        local -a _cascade_global=()
        for (( i = 1; i < cword; i++ )); do
                w=${COMP_WORDS[i]}
                case $w in
                --db|--patterns|--config)
                        local v=${COMP_WORDS[i + 1]}
                        [[ $v == = ]] && { (( i++ )); v=${COMP_WORDS[i + 1]}; }
                        [[ $v == \~/* ]] && v=$HOME/${v#\~/}
                        _cascade_global+=("$w" "$v")
                        (( i++ ))
                        ;;
                --db=*|--patterns=*|--config=*)
                        local v=${w#*=}
                        [[ $v == \~/* ]] && v=$HOME/${v#\~/}
                        _cascade_global+=("${w%%=*}" "$v")
                        ;;
                --tz) [[ ${COMP_WORDS[i + 1]} == = ]] && (( i++ )); (( i++ )) ;;
                -*|=) ;;
                *) verb=$w verb_at=$i; break ;;
                esac
        done

        # The argument of an option. timeline's -o is an output mode, not report's file.
        if [[ $verb == timeline ]]; then
                case $prev in
                -o|--output) _cascade_words 'short short-iso short-precise cat csv json json-seq jsonl'; return ;;
                -p) prev=--priority ;;
                -S) prev=--since ;;
                -U) prev=--until ;;
                -u|--unit|-t|--identifier|-n|-g|-b) return ;;
                esac
        fi
        case $prev in
        --db|--config|--metrics|-o|--output)
                _cascade_files; return ;;
        --patterns|--reports-dir)
                _cascade_files -d; return ;;
        --tz)
                local zones
                zones=$(cd /usr/share/zoneinfo 2>/dev/null &&
                        find . -type f ! -path './posix/*' ! -path './right/*' 2>/dev/null |
                        sed -n 's|^\./\([A-Z][^.]*\)$|\1|p')
                _cascade_words "UTC $zones"; return ;;
        --format)
                _cascade_words "$(_cascade_formats "$verb")"; return ;;
        --node)
                _cascade_words "$(_cascade_nodes)"; return ;;
        --kind)
                _cascade_words "$(_cascade_run patterns list | awk '!/^#/ { print $2 }' | sort -u)"; return ;;
        --color)
                _cascade_words 'auto always never'; return ;;
        --priority)
                _cascade_words 'emerg alert crit err warning notice info debug 0 1 2 3 4 5 6 7'; return ;;
        --since|--until)
                _cascade_words 'now today yesterday'; return ;;
        --exec)
                mapfile -t COMPREPLY < <(compgen -c -- "$cur"); return ;;
        --year|--incident|--grep|--timeout)
                return ;;
        esac

        if [[ -z $verb ]]; then
                if [[ $cur == -* ]]; then
                        _cascade_words "$(_cascade_options global)"
                else
                        _cascade_words "$_cascade_commands"
                fi
                return
        fi

        if [[ $cur == -* ]]; then
                _cascade_words "$(_cascade_options "$verb") --db --tz --patterns --config --color --no-pager --verbose --quiet"
                [[ $verb == ingest || $verb == query ]] && [[ $cur == - ]] && COMPREPLY+=(-)
                return
        fi

        # Operands.
        case $verb in
        ingest|scan)
                _cascade_files ;;
        help)
                (( cword == verb_at + 1 )) && _cascade_words "${_cascade_commands% help}" ;;
        patterns)
                local sub=''
                for (( j = verb_at + 1; j < cword; j++ )); do
                        [[ ${COMP_WORDS[j]} != -* ]] && { sub=${COMP_WORDS[j]}; break; }
                done
                case $sub in
                '')   _cascade_words 'list show test match' ;;
                show) (( cword == j + 1 )) &&
                        _cascade_words "$(_cascade_run patterns list | grep -v '^#' | cut -d' ' -f1)" ;;
                test) _cascade_files ;;
                esac
                ;;
        collect)
                # The [node NAME] sections of the configuration, and the nodes already stored.
                local conf=${CASCADE_CONF:-/etc/cascade/cascade.conf}
                for (( j = 1; j < cword - 1; j++ )); do
                        [[ ${COMP_WORDS[j]} == --config ]] && conf=${COMP_WORDS[j + 1]}
                        [[ ${COMP_WORDS[j]} == --config=* ]] && conf=${COMP_WORDS[j]#*=}
                done
                [[ $conf == \~/* ]] && conf=$HOME/${conf#\~/}
                _cascade_words "$(sed -n 's/^[[:space:]]*\[node[[:space:]]\{1,\}\([^]]*\)\].*/\1/p' "$conf" 2>/dev/null)
$(_cascade_nodes)" ;;
        esac
}

complete -F _cascade cascade
