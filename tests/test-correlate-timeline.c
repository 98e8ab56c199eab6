/* test-correlate-timeline.c: the merged timeline (correlate-timeline.h) on a small real store:
 * order on skew-corrected time, ties, the window, and each filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>


#include "correlate-timeline.h"
#include "store-tag.h"
#include "scratch-dir.h"

#define T0 INT64_C(1764057600000000) /* 2025-11-25T08:00:00Z */
#define S(sec) (T0 + (usec_t) ((sec) * 1e6))

typedef struct Fixture {
        char dir[256];         /* a fresh directory per test */
        Store *store;
        int64_t node[3];       /* node rows of pve1..pve3 */
        int64_t text_source, journal_source;
        Analysis a;            /* the nodes of the store, built by hand (skews set per test) */
        CNode nodes[3];
} Fixture;

/* One event of node n (0-based) at second t; kinds: comma-separated tags or NULL; line > 0: from
 * the text source at that line, else from the journal. */
static void add(Fixture *f, int n, double t, int priority, const char *message, const char *kinds, uint64_t line) {
        static int64_t dedup;
        StoredEvent e = { .node_id = f->node[n], .ts = S(t), .ts_prec = 1, .mono = -1, .ident = SLICE_STR("corosync"),
                          .pid = n == 2 ? -1 : 100 + n, .priority = priority, .message = SLICE_STR(message),
                          .source_id = line > 0 ? f->text_source : f->journal_source, .line = line, .dedup = ++dedup };
        assert_int_equal(store_event_add(f->store, &e), EVENT_ADDED);
        int64_t id = store_last_event_id(f->store);
        char kind[64];
        for (const char *p = kinds; p && *p;) {
                size_t len = strcspn(p, ",");
                snprintf(kind, sizeof kind, "%.*s", (int) len, p);
                assert_int_equal(store_tag_add(f->store, id, 0, kind, kind, "info", "{}"), 0);
                p += len + (p[len] == ',');
        }
}

static int setup(void **state) {
        Fixture *f = calloc(1, sizeof *f);
        assert_non_null(f);
        scratch_dir_make(f->dir, sizeof f->dir, "timeline");
        char db[320];
        snprintf(db, sizeof db, "%s/cascade.db", f->dir);
        assert_int_equal(store_open(db, STORE_READ_WRITE, &f->store), 0);
        static const char *const names[] = { "pve1", "pve2", "pve3" };
        for (int i = 0; i < 3; i++) {
                assert_int_equal(store_node_id(f->store, SLICE_STR(names[i]), &f->node[i]), 0);
                f->nodes[i] = (CNode){ .name = (char *) names[i], .node_id = f->node[i], .has_logs = true };
        }
        SourceRow text = { 0 }, journal = { 0 };
        assert_int_equal(store_source_get(f->store, "file:/var/log/syslog", "/var/log/syslog", "text", &text), 0);
        assert_int_equal(store_source_get(f->store, "journal:/j", "/var/log/journal", "journal", &journal), 0);
        f->text_source = text.id;
        f->journal_source = journal.id;
        source_row_done(&text);
        source_row_done(&journal);
        f->a = (Analysis){ .since = USEC_INVALID, .until = USEC_INVALID, .nodes = f->nodes, .n_nodes = 3,
                           .reference_node = 0 };
        /* pve2's clock runs 2 s ahead: its stamps are 2 s late on the others'. */
        add(f, 0, 10, 6, "pve1 first", "corosync.membership", 0);
        add(f, 1, 11, 4, "pve2 first (at 9 corrected)", "knet.link.down,corosync.retransmit", 0);
        add(f, 2, 10, -1, "pve3 at 10, after pve1's on the tie", NULL, 3);
        add(f, 0, 12, 3, "pve1 second", "corosync.token.lost", 0);
        add(f, 1, 15, 6, "pve2 second (at 13 corrected)", "knet.link.up", 0);
        add(f, 2, 20, 7, "pve3 last", "corosyncd.other", 4);
        f->nodes[1].skew = 2.0;
        f->nodes[1].skew_applied = true;
        *state = f;
        return 0;
}

static int teardown(void **state) {
        Fixture *f = *state;
        store_close(f->store);
        scratch_dir_remove(f->dir);
        free(f);
        return 0;
}

