/* main.c: global options, exit codes, and running a verb of the table (verbs.c): its command line
 * first, then what the table says it needs (pattern library, database), then the verb itself. */
#include "cli.h"
#include "config.h"
#include "log.h"
#include "pager.h"
#include "tag-patterns.h"

static void help(void) {
        printf("Usage: %s [GLOBAL OPTIONS] COMMAND [ARGS...]\n"
               "       %s help [COMMAND]\n\n"
               "Log forensics and incident timelines for corosync / Proxmox VE clusters.\n\n"
               "Commands:\n", PACKAGE_NAME, PACKAGE_NAME);
        for (size_t i = 0; i < cli_n_verbs; i++)
                printf("  %-10s %s\n", cli_verbs[i].name, cli_verbs[i].summary);
        printf("\nGlobal options (before or after the command):\n"
               "  --db PATH      database file (default: $CASCADE_DB, else ~/.local/state/cascade/cascade.db)\n"
               "  --tz ZONE      time zone of stamps without one, and of printed times (default: local)\n"
               "  --patterns DIR extra pattern rules (override the shipped, the site's and cascade.conf's by id)\n"
               "  --config FILE  configuration (default: $CASCADE_CONF, else /etc/cascade/cascade.conf, with the\n"
               "                 site rules of /etc/cascade/patterns.d); its [cascade] patterns = DIR lines\n"
               "                 add site rules for every command\n"
               "  --color WHEN   colour terminal output: auto (default; not with NO_COLOR or TERM=dumb),\n"
               "                 always or never\n"
               "  --no-pager     never page terminal output (default: $CASCADE_PAGER, else $PAGER, else less)\n"
               "  -v, --verbose  more diagnostics\n"
               "  -q, --quiet    errors only; only the command's answer on stdout\n"
               "  -h, --help     this help\n"
               "  -V, --version  print the version\n\n"
               "Exit status: 0 success, 1 something failed, 2 usage error, 130 interrupted (143 SIGTERM).\n"
               "Run '%s help COMMAND' or '%s COMMAND --help' for a command's options.\n", PACKAGE_NAME, PACKAGE_NAME);
}

static void print_version(void) {
        printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
}

/* The exit status for a -errno of option()/check()/parse(): -EINVAL is the user's. */
static int failure_status(int r) {
        return r == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
}

static bool has_option(const struct option *options, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (streq(options[i].name, name))
                        return true;
        return false;
}

/* a's options (may be NULL), then those of b that a does not have: a verb's own option of a global
 * option's name (ingest's --tz) wins. malloc'ed, NULL when out of memory. */
static struct option *merge_options(const struct option *a, const struct option *b) {
        size_t na = 0, nb = 0, n = 0;
        while (a && a[na].name)
                na++;
        while (b[nb].name)
                nb++;
        struct option *m = calloc(na + nb + 1, sizeof *m);
        if (!m)
                return NULL;
        for (size_t i = 0; i < na; i++)
                m[n++] = a[i];
        for (size_t i = 0; i < nb; i++)
                if (!has_option(a, na, b[i].name))
                        m[n++] = b[i];
        return m;
}

static int verb_option(const Verb *v, int c, const char *arg) {
        if (c == '?' || c == ':')       /* getopt_long said what was wrong */
                return -EINVAL;
        if (cli_is_global_option(c))
                return cli_global_option(c, arg);
        return v->ops->option ? v->ops->option(c, arg) : -EINVAL;
}

/* The verb's options, through its option(), and the global options wherever they are (getopt_long's
 * own errors and --help are handled here): > 0 go on, 0 done (--help), or -errno. */
static int parse_options(const Verb *v, int argc, char *argv[]) {
        static const struct option help_only[] = { { "help", no_argument, NULL, 'h' }, {} };
        _cleanup_free_ struct option *options = merge_options(v->ops->options ? v->ops->options : help_only,
                                                               cli_global_options);
        _cleanup_free_ char *short_options = NULL;
        if (!options || asprintf(&short_options, "%s%s", v->ops->options ? v->ops->short_options : "h",
                                 CLI_GLOBAL_SHORT_OPTIONS) < 0)
                return log_oom();
        int c;
        while ((c = getopt_long(argc, argv, short_options, options, NULL)) >= 0) {
                if (c == 'h') {
                        v->ops->help(stdout);
                        return 0;
                }
                if (c == 'V')
                        return print_version(), 0;
                const char *arg = optarg;
                /* journalctl's '-n 5' and '-b -1': an optional value may also be the next word. */
                if (!arg && optind < argc && v->ops->is_option_value && v->ops->is_option_value(c, argv[optind]))
                        arg = argv[optind++];
                int r = verb_option(v, c, arg);
                if (r < 0)
                        return r;
        }
        return 1;
}

