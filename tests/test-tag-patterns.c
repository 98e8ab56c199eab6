/* test-tag-patterns.c: the pattern loader (errors with file:line:col, overrides), the matcher
 * (identifier index, captures as JSON, summaries) and the example replay. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "strbuf.h"
#include "tag-examples.h"
#include "tag-match.h"
#include "tag-patterns.h"

static const char good[] =
        "# a comment\n"
        "version 1\n"
        "\n"
        "rule corosync.quorum.lost\n"
        "kind      corosync.quorum.lost\n"
        "severity  critical\n"
        "ident     corosync\n"
        "match     \\[\\s*QUORUM\\s*\\]\\s+This node is within the non-primary component\n"
        "summary   {node} lost quorum ({ident})\n"
        "explain   The partition lost quorum.\n"
        "advice    Check the members.\n"
        "ref       exec/vsf_quorum.c\n"
        "example   Aug 08 20:22:01 homelab2 corosync[1076]:   [QUORUM] This node is within the non-primary component and will NOT provide any services.\n"
        "counter   Aug 08 20:22:01 homelab2 corosync[1076]:   [QUORUM] This node is within the primary component and will provide service.\n"
        "\n"
        "rule corosync.membership\n"
        "kind      corosync.membership\n"
        "severity  notice\n"
        "ident     corosync\n"
        "match     A new membership \\((?P<ring>[0-9a-f.:]+)\\) was formed\\. Members(?: joined: (?P<joined>[\\d ]+?))?(?: left: (?P<left>[\\d ]+))?$\n"
        "summary   ring {ring}: joined {joined}, left {left}\n"
        "explain   Membership changed.\n"
        "example   Jul 07 10:01:19 virt2 corosync[48695]:   [TOTEM ] A new membership (2.d43) was formed. Members left: 24\n"
        "expect    ring=2.d43 left=24 joined=\n"
        "\n"
        "rule notify.any\n"
        "kind      notify.failed\n"
        "severity  warning\n"
        "ident     *\n"
        "match     could not notify via target `(?P<target>[^`]+)`: (?P<error>.*)$\n"
        "summary   notification to {target} failed\n"
        "explain   A notification was lost.\n"
        "example   Nov 25 08:11:05 pve1 perl[1409]: could not notify via target `gotify`: could not notify via endpoint(s): gotify: timeout: global\n"
        "expect    error=could not notify via endpoint(s): gotify: timeout: global\n";

static PatternSet *load_ok(const char *text) {
        PatternSet *set = pattern_set_new();
        PatternError err = { 0 };
        assert_non_null(set);
        int r = pattern_set_load_string(set, "good.patterns", text, false, &err);
        if (r < 0)
                fail_msg("%s:%u:%u: %s", err.file, err.line, err.column, err.message);
        return set;
}

static void expect_error(const char *text, unsigned line, unsigned column, const char *needle) {
        PatternSet *set = pattern_set_new();
        PatternError err = { 0 };
        int r = pattern_set_load_string(set, "bad.patterns", text, false, &err);
        assert_int_equal(r, -EINVAL);
        assert_string_equal(err.file, "bad.patterns");
        assert_int_equal(err.line, line);
        if (column)
                assert_int_equal(err.column, column);
        if (!strstr(err.message, needle))
                fail_msg("message '%s' lacks '%s'", err.message, needle);
        pattern_set_free(set);
}

static void test_load_good(void **state) {
        PatternSet *set = load_ok(good);
        assert_int_equal(set->n_rules, 3);
        const PatternRule *r = pattern_set_find(set, "corosync.membership");
        assert_non_null(r);
        assert_string_equal(r->kind, "corosync.membership");
        assert_int_equal(r->severity, SEVERITY_NOTICE);
        assert_int_equal(r->line, 16);
        assert_int_equal(r->n_examples, 1);
        assert_int_equal(r->examples[0].n_expect, 3);
        assert_string_equal(r->examples[0].expect_names[2], "joined");
        assert_string_equal(r->examples[0].expect_values[2], "");
        const PatternRule *n = pattern_set_find(set, "notify.any");
        assert_true(n->any_ident);
        /* A single pair keeps its blanks. */
        assert_string_equal(n->examples[0].expect_values[0], "could not notify via endpoint(s): gotify: timeout: global");
        assert_null(pattern_set_find(set, "no.such.rule"));
        pattern_set_free(set);
}