/* The messages of the timeline, each followed by '|'. */
static void collect(Fixture *f, const TimelineFilter *filter, usec_t since, usec_t until, char *buf, size_t size) {
        Timeline *t = NULL;
        const char *node = NULL;
        TimelineRow row;
        assert_int_equal(timeline_open(f->store, &f->a, filter, since, until, &t, &node), 0);
        buf[0] = '\0';
        while (timeline_next(t, &row) > 0) {
                size_t n = strlen(buf);
                snprintf(buf + n, size - n, "%.*s|", (int) row.message.n, row.message.p);
        }
        assert_int_equal(timeline_next(t, &row), 0);
        timeline_free(t);
}

static void merge_on_corrected_time(void **state) {
        Fixture *f = *state;
        TimelineFilter all = TIMELINE_FILTER_INIT;
        char got[1024];
        collect(f, &all, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve2 first (at 9 corrected)|pve1 first|pve3 at 10, after pve1's on the tie|"
                                 "pve1 second|pve2 second (at 13 corrected)|pve3 last|");
        /* Without the correction pve2 keeps its own clock's order. */
        f->nodes[1].skew_applied = false;
        collect(f, &all, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve1 first|pve3 at 10, after pve1's on the tie|pve2 first (at 9 corrected)|"
                                 "pve1 second|pve2 second (at 13 corrected)|pve3 last|");
}

static void rows(void **state) {
        Fixture *f = *state;
        TimelineFilter all = TIMELINE_FILTER_INIT;
        Timeline *t = NULL;
        const char *node = NULL;
        TimelineRow row;
        assert_int_equal(timeline_open(f->store, &f->a, &all, USEC_INVALID, USEC_INVALID, &t, &node), 0);
        assert_int_equal(timeline_next(t, &row), 1);
        assert_int_equal(row.ts, S(9));
        assert_string_equal(row.node, "pve2");
        assert_int_equal(row.node_index, 1);
        assert_string_equal(row.ident, "corosync");
        assert_int_equal(row.pid, 101);
        assert_int_equal(row.priority, 4);
        assert_string_equal(row.kinds, "corosync.retransmit,knet.link.down");   /* in rule id order */
        assert_string_equal(row.source, "/var/log/journal");
        assert_int_equal(timeline_next(t, &row), 1);
        assert_int_equal(timeline_next(t, &row), 1);
        /* The text source's event carries its line; an event may have no pid, priority or tag. */
        assert_string_equal(row.node, "pve3");
        assert_string_equal(row.source, "/var/log/syslog:3");
        assert_int_equal(row.pid, -1);
        assert_int_equal(row.priority, -1);
        assert_null(row.kinds);
        timeline_free(t);
}

