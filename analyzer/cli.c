/* cli.c: the helpers main.c and the verbs share (cli.h): the database, the pattern library, the
 * --since/--until window, the tagger for ingest and what ingest tells the user. Program code: these
 * log, with the wording the user sees. */
#include <sys/stat.h>

#include "cli.h"
#include "conf.h"
#include "config.h"
#include "ingest.h"
#include "log.h"
#include "pager.h"
#include "tag.h"

GlobalOptions arg_global;

const struct option cli_global_options[] = {
        { "db", required_argument, NULL, CLI_ARG_DB },
        { "tz", required_argument, NULL, CLI_ARG_TZ },
        { "patterns", required_argument, NULL, CLI_ARG_PATTERNS },
        { "color", required_argument, NULL, CLI_ARG_COLOR },
        { "no-pager", no_argument, NULL, CLI_ARG_NO_PAGER },
        { "config", required_argument, NULL, CLI_ARG_CONFIG },
        { "verbose", no_argument, NULL, 'v' },
        { "quiet", no_argument, NULL, 'q' },
        { "version", no_argument, NULL, 'V' },  /* main.c answers it */
        {},
};

bool cli_is_global_option(int c) {
        return c == 'v' || c == 'q' || c == 'V' || (c >= CLI_ARG_DB && c <= CLI_ARG_CONFIG);
}

int cli_global_option(int c, const char *arg) {
        switch (c) {
        case CLI_ARG_DB:
                arg_global.db_path = arg;
                return 0;
        case CLI_ARG_TZ:
                /* At once: a verb's check() reads its times in this zone, wherever --tz was given. */
                if (time_set_zone(arg) < 0)
                        return log_error("Unknown time zone '%s'", arg), -EINVAL;
                arg_global.tz = arg;
                return 0;
        case CLI_ARG_PATTERNS:
                arg_global.patterns_dir = arg;
                return 0;
        case CLI_ARG_COLOR: {
                int m = color_mode_from_string(arg);
                if (m < 0)
                        return log_error("Unknown --color '%s' (always, never, auto)", arg), -EINVAL;
                arg_global.color = m;
                return 0;
        }
        case CLI_ARG_NO_PAGER:
                arg_global.no_pager = true;
                return 0;
        case CLI_ARG_CONFIG:
                if (!*arg)
                        return log_error("Empty --config"), -EINVAL;
                arg_global.config = arg;
                return 0;
        case 'v':
                log_set_level(LOG_LEVEL_DEBUG);
                return 0;
        case 'q':
                log_set_level(LOG_LEVEL_ERROR);
                return 0;
        default:
                return -EINVAL;
        }
}

bool cli_quiet(void) {
        return log_get_level() <= LOG_LEVEL_ERROR;
}

bool cli_color_enabled(void) {
        bool terminal = pager_active() || isatty(STDOUT_FILENO);
        return color_decide(arg_global.color, getenv("NO_COLOR"), getenv("TERM"), terminal);
}

void cli_pager_open(void) {
        if (arg_global.no_pager || !pager_wanted(getenv("TERM"), isatty(STDOUT_FILENO)))
                return;
        const char *cmd = pager_pick(getenv("CASCADE_PAGER"), getenv("PAGER"));
        int r = cmd ? pager_open(cmd) : 0;
        if (r < 0)
                log_warning_errno(r, "Cannot start the pager '%s'", cmd);
}

/* The file named by the user, NULL when it is the machine's (the default). */
static const char *config_named(void) {
        const char *env = getenv("CASCADE_CONF");
        return arg_global.config ? arg_global.config : env && *env ? env : NULL;
}

const char *cli_config_path(void) {
        const char *named = config_named();
        return named ? named : CONF_DEFAULT_PATH;
}

static ConfSettings *settings;

const ConfSettings *cli_settings(void) {
        return settings;
}

void cli_unload_config(void) {
        settings = conf_settings_free(settings);
}

int cli_load_config(void) {
        const char *path = cli_config_path(), *reason = NULL;
        unsigned line = 0;
        settings = conf_settings_free(settings);
        int r = conf_settings_load(path, config_named() != NULL, &settings, &line, &reason);
        if (r == -EINVAL && line > 0)
                return log_error("%s:%u: %s", path, line, reason), r;
        if (r < 0)
                return log_error_errno(r, "Cannot read configuration '%s'", path), -EINVAL;
        return 0;
}

