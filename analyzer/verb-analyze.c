/* verb-analyze.c: `cascade analyze` and `cascade report`: run the correlator over a window and
 * print incidents (text or JSON) or write the Markdown postmortem. */
#include <fcntl.h>
#include <getopt.h>

#include "cli.h"
#include "correlate.h"
#include "log.h"
#include "report.h"
#include "store-analysis.h"

typedef struct WindowArgs {
        const char *since, *until;
} WindowArgs;

static int parse_window(const WindowArgs *w, usec_t *since, usec_t *until) {
        usec_t now = now_usec();
        *since = *until = USEC_INVALID;
        if (w->since && time_parse_user(w->since, now, since) < 0)
                return log_error("Invalid time '%s' for --since", w->since), -EINVAL;
        if (w->until && time_parse_user(w->until, now, until) < 0)
                return log_error("Invalid time '%s' for --until", w->until), -EINVAL;
        return 0;
}

/* keep: store the results for the incidents/boots/membership views, when the database can be
 * written (evidence on read-only media is analysed all the same). */
static int run_analysis(usec_t since, usec_t until, bool keep, Analysis **ret) {
        _cleanup_(pattern_set_freep) PatternSet *set = NULL;
        _cleanup_(store_closep) Store *store = NULL;
        /* The library only adds advice here; an analysis without it is still an analysis. */
        if (cli_load_patterns(&set) < 0)
                log_warning("Analysing without the pattern library's advice");
        _cleanup_free_ char *db = NULL;
        if (cli_db_path(&db) < 0)
                return -EIO;
        if (keep && access(db, W_OK) == 0 && store_open(db, STORE_READ_WRITE, &store) < 0)
                store = NULL;
        if (!store && cli_open_store(STORE_READ_ONLY, &store) < 0)
                return -EIO;
        int r = correlate_analyze(store, set, since, until, ret);
        if (r < 0)
                return log_error_errno(r, "Analysis failed: %s", store_errmsg(store));
        if (keep && (r = store_analysis_save(store, *ret)) < 0 && r != -EROFS)
                log_warning_errno(r, "Cannot keep the analysis for the views");
        return 0;
}

/* --since/--until and the analysis over that window; EXIT_OK, or the exit code of the failure. */
static int window_analysis(const WindowArgs *w, bool keep, Analysis **ret) {
        usec_t since, until;
        if (parse_window(w, &since, &until) < 0)
                return EXIT_USAGE;
        return run_analysis(since, until, keep, ret) < 0 ? EXIT_FAILED : EXIT_OK;
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

int verb_analyze(int argc, char *argv[]) {
        enum { ARG_SINCE = 0x100, ARG_UNTIL, ARG_FORMAT };
        static const struct option options[] = {
                { "since", required_argument, NULL, ARG_SINCE },
                { "until", required_argument, NULL, ARG_UNTIL },
                { "format", required_argument, NULL, ARG_FORMAT },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        WindowArgs w = { 0 };
        bool json = false;
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case ARG_SINCE:
                        w.since = optarg;
                        break;
                case ARG_UNTIL:
                        w.until = optarg;
                        break;
                case ARG_FORMAT:
                        if (!streq(optarg, "text") && !streq(optarg, "json"))
                                return log_error("Unknown format '%s' (text, json)", optarg), EXIT_USAGE;
                        json = streq(optarg, "json");
                        break;
                case 'h':
                        printf("Usage: cascade [--db PATH] [--tz ZONE] analyze [--since TIME] [--until TIME] [--format text|json]\n\n"
                               "Find the incidents in the stored logs: when the cluster was degraded, how, and why.\n"
                               "JSON times are RFC 3339 UTC; text times are in --tz. The results are kept for the\n"
                               "incidents, boots and membership views of 'cascade query' (when the database is writable).\n");
                        return EXIT_OK;
                default:
                        return EXIT_USAGE;
                }
        if (optind < argc)
                return log_error("'analyze' takes no arguments"), EXIT_USAGE;
        _cleanup_(analysis_freep) Analysis *a = NULL;
        int k = window_analysis(&w, true, &a);
        if (k != EXIT_OK)
                return k;
        if (!json) {
                print_text(a);
                return EXIT_OK;
        }
        StrBuf out = STRBUF_INIT;
        report_json(a, &out);
        int r = strbuf_error(&out);
        if (r >= 0)
                fwrite(out.buf, 1, out.len, stdout);
        strbuf_release(&out);
        if (r < 0)
                return log_error_errno(r, "Cannot render the analysis as JSON"), EXIT_FAILED;
        return EXIT_OK;
}

/* Reports hold log text: like the database, they are private to their owner. */
static int write_private(const char *path, const StrBuf *text) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        int r = strbuf_write_fd(text, fd);
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        return r;
}

