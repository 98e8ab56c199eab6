/* tag.h: tagging the events of the store. Inline for each new event during ingest, and catch-up /
 * retag in batches for the events not yet tagged with the current library (meta 'tags_hash' and
 * 'tags_upto', see schema/002-tags.sql and 010-library.sql), one transaction per batch so a killed
 * retag resumes. Every tag names the library that made it (a tag_library row). */
#pragma once

#include "store-library.h"
#include "store.h"
#include "tag-match.h"

typedef struct TagContext TagContext;

/* set must outlive the context. */
int tag_context_new(Store *store, const PatternSet *set, TagContext **ret);
TagContext *tag_context_free(TagContext *tc);
DEFINE_TRIVIAL_CLEANUP_FUNC(TagContext *, tag_context_free);

/* The library's content hash as stored in meta (16 hex digits), and what it was built from. */
const char *tag_context_hash(const TagContext *tc);
const char *tag_context_sources(const TagContext *tc);

/* The library the store is tagged by when it is another than tc's (the one tag_catch_up() will
 * retag everything with): 1 with *ret filled (sources NULL when not recorded), 0 when the store is
 * tagged by tc's library or not at all. */
int tag_other_library(TagContext *tc, LibraryRow *ret);

typedef void (*TagProgressFn)(void *userdata, int64_t done, int64_t total);

/* Bring the tags up to date: when the library changed (or force), retag all events, each batch's
 * old tags replaced by the new ones; else tag the events above 'tags_upto'. Records the library in
 * tag_library first. Runs its own transactions; returns the number of events tagged in this call,
 * or -errno. */
int64_t tag_catch_up(TagContext *tc, bool force, TagProgressFn progress, void *userdata);

/* Tag one event inside the caller's transaction (after tag_catch_up(), which finds the library's id); the caller then records the new high-water mark
 * with tag_mark_upto() before it commits. Returns the number of tags, or -errno. */
int tag_event(TagContext *tc, int64_t event_id, Slice ident, Slice message);
int tag_mark_upto(TagContext *tc, int64_t event_id);

/* tag_event() in two halves for ingest's two threads: matching uses only the compiled library (the
 * reading thread, with a matcher of its own), storing a hit only the store (the storing thread,
 * inside its transaction). The storing thread may still tag_event() what the reader left unmatched. */
int tag_match_event(TagContext *tc, Slice ident, Slice message, TagHitFn fn, void *userdata);
int tag_store_hit(TagContext *tc, int64_t event_id, const PatternRule *rule, const char *captures_json);

/* A matcher of tc's library for another thread (tag_match_event()'s is the reading thread's):
 * tagger_match() on it, then tag_store_hit() in the storing thread. */
int tag_matcher_new(const TagContext *tc, Tagger **ret);

uint64_t tag_context_tags_added(const TagContext *tc);
