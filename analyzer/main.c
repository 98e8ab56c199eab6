/* main.c: global options, the verb table and exit codes. Verbs live in verb-*.c. */
#include <getopt.h>

#include "cli.h"
#include "config.h"
#include "log.h"
#include "time-util.h"

GlobalOptions arg_global;

static const struct {
        const char *name;
        VerbFn fn;
        const char *summary;
} verbs[] = {
        { "ingest", verb_ingest, "store journal and text logs of every node in the database" },
        { "patterns", verb_patterns, "list, show and test the pattern library" },
        { "retag", verb_retag, "tag stored events again after the pattern library changed" },
        { "analyze", verb_analyze, "find incidents: what happened, in what order, and why" },
        { "report", verb_report, "write the Markdown postmortem of the incidents found" },
        { "query", verb_query, "run read-only SQL on the database (table, CSV or JSON)" },
        { "timeline", verb_timeline, "every node's events merged into one skew-corrected timeline" },
        { "collect", verb_collect, "fetch every node's journal over ssh into the database" },
        { "scan", verb_scan, "collect, ingest, analyze and report what is new (nightly)" },
};

static void help(void) {
        printf("Usage: %s [--db PATH] [--tz ZONE] [--patterns DIR] [-v|-q] COMMAND [ARGS...]\n\n"
               "Log forensics and incident timelines for corosync / Proxmox VE clusters.\n\n"
               "Commands:\n", PACKAGE_NAME);
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                printf("  %-10s %s\n", verbs[i].name, verbs[i].summary);
        printf("\nOptions:\n"
               "  --db PATH      database file (default: $CASCADE_DB, else ~/.local/state/cascade/cascade.db)\n"
               "  --tz ZONE      time zone of stamps without one, and of printed times (default: local)\n"
               "  --patterns DIR extra pattern rules (override shipped and /etc/cascade/patterns.d rules by id)\n"
               "  -v, --verbose  more diagnostics\n"
               "  -q, --quiet    errors only\n"
               "  -h, --help     this help\n"
               "  --version      print the version\n\n"
               "Exit status: 0 success, 1 something failed, 2 usage error.\n"
               "Run '%s COMMAND --help' for a command's options.\n", PACKAGE_NAME);
}

int cli_db_path(char **ret) {
        int r = arg_global.db_path ? ((*ret = strdup(arg_global.db_path)) ? 0 : -ENOMEM) : store_default_path(ret);
        if (r < 0)
                return log_error_errno(r, "Cannot find a database path (no $HOME); use --db");
        return 0;
}

int cli_open_store(StoreMode mode, Store **ret) {
        _cleanup_free_ char *path = NULL;
        int r = cli_db_path(&path);
        if (r < 0)
                return r;
        r = store_open(path, mode, ret);
        switch (r) {
        case 0:
                return 0;
        case -EPROTONOSUPPORT:
                return log_error("Database '%s' was written by a newer cascade (schema newer than %d); "
                                 "upgrade cascade to read it", path, store_schema_latest()), r;
        case -ENOTSUP:
                return log_error("'%s' is not a cascade database", path), r;
        case -ENOENT:
                return log_error("Database '%s' does not exist", path), r;
        default:
                return log_error_errno(r, "Cannot open database '%s'", path);
        }
}

int main(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_DB, ARG_TZ, ARG_PATTERNS };
        static const struct option options[] = {
                { "db", required_argument, NULL, ARG_DB },
                { "tz", required_argument, NULL, ARG_TZ },
                { "patterns", required_argument, NULL, ARG_PATTERNS },
                { "verbose", no_argument, NULL, 'v' },
                { "quiet", no_argument, NULL, 'q' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                {},
        };
        int c;

        /* '+': stop at the command; its options are its own. */
        while ((c = getopt_long(argc, argv, "+vqh", options, NULL)) >= 0)
                switch (c) {
                case ARG_DB:
                        arg_global.db_path = optarg;
                        break;
                case ARG_TZ:
                        arg_global.tz = optarg;
                        break;
                case ARG_PATTERNS:
                        arg_global.patterns_dir = optarg;
                        break;
                case 'v':
                        log_set_level(LOG_LEVEL_DEBUG);
                        break;
                case 'q':
                        log_set_level(LOG_LEVEL_ERROR);
                        break;
                case 'h':
                        help();
                        return EXIT_OK;
                case ARG_VERSION:
                        printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
                        return EXIT_OK;
                default:
                        return EXIT_USAGE;
                }

        if (optind >= argc) {
                help();
                return EXIT_USAGE;
        }
        if (time_set_zone(arg_global.tz) < 0) {
                log_error("Unknown time zone '%s'", arg_global.tz);
                return EXIT_USAGE;
        }
        const char *name = argv[optind];
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(name, verbs[i].name)) {
                        int verb_argc = argc - optind;
                        char **verb_argv = argv + optind;
                        optind = 0;   /* the verb's getopt_long starts afresh */
                        return verbs[i].fn(verb_argc, verb_argv);
                }
        log_error("Unknown command '%s'; see '%s --help'", name, PACKAGE_NAME);
        return EXIT_USAGE;
}
