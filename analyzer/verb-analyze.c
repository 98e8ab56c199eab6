/* verb-analyze.c: `cascade analyze` and `cascade report`: the correlator over a window, its incidents
 * printed (text or JSON) or written as the Markdown postmortem (or the same JSON). */
#include "cli.h"
#include "correlate.h"
#include "fs-util.h"
#include "log.h"
#include "report-redact.h"
#include "report.h"
#include "store-analysis.h"

/* Both verbs: the window's text from the options, its times once checked. */
static const char *arg_since_text, *arg_until_text;
static usec_t arg_since = USEC_INVALID, arg_until = USEC_INVALID;

static int check_window(char **args, int n_args) {
        return cli_parse_window(arg_since_text, arg_until_text, &arg_since, &arg_until);
}

static int analysis(const VerbContext *ctx, Analysis **ret) {
        int r = correlate_analyze(ctx->store, ctx->patterns, arg_since, arg_until, ret);
        if (r < 0)
                return log_error_errno(r, "Analysis failed: %s", store_errmsg(ctx->store));
        return 0;
}

/* ---- analyze ---- */

static bool arg_json;

enum { ARG_SINCE = 0x100, ARG_UNTIL, ARG_FORMAT, ARG_INCIDENT, ARG_REDACT };

static const struct option analyze_options[] = {
        { "since", required_argument, NULL, ARG_SINCE },
        { "until", required_argument, NULL, ARG_UNTIL },
        { "format", required_argument, NULL, ARG_FORMAT },
        { "help", no_argument, NULL, 'h' },
        {},
};

static void analyze_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] [--tz ZONE] analyze [--since TIME] [--until TIME] [--format text|json]\n\n"
                   "Find the incidents in the stored logs: when the cluster was degraded, how, and why.\n"
                   "JSON times are RFC 3339 to the µs, UTC unless --tz names a zone (then with its offset);\n"
                   "text times are in --tz. When the database is writable, what is found is kept in its\n"
                   "history (the incidents, boots and membership views of 'cascade query'): it replaces what\n"
                   "an earlier analysis found in the same window; incidents outside the window stay.\n");
}

static int analyze_option(int c, const char *arg) {
        switch (c) {
        case ARG_SINCE:
                arg_since_text = arg;
                return 0;
        case ARG_UNTIL:
                arg_until_text = arg;
                return 0;
        case ARG_FORMAT:
                if (!streq(arg, "text") && !streq(arg, "json"))
                        return log_error("Unknown format '%s' (text, json)", arg), -EINVAL;
                arg_json = streq(arg, "json");
                return 0;
        default:
                return -EINVAL;
        }
}

static void print_text(const Analysis *a) {
        char t1[RFC3339_MAX], t2[RFC3339_MAX], safe[1024];
        if (a->n_incidents == 0)
                printf("no incident found\n");
        for (size_t i = 0; i < a->n_incidents; i++) {
                const Incident *inc = &a->incidents[i];
                printf("incident %d  %s .. %s  %s  %s  members>=%d/%d  degraded %.0fs  quorum %s\n", inc->id,
                       time_format_local(inc->start, false, t1), time_format_local(inc->end, false, t2) + 11,
                       classification_to_string(inc->classification), incident_severity_to_string(inc->severity), inc->min_members, inc->nodes_expected, inc->degraded_seconds,
                       inc->quorum_lost ? "LOST" : "kept");
                if (inc->n_hypotheses) {
                        const Hypothesis *h = &inc->hypotheses[0];
                        log_sanitize(h->summary, strlen(h->summary), safe, sizeof safe);
                        printf("  root cause (%.0f%%): %s\n", h->confidence * 100, safe);
                }
                for (size_t k = 0; k < inc->n_timeline; k++) {
                        const TimelineEntry *e = &inc->timeline[k];
                        log_sanitize(e->summary, strlen(e->summary), safe, sizeof safe);
                        printf("  %s  %-22s %s\n", time_format_local(e->ts, false, t1) + 11, e->kind, safe);
                }
        }
}

/* Both verbs' JSON: UTC, or the zone --tz names. */
static void render_json(const Analysis *a, int incident, StrBuf *out) {
        ReportJsonOptions opts = { .incident = incident, .in_zone = arg_global.tz != NULL };
        report_json_with(a, &opts, out);
}

static int print_json(const Analysis *a) {
        StrBuf out = STRBUF_INIT;
        render_json(a, 0, &out);
        int r = strbuf_error(&out);
        if (r >= 0)
                fwrite(out.buf, 1, out.len, stdout);
        strbuf_release(&out);
        if (r < 0)
                return log_error_errno(r, "Cannot render the analysis as JSON"), EXIT_FAILED;
        return EXIT_OK;
}

static int analyze_run(const VerbContext *ctx) {
        _cleanup_(analysis_freep) Analysis *a = NULL;
        if (analysis(ctx, &a) < 0)
                return EXIT_FAILED;
        /* Kept for the incidents/boots/membership views when the database can be written (the
         * table opens it writable when it can). */
        int r = store_analysis_save(ctx->store, a, now_usec(), NULL);
        if (r < 0 && r != -EROFS)
                log_warning_errno(r, "Cannot keep the analysis for the views");
        if (!arg_json) {
                print_text(a);
                return EXIT_OK;
        }
        return print_json(a);
}

