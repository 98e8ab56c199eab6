/* verb-ingest.c: `cascade ingest`: options, the sources handed to ingest, the per-node summary and
 * the exit status. */
#include "cli.h"
#include "ingest.h"
#include "log.h"
#include "process-util.h"
#include "tag.h"

static IngestOptions arg_opts = { .format = FORMAT_AUTO, .since = USEC_INVALID, .until = USEC_INVALID };
static const char *arg_since_text, *arg_until_text;
static bool arg_local;
static bool arg_no_progress;

enum { ARG_NODE = 0x100, ARG_FORMAT, ARG_TZ, ARG_YEAR, ARG_SINCE, ARG_UNTIL, ARG_LOCAL, ARG_NO_PROGRESS };

static const struct option options[] = {
        { "node", required_argument, NULL, ARG_NODE },
        { "format", required_argument, NULL, ARG_FORMAT },
        { "tz", required_argument, NULL, ARG_TZ },
        { "year", required_argument, NULL, ARG_YEAR },
        { "since", required_argument, NULL, ARG_SINCE },
        { "until", required_argument, NULL, ARG_UNTIL },
        { "local", no_argument, NULL, ARG_LOCAL },
        { "no-progress", no_argument, NULL, ARG_NO_PROGRESS },
        { "help", no_argument, NULL, 'h' },
        {},
};

static void ingest_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] [--tz ZONE] ingest [OPTIONS] SOURCE...\n\n"
                   "Store logs in the database. A SOURCE is a journal directory (/var/log/journal, a node's\n"
                   "copied /var/log/journal/<machine-id>/, a systemd-journal-remote directory), a .journal\n"
                   "file, a journalctl -o export or -o json stream, or a text log (syslog, journalctl short*,\n"
                   "RFC 5424, corosync logfile), optionally gzip-compressed; '-' reads standard input.\n"
                   "Ingesting the same source again adds only what is new.\n\n"
                   "Options:\n"
                   "  --node NAME     node name for every event of the sources (for files without host names)\n"
                   "  --format FMT    journal, export, json, text or corosync-conf (default: detect from the content)\n"
                   "  --tz ZONE       zone of stamps without one (default: the machine's)\n"
                   "  --year YYYY     year of the first line of year-less text (default: from the file's mtime)\n"
                   "  --since TIME    skip events before TIME\n"
                   "  --until TIME    skip events at or after TIME\n"
                   "  --local         this machine's journal\n"
                   "  --no-progress   never draw the progress line\n"
                   "  -h, --help      this help\n\n"
                   "TIME: 2025-11-25, '2025-11-25 08:10:48', RFC 3339, @EPOCH, now, today, yesterday, -2h, -30min.\n"
                   "Exit status: 0 all sources ingested, 1 a source failed, 2 usage error, 130 interrupted\n"
                   "(143 SIGTERM): what was stored stays, the same ingest again continues from there.\n");
}

static int parse_year(const char *arg) {
        char *end;
        long y = strtol(arg, &end, 10);
        if (*end || y < 1970 || y > 9999)
                return log_error("Invalid year '%s'", arg), -EINVAL;
        arg_opts.year = (int) y;
        return 0;
}

static int ingest_option(int c, const char *arg) {
        switch (c) {
        case ARG_NODE:
                if (!*arg || strpbrk(arg, " \t\n/"))
                        return log_error("Invalid node name '%s'", arg), -EINVAL;
                arg_opts.node = arg;
                return 0;
        case ARG_FORMAT:
                arg_opts.format = source_format_from_string(arg);
                if (arg_opts.format < 0)
                        return log_error("Unknown format '%s' (journal, export, json, text, corosync-conf)", arg), -EINVAL;
                return 0;
        case ARG_TZ:
                if (time_set_zone(arg) < 0)
                        return log_error("Unknown time zone '%s'", arg), -EINVAL;
                return 0;
        case ARG_YEAR:
                return parse_year(arg);
        case ARG_SINCE:
                arg_since_text = arg;
                return 0;
        case ARG_UNTIL:
                arg_until_text = arg;
                return 0;
        case ARG_LOCAL:
                arg_local = true;
                return 0;
        case ARG_NO_PROGRESS:
                arg_no_progress = true;
                return 0;
        default:
                return -EINVAL;
        }
}

static int ingest_check(char **args, int n_args) {
        /* After all options: --tz may come after --since. */
        int r = cli_parse_window(arg_since_text, arg_until_text, &arg_opts.since, &arg_opts.until);
        if (r < 0)
                return r;
        if (n_args == 0 && !arg_local)
                return log_error("No SOURCE given; see 'cascade ingest --help'"), -EINVAL;
        return 0;
}

static const char *source_error(int r) {
        switch (r) {
        case -EMEDIUMTYPE:
                return "unknown format (use --format journal|export|json|text|corosync-conf)";
        case -ENOMSG:
                return "no journal files in this directory";
        case -ERANGE:
                return "its year-less stamps could not be placed; nothing of it stored (see above)";
        case -EBADMSG:
        case -ENODATA:
                return "malformed or corrupt file (see above)";
        default:
                return strerror(-r);
        }
}

/* Every source, the local journal first; returns how many failed. */
static unsigned ingest_sources(Ingest *in, char **sources, int n) {
        unsigned failed = 0;
        int r;
        if (arg_local && (r = ingest_local(in)) < 0) {
                log_error("local journal: %s", source_error(r));
                failed++;
        }
        for (int i = 0; i < n; i++) {
                r = ingest_path(in, sources[i]);
                if (r < 0) {
                        char safe[512];
                        log_sanitize(sources[i], strlen(sources[i]), safe, sizeof safe);
                        log_error("%s: %s", safe, source_error(r));
                        failed++;
                }
        }
        return failed;
}

static int ingest_run(const VerbContext *ctx) {
        /* Every batch stored holds its source's resume point: dying at once keeps the store whole,
         * as a kill -9 does (e2e-ingest-kill), and a rerun goes on from the last batch. */
        int r = process_interrupt_catch("cascade ingest: Interrupted; what was stored so far is kept, "
                                        "and the same ingest again continues from there\n");
        if (r < 0)
                log_warning_errno(r, "Cannot catch interrupts");
        _cleanup_(tag_context_freep) TagContext *tc = cli_open_tagger(ctx->store, ctx->patterns);
        IngestOptions opts = arg_opts;
        opts.progress = !arg_no_progress && !cli_quiet() && isatty(STDERR_FILENO);
        opts.diag = cli_ingest_diag;
        opts.tagger = tc;
        _cleanup_(ingest_freep) Ingest *in = NULL;
        r = ingest_new(ctx->store, &opts, &in);
        if (r < 0)
                return log_error_errno(r, "Cannot start ingest"), EXIT_FAILED;
        unsigned failed = ingest_sources(in, ctx->args, ctx->n_args);
        cli_print_ingest_summary(ingest_stats(in));
        if (failed)
                log_error("%u source(s) failed; everything else was stored", failed);
        return failed ? EXIT_FAILED : EXIT_OK;
}

const VerbOps verb_ingest_ops = {
        .options = options,
        .short_options = "h",
        .option = ingest_option,
        .check = ingest_check,
        .help = ingest_help,
        .run = ingest_run,
};