int cli_db_path(char **ret) {
        int r = arg_global.db_path ? ((*ret = strdup(arg_global.db_path)) ? 0 : -ENOMEM) : store_default_path(ret);
        if (r < 0)
                return log_error_errno(r, "Cannot find a database path (no $HOME); use --db");
        return 0;
}

/* Each reason in its own words: a missing database is not one that cannot be read. */
static int open_path(const char *path, StoreMode mode, Store **ret) {
        static const char *const step[] = {
                [STORE_STEP_CREATE] = "create", [STORE_STEP_OPEN] = "open", [STORE_STEP_READ] = "read",
        };
        StoreOpenError err;
        int r = store_open_full(path, mode, ret, &err);
        if (r >= 0)
                return 0;
        if (r == -EINVAL)
                return log_error("Empty database path: give --db a file name"), r;
        if (r == -EPROTONOSUPPORT)
                return log_error("Database '%s' has schema version %d, newer than this cascade's %d; upgrade "
                                 "cascade to read it", path, err.version, store_schema_latest()), r;
        if (r == -ENOTSUP && !*err.reason)
                return log_error("'%s' is another program's SQLite database, not cascade's", path), r;
        /* Only a read-only open gets here: a read-write one creates it. */
        if (r == -ENOENT && err.step == STORE_STEP_OPEN)
                return log_error("Database '%s' does not exist; 'cascade ingest SOURCE...' or 'cascade collect' "
                                 "creates it", path), r;
        const char *how = mode == STORE_READ_WRITE && err.step == STORE_STEP_OPEN ? " for writing" : "";
        if (*err.reason)
                return log_error("Cannot %s database '%s'%s: %s", step[err.step], path, how, err.reason), r;
        return log_error_errno(r, "Cannot %s database '%s'%s", step[err.step], path, how);
}

int cli_open_store(StoreMode mode, Store **ret) {
        _cleanup_free_ char *path = NULL;
        int r = cli_db_path(&path);
        if (r < 0)
                return r;
        return open_path(path, mode, ret);
}

int cli_open_store_writable(Store **ret) {
        _cleanup_free_ char *path = NULL;
        int r = cli_db_path(&path);
        if (r < 0)
                return r;
        /* Quietly: whatever keeps it from being written, it can still be read. */
        if (access(path, W_OK) == 0 && store_open(path, STORE_READ_WRITE, ret) >= 0)
                return 0;
        return open_path(path, STORE_READ_ONLY, ret);
}

static int parse_time(const char *option, const char *s, usec_t now, usec_t *ret) {
        *ret = USEC_INVALID;
        if (s && time_parse_user(s, now, ret) < 0)
                return log_error("Invalid time '%s' for %s", s, option), -EINVAL;
        return 0;
}

int cli_parse_window(const char *since, const char *until, usec_t *ret_since, usec_t *ret_until) {
        /* One "now" for both ends: --since -1h --until now is exactly an hour. */
        usec_t now = now_usec(), s, u = USEC_INVALID;
        int r = parse_time("--since", since, now, &s);
        if (r >= 0 && ret_until)
                r = parse_time("--until", until, now, &u);
        if (r < 0)
                return r;
        /* An empty window is a typo (the two swapped), not a question with no answer. */
        if (s != USEC_INVALID && u != USEC_INVALID && s > u)
                return log_error("--since '%s' is after --until '%s'", since, until), -EINVAL;
        *ret_since = s;
        if (ret_until)
                *ret_until = u;
        return 0;
}

int cli_log_pattern_error(int r, const PatternError *err) {
        if (err->line > 0)
                log_error("%s:%u:%u: %s", err->file, err->line, err->column, err->message);
        else if (err->file[0])
                log_error("%s: %s", err->file, err->message);
        else
                log_error_errno(r, "Cannot load the pattern library");
        return r;
}

/* The site directories of the configuration: /etc/cascade/patterns.d belongs to the machine's
 * configuration, which another file (--config, $CASCADE_CONF) replaces as a whole; then each
 * `patterns = DIR` in the file's order. */
static int load_conf_patterns(PatternSet *set) {
        PatternError err = { 0 };
        struct stat st;
        int r;
        if (!config_named() && stat(CONF_SITE_PATTERNS_DIR, &st) == 0 &&
            (r = pattern_set_load_dir(set, CONF_SITE_PATTERNS_DIR, true, &err)) < 0)
                return cli_log_pattern_error(r, &err);
        for (size_t i = 0; settings && i < settings->n_patterns; i++) {
                const ConfPatternDir *d = &settings->patterns[i];
                r = pattern_set_load_dir(set, d->dir, true, &err);
                if (r == -ENOENT || r == -ENOTDIR)
                        return log_error_errno(r, "Cannot read pattern directory '%s' (%s:%u)", d->dir,
                                               settings->path, d->line);
                if (r < 0)
                        return cli_log_pattern_error(r, &err);
        }
        return 0;
}