/* $CASCADE_REDACT_KEY keeps tokens stable across reports; else a fresh random key per report. */
static const char *redact_key(char buf[static 33]) {
        const char *key = getenv("CASCADE_REDACT_KEY");
        if (key && *key)
                return key;
        _cleanup_fclose_ FILE *f = fopen("/dev/urandom", "re");
        unsigned char b[16];
        if (!f || fread(b, 1, sizeof b, f) != sizeof b)
                return NULL;
        for (size_t i = 0; i < sizeof b; i++)
                snprintf(buf + 2 * i, 3, "%02x", b[i]);
        return buf;
}

int verb_report(int argc, char *argv[]) {
        enum { ARG_SINCE = 0x100, ARG_UNTIL, ARG_INCIDENT, ARG_REDACT };
        static const struct option options[] = {
                { "since", required_argument, NULL, ARG_SINCE },
                { "until", required_argument, NULL, ARG_UNTIL },
                { "incident", required_argument, NULL, ARG_INCIDENT },
                { "redact", no_argument, NULL, ARG_REDACT },
                { "output", required_argument, NULL, 'o' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        WindowArgs w = { 0 };
        ReportOptions ro = { .tz_name = arg_global.tz ? arg_global.tz : "local time" };
        const char *output = NULL;
        char random_key[33];
        int c;
        while ((c = getopt_long(argc, argv, "o:h", options, NULL)) >= 0)
                switch (c) {
                case ARG_SINCE:
                        w.since = optarg;
                        break;
                case ARG_UNTIL:
                        w.until = optarg;
                        break;
                case ARG_INCIDENT: {
                        char *end;
                        long n = strtol(optarg, &end, 10);
                        if (*end || n < 1 || n > 1000000)
                                return log_error("Invalid incident number '%s'", optarg), EXIT_USAGE;
                        ro.incident = (int) n;
                        break;
                }
                case 'o':
                        output = optarg;
                        break;
                case ARG_REDACT:
                        ro.redact_key = redact_key(random_key);
                        if (!ro.redact_key)
                                return log_error("Cannot read /dev/urandom for --redact"), EXIT_FAILED;
                        break;
                case 'h':
                        printf("Usage: cascade [--db PATH] [--tz ZONE] report [--incident N | --since T --until T] [--redact] [-o FILE]\n\n"
                               "Write the Markdown postmortem of the incidents found (all, or incident N as numbered by\n"
                               "'cascade analyze' over the same window). Times are shown in --tz.\n"
                               "  --incident N       only incident N\n"
                               "  --since T, --until T  the window to analyze (default: the whole store)\n"
                               "  -o, --output FILE  write the report to FILE (mode 0600) instead of standard output\n"
                               "  --redact           mask IP addresses, user and host names (consistent tokens; stable\n"
                               "                     across reports with $CASCADE_REDACT_KEY)\n");
                        return EXIT_OK;
                default:
                        return EXIT_USAGE;
                }
        if (optind < argc)
                return log_error("'report' takes no arguments"), EXIT_USAGE;
        _cleanup_(analysis_freep) Analysis *a = NULL;
        int k = window_analysis(&w, false, &a);
        if (k != EXIT_OK)
                return k;
        if (ro.incident > 0 && (size_t) ro.incident > a->n_incidents)
                return log_error("No incident %d: the window has %zu", ro.incident, a->n_incidents), EXIT_FAILED;
        StrBuf out = STRBUF_INIT;
        int r = report_markdown(a, &ro, &out);
        if (r >= 0)
                r = strbuf_error(&out);
        if (r < 0) {
                strbuf_release(&out);
                return log_error_errno(r, "Cannot render the report"), EXIT_FAILED;
        }
        if (output)
                r = write_private(output, &out);
        else if (fwrite(out.buf, 1, out.len, stdout) != out.len)
                r = -EIO;
        strbuf_release(&out);
        if (r < 0)
                return log_error_errno(r, "Cannot write '%s'", output ? output : "stdout"), EXIT_FAILED;
        return EXIT_OK;
}
