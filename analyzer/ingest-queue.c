/* ingest-queue.c: a bounded queue of batches between ingest's reading and storing threads. The
 * reader fills one batch while the storer drains another; a batch is handed over when it is full,
 * so the lock is taken once per few thousand items, not per item. With tagging threads, each
 * takes the oldest handed-over batch nobody has matched yet and matches its events, while the
 * batches stay in their FIFO: the storer still gets them in the reader's order. */
#include <pthread.h>
#include <stdatomic.h>

#include "ingest-queue.h"
#include "strbuf.h"
#include "tag.h"

#define QUEUE_BATCHES 4
#define MAX_BATCHES (QUEUE_BATCHES + INGEST_TAG_THREADS_MAX)
#define BATCH_ITEMS 4096
/* A batch is handed over once its copies hold this much: a few long lines do not grow it far. */
#define BATCH_BYTES (768u << 10)
#define BLOCK_SIZE (1u << 20)

typedef struct Block {
        struct Block *next;
        size_t size, used;
        max_align_t data[];
} Block;

typedef enum BatchState {
        BATCH_WAITING,         /* handed over, not matched: the storer matches what it takes unmatched */
        BATCH_TAGGING,         /* a tagging thread is matching it: nobody else touches it */
        BATCH_TAGGED,          /* matched: every event carries its hits */
} BatchState;

typedef struct Batch {
        BatchState state;      /* while in the FIFO of handed-over batches */
        QueuedItem *items;     /* BATCH_ITEMS */
        size_t n_items;
        Block *blocks;         /* the copies, newest block first; pointers into them never move */
        size_t bytes;
} Batch;

struct IngestQueue {
        pthread_t thread;
        pthread_mutex_t lock;
        pthread_cond_t changed;        /* any of the fields below the lock changed */
        IngestProduceFn produce;
        void *userdata;
        int produce_result;            /* written by the reader before it sets done */

        TagContext *tagger;            /* the library the tagging threads match */
        pthread_t tag_threads[INGEST_TAG_THREADS_MAX];
        size_t n_tag_threads;
        size_t max_batches;            /* QUEUE_BATCHES, plus one for each tagging thread to hold */

        /* under lock */
        Batch *full[MAX_BATCHES];      /* FIFO of batches handed over, oldest at full_head */
        size_t full_head, n_full;
        atomic_size_t backlog;         /* n_full, for the reader to look at without the lock */
        Batch *spare[MAX_BATCHES];     /* emptied batches ready for the reader */
        size_t n_spare, n_batches;
        bool done, cancelled;

        Batch *filling;                /* the reader's own */
        Batch *draining;               /* the storer's own */
        size_t drain_pos;
};

static void batch_reset(Batch *b) {
        /* Keep one ordinary block for the next fill; long lines' big blocks go back. */
        Block *keep = NULL;
        for (Block *k = b->blocks, *next; k; k = next) {
                next = k->next;
                if (!keep && k->size == BLOCK_SIZE) {
                        keep = k;
                        keep->next = NULL;
                        keep->used = 0;
                } else
                        free(k);
        }
        b->blocks = keep;
        b->n_items = 0;
        b->bytes = 0;
}

static Batch *batch_free(Batch *b) {
        if (!b)
                return NULL;
        batch_reset(b);
        free(b->blocks);
        free(b->items);
        free(b);
        return NULL;
}

static Batch *batch_new(void) {
        Batch *b = calloc(1, sizeof *b);
        if (!b)
                return NULL;
        b->items = calloc(BATCH_ITEMS, sizeof *b->items);
        if (!b->items)
                return batch_free(b);
        return b;
}

static void *batch_alloc(Batch *b, size_t n) {
        n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
        Block *k = b->blocks;
        if (!k || k->size - k->used < n) {
                size_t size = MAX((size_t) BLOCK_SIZE, n);
                k = malloc(sizeof *k + size);
                if (!k)
                        return NULL;
                *k = (Block){ .next = b->blocks, .size = size };
                b->blocks = k;
        }
        void *p = (char *) k->data + k->used;
        k->used += n;
        b->bytes += n;
        return p;
}

