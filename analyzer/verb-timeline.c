/* verb-timeline.c: `cascade timeline`: options, and the merged timeline (correlate-timeline.c)
 * printed as text (coloured on a terminal), CSV or JSON by the row writer (report-rows.c). */
#include "cli.h"
#include "correlate-timeline.h"
#include "log.h"
#include "report-rows.h"

typedef enum TimelineFormat {
        TIMELINE_TEXT,
        TIMELINE_CSV,
        TIMELINE_JSON,
} TimelineFormat;

/* ts, node, identifier, priority, message, kinds, source */
#define N_COLUMNS 7
static const char *const column_names[N_COLUMNS] = { "ts", "node", "identifier", "priority", "message", "kinds", "source" };
/* The priority is a JSON number, or null when the event has none. */
static const RowType column_types[N_COLUMNS] = { [3] = ROW_INTEGER };

static int print_row(RowWriter *w, const TimelineRow *row, bool utc, bool color) {
        char t[RFC3339_MAX];
        if (utc)
                time_format_rfc3339(row->ts, t);
        else
                time_format_local(row->ts, true, t);
        if (!w) {
                row_print_timeline_text(stdout, row, t, color);
                return 0;
        }
        char prio[16] = "";
        if (row->priority >= 0)
                snprintf(prio, sizeof prio, "%d", row->priority);
        const Slice cols[N_COLUMNS] = { SLICE_STR(t), SLICE_STR(row->node), SLICE_STR(strempty(row->ident)),
                                        SLICE_STR(prio), row->message, SLICE_STR(strempty(row->kinds)),
                                        SLICE_STR(strempty(row->source)) };
        return row_writer_add(w, cols);
}

/* Text is the timeline's own line; CSV and JSON go through the row writer. */
static int print_timeline(Timeline *t, TimelineFormat fmt, bool utc) {
        const char *no_color = getenv("NO_COLOR");
        bool color = fmt == TIMELINE_TEXT && isatty(STDOUT_FILENO) && !(no_color && *no_color);
        _cleanup_(row_writer_freep) RowWriter *w = NULL;
        if (fmt != TIMELINE_TEXT) {
                int r = row_writer_new(fmt == TIMELINE_CSV ? ROW_CSV : ROW_JSON, stdout, NULL, &w);
                if (r >= 0)
                        r = row_writer_columns(w, column_names, N_COLUMNS, column_types);
                if (r < 0)
                        return log_oom();
        }
        TimelineRow row;
        while (timeline_next(t, &row) > 0) {
                int r = print_row(w, &row, utc, color);
                if (r < 0)
                        return log_error_errno(r, "Cannot format an event of node '%s'", row.node);
        }
        if (w && row_writer_finish(w) < 0)
                return log_oom();
        return 0;
}

static TimelineFilter arg_filter = TIMELINE_FILTER_INIT;
static const char *arg_since_text, *arg_until_text, *arg_grep;
static usec_t arg_since = USEC_INVALID, arg_until = USEC_INVALID;
static TimelineFormat arg_format = TIMELINE_TEXT;
static bool arg_utc;

enum { ARG_SINCE = 0x100, ARG_UNTIL, ARG_NODE, ARG_KIND, ARG_GREP, ARG_PRIORITY, ARG_UTC, ARG_FORMAT };

static const struct option options[] = {
        { "since", required_argument, NULL, ARG_SINCE }, { "until", required_argument, NULL, ARG_UNTIL },
        { "node", required_argument, NULL, ARG_NODE },   { "kind", required_argument, NULL, ARG_KIND },
        { "grep", required_argument, NULL, ARG_GREP },   { "priority", required_argument, NULL, ARG_PRIORITY },
        { "utc", no_argument, NULL, ARG_UTC },           { "format", required_argument, NULL, ARG_FORMAT },
        { "help", no_argument, NULL, 'h' },              {},
};

static void timeline_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] [--tz ZONE] timeline [--since T] [--until T] [--node N] [--kind K]\n"
                   "                [--grep REGEX] [--priority P] [--utc] [--format text|csv|json]\n\n"
                   "Every node's events merged into one timeline, clock skew corrected, with their tags.\n"
                   "  --node N       one node only\n"
                   "  --kind K       events tagged K (a prefix when K ends in '.' or '*': --kind corosync.)\n"
                   "  --grep REGEX   messages matching a PCRE2 regex\n"
                   "  --priority P   at most this syslog priority (0-7 or emerg..debug)\n"
                   "  --utc          times in UTC (default: --tz, else local)\n"
                   "TIME: absolute ('2025-11-25 08:10'), relative (-2h, -30min), today, yesterday. Colour on a\n"
                   "terminal unless NO_COLOR is set; control characters of log text are never printed.\n");
}

static int parse_format(const char *s) {
        if (streq(s, "text"))
                arg_format = TIMELINE_TEXT;
        else if (streq(s, "csv"))
                arg_format = TIMELINE_CSV;
        else if (streq(s, "json"))
                arg_format = TIMELINE_JSON;
        else
                return log_error("Unknown format '%s' (text, csv, json)", s), -EINVAL;
        return 0;
}

static int timeline_option(int c, const char *arg) {
        switch (c) {
        case ARG_SINCE: arg_since_text = arg; return 0;
        case ARG_UNTIL: arg_until_text = arg; return 0;
        case ARG_NODE: arg_filter.node = arg; return 0;
        case ARG_KIND: arg_filter.kind = arg; return 0;
        case ARG_GREP: arg_grep = arg; return 0;
        case ARG_UTC: arg_utc = true; return 0;
        case ARG_PRIORITY:
                if ((arg_filter.priority = timeline_priority_from_string(arg)) < 0)
                        return log_error("Unknown priority '%s' (0-7, emerg..debug)", arg), -EINVAL;
                return 0;
        case ARG_FORMAT:
                return parse_format(arg);
        default:
                return -EINVAL;
        }
}

static int timeline_check(char **args, int n_args) {
        int r = cli_parse_window(arg_since_text, arg_until_text, &arg_since, &arg_until);
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
        /* Declared after the analysis: cleanups run in reverse, and the timeline's statements must
         * be finalized before main closes the store. */
        _cleanup_(timeline_freep) Timeline *t = NULL;
        const char *node = NULL;
        /* The clock offsets the correlator measures over the window (ring ids logged by every member). */
        if (correlate_nodes_and_clocks(ctx->store, arg_since, arg_until, &a) < 0)
                return log_error("Cannot read the database: %s", store_errmsg(ctx->store)), EXIT_FAILED;
        int r = timeline_open(ctx->store, a, &arg_filter, arg_since, arg_until, &t, &node);
        if (r == -ENOENT)
                return log_error("No node '%s' in the database", arg_filter.node), EXIT_FAILED;
        if (r == -ENOMEM)
                return log_oom(), EXIT_FAILED;
        if (r < 0)
                return log_error_errno(r, "Cannot query the events of node '%s': %s", node, store_errmsg(ctx->store)),
                       EXIT_FAILED;
        return print_timeline(t, arg_format, arg_utc) < 0 ? EXIT_FAILED : EXIT_OK;
}

static void timeline_done(void) {
        timeline_filter_done(&arg_filter);
}

const VerbOps verb_timeline_ops = {
        .options = options,
        .short_options = "h",
        .option = timeline_option,
        .check = timeline_check,
        .help = timeline_help,
        .run = timeline_run,
        .done = timeline_done,
};
