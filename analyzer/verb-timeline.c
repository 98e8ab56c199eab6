/* verb-timeline.c: `cascade timeline`: options (journalctl's where it has them), and the merged
 * timeline (correlate-timeline.c) printed as text (coloured on a terminal), a message per line, or
 * by the row writer (report-rows.c) as CSV, JSON or Timesketch's JSONL. */
#include <ctype.h>
#include <signal.h>
#include <time.h>

#include "cli.h"
#include "correlate-timeline.h"
#include "log.h"
#include "report-rows.h"

typedef enum TimelineOutput {
        OUTPUT_SHORT,          /* the timeline's own line: --format text, -o short */
        OUTPUT_SHORT_ISO,      /* its time ISO 8601 with the zone's offset */
        OUTPUT_SHORT_PRECISE,  /* its time to the µs */
        OUTPUT_CAT,            /* the message only */
        OUTPUT_CSV,
        OUTPUT_JSON,           /* --format json: one array */
        OUTPUT_JSON_LINES,     /* -o json: an object per line, as journalctl */
        OUTPUT_JSON_SEQ,       /* -o json-seq: RFC 7464 */
        OUTPUT_TIMESKETCH,     /* -o jsonl, --format jsonl: an object per line, as Timesketch imports it */
} TimelineOutput;

/* CSV and JSON: ts (RFC 3339), node, identifier, priority, message, kinds, source, ts_usec. */
#define N_COLUMNS 8
static const char *const column_names[N_COLUMNS] = {
        "ts", "node", "identifier", "priority", "message", "kinds", "source", "ts_usec",
};
/* The priority is a JSON number (null when the event has none), the kinds an array of strings. */
static const RowType column_types[N_COLUMNS] = { [3] = ROW_INTEGER, [5] = ROW_LIST, [7] = ROW_INTEGER };

/* Timesketch's JSONL import (timesketch/lib/utils.py, read_and_validate_jsonl()) requires message,
 * datetime and timestamp_desc in every line, takes timestamp as µs since the epoch, and reads tag as
 * a list of tags; the other keys are the event's attributes. */
#define N_TIMESKETCH_COLUMNS 9
static const char *const timesketch_names[N_TIMESKETCH_COLUMNS] = {
        "message", "datetime", "timestamp", "timestamp_desc", "node", "identifier", "priority", "tag", "source",
};
static const RowType timesketch_types[N_TIMESKETCH_COLUMNS] = { [2] = ROW_INTEGER, [6] = ROW_INTEGER, [7] = ROW_LIST };
/* What the time of an event is: when its node logged it (put on the common clock). */
#define TIMESKETCH_TIMESTAMP_DESC "Event Logged"

static TimelineFilter arg_filter = TIMELINE_FILTER_INIT;
static const char *arg_since_text, *arg_until_text, *arg_grep;
static usec_t arg_since = USEC_INVALID, arg_until = USEC_INVALID;
static TimelineOutput arg_output = OUTPUT_SHORT;
static bool arg_utc, arg_reverse, arg_lines_set, arg_list_boots, arg_follow;
static size_t arg_lines;       /* with arg_lines_set: the last N events; SIZE_MAX (-n all): every one */

/* How often -f looks for new events: 4 times a second, one indexed lookup each. */
#define FOLLOW_POLL_NSEC 250000000L

typedef struct Printer {
        RowWriter *w;          /* CSV and JSON; NULL for the lines of text */
        TimelineOutput out;
        bool utc, color;
} Printer;

