/* tag-match.c: identifier index over the rules, and the PCRE2 calls. */
#include "hash.h"
#include "json.h"
#include "tag-match.h"

typedef struct IdentBucket {
        char *ident;           /* NULL: empty slot */
        size_t ident_len;
        const PatternRule **rules; /* this identifier's rules, then the ident-* rules */
        size_t n_rules;
        size_t n_rules_alloc;  /* capacity of rules */
} IdentBucket;

struct Tagger {
        const PatternSet *set;
        IdentBucket *buckets;  /* open addressing, power-of-two size */
        size_t n_buckets;
        const PatternRule **any_rules;  /* the ident-* rules alone */
        size_t n_any;
        size_t n_any_alloc;    /* capacity of any_rules */
        pcre2_match_data *md;  /* reused for every match */
        const IdentBucket *last; /* the previous lookup: consecutive events often share an identifier */
};

static int push_rule(const PatternRule ***v, size_t *n, size_t *alloc, const PatternRule *r) {
        if (array_reserve(v, alloc, *n + 1, sizeof **v, 8) < 0)
                return -ENOMEM;
        (*v)[(*n)++] = r;
        return 0;
}

static IdentBucket *bucket_for(Tagger *t, const char *ident, size_t len, bool create) {
        size_t mask = t->n_buckets - 1;
        for (size_t i = hash64(ident, len, 0) & mask;; i = (i + 1) & mask) {
                IdentBucket *b = &t->buckets[i];
                if (!b->ident) {
                        if (!create)
                                return NULL;
                        b->ident = strndup(ident, len);
                        b->ident_len = len;
                        return b->ident ? b : NULL;
                }
                if (b->ident_len == len && memcmp(b->ident, ident, len) == 0)
                        return b;
        }
}

/* Rules keep their file order inside each identifier: the library reads top to bottom. */
static int index_rules(Tagger *t, const PatternSet *set) {
        for (size_t i = 0; i < set->n_rules; i++) {
                const PatternRule *r = set->rules[i];
                if (r->any_ident && push_rule(&t->any_rules, &t->n_any, &t->n_any_alloc, r) < 0)
                        return -ENOMEM;
                for (size_t k = 0; k < r->n_idents; k++) {
                        IdentBucket *b = bucket_for(t, r->idents[k], strlen(r->idents[k]), true);
                        if (!b || push_rule(&b->rules, &b->n_rules, &b->n_rules_alloc, r) < 0)
                                return -ENOMEM;
                }
        }
        for (size_t i = 0; i < t->n_buckets; i++) {
                IdentBucket *b = &t->buckets[i];
                for (size_t k = 0; b->ident && k < t->n_any; k++)
                        if (push_rule(&b->rules, &b->n_rules, &b->n_rules_alloc, t->any_rules[k]) < 0)
                                return -ENOMEM;
        }
        return 0;
}

int tagger_new(const PatternSet *set, Tagger **ret) {
        _cleanup_(tagger_freep) Tagger *t = calloc(1, sizeof *t);
        if (!t)
                return -ENOMEM;
        t->set = set;
        size_t n_idents = 0;
        for (size_t i = 0; i < set->n_rules; i++)
                n_idents += set->rules[i]->n_idents;
        t->n_buckets = 16;
        while (t->n_buckets < n_idents * 2 + 2)
                t->n_buckets *= 2;
        t->buckets = calloc(t->n_buckets, sizeof *t->buckets);
        t->md = pcre2_match_data_create(256, NULL);
        if (!t->buckets || !t->md)
                return -ENOMEM;
        int r = index_rules(t, set);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(t);
        return 0;
}

Tagger *tagger_free(Tagger *t) {
        if (!t)
                return NULL;
        for (size_t i = 0; t->buckets && i < t->n_buckets; i++) {
                free(t->buckets[i].ident);
                free(t->buckets[i].rules);
        }
        free(t->buckets);
        free(t->any_rules);
        pcre2_match_data_free(t->md);
        free(t);
        return NULL;
}

/* memmem() prepares its needle on every call, which costs more than the search in a log line:
 * scan for the literal's least common byte (at offset anchor) with memchr() and compare the whole
 * literal around it. A space or an 'e' would stop memchr() every few bytes of a long message. */