/* A slice lying inside the copied raw line points into that copy instead of being copied again. */
static int copy_slice(Batch *b, Slice *s, Slice raw, const char *raw_copy) {
        if (s->n == 0) {
                *s = (Slice){ s->p ? "" : NULL, 0 };
                return 0;
        }
        uintptr_t p = (uintptr_t) s->p, r = (uintptr_t) raw.p;
        if (raw_copy && p >= r && p + s->n <= r + raw.n) {
                s->p = raw_copy + (p - r);
                return 0;
        }
        char *c = batch_alloc(b, s->n);
        if (!c)
                return -ENOMEM;
        memcpy(c, s->p, s->n);
        s->p = c;
        return 0;
}

static const char *copy_string(Batch *b, const char *s) {
        if (!s)
                return NULL;
        size_t n = strlen(s) + 1;
        char *c = batch_alloc(b, n);
        return c ? memcpy(c, s, n) : NULL;
}

static int copy_hits(Batch *b, QueuedItem *it) {
        if (it->n_hits == 0) {
                it->hits = NULL;
                return 0;
        }
        QueuedHit *hits = batch_alloc(b, it->n_hits * sizeof *hits);
        if (!hits)
                return -ENOMEM;
        for (size_t i = 0; i < it->n_hits; i++) {
                hits[i] = (QueuedHit){ .rule = it->hits[i].rule,
                                       .captures_json = copy_string(b, it->hits[i].captures_json) };
                if (!hits[i].captures_json)
                        return -ENOMEM;
        }
        it->hits = hits;
        return 0;
}

static int copy_item(Batch *b, const QueuedItem *src) {
        QueuedItem *it = &b->items[b->n_items];
        *it = *src;
        Slice raw = src->raw;
        int r = copy_slice(b, &it->raw, SLICE_NULL, NULL);
        LogRecord *rec = &it->rec;
        Slice *fields[] = { &rec->node, &rec->boot_id, &rec->ident, &rec->unit, &rec->message, &rec->cursor };
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(fields); i++)
                r = copy_slice(b, fields[i], raw, it->raw.p);
        if (r >= 0 && src->text && !(it->text = copy_string(b, src->text)))
                r = -ENOMEM;
        if (r >= 0)
                r = copy_hits(b, it);
        if (r < 0)
                return r;
        b->n_items++;
        return 0;
}

/* ---- the reading thread ---- */

/* Under lock: the batch the reader fills next, waiting for the storer to empty one. */
static int take_spare(IngestQueue *q, Batch **ret) {
        for (;;) {
                if (q->cancelled)
                        return -ECANCELED;
                if (q->n_spare > 0) {
                        *ret = q->spare[--q->n_spare];
                        return 0;
                }
                if (q->n_batches < q->max_batches) {
                        Batch *b = batch_new();
                        if (!b)
                                return -ENOMEM;
                        q->n_batches++;
                        *ret = b;
                        return 0;
                }
                pthread_cond_wait(&q->changed, &q->lock);
        }
}

/* Under lock. */
static void hand_over(IngestQueue *q) {
        Batch *b = TAKE_PTR(q->filling);
        if (b->n_items == 0) {
                q->spare[q->n_spare++] = b;
                return;
        }
        b->state = BATCH_WAITING;
        q->full[(q->full_head + q->n_full) % q->max_batches] = b;
        q->n_full++;
        atomic_store_explicit(&q->backlog, q->n_full, memory_order_relaxed);
        pthread_cond_broadcast(&q->changed);
}

int ingest_queue_push(IngestQueue *q, const QueuedItem *item) {
        int r = 0;
        if (!q->filling) {
                pthread_mutex_lock(&q->lock);
                r = take_spare(q, &q->filling);
                pthread_mutex_unlock(&q->lock);
                if (r < 0)
                        return r;
        }
        r = copy_item(q->filling, item);
        if (r < 0)
                return r;
        if (q->filling->n_items == BATCH_ITEMS || q->filling->bytes >= BATCH_BYTES) {
                pthread_mutex_lock(&q->lock);
                hand_over(q);
                pthread_mutex_unlock(&q->lock);
        }
        return 0;
}

