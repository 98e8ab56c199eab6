/* verb-scan.c: `cascade scan`, the unattended (nightly) run: collect, ingest, analyze what is new,
 * keep the analysis for the views, write a report per incident not reported before, notify and
 * export metrics. Exit status tells a timer or a script whether something new happened. */
#include <time.h>

#include "cli.h"
#include "collect.h"
#include "conf.h"
#include "fs-util.h"
#include "ingest.h"
#include "log.h"
#include "process-util.h"
#include "report-prom.h"
#include "report.h"
#include "store-analysis.h"
#include "store-prune.h"
#include "store-tag.h"
#include "tag.h"

#define DEFAULT_REPORTS_DIR "/var/lib/cascade/reports"
/* A scan's window reaches this far before the previous scan: an incident that was still going on
 * then, or logs that arrived a little late, are analysed whole. Reported ones are not repeated. */
#define SCAN_OVERLAP USEC_PER_HOUR
/* --exec may be given this many times. */
#define SCAN_EXEC_MAX 8
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
        const char *config;    /* the configuration (cli_config_path()); collect is skipped when it names no node */
        usec_t since;          /* --since, USEC_INVALID: since the last scan */
        const char *reports_dir;
        const char *exec_cmds[SCAN_EXEC_MAX]; /* --exec, each a notification hook of its own */
        size_t n_exec;
        const char *metrics;   /* --metrics, NULL */
        mode_t metrics_mode;   /* --metrics-mode, 0600 unless asked */
        const char *cluster;   /* --cluster: in the reports and every metric; NULL */
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
        unsigned notify_failures; /* hook calls (report, --exec) that failed in this scan */
        bool db_failed;        /* what was reported could not be recorded: the window stays */
        int status;            /* exit status so far */
} ScanState;

static void scan_status(ScanState *st, int status) {
        st->status = MAX(st->status, status);
}

static void scan_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] [--tz ZONE] [--config FILE] scan [OPTIONS] [SOURCE...]\n\n"
                   "Collect (when the configuration names nodes), ingest each SOURCE, analyse what is new since\n"
                   "the last scan and write one Markdown report per incident not reported before. Prints one line\n"
                   "per new incident: START CLASSIFICATION SEVERITY ROOT-NODE REPORT-PATH. The configuration is\n"
                   "the global --config FILE, else $CASCADE_CONF, else " CONF_DEFAULT_PATH " (which may be missing).\n\n"
                   "Options:\n"
                   "  --since TIME        analyse from TIME (default: one hour before the previous scan and\n"
                   "                      before the earliest event stored since; the first scan: everything)\n"
                   "  --reports-dir DIR   where reports go (default: " DEFAULT_REPORTS_DIR "; created 0700)\n"
                   "  --exec CMD          run /bin/sh -c 'CMD \"$1\"' with a new report's path as $1; repeatable.\n"
                   "                      A CMD (or the report) that fails is tried again by the next scans,\n"
                   "                      %d calls within %d days at most; one that succeeded is never run\n"
                   "                      again for the same incident\n"
                   "  --metrics FILE      write Prometheus textfile-collector metrics to FILE (atomically)\n"
                   "  --metrics-mode MODE the metrics file's mode (default 0600; 0644 for a node-exporter\n"
                   "                      running as another user: node names and counts, no log text)\n"
                   "  --cluster NAME      the cluster's name, in each report's heading and as the label\n"
                   "                      cluster=\"NAME\" of every metric (one scan per cluster of a fleet)\n"
                   "  -h, --help          this help\n\n"
                   "With 'retain = DURATION' in the configuration's [cascade] section, what is older is pruned\n"
                   "after the reports are written (see 'cascade prune').\n"
                   "What the analysis finds is kept in the database's history, views 'incidents', 'boots' and\n"
                   "'membership' (cascade query); 'notifications' shows each report and --exec call.\n"
                   "Exit status: 0 nothing new, 1 new incident(s), 2 usage error, 3 collect or a SOURCE failed,\n"
                   "4 a report, the metrics or an --exec command failed, 5 another scan held the lock for %d s,\n"
                   "6 database or analysis error. When several apply, the highest. 130 interrupted (143 SIGTERM):\n"
                   "collect and --exec stopped, what was stored stays for the next scan.\n",
                NOTIFY_MAX_ATTEMPTS, (int) (NOTIFY_RETRY_FOR / USEC_PER_DAY), LOCK_TIMEOUT_SEC);
}

