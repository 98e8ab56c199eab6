/* verb-patterns.c: `cascade patterns list|show|test|match` and `cascade retag`. */
#include "cli.h"
#include "correlate-kind.h"
#include "ingest-text.h"
#include "log.h"
#include "store-library.h"
#include "tag-examples.h"
#include "tag-match.h"
#include "tag.h"
#include "time-util.h"

static void patterns_help(FILE *f) {
        fprintf(f, "Usage: cascade [--patterns DIR] patterns list\n"
                   "       cascade [--patterns DIR] patterns show ID\n"
                   "       cascade [--patterns DIR] patterns test [FILE...]\n"
                   "       cascade [--patterns DIR] patterns match LINE...|-\n\n"
                   "The pattern library: the shipped rules, then /etc/cascade/patterns.d/*.patterns (with the\n"
                   "default configuration), then each 'patterns = DIR' of the configuration's [cascade] section,\n"
                   "then --patterns DIR (a later rule with the same id replaces the earlier). 'list' starts with\n"
                   "'#' lines: the library's content hash and sources, and whether the database is tagged by it.\n"
                   "'test' replays every example and counter-example (of FILEs only, when given) and fails on a\n"
                   "mismatch. 'match' shows the rules that tag a log line (syslog or journalctl short, or\n"
                   "'IDENT[PID]: MESSAGE'; '-': one line each from standard input) with their kind and captures;\n"
                   "exit 1 when none.\n"
                   "The file format is described in patterns/FORMAT.md.\n");
}

static const char *base_name(const char *path) {
        const char *s = strrchr(path, '/');
        return s ? s + 1 : path;
}

/* "# store PATH: ..." when a database exists: whether its tags are this library's. */
static void print_store_library(const char *hash) {
        _cleanup_free_ char *path = NULL, *stored = NULL;
        _cleanup_(store_closep) Store *store = NULL;
        /* Quietly: the list is the answer, the database only a remark on it. */
        if (arg_global.db_path)
                path = strdup(arg_global.db_path);
        else
                (void) store_default_path(&path);
        if (!path || access(path, F_OK) < 0 || store_open(path, STORE_READ_ONLY, &store) < 0)
                return;
        char safe[512];
        log_sanitize(path, strlen(path), safe, sizeof safe);
        if (store_meta_get(store, "tags_hash", &stored) <= 0) {
                printf("# store %s: not tagged yet\n", safe);
                return;
        }
        if (streq(stored, hash)) {
                printf("# store %s: tagged by this library\n", safe);
                return;
        }
        LibraryRow old = { 0 };
        bool known = store_library_find(store, stored, &old) > 0;
        printf("# store %s: tagged by library %s (%s); the next ingest or 'cascade retag' retags it with this one\n",
               safe, stored, known && old.sources ? old.sources : "sources not recorded");
        library_row_done(&old);
}

static int patterns_list(const PatternSet *set) {
        _cleanup_free_ char *sources = NULL;
        char hash[PATTERN_HASH_MAX];
        if (pattern_set_sources(set, &sources) < 0)
                return log_oom(), EXIT_FAILED;
        printf("# library %s: %s (%zu rules)\n", pattern_set_hash(set, hash), sources, set->n_rules);
        print_store_library(hash);
        for (size_t i = 0; i < set->n_rules; i++) {
                const PatternRule *r = set->rules[i];
                printf("%-44s %-28s %-8s %s\n", r->id, r->kind, severity_to_string(r->severity), base_name(r->file));
        }
        return EXIT_OK;
}

static int patterns_show(const PatternSet *set, const char *id) {
        const PatternRule *r = pattern_set_find(set, id);
        if (!r)
                return log_error("No rule '%s'; see 'cascade patterns list'", id), EXIT_FAILED;
        printf("rule      %s\nkind      %s\nseverity  %s\nfile      %s:%u\nident    ", r->id, r->kind,
               severity_to_string(r->severity), r->file, r->line);
        if (r->any_ident)
                printf(" *");
        for (size_t i = 0; i < r->n_idents; i++)
                printf(" %s", r->idents[i]);
        printf("\nmatch     %s\nsummary   %s\nexplain   %s\n", r->match, r->summary, r->explain);
        if (r->advice)
                printf("advice    %s\n", r->advice);
        for (size_t i = 0; i < r->n_refs; i++)
                printf("ref       %s\n", r->refs[i]);
        for (size_t i = 0; i < r->n_examples; i++)
                printf("%-9s %s\n", r->examples[i].counter ? "counter" : "example", r->examples[i].line);
        return EXIT_OK;
}