bool ingest_queue_storer_behind(IngestQueue *q) {
        /* With tagging threads the reader only reads: they match what waits. */
        return q->n_tag_threads == 0 && atomic_load_explicit(&q->backlog, memory_order_relaxed) > 0;
}

static void *reading_thread(void *userdata) {
        IngestQueue *q = userdata;
        q->produce_result = q->produce(q, q->userdata);
        pthread_mutex_lock(&q->lock);
        if (q->filling)
                hand_over(q);
        q->done = true;
        pthread_cond_broadcast(&q->changed);
        pthread_mutex_unlock(&q->lock);
        return NULL;
}

/* ---- the tagging threads ---- */

typedef struct TagWorker {
        Tagger *tagger;        /* a matcher of its own (PCRE2 match data is per thread) */
        StrBuf captures;       /* the current event's hits' captures, each NUL-terminated */
        QueuedHit *hits;       /* captures_json holds an offset into captures until copied */
        size_t n_hits, cap_hits;
} TagWorker;

static int worker_collect_hit(void *userdata, const TagHit *hit) {
        TagWorker *w = userdata;
        if (array_reserve(&w->hits, &w->cap_hits, w->n_hits + 1, sizeof *w->hits, 8) < 0)
                return -ENOMEM;
        w->hits[w->n_hits++] = (QueuedHit){ .rule = hit->rule, .captures_json = (const char *) (uintptr_t) w->captures.len };
        tag_hit_captures_json(hit, &w->captures);
        strbuf_addch(&w->captures, '\0');
        return 0;
}

/* Match every event of b the reader left unmatched; the hits go into b's own blocks. An event
 * that fails (no memory) stays unmatched, and the storer matches it as it would have anyway. */
static void tag_batch(TagWorker *w, Batch *b) {
        for (size_t i = 0; i < b->n_items; i++) {
                QueuedItem *it = &b->items[i];
                if (it->kind != QUEUED_RECORD || it->rec.kind != RECORD_EVENT || it->matched)
                        continue;
                w->n_hits = 0;
                strbuf_reset(&w->captures);
                if (tagger_match(w->tagger, it->rec.ident, it->rec.message, worker_collect_hit, w) < 0 ||
                    strbuf_error(&w->captures) < 0)
                        continue;
                QueuedItem m = { .n_hits = w->n_hits, .hits = w->hits };
                for (size_t k = 0; k < w->n_hits; k++)
                        w->hits[k].captures_json = w->captures.buf + (uintptr_t) w->hits[k].captures_json;
                if (copy_hits(b, &m) < 0)
                        continue;
                it->hits = m.hits;
                it->n_hits = m.n_hits;
                it->matched = true;
        }
}

/* Under lock: the oldest handed-over batch nobody matches yet. */
static Batch *waiting_batch(IngestQueue *q) {
        for (size_t i = 0; i < q->n_full; i++) {
                Batch *b = q->full[(q->full_head + i) % q->max_batches];
                if (b->state == BATCH_WAITING)
                        return b;
        }
        return NULL;
}

static void *tagging_thread(void *userdata) {
        IngestQueue *q = userdata;
        TagWorker w = { .captures = STRBUF_INIT };
        if (tag_matcher_new(q->tagger, &w.tagger) < 0)
                return NULL;   /* the storer matches what nobody else did */
        pthread_mutex_lock(&q->lock);
        for (;;) {
                Batch *b = NULL;
                while (!q->cancelled && !(b = waiting_batch(q)) && !q->done)
                        pthread_cond_wait(&q->changed, &q->lock);
                if (!b)
                        break;
                b->state = BATCH_TAGGING;
                pthread_mutex_unlock(&q->lock);
                tag_batch(&w, b);
                pthread_mutex_lock(&q->lock);
                b->state = BATCH_TAGGED;
                pthread_cond_broadcast(&q->changed);
        }
        pthread_mutex_unlock(&q->lock);
        tagger_free(w.tagger);
        strbuf_release(&w.captures);
        free(w.hits);
        return NULL;
}