static void test_errors(void **state) {
        expect_error("rule x\n", 1, 1, "first directive must be 'version 1'");
        expect_error("version 2\n", 1, 9, "not supported");
        expect_error("version 1\nrule a.b\nkind k\nseverity fatal\n", 4, 10, "unknown severity 'fatal'");
        expect_error("version 1\nrule a.b\nkind k\nseverity info\nident x\nmatch ab(c\nsummary s\nexplain e\n"
                     "example Nov 25 08:11:05 pve1 x[1]: abc\n", 6, 11, "bad regex in rule 'a.b'");
        expect_error("version 1\nrule a.b\nkind k\nseverity info\nident x\nmatch abc\nsummary s\n", 2, 1,
                     "has no 'explain'");
        expect_error("version 1\nrule a.b\nkind k\nseverity info\nident x\nmatch abc\nsummary {nope}\nexplain e\n"
                     "example Nov 25 08:11:05 pve1 x[1]: abc\n", 2, 1, "'{nope}'");
        expect_error("version 1\nrule a.b\nbogus 1\n", 3, 1, "unknown directive 'bogus'");
        expect_error("version 1\nkind k\n", 2, 1, "outside a rule");
        expect_error("version 1\nrule Bad Id\n", 2, 6, "must be [a-z0-9_.-]+");
        expect_error("version 1\nrule a.b\nexpect x=1\n", 3, 1, "must follow an 'example'");
        expect_error("version 1\n  rule a.b\n", 2, 1, "column 1");
        /* The same id twice in one library (not an override) is refused, naming the first place. */
        char twice[8192];
        snprintf(twice, sizeof twice, "%s\n%s", good, strstr(good, "rule corosync.membership"));
        expect_error(twice, 36, 6, "already defined at bad.patterns:16");
}

static void test_override(void **state) {
        PatternSet *set = load_ok(good);
        PatternError err = { 0 };
        const char *site = "version 1\nrule corosync.quorum.lost\nkind corosync.quorum.lost\nseverity warning\n"
                           "ident corosync\nmatch non-primary\nsummary site rule\nexplain local wording\n"
                           "example Aug 08 20:22:01 homelab2 corosync[1076]:   [QUORUM] non-primary\n";
        uint64_t before = set->content_hash;
        assert_int_equal(pattern_set_load_string(set, "site.patterns", site, true, &err), 0);
        assert_int_equal(set->n_rules, 3);
        const PatternRule *r = pattern_set_find(set, "corosync.quorum.lost");
        assert_string_equal(r->file, "site.patterns");
        assert_int_equal(r->severity, SEVERITY_WARNING);
        assert_true(set->content_hash != before);
        pattern_set_free(set);
}

typedef struct Collected {
        char rules[8][64];
        char json[8][256];
        char summary[8][256];
        int n;
} Collected;

static int collect(void *userdata, const TagHit *hit) {
        Collected *c = userdata;
        StrBuf sb = STRBUF_INIT;
        snprintf(c->rules[c->n], sizeof c->rules[0], "%s", hit->rule->id);
        tag_hit_captures_json(hit, &sb);
        assert_int_equal(strbuf_error(&sb), 0);
        snprintf(c->json[c->n], sizeof c->json[0], "%s", sb.buf);
        strbuf_reset(&sb);
        tag_hit_summary(hit, SLICE_STR("pve1"), SLICE_STR("corosync"), &sb);
        assert_int_equal(strbuf_error(&sb), 0);
        snprintf(c->summary[c->n], sizeof c->summary[0], "%s", sb.buf);
        strbuf_release(&sb);
        c->n++;
        return 0;
}

