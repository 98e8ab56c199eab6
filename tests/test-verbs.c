/* test-verbs.c: the verb table (verbs.c) and the command-line helpers (cli.c): every long option
 * of a verb's getopt table is in its --help and every option its --help offers is in the table;
 * what each verb asks main to open is consistent; --since/--until parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>

#include "cli.h"
#include "conf.h"

/* The verb's help text, malloc'ed. */
static char *help_text(const Verb *v) {
        FILE *f = tmpfile();
        assert_non_null(f);
        v->ops->help(f);
        long n = ftell(f);
        assert_true(n > 0);
        char *text = malloc((size_t) n + 1);
        assert_non_null(text);
        rewind(f);
        assert_int_equal(fread(text, 1, (size_t) n, f), (size_t) n);
        text[n] = '\0';
        fclose(f);
        return text;
}

static bool is_option_char(char c) {
        return islower((unsigned char) c) || isdigit((unsigned char) c) || c == '-';
}

/* "--name" in text as a whole option (not the start of --name-more). */
static bool mentions(const char *text, const char *name) {
        size_t n = strlen(name);
        for (const char *p = text; (p = strstr(p, "--")); p += 2)
                if (strncmp(p + 2, name, n) == 0 && !is_option_char(p[2 + n]))
                        return true;
        return false;
}

static const struct option *find_option(const struct option *options, const char *name, size_t n) {
        for (const struct option *o = options; o->name; o++)
                if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
                        return o;
        return NULL;
}

/* Every --option in [p, end) must be in the verb's table. */
static void offered_in_table(const Verb *v, const char *p, const char *end) {
        for (; (p = strstr(p, "--")) && p < end; p += 2) {
                size_t n = 0;
                while (is_option_char(p[2 + n]))
                        n++;
                if (n == 0 || !islower((unsigned char) p[2]))
                        continue;
                if (!find_option(v->ops->options, p + 2, n))
                        fail_msg("'cascade %s --help' offers --%.*s, which its option table does not have", v->name,
                                 (int) n, p + 2);
        }
}

/* What a help text offers as the verb's own options: its usage after "NAME " (the global options
 * come before the name), up to the first empty line, and the lines of its option list. Options it
 * only mentions in prose (--tz in "times are shown in --tz") are not offered. */
static void check_offered(const Verb *v, const char *text) {
        _cleanup_free_ char *key = NULL;
        assert_true(asprintf(&key, " %s ", v->name) > 0);
        const char *usage = strstr(text, key);
        assert_non_null(usage);
        size_t para_end = strcspn(text, "\n") + 1;
        while (text[para_end] && text[para_end] != '\n')
                para_end += strcspn(text + para_end, "\n") + 1;
        offered_in_table(v, usage + strlen(key), text + para_end);
        for (const char *line = text; *line; line = strchrnul(line, '\n') + (strchr(line, '\n') != NULL)) {
                const char *p = line;
                if (*p != ' ')
                        continue;
                while (*p == ' ')
                        p++;
                if (p[0] == '-' && isalpha((unsigned char) p[1]) && p[2] == ',' && p[3] == ' ')
                        p += 4;
                if (strncmp(p, "--", 2) == 0)
                        offered_in_table(v, p, p + strcspn(p, " \n"));
        }
}

static void help_matches_options(void **state) {
        size_t checked = 0;
        for (size_t i = 0; i < cli_n_verbs; i++) {
                const Verb *v = &cli_verbs[i];
                if (!v->ops->options)  /* sub-commands, no options of its own */
                        continue;
                char *text = help_text(v);
                /* --help itself is shown by 'cascade --help' for every command. */
                for (const struct option *o = v->ops->options; o->name; o++)
                        if (!streq(o->name, "help") && !mentions(text, o->name))
                                fail_msg("'cascade %s --help' does not show --%s", v->name, o->name);
                check_offered(v, text);
                free(text);
                checked++;
        }
        assert_true(checked >= 8);
}

/* --config, else $CASCADE_CONF (when not empty), else the machine's file; only the machine's may be
 * missing. */
static void config_file_named(void **state) {
        _cleanup_free_ char *saved = getenv("CASCADE_CONF") ? strdup(getenv("CASCADE_CONF")) : NULL;
        assert_int_equal(unsetenv("CASCADE_CONF"), 0);
        assert_string_equal(cli_config_path(), CONF_DEFAULT_PATH);
        assert_int_equal(setenv("CASCADE_CONF", "", 1), 0);
        assert_string_equal(cli_config_path(), CONF_DEFAULT_PATH);
        assert_int_equal(setenv("CASCADE_CONF", "/nonexistent/env.conf", 1), 0);
        assert_string_equal(cli_config_path(), "/nonexistent/env.conf");
        assert_int_equal(cli_load_config(), -EINVAL);
        assert_int_equal(cli_global_option(CLI_ARG_CONFIG, ""), -EINVAL);
        assert_int_equal(cli_global_option(CLI_ARG_CONFIG, "/dev/null"), 0);
        assert_string_equal(cli_config_path(), "/dev/null");
        assert_int_equal(cli_load_config(), 0);
        assert_non_null(cli_settings());
        assert_int_equal(cli_settings()->n_patterns, 0);
        cli_unload_config();
        assert_null(cli_settings());
        arg_global.config = NULL;
        if (saved)
                assert_int_equal(setenv("CASCADE_CONF", saved, 1), 0);
        else
                assert_int_equal(unsetenv("CASCADE_CONF"), 0);
}

