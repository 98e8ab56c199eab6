/* verb-scan.c: `cascade scan`, the unattended (nightly) run: collect, ingest, analyze what is new,
 * keep the analysis for the views, write a report per incident not reported before, notify and
 * export metrics. Exit status tells a timer or a script whether something new happened. */
#include <time.h>

#include "cli.h"
#include "collect.h"
#include "fs-util.h"
#include "ingest.h"
#include "log.h"
#include "process-util.h"
#include "report-prom.h"
#include "report.h"
#include "store-analysis.h"
#include "store-tag.h"
#include "tag.h"

#define DEFAULT_REPORTS_DIR "/var/lib/cascade/reports"
/* A scan's window reaches this far before the previous scan: an incident that was still going on
 * then, or logs that arrived a little late, are analysed whole. Reported ones are not repeated. */
#define SCAN_OVERLAP USEC_PER_HOUR
/* How long a scan waits for another scan to finish before giving up. */
#define LOCK_TIMEOUT_SEC 600

/* Exit codes beyond cli.h's; when several apply, the highest is returned. */
enum {
        EXIT_SCAN_NEW = 1,     /* new incident(s) reported */
        EXIT_SCAN_PARTIAL = 3, /* collect or a SOURCE failed; the rest was scanned */
        EXIT_SCAN_OUTPUT = 4,  /* a report, the metrics file or an --exec command failed */
        EXIT_SCAN_LOCKED = 5,  /* another scan held the lock for LOCK_TIMEOUT_SEC */
        EXIT_SCAN_DB = 6,      /* the database could not be opened, analysed or written */
};

typedef struct ScanArgs {
        const char *config;    /* collect's configuration; skipped when missing or empty */
        usec_t since;          /* --since, USEC_INVALID: since the last scan */
        const char *reports_dir;
        const char *exec_cmd;  /* --exec, NULL */
        const char *metrics;   /* --metrics, NULL */
        char **sources;        /* SOURCE arguments */
        int n_sources;
} ScanArgs;

typedef struct ScanState {
        ScanArgs args;
        char *db_path;         /* resolved --db / $CASCADE_DB / default */
        Store *store;
        PatternSet *patterns;  /* NULL when the library failed to load */
        usec_t started;        /* wall clock, µs */
        int64_t max_event;     /* largest event id when the analysis ran */
        unsigned n_new;        /* incidents reported by this scan */
        bool report_failed;    /* a new incident could not be reported or remembered */
        int status;            /* exit status so far */
} ScanState;

static void scan_status(ScanState *st, int status) {
        st->status = MAX(st->status, status);
}

static void scan_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] [--tz ZONE] scan [OPTIONS] [SOURCE...]\n\n"
                   "Collect (when the configuration names nodes), ingest each SOURCE, analyse what is new since\n"
                   "the last scan and write one Markdown report per incident not reported before. Prints one line\n"
                   "per new incident: START CLASSIFICATION SEVERITY ROOT-NODE REPORT-PATH.\n\n"
                   "Options:\n"
                   "  --config FILE       collect configuration (default: " COLLECT_CONFIG_DEFAULT "; skipped when missing)\n"
                   "  --since TIME        analyse from TIME (default: one hour before the previous scan and\n"
                   "                      before the earliest event stored since; the first scan: everything)\n"
                   "  --reports-dir DIR   where reports go (default: " DEFAULT_REPORTS_DIR "; created 0700)\n"
                   "  --exec CMD          run /bin/sh -c 'CMD \"$1\"' with a new report's path as $1\n"
                   "  --metrics FILE      write Prometheus textfile-collector metrics to FILE (atomically)\n"
                   "  -h, --help          this help\n\n"
                   "The analysis is kept for the views 'incidents', 'boots' and 'membership' (cascade query).\n"
                   "Exit status: 0 nothing new, 1 new incident(s), 2 usage error, 3 collect or a SOURCE failed,\n"
                   "4 a report, the metrics or an --exec command failed, 5 another scan held the lock for %d s,\n"
                   "6 database or analysis error. When several apply, the highest.\n", LOCK_TIMEOUT_SEC);
}

static ScanArgs arg_scan = { .config = COLLECT_CONFIG_DEFAULT, .since = USEC_INVALID, .reports_dir = DEFAULT_REPORTS_DIR };
static const char *arg_since_text;

enum { ARG_CONFIG = 0x100, ARG_SINCE, ARG_REPORTS_DIR, ARG_EXEC, ARG_METRICS };

