/* test-report-json.c: the analysis as JSON (report.h) from a hand-built analysis: valid JSON, times
 * RFC 3339 to the µs in UTC or in the zone with its offset, and one incident picked out for
 * `cascade report --format json --incident N`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "json.h"
#include "report.h"

#define T0 INT64_C(1764057600000000) /* 2025-11-25T08:00:00Z */

/* Two incidents an hour apart, no node: what the writer needs and no more. */
static Analysis two_incidents(Incident incidents[static 2]) {
        incidents[0] = (Incident){ .id = 1, .start = T0 + 391173, .end = T0 + 60 * USEC_PER_SEC,
                                   .classification = CLASS_NODE_REBOOT };
        incidents[1] = (Incident){ .id = 2, .start = T0 + 3600 * USEC_PER_SEC, .end = T0 + 3660 * USEC_PER_SEC,
                                   .classification = CLASS_LINK_INSTABILITY };
        return (Analysis){ .incidents = incidents, .n_incidents = 2, .since = USEC_INVALID, .until = USEC_INVALID,
                           .first = T0, .last = T0 + 7200 * USEC_PER_SEC };
}

static char *render(const ReportJsonOptions *opts) {
        Incident incidents[2];
        Analysis a = two_incidents(incidents);
        StrBuf out = STRBUF_INIT;
        report_json_with(&a, opts, &out);
        assert_int_equal(strbuf_error(&out), 0);
        assert_true(json_is_valid(out.buf, out.len));
        return strbuf_detach(&out);
}

static void every_incident_in_utc(void **state) {
        char *s = render(NULL);
        assert_non_null(strstr(s, "{\"window\":{\"since\":\"2025-11-25T08:00:00.000000Z\","
                                  "\"until\":\"2025-11-25T10:00:00.000000Z\"}"));
        assert_non_null(strstr(s, "{\"id\":1,\"start\":\"2025-11-25T08:00:00.391173Z\","
                                  "\"end\":\"2025-11-25T08:01:00.000000Z\","));
        assert_non_null(strstr(s, "{\"id\":2,\"start\":\"2025-11-25T09:00:00.000000Z\""));
        /* report_json() is the same. */
        Incident incidents[2];
        Analysis a = two_incidents(incidents);
        StrBuf plain = STRBUF_INIT;
        report_json(&a, &plain);
        assert_string_equal(plain.buf, s);
        strbuf_release(&plain);
        free(s);
}

static void one_incident(void **state) {
        char *s = render(&(ReportJsonOptions){ .incident = 2 });
        assert_non_null(strstr(s, "\"incidents\":[{\"id\":2,"));
        assert_null(strstr(s, "\"id\":1"));
        /* The window stays the analysis'. */
        assert_non_null(strstr(s, "\"since\":\"2025-11-25T08:00:00.000000Z\""));
        free(s);
        s = render(&(ReportJsonOptions){ .incident = 1 });
        assert_non_null(strstr(s, "\"incidents\":[{\"id\":1,"));
        assert_null(strstr(s, "\"id\":2"));
        free(s);
}

static void in_the_zone(void **state) {
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        char *s = render(&(ReportJsonOptions){ .in_zone = true });
        assert_non_null(strstr(s, "\"since\":\"2025-11-25T09:00:00.000000+01:00\""));
        assert_non_null(strstr(s, "\"start\":\"2025-11-25T09:00:00.391173+01:00\""));
        assert_null(strstr(s, "Z\""));
        free(s);
        /* Without in_zone, UTC whatever the zone. */
        s = render(NULL);
        assert_null(strstr(s, "+01:00"));
        free(s);
        assert_int_equal(time_set_zone("UTC"), 0);
}

