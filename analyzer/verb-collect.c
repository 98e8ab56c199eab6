/* verb-collect.c: `cascade collect`: fetch every configured node's journal (and one corosync.conf)
 * over ssh in parallel, ingesting each one (one at a time) as soon as it has come; a node that
 * fails is reported and the others are still stored, and an interrupt keeps what was stored. The
 * configuration format is described at the top of collect.c. */
#include "cli.h"
#include "collect.h"
#include "conf.h"
#include "ingest.h"
#include "log.h"
#include "process-util.h"
#include "store-status.h"
#include "tag.h"

static void collect_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] [--config FILE] collect [OPTIONS] [NODE...]\n\n"
                   "Fetch the journal of every node of the configuration (or only the NODEs named) over ssh,\n"
                   "in parallel, and store each one as soon as it has come. The first collect of a node asks\n"
                   "for the configured window (since = ...); later ones only for what comes after the last\n"
                   "entry stored. The first node's corosync.conf is fetched and stored too. The\n"
                   "configuration is the global --config FILE, else $CASCADE_CONF, else " CONF_DEFAULT_PATH ".\n\n"
                   "Options:\n"
                   "  --since TIME       window of a node's first collect (default: the file's since, else "
                   COLLECT_SINCE_DEFAULT ")\n"
                   "  --timeout SECONDS  time each node has before its ssh is killed (default: the file's, else %d)\n"
                   "  -h, --help         this help\n\n"
                   "TIME: 2025-11-25, '2025-11-25 08:10:48', RFC 3339, @EPOCH, now, today, yesterday, -2h, -7d.\n"
                   "Exit status: 0 every node collected, 1 a node failed (the others are stored), 2 usage error,\n"
                   "130 interrupted (143 SIGTERM): ssh stopped, what was stored stays for the next collect.\n",
                   COLLECT_TIMEOUT_DEFAULT);
}

typedef struct NodeRun {
        const CollectNode *node;
        CollectJob journal;    /* ssh ... journalctl -o export */
        CollectJob conf;       /* ssh ... cat corosync.conf; state FAILED with -ENOENT when not wanted */
        bool ended;            /* the journal's ssh is done (or failed, or was killed) */
        bool stored;           /* ... and what it sent is stored */
} NodeRun;

#define JOB_NOT_STARTED ((CollectJob){ .out_fd = -1, .err_fd = -1, .state = COLLECT_JOB_FAILED, .error = -ECANCELED })

static const char *arg_since_text;     /* --since, NULL: the file's */
static unsigned arg_timeout;           /* --timeout, 0: the file's */
/* From check(): the configuration, the window of a first collect, the nodes to collect. */
static CollectConfig *arg_conf;
static usec_t arg_since;
static NodeRun *arg_runs;
static size_t arg_n_runs;

enum { ARG_SINCE = 0x100, ARG_TIMEOUT };

static const struct option options[] = {
        { "since", required_argument, NULL, ARG_SINCE },
        { "timeout", required_argument, NULL, ARG_TIMEOUT },
        { "help", no_argument, NULL, 'h' },
        {},
};

static int parse_timeout(const char *arg) {
        char *end;
        errno = 0;
        unsigned long t = strtoul(arg, &end, 10);
        if (*arg < '0' || *arg > '9' || *end || errno || t == 0 || t > 86400)
                return log_error("Invalid timeout '%s' (1 to 86400 seconds)", arg), -EINVAL;
        arg_timeout = (unsigned) t;
        return 0;
}

static int collect_option(int c, const char *arg) {
        switch (c) {
        case ARG_SINCE:
                arg_since_text = arg;
                return 0;
        case ARG_TIMEOUT:
                return parse_timeout(arg);
        default:
                return -EINVAL;
        }
}

static int load_config(const char *path, CollectConfig **ret) {
        unsigned line = 0;
        const char *reason = NULL;
        int r = collect_config_load(path, ret, &line, &reason);
        if (r == -EINVAL && line > 0)
                return log_error("%s:%u: %s", path, line, reason), r;
        if (r == -EINVAL)
                return log_error("%s: %s", path, reason), r;
        if (r < 0)
                return log_error_errno(r, "Cannot read configuration '%s'", path);
        return 0;
}

