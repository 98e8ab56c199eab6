/* cli.h: what main.c shares with the verbs: global options, the verb signature, exit codes. */
#pragma once

#include "macro.h"
#include "store.h"

/* Exit codes (documented in README and --help). */
enum {
        EXIT_OK = 0,
        EXIT_FAILED = 1,       /* the command ran and something failed (a source, a check) */
        EXIT_USAGE = 2,        /* bad command line */
};

typedef struct GlobalOptions {
        const char *db_path;   /* --db, NULL: $CASCADE_DB or the default */
        const char *tz;        /* --tz, NULL: the machine's zone */
        const char *patterns_dir; /* --patterns: site rules that override the shipped ones */
} GlobalOptions;

extern GlobalOptions arg_global;

typedef int (*VerbFn)(int argc, char *argv[]);

/* The database path: --db / $CASCADE_DB, else the default; logs why when there is none. */
int cli_db_path(char **ret);
/* Open the database named by cli_db_path(), logging why when it fails. */
int cli_open_store(StoreMode mode, Store **ret);

/* What ingest tells the user (shared by ingest, collect and scan): a bad line or source on stderr,
 * terminal-safe; the per-node summary table on stdout. */
struct IngestStats;
void cli_ingest_diag(void *userdata, const char *path, uint64_t line, const char *what);
void cli_print_ingest_summary(const struct IngestStats *st);

/* Load the pattern library (shipped, site, --patterns), logging the first error as file:line:col. */
struct PatternSet;
int cli_load_patterns(struct PatternSet **ret);

int verb_ingest(int argc, char *argv[]);
int verb_patterns(int argc, char *argv[]);
int verb_retag(int argc, char *argv[]);
int verb_analyze(int argc, char *argv[]);
int verb_report(int argc, char *argv[]);
int verb_query(int argc, char *argv[]);
int verb_timeline(int argc, char *argv[]);
int verb_collect(int argc, char *argv[]);
int verb_scan(int argc, char *argv[]);