/* A hypothesis says how many matching lines its chain does not cite. */
static void evidence_omitted(void **state) {
        Incident incidents[2];
        Analysis a = two_incidents(incidents);
        Hypothesis root = { .kind = CAUSE_NETWORK, .node = -1, .at = T0, .summary = (char *) "cut off",
                            .confidence = 0.7, .n_evidence_omitted = 57 };
        incidents[0].hypotheses = &root;
        incidents[0].n_hypotheses = 1;
        StrBuf out = STRBUF_INIT;
        report_json(&a, &out);
        assert_int_equal(strbuf_error(&out), 0);
        assert_true(json_is_valid(out.buf, out.len));
        assert_non_null(strstr(out.buf, "\"evidence\":[],\"evidence_omitted\":57,"));
        strbuf_release(&out);
}

/* Per HA service its downtime: seconds between stop and start; 0 and no stop for a live
 * migration; null when the logs show no return, or no stop (one node's view). */
static void service_downtime(void **state) {
        Incident incidents[2];
        Analysis a = two_incidents(incidents);
        CNode nodes[3] = { { .name = (char *) "pve1" }, { .name = (char *) "pve2" }, { .name = (char *) "pve3" } };
        a.nodes = nodes;
        a.n_nodes = 3;
        ServiceOutage outages[] = {
                { .sid = (char *) "ct:104", .how = "relocate", .from = T0 + 5 * USEC_PER_SEC, .to = T0 + 25 * USEC_PER_SEC + 500000,
                  .from_node = 1, .to_node = 2, .first_event = -1, .last_event = -1 },
                { .sid = (char *) "vm:101", .how = "migrate", .from = T0 + 4 * USEC_PER_SEC, .to = T0 + 40 * USEC_PER_SEC,
                  .from_node = 1, .to_node = 0, .live = true, .first_event = -1, .last_event = -1 },
                { .sid = (char *) "vm:100", .how = "recovery", .from = T0 + 10 * USEC_PER_SEC, .to = USEC_INVALID,
                  .from_node = 1, .to_node = -1, .first_event = -1, .last_event = -1 },
                { .sid = (char *) "ct:105", .how = "restart", .from = USEC_INVALID, .to = T0 + 32 * USEC_PER_SEC,
                  .from_node = -1, .to_node = 2, .first_event = -1, .last_event = -1 },
        };
        incidents[0].outages = outages;
        incidents[0].n_outages = ELEMENTSOF(outages);
        StrBuf out = STRBUF_INIT;
        report_json(&a, &out);
        assert_int_equal(strbuf_error(&out), 0);
        assert_true(json_is_valid(out.buf, out.len));
        assert_non_null(strstr(out.buf,
                "\"service_downtime\":[{\"service\":\"ct:104\",\"how\":\"relocate\",\"from_node\":\"pve2\",\"to_node\":\"pve3\","
                "\"stopped\":\"2025-11-25T08:00:05.000000Z\",\"running\":\"2025-11-25T08:00:25.500000Z\","
                "\"downtime_seconds\":20.500,\"live\":false},"
                "{\"service\":\"vm:101\",\"how\":\"migrate\",\"from_node\":\"pve2\",\"to_node\":\"pve1\",\"stopped\":null,"
                "\"running\":\"2025-11-25T08:00:40.000000Z\",\"downtime_seconds\":0,\"live\":true},"
                "{\"service\":\"vm:100\",\"how\":\"recovery\",\"from_node\":\"pve2\",\"to_node\":null,"
                "\"stopped\":\"2025-11-25T08:00:10.000000Z\",\"running\":null,\"downtime_seconds\":null,\"live\":false},"
                "{\"service\":\"ct:105\",\"how\":\"restart\",\"from_node\":null,\"to_node\":\"pve3\",\"stopped\":null,"
                "\"running\":\"2025-11-25T08:00:32.000000Z\",\"downtime_seconds\":null,\"live\":false}]"));
        /* The other incident had none. */
        assert_non_null(strstr(out.buf, "\"service_downtime\":[]"));
        strbuf_release(&out);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(every_incident_in_utc),
                cmocka_unit_test(one_incident),
                cmocka_unit_test(in_the_zone),
                cmocka_unit_test(evidence_omitted),
                cmocka_unit_test(service_downtime),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