static const struct option options[] = {
        { "config", required_argument, NULL, ARG_CONFIG },
        { "since", required_argument, NULL, ARG_SINCE },
        { "reports-dir", required_argument, NULL, ARG_REPORTS_DIR },
        { "exec", required_argument, NULL, ARG_EXEC },
        { "metrics", required_argument, NULL, ARG_METRICS },
        { "help", no_argument, NULL, 'h' },
        {},
};

static int scan_option(int c, const char *arg) {
        switch (c) {
        case ARG_CONFIG:
                arg_scan.config = arg;
                return 0;
        case ARG_SINCE:
                arg_since_text = arg;
                return 0;
        case ARG_REPORTS_DIR:
                arg_scan.reports_dir = arg;
                return 0;
        case ARG_EXEC:
                arg_scan.exec_cmd = arg;
                return 0;
        case ARG_METRICS:
                arg_scan.metrics = arg;
                return 0;
        default:
                return -EINVAL;
        }
}

static int scan_check(char **args, int n_args) {
        const ScanArgs *a = &arg_scan;
        int r = cli_parse_window(arg_since_text, NULL, &arg_scan.since, NULL);
        if (r < 0)
                return r;
        if (!*a->reports_dir || (a->exec_cmd && !*a->exec_cmd) || (a->metrics && !*a->metrics))
                return log_error("Empty --reports-dir, --exec or --metrics"), -EINVAL;
        arg_scan.sources = args;
        arg_scan.n_sources = n_args;
        return 0;
}

/* ---- children: collect and --exec, always an argv, never a shell command line built here ---- */

/* Run argv and wait; its stdout goes to our stderr so that ours stays one line per incident.
 * Returns its exit status (>= 0), 128 + signal, or -errno when it could not start. */
static int run_child(const char *path, char *const argv[]) {
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.stdout_fd = STDERR_FILENO;
        return process_run(path, argv, &o);
}

static void scan_collect(ScanState *st) {
        if (!collect_config_usable(st->args.config)) {
                log_info("No nodes to collect from ('%s' missing or empty), skipping collect", st->args.config);
                return;
        }
        /* This same binary: collect may change independently of scan, and a crash there must not
         * take the scan down. Its writes are transactions of their own, safe without our lock. */
        char *argv[12];
        size_t n = 0;
        argv[n++] = (char *) "/proc/self/exe";
        argv[n++] = (char *) "--db";
        argv[n++] = st->db_path;
        if (arg_global.patterns_dir) {
                argv[n++] = (char *) "--patterns";
                argv[n++] = (char *) arg_global.patterns_dir;
        }
        /* -q and -v hold for the whole scan. */
        if (cli_quiet())
                argv[n++] = (char *) "-q";
        else if (log_get_level() == LOG_LEVEL_DEBUG)
                argv[n++] = (char *) "-v";
        argv[n++] = (char *) "collect";
        argv[n++] = (char *) "--config";
        argv[n++] = (char *) st->args.config;
        argv[n] = NULL;
        int r = run_child("/proc/self/exe", argv);
        if (r < 0)
                log_warning_errno(r, "Cannot run collect, scanning what is stored");
        else if (r > 0)
                log_warning("collect failed (exit status %d), scanning what is stored", r);
        if (r != 0)
                scan_status(st, EXIT_SCAN_PARTIAL);
}

static int run_exec(const char *cmd, const char *report) {
        /* The path is the positional parameter $1, never pasted into the script: a path with
         * spaces or quotes stays one argument. */
        _cleanup_free_ char *script = NULL;
        if (asprintf(&script, "%s \"$1\"", cmd) < 0)
                return -ENOMEM;
        char *argv[] = { (char *) "sh", (char *) "-c", script, (char *) "sh", (char *) report, NULL };
        return run_child("/bin/sh", argv);
}

/* ---- lock, ingest, window ---- */

/* One writer at a time: a second scan (a timer run while a manual one is going on) waits. */
static int scan_lock(const char *db_path, int *ret_fd) {
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s.lock", db_path) < 0)
                return -ENOMEM;
        _cleanup_close_ int fd = lock_file_open(path);
        if (fd < 0)
                return fd;
        int r;
        for (int waited = 0; (r = lock_file_try(fd)) == 0; waited++) {
                if (waited == 0)
                        log_info("Waiting for another scan of '%s' to finish", db_path);
                if (waited >= LOCK_TIMEOUT_SEC * 5)
                        return -ETIMEDOUT;
                nanosleep(&(struct timespec){ .tv_nsec = 200 * 1000 * 1000 }, NULL);
        }
        if (r < 0)
                return r;
        *ret_fd = fd;
        fd = -1;
        return 0;
}