int cli_load_patterns(PatternSet **ret) {
        _cleanup_(pattern_set_freep) PatternSet *set = pattern_set_new();
        PatternError err = { 0 };
        if (!set)
                return log_oom();
        /* $CASCADE_PATTERNS_DIR replaces the compiled-in library (working on the rules, tests). */
        const char *dir = getenv("CASCADE_PATTERNS_DIR");
        int r = dir && *dir ? pattern_set_load_dir(set, dir, false, &err) : pattern_set_load_shipped(set, &err);
        if (r == -ENOENT || r == -ENOTDIR)
                return log_error_errno(r, "Cannot read $CASCADE_PATTERNS_DIR '%s'", dir);
        if (r < 0)
                return cli_log_pattern_error(r, &err);
        r = load_conf_patterns(set);
        if (r < 0)
                return r;
        if (arg_global.patterns_dir && (r = pattern_set_load_dir(set, arg_global.patterns_dir, true, &err)) < 0) {
                if (r == -ENOENT || r == -ENOTDIR)
                        return log_error_errno(r, "Cannot read --patterns directory '%s'", arg_global.patterns_dir);
                return cli_log_pattern_error(r, &err);
        }
        *ret = TAKE_PTR(set);
        return 0;
}

void cli_note_library_change(TagContext *tc) {
        LibraryRow old = { 0 };
        if (tag_other_library(tc, &old) <= 0)
                return;
        /* A notice, not a warning: a new library is meant to retag. The line is there for site
         * rules that a plain ingest without them would otherwise replace unseen. */
        log_notice("The store is tagged by pattern library %s (%s); retagging with %s (%s)", old.hash,
                   old.sources ? old.sources : "sources not recorded", tag_context_hash(tc), tag_context_sources(tc));
        library_row_done(&old);
}

TagContext *cli_open_tagger(Store *store, const PatternSet *set) {
        _cleanup_(tag_context_freep) TagContext *tc = NULL;
        if (!set)
                return NULL;
        if (tag_context_new(store, set, &tc) >= 0)
                cli_note_library_change(tc);
        if (!tc || tag_catch_up(tc, false, NULL, NULL) < 0) {
                log_warning("Cannot bring the tags up to date; storing events without tagging them");
                return NULL;
        }
        return TAKE_PTR(tc);
}

void cli_ingest_diag(void *userdata, const char *path, uint64_t line, const char *what) {
        char safe[512];
        log_sanitize(what, strlen(what), safe, sizeof safe);
        if (line > 0)
                log_warning("%s:%" PRIu64 ": %s", path, line, safe);
        else
                log_warning("%s: %s", path, safe);
}

void cli_print_ingest_summary(const IngestStats *st) {
        /* Not the command's answer: what was stored is in the database, failures are on stderr. */
        if (cli_quiet())
                return;
        uint64_t added = 0, dups = 0, rejected = st->rejected_unattributed;
        char first[RFC3339_MAX], last[RFC3339_MAX];

        printf("%-20s %10s %11s %9s  %-19s  %-19s\n", "node", "added", "duplicates", "rejected", "first", "last");
        for (size_t i = 0; i < st->n_nodes; i++) {
                const NodeStats *n = &st->nodes[i];
                char name[64];
                log_sanitize(n->name, strlen(n->name), name, sizeof name);
                bool any = n->first != USEC_INVALID;
                printf("%-20s %10" PRIu64 " %11" PRIu64 " %9" PRIu64 "  %-19s  %-19s\n", name, n->added,
                       n->duplicates, n->rejected, any ? time_format_local(n->first, false, first) : "-",
                       any ? time_format_local(n->last, false, last) : "-");
                added += n->added, dups += n->duplicates, rejected += n->rejected;
        }
        printf("total: %" PRIu64 " added, %" PRIu64 " duplicates skipped, %" PRIu64 " rejected lines, "
               "%u sources read", added, dups, rejected, st->sources_read);
        if (st->filtered)
                printf(", %" PRIu64 " outside --since/--until", st->filtered);
        printf("\n");
}
