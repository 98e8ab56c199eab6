/* verb-forget.c: `cascade forget SOURCE...|--node NAME [--since T] [--until T] [--dry-run]`: a
 * mistaken ingest undone in one command. The arguments name stored sources (store-forget.c does the
 * removing); --list shows what can be named. */
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ingest-journal.h"
#include "log.h"
#include "store-forget.h"

static const char *arg_node, *arg_since_text, *arg_until_text;
static usec_t arg_since = USEC_INVALID, arg_until = USEC_INVALID;
static bool arg_dry_run, arg_list;

enum { ARG_NODE = 0x100, ARG_SINCE, ARG_UNTIL, ARG_DRY_RUN, ARG_LIST };

static const struct option options[] = {
        { "node", required_argument, NULL, ARG_NODE },   { "since", required_argument, NULL, ARG_SINCE },
        { "until", required_argument, NULL, ARG_UNTIL }, { "dry-run", no_argument, NULL, ARG_DRY_RUN },
        { "list", no_argument, NULL, ARG_LIST },         { "help", no_argument, NULL, 'h' },
        {},
};

static void forget_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] forget SOURCE... [--node NAME] [--since T] [--until T] [--dry-run]\n"
                   "       cascade forget --node NAME [--since T] [--until T] [--dry-run]\n"
                   "       cascade forget --list\n\n"
                   "Remove what sources or a node contributed to the database: events and their tags, and\n"
                   "the boots, sources and nodes left without events (a source's resume point, rejected\n"
                   "lines, a corosync.conf's nodes). Ingesting a forgotten source again reads it anew.\n"
                   "An event two sources delivered belongs to the one that stored it (or gave its finer\n"
                   "time). Stored incidents stay until the window is analysed again. Prints the sources\n"
                   "named, then what was removed.\n"
                   "  SOURCE          a file or journal file as ingested, a directory (every source in\n"
                   "                  it), or a source key as --list shows it (collect:pve1)\n"
                   "  --node NAME     only the events of node NAME (with no SOURCE: all of them)\n"
                   "  --since T, --until T  only events in this window, by the node's clock; a source\n"
                   "                  that keeps events keeps its resume point: ingest does not bring\n"
                   "                  the forgotten ones back\n"
                   "  --dry-run       count what would go, remove nothing\n"
                   "  --list          the stored sources: key, format, path\n");
}

static int forget_option(int c, const char *arg) {
        switch (c) {
        case ARG_NODE: arg_node = arg; return 0;
        case ARG_SINCE: arg_since_text = arg; return 0;
        case ARG_UNTIL: arg_until_text = arg; return 0;
        case ARG_DRY_RUN: arg_dry_run = true; return 0;
        case ARG_LIST: arg_list = true; return 0;
        default: return -EINVAL;
        }
}

static int forget_check(char **args, int n_args) {
        if (arg_list)
                return n_args == 0 && !arg_node && !arg_since_text && !arg_until_text ? 0 :
                       (log_error("--list takes no SOURCE, --node or window"), -EINVAL);
        if (n_args == 0 && !arg_node)
                return log_error("Name a SOURCE or --node NAME: what to forget; see 'cascade forget --help'"), -EINVAL;
        return cli_parse_window(arg_since_text, arg_until_text, &arg_since, &arg_until);
}

static const char sql_sources[] = "SELECT id, key, format, path FROM source ORDER BY id";
static const char sql_node[] = "SELECT id FROM node WHERE name = ?1";

/* The keys an argument can mean: itself, the file it names ('file:' + its real path), the journal
 * chain of a journal file, and everything under a directory (prefix keys end in '/'). */
typedef struct SourceName {
        const char *arg;
        char file_key[PATH_MAX + 8], chain_key[PATH_MAX + 16];
        char dir_prefix[2][PATH_MAX + 16];
} SourceName;

static void source_name_init(SourceName *n, const char *arg) {
        *n = (SourceName){ .arg = arg };
        char abs[PATH_MAX];
        struct stat st;
        if (!realpath(arg, abs) || stat(abs, &st) < 0)
                return;
        if (S_ISDIR(st.st_mode)) {
                const char *sep = streq(abs, "/") ? "" : "/";
                snprintf(n->dir_prefix[0], sizeof n->dir_prefix[0], "file:%s%s", abs, sep);
                snprintf(n->dir_prefix[1], sizeof n->dir_prefix[1], "journal:%s%s", abs, sep);
                return;
        }
        snprintf(n->file_key, sizeof n->file_key, "file:%s", abs);
        JournalChain *chains;
        size_t n_chains;
        if (journal_chain_from_file(abs, &chains, &n_chains) >= 0) {
                if (n_chains == 1)
                        snprintf(n->chain_key, sizeof n->chain_key, "journal:%s/%s", chains[0].dir, chains[0].name);
                journal_chains_free(chains, n_chains);
        }
}

static bool source_name_matches(const SourceName *n, const char *key) {
        if (streq(key, n->arg) || streq(key, n->file_key) || streq(key, n->chain_key))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(n->dir_prefix); i++)
                if (n->dir_prefix[i][0] && strncmp(key, n->dir_prefix[i], strlen(n->dir_prefix[i])) == 0)
                        return true;
        return false;
}