/* Bring tags up to date (collect or a new library) and store the SOURCE arguments. */
static void scan_ingest(ScanState *st) {
        _cleanup_(tag_context_freep) TagContext *tc = cli_open_tagger(st->store, st->patterns);
        if (st->args.n_sources == 0)
                return;
        IngestOptions opts = { .format = FORMAT_AUTO, .since = USEC_INVALID, .until = USEC_INVALID,
                               .diag = cli_ingest_diag, .tagger = tc };
        _cleanup_(ingest_freep) Ingest *in = NULL;
        int r = ingest_new(st->store, &opts, &in);
        if (r < 0) {
                log_error_errno(r, "Cannot start ingest");
                scan_status(st, EXIT_SCAN_PARTIAL);
                return;
        }
        for (int i = 0; i < st->args.n_sources; i++) {
                r = ingest_path(in, st->args.sources[i]);
                if (r < 0) {
                        char safe[512];
                        log_sanitize(st->args.sources[i], strlen(st->args.sources[i]), safe, sizeof safe);
                        log_error_errno(r, "Cannot ingest '%s'", safe);
                        scan_status(st, EXIT_SCAN_PARTIAL);
                }
        }
}

/* --since, else from the previous scan on (store_scan_window_start()). */
static int scan_window(ScanState *st, usec_t *ret) {
        if (st->args.since != USEC_INVALID) {
                *ret = st->args.since;
                return 0;
        }
        return store_scan_window_start(st->store, SCAN_OVERLAP, ret);
}

/* ---- reports ---- */

static int write_report(const Analysis *a, const Incident *inc, const char *path) {
        ReportOptions ro = { .incident = inc->id, .tz_name = arg_global.tz ? arg_global.tz : "local time" };
        StrBuf out = STRBUF_INIT;
        int r = report_markdown(a, &ro, &out);
        if (r >= 0)
                r = write_atomic(path, &out, 0600);
        strbuf_release(&out);
        return r;
}

static void announce(ScanState *st, const Analysis *a, const Incident *inc, const char *path) {
        char start[RFC3339_MAX], root[128];
        const char *node = incident_root_node(a, inc);
        log_sanitize(node, strlen(node), root, sizeof root);
        printf("%s %s %s %s %s\n", time_format_rfc3339(inc->start, start), classification_to_string(inc->classification), incident_severity_to_string(inc->severity),
               *root ? root : "-", path);
        if (!st->args.exec_cmd)
                return;
        int r = run_exec(st->args.exec_cmd, path);
        if (r != 0) {
                if (r < 0)
                        log_error_errno(r, "Cannot run --exec command");
                else
                        log_error("--exec command failed (exit status %d) for '%s'", r, path);
                scan_status(st, EXIT_SCAN_OUTPUT);
        }
}

/* Report it unless an earlier scan did. Remembered before --exec runs: a notification may be lost
 * to a crash in between, but is never sent twice. */
static void report_incident(ScanState *st, const Analysis *a, const Incident *inc) {
        int r = store_scan_is_reported(st->store, a, inc);
        if (r != 0) {
                if (r < 0) {
                        log_error_errno(r, "Cannot look up incident %d: %s", inc->id, store_errmsg(st->store));
                        st->report_failed = true;
                }
                scan_status(st, r < 0 ? EXIT_SCAN_DB : EXIT_OK);
                return;
        }
        _cleanup_free_ char *path = NULL;
        r = report_markdown_path(st->args.reports_dir, inc, &path);
        if (r >= 0 && (r = write_report(a, inc, path)) < 0)
                log_error_errno(r, "Cannot write report '%s'", path);
        if (r < 0) {
                st->report_failed = true;
                scan_status(st, EXIT_SCAN_OUTPUT);
                return;
        }
        r = store_scan_remember(st->store, a, inc, path, st->started);
        if (r < 0) {
                log_error_errno(r, "Cannot remember incident %d: %s", inc->id, store_errmsg(st->store));
                st->report_failed = true;
                scan_status(st, EXIT_SCAN_DB);
                return;
        }
        st->n_new++;
        scan_status(st, EXIT_SCAN_NEW);
        announce(st, a, inc, path);
}