/* short-iso and short-precise: the time to the second with the offset, or to the µs. */
static void format_time_journal(usec_t ts, bool utc, TimelineOutput out, char t[static RFC3339_MAX]) {
        time_t secs = (time_t) (ts >= 0 ? ts / USEC_PER_SEC : (ts - USEC_PER_SEC + 1) / USEC_PER_SEC);
        struct tm tm;
        if (!(utc ? gmtime_r(&secs, &tm) : localtime_r(&secs, &tm))) {
                snprintf(t, RFC3339_MAX, "invalid");
                return;
        }
        bool iso = out == OUTPUT_SHORT_ISO || utc;
        size_t n = strftime(t, RFC3339_MAX, iso ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm);
        if (out == OUTPUT_SHORT_PRECISE) {
                snprintf(t + n, RFC3339_MAX - n, ".%06lld%s", (long long) (ts - (usec_t) secs * USEC_PER_SEC),
                         utc ? "Z" : "");
                return;
        }
        long off = tm.tm_gmtoff / 60;
        snprintf(t + n, RFC3339_MAX - n, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
}

/* Outputs for programs, written by the row writer. */
static bool output_is_machine(TimelineOutput out) {
        return out == OUTPUT_CSV || out == OUTPUT_JSON || out == OUTPUT_JSON_LINES || out == OUTPUT_JSON_SEQ ||
               out == OUTPUT_TIMESKETCH;
}

/* For programs RFC 3339 to the µs, in UTC unless --tz names a zone (and --utc does not take it
 * back); for a reader the journalctl-like times. */
static char *format_time(usec_t ts, bool utc, TimelineOutput out, char t[static RFC3339_MAX]) {
        if (output_is_machine(out))
                return time_format_rfc3339_usec(ts, !utc && arg_global.tz, t);
        if (out != OUTPUT_SHORT_ISO && out != OUTPUT_SHORT_PRECISE)
                return utc ? time_format_rfc3339(ts, t) : time_format_local(ts, true, t);
        format_time_journal(ts, utc, out, t);
        return t;
}

static Slice slice_or_null(const char *s) {
        return s ? SLICE_STR(s) : SLICE_NULL;
}

/* An event in the columns of out; what it does not have is NULL (JSON null, no CSV field). */
static int add_row(RowWriter *w, TimelineOutput out, const TimelineRow *row, const char *time) {
        char prio[16], usec[24];
        snprintf(prio, sizeof prio, "%d", row->priority);
        snprintf(usec, sizeof usec, "%" PRId64, row->ts);
        Slice node = SLICE_STR(row->node), ident = slice_or_null(row->ident), kinds = slice_or_null(row->kinds),
              source = slice_or_null(row->source), priority = row->priority >= 0 ? SLICE_STR(prio) : SLICE_NULL;
        if (out == OUTPUT_TIMESKETCH) {
                const Slice cols[N_TIMESKETCH_COLUMNS] = { row->message, SLICE_STR(time), SLICE_STR(usec),
                                                           SLICE_STR(TIMESKETCH_TIMESTAMP_DESC), node, ident,
                                                           priority, kinds, source };
                return row_writer_add(w, cols);
        }
        const Slice cols[N_COLUMNS] = { SLICE_STR(time), node, ident, priority, row->message, kinds, source,
                                        SLICE_STR(usec) };
        return row_writer_add(w, cols);
}

/* The result set of out: the timeline's columns, or Timesketch's. */
static int timeline_columns(RowWriter *w, TimelineOutput out) {
        if (out == OUTPUT_TIMESKETCH)
                return row_writer_columns(w, timesketch_names, N_TIMESKETCH_COLUMNS, timesketch_types);
        return row_writer_columns(w, column_names, N_COLUMNS, column_types);
}

static int print_row(const Printer *p, const TimelineRow *row) {
        char t[RFC3339_MAX];
        if (p->out == OUTPUT_CAT) {
                row_print_timeline_cat(stdout, row);
                return 0;
        }
        format_time(row->ts, p->utc, p->out, t);
        if (!p->w) {
                row_print_timeline_text(stdout, row, t, p->color);
                return 0;
        }
        return add_row(p->w, p->out, row, t);
}

static bool output_is_text(TimelineOutput out) {
        return out == OUTPUT_SHORT || out == OUTPUT_SHORT_ISO || out == OUTPUT_SHORT_PRECISE;
}

static RowFormat row_format(TimelineOutput out) {
        if (out == OUTPUT_CSV)
                return ROW_CSV;
        if (out == OUTPUT_JSON_LINES || out == OUTPUT_TIMESKETCH)
                return ROW_JSON_LINES;
        return out == OUTPUT_JSON_SEQ ? ROW_JSON_SEQ : ROW_JSON;
}

/* The rows as they come, or (-n, -r) the ones collected, newest first when reverse. */
static int print_rows(const Printer *p, Timeline *t, bool collect, size_t last, bool reverse) {
        TimelineRow row, **rows = NULL;
        size_t n = 0;
        if (!collect) {
                while (timeline_next(t, &row) > 0) {
                        int r = print_row(p, &row);
                        if (r < 0)
                                return log_error_errno(r, "Cannot format an event of node '%s'", row.node);
                }
                return 0;
        }
        if (timeline_collect(t, last, &rows, &n) < 0)
                return log_oom();
        int r = 0;
        for (size_t i = 0; i < n && r >= 0; i++) {
                const TimelineRow *x = rows[reverse ? n - 1 - i : i];
                if ((r = print_row(p, x)) < 0)
                        log_error_errno(r, "Cannot format an event of node '%s'", x->node);
        }
        timeline_rows_free(rows, n);
        return r;
}


/* Text is the timeline's own line; CSV and JSON go through the row writer (*ret_w, the caller's). */
static int printer_open(Printer *p, RowWriter **ret_w) {
        bool text = output_is_text(arg_output);
        *p = (Printer){ .out = arg_output, .utc = arg_utc };
        /* Text is for a reader: paged on a terminal (not while following: the pager would wait for
         * an end), coloured as --color, NO_COLOR and TERM say. */
        if (text && !arg_follow)
                cli_pager_open();
        p->color = text && cli_color_enabled();
        if (text || arg_output == OUTPUT_CAT)
                return 0;
        int r = row_writer_new(row_format(arg_output), stdout, NULL, ret_w);
        if (r >= 0)
                r = timeline_columns(*ret_w, arg_output);
        if (r < 0)
                return log_oom();
        p->w = *ret_w;
        return 0;
}

/* The events of a that the filter wants: the last -n of them, newest first with -r, when limited
 * (a later batch of -f: all of them, oldest first). */
static int print_events(Store *store, const Analysis *a, const Printer *p, bool limited) {
        /* -n 0 prints no event (the CSV header and JSON brackets stay: the output still parses). */
        if (limited && arg_lines_set && arg_lines == 0)
                return 0;
        _cleanup_(timeline_freep) Timeline *t = NULL;
        const char *node = NULL;
        int r = timeline_open(store, a, &arg_filter, arg_since, arg_until, &t, &node);
        if (r == -ENOENT)
                return log_error("No node '%s' in the database", node), r;
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "Cannot query the events of node '%s': %s", node, store_errmsg(store));
        bool collect = limited && (arg_lines_set || arg_reverse);
        size_t last = arg_lines == SIZE_MAX ? 0 : arg_lines;
        return print_rows(p, t, collect, last, limited && arg_reverse);
}