static void test_match(void **state) {
        PatternSet *set = load_ok(good);
        Tagger *t;
        assert_int_equal(tagger_new(set, &t), 0);

        Collected c = { 0 };
        assert_int_equal(tagger_match(t, SLICE_STR("corosync"),
                                      SLICE_STR("  [TOTEM ] A new membership (1.2a) was formed. Members joined: 2 3"),
                                      collect, &c), 1);
        assert_string_equal(c.rules[0], "corosync.membership");
        assert_string_equal(c.json[0], "{\"ring\":\"1.2a\",\"joined\":\"2 3\"}");
        assert_string_equal(c.summary[0], "ring 1.2a: joined 2 3, left ?");

        /* Another identifier never tries corosync's rules, only the ident-* ones. */
        memset(&c, 0, sizeof c);
        assert_int_equal(tagger_match(t, SLICE_STR("pmxcfs"),
                                      SLICE_STR("  [TOTEM ] A new membership (1.2a) was formed. Members joined: 2"),
                                      collect, &c), 0);
        assert_int_equal(tagger_match(t, SLICE_STR("perl"),
                                      SLICE_STR("could not notify via target `gotify`: \"timeout\"\n"), collect, &c), 1);
        assert_string_equal(c.json[0], "{\"target\":\"gotify\",\"error\":\"\\\"timeout\\\"\"}");
        /* No identifier at all: the ident-* rules still apply; invalid UTF-8 does not break matching. */
        assert_int_equal(tagger_match(t, SLICE_NULL, SLICE_STR("could not notify via target `g\xff`: x"), collect, &c), 1);
        assert_string_equal(c.json[1], "{\"target\":\"g\xef\xbf\xbd\",\"error\":\"x\"}");
        tagger_free(t);
        pattern_set_free(set);
}

typedef struct Failures {
        int n;
        unsigned lines[8];
        char what[8][256];
} Failures;

static void on_fail(void *userdata, const char *file, unsigned line, const char *rule_id, const char *what) {
        Failures *f = userdata;
        f->lines[f->n] = line;
        snprintf(f->what[f->n], sizeof f->what[0], "%s: %s", rule_id, what);
        f->n++;
}

static void test_examples(void **state) {
        PatternSet *set = load_ok(good);
        Failures f = { 0 };
        unsigned checked = 0;
        assert_int_equal(pattern_set_check_examples(set, on_fail, &f, &checked), 0);
        assert_int_equal(checked, 4);

        /* Each way an example can be wrong is caught, at its own line. */
        const char *bad =
                "version 1\n"
                "rule r.one\nkind k\nseverity info\nident corosync\nmatch Members left: (?P<left>\\d+)\nsummary s\nexplain e\n"
                "example Jul 07 10:01:19 virt2 corosync[1]:   [TOTEM ] Members left: 24\n"   /* 9: ok */
                "expect left=25\n"                                                               /* wrong value */
                "example Jul 07 10:01:19 virt2 pmxcfs[1]: Members left: 24\n"                    /* 11: ident */
                "example Jul 07 10:01:19 virt2 corosync[1]: nothing here\n"                      /* 12: no match */
                "counter Jul 07 10:01:19 virt2 corosync[1]: Members left: 3\n"                   /* 13: counter matches */
                "example not a log line\n";                                                      /* 14 */
        PatternSet *b = load_ok(bad);
        assert_int_equal(pattern_set_check_examples(b, on_fail, &f, &checked), 5);
        assert_int_equal(f.lines[0], 9);
        assert_non_null(strstr(f.what[0], "capture 'left' is '24', expected '25'"));
        assert_int_equal(f.lines[1], 11);
        assert_non_null(strstr(f.what[1], "identifier 'pmxcfs'"));
        assert_int_equal(f.lines[2], 12);
        assert_non_null(strstr(f.what[2], "does not match"));
        assert_int_equal(f.lines[3], 13);
        assert_non_null(strstr(f.what[3], "counter-example matches"));
        assert_int_equal(f.lines[4], 14);
        pattern_set_free(b);
        pattern_set_free(set);
}

/* The shipped library loads and every example and counter-example holds. */
static void test_shipped_library(void **state) {
        const char *root = getenv("CASCADE_SOURCE_ROOT");
        assert_non_null(root);
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/patterns", root);
        PatternSet *set = pattern_set_new();
        PatternError err = { 0 };
        int r = pattern_set_load_dir(set, dir, false, &err);
        if (r < 0)
                fail_msg("%s:%u:%u: %s", err.file, err.line, err.column, err.message);
        assert_true(set->n_rules >= 80);
        Failures f = { 0 };
        unsigned checked;
        int failures = pattern_set_check_examples(set, on_fail, &f, &checked);
        for (int i = 0; i < MIN(f.n, 8); i++)
                print_message("# line %u: %s\n", f.lines[i], f.what[i]);
        assert_int_equal(failures, 0);
        pattern_set_free(set);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_load_good),  cmocka_unit_test(test_errors),
                cmocka_unit_test(test_override),   cmocka_unit_test(test_match),
                cmocka_unit_test(test_examples),   cmocka_unit_test(test_shipped_library),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
