/* cli.h: what main.c shares with the verbs: global options, exit codes, the verb table's types
 * (verbs.c holds the table), and the helpers every verb uses (cli.c): the database, the pattern
 * library, --since/--until, what ingest tells the user. Only main.c, cli.c and verb-*.c log. */
#pragma once

#include <getopt.h>

#include "macro.h"
#include "store.h"
#include "time-util.h"

/* Exit codes (documented in README and --help). */
enum {
        EXIT_OK = 0,
        EXIT_FAILED = 1,       /* the command ran and something failed (a source, a check) */
        EXIT_USAGE = 2,        /* bad command line */
        /* ingest, collect and scan die of SIGINT, SIGTERM or SIGHUP once they stopped their children
         * and said so (process_interrupt_catch()): a shell shows 128 + the signal, 130 for Ctrl-C,
         * 143 for SIGTERM. Dying of it, not exit(130), stops a calling shell loop too. */
        EXIT_SIGNAL_BASE = 128,
};

typedef struct GlobalOptions {
        const char *db_path;   /* --db, NULL: $CASCADE_DB or the default */
        const char *tz;        /* --tz, NULL: the machine's zone */
        const char *patterns_dir; /* --patterns: site rules that override the shipped ones */
        const char *config;    /* --config, NULL: $CASCADE_CONF or the default (cli_config_path()) */
        int color;             /* --color: a ColorMode (pager.h), COLOR_AUTO unless given */
        bool no_pager;         /* --no-pager */
} GlobalOptions;

extern GlobalOptions arg_global;

/* The global options, accepted before the command and after it (main.c merges them into each
 * verb's table; a verb's own option of the same name wins, as ingest's --tz does). Their codes are
 * above every verb's (0x100...) and 'v', 'q', 'V' are no verb's short options: test-verbs checks both. */
enum {
        CLI_ARG_DB = 0x1000,
        CLI_ARG_TZ,
        CLI_ARG_PATTERNS,
        CLI_ARG_COLOR,
        CLI_ARG_NO_PAGER,
        CLI_ARG_CONFIG,
};
#define CLI_GLOBAL_SHORT_OPTIONS "vqV"
extern const struct option cli_global_options[];
/* Whether c is one of cli_global_options' codes. */
bool cli_is_global_option(int c);
/* Apply one global option: 0, or -EINVAL once it logged why (an unknown zone or colour mode). */
int cli_global_option(int c, const char *arg);
/* -q: only errors reach stderr, and what is not the command's answer is not printed. */
bool cli_quiet(void);

/* Colour for stdout (--color, NO_COLOR, TERM=dumb, a terminal or the pager on one). */
bool cli_color_enabled(void);
/* Page stdout when it is a terminal (unless --no-pager or TERM=dumb): $CASCADE_PAGER, else $PAGER,
 * else less. Call before the first output line; a pager that cannot start is a warning, and the
 * output goes to stdout as it is. main.c waits for the pager after the verb's run(). */
void cli_pager_open(void);

/* The configuration file (conf.h): --config, else $CASCADE_CONF, else CONF_DEFAULT_PATH. */
const char *cli_config_path(void);
/* Read the configuration's shared settings ([cascade]) once, after the command line and before a
 * verb's check() (main.c): 0, or -EINVAL once it logged why (file:line): a usage error. A missing
 * default file is no configuration; a file named by --config or $CASCADE_CONF must exist. */
int cli_load_config(void);
/* What cli_load_config() read; NULL before it ran. */
const struct ConfSettings *cli_settings(void);
void cli_unload_config(void);

struct PatternSet;

/* ---- the verb table ---- */

/* What main opens for a verb before its run(). */
typedef enum VerbStore {
        VERB_STORE_NONE,       /* no database */
        VERB_STORE_READ_ONLY,  /* must exist; never written */
        VERB_STORE_READ_WRITE, /* created when missing, migrated to the current schema */
        VERB_STORE_WRITABLE,   /* read-write when the file can be written, else read-only (evidence on
                                * read-only media is read all the same) */
        VERB_STORE_OWN,        /* the verb opens it itself; the table says why */
} VerbStore;

typedef enum VerbPatterns {
        VERB_PATTERNS_NONE,
        VERB_PATTERNS_REQUIRED, /* a library that does not load fails the verb (exit 1) */
        VERB_PATTERNS_OPTIONAL, /* ... is warned about (Verb.without_patterns), the verb runs without */
        VERB_PATTERNS_OWN,     /* the verb loads it itself; the table says why */
} VerbPatterns;