static void scan_reports(ScanState *st, const Analysis *a) {
        if (a->n_incidents == 0)
                return;
        int r = mkdir_private(st->args.reports_dir);
        if (r < 0) {
                log_error_errno(r, "Cannot create reports directory '%s'", st->args.reports_dir);
                st->report_failed = true;
                scan_status(st, EXIT_SCAN_OUTPUT);
                return;
        }
        for (size_t i = 0; i < a->n_incidents; i++)
                report_incident(st, a, &a->incidents[i]);
}

/* ---- metrics (Prometheus text exposition format, textfile collector) ---- */

static void scan_metrics(ScanState *st, const Analysis *a) {
        if (!st->args.metrics)
                return;
        StrBuf out = STRBUF_INIT;
        ScanMetrics m = { .incidents_new = st->n_new, .started = st->started, .exit_status = st->status };
        int r = report_prometheus(st->store, a, &m, &out);
        /* node-exporter runs as another user: metrics hold counts and node names, no log text. */
        if (r >= 0)
                r = write_atomic(st->args.metrics, &out, 0644);
        strbuf_release(&out);
        if (r < 0) {
                log_error_errno(r, "Cannot write metrics '%s'", st->args.metrics);
                scan_status(st, EXIT_SCAN_OUTPUT);
        }
}

/* ---- the scan ---- */

static int scan_analyze(ScanState *st, Analysis **ret) {
        usec_t since;
        int r = scan_window(st, &since);
        if (r < 0)
                return log_error_errno(r, "Cannot read the previous scan's state: %s", store_errmsg(st->store));
        st->max_event = store_max_event_id(st->store);
        if (st->max_event < 0)
                return log_error_errno((int) st->max_event, "Cannot read the database: %s", store_errmsg(st->store));
        r = correlate_analyze(st->store, st->patterns, since, USEC_INVALID, ret);
        if (r < 0)
                return log_error_errno(r, "Analysis failed: %s", store_errmsg(st->store));
        r = store_analysis_save(st->store, *ret);
        if (r < 0)
                return log_error_errno(r, "Cannot store the analysis: %s", store_errmsg(st->store));
        return 0;
}

/* Everything that writes the database, under the scan lock. */
static void scan_locked(ScanState *st) {
        _cleanup_(analysis_freep) Analysis *a = NULL;
        scan_ingest(st);
        if (scan_analyze(st, &a) < 0) {
                scan_status(st, EXIT_SCAN_DB);
                return;
        }
        scan_reports(st, a);
        /* An incident left unreported keeps the window where it is: the next scan tries again. */
        int r = st->report_failed ? 0 : store_scan_set_last(st->store, st->started, st->max_event);
        if (r < 0) {
                log_error_errno(r, "Cannot record the scan: %s", store_errmsg(st->store));
                scan_status(st, EXIT_SCAN_DB);
        }
        scan_metrics(st, a);
        log_info("Scan done: %zu incident(s) in the window, %u new", a->n_incidents, st->n_new);
}

static int scan_run(ScanState *st) {
        if (cli_db_path(&st->db_path) < 0)
                return EXIT_SCAN_DB;
        scan_collect(st);
        if (cli_open_store(STORE_READ_WRITE, &st->store) < 0)
                return EXIT_SCAN_DB;
        /* Analysing without the library only loses its advice; tagging waits for a good one. */
        if (cli_load_patterns(&st->patterns) < 0)
                log_warning("Scanning without the pattern library");
        _cleanup_close_ int lock = -1;
        int r = scan_lock(st->db_path, &lock);
        if (r == -ETIMEDOUT)
                return log_error("Another scan of '%s' is still running after %d s", st->db_path, LOCK_TIMEOUT_SEC),
                       EXIT_SCAN_LOCKED;
        if (r < 0)
                return log_error_errno(r, "Cannot lock '%s.lock'", st->db_path), EXIT_SCAN_DB;
        st->started = now_usec();      /* after the wait: the state recorded is this scan's */
        scan_locked(st);
        return st->status;
}

/* The store and the library are opened here, not by main: see the verb table. */
static int scan_main(const VerbContext *ctx) {
        ScanState st = { .args = arg_scan, .started = now_usec() };
        int status = scan_run(&st);
        pattern_set_free(st.patterns);
        store_close(st.store);
        free(st.db_path);
        return MAX(status, st.status);
}

const VerbOps verb_scan_ops = {
        .options = options,
        .short_options = "h",
        .option = scan_option,
        .check = scan_check,
        .help = scan_help,
        .run = scan_main,
};
