/* test-ingest-queue.c: the hand-off between ingest's reading and storing threads (ingest-queue.h):
 * order, deep copies, long items, and a storing side that gives up while the reader is blocked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ingest-queue.h"

#define ITEMS 50000
#define LONG_EVERY 9999        /* every so many items, a message longer than a batch's block */
#define LONG_SIZE (3u << 20)

typedef struct Producer {
        unsigned items;        /* how many to push */
        int push_error;        /* the first error ingest_queue_push returned */
        unsigned pushed;
} Producer;

static size_t message_size(unsigned i) {
        return i % LONG_EVERY == LONG_EVERY - 1 ? LONG_SIZE : 1 + i % 300;
}

static char message_byte(unsigned i, size_t k) {
        return (char) ('a' + (i + k) % 26);
}

/* Every field lives in memory the producer reuses at once: the queue must have copied it. */
static int produce(IngestQueue *q, void *userdata) {
        Producer *p = userdata;
        char *scratch = malloc(LONG_SIZE + 64);
        assert_non_null(scratch);
        for (unsigned i = 0; i < p->items; i++) {
                size_t n = message_size(i);
                for (size_t k = 0; k < n; k++)
                        scratch[k] = message_byte(i, k);
                char node[16], reason[32];
                snprintf(node, sizeof node, "pve%u", i % 3);
                snprintf(reason, sizeof reason, "reason %u", i);
                QueuedHit hits[2] = { { .captures_json = "{\"a\":\"1\"}" }, { .captures_json = reason } };
                QueuedItem it = {
                        .kind = i % 100 == 7 ? QUEUED_REJECT : QUEUED_RECORD,
                        .rec = { .ts = (usec_t) i, .node = SLICE_STR(node), .message = { scratch, n } },
                        .raw = { scratch, MIN(n, (size_t) 5) },
                        .text = reason,
                        .hits = hits,
                        .n_hits = i % 2 ? 2 : 0,
                        .resume = { .offset = i, .line = i + 1 },
                        .progress = -1,
                };
                int r = ingest_queue_push(q, &it);
                memset(scratch, 0, n);
                if (r < 0) {
                        p->push_error = r;
                        break;
                }
                p->pushed++;
        }
        free(scratch);
        return p->push_error < 0 ? p->push_error : 0;
}

static void check_item(const QueuedItem *it, unsigned i) {
        assert_int_equal(it->rec.ts, i);
        assert_int_equal(it->kind, i % 100 == 7 ? QUEUED_REJECT : QUEUED_RECORD);
        size_t n = message_size(i);
        assert_int_equal(it->rec.message.n, n);
        for (size_t k = 0; k < n; k += 97)
                assert_int_equal(it->rec.message.p[k], message_byte(i, k));
        assert_int_equal(it->raw.n, MIN(n, (size_t) 5));
        assert_memory_equal(it->raw.p, it->rec.message.p, it->raw.n);
        char node[16], reason[32];
        snprintf(node, sizeof node, "pve%u", i % 3);
        snprintf(reason, sizeof reason, "reason %u", i);
        assert_true(slice_eq_str(it->rec.node, node));
        assert_string_equal(it->text, reason);
        assert_int_equal(it->n_hits, i % 2 ? 2 : 0);
        if (it->n_hits) {
                assert_string_equal(it->hits[0].captures_json, "{\"a\":\"1\"}");
                assert_string_equal(it->hits[1].captures_json, reason);
        }
        assert_int_equal(it->resume.line, i + 1);
}

static void items_arrive_whole_and_in_order(void **state) {
        Producer p = { .items = ITEMS };
        IngestQueue *q;
        assert_int_equal(ingest_queue_start(produce, &p, &q), 0);
        const QueuedItem *it;
        unsigned seen = 0;
        int r;
        while ((r = ingest_queue_next(q, &it)) > 0)
                check_item(it, seen++);
        assert_int_equal(r, 0);
        assert_int_equal(ingest_queue_finish(q, 0), 0);
        assert_int_equal(seen, ITEMS);
        assert_int_equal(p.pushed, ITEMS);
}

static int produce_nothing(IngestQueue *q, void *userdata) {
        return -EIO;
}

static void reader_error_reaches_the_storer(void **state) {
        IngestQueue *q;
        assert_int_equal(ingest_queue_start(produce_nothing, NULL, &q), 0);
        const QueuedItem *it;
        assert_int_equal(ingest_queue_next(q, &it), 0);
        assert_int_equal(ingest_queue_finish(q, 0), -EIO);
}

/* The storer fails after a few items: the reader, blocked on a full queue, is released and stops. */
static void storer_gives_up(void **state) {
        Producer p = { .items = ITEMS };
        IngestQueue *q;
        assert_int_equal(ingest_queue_start(produce, &p, &q), 0);
        const QueuedItem *it;
        for (unsigned i = 0; i < 10; i++) {
                assert_int_equal(ingest_queue_next(q, &it), 1);
                check_item(it, i);
        }
        usleep(100 * 1000);    /* let the reader fill the queue and block */
        assert_int_equal(ingest_queue_finish(q, -ENOSPC), -ENOSPC);
        assert_int_equal(p.push_error, -ECANCELED);
        assert_true(p.pushed < ITEMS);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(items_arrive_whole_and_in_order),
                cmocka_unit_test(reader_error_reaches_the_storer),
                cmocka_unit_test(storer_gives_up),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