static void on_example_failure(void *userdata, const char *file, unsigned line, const char *rule_id, const char *what) {
        log_error("%s:%u: rule '%s': %s", file, line, rule_id, what);
}

/* The kinds the correlator reasons with that no rule of the library produces: each is an analysis
 * that can no longer see what it needs. */
static int missing_kinds(const PatternSet *set) {
        int missing = 0;
        for (int k = 0; k < _EVENT_KIND_MAX; k++) {
                bool found = false;
                for (size_t i = 0; i < set->n_rules && !found; i++)
                        found = streq(set->rules[i]->kind, event_kind_to_string((EventKind) k));
                if (!found) {
                        log_error("kind '%s', which the correlator reasons with, has no rule", event_kind_to_string((EventKind) k));
                        missing++;
                }
        }
        return missing;
}

static int patterns_test(PatternSet *set, char **files, int n_files) {
        _cleanup_(pattern_set_freep) PatternSet *only = NULL;
        if (n_files > 0) {
                only = pattern_set_new();
                if (!only)
                        return log_oom(), EXIT_FAILED;
                for (int i = 0; i < n_files; i++) {
                        PatternError err = { 0 };
                        int r = pattern_set_load_file(only, files[i], false, &err);
                        if (r < 0)
                                return cli_log_pattern_error(r, &err), EXIT_FAILED;
                }
                set = only;
        }
        unsigned checked = 0;
        int failures = pattern_set_check_examples(set, on_example_failure, NULL, &checked);
        if (failures < 0)
                return log_error_errno(failures, "Cannot test the patterns"), EXIT_FAILED;
        /* Single files are tested on their own; the whole library must serve the correlator. */
        int missing = n_files > 0 ? 0 : missing_kinds(set);
        /* -q: the exit status and the failures on stderr say it all. */
        if (!cli_quiet())
                printf("%zu rules, %u examples checked, %d failed\n", set->n_rules, checked, failures);
        return failures || missing ? EXIT_FAILED : EXIT_OK;
}

/* A pasted line that is no full log line: "IDENT[PID]: MESSAGE" or "IDENT: MESSAGE" (an identifier
 * has no blank); else the whole line is the message, for the rules of any identifier. */
static void split_ident(Slice line, Slice *ident, Slice *message) {
        const char *colon = memchr(line.p, ':', line.n);
        size_t end = colon ? (size_t) (colon - line.p) : 0;
        const char *bracket = colon ? memchr(line.p, '[', end) : NULL;
        size_t ident_len = bracket ? (size_t) (bracket - line.p) : end;
        if (!colon || ident_len == 0 || memchr(line.p, ' ', ident_len) || end + 1 > line.n) {
                *ident = (Slice){ line.p, 0 };
                *message = line;
                return;
        }
        *ident = (Slice){ line.p, ident_len };
        size_t skip = end + 1 + (end + 1 < line.n && line.p[end + 1] == ' ');
        *message = (Slice){ line.p + skip, line.n - skip };
}

static int print_hit(void *userdata, const TagHit *hit) {
        StrBuf captures = STRBUF_INIT;
        tag_hit_captures_json(hit, &captures);
        int r = strbuf_error(&captures);
        if (r >= 0)
                printf("  %s  kind %s  captures %s\n", hit->rule->id, hit->rule->kind, captures.buf);
        strbuf_release(&captures);
        return r;
}

/* 1 when a rule tags the line, 0 when none does. */
static int match_line(Tagger *t, Slice line) {
        TextParser p = { .have_year = true };
        year_guess_init_reference(&p.year, now_usec());
        LogRecord rec;
        const char *reason;
        Slice ident, message;
        if (text_parse_line(&p, line, &rec, &reason) == 1 && rec.kind == RECORD_EVENT) {
                ident = rec.ident;
                message = rec.message;
        } else
                split_ident(line, &ident, &message);
        char safe_ident[128];
        log_sanitize(ident.p, ident.n, safe_ident, sizeof safe_ident);
        printf("identifier '%s':\n", safe_ident);
        int r = tagger_match(t, ident, message, print_hit, NULL);
        if (r == 0)
                printf("  no rule matches\n");
        return r < 0 ? r : r > 0;
}

static int match_stdin(Tagger *t) {
        _cleanup_free_ char *line = NULL;
        size_t size = 0;
        ssize_t n;
        int matched = 0;
        while ((n = getline(&line, &size, stdin)) >= 0) {
                while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                        n--;
                int r = match_line(t, (Slice){ line, (size_t) n });
                if (r < 0)
                        return r;
                matched |= r;
        }
        return matched;
}