/* [since, until), on the stamps as stored. */
static void window(void **state) {
        Fixture *f = *state;
        TimelineFilter all = TIMELINE_FILTER_INIT;
        char got[1024];
        collect(f, &all, S(11), S(20), got, sizeof got);
        assert_string_equal(got, "pve2 first (at 9 corrected)|pve1 second|pve2 second (at 13 corrected)|");
        collect(f, &all, S(15), USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve2 second (at 13 corrected)|pve3 last|");
        collect(f, &all, USEC_INVALID, S(10), got, sizeof got);
        assert_string_equal(got, "");
}

static void filters(void **state) {
        Fixture *f = *state;
        char got[1024];
        TimelineFilter fl = TIMELINE_FILTER_INIT;
        assert_int_equal(timeline_names_add(&fl.nodes, "pve3"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve3 at 10, after pve1's on the tie|pve3 last|");
        assert_int_equal(timeline_names_add(&fl.nodes, "pve1"), 0);     /* any of the nodes */
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve1 first|pve3 at 10, after pve1's on the tie|pve1 second|pve3 last|");
        timeline_filter_done(&fl);

        fl = (TimelineFilter) TIMELINE_FILTER_INIT;
        const char *kinds[] = { "corosync.retransmit", "corosync.", "corosync", "corosync*" };
        const char *want[] = { "pve2 first (at 9 corrected)|", /* the second tag of an event counts too */
                               "pve2 first (at 9 corrected)|pve1 first|pve1 second|",
                               "pve2 first (at 9 corrected)|pve1 first|pve1 second|",
                               "pve2 first (at 9 corrected)|pve1 first|pve1 second|pve3 last|" };
        for (size_t i = 0; i < ELEMENTSOF(kinds); i++) {
                fl.kinds = (TimelineNames){ 0 };
                assert_int_equal(timeline_names_add(&fl.kinds, kinds[i]), 0);
                collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
                assert_string_equal(got, want[i]);
                timeline_filter_done(&fl);
        }
        /* Kinds are any of them too. */
        assert_int_equal(timeline_names_add(&fl.kinds, "knet.link.up"), 0);
        assert_int_equal(timeline_names_add(&fl.kinds, "corosync.membership"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve1 first|pve2 second (at 13 corrected)|");
        timeline_filter_done(&fl);

        /* Identifiers, and units: these events are of text sources (no unit), named corosync. */
        fl = (TimelineFilter) TIMELINE_FILTER_INIT;
        assert_int_equal(timeline_names_add(&fl.idents, "pacemaker"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "");
        assert_int_equal(timeline_names_add(&fl.idents, "corosync"), 0);
        assert_int_equal(timeline_names_add(&fl.nodes, "pve3"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve3 at 10, after pve1's on the tie|pve3 last|");
        assert_int_equal(timeline_names_add(&fl.units, "corosync.service"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve3 at 10, after pve1's on the tie|pve3 last|");
        fl.units.v[0] = "corosync.socket";
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "");
        timeline_filter_done(&fl);

        /* At most warning: events without a priority are left out. */
        fl = (TimelineFilter) TIMELINE_FILTER_INIT;
        fl.priority = 4;
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve2 first (at 9 corrected)|pve1 second|");
        /* A range: err..warning, either way round. */
        assert_int_equal(timeline_priority_range_from_string("warning..err", &fl.priority_min, &fl.priority), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve2 first (at 9 corrected)|pve1 second|");
        assert_int_equal(timeline_priority_range_from_string("4..4", &fl.priority_min, &fl.priority), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve2 first (at 9 corrected)|");

        fl = (TimelineFilter) TIMELINE_FILTER_INIT;
        char msg[160];
        size_t off = 0;
        assert_int_equal(timeline_filter_grep(&fl, "second|last$", msg, sizeof msg, &off), 0);
        assert_int_equal(timeline_names_add(&fl.nodes, "pve2"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve2 second (at 13 corrected)|");
        assert_int_equal(timeline_filter_grep(&fl, "a(b", msg, sizeof msg, &off), -EINVAL);
        assert_int_equal(off, 3);
        assert_non_null(strstr(msg, "missing closing parenthesis"));
        timeline_filter_done(&fl);
        timeline_filter_done(&fl);     /* twice is harmless */
}

static void unknown_node(void **state) {
        Fixture *f = *state;
        TimelineFilter fl = TIMELINE_FILTER_INIT;
        assert_int_equal(timeline_names_add(&fl.nodes, "pve1"), 0);
        assert_int_equal(timeline_names_add(&fl.nodes, "pve9"), 0);
        Timeline *t = NULL;
        const char *node = NULL;
        assert_int_equal(timeline_open(f->store, &f->a, &fl, USEC_INVALID, USEC_INVALID, &t, &node), -ENOENT);
        assert_null(t);
        assert_string_equal(node, "pve9");
        timeline_filter_done(&fl);
}

/* The nodes and offsets as the verb gets them: from the store, through the correlator. */
static void from_the_correlator(void **state) {
        Fixture *f = *state;
        Analysis *a = NULL;
        assert_int_equal(correlate_nodes_and_clocks(f->store, USEC_INVALID, USEC_INVALID, &a), 0);
        TimelineFilter all = TIMELINE_FILTER_INIT;
        Timeline *t = NULL;
        const char *node = NULL;
        TimelineRow row;
        assert_int_equal(timeline_open(f->store, a, &all, USEC_INVALID, USEC_INVALID, &t, &node), 0);
        int n = 0;
        while (timeline_next(t, &row) > 0)
                n++;
        assert_int_equal(n, 6);
        timeline_free(t);
        analysis_free(a);
}

/* -b: pve1 booted twice (its first event in boot ~..a, its second in ~..b), pve2 once; pve3 has
 * no boot rows (its events are of no boot). */
static int boot_line(const TimelineBoot *b, void *userdata) {
        char *buf = userdata;
        size_t n = strlen(buf);
        snprintf(buf + n, 1024 - n, "%s %d %s %lld|", b->node, b->index, b->boot_id,
                 (long long) ((b->first - T0) / USEC_PER_SEC));
        return 0;
}

static void boots(void **state) {
        Fixture *f = *state;
        char sql[512], got[1024];
        snprintf(sql, sizeof sql,
                 "INSERT INTO boot (id, node_id, boot_id, first_ts, last_ts) VALUES "
                 "(1, %lld, '~000000000000000a', %lld, %lld), (2, %lld, '~000000000000000b', %lld, %lld), "
                 "(3, %lld, '~000000000000000c', %lld, %lld);"
                 "UPDATE event SET boot = 1 WHERE message = 'pve1 first';"
                 "UPDATE event SET boot = 2 WHERE message = 'pve1 second';"
                 "UPDATE event SET boot = 3 WHERE node_id = %lld;",
                 (long long) f->node[0], (long long) S(10), (long long) S(10), (long long) f->node[0],
                 (long long) S(12), (long long) S(12), (long long) f->node[1], (long long) S(11), (long long) S(15),
                 (long long) f->node[1]);
        assert_int_equal(sqlite3_exec(store_db(f->store), sql, NULL, NULL, NULL), SQLITE_OK);
        TimelineFilter fl = TIMELINE_FILTER_INIT;
        assert_int_equal(timeline_filter_boot(&fl, "0"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve2 first (at 9 corrected)|pve1 second|pve2 second (at 13 corrected)|");
        assert_int_equal(timeline_filter_boot(&fl, "-1"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve1 first|");
        assert_int_equal(timeline_filter_boot(&fl, "1"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve2 first (at 9 corrected)|pve1 first|pve2 second (at 13 corrected)|");
        assert_int_equal(timeline_filter_boot(&fl, "~000000000000000b"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "pve1 second|");
        assert_int_equal(timeline_filter_boot(&fl, "-5"), 0);
        collect(f, &fl, USEC_INVALID, USEC_INVALID, got, sizeof got);
        assert_string_equal(got, "");
        assert_int_equal(timeline_filter_boot(&fl, "last"), -EINVAL);
        assert_false(fl.by_boot);
        assert_int_equal(timeline_filter_boot(&fl, "~00"), -EINVAL);
        /* The list: per node, oldest first, counted back from 0; times corrected (pve2 by 2 s). */
        got[0] = '\0';
        fl = (TimelineFilter) TIMELINE_FILTER_INIT;
        assert_int_equal(timeline_boots(f->store, &f->a, &fl, boot_line, got), 0);
        assert_string_equal(got, "pve1 -1 ~000000000000000a 10|pve1 0 ~000000000000000b 12|pve2 0 ~000000000000000c 9|");
        got[0] = '\0';
        assert_int_equal(timeline_names_add(&fl.nodes, "pve2"), 0);
        assert_int_equal(timeline_boots(f->store, &f->a, &fl, boot_line, got), 0);
        assert_string_equal(got, "pve2 0 ~000000000000000c 9|");
        timeline_filter_done(&fl);
}

/* The last N rows through the ring, and all of them, owned and oldest first. */
static void collect_last(void **state) {
        Fixture *f = *state;
        TimelineFilter all = TIMELINE_FILTER_INIT;
        const size_t lasts[] = { 0, 1, 2, 4, 6, 10 };
        const char *want[] = { "pve2 first (at 9 corrected)", "pve1 first", "pve3 at 10, after pve1's on the tie",
                               "pve1 second", "pve2 second (at 13 corrected)", "pve3 last" };
        for (size_t k = 0; k < ELEMENTSOF(lasts); k++) {
                Timeline *t = NULL;
                const char *node = NULL;
                TimelineRow **rows = NULL;
                size_t n = 0;
                assert_int_equal(timeline_open(f->store, &f->a, &all, USEC_INVALID, USEC_INVALID, &t, &node), 0);
                assert_int_equal(timeline_collect(t, lasts[k], &rows, &n), 0);
                /* The rows outlive the timeline. */
                timeline_free(t);
                size_t expect = lasts[k] == 0 ? 6 : MIN(lasts[k], (size_t) 6);
                assert_int_equal(n, expect);
                for (size_t i = 0; i < n; i++) {
                        const TimelineRow *r = rows[i];
                        assert_int_equal(r->message.n, strlen(want[6 - n + i]));
                        assert_memory_equal(r->message.p, want[6 - n + i], r->message.n);
                        assert_int_equal(r->message.p[r->message.n], '\0');
                }
                if (n > 0) {
                        assert_string_equal(rows[n - 1]->node, "pve3");
                        assert_string_equal(rows[n - 1]->kinds, "corosyncd.other");
                        assert_string_equal(rows[n - 1]->ident, "corosync");
                        assert_non_null(strstr(rows[n - 1]->source, "/var/log/syslog:4"));
                }
                timeline_rows_free(rows, n);
        }
}

static void unit_matching(void **state) {
        assert_true(timeline_unit_matches("corosync.service", "x", "corosync"));
        assert_true(timeline_unit_matches("corosync.service", NULL, "corosync.service"));
        assert_false(timeline_unit_matches("corosync.socket", "corosync", "corosync"));
        assert_true(timeline_unit_matches("corosync.socket", NULL, "corosync.socket"));
        assert_false(timeline_unit_matches("corosync2.service", NULL, "corosync"));
        /* No unit stored (text sources): the identifier names the service. */
        assert_true(timeline_unit_matches(NULL, "corosync", "corosync"));
        assert_true(timeline_unit_matches(NULL, "corosync", "corosync.service"));
        assert_false(timeline_unit_matches(NULL, "corosync", "corosync.socket"));
        assert_false(timeline_unit_matches(NULL, "corosync-qdevice", "corosync"));
        assert_false(timeline_unit_matches(NULL, NULL, "corosync"));
}

static void kind_matching(void **state) {
        assert_true(timeline_kind_matches("a.b", NULL));
        assert_false(timeline_kind_matches(NULL, "a.b"));
        assert_true(timeline_kind_matches("x.y,a.b", "a.b"));
        assert_false(timeline_kind_matches("a.bc", "a.b"));
        assert_true(timeline_kind_matches("a.bc", "a.b*"));
        assert_true(timeline_kind_matches("a.b", "a."));
        assert_false(timeline_kind_matches("ab.c", "a."));
        assert_true(timeline_kind_matches("ab.c", "a*"));
        assert_false(timeline_kind_matches("a.b", ""));
        /* With or without the trailing dot: the kind itself or one under it. */
        assert_true(timeline_kind_matches("ha.fence", "ha"));
        assert_true(timeline_kind_matches("ha", "ha."));
        assert_true(timeline_kind_matches("ha", "ha"));
        assert_false(timeline_kind_matches("hab.c", "ha"));
        assert_false(timeline_kind_matches("a.b", "."));
        assert_true(timeline_kind_matches("a.b", "*"));
}

static void priorities(void **state) {
        assert_int_equal(timeline_priority_from_string("emerg"), 0);
        assert_int_equal(timeline_priority_from_string("warning"), 4);
        assert_int_equal(timeline_priority_from_string("debug"), 7);
        assert_int_equal(timeline_priority_from_string("5"), 5);
        assert_int_equal(timeline_priority_from_string("8"), -EINVAL);
        assert_int_equal(timeline_priority_from_string("55"), -EINVAL);
        assert_int_equal(timeline_priority_from_string("warn"), -EINVAL);
        assert_int_equal(timeline_priority_from_string(""), -EINVAL);
        int lo = -1, hi = -1;
        assert_int_equal(timeline_priority_range_from_string("err", &lo, &hi), 0);
        assert_true(lo == 0 && hi == 3);
        assert_int_equal(timeline_priority_range_from_string("err..warning", &lo, &hi), 0);
        assert_true(lo == 3 && hi == 4);
        assert_int_equal(timeline_priority_range_from_string("6..2", &lo, &hi), 0);
        assert_true(lo == 2 && hi == 6);
        assert_int_equal(timeline_priority_range_from_string("err..", &lo, &hi), -EINVAL);
        assert_int_equal(timeline_priority_range_from_string("..err", &lo, &hi), -EINVAL);
        assert_int_equal(timeline_priority_range_from_string("err...warning", &lo, &hi), -EINVAL);
        assert_int_equal(timeline_priority_range_from_string("emergencyemergency..err", &lo, &hi), -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(merge_on_corrected_time, setup, teardown),
                cmocka_unit_test_setup_teardown(rows, setup, teardown),
                cmocka_unit_test_setup_teardown(window, setup, teardown),
                cmocka_unit_test_setup_teardown(filters, setup, teardown),
                cmocka_unit_test_setup_teardown(unknown_node, setup, teardown),
                cmocka_unit_test_setup_teardown(from_the_correlator, setup, teardown),
                cmocka_unit_test_setup_teardown(collect_last, setup, teardown),
                cmocka_unit_test_setup_teardown(boots, setup, teardown),
                cmocka_unit_test(unit_matching),
                cmocka_unit_test(kind_matching),
                cmocka_unit_test(priorities),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