/* Stop the tagging threads at their next batch and wait for them. */
static void stop_tagging(IngestQueue *q) {
        pthread_mutex_lock(&q->lock);
        q->cancelled = true;
        pthread_cond_broadcast(&q->changed);
        pthread_mutex_unlock(&q->lock);
        for (size_t i = 0; i < q->n_tag_threads; i++)
                pthread_join(q->tag_threads[i], NULL);
        q->n_tag_threads = 0;
}

int ingest_queue_start_tagging(IngestProduceFn produce, void *userdata, TagContext *tagger, size_t n_tag_threads,
                               IngestQueue **ret) {
        IngestQueue *q = calloc(1, sizeof *q);
        if (!q)
                return -ENOMEM;
        q->produce = produce;
        q->userdata = userdata;
        q->tagger = tagger;
        q->max_batches = QUEUE_BATCHES + (tagger ? MIN(n_tag_threads, (size_t) INGEST_TAG_THREADS_MAX) : 0);
        pthread_mutex_init(&q->lock, NULL);
        pthread_cond_init(&q->changed, NULL);
        int r = 0;
        /* A thread that does not start leaves its share to the storer: fewer threads, same tags. */
        while (q->n_tag_threads < q->max_batches - QUEUE_BATCHES &&
               pthread_create(&q->tag_threads[q->n_tag_threads], NULL, tagging_thread, q) == 0)
                q->n_tag_threads++;
        r = pthread_create(&q->thread, NULL, reading_thread, q);
        if (r != 0) {
                stop_tagging(q);
                pthread_cond_destroy(&q->changed);
                pthread_mutex_destroy(&q->lock);
                free(q);
                return -r;
        }
        *ret = q;
        return 0;
}

int ingest_queue_start(IngestProduceFn produce, void *userdata, IngestQueue **ret) {
        return ingest_queue_start_tagging(produce, userdata, NULL, 0, ret);
}

/* ---- the storing thread ---- */

int ingest_queue_next(IngestQueue *q, const QueuedItem **ret) {
        if (q->draining && q->drain_pos < q->draining->n_items) {
                *ret = &q->draining->items[q->drain_pos++];
                return 1;
        }
        pthread_mutex_lock(&q->lock);
        if (q->draining) {
                batch_reset(q->draining);
                q->spare[q->n_spare++] = TAKE_PTR(q->draining);
                pthread_cond_broadcast(&q->changed);
        }
        /* The head batch, unless a tagging thread is matching it: one still waiting is taken as it
         * is (the storer would only wait otherwise, so it matches the batch itself). */
        while ((q->n_full == 0 && !q->done) || (q->n_full > 0 && q->full[q->full_head]->state == BATCH_TAGGING))
                pthread_cond_wait(&q->changed, &q->lock);
        if (q->n_full > 0) {
                q->draining = q->full[q->full_head];
                q->full_head = (q->full_head + 1) % q->max_batches;
                q->n_full--;
                atomic_store_explicit(&q->backlog, q->n_full, memory_order_relaxed);
        }
        pthread_mutex_unlock(&q->lock);
        if (!q->draining)
                return 0;
        q->drain_pos = 1;
        *ret = &q->draining->items[0];
        return 1;
}

int ingest_queue_finish(IngestQueue *q, int consumer_error) {
        if (consumer_error < 0) {
                pthread_mutex_lock(&q->lock);
                q->cancelled = true;
                pthread_cond_broadcast(&q->changed);
                pthread_mutex_unlock(&q->lock);
        }
        pthread_join(q->thread, NULL);
        stop_tagging(q);
        int r = consumer_error < 0 ? consumer_error : q->produce_result;
        batch_free(q->draining);
        batch_free(q->filling);
        for (size_t i = 0; i < q->n_full; i++)
                batch_free(q->full[(q->full_head + i) % q->max_batches]);
        for (size_t i = 0; i < q->n_spare; i++)
                batch_free(q->spare[i]);
        pthread_cond_destroy(&q->changed);
        pthread_mutex_destroy(&q->lock);
        free(q);
        return r;
}