const VerbOps verb_analyze_ops = {
        .options = analyze_options,
        .short_options = "h",
        .option = analyze_option,
        .check = check_window,
        .help = analyze_help,
        .run = analyze_run,
};

/* ---- report ---- */

static ReportOptions arg_report;
static const char *arg_output;
static bool arg_report_json;
static char arg_random_key[33];

static const struct option report_options[] = {
        { "since", required_argument, NULL, ARG_SINCE },
        { "until", required_argument, NULL, ARG_UNTIL },
        { "incident", required_argument, NULL, ARG_INCIDENT },
        { "redact", no_argument, NULL, ARG_REDACT },
        { "format", required_argument, NULL, ARG_FORMAT },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        {},
};

static void report_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] [--tz ZONE] report [--incident N | --since T --until T] [--redact]\n"
                   "                [--format markdown|json] [-o FILE]\n\n"
                   "Write the Markdown postmortem of the incidents found (all, or incident N as numbered by\n"
                   "'cascade analyze' over the same window). Times are shown in --tz.\n"
                   "  --incident N       only incident N\n"
                   "  --since T, --until T  the window to analyze (default: the whole store)\n"
                   "  --format F         markdown (the default), or json: the incident objects of 'cascade\n"
                   "                     analyze --format json' for the same selection\n"
                   "  -o, --output FILE  write the report to FILE (mode 0600); '-' or none: standard output\n"
                   "  --redact           mask IP addresses, user and host names, SSH key fingerprints and the\n"
                   "                     directories of the sources (their file names stay) with consistent\n"
                   "                     tokens, stable across reports with $CASCADE_REDACT_KEY\n");
}

/* $CASCADE_REDACT_KEY keeps tokens stable across reports; else a fresh random key per report. */
static const char *redact_key(char buf[static 33]) {
        const char *key = getenv("CASCADE_REDACT_KEY");
        if (key && *key)
                return key;
        return redactor_random_key(buf) < 0 ? NULL : buf;
}

static int report_option(int c, const char *arg) {
        char *end;
        long n;
        switch (c) {
        case ARG_SINCE:
                arg_since_text = arg;
                return 0;
        case ARG_UNTIL:
                arg_until_text = arg;
                return 0;
        case ARG_INCIDENT:
                n = strtol(arg, &end, 10);
                if (*end || n < 1 || n > 1000000)
                        return log_error("Invalid incident number '%s'", arg), -EINVAL;
                arg_report.incident = (int) n;
                return 0;
        case 'o':
                arg_output = arg;
                return 0;
        case ARG_FORMAT:
                if (!streq(arg, "markdown") && !streq(arg, "json"))
                        return log_error("Unknown format '%s' (markdown, json)", arg), -EINVAL;
                arg_report_json = streq(arg, "json");
                return 0;
        case ARG_REDACT:
                arg_report.redact_key = redact_key(arg_random_key);
                if (!arg_report.redact_key)
                        return log_error("Cannot read /dev/urandom for --redact"), -EIO;
                return 0;
        default:
                return -EINVAL;
        }
}

/* To -o FILE (private: reports hold log text, like the database) or standard output. */
static int report_write(const StrBuf *out) {
        int r;
        /* '-' is standard output, as for every tool that takes -o (it used to create a file named '-'). */
        if (arg_output && !streq(arg_output, "-"))
                r = write_private(arg_output, out);
        else
                r = fwrite(out->buf, 1, out->len, stdout) == out->len ? 0 : -EIO;
        if (r < 0)
                return log_error_errno(r, "Cannot write '%s'", arg_output && !streq(arg_output, "-") ? arg_output : "stdout"),
                       EXIT_FAILED;
        return EXIT_OK;
}

/* The redactor knows the Markdown report's spellings of names; JSON would keep some of them. */
static int report_check(char **args, int n_args) {
        if (arg_report_json && arg_report.redact_key)
                return log_error("--redact is for the Markdown report, not --format json"), -EINVAL;
        return check_window(args, n_args);
}

static int report_run(const VerbContext *ctx) {
        _cleanup_(analysis_freep) Analysis *a = NULL;
        if (analysis(ctx, &a) < 0)
                return EXIT_FAILED;
        ReportOptions ro = arg_report;
        ro.tz_name = arg_global.tz ? arg_global.tz : "local time";
        if (ro.incident > 0 && (size_t) ro.incident > a->n_incidents)
                return log_error("No incident %d: the window has %zu", ro.incident, a->n_incidents), EXIT_FAILED;
        StrBuf out = STRBUF_INIT;
        int r = 0;
        if (arg_report_json)
                render_json(a, ro.incident, &out);
        else
                r = report_markdown(a, &ro, &out);
        if (r >= 0)
                r = strbuf_error(&out);
        int status = r < 0 ? (log_error_errno(r, "Cannot render the report"), EXIT_FAILED) : report_write(&out);
        strbuf_release(&out);
        return status;
}

const VerbOps verb_report_ops = {
        .options = report_options,
        .short_options = "o:h",
        .option = report_option,
        .check = report_check,
        .help = report_help,
        .run = report_run,
};