/* A row of sql_sources: format, key and path (sanitized: paths are anyone's bytes). */
static void print_source(sqlite3_stmt *st) {
        char key[PATH_MAX], path[PATH_MAX];
        log_sanitize((const char *) sqlite3_column_text(st, 1), (size_t) sqlite3_column_bytes(st, 1), key, sizeof key);
        log_sanitize((const char *) sqlite3_column_text(st, 3), (size_t) sqlite3_column_bytes(st, 3), path, sizeof path);
        printf("%-14s %s  %s\n", sqlite3_column_text(st, 2), key, path);
}

typedef struct SourceIds {
        int64_t *v;
        size_t n, alloc;
} SourceIds;

/* The ids of the stored sources args name, each listed on stderr; -ENOENT (logged) for an
 * argument that names none: nothing is removed unless every argument means something. */
static int resolve_sources(Store *store, char **args, int n_args, SourceIds *ids) {
        sqlite3_stmt *st;
        int r = store_stmt(store, sql_sources, &st);
        if (r < 0)
                return log_error_errno(r, "Cannot read the sources: %s", store_errmsg(store));
        for (int i = 0; i < n_args; i++) {
                SourceName name;
                source_name_init(&name, args[i]);
                size_t before = ids->n;
                int rc;
                while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                        if (!source_name_matches(&name, (const char *) sqlite3_column_text(st, 1)))
                                continue;
                        if (array_reserve(&ids->v, &ids->alloc, ids->n + 1, sizeof *ids->v, 8) < 0)
                                return sqlite3_reset(st), log_oom();
                        ids->v[ids->n++] = sqlite3_column_int64(st, 0);
                        print_source(st);
                }
                sqlite3_reset(st);
                if (rc != SQLITE_DONE)
                        return log_error("Cannot read the sources: %s", store_errmsg(store)), -EIO;
                if (ids->n == before)
                        return log_error("No stored source is '%s' (see 'cascade forget --list')", args[i]), -ENOENT;
        }
        return 0;
}

static int list_sources(Store *store) {
        sqlite3_stmt *st;
        int r = store_stmt(store, sql_sources, &st);
        if (r < 0)
                return log_error_errno(r, "Cannot read the sources: %s", store_errmsg(store));
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                print_source(st);
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : (log_error("Cannot read the sources: %s", store_errmsg(store)), -EIO);
}

static void print_counts(const ForgetCounts *c) {
        printf("%s %lld event%s (%lld tag%s), %lld boot%s, %lld source%s, %lld node%s",
               arg_dry_run ? "would forget" : "forgot", (long long) c->events, c->events == 1 ? "" : "s",
               (long long) c->tags, c->tags == 1 ? "" : "s", (long long) c->boots, c->boots == 1 ? "" : "s",
               (long long) c->sources, c->sources == 1 ? "" : "s", (long long) c->nodes, c->nodes == 1 ? "" : "s");
        if (c->rejected_lines > 0)
                printf(", %lld rejected line%s", (long long) c->rejected_lines, c->rejected_lines == 1 ? "" : "s");
        if (c->conf_rows > 0)
                printf(", %lld corosync.conf row%s", (long long) c->conf_rows, c->conf_rows == 1 ? "" : "s");
        printf("\n");
}

/* The id of node `name`, 0 when the store has none of that name. */
static int find_node(Store *store, const char *name, int64_t *ret) {
        sqlite3_stmt *st;
        int r = store_stmt(store, sql_node, &st);
        if (r < 0)
                return r;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        *ret = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_errno(rc);
}

/* Not through the verb table's read-write mode: that would create a database only to find it empty. */
static int open_existing(Store **ret) {
        _cleanup_free_ char *path = NULL;
        int r = cli_db_path(&path);
        if (r < 0)
                return r;
        if (access(path, F_OK) < 0)
                return log_error_errno(-errno, "Cannot open the database '%s'", path);
        return cli_open_store(arg_list ? STORE_READ_ONLY : STORE_READ_WRITE, ret);
}

static int forget_run(const VerbContext *ctx) {
        _cleanup_(store_closep) Store *store = NULL;
        if (open_existing(&store) < 0)
                return EXIT_FAILED;
        if (arg_list)
                return list_sources(store) < 0 ? EXIT_FAILED : EXIT_OK;
        ForgetSelection sel = { .since = arg_since, .until = arg_until };
        if (arg_node) {
                int r = find_node(store, arg_node, &sel.node_id);
                if (r < 0)
                        return log_error_errno(r, "Cannot read the nodes: %s", store_errmsg(store)), EXIT_FAILED;
                if (sel.node_id == 0)
                        return log_error("No node '%s' in the database", arg_node), EXIT_FAILED;
        }
        _cleanup_free_ int64_t *ids = NULL;
        SourceIds sources = { 0 };
        int r = resolve_sources(store, ctx->args, ctx->n_args, &sources);
        ids = sources.v;
        if (r < 0)
                return EXIT_FAILED;
        sel.source_ids = sources.v;
        sel.n_sources = sources.n;
        ForgetCounts counts;
        r = store_forget(store, &sel, arg_dry_run, &counts);
        if (r < 0)
                return log_error_errno(r, "Cannot forget: %s (nothing was removed)", store_errmsg(store)), EXIT_FAILED;
        print_counts(&counts);
        return EXIT_OK;
}

const VerbOps verb_forget_ops = {
        .options = options,
        .short_options = "h",
        .option = forget_option,
        .check = forget_check,
        .help = forget_help,
        .run = forget_run,
};