static ScanArgs arg_scan = { .since = USEC_INVALID, .reports_dir = DEFAULT_REPORTS_DIR, .metrics_mode = 0600 };
static const char *arg_since_text;

enum { ARG_SINCE = 0x100, ARG_REPORTS_DIR, ARG_EXEC, ARG_METRICS, ARG_METRICS_MODE, ARG_CLUSTER };

static const struct option options[] = {
        { "since", required_argument, NULL, ARG_SINCE },
        { "reports-dir", required_argument, NULL, ARG_REPORTS_DIR },
        { "exec", required_argument, NULL, ARG_EXEC },
        { "metrics", required_argument, NULL, ARG_METRICS },
        { "metrics-mode", required_argument, NULL, ARG_METRICS_MODE },
        { "cluster", required_argument, NULL, ARG_CLUSTER },
        { "help", no_argument, NULL, 'h' },
        {},
};

/* An octal mode no wider than rw for everyone: metrics are never executable or setuid. */
static int parse_metrics_mode(const char *arg) {
        char *end;
        errno = 0;
        unsigned long mode = strtoul(arg, &end, 8);
        if (!*arg || *end || errno || mode & ~0666UL || !(mode & 0600))
                return log_error("Bad --metrics-mode '%s' (octal, e.g. 0600 or 0644; read and write for the owner)", arg),
                       -EINVAL;
        arg_scan.metrics_mode = (mode_t) mode;
        return 0;
}

