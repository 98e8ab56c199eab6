/* ingest-queue.h: the hand-off between ingest's two threads. A reading thread reads and parses,
 * the calling thread stores (SQLite has one writer), and whichever waits for the other matches the
 * pattern library. Items travel in batches of deep copies through a bounded queue, so both cores
 * work and memory is bounded by the queue, never by the input. */
#pragma once

#include "ingest-record.h"
#include "tag-patterns.h"

typedef enum QueuedKind {
        QUEUED_RECORD,         /* rec (+ raw, the line it came from, when the source has lines) */
        QUEUED_REJECT,         /* a line or entry no parser understood: line, text (the reason), raw */
        QUEUED_DIAG,           /* something to tell the user: line (0: the whole source), text */
} QueuedKind;

typedef struct QueuedHit {
        const PatternRule *rule;
        const char *captures_json;
} QueuedHit;

/* Where the source stands after an item: what a batch commit saves as its resume point. */
typedef struct ResumePoint {
        uint64_t offset;       /* bytes of the (decompressed) stream consumed */
        uint64_t line;         /* lines or export entries consumed */
        int year;              /* text read with a fixed year: the year reached; 0 otherwise */
} ResumePoint;

typedef struct QueuedItem {
        QueuedKind kind;
        LogRecord rec;
        Slice raw;
        uint64_t line;
        const char *text;
        const QueuedHit *hits;
        size_t n_hits;
        bool matched;          /* the reading thread ran the pattern library: hits are all there are */
        ResumePoint resume;
        double progress;       /* 0..1 through the source, < 0 when not measured at this item */
} QueuedItem;

typedef struct IngestQueue IngestQueue;

/* Runs in the reading thread; returns what the whole read returned (0 or -errno). */
typedef int (*IngestProduceFn)(IngestQueue *q, void *userdata);

/* Start the reading thread running produce(q, userdata). */
int ingest_queue_start(IngestProduceFn produce, void *userdata, IngestQueue **ret);

/* The same, with n_tag_threads threads (at most INGEST_TAG_THREADS_MAX) matching tagger's library
 * on the batches between reader and storer, so the storer only stores; each holds one batch more
 * in memory (about 2 MiB). Items come out in the reader's order all the same. */
#define INGEST_TAG_THREADS_MAX 4
typedef struct TagContext TagContext;
int ingest_queue_start_tagging(IngestProduceFn produce, void *userdata, TagContext *tagger, size_t n_tag_threads,
                               IngestQueue **ret);

/* Reading thread: queue a deep copy of *item (its slices, strings and hits). -ECANCELED once the
 * storing side gave up: the producer returns at once. */
int ingest_queue_push(IngestQueue *q, const QueuedItem *item);

/* Reading thread: whether the storer has a whole batch waiting, so the reader has time to spare
 * (matching the pattern library there); when not, the storer matches what comes unmatched. */
bool ingest_queue_storer_behind(IngestQueue *q);

/* Storing thread: 1 and the next item (valid until the next call), 0 when the reader is done. */
int ingest_queue_next(IngestQueue *q, const QueuedItem **ret);

/* Storing thread: stop the reader if it still runs (consumer_error < 0), wait for it, free the
 * queue. Returns consumer_error when < 0, else what produce() returned. */
int ingest_queue_finish(IngestQueue *q, int consumer_error);