/* The nodes named on the command line, else all; runs[] is sized for every node. */
static int select_nodes(const CollectConfig *c, char **names, size_t n_names, NodeRun *runs, size_t *ret_n) {
        _cleanup_free_ const CollectNode **sel = NULL;
        const char *unknown = NULL;
        size_t n;
        int r = collect_select_nodes(c, names, n_names, &sel, &n, &unknown);
        if (r == -ENOENT) {
                char safe[128];
                log_sanitize(unknown, strlen(unknown), safe, sizeof safe);
                return log_error("Unknown node '%s' (not in '%s')", safe, c->path), -EINVAL;
        }
        if (r < 0)
                return log_oom();
        for (size_t i = 0; i < n; i++)
                runs[i] = (NodeRun){ .node = sel[i], .journal = JOB_NOT_STARTED, .conf = JOB_NOT_STARTED };
        *ret_n = n;
        return 0;
}

static void source_key(const CollectNode *n, char key[static 16 + COLLECT_NODE_NAME_MAX]) {
        snprintf(key, 16 + COLLECT_NODE_NAME_MAX, "collect:%s", n->name);
}

/* Start both ssh of a node; a failure to start is kept in the job and reported with the others. */
static int start_node(Ingest *in, const CollectConfig *c, usec_t since, NodeRun *run) {
        char key[16 + COLLECT_NODE_NAME_MAX];
        source_key(run->node, key);
        _cleanup_free_ char *cursor = NULL;
        int r = ingest_source_cursor(in, key, &cursor);
        if (r < 0)
                return log_error_errno(r, "%s: cannot read the stored journal cursor", run->node->name);
        char **argv;
        r = collect_journal_argv(c, run->node, cursor, since, &argv);
        if (r == -EBADMSG)
                return log_error("%s: the stored journal cursor is malformed", run->node->name), r;
        if (r < 0)
                return log_oom();
        collect_job_start(&run->journal, argv);

        r = collect_conf_argv(c, run->node, &argv);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                run->conf.error = -ENOENT;     /* corosync_conf = none */
        else
                collect_job_start(&run->conf, argv);
        return 0;
}

/* Why a job failed, in words for a log line or the node_collect table. */
static void job_reason(const CollectJob *job, unsigned timeout, char *buf, size_t size) {
        char raw[512], line[512];
        switch (job->state) {
        case COLLECT_JOB_FAILED:
                snprintf(buf, size, "cannot run ssh: %s", strerror(-job->error));
                break;
        case COLLECT_JOB_TIMED_OUT:
                snprintf(buf, size, "no complete answer within %u s, ssh killed", timeout);
                break;
        case COLLECT_JOB_SIGNALED:
                snprintf(buf, size, "ssh killed by signal %d", job->status);
                break;
        default:
                /* ssh's first line says why (refused, host key, the remote command's error). */
                collect_job_stderr_line(job, raw, sizeof raw);
                log_sanitize(raw, strlen(raw), line, sizeof line);
                snprintf(buf, size, "ssh exited with status %d%s%s", job->status, *line ? ": " : "", line);
                break;
        }
}

/* Says what went wrong with a job ("what" prefixes the message); true when it ran fine. */
static bool job_report(const NodeRun *run, const char *what, const CollectJob *job, unsigned timeout) {
        if (collect_job_ok(job))
                return true;
        char reason[600];
        job_reason(job, timeout, reason, sizeof reason);
        log_error("%s: %s%s", run->node->name, what, reason);
        return false;
}

/* Each node's outcome into node_collect (013-collect-status.sql), for scan's metrics. */
static void record_status(Store *store, const NodeRun *runs, size_t n, unsigned timeout) {
        usec_t now = now_usec();
        for (size_t i = 0; i < n; i++) {
                char reason[600] = "its journal came but could not be stored";
                if (!runs[i].stored && !collect_job_ok(&runs[i].journal))
                        job_reason(&runs[i].journal, timeout, reason, sizeof reason);
                int r = store_collect_status_set(store, runs[i].node->name, now, runs[i].stored ? NULL : reason);
                if (r < 0)
                        log_warning_errno(r, "%s: cannot record how its collect went: %s", runs[i].node->name,
                                          store_errmsg(store));
        }
}