static int patterns_match(const PatternSet *set, char **lines, int n_lines) {
        _cleanup_(tagger_freep) Tagger *t = NULL;
        int r = tagger_new(set, &t), matched = 0;
        if (r < 0)
                return log_error_errno(r, "Cannot prepare the pattern library"), EXIT_FAILED;
        for (int i = 0; i < n_lines && r >= 0; i++) {
                r = streq(lines[i], "-") ? match_stdin(t) : match_line(t, (Slice){ lines[i], strlen(lines[i]) });
                matched |= r > 0;
        }
        if (r < 0)
                return log_error_errno(r, "Cannot match"), EXIT_FAILED;
        return matched ? EXIT_OK : EXIT_FAILED;
}

static const char *arg_sub;    /* list, show, test or match */
static char **arg_args;        /* after the sub-command */
static int arg_n_args;

static int patterns_parse(int argc, char *argv[]) {
        if (argc < 2 || streq(argv[1], "--help") || streq(argv[1], "-h")) {
                patterns_help(stdout);
                return argc < 2 ? -EINVAL : 0;
        }
        arg_sub = argv[1];
        arg_args = argv + 2;
        arg_n_args = argc - 2;
        if (!streq(arg_sub, "list") && !streq(arg_sub, "show") && !streq(arg_sub, "test") && !streq(arg_sub, "match"))
                return log_error("Unknown 'patterns' command '%s' (list, show, test, match)", arg_sub), -EINVAL;
        if (streq(arg_sub, "match") && arg_n_args < 1)
                return log_error("'patterns match' takes a log line, or '-' for standard input"), -EINVAL;
        if (streq(arg_sub, "show") && arg_n_args != 1)
                return log_error("'patterns show' takes one rule id"), -EINVAL;
        return 1;
}

static int patterns_run(const VerbContext *ctx) {
        _cleanup_(pattern_set_freep) PatternSet *set = NULL;
        /* 'test FILE...' must work on files the library would refuse. */
        if (!(streq(arg_sub, "test") && arg_n_args > 0) && cli_load_patterns(&set) < 0)
                return EXIT_FAILED;
        if (streq(arg_sub, "list"))
                return patterns_list(set);
        if (streq(arg_sub, "show"))
                return patterns_show(set, arg_args[0]);
        if (streq(arg_sub, "match"))
                return patterns_match(set, arg_args, arg_n_args);
        return patterns_test(set, arg_args, arg_n_args);
}

const VerbOps verb_patterns_ops = {
        .parse = patterns_parse,
        .help = patterns_help,
        .run = patterns_run,
};

static void retag_progress(void *userdata, int64_t done, int64_t total) {
        if (*(bool *) userdata && total > 0) {
                fprintf(stderr, "\rretag: %3d%%", (int) (done * 100 / total));
                fflush(stderr);
        }
}

static bool arg_force;

static const struct option retag_options[] = {
        { "force", no_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        {},
};

static void retag_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] [--patterns DIR] retag [--force]\n\n"
                   "Tag the events that are not tagged with the current pattern library yet; when the\n"
                   "library changed since the tags were made, drop them all and tag everything again.\n"
                   "--force always starts over.\n");
}

static int retag_option(int c, const char *arg) {
        if (c != 'f')
                return -EINVAL;
        arg_force = true;
        return 0;
}

static int retag_run(const VerbContext *ctx) {
        _cleanup_(tag_context_freep) TagContext *tc = NULL;
        int r = tag_context_new(ctx->store, ctx->patterns, &tc);
        if (r < 0)
                return log_error_errno(r, "Cannot prepare tagging"), EXIT_FAILED;
        cli_note_library_change(tc);
        bool tty = !cli_quiet() && isatty(STDERR_FILENO);
        int64_t n = tag_catch_up(tc, arg_force, retag_progress, &tty);
        if (tty)
                fprintf(stderr, "\r%20s\r", "");
        if (n < 0)
                return log_error_errno((int) n, "Retag failed (tags committed so far are kept, the others keep their "
                                                "old library's; run it again)"), EXIT_FAILED;
        if (!cli_quiet())      /* a report of the work done, not an answer */
                printf("tagged %" PRId64 " events, %" PRIu64 " tags added; pattern library %s (%zu rules)\n", n,
                       tag_context_tags_added(tc), tag_context_hash(tc), ctx->patterns->n_rules);
        return EXIT_OK;
}

const VerbOps verb_retag_ops = {
        .options = retag_options,
        .short_options = "fh",
        .option = retag_option,
        .help = retag_help,
        .run = retag_run,
};
