/* tag.c: tags from the pattern library into the tag table. */
#include "store-library.h"
#include "store-tag.h"
#include "strbuf.h"
#include "tag.h"

#define RETAG_BATCH 50000

struct TagContext {
        Store *store;
        const PatternSet *set;         /* the compiled library, for matchers of other threads */
        Tagger *tagger;        /* tag_event()'s and catch-up's, in the storing thread */
        Tagger *reading_tagger;        /* tag_match_event()'s, in ingest's reading thread */
        char hash[PATTERN_HASH_MAX];   /* content hash of the library, hex */
        char *sources;         /* what the library was built from (pattern_set_sources()) */
        size_t n_rules;
        int64_t library_id;    /* its tag_library row; 0 until tag_catch_up() */
        StrBuf json;           /* scratch for captures */
        uint64_t tags_added;
        int64_t event_id;      /* the event being tagged */
};

int tag_context_new(Store *store, const PatternSet *set, TagContext **ret) {
        TagContext *tc = calloc(1, sizeof *tc);
        if (!tc)
                return -ENOMEM;
        tc->store = store;
        tc->set = set;
        tc->json = (StrBuf) STRBUF_INIT;
        pattern_set_hash(set, tc->hash);
        tc->n_rules = set->n_rules;
        int r = pattern_set_sources(set, &tc->sources);
        if (r >= 0)
                r = tagger_new(set, &tc->tagger);
        if (r >= 0)
                r = tagger_new(set, &tc->reading_tagger);
        if (r < 0) {
                tag_context_free(tc);
                return r;
        }
        *ret = tc;
        return 0;
}

TagContext *tag_context_free(TagContext *tc) {
        if (!tc)
                return NULL;
        tagger_free(tc->tagger);
        tagger_free(tc->reading_tagger);
        free(tc->sources);
        strbuf_release(&tc->json);
        free(tc);
        return NULL;
}

const char *tag_context_hash(const TagContext *tc) {
        return tc->hash;
}

const char *tag_context_sources(const TagContext *tc) {
        return tc->sources;
}

uint64_t tag_context_tags_added(const TagContext *tc) {
        return tc->tags_added;
}

int tag_store_hit(TagContext *tc, int64_t event_id, const PatternRule *rule, const char *captures_json) {
        int r = store_tag_add(tc->store, event_id, tc->library_id, rule->id, rule->kind,
                              severity_to_string(rule->severity), captures_json);
        if (r >= 0)
                tc->tags_added++;
        return r;
}

int tag_match_event(TagContext *tc, Slice ident, Slice message, TagHitFn fn, void *userdata) {
        return tagger_match(tc->reading_tagger, ident, message, fn, userdata);
}

int tag_matcher_new(const TagContext *tc, Tagger **ret) {
        return tagger_new(tc->set, ret);
}

static int store_hit(void *userdata, const TagHit *hit) {
        TagContext *tc = userdata;
        strbuf_reset(&tc->json);
        tag_hit_captures_json(hit, &tc->json);
        int r = strbuf_error(&tc->json);
        return r < 0 ? r : tag_store_hit(tc, tc->event_id, hit->rule, tc->json.buf);
}

int tag_event(TagContext *tc, int64_t event_id, Slice ident, Slice message) {
        tc->event_id = event_id;
        return tagger_match(tc->tagger, ident, message, store_hit, tc);
}

int tag_mark_upto(TagContext *tc, int64_t event_id) {
        char v[24];
        snprintf(v, sizeof v, "%" PRId64, event_id);
        return store_meta_set(tc->store, "tags_upto", v);
}

static int64_t meta_int(Store *s, const char *key) {
        _cleanup_free_ char *v = NULL;
        if (store_meta_get(s, key, &v) <= 0)
                return 0;
        return strtoll(v, NULL, 10);
}

int tag_other_library(TagContext *tc, LibraryRow *ret) {
        _cleanup_free_ char *stored = NULL;
        int r = store_meta_get(tc->store, "tags_hash", &stored);
        if (r <= 0 || streq(stored, tc->hash))
                return r < 0 ? r : 0;
        r = store_library_find(tc->store, stored, ret);
        if (r != 0)
                return r;
        /* A database that predates library rows: only the hash is known. */
        *ret = (LibraryRow){ .hash = TAKE_PTR(stored), .rules = -1, .first_used = USEC_INVALID };
        return 1;
}

/* Start over when the tags were made by another library (or on request). The old tags are not
 * dropped here: each batch replaces its events' tags, so a retag that is stopped leaves every
 * event tagged by one library or the other (each tag names its own), never by none. */
static int reset_if_stale(TagContext *tc, bool force) {
        _cleanup_free_ char *stored = NULL;
        int r = store_begin(tc->store);
        if (r < 0)
                return r;
        r = store_library_ensure(tc->store, tc->hash, tc->sources, (int64_t) tc->n_rules, &tc->library_id);
        if (r >= 0)
                r = store_meta_get(tc->store, "tags_hash", &stored);
        if (r >= 0 && (force || r == 0 || !streq(stored, tc->hash))) {
                r = store_meta_set(tc->store, "tags_hash", tc->hash);
                if (r >= 0)
                        r = tag_mark_upto(tc, 0);
        }
        if (r < 0) {
                store_rollback(tc->store);
                return r;
        }
        return store_commit(tc->store);
}

static const char sql_events_after[] =
        "SELECT id, identifier, message FROM event WHERE id > ?1 ORDER BY id LIMIT ?2";

/* One batch: tag events after `upto` in place of whatever tags they hold; returns the last id
 * tagged (== upto when none). */
static int64_t tag_batch(TagContext *tc, int64_t upto) {
        sqlite3_stmt *st;
        int r = store_tags_delete_batch(tc->store, upto, RETAG_BATCH);
        if (r < 0)
                return r;
        r = store_stmt(tc->store, sql_events_after, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, upto);
        sqlite3_bind_int(st, 2, RETAG_BATCH);
        int64_t last = upto;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                last = sqlite3_column_int64(st, 0);
                Slice ident = { (const char *) sqlite3_column_text(st, 1), (size_t) sqlite3_column_bytes(st, 1) };
                /* A BLOB message (invalid UTF-8) is matched as bytes all the same. */
                Slice msg = { (const char *) sqlite3_column_blob(st, 2), (size_t) sqlite3_column_bytes(st, 2) };
                r = tag_event(tc, last, ident, msg);
                if (r < 0)
                        break;
        }
        sqlite3_reset(st);
        if (r < 0)
                return r;
        if (rc != SQLITE_DONE && rc != SQLITE_ROW)
                return store_errno(rc);
        return last;
}

int64_t tag_catch_up(TagContext *tc, bool force, TagProgressFn progress, void *userdata) {
        int r = reset_if_stale(tc, force);
        if (r < 0)
                return r;
        int64_t upto = meta_int(tc->store, "tags_upto");
        int64_t max = store_max_event_id(tc->store);
        if (max < 0)
                return max;
        int64_t start = upto, tagged = 0;
        while (upto < max) {
                r = store_begin(tc->store);
                if (r < 0)
                        return r;
                int64_t last = tag_batch(tc, upto);
                if (last >= 0) {
                        if (last == upto)
                                last = max;    /* nothing left above upto */
                        r = tag_mark_upto(tc, last);
                }
                if (last < 0 || r < 0) {
                        store_rollback(tc->store);
                        return last < 0 ? last : r;
                }
                r = store_commit(tc->store);
                if (r < 0)
                        return r;
                tagged += last - upto;
                upto = last;
                if (progress)
                        progress(userdata, upto - start, max - start);
        }
        return tagged;
}