/* Every option of a table is handled, and 'h' is --help everywhere (main shows the help for it). */
static void option_tables(void **state) {
        for (size_t i = 0; i < cli_n_verbs; i++) {
                const VerbOps *ops = cli_verbs[i].ops;
                assert_non_null(ops->help);
                assert_non_null(ops->run);
                if (!ops->options) {
                        assert_non_null(ops->parse);
                        continue;
                }
                assert_null(ops->parse);
                assert_non_null(ops->option);
                assert_non_null(strchr(ops->short_options, 'h'));
                const struct option *help = find_option(ops->options, "help", 4);
                assert_non_null(help);
                assert_int_equal(help->val, 'h');
                for (const struct option *o = ops->options; o->name; o++)
                        assert_null(o->flag);
        }
}

/* The global options are merged into every verb's table by main.c: their codes and short options
 * must not be a verb's own. A verb's own option of the same name (ingest's --tz) wins. */
static void global_options_apart(void **state) {
        for (const struct option *g = cli_global_options; g->name; g++)
                assert_true(cli_is_global_option(g->val));
        for (size_t i = 0; i < cli_n_verbs; i++) {
                const VerbOps *ops = cli_verbs[i].ops;
                if (!ops->options)
                        continue;
                for (const char *s = CLI_GLOBAL_SHORT_OPTIONS; *s; s++)
                        assert_null(strchr(ops->short_options, *s));
                for (const struct option *o = ops->options; o->name; o++)
                        assert_false(cli_is_global_option(o->val));
        }
        /* Wrong values are usage errors. */
        assert_int_equal(cli_global_option(CLI_ARG_COLOR, "sometimes"), -EINVAL);
        assert_int_equal(cli_global_option(CLI_ARG_TZ, "No/Such_Zone"), -EINVAL);
        assert_int_equal(cli_global_option(CLI_ARG_COLOR, "never"), 0);
        assert_false(cli_color_enabled());
        assert_int_equal(cli_global_option(CLI_ARG_COLOR, "always"), 0);
        assert_true(cli_color_enabled());
}

static void table_needs(void **state) {
        for (size_t i = 0; i < cli_n_verbs; i++) {
                const Verb *v = &cli_verbs[i];
                assert_ptr_equal(cli_verb_find(v->name), v);
                assert_true(v->summary && *v->summary);
                /* An optional library says what is lost without it; only then. */
                assert_true((v->patterns == VERB_PATTERNS_OPTIONAL) == (v->without_patterns != NULL));
                assert_true(v->max_args < 0 || v->max_args >= v->min_args);
                /* A count other than none needs its own words. */
                if (v->max_args != 0 && v->ops->options && v->min_args > 0)
                        assert_non_null(v->wrong_args);
        }
        assert_null(cli_verb_find("no-such-verb"));
        assert_int_equal(cli_verb_find("timeline")->store, VERB_STORE_READ_ONLY);
        assert_int_equal(cli_verb_find("retag")->patterns, VERB_PATTERNS_REQUIRED);
}

static void window(void **state) {
        usec_t since = 0, until = 0;
        assert_int_equal(cli_parse_window(NULL, NULL, &since, &until), 0);
        assert_int_equal(since, USEC_INVALID);
        assert_int_equal(until, USEC_INVALID);
        assert_int_equal(cli_parse_window("2025-11-25T08:00:00Z", "@1764061200", &since, &until), 0);
        assert_int_equal(since, INT64_C(1764057600000000));
        assert_int_equal(until, INT64_C(1764061200000000));
        /* Relative times share one "now". */
        assert_int_equal(cli_parse_window("-2h", "-1h", &since, &until), 0);
        assert_int_equal(until - since, USEC_PER_HOUR);
        /* Only --since (scan, collect). */
        assert_int_equal(cli_parse_window("-2h", NULL, &since, NULL), 0);
        /* On an error the outputs stay as they were. */
        since = until = 7;
        assert_int_equal(cli_parse_window("not a time", NULL, &since, &until), -EINVAL);
        assert_int_equal(cli_parse_window(NULL, "2025-13-45", &since, &until), -EINVAL);
        assert_int_equal(since, 7);
        assert_int_equal(until, 7);
        /* An inverted window is refused (one equal instant is a window). */
        assert_int_equal(cli_parse_window("now", "2025-01-01", &since, &until), -EINVAL);
        assert_int_equal(cli_parse_window("-1h", "-2h", &since, &until), -EINVAL);
        assert_int_equal(since, 7);
        assert_int_equal(cli_parse_window("@1764057600", "2025-11-25 08:00 UTC", &since, &until), 0);
        assert_int_equal(since, until);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(help_matches_options),
                cmocka_unit_test(option_tables),
                cmocka_unit_test(table_needs),
                cmocka_unit_test(window),
                cmocka_unit_test(global_options_apart),
                cmocka_unit_test(config_file_named),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