static volatile sig_atomic_t follow_stop;

static void follow_signal(int sig) {
        follow_stop = 1;
}

/* SIGINT and SIGTERM end -f: its normal end, as for journalctl -f. No SA_RESTART: the wait
 * between polls returns at once. */
static void follow_signals(void) {
        struct sigaction sa = { .sa_handler = follow_signal };
        sigemptyset(&sa.sa_mask);
        (void) sigaction(SIGINT, &sa, NULL);
        (void) sigaction(SIGTERM, &sa, NULL);
}

/* A batch -f finds: the events stored since seen_event, with every node's clock offset measured
 * anew when a node came (its events would have no head in the old analysis). */
static int follow_batch(Store *store, Analysis **a, const Printer *p, int64_t seen_event, int64_t last_event,
                        bool new_node) {
        if (new_node) {
                *a = analysis_free(*a);
                if (correlate_nodes_and_clocks(store, arg_since, arg_until, a) < 0)
                        return log_error("Cannot read the database: %s", store_errmsg(store)), -EIO;
        }
        arg_filter.after_event_id = seen_event;
        arg_filter.upto_event_id = last_event;
        return print_events(store, *a, p, false);
}

/* -f: the last events (10 unless -n says), then what ingest, collect or scan store, batch by batch
 * (each in time order), until interrupted. */
static int follow(Store *store, Analysis **a, const Printer *p) {
        int64_t seen_event, seen_node;
        int r = timeline_last_ids(store, &seen_event, &seen_node);
        if (r < 0)
                return log_error_errno(r, "Cannot read the database: %s", store_errmsg(store));
        arg_filter.upto_event_id = seen_event;
        if ((r = print_events(store, *a, p, true)) < 0)
                return r;
        follow_signals();
        while (!follow_stop) {
                /* A reader that went away ends the loop (and SIGPIPE the process, as for journalctl). */
                if (fflush(stdout) != 0)
                        return 0;
                (void) nanosleep(&(struct timespec){ .tv_nsec = FOLLOW_POLL_NSEC }, NULL);
                int64_t last_event, last_node;
                if ((r = timeline_last_ids(store, &last_event, &last_node)) < 0)
                        return log_error_errno(r, "Cannot read the database: %s", store_errmsg(store));
                if (last_event <= seen_event)
                        continue;
                if ((r = follow_batch(store, a, p, seen_event, last_event, last_node != seen_node)) < 0)
                        return r;
                seen_event = last_event;
                seen_node = last_node;
        }
        return 0;
}

