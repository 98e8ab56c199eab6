/* test-report-prom.c: scan's Prometheus metrics (report-prom.h), rendered from a small real store
 * and a hand-built analysis: the whole text, label escaping, and an empty window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>


#include "report-prom.h"
#include "store-analysis.h"
#include "store-status.h"
#include "scratch-dir.h"

#define T0 INT64_C(1764057600000000) /* 2025-11-25T08:00:00Z */

typedef struct Fixture {
        char dir[256];         /* a fresh directory per test */
        Store *store;
} Fixture;

static void add_events(Store *s, const char *node, int n) {
        static int64_t dedup;
        int64_t node_id = 0;
        SourceRow src = { 0 };
        assert_int_equal(store_node_id(s, SLICE_STR(node), &node_id), 0);
        assert_int_equal(store_source_get(s, "test", "test.log", "text", &src), 0);
        for (int i = 0; i < n; i++) {
                StoredEvent e = { .node_id = node_id, .ts = T0 + i, .ts_prec = 1, .mono = -1, .pid = -1, .priority = -1,
                                  .message = SLICE_STR("m"), .source_id = src.id, .dedup = ++dedup };
                assert_int_equal(store_event_add(s, &e), EVENT_ADDED);
        }
        source_row_done(&src);
}

static int setup(void **state) {
        Fixture *f = calloc(1, sizeof *f);
        assert_non_null(f);
        scratch_dir_make(f->dir, sizeof f->dir, "report-prom");
        char db[320];
        snprintf(db, sizeof db, "%s/cascade.db", f->dir);
        assert_int_equal(store_open(db, STORE_READ_WRITE, &f->store), 0);
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

static void whole_text(void **state) {
        Fixture *f = *state;
        add_events(f->store, "pve2", 2);
        add_events(f->store, "pve1", 3);
        /* A node name is whatever a log said: quotes, backslashes and line feeds are escaped. */
        add_events(f->store, "we\"ird\\node\nx", 1);
        CNode nodes[] = { { .name = (char *) "pve1" }, { .name = (char *) "pve2" } };
        Hypothesis root = { .node = 1 }, none = { .node = -1 };
        Incident incidents[] = {
                { .id = 1, .start = T0, .classification = CLASS_REBOOT_CASCADE, .hypotheses = &root, .n_hypotheses = 1,
                  .degraded_seconds = 226.0754 },
                { .id = 2, .start = T0 + 3600 * USEC_PER_SEC, .classification = CLASS_LINK_INSTABILITY,
                  .hypotheses = &none, .n_hypotheses = 1, .degraded_seconds = 0.5 },
        };
        Analysis a = { .nodes = nodes, .n_nodes = 2, .incidents = incidents, .n_incidents = 2 };
        /* One incident reported by this scan, one by an earlier one; the first one's --exec failed. */
        for (int64_t id = 1; id <= 2; id++) {
                assert_int_equal(store_notify_begin(f->store, id, NOTIFY_HOOK_REPORT, T0), 0);
                assert_int_equal(store_notify_reported(f->store, id, id == 1 ? "/r/1.md" : "/r/2.md", T0), 0);
        }
        assert_int_equal(store_notify_begin(f->store, 1, "exec notify", T0), 0);
        assert_int_equal(store_notify_end(f->store, 1, "exec notify", T0, "exit status 1", NULL), 0);
        ScanMetrics m = { .incidents_new = 1, .started = T0 + 7200 * USEC_PER_SEC + 250000, .exit_status = 4,
                          .notify_failures = 1 };
        StrBuf out = STRBUF_INIT;
        assert_int_equal(report_prometheus(f->store, &a, &m, &out), 0);
        assert_int_equal(strbuf_error(&out), 0);
        assert_string_equal(out.buf,
                "# HELP cascade_incidents_total Incidents reported by scans of this database\n"
                "# TYPE cascade_incidents_total counter\n"
                "cascade_incidents_total 2\n"
                "# HELP cascade_incidents_new Incidents reported by the last scan\n"
                "# TYPE cascade_incidents_new gauge\n"
                "cascade_incidents_new 1\n"
                "# HELP cascade_notify_failures Notification calls (report, --exec) that failed in the last scan\n"
                "# TYPE cascade_notify_failures gauge\n"
                "cascade_notify_failures 1\n"
                "# HELP cascade_notify_pending Failed notifications the next scan calls again\n"
                "# TYPE cascade_notify_pending gauge\n"
                "cascade_notify_pending 1\n"
                "# HELP cascade_notify_given_up Notifications given up after their last retry (incidents view: failed)\n"
                "# TYPE cascade_notify_given_up gauge\n"
                "cascade_notify_given_up 0\n"
                "# HELP cascade_incident_degraded_seconds Seconds the cluster was degraded, per incident of the last scan's window\n"
                "# TYPE cascade_incident_degraded_seconds gauge\n"
                "cascade_incident_degraded_seconds{id=\"1\",start=\"2025-11-25T08:00:00Z\",classification=\"reboot-cascade\",root_node=\"pve2\"} 226.075\n"
                "cascade_incident_degraded_seconds{id=\"2\",start=\"2025-11-25T09:00:00Z\",classification=\"link-instability\",root_node=\"\"} 0.500\n"
                "# HELP cascade_degraded_seconds Seconds degraded, summed over the last scan's window\n"
                "# TYPE cascade_degraded_seconds gauge\n"
                "cascade_degraded_seconds 226.575\n"
                "# HELP cascade_incidents_window Incidents found in the last scan's window\n"
                "# TYPE cascade_incidents_window gauge\n"
                "cascade_incidents_window 2\n"
                "# HELP cascade_last_scan_timestamp_seconds When the last scan started (Unix time)\n"
                "# TYPE cascade_last_scan_timestamp_seconds gauge\n"
                "cascade_last_scan_timestamp_seconds 1764064800.250\n"
                "# HELP cascade_last_scan_exit_status Exit status of the last scan, before the metrics\n"
                "# TYPE cascade_last_scan_exit_status gauge\n"
                "cascade_last_scan_exit_status 4\n"
                "# HELP cascade_database_bytes Size of the database file and its write-ahead log\n"
                "# TYPE cascade_database_bytes gauge\n"
                "cascade_database_bytes 0\n"
                "# HELP cascade_events Events stored\n"
                "# TYPE cascade_events gauge\n"
                "cascade_events 6\n"
                "# HELP cascade_oldest_event_timestamp_seconds The earliest stored event (Unix time)\n"
                "# TYPE cascade_oldest_event_timestamp_seconds gauge\n"
                "cascade_oldest_event_timestamp_seconds 1764057600.000\n"
                "# HELP cascade_node_last_event_timestamp_seconds Each node's latest stored event, by its clock (Unix time)\n"
                "# TYPE cascade_node_last_event_timestamp_seconds gauge\n"
                "cascade_node_last_event_timestamp_seconds{node=\"pve1\"} 1764057600.000\n"
                "cascade_node_last_event_timestamp_seconds{node=\"pve2\"} 1764057600.000\n"
                "cascade_node_last_event_timestamp_seconds{node=\"we\\\"ird\\\\node\\nx\"} 1764057600.000\n"
                "# HELP cascade_collect_success 1 when the node's last collect stored its journal\n"
                "# TYPE cascade_collect_success gauge\n"
                "# HELP cascade_collect_last_success_timestamp_seconds When the node's journal was last collected (Unix time)\n"
                "# TYPE cascade_collect_last_success_timestamp_seconds gauge\n"
                "# HELP cascade_node_events_total Events stored per node\n"
                "# TYPE cascade_node_events_total counter\n"
                "cascade_node_events_total{node=\"pve1\"} 3\n"
                "cascade_node_events_total{node=\"pve2\"} 2\n"
                "cascade_node_events_total{node=\"we\\\"ird\\\\node\\nx\"} 1\n");
        strbuf_release(&out);
}

/* A first scan of an empty database: every metric is there, with zeros. */
static void empty(void **state) {
        Fixture *f = *state;
        Analysis a = { 0 };
        ScanMetrics m = { .started = T0 };
        StrBuf out = STRBUF_INIT;
        assert_int_equal(report_prometheus(f->store, &a, &m, &out), 0);
        assert_non_null(strstr(out.buf, "\ncascade_incidents_total 0\n"));
        assert_non_null(strstr(out.buf, "\ncascade_notify_pending 0\n"));
        assert_non_null(strstr(out.buf, "\ncascade_degraded_seconds 0.000\n"));
        assert_non_null(strstr(out.buf, "\ncascade_incidents_window 0\n"));
        assert_null(strstr(out.buf, "cascade_incident_degraded_seconds{"));
        /* The last line is the counter's TYPE: no node has events. */
        const char *tail = "# TYPE cascade_node_events_total counter\n";
        assert_true(out.len >= strlen(tail));
        assert_string_equal(out.buf + out.len - strlen(tail), tail);
        strbuf_release(&out);
}

/* One scan of a fleet: every sample carries the cluster's label, first; a node's collect status
 * says whether its last collect stored its journal, and when one last did. */
static void cluster_and_collect(void **state) {
        Fixture *f = *state;
        add_events(f->store, "pve1", 1);
        assert_int_equal(store_collect_status_set(f->store, "pve1", T0, NULL), 0);
        assert_int_equal(store_collect_status_set(f->store, "pve2", T0, NULL), 0);
        assert_int_equal(store_collect_status_set(f->store, "pve2", T0 + USEC_PER_SEC, "ssh exited with status 255"), 0);
        assert_int_equal(store_collect_status_set(f->store, "pve3", T0, "ssh killed by signal 9"), 0);
        Analysis a = { 0 };
        ScanMetrics m = { .started = T0, .cluster = "al\"pha" };
        StrBuf out = STRBUF_INIT;
        assert_int_equal(report_prometheus(f->store, &a, &m, &out), 0);
        size_t samples = 0;
        for (const char *line = out.buf; *line; line = strchr(line, '\n') + 1) {
                if (*line == '#')
                        continue;
                samples++;
                const char *brace = strchr(line, '{');
                assert_non_null(brace);
                assert_true(brace < strchr(line, '\n'));
                assert_int_equal(strncmp(brace, "{cluster=\"al\\\"pha\"", 18), 0);
        }
        assert_true(samples >= 12);
        assert_non_null(strstr(out.buf, "\ncascade_incidents_total{cluster=\"al\\\"pha\"} 0\n"));
        assert_non_null(strstr(out.buf, "\ncascade_collect_success{cluster=\"al\\\"pha\",node=\"pve1\"} 1\n"));
        assert_non_null(strstr(out.buf, "\ncascade_collect_success{cluster=\"al\\\"pha\",node=\"pve2\"} 0\n"));
        assert_non_null(strstr(out.buf, "\ncascade_collect_success{cluster=\"al\\\"pha\",node=\"pve3\"} 0\n"));
        /* pve2 succeeded before its last attempt failed; pve3 never did. */
        assert_non_null(strstr(out.buf, "\ncascade_collect_last_success_timestamp_seconds{cluster=\"al\\\"pha\",node=\"pve2\"} 1764057600.000\n"));
        assert_null(strstr(out.buf, "node=\"pve3\"} 17"));
        strbuf_release(&out);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(whole_text, setup, teardown),
                cmocka_unit_test_setup_teardown(empty, setup, teardown),
                cmocka_unit_test_setup_teardown(cluster_and_collect, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
