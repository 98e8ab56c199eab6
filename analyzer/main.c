/* main.c: global options, exit codes, and running a verb of the table (verbs.c): its command line
 * first, then what the table says it needs (pattern library, database), then the verb itself. */
#include "cli.h"
#include "config.h"
#include "log.h"
#include "tag-patterns.h"

static void help(void) {
        printf("Usage: %s [--db PATH] [--tz ZONE] [--patterns DIR] [-v|-q] COMMAND [ARGS...]\n\n"
               "Log forensics and incident timelines for corosync / Proxmox VE clusters.\n\n"
               "Commands:\n", PACKAGE_NAME);
        for (size_t i = 0; i < cli_n_verbs; i++)
                printf("  %-10s %s\n", cli_verbs[i].name, cli_verbs[i].summary);
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

/* The exit status for a -errno of option()/check()/parse(): -EINVAL is the user's. */
static int failure_status(int r) {
        return r == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
}

/* The verb's options, through its option() (getopt_long's own errors and --help are handled here). */
static int parse_options(const Verb *v, int argc, char *argv[]) {
        int c;
        while ((c = getopt_long(argc, argv, v->ops->short_options, v->ops->options, NULL)) >= 0) {
                if (c == 'h') {
                        v->ops->help(stdout);
                        return 0;
                }
                if (c == '?' || c == ':')       /* getopt_long said what was wrong */
                        return -EINVAL;
                int r = v->ops->option(c, optarg);
                if (r < 0)
                        return r;
        }
        return 1;
}

static int check_arg_count(const Verb *v, int n) {
        if (n >= v->min_args && (v->max_args < 0 || n <= v->max_args))
                return 0;
        return log_error("'%s' %s", v->name, v->wrong_args ? v->wrong_args : "takes no arguments"), -EINVAL;
}

/* The whole command line of the verb, before anything is opened: > 0 go on, 0 done (--help), or
 * -errno (logged). On > 0, ctx has the positional arguments. */
static int parse_verb(const Verb *v, int argc, char *argv[], VerbContext *ctx) {
        optind = 0;            /* the verb's getopt_long starts afresh */
        if (!v->ops->options)
                return v->ops->parse(argc, argv);
        int r = parse_options(v, argc, argv);
        if (r <= 0)
                return r;
        *ctx = (VerbContext){ .args = argv + optind, .n_args = argc - optind };
        r = check_arg_count(v, ctx->n_args);
        if (r >= 0 && v->ops->check)
                r = v->ops->check(ctx->args, ctx->n_args);
        return r < 0 ? r : 1;
}

static int open_patterns(const Verb *v, VerbContext *ctx) {
        if (v->patterns != VERB_PATTERNS_REQUIRED && v->patterns != VERB_PATTERNS_OPTIONAL)
                return 0;
        if (cli_load_patterns(&ctx->patterns) >= 0)
                return 0;
        if (v->patterns == VERB_PATTERNS_REQUIRED)
                return -EIO;
        log_warning("%s", v->without_patterns);
        return 0;
}

static int open_store(const Verb *v, VerbContext *ctx) {
        switch (v->store) {
        case VERB_STORE_READ_ONLY:
                return cli_open_store(STORE_READ_ONLY, &ctx->store);
        case VERB_STORE_READ_WRITE:
                return cli_open_store(STORE_READ_WRITE, &ctx->store);
        case VERB_STORE_WRITABLE:
                return cli_open_store_writable(&ctx->store);
        default:
                return 0;
        }
}

/* A verb that needs the library loads it first: it fails before a database is created for nothing.
 * One that writes the database and can do without the library (ingest, collect) opens the database
 * first: a database it cannot open is then the only error reported. */
static int open_needs(const Verb *v, VerbContext *ctx) {
        bool patterns_first = v->patterns == VERB_PATTERNS_REQUIRED || v->store != VERB_STORE_READ_WRITE;
        int r = patterns_first ? open_patterns(v, ctx) : open_store(v, ctx);
        if (r >= 0)
                r = patterns_first ? open_store(v, ctx) : open_patterns(v, ctx);
        return r;
}

static int run_verb(const Verb *v, int argc, char *argv[]) {
        VerbContext ctx = { 0 };
        int r = parse_verb(v, argc, argv, &ctx), status;
        if (r <= 0)
                status = r < 0 ? failure_status(r) : EXIT_OK;
        else if (open_needs(v, &ctx) < 0)
                status = EXIT_FAILED;
        else
                status = v->ops->run(&ctx);
        store_close(ctx.store);
        pattern_set_free(ctx.patterns);
        if (v->ops->done)
                v->ops->done();
        return status;
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
        const Verb *v = cli_verb_find(name);
        if (!v) {
                log_error("Unknown command '%s'; see '%s --help'", name, PACKAGE_NAME);
                return EXIT_USAGE;
        }
        return run_verb(v, argc - optind, argv + optind);
}