static int check_arg_count(const Verb *v, int n) {
        if (n >= v->min_args && (v->max_args < 0 || n <= v->max_args))
                return 0;
        /* The prefix names the command: "cascade query: takes one SQL argument ..." */
        return log_error("%s; see 'cascade %s --help'", v->wrong_args ? v->wrong_args : "takes no arguments",
                         v->name), -EINVAL;
}

/* The whole command line of the verb, before anything is opened: > 0 go on, 0 done (--help), or
 * -errno (logged). On > 0, ctx has the positional arguments. */
static int parse_verb(const Verb *v, int argc, char *argv[], VerbContext *ctx) {
        optind = 0;            /* the verb's getopt_long starts afresh */
        int r = parse_options(v, argc, argv);
        if (r <= 0)
                return r;
        /* Before the verb's own parse() or check(): they may read its settings. */
        r = cli_load_config();
        if (r < 0)
                return r;
        if (v->ops->parse) {
                /* Its own command line: the verb's name, then what is not a global option. */
                argv[optind - 1] = argv[0];
                return v->ops->parse(argc - optind + 1, argv + optind - 1);
        }
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
        /* The pager shows everything the verb printed before we exit. */
        pager_close();
        store_close(ctx.store);
        pattern_set_free(ctx.patterns);
        cli_unload_config();
        if (v->ops->done)
                v->ops->done();
        return status;
}

static int unknown_command(const char *name) {
        log_error("Unknown command '%s'; see '%s --help'", name, PACKAGE_NAME);
        return EXIT_USAGE;
}

/* 'cascade help [COMMAND]': the same as 'cascade --help' and 'cascade COMMAND --help'. */
static int help_verb(int argc, char *argv[]) {
        if (argc > 2)
                return log_error("'help' takes at most one command"), EXIT_USAGE;
        if (argc < 2) {
                help();
                return EXIT_OK;
        }
        const Verb *v = cli_verb_find(argv[1]);
        if (!v)
                return unknown_command(argv[1]);
        v->ops->help(stdout);
        return EXIT_OK;
}

/* The options before the command: > 0 go on, or an exit status made negative (-EXIT_OK: done). */
static int parse_global(int argc, char *argv[]) {
        static const struct option main_options[] = {
                { "help", no_argument, NULL, 'h' },
                {},
        };
        _cleanup_free_ struct option *options = merge_options(main_options, cli_global_options);
        if (!options)
                return log_oom(), -EXIT_FAILED;
        int c;
        /* '+': stop at the command; what follows is its command line. */
        while ((c = getopt_long(argc, argv, "+h" CLI_GLOBAL_SHORT_OPTIONS, options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return -EXIT_OK;
                case 'V':
                        print_version();
                        return -EXIT_OK;
                default:
                        if (!cli_is_global_option(c) || cli_global_option(c, optarg) < 0)
                                return -EXIT_USAGE;
                }
        return 1;
}

int main(int argc, char *argv[]) {
        /* getopt_long's own errors then say "cascade: ", not the path it was started as. */
        argv[0] = (char *) PACKAGE_NAME;
        int r = parse_global(argc, argv);
        if (r <= 0)
                return -r;
        if (optind >= argc) {
                help();
                return EXIT_USAGE;
        }
        /* A --tz was checked and set as it was parsed; else the machine's zone. */
        if (!arg_global.tz)
                (void) time_set_zone(NULL);
        const char *name = argv[optind];
        if (streq(name, "help"))
                return help_verb(argc - optind, argv + optind);
        const Verb *v = cli_verb_find(name);
        if (!v)
                return unknown_command(name);
        /* From here on every diagnostic, getopt_long's too, names the command. */
        log_set_verb(v->name);
        static char prefix[64];
        snprintf(prefix, sizeof prefix, "%s %s", PACKAGE_NAME, v->name);
        argv[optind] = prefix;
        return run_verb(v, argc - optind, argv + optind);
}