/* node, index, boot_id, first, last */
#define N_BOOT_COLUMNS 5
static const char *const boot_column_names[N_BOOT_COLUMNS] = { "node", "index", "boot_id", "first", "last" };
static const RowType boot_column_types[N_BOOT_COLUMNS] = { [1] = ROW_INTEGER };

/* A time of the output's kind; one not known is NULL: JSON null, no CSV field, an empty cell. */
static Slice time_cell(usec_t t, char buf[static RFC3339_MAX]) {
        return t == USEC_INVALID ? SLICE_NULL : SLICE_STR(format_time(t, arg_utc, arg_output, buf));
}

static int print_boot(const TimelineBoot *b, void *userdata) {
        RowWriter *w = userdata;
        char index[16], first[RFC3339_MAX], last[RFC3339_MAX];
        snprintf(index, sizeof index, "%d", b->index);
        const Slice cols[N_BOOT_COLUMNS] = { SLICE_STR(b->node), SLICE_STR(index), slice_or_null(b->boot_id),
                                             time_cell(b->first, first), time_cell(b->last, last) };
        return row_writer_add(w, cols);
}

/* journalctl --list-boots for every node: the text modes are a table. */
static int list_boots(Store *store, const Analysis *a) {
        bool table = output_is_text(arg_output) || arg_output == OUTPUT_CAT;
        _cleanup_(row_writer_freep) RowWriter *w = NULL;
        int r = row_writer_new(table ? ROW_TABLE : row_format(arg_output), stdout, NULL, &w);
        if (r >= 0)
                r = row_writer_columns(w, boot_column_names, N_BOOT_COLUMNS, boot_column_types);
        if (r < 0)
                return log_oom();
        r = timeline_boots(store, a, &arg_filter, print_boot, w);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "Cannot read the boots: %s", store_errmsg(store));
        return row_writer_finish(w) < 0 ? log_oom() : 0;
}

enum { ARG_NODE = 0x100, ARG_KIND, ARG_UTC, ARG_FORMAT, ARG_LINES, ARG_BOOT, ARG_LIST_BOOTS };

static const struct option options[] = {
        { "since", required_argument, NULL, 'S' },   { "until", required_argument, NULL, 'U' },
        { "node", required_argument, NULL, ARG_NODE }, { "kind", required_argument, NULL, ARG_KIND },
        { "grep", required_argument, NULL, 'g' },    { "priority", required_argument, NULL, 'p' },
        { "utc", no_argument, NULL, ARG_UTC },       { "format", required_argument, NULL, ARG_FORMAT },
        { "output", required_argument, NULL, 'o' },  { "unit", required_argument, NULL, 'u' },
        { "identifier", required_argument, NULL, 't' }, { "lines", optional_argument, NULL, ARG_LINES },
        { "reverse", no_argument, NULL, 'r' },       { "boot", optional_argument, NULL, ARG_BOOT },
        { "list-boots", no_argument, NULL, ARG_LIST_BOOTS }, { "follow", no_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        {},
};

static void timeline_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] [--tz ZONE] timeline [--since T] [--until T] [--node N] [--kind K]\n"
                   "                [--unit U] [--identifier ID] [--grep REGEX] [--priority P] [--lines[=N]]\n"
                   "                [--boot[=ID|-N]] [--reverse] [--follow] [--utc] [--output MODE]\n"
                   "                [--format text|csv|json|jsonl]\n"
                   "       cascade timeline --list-boots [--node N] [--utc] [--output MODE]\n\n"
                   "Every node's events merged into one timeline, clock skew corrected, with their tags.\n"
                   "Options as journalctl's; the ones that select events may be repeated (any of them).\n"
                   "  -S, --since T        events from T on\n"
                   "  -U, --until T        events before T\n"
                   "  --node N             events of node N\n"
                   "  --kind K             events tagged K or under it (--kind ha = --kind ha.); a prefix\n"
                   "                       when K ends in '*' (--kind knet*)\n"
                   "  -u, --unit U         events of systemd unit U (corosync = corosync.service); for events\n"
                   "                       without a stored unit (text logs), the identifier is the name\n"
                   "  -t, --identifier ID  events of syslog identifier ID\n"
                   "  -g, --grep REGEX     messages matching a PCRE2 regex\n"
                   "  -p, --priority P     this syslog priority or more important (0-7 or emerg..debug), or\n"
                   "                       a range FROM..TO (err..warning)\n"
                   "  -n, --lines[=N]      the last N events (N: 10 when not given; all: every one)\n"
                   "  -r, --reverse        newest first\n"
                   "  -f, --follow         the last events (-n, 10 by default), then the events ingest,\n"
                   "                       collect or scan store, as they come, until interrupted\n"
                   "  -b, --boot[=ID|-N]   each node's last boot (0, when not given), the one before (-1),\n"
                   "                       its first (1), or the boot ID\n"
                   "  --list-boots         every node's boots: index, boot id, first and last event\n"
                   "  --utc                times in UTC (default: text in --tz, else local; see below)\n"
                   "  -o, --output MODE    short (the default), short-iso, short-precise, cat, csv, json (an\n"
                   "                       object per line), json-seq (RFC 7464), jsonl (Timesketch)\n"
                   "  --format F           text, csv, json (one array) or jsonl (as -o jsonl)\n"
                   "CSV and JSON times are RFC 3339 to the µs, UTC ('Z') unless --tz names a zone (then\n"
                   "with its offset), with ts_usec (µs since the epoch); kinds is an array. jsonl is\n"
                   "Timesketch's import: message, datetime, timestamp (µs), timestamp_desc, node,\n"
                   "identifier, priority, tag (the kinds) and source, an object per line.\n"
                   "TIME as journalctl takes it (systemd.time(7)): '2025-11-25 08:10', '1h ago', today, @EPOCH.\n"
                   "Text on a terminal goes through the pager and is coloured (see --color, --no-pager,\n"
                   "NO_COLOR); control characters of log text are never printed.\n");
}