static int scan_option(int c, const char *arg) {
        switch (c) {
        case ARG_SINCE:
                arg_since_text = arg;
                return 0;
        case ARG_REPORTS_DIR:
                arg_scan.reports_dir = arg;
                return 0;
        case ARG_EXEC:
                if (arg_scan.n_exec == SCAN_EXEC_MAX)
                        return log_error("At most %d --exec commands", SCAN_EXEC_MAX), -EINVAL;
                arg_scan.exec_cmds[arg_scan.n_exec++] = arg;
                return 0;
        case ARG_METRICS:
                arg_scan.metrics = arg;
                return 0;
        case ARG_METRICS_MODE:
                return parse_metrics_mode(arg);
        case ARG_CLUSTER:
                /* A label value and a heading: anything printable, but not empty. */
                if (!*arg || strpbrk(arg, "\n\r\t"))
                        return log_error("Bad --cluster '%s' (a name without line breaks or tabs)", arg), -EINVAL;
                arg_scan.cluster = arg;
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
        bool empty_exec = false;
        for (size_t i = 0; i < a->n_exec; i++)
                empty_exec = empty_exec || !*a->exec_cmds[i];
        if (!*a->reports_dir || empty_exec || (a->metrics && !*a->metrics))
                return log_error("Empty --reports-dir, --exec or --metrics"), -EINVAL;
        arg_scan.sources = args;
        arg_scan.n_sources = n_args;
        arg_scan.config = cli_config_path();
        return 0;
}

/* ---- children: collect and --exec, always an argv, never a shell command line built here ---- */

/* Run argv and wait; its stdout goes to our stderr so that ours stays one line per incident. An
 * interrupt is passed on to it and waited for (collect stops its ssh and says so) before scan
 * stops. Returns its exit status (>= 0), 128 + signal, or -errno when it could not start. */
static int run_child(const char *path, char *const argv[]) {
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.stdout_fd = STDERR_FILENO;
        o.stop_on_interrupt = true;
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

/* ---- reports and notifications: one state per incident and hook (store-analysis.h) ---- */

static int write_report(const Analysis *a, const Incident *inc, const char *path) {
        ReportOptions ro = { .incident = inc->id, .tz_name = arg_global.tz ? arg_global.tz : "local time",
                             .cluster = arg_scan.cluster };
        StrBuf out = STRBUF_INIT;
        int r = report_markdown(a, &ro, &out);
        if (r >= 0)
                r = write_atomic(path, &out, 0600);
        strbuf_release(&out);
        return r;
}

static void announce(const Analysis *a, const Incident *inc, const char *path) {
        char start[RFC3339_MAX], root[128];
        const char *node = incident_root_node(a, inc);
        log_sanitize(node, strlen(node), root, sizeof root);
        printf("%s %s %s %s %s\n", time_format_rfc3339(inc->start, start), classification_to_string(inc->classification), incident_severity_to_string(inc->severity),
               *root ? root : "-", path);
}

/* incident 0: of no one incident. */
static void notify_db_failed(ScanState *st, int r, int64_t incident) {
        if (incident > 0)
                log_error_errno(r, "Cannot record the notifications of incident %" PRId64 ": %s", incident,
                                store_errmsg(st->store));
        else
                log_error_errno(r, "Cannot read the notification state: %s", store_errmsg(st->store));
        st->db_failed = true;
        scan_status(st, EXIT_SCAN_DB);
}

/* The call of hook for incident ended, failed for `error` (NULL: it succeeded): recorded, and a
 * failure logged and counted. what names the hook for people. */
static void hook_result(ScanState *st, int64_t incident, const char *hook, const char *what, const char *error) {
        NotifyState state = NOTIFY_PENDING;
        int k = store_notify_end(st->store, incident, hook, now_usec(), error, &state);
        if (k < 0)
                notify_db_failed(st, k, incident);
        if (!error)
                return;
        st->notify_failures++;
        scan_status(st, EXIT_SCAN_OUTPUT);
        log_error("%s failed for incident %" PRId64 ": %s; %s", what, incident, error,
                  state == NOTIFY_FAILED ? "giving up" : "the next scan tries again");
}

/* The same for r: 0, a child's exit status, or -errno. */
static void hook_ended(ScanState *st, int64_t incident, const char *hook, const char *what, int r) {
        char error[128];
        if (r < 0)
                snprintf(error, sizeof error, "%s", strerror(-r));
        else
                snprintf(error, sizeof error, "exit status %d", r);
        hook_result(st, incident, hook, what, r != 0 ? error : NULL);
}

static void exec_hook(ScanState *st, int64_t incident, const char *cmd, const char *report) {
        _cleanup_free_ char *hook = NULL;
        if (asprintf(&hook, "exec %s", cmd) < 0) {
                log_oom();
                scan_status(st, EXIT_SCAN_OUTPUT);
                return;
        }
        /* Counted before it runs: never run without a record of it. */
        int r = store_notify_begin(st->store, incident, hook, now_usec());
        if (r < 0) {
                notify_db_failed(st, r, incident);
                return;
        }
        hook_ended(st, incident, hook, "--exec command", run_exec(cmd, report));
}

static int report_hook(ScanState *st, const Analysis *a, const Incident *inc, int64_t incident, char **ret_path) {
        _cleanup_free_ char *path = NULL;
        int r = store_notify_begin(st->store, incident, NOTIFY_HOOK_REPORT, now_usec());
        if (r < 0)
                return notify_db_failed(st, r, incident), r;
        r = mkdir_private(st->args.reports_dir);
        if (r < 0)
                log_error_errno(r, "Cannot create reports directory '%s'", st->args.reports_dir);
        else if ((r = report_markdown_path(st->args.reports_dir, inc, &path)) >= 0 && (r = write_report(a, inc, path)) < 0)
                log_error_errno(r, "Cannot write report '%s'", path);
        if (r < 0)
                return hook_ended(st, incident, NOTIFY_HOOK_REPORT, "The report", r), r;
        r = store_notify_reported(st->store, incident, path, now_usec());
        if (r < 0)
                return notify_db_failed(st, r, incident), r;
        *ret_path = TAKE_PTR(path);
        return 0;
}

/* Its report unless written (or given up) before; then, as it is new, every --exec. A command
 * added later is not run for incidents reported before it. */
static void notify_incident(ScanState *st, const Analysis *a, const Incident *inc, int64_t incident) {
        NotifyState state;
        int r = store_notify_state(st->store, incident, NOTIFY_HOOK_REPORT, &state);
        if (r < 0) {
                notify_db_failed(st, r, incident);
                return;
        }
        if (state == NOTIFY_SENT || state == NOTIFY_FAILED)
                return;
        _cleanup_free_ char *path = NULL;
        if (report_hook(st, a, inc, incident, &path) < 0)
                return;
        st->n_new++;
        scan_status(st, EXIT_SCAN_NEW);
        announce(a, inc, path);
        for (size_t i = 0; i < st->args.n_exec; i++)
                exec_hook(st, incident, st->args.exec_cmds[i], path);
}

/* A report that failed for an incident outside this scan's window: its own window is analysed
 * again to write it (that analysis is not stored: the history keeps what the scans found). */
static void retry_report(ScanState *st, const PendingNotify *p) {
        _cleanup_(analysis_freep) Analysis *a = NULL;
        int r = correlate_analyze(st->store, st->patterns, p->start, p->end, &a);
        const Incident *inc = NULL;
        for (size_t i = 0; r >= 0 && i < a->n_incidents && !inc; i++)
                if (a->incidents[i].start <= p->end + STORE_INCIDENT_SLACK &&
                    a->incidents[i].end >= p->start - STORE_INCIDENT_SLACK)
                        inc = &a->incidents[i];
        if (inc) {
                notify_incident(st, a, inc, p->incident);
                return;
        }
        if (r < 0)
                log_error_errno(r, "Cannot analyse incident %" PRId64 " again: %s", p->incident, store_errmsg(st->store));
        int k = store_notify_begin(st->store, p->incident, NOTIFY_HOOK_REPORT, now_usec());
        if (k < 0) {
                notify_db_failed(st, k, p->incident);
                return;
        }
        hook_result(st, p->incident, NOTIFY_HOOK_REPORT, "The report",
                    r < 0 ? "its window could not be analysed again" : "not found again in its window");
}

/* The --exec command whose hook is "exec CMD", NULL when it is not given to this scan. */
static const char *exec_cmd_of_hook(const ScanState *st, const char *hook) {
        if (strncmp(hook, "exec ", strlen("exec ")) != 0)
                return NULL;
        for (size_t i = 0; i < st->args.n_exec; i++)
                if (streq(hook + strlen("exec "), st->args.exec_cmds[i]))
                        return st->args.exec_cmds[i];
        return NULL;
}

/* The hooks that failed in earlier scans and may be tried again. A command no longer given to
 * --exec is not run (it stays pending until NOTIFY_RETRY_FOR has passed). */
static void retry_pending(ScanState *st) {
        PendingNotify *p = NULL;
        size_t n = 0;
        int r = store_notify_pending(st->store, st->started, &p, &n);
        if (r < 0) {
                notify_db_failed(st, r, 0);
                return;
        }
        for (size_t i = 0; i < n; i++) {
                const char *cmd = exec_cmd_of_hook(st, p[i].hook);
                if (streq(p[i].hook, NOTIFY_HOOK_REPORT))
                        retry_report(st, &p[i]);
                else if (cmd && p[i].report_path)
                        exec_hook(st, p[i].incident, cmd, p[i].report_path);
                else
                        log_debug("Not retrying '%s' for incident %" PRId64 ": not given to --exec", p[i].hook, p[i].incident);
        }
        pending_notify_free_many(p, n);
}

/* The incidents of the window (ids: their ids in the history), then what earlier scans left pending. */
static void scan_notify(ScanState *st, const Analysis *a, const int64_t *ids) {
        int r = store_notify_expire(st->store, now_usec());
        if (r < 0)
                notify_db_failed(st, r, 0);
        else if (r > 0)
                log_warning("Giving up %d notification(s) still failing %d days after their first call", r,
                            (int) (NOTIFY_RETRY_FOR / USEC_PER_DAY));
        for (size_t i = 0; i < a->n_incidents; i++)
                notify_incident(st, a, &a->incidents[i], ids[i]);
        retry_pending(st);
}

/* ---- metrics (Prometheus text exposition format, textfile collector) ---- */

static void scan_metrics(ScanState *st, const Analysis *a) {
        if (!st->args.metrics)
                return;
        StrBuf out = STRBUF_INIT;
        ScanMetrics m = { .incidents_new = st->n_new, .started = st->started, .exit_status = st->status,
                          .notify_failures = st->notify_failures, .cluster = st->args.cluster,
                          .db_path = st->db_path };
        int r = report_prometheus(st->store, a, &m, &out);
        /* 0644 only when asked (a node-exporter running as another user): node names are no one's business. */
        if (r >= 0)
                r = write_atomic(st->args.metrics, &out, st->args.metrics_mode);
        strbuf_release(&out);
        if (r < 0) {
                log_error_errno(r, "Cannot write metrics '%s'", st->args.metrics);
                scan_status(st, EXIT_SCAN_OUTPUT);
        }
}

/* ---- the scan ---- */

/* The window analysed and kept; ret_ids: each incident's id in the history. */
static int scan_analyze(ScanState *st, Analysis **ret, int64_t **ret_ids) {
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
        *ret_ids = calloc(MAX((*ret)->n_incidents, 1u), sizeof **ret_ids);
        if (!*ret_ids)
                return log_oom();
        r = store_analysis_save(st->store, *ret, st->started, *ret_ids);
        if (r < 0)
                return log_error_errno(r, "Cannot store the analysis: %s", store_errmsg(st->store));
        return 0;
}

/* The configuration's `retain`, after the night's incidents were reported (their evidence is
 * kept whole by the prune). */
static void scan_retain(ScanState *st) {
        const ConfSettings *conf = cli_settings();
        if (!conf || conf->retain == USEC_INVALID)
                return;
        PruneCounts c;
        int r = store_prune(st->store, now_usec() - conf->retain, false, &c);
        if (r < 0) {
                log_error_errno(r, "Cannot prune what is older than 'retain': %s", store_errmsg(st->store));
                scan_status(st, EXIT_SCAN_DB);
                return;
        }
        if (c.events > 0 || c.incidents > 0)
                log_info("Pruned %" PRId64 " event(s) and %" PRId64 " incident(s) older than 'retain'", c.events,
                         c.incidents);
}

/* Everything that writes the database, under the scan lock. */
static void scan_locked(ScanState *st) {
        _cleanup_(analysis_freep) Analysis *a = NULL;
        _cleanup_free_ int64_t *ids = NULL;
        scan_ingest(st);
        if (scan_analyze(st, &a, &ids) < 0) {
                scan_status(st, EXIT_SCAN_DB);
                return;
        }
        scan_notify(st, a, ids);
        /* A failed report or --exec is retried from its notification state, wherever the window
         * is; only a notification that could not be recorded keeps the window where it is. */
        int r = st->db_failed ? 0 : store_scan_set_last(st->store, st->started, st->max_event);
        if (r < 0) {
                log_error_errno(r, "Cannot record the scan: %s", store_errmsg(st->store));
                scan_status(st, EXIT_SCAN_DB);
        }
        scan_retain(st);
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
        /* Whenever it comes: collect and --exec are stopped, then scan. The scan is recorded as
         * done only at its end, so the next one analyses this window again. */
        int r = process_interrupt_catch("cascade scan: Interrupted; what was stored so far is kept, "
                                        "and the next scan continues from there\n");
        if (r < 0)
                log_warning_errno(r, "Cannot catch interrupts, an interrupt may leave collect running");
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
