/* verb-patterns.c: `cascade patterns list|show|test` and `cascade retag`, plus loading the library
 * for every verb that tags (shipped dir, then /etc/cascade/patterns.d, then --patterns DIR). */
#include <getopt.h>
#include <sys/stat.h>

#include "cli.h"
#include "event-kind.h"
#include "config.h"
#include "log.h"
#include "tag-examples.h"
#include "tag.h"

static int report_load_error(int r, const PatternError *err) {
        if (err->line > 0)
                log_error("%s:%u:%u: %s", err->file, err->line, err->column, err->message);
        else if (err->file[0])
                log_error("%s: %s", err->file, err->message);
        else
                log_error_errno(r, "Cannot load the pattern library");
        return r;
}

int cli_load_patterns(PatternSet **ret) {
        _cleanup_(pattern_set_freep) PatternSet *set = pattern_set_new();
        PatternError err = { 0 };
        struct stat st;
        if (!set)
                return log_oom();
        /* $CASCADE_PATTERNS_DIR replaces the compiled-in library (working on the rules, tests). */
        const char *dir = getenv("CASCADE_PATTERNS_DIR");
        int r = dir && *dir ? pattern_set_load_dir(set, dir, false, &err) : pattern_set_load_shipped(set, &err);
        if (r == -ENOENT || r == -ENOTDIR)
                return log_error_errno(r, "Cannot read $CASCADE_PATTERNS_DIR '%s'", dir);
        if (r < 0)
                return report_load_error(r, &err);
        if (stat(SITE_PATTERNS_DIR, &st) == 0 && (r = pattern_set_load_dir(set, SITE_PATTERNS_DIR, true, &err)) < 0)
                return report_load_error(r, &err);
        if (arg_global.patterns_dir && (r = pattern_set_load_dir(set, arg_global.patterns_dir, true, &err)) < 0) {
                if (r == -ENOENT || r == -ENOTDIR)
                        return log_error_errno(r, "Cannot read --patterns directory '%s'", arg_global.patterns_dir);
                return report_load_error(r, &err);
        }
        *ret = TAKE_PTR(set);
        return 0;
}

static void patterns_help(void) {
        printf("Usage: cascade [--patterns DIR] patterns list\n"
               "       cascade [--patterns DIR] patterns show ID\n"
               "       cascade [--patterns DIR] patterns test [FILE...]\n\n"
               "The pattern library: the shipped rules, then /etc/cascade/patterns.d/*.patterns, then\n"
               "--patterns DIR (a later rule with the same id replaces the earlier). 'test' replays every\n"
               "example and counter-example (of FILEs only, when given) and fails on a mismatch.\n"
               "The file format is described in patterns/FORMAT.md.\n");
}

static const char *base_name(const char *path) {
        const char *s = strrchr(path, '/');
        return s ? s + 1 : path;
}

static int patterns_list(const PatternSet *set) {
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
                                return report_load_error(r, &err), EXIT_FAILED;
                }
                set = only;
        }
        unsigned checked = 0;
        int failures = pattern_set_check_examples(set, on_example_failure, NULL, &checked);
        if (failures < 0)
                return log_error_errno(failures, "Cannot test the patterns"), EXIT_FAILED;
        /* Single files are tested on their own; the whole library must serve the correlator. */
        int missing = n_files > 0 ? 0 : missing_kinds(set);
        printf("%zu rules, %u examples checked, %d failed\n", set->n_rules, checked, failures);
        return failures || missing ? EXIT_FAILED : EXIT_OK;
}

int verb_patterns(int argc, char *argv[]) {
        if (argc < 2 || streq(argv[1], "--help") || streq(argv[1], "-h")) {
                patterns_help();
                return argc < 2 ? EXIT_USAGE : EXIT_OK;
        }
        const char *sub = argv[1];
        if (!streq(sub, "list") && !streq(sub, "show") && !streq(sub, "test"))
                return log_error("Unknown 'patterns' command '%s' (list, show, test)", sub), EXIT_USAGE;
        if (streq(sub, "show") && argc != 3)
                return log_error("'patterns show' takes one rule id"), EXIT_USAGE;

        _cleanup_(pattern_set_freep) PatternSet *set = NULL;
        /* 'test FILE...' must work on files the library would refuse. */
        if (!(streq(sub, "test") && argc > 2) && cli_load_patterns(&set) < 0)
                return EXIT_FAILED;
        if (streq(sub, "list"))
                return patterns_list(set);
        if (streq(sub, "show"))
                return patterns_show(set, argv[2]);
        return patterns_test(set, argv + 2, argc - 2);
}

static void retag_progress(void *userdata, int64_t done, int64_t total) {
        if (*(bool *) userdata && total > 0) {
                fprintf(stderr, "\rretag: %3d%%", (int) (done * 100 / total));
                fflush(stderr);
        }
}

int verb_retag(int argc, char *argv[]) {
        static const struct option options[] = {
                { "force", no_argument, NULL, 'f' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        bool force = false;
        int c;
        while ((c = getopt_long(argc, argv, "fh", options, NULL)) >= 0)
                switch (c) {
                case 'f':
                        force = true;
                        break;
                case 'h':
                        printf("Usage: cascade [--db PATH] [--patterns DIR] retag [--force]\n\n"
                               "Tag the events that are not tagged with the current pattern library yet; when the\n"
                               "library changed since the tags were made, drop them all and tag everything again.\n"
                               "--force always starts over.\n");
                        return EXIT_OK;
                default:
                        return EXIT_USAGE;
                }
        if (optind < argc)
                return log_error("'retag' takes no arguments"), EXIT_USAGE;

        _cleanup_(pattern_set_freep) PatternSet *set = NULL;
        _cleanup_(store_closep) Store *store = NULL;
        _cleanup_(tag_context_freep) TagContext *tc = NULL;
        if (cli_load_patterns(&set) < 0 || cli_open_store(STORE_READ_WRITE, &store) < 0)
                return EXIT_FAILED;
        int r = tag_context_new(store, set, &tc);
        if (r < 0)
                return log_error_errno(r, "Cannot prepare tagging"), EXIT_FAILED;
        bool tty = isatty(STDERR_FILENO);
        int64_t n = tag_catch_up(tc, force, retag_progress, &tty);
        if (tty)
                fprintf(stderr, "\r%20s\r", "");
        if (n < 0)
                return log_error_errno((int) n, "Retag failed (tags committed so far are kept; run it again)"), EXIT_FAILED;
        printf("tagged %" PRId64 " events, %" PRIu64 " tags added; pattern library %s (%zu rules)\n", n,
               tag_context_tags_added(tc), tag_context_hash(tc), set->n_rules);
        return EXIT_OK;
}