/* A node's journal, as soon as its ssh is done: true when it is stored. A failed ssh is reported
 * later, with the others, in the configuration's order. */
static bool store_journal(Ingest *in, const NodeRun *run) {
        if (!collect_job_ok(&run->journal))
                return false;
        char key[16 + COLLECT_NODE_NAME_MAX];
        source_key(run->node, key);
        _cleanup_free_ char *cursor = NULL;
        /* Under the configured node, whatever _HOSTNAME the stream claims. */
        int r = ingest_stream(in, run->journal.out_fd, FORMAT_EXPORT, key, key, run->node->name, &cursor);
        if (r < 0) {
                log_error_errno(r, "%s: cannot store the journal received", run->node->name);
                return false;
        }
        return true;
}

/* Every node's two ssh run at once under the same per-node deadline. A journal is stored as soon
 * as it has come (one writer: one after the other), so neither a slow node nor an interrupt
 * loses the nodes that answered before it. */
static int fetch_all(Ingest *in, NodeRun *runs, size_t n, usec_t deadline) {
        _cleanup_free_ CollectJob **jobs = calloc(2 * n, sizeof *jobs);
        if (!jobs)
                return log_oom();
        for (size_t i = 0; i < n; i++) {
                jobs[2 * i] = &runs[i].journal;
                jobs[2 * i + 1] = &runs[i].conf;
        }
        size_t running;
        do {
                running = collect_jobs_wait(jobs, 2 * n, deadline);
                for (size_t i = 0; i < n; i++)
                        if (!runs[i].ended && runs[i].journal.state != COLLECT_JOB_RUNNING) {
                                runs[i].ended = true;
                                runs[i].stored = store_journal(in, &runs[i]);
                        }
        } while (running > 0);
        return 0;
}

static bool conf_wanted(const NodeRun *run) {
        return !(run->conf.state == COLLECT_JOB_FAILED && run->conf.error == -ENOENT);
}

/* The first node whose corosync.conf came is enough: they all hold the same file. */
static bool ingest_conf(Ingest *in, const NodeRun *runs, size_t n, unsigned timeout) {
        bool wanted = false, reached = false;
        for (size_t i = 0; i < n; i++) {
                if (!conf_wanted(&runs[i]))
                        continue;
                wanted = true;
                reached |= collect_job_ok(&runs[i].journal);
                if (!collect_job_ok(&runs[i].conf))
                        continue;
                char key[COLLECT_NODE_NAME_MAX + 32];
                /* One source row per node's corosync.conf, however often it is fetched. */
                snprintf(key, sizeof key, "collect:%s:corosync.conf", runs[i].node->name);
                int r = ingest_stream(in, runs[i].conf.out_fd, FORMAT_COROSYNC_CONF, key, key, NULL, NULL);
                if (r >= 0)
                        return true;
                log_warning_errno(r, "%s: cannot store its corosync.conf%s", runs[i].node->name,
                                  r == -EMEDIUMTYPE ? " (not a corosync.conf)" : "");
        }
        /* Nodes that could not be reached at all were reported already. */
        if (!wanted || !reached)
                return true;
        for (size_t i = 0; i < n; i++)
                if (conf_wanted(&runs[i]) && collect_job_ok(&runs[i].journal))
                        job_report(&runs[i], "corosync.conf: ", &runs[i].conf, timeout);
        log_error("No node's corosync.conf could be stored");
        return false;
}

/* "collected: a b; failed: c": nodes with nothing new have no row in the table above. */
static void print_nodes(const NodeRun *runs, size_t n) {
        /* -q: a failed node is an error on stderr already; what was stored is in the database. */
        if (cli_quiet())
                return;
        for (int pass = 1; pass >= 0; pass--) {
                bool any = false;
                for (size_t i = 0; i < n; i++)
                        if (runs[i].stored == pass) {
                                printf("%s%s", any ? " " : pass ? "collected: " : "failed: ", runs[i].node->name);
                                any = true;
                        }
                if (any)
                        printf("\n");
        }
}