/* Handed to a verb's run(): what the table asked main to open, owned by main. */
typedef struct VerbContext {
        Store *store;          /* NULL unless the table asks for one */
        struct PatternSet *patterns; /* NULL unless asked for; NULL too when an optional one failed */
        char **args;           /* positional arguments (after the options) */
        int n_args;
} VerbContext;

/* A verb's command line and run, from its verb-*.c. The command line is handled completely before
 * anything is opened: --help and usage errors work without a database or a pattern library.
 * option() and check() return 0, or -errno once they logged why: -EINVAL is a usage error (exit 2),
 * anything else a failure (exit 1). */
typedef struct VerbOps {
        const struct option *options; /* getopt_long()'s table; 'h' (--help) is main's */
        const char *short_options;
        int (*option)(int c, const char *arg); /* one option at a time, into the verb's arg_* statics */
        /* For an option whose value is optional (journalctl's -n, -b): whether the next word of the
         * command line is its value ('-n 5', '-b -1'), which option() then gets. May be NULL. */
        bool (*is_option_value)(int c, const char *next);
        int (*check)(char **args, int n_args); /* after the options and the argument count: values that
                                                * need each other (times after --tz), files to read */
        /* A verb with sub-commands parses its whole argv itself instead (options is NULL):
         * > 0 go on, 0 done (help shown), < 0 as above. */
        int (*parse)(int argc, char *argv[]);
        void (*help)(FILE *f);
        int (*run)(const VerbContext *ctx);    /* returns the exit status */
        void (*done)(void);    /* frees what parsing kept; may be NULL */
} VerbOps;

typedef struct Verb {
        const char *name;
        const char *summary;   /* its line in 'cascade --help' */
        const VerbOps *ops;
        VerbStore store;
        VerbPatterns patterns;
        const char *without_patterns; /* VERB_PATTERNS_OPTIONAL: the warning when the library failed */
        int min_args, max_args; /* positional arguments; max_args -1: any number */
        const char *wrong_args; /* the error for another count, after "'NAME' "; NULL: "takes no arguments" */
} Verb;

extern const Verb cli_verbs[];
extern const size_t cli_n_verbs;
const Verb *cli_verb_find(const char *name);

extern const VerbOps verb_ingest_ops, verb_patterns_ops, verb_retag_ops, verb_analyze_ops, verb_report_ops,
        verb_query_ops, verb_timeline_ops, verb_collect_ops, verb_scan_ops, verb_forget_ops, verb_prune_ops;

/* ---- helpers (cli.c) ---- */

/* The database path: --db / $CASCADE_DB, else the default; logs why when there is none. */
int cli_db_path(char **ret);
/* Open the database named by cli_db_path(), logging why when it fails. */
int cli_open_store(StoreMode mode, Store **ret);
/* Read-write when the file exists and can be written, else read-only (VERB_STORE_WRITABLE). */
int cli_open_store_writable(Store **ret);

/* --since and --until (either may be NULL, ret_until too when there is no --until): TIME as
 * time_parse_user() takes it, relative to now; USEC_INVALID when not given. Logs which option had
 * which bad value, or that --since is after --until; -EINVAL. */
int cli_parse_window(const char *since, const char *until, usec_t *ret_since, usec_t *ret_until);

/* Load the pattern library, logging the first error as file:line:col: the shipped rules (or
 * $CASCADE_PATTERNS_DIR's), then /etc/cascade/patterns.d when the configuration is the default one,
 * then the configuration's `patterns = DIR` in order, then --patterns DIR. */
int cli_load_patterns(struct PatternSet **ret);
/* Log why a pattern file did not load (file:line:col: message); returns r. */
struct PatternError;
int cli_log_pattern_error(int r, const struct PatternError *err);

/* A tagger for ingest, brought up to date with the library first. NULL when set is NULL (no
 * library), or with a warning when the tags cannot be brought up to date: events are then stored
 * untagged, and tagged by the next ingest or retag with a good library. */
struct TagContext;
struct TagContext *cli_open_tagger(Store *store, const struct PatternSet *set);
/* One line on stderr (not with -q) when the store is tagged by another library than tc's, which
 * is about to retag it: which library tagged it (hash and sources) and which one retags now. */
void cli_note_library_change(struct TagContext *tc);

/* What ingest tells the user (shared by ingest, collect and scan): a bad line or source on stderr,
 * terminal-safe; the per-node summary table on stdout. */
struct IngestStats;
void cli_ingest_diag(void *userdata, const char *path, uint64_t line, const char *what);
void cli_print_ingest_summary(const struct IngestStats *st);
