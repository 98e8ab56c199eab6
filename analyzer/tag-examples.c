/* tag-examples.c: examples are real-format log lines, split by cascade's own text parser, so a rule
 * is tested on exactly what ingest would hand it. */
#include "ingest-text.h"
#include "tag-examples.h"
#include "tag-match.h"

typedef struct CheckState {
        const PatternExample *example;
        const char *failure;   /* set by the callback */
        char detail[512];
} CheckState;

static int check_expects(void *userdata, const TagHit *hit) {
        CheckState *cs = userdata;
        const PatternExample *ex = cs->example;
        for (size_t i = 0; i < ex->n_expect; i++) {
                Slice got = SLICE_NULL;
                bool set = tag_hit_capture(hit, ex->expect_names[i], &got);
                if (!set)
                        got = (Slice){ "", 0 };
                if (!slice_eq_str(got, ex->expect_values[i])) {
                        snprintf(cs->detail, sizeof cs->detail, "capture '%s' is '%.*s', expected '%s'",
                                 ex->expect_names[i], (int) MIN(got.n, (size_t) 200), got.p ? got.p : "",
                                 ex->expect_values[i]);
                        cs->failure = cs->detail;
                        return 0;
                }
        }
        return 0;
}

static bool ident_covered(const PatternRule *r, Slice ident) {
        if (r->any_ident)
                return true;
        for (size_t i = 0; i < r->n_idents; i++)
                if (slice_eq_str(ident, r->idents[i]))
                        return true;
        return false;
}

static bool capture_known(const PatternRule *r, const char *name) {
        for (uint32_t g = 0; g < r->n_groups; g++)
                if (r->names[g] && streq(r->names[g], name))
                        return true;
        return false;
}

/* NULL when fine, else why not. */
static const char *check_one(Tagger *t, const PatternRule *r, const PatternExample *ex, CheckState *cs) {
        TextParser tp = { .have_year = true };
        year_guess_init_fixed(&tp.year, 2025);
        LogRecord rec;
        const char *reason;
        if (text_parse_line(&tp, SLICE_STR(ex->line), &rec, &reason) < 0 || rec.kind != RECORD_EVENT) {
                snprintf(cs->detail, sizeof cs->detail, "not a log line cascade can parse: %s",
                         rec.kind != RECORD_EVENT ? "separator" : reason);
                return cs->detail;
        }
        if (!ex->counter && !ident_covered(r, rec.ident)) {
                snprintf(cs->detail, sizeof cs->detail, "identifier '%.*s' is not in the rule's ident list",
                         (int) rec.ident.n, rec.ident.p ? rec.ident.p : "");
                return cs->detail;
        }
        for (size_t i = 0; i < ex->n_expect; i++)
                if (!capture_known(r, ex->expect_names[i])) {
                        snprintf(cs->detail, sizeof cs->detail, "expects capture '%s', which the regex does not have",
                                 ex->expect_names[i]);
                        return cs->detail;
                }
        cs->example = ex;
        cs->failure = NULL;
        int k = tagger_match_rule(t, r, rec.message, check_expects, cs);
        if (ex->counter)
                return k > 0 && ident_covered(r, rec.ident) ? "counter-example matches" : NULL;
        if (k <= 0)
                return "example does not match";
        return cs->failure;
}

int pattern_set_check_examples(const PatternSet *set, ExampleFailFn fail, void *userdata, unsigned *ret_checked) {
        _cleanup_(tagger_freep) Tagger *t = NULL;
        int r = tagger_new(set, &t);
        if (r < 0)
                return r;
        unsigned failures = 0, checked = 0;
        for (size_t i = 0; i < set->n_rules; i++) {
                const PatternRule *rule = set->rules[i];
                for (size_t k = 0; k < rule->n_examples; k++) {
                        CheckState cs = { 0 };
                        const char *why = check_one(t, rule, &rule->examples[k], &cs);
                        checked++;
                        if (why) {
                                failures++;
                                if (fail)
                                        fail(userdata, rule->file, rule->examples[k].src_line, rule->id, why);
                        }
                }
        }
        if (ret_checked)
                *ret_checked = checked;
        return (int) failures;
}
