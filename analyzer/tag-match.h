/* tag-match.h: matching events against the compiled library. Only the rules of the event's
 * identifier (and the ident-* rules) are tried, each a JIT-compiled PCRE2 regex. */
#pragma once

#include "strbuf.h"
#include "tag-patterns.h"

typedef struct Tagger Tagger;

/* The tagger borrows set, which must outlive it. */
int tagger_new(const PatternSet *set, Tagger **ret);
Tagger *tagger_free(Tagger *t);
DEFINE_TRIVIAL_CLEANUP_FUNC(Tagger *, tagger_free);

/* One match: valid during the callback only. */
typedef struct TagHit {
        const PatternRule *rule;
        const char *subject;   /* the message */
        size_t subject_len;
        const PCRE2_SIZE *ovector; /* pairs of offsets, group 0 first; PCRE2_UNSET when a group is unset */
} TagHit;

typedef int (*TagHitFn)(void *userdata, const TagHit *hit);

/* Calls fn for every rule that matches. Returns the number of hits or -errno (fn's own error). */
int tagger_match(Tagger *t, Slice ident, Slice message, TagHitFn fn, void *userdata);

/* Only this rule (for the pattern tester). 1 and fn called on a match, 0 without. */
int tagger_match_rule(Tagger *t, const PatternRule *rule, Slice message, TagHitFn fn, void *userdata);

/* {"name":"value",...} of the named groups that matched. Allocation failures stay in out. */
void tag_hit_captures_json(const TagHit *hit, StrBuf *out);
/* The capture named name, or false when unset. */
bool tag_hit_capture(const TagHit *hit, const char *name, Slice *ret);
/* The rule's summary with {name}, {node}, {ident} filled in. Allocation failures stay in out. */
void tag_hit_summary(const TagHit *hit, Slice node, Slice ident, StrBuf *out);