static int parse_format(const char *s) {
        if (streq(s, "text"))
                arg_output = OUTPUT_SHORT;
        else if (streq(s, "csv"))
                arg_output = OUTPUT_CSV;
        else if (streq(s, "json"))
                arg_output = OUTPUT_JSON;
        else if (streq(s, "jsonl"))
                arg_output = OUTPUT_TIMESKETCH;
        else
                return log_error("Unknown format '%s' (text, csv, json, jsonl)", s), -EINVAL;
        return 0;
}

static int parse_output(const char *s) {
        static const struct {
                const char *name;
                TimelineOutput out;
        } modes[] = {
                { "short", OUTPUT_SHORT }, { "short-iso", OUTPUT_SHORT_ISO }, { "short-precise", OUTPUT_SHORT_PRECISE },
                { "cat", OUTPUT_CAT },     { "csv", OUTPUT_CSV },             { "json", OUTPUT_JSON_LINES },
                { "json-seq", OUTPUT_JSON_SEQ }, { "jsonl", OUTPUT_TIMESKETCH },
        };
        for (size_t i = 0; i < ELEMENTSOF(modes); i++)
                if (streq(s, modes[i].name)) {
                        arg_output = modes[i].out;
                        return 0;
                }
        return log_error("Unknown output mode '%s' (short, short-iso, short-precise, cat, csv, json, json-seq, "
                         "jsonl)", s),
               -EINVAL;
}

/* -n N: a count, "all" (SIZE_MAX: no limit), or no value (10). */
static int parse_lines(const char *s) {
        arg_lines_set = true;
        if (!s) {
                arg_lines = 10;
                return 0;
        }
        if (streq(s, "all")) {
                arg_lines = SIZE_MAX;
                return 0;
        }
        char *end;
        errno = 0;
        unsigned long long n = strtoull(s, &end, 10);
        if (!isdigit((unsigned char) *s) || *end || errno || n >= SIZE_MAX)
                return log_error("Bad number of lines '%s' (a count, or all)", s), -EINVAL;
        arg_lines = (size_t) n;
        return 0;
}

static int add_name(TimelineNames *l, const char *name) {
        return timeline_names_add(l, name) < 0 ? log_oom() : 0;
}