static bool contains(const char *s, size_t n, const char *lit, size_t len, size_t anchor) {
        if (len > n)
                return false;
        const char *end = s + n - len + 1 + anchor;   /* candidates for the anchor byte: [s + anchor, end) */
        for (const char *p = s + anchor; p < end; p++) {
                p = memchr(p, lit[anchor], (size_t) (end - p));
                if (!p)
                        return false;
                if (memcmp(p - anchor, lit, len) == 0)
                        return true;
        }
        return false;
}

static int match_one(Tagger *t, const PatternRule *r, Slice message, TagHitFn fn, void *userdata) {
        const char *subject = message.p ? message.p : "";
        /* Most lines match none of their identifier's rules: the rule's literal rejects them cheaply. */
        if (r->literal && !contains(subject, message.n, r->literal, r->literal_len, r->literal_anchor))
                return 0;
        int rc = r->jit ? pcre2_jit_match(r->re, (PCRE2_SPTR) subject, message.n, 0, 0, t->md, NULL)
                        : pcre2_match(r->re, (PCRE2_SPTR) subject, message.n, 0, 0, t->md, NULL);
        if (rc < 0)
                return 0;      /* no match, or a match error on hostile input: either way no tag */
        TagHit hit = { r, subject, message.n, pcre2_get_ovector_pointer(t->md) };
        int k = fn ? fn(userdata, &hit) : 0;
        return k < 0 ? k : 1;
}

int tagger_match(Tagger *t, Slice ident, Slice message, TagHitFn fn, void *userdata) {
        const IdentBucket *b = t->last;
        if (!b || b->ident_len != ident.n || memcmp(b->ident, ident.p, ident.n) != 0) {
                b = ident.n ? bucket_for(t, ident.p, ident.n, false) : NULL;
                if (b)
                        t->last = b;
        }
        const PatternRule *const *rules = b ? b->rules : t->any_rules;
        size_t n = b ? b->n_rules : t->n_any;
        int hits = 0;
        for (size_t i = 0; i < n; i++) {
                int k = match_one(t, rules[i], message, fn, userdata);
                if (k < 0)
                        return k;
                hits += k;
        }
        return hits;
}

int tagger_match_rule(Tagger *t, const PatternRule *rule, Slice message, TagHitFn fn, void *userdata) {
        return match_one(t, rule, message, fn, userdata);
}

bool tag_hit_capture(const TagHit *hit, const char *name, Slice *ret) {
        const PatternRule *r = hit->rule;
        for (uint32_t g = 1; g <= r->n_groups; g++) {
                if (!r->names[g - 1] || !streq(r->names[g - 1], name))
                        continue;
                PCRE2_SIZE a = hit->ovector[2 * g], b = hit->ovector[2 * g + 1];
                if (a == PCRE2_UNSET)
                        continue;   /* duplicate names (?J) may be set in another group */
                *ret = (Slice){ hit->subject + a, b - a };
                return true;
        }
        return false;
}

void tag_hit_captures_json(const TagHit *hit, StrBuf *out) {
        const PatternRule *r = hit->rule;
        strbuf_addch(out, '{');
        bool first = true;
        for (uint32_t g = 1; g <= r->n_groups; g++) {
                PCRE2_SIZE a = hit->ovector[2 * g], b = hit->ovector[2 * g + 1];
                if (!r->names[g - 1] || a == PCRE2_UNSET)
                        continue;
                if (!first)
                        strbuf_addch(out, ',');
                first = false;
                json_append_string(out, r->names[g - 1], strlen(r->names[g - 1]));
                strbuf_addch(out, ':');
                json_append_string(out, hit->subject + a, b - a);
        }
        strbuf_addch(out, '}');
}

void tag_hit_summary(const TagHit *hit, Slice node, Slice ident, StrBuf *out) {
        const char *s = hit->rule->summary;
        while (*s) {
                const char *open = strchr(s, '{');
                if (!open) {
                        strbuf_addstr(out, s);
                        return;
                }
                strbuf_add(out, s, (size_t) (open - s));
                const char *close = strchr(open, '}');
                if (!close) {
                        strbuf_addstr(out, open);
                        return;
                }
                char name[64];
                snprintf(name, sizeof name, "%.*s", (int) MIN((size_t) (close - open - 1), sizeof name - 1), open + 1);
                Slice v = SLICE_NULL;
                if (streq(name, "node"))
                        v = node;
                else if (streq(name, "ident"))
                        v = ident;
                else if (!tag_hit_capture(hit, name, &v))
                        v = SLICE_STR("?");
                strbuf_add(out, v.p, v.n);
                s = close + 1;
        }
}