/* Returns how many nodes failed; *ret_conf_ok says whether a wanted corosync.conf was stored. */
static unsigned fetch_and_store(Ingest *in, const CollectConfig *c, usec_t since, NodeRun *runs, size_t n,
                                bool *ret_conf_ok) {
        usec_t deadline = now_usec() + (usec_t) c->timeout * USEC_PER_SEC;
        *ret_conf_ok = false;
        /* A store that cannot say a node's cursor will not store its journal either: stop. */
        for (size_t i = 0; i < n; i++)
                if (start_node(in, c, since, &runs[i]) < 0)
                        return (unsigned) n;
        if (fetch_all(in, runs, n, deadline) < 0)
                return (unsigned) n;
        unsigned failed = 0;
        for (size_t i = 0; i < n; i++) {
                failed += !runs[i].stored;
                /* Why its ssh failed; a journal that came and could not be stored was said already. */
                if (!runs[i].stored)
                        job_report(&runs[i], "", &runs[i].journal, c->timeout);
        }
        *ret_conf_ok = ingest_conf(in, runs, n, c->timeout);
        cli_print_ingest_summary(ingest_stats(in));
        print_nodes(runs, n);
        return failed;
}

/* The configuration (a bad one is a usage error, like a bad option), the window and the nodes named. */
static int collect_check(char **args, int n_args) {
        if (load_config(cli_config_path(), &arg_conf) < 0)
                return -EINVAL;
        if (arg_timeout)
                arg_conf->timeout = arg_timeout;
        int r = cli_parse_window(arg_since_text ? arg_since_text : arg_conf->since, NULL, &arg_since, NULL);
        if (r < 0)
                return r;
        arg_runs = calloc(arg_conf->n_nodes, sizeof *arg_runs);
        if (!arg_runs)
                return log_oom();
        return select_nodes(arg_conf, args, (size_t) n_args, arg_runs, &arg_n_runs);
}

static int collect_run(const VerbContext *ctx) {
        /* Whenever it comes: ssh stopped and cascade with it; every batch stored holds its node's
         * cursor, so the next collect asks for what follows. */
        int r = process_interrupt_catch("cascade collect: Interrupted: ssh stopped; what was stored so far is kept, "
                                        "and the next collect continues from there\n");
        if (r < 0)
                log_warning_errno(r, "Cannot catch interrupts, an interrupt may leave ssh running");
        _cleanup_(tag_context_freep) TagContext *tc = cli_open_tagger(ctx->store, ctx->patterns);
        /* Every configured node is of the cluster: an entry of one node's stream naming another is
         * a claim (012-host-claim.sql), even before that node's journal was stored. */
        _cleanup_free_ const char **names = calloc(arg_conf->n_nodes + 1, sizeof *names);
        if (!names)
                return log_oom();
        for (size_t i = 0; i < arg_conf->n_nodes; i++)
                names[i] = arg_conf->nodes[i].name;
        IngestOptions opts = { .format = FORMAT_AUTO, .since = USEC_INVALID, .until = USEC_INVALID,
                               .tagger = tc, .diag = cli_ingest_diag, .cluster_nodes = names };
        _cleanup_(ingest_freep) Ingest *in = NULL;
        r = ingest_new(ctx->store, &opts, &in);
        if (r < 0)
                return log_error_errno(r, "Cannot start ingest"), EXIT_FAILED;

        bool conf_ok;
        unsigned failed = fetch_and_store(in, arg_conf, arg_since, arg_runs, arg_n_runs, &conf_ok);
        record_status(ctx->store, arg_runs, arg_n_runs, arg_conf->timeout);
        for (size_t i = 0; i < arg_n_runs; i++) {
                collect_job_done(&arg_runs[i].journal);
                collect_job_done(&arg_runs[i].conf);
        }
        if (failed)
                log_error("%u of %zu node(s) could not be collected; everything else was stored", failed, arg_n_runs);
        return failed || !conf_ok ? EXIT_FAILED : EXIT_OK;
}

static void collect_done(void) {
        free(arg_runs);
        arg_runs = NULL;
        arg_conf = collect_config_free(arg_conf);
}

const VerbOps verb_collect_ops = {
        .options = options,
        .short_options = "h",
        .option = collect_option,
        .check = collect_check,
        .help = collect_help,
        .run = collect_run,
        .done = collect_done,
};