static int timeline_option(int c, const char *arg) {
        switch (c) {
        case 'S': arg_since_text = arg; return 0;
        case 'U': arg_until_text = arg; return 0;
        case ARG_NODE: return add_name(&arg_filter.nodes, arg);
        case ARG_KIND: return add_name(&arg_filter.kinds, arg);
        case 'u': return add_name(&arg_filter.units, arg);
        case 't': return add_name(&arg_filter.idents, arg);
        case 'g': arg_grep = arg; return 0;
        case 'r': arg_reverse = true; return 0;
        case ARG_LIST_BOOTS: arg_list_boots = true; return 0;
        case 'f': arg_follow = true; return 0;
        case 'b':
        case ARG_BOOT:
                if (timeline_filter_boot(&arg_filter, arg ? arg : "0") < 0)
                        return log_error("Bad boot '%s' (a boot id, or 0, -N, N)", arg), -EINVAL;
                return 0;
        case ARG_UTC: arg_utc = true; return 0;
        case 'n':
        case ARG_LINES: return parse_lines(arg);
        case 'p':
                if (timeline_priority_range_from_string(arg, &arg_filter.priority_min, &arg_filter.priority) < 0)
                        return log_error("Unknown priority '%s' (0-7, emerg..debug, or FROM..TO)", arg), -EINVAL;
                return 0;
        case ARG_FORMAT:
                return parse_format(arg);
        case 'o':
                return parse_output(arg);
        default:
                return -EINVAL;
        }
}

/* '-n 5', '-b -1': the next word is the value of -n when it is a count or "all", of -b when it is a
 * boot (timeline takes no arguments, so nothing else could be meant). */
static bool timeline_is_option_value(int c, const char *next) {
        TimelineFilter probe = TIMELINE_FILTER_INIT;
        switch (c) {
        case 'n':
        case ARG_LINES:
                return streq(next, "all") || (isdigit((unsigned char) next[0]) && next[strspn(next, "0123456789")] == 0);
        case 'b':
        case ARG_BOOT:
                return !isspace((unsigned char) next[0]) && timeline_filter_boot(&probe, next) >= 0;
        default:
                return false;
        }
}

/* -f prints lines as they come: no newest-first, no end, no JSON array that would never close. */
static int check_follow(void) {
        if (!arg_follow)
                return 0;
        if (arg_reverse || arg_until_text || arg_list_boots || arg_output == OUTPUT_JSON)
                return log_error("--follow cannot be combined with %s",
                                 arg_reverse ? "--reverse" : arg_until_text ? "--until" :
                                 arg_list_boots ? "--list-boots" : "--format json (-o json: an object per line)"),
                       -EINVAL;
        if (!arg_lines_set) {
                arg_lines_set = true;
                arg_lines = 10;
        }
        return 0;
}

static int timeline_check(char **args, int n_args) {
        int r = cli_parse_window(arg_since_text, arg_until_text, &arg_since, &arg_until);
        if (r >= 0)
                r = check_follow();
        if (r < 0)
                return r;
        char msg[160];
        size_t off;
        if (arg_grep && timeline_filter_grep(&arg_filter, arg_grep, msg, sizeof msg, &off) < 0)
                return log_error("--grep: %s at offset %zu", msg, off), -EINVAL;
        return 0;
}

static int timeline_run(const VerbContext *ctx) {
        _cleanup_(analysis_freep) Analysis *a = NULL;
        /* The clock offsets the correlator measures over the window (ring ids logged by every member). */
        if (correlate_nodes_and_clocks(ctx->store, arg_since, arg_until, &a) < 0)
                return log_error("Cannot read the database: %s", store_errmsg(ctx->store)), EXIT_FAILED;
        if (arg_list_boots)
                return list_boots(ctx->store, a) < 0 ? EXIT_FAILED : EXIT_OK;
        Printer p;
        _cleanup_(row_writer_freep) RowWriter *w = NULL;
        int r = printer_open(&p, &w);
        if (r >= 0)
                r = arg_follow ? follow(ctx->store, &a, &p) : print_events(ctx->store, a, &p, true);
        if (r >= 0 && w && row_writer_finish(w) < 0)
                r = log_oom();
        return r < 0 ? EXIT_FAILED : EXIT_OK;
}

static void timeline_done(void) {
        timeline_filter_done(&arg_filter);
}

const VerbOps verb_timeline_ops = {
        .options = options,
        .short_options = "hS:U:g:p:o:u:t:n::rb::f",
        .option = timeline_option,
        .is_option_value = timeline_is_option_value,
        .check = timeline_check,
        .help = timeline_help,
        .run = timeline_run,
        .done = timeline_done,
};
