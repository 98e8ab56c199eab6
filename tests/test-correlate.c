/* test-correlate.c: the correlator's rules one at a time, on hand-built models: node identity,
 * clock offsets, how boots end, membership from views, incident classification, and which lines a
 * hypothesis cites. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "correlate-model.h"

#define T0 INT64_C(1764057600000000) /* 2025-11-25T08:00:00Z */
#define S(sec) (T0 + (usec_t) ((sec) * 1e6))

static Analysis *model(int n_nodes) {
        return model_of(NULL, n_nodes);
}

static void boot(Analysis *a, int node, int64_t row, double first, double last) {
        CNode *cn = &a->nodes[node];
        cn->boots = realloc(cn->boots, (cn->n_boots + 1) * sizeof *cn->boots);
        cn->boots[cn->n_boots++] = (CBoot){ .row = row, .boot_id = strdup("b"), .first = S(first), .last = S(last),
                                            .end_at = USEC_INVALID, .end_event = -1, .initiator_event = -1 };
}

/* Events must be added in time order. */
static void ev(Analysis *a, int node, int64_t boot_row, double t, const char *kind, const char *rule,
               const char *captures, const char *message) {
        a->events = realloc(a->events, (a->n_events + 1) * sizeof *a->events);
        a->events[a->n_events] = (CEvent){ .id = (int64_t) a->n_events + 1, .ts = S(t), .cts = S(t), .node = node,
                                           .boot = boot_row, .pid = 100 + node, .kind = strdup(kind),
                                           .rule = strdup(rule ? rule : kind), .severity = SEVERITY_NOTICE,
                                           .captures = strdup(captures ? captures : "{}"),
                                           .message = strdup(message ? message : kind), .source = strdup("test:1") };
        a->events[a->n_events].ek = event_kind_from_string(kind);
        a->n_events++;
}

static void view(Analysis *a, int node, int64_t boot_row, double t, const char *members) {
        char caps[128];
        int count = 0;
        for (const char *p = members; *p; p++)
                count += *p != ' ' && (p == members || p[-1] == ' ');
        snprintf(caps, sizeof caps, "{\"count\":\"%d\",\"members\":\"%s\"}", count, members);
        ev(a, node, boot_row, t, "corosync.quorum.members", "corosync.quorum.members", caps, "Members");
}

static const TimelineEntry *find(const Analysis *a, const char *kind, int node) {
        for (size_t i = 0; i < a->n_timeline; i++)
                if (streq(a->timeline[i].kind, kind) && a->timeline[i].node == node)
                        return &a->timeline[i];
        return NULL;
}

static void run_all(Analysis *a) {
        correlate_identify_nodes(a);
        correlate_clock(a);
        assert_int_equal(analysis_index_corosync(a), 0);
        assert_int_equal(correlate_boots(a), 0);
        assert_int_equal(correlate_membership(a), 0);
        assert_int_equal(correlate_incidents(a, NULL), 0);
}

/* pmxcfs lists "id/pid": the entry with the logging pmxcfs's own pid is the logging node. */
static void test_identity_from_pmxcfs(void **state) {
        Analysis *a = model(3);
        ev(a, 0, 0, 1, "pmxcfs.members", NULL, "{\"members\":\"1/100, 2/222, 3/333\"}", NULL);
        ev(a, 1, 0, 1, "pmxcfs.members", NULL, "{\"members\":\"1/999, 2/101, 3/333\"}", NULL);
        correlate_identify_nodes(a);
        assert_int_equal(a->nodes[0].corosync_id, 1);
        assert_int_equal(a->nodes[1].corosync_id, 2);
        assert_int_equal(a->nodes[2].corosync_id, 0);   /* never logged its own list */
        analysis_free(a);
}

/* Corosync 2 without nodeids in the nodelist makes them from the IPv4 address: 192.168.1.1 is
 * 3232235777, above INT32_MAX. Identity and membership must hold such ids whole. */
static void test_ids_above_int32(void **state) {
        Analysis *a = model(3);
        ev(a, 0, 1, 1, "pmxcfs.members", NULL, "{\"members\":\"3232235777/100, 3232235778/222, 3232235779/333\"}", NULL);
        ev(a, 1, 2, 1, "pmxcfs.members", NULL, "{\"members\":\"3232235777/999, 3232235778/101, 3232235779/333\"}", NULL);
        ev(a, 2, 3, 1, "pmxcfs.members", NULL, "{\"members\":\"3232235777/999, 3232235778/222, 3232235779/102\"}", NULL);
        for (int i = 0; i < 3; i++)
                boot(a, i, i + 1, 0, 1000);
        a->nodes_expected = 3;
        view(a, 0, 1, 50, "3232235777 3232235778 3232235779");
        ev(a, 0, 1, 100, "corosync.membership", NULL, "{\"ring\":\"1.2\",\"left\":\"3232235778\"}", NULL);
        view(a, 0, 1, 100, "3232235777 3232235779");
        view(a, 2, 3, 100.1, "3232235777 3232235779");
        view(a, 0, 1, 161, "3232235777 3232235778 3232235779");
        correlate_identify_nodes(a);
        assert_true(a->nodes[0].corosync_id == INT64_C(3232235777));
        assert_true(a->nodes[1].corosync_id == INT64_C(3232235778));
        assert_int_equal(analysis_node_by_corosync_id(a, INT64_C(3232235779)), 2);
        assert_int_equal(correlate_membership(a), 0);
        const TimelineEntry *left = find(a, "node.left", 1);
        assert_non_null(left);
        assert_int_equal(left->ts, S(100));
        assert_null(find(a, "node.left", 0));
        assert_null(find(a, "node.left", 2));
        analysis_free(a);
}

/* pmxcfs' own address joined to a corosync debug line pairing an id with the same address. */
static void test_identity_from_addresses(void **state) {
        Analysis *a = model(2);
        ev(a, 1, 0, 5, "pmxcfs.start", NULL, "{\"name\":\"pve2\",\"addr\":\"10.0.0.2\"}", NULL);
        ev(a, 0, 0, 6, "corosync.member.address", NULL, "{\"nodeid\":\"7\",\"addr\":\"10.0.0.2\"}", NULL);
        assert_int_equal(correlate_identify_nodes(a), 0);
        assert_int_equal(a->nodes[1].corosync_id, 7);
        analysis_free(a);
}

/* A log naming its host fully qualified is the node corosync.conf and HA name short. */
static void test_fqdn_alias(void **state) {
        Analysis *a = model(2);
        free(a->nodes[0].name);
        a->nodes[0].name = strdup("pve1.example.com");
        a->nodes[1].has_logs = false;
        free(a->nodes[1].name);
        a->nodes[1].name = strdup("pve1");
        a->nodes[1].corosync_id = 4;
        ev(a, 0, 0, 5, "ha.fence.acknowledged", NULL, "{\"target\":\"pve1\"}", NULL);
        assert_int_equal(correlate_identify_nodes(a), 0);
        assert_int_equal(a->n_nodes, 1);
        assert_int_equal(a->nodes[0].corosync_id, 4);
        assert_int_equal(analysis_node_by_name(a, "pve1"), 0);
        analysis_free(a);
}

/* Coverage: a node's logs span the stretch (full), stop inside it (partial), hold a silence inside
 * one boot across it (partial), lie elsewhere (none), or do not exist (absent). */
static void test_coverage(void **state) {
        Analysis *a = model(2);
        boot(a, 0, 1, 0, 1000);
        a->nodes[1].has_logs = false;
        usec_t first, last;
        assert_int_equal(analysis_coverage(a, 0, S(100), S(200), &first, &last), COVERAGE_FULL);
        assert_int_equal(first, S(0));
        assert_int_equal(analysis_coverage(a, 0, S(900), S(1100), &first, &last), COVERAGE_PARTIAL);
        assert_int_equal(analysis_coverage(a, 0, S(2000), S(2100), &first, &last), COVERAGE_NONE);
        assert_int_equal(analysis_coverage(a, 1, S(100), S(200), &first, &last), COVERAGE_ABSENT);
        a->nodes[0].gaps = calloc(1, sizeof *a->nodes[0].gaps);
        a->nodes[0].gaps[0] = (LogGap){ S(150), S(900) };
        a->nodes[0].n_gaps = 1;
        assert_int_equal(analysis_coverage(a, 0, S(100), S(200), &first, &last), COVERAGE_PARTIAL);
        assert_non_null(analysis_gap_in(a, 0, S(100), S(200)));
        assert_null(analysis_gap_in(a, 0, S(950), S(990)));
        analysis_free(a);
}

/* votequorum's expected votes count members, unless a QDevice votes too. */
static void test_expected_from_votes(void **state) {
        Analysis *a = model(1);
        ev(a, 0, 0, 5, "corosync.quorum.expected", NULL, "{\"expected\":\"4\",\"votes\":\"3\"}", NULL);
        assert_int_equal(correlate_identify_nodes(a), 0);
        assert_int_equal(a->nodes_expected, 4);
        analysis_free(a);
        a = model(1);
        ev(a, 0, 0, 4, "corosync.qdevice.view", NULL, "{\"vote\":\"ACK\"}", NULL);
        ev(a, 0, 0, 5, "corosync.quorum.expected", NULL, "{\"expected\":\"3\",\"votes\":\"3\"}", NULL);
        assert_int_equal(correlate_identify_nodes(a), 0);
        assert_true(a->nodes_expected < 3);
        analysis_free(a);
}

/* One node's excerpt: the token lost, then a committed view without id 1, which no line names:
 * the view is a change (every member was there before) and the gap among the ids is the lost one. */
static void test_lone_view_after_failure(void **state) {
        Analysis *a = model(1);
        boot(a, 0, 1, 0, 1000);
        ev(a, 0, 1, 100, "corosync.token.lost", NULL, NULL, NULL);
        view(a, 0, 1, 112, "2 3");
        assert_int_equal(correlate_identify_nodes(a), 0);
        assert_int_equal(a->nodes_expected, 3);
        assert_int_equal(correlate_membership(a), 0);
        int lost = analysis_node_by_corosync_id(a, 1);
        assert_true(lost >= 0);
        assert_string_equal(a->nodes[lost].name, "node 1");
        assert_false(a->nodes[lost].has_logs);
        const TimelineEntry *left = find(a, "node.left", lost);
        assert_non_null(left);
        assert_int_equal(left->ts, S(112));
        analysis_free(a);
}

/* A node stopping corosync, then a peer announcing "Node N was shut down by sysadmin". */
static void test_identity_from_clean_leave(void **state) {
        Analysis *a = model(2);
        ev(a, 1, 0, 10, "corosync.stopping", NULL, NULL, NULL);
        ev(a, 0, 0, 11, "corosync.member.shutdown", NULL, "{\"nodeid\":\"7\"}", NULL);
        view(a, 0, 0, 11, "4");
        view(a, 0, 0, 12, "4 7 9");
        correlate_identify_nodes(a);
        assert_int_equal(a->nodes[1].corosync_id, 7);
        assert_int_equal(a->nodes_expected, 3);         /* the largest view seen */
        analysis_free(a);
}

/* The same ring id logged 2.5 s later by one node: its clock is 2.5 s ahead, corrected. */
static void test_clock_skew(void **state) {
        Analysis *a = model(2);
        ev(a, 0, 0, 10, "corosync.membership", NULL, "{\"ring\":\"1.a\"}", NULL);
        ev(a, 1, 0, 12.5, "corosync.membership", NULL, "{\"ring\":\"1.a\"}", NULL);
        ev(a, 0, 0, 20, "corosync.membership", NULL, "{\"ring\":\"1.b\"}", NULL);
        ev(a, 1, 0, 22.6, "corosync.membership", NULL, "{\"ring\":\"1.b\"}", NULL);
        ev(a, 0, 0, 30, "corosync.membership", NULL, "{\"ring\":\"1.c\"}", NULL);
        correlate_clock(a);
        assert_int_equal(a->reference_node, 0);
        assert_true(a->nodes[1].skew_applied);
        assert_true(a->nodes[1].skew > 2.54 && a->nodes[1].skew < 2.56);
        /* Every event of the skewed node moved back onto the reference's clock. */
        for (size_t i = 0; i < a->n_events; i++)
                if (a->events[i].node == 1)
                        assert_true(a->events[i].cts < a->events[i].ts - 2 * USEC_PER_SEC);
        analysis_free(a);
}

/* Offsets within NTP's error are reported but not applied. */
static void test_clock_small_skew_not_applied(void **state) {
        Analysis *a = model(2);
        ev(a, 0, 0, 10, "corosync.membership", NULL, "{\"ring\":\"1.a\"}", NULL);
        ev(a, 1, 0, 10.03, "corosync.membership", NULL, "{\"ring\":\"1.a\"}", NULL);
        correlate_clock(a);
        assert_true(a->nodes[1].skew_known);
        assert_false(a->nodes[1].skew_applied);
        assert_int_equal(a->events[1].cts, a->events[1].ts);
        analysis_free(a);
}

static void test_boot_ends(void **state) {
        Analysis *a = model(4);
        /* pve1: ssh login, logind request, shutdown trail, next boot: a clean reboot by root. */
        boot(a, 0, 1, 0, 100);
        boot(a, 0, 2, 130, 600);
        ev(a, 0, 1, 40, "ssh.login", NULL, "{\"user\":\"root\",\"addr\":\"10.0.0.9\"}", NULL);
        ev(a, 0, 1, 60, "system.reboot.requested", NULL, NULL, NULL);
        ev(a, 0, 1, 99, "system.journal.stopped", NULL, NULL, NULL);
        /* pve2: ordinary lines then the next boot: crash. */
        boot(a, 1, 3, 0, 200);
        boot(a, 1, 4, 400, 600);
        /* pve3: watchdog expiry last: fenced, even though it logged shutdown-ish lines before. */
        boot(a, 2, 5, 0, 300);
        boot(a, 2, 6, 360, 600);
        ev(a, 2, 5, 290, "watchdog.expired", NULL, NULL, NULL);
        /* pve4: power off via the API task, never back. */
        boot(a, 3, 7, 0, 500);
        ev(a, 3, 7, 480, "pve.task.start", NULL, "{\"user\":\"admin@pve\",\"type\":\"srvshutdown\"}", NULL);
        ev(a, 3, 7, 499, "system.shutdown", NULL, "{\"action\":\"Power down\"}", NULL);
        assert_int_equal(correlate_boots(a), 0);
        assert_int_equal(a->nodes[0].boots[0].end, BOOT_END_CLEAN_REBOOT);
        assert_int_equal(a->nodes[0].boots[0].end_at, S(60));
        assert_string_equal(a->nodes[0].boots[0].initiator, "root (ssh login from 10.0.0.9)");
        assert_int_equal(a->nodes[0].boots[1].end, BOOT_END_RUNNING);
        assert_int_equal(a->nodes[1].boots[0].end, BOOT_END_CRASH);
        assert_int_equal(a->nodes[2].boots[0].end, BOOT_END_FENCED);
        assert_int_equal(a->nodes[3].boots[0].end, BOOT_END_CLEAN_POWEROFF);
        assert_string_equal(a->nodes[3].boots[0].initiator, "admin@pve (web UI / API task srvshutdown)");
        analysis_free(a);
}

/* Membership from views: the first view's own delta line tells what it was before. */
static void test_membership_from_views(void **state) {
        Analysis *a = model(3);
        for (int i = 0; i < 3; i++)
                a->nodes[i].corosync_id = i + 1, boot(a, i, i + 1, 0, 1000);
        a->nodes_expected = 3;
        ev(a, 0, 1, 100, "corosync.membership", NULL, "{\"ring\":\"1.2\",\"left\":\"2\"}", NULL);
        view(a, 0, 1, 100, "1 3");
        view(a, 2, 3, 100.1, "1 3");
        view(a, 1, 2, 160, "2");        /* the joining node first sees only itself */
        view(a, 0, 1, 161, "1 2 3");
        correlate_identify_nodes(a);
        assert_int_equal(correlate_membership(a), 0);
        const TimelineEntry *left = find(a, "node.left", 1), *joined = find(a, "node.joined", 1);
        assert_non_null(left);
        assert_int_equal(left->ts, S(100));
        assert_non_null(joined);
        assert_int_equal(joined->ts, S(161));
        assert_null(find(a, "node.left", 0));   /* the joiner's own small view is not the cluster */
        assert_int_equal(a->membership[0].count, 3);
        analysis_free(a);
}

/* With no committed view at all (corosync 1.x, TOTEM lines only), the deltas carry membership;
 * the joining node listing its peers as "joined" is not taken for them joining. */
static void test_membership_from_deltas(void **state) {
        Analysis *a = model(3);
        for (int i = 0; i < 3; i++)
                a->nodes[i].corosync_id = i + 1, boot(a, i, i + 1, 0, 1000);
        a->nodes_expected = 3;
        ev(a, 0, 1, 100, "corosync.membership", NULL, "{\"ring\":\"1.2\",\"left\":\"2\"}", NULL);
        ev(a, 2, 3, 100.1, "corosync.membership", NULL, "{\"ring\":\"1.2\",\"left\":\"2\"}", NULL);
        ev(a, 1, 2, 160, "corosync.membership", NULL, "{\"ring\":\"1.3\",\"joined\":\"1 3\"}", NULL);
        ev(a, 0, 1, 160.1, "corosync.membership", NULL, "{\"ring\":\"1.3\",\"joined\":\"2\"}", NULL);
        assert_int_equal(correlate_membership(a), 0);
        const TimelineEntry *left = find(a, "node.left", 1), *joined = find(a, "node.joined", 1);
        assert_non_null(left);
        assert_int_equal(left->ts, S(100));
        assert_non_null(joined);
        assert_int_equal(joined->ts, S(160.1));
        assert_null(find(a, "node.joined", 0));
        assert_null(find(a, "node.left", 0));
        assert_int_equal(a->membership[a->n_membership - 1].count, 3);
        analysis_free(a);
}

/* Build: n clean reboots by ssh, `gap` seconds between a rejoin and the next request, with or
 * without a failed notification in between. */
static Analysis *reboots(int n, double gap, bool noisy) {
        Analysis *a = model(3);
        a->nodes_expected = 3;
        double t = 100;
        for (int i = 0; i < 3; i++)
                a->nodes[i].corosync_id = i + 1;
        for (int k = 0; k < 3; k++) {
                double start = 100 + k * (90 + gap);
                boot(a, k, 10 + 2 * k, 0, k < n ? start + 50 : 5000);
                if (k < n)
                        boot(a, k, 11 + 2 * k, start + 70, 5000);
        }
        const char *views[3][2] = { { "2 3", "1 2 3" }, { "1 3", "1 2 3" }, { "1 2", "1 2 3" } };
        for (int k = 0; k < n; k++, t += 90 + gap) {
                int other = (k + 1) % 3;
                char left[32];
                snprintf(left, sizeof left, "{\"left\":\"%d\"}", k + 1);
                ev(a, k, 10 + 2 * k, t, "system.reboot.requested", NULL, NULL, NULL);
                ev(a, other, 10 + 2 * other + (other < k ? 1 : 0), t + 55, "corosync.membership", NULL, left, NULL);
                view(a, other, 10 + 2 * other + (other < k ? 1 : 0), t + 55, views[k][0]);
                view(a, other, 10 + 2 * other + (other < k ? 1 : 0), t + 85, views[k][1]);
                if (noisy && k + 1 < n)
                        ev(a, other, 10 + 2 * other + (other < k ? 1 : 0), t + 85 + gap / 2, "notify.failed", NULL,
                           "{\"target\":\"gotify\"}", NULL);
        }
        return a;
}

static void test_classify_single_reboot(void **state) {
        Analysis *a = reboots(1, 120, false);
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        assert_string_equal(classification_to_string(a->incidents[0].classification), "node-reboot");
        assert_string_equal(cause_kind_to_string(a->incidents[0].hypotheses[0].kind), "manual-reboot");
        assert_int_equal(a->incidents[0].hypotheses[0].node, 0);
        assert_int_equal(a->incidents[0].start, S(100));   /* the request, before the member left */
        assert_int_equal(a->incidents[0].min_members, 2);
        analysis_free(a);
}

/* Sequential reboots into a quiet cluster are maintenance; with alerts failing in between, a cascade. */
static void test_classify_maintenance_vs_cascade(void **state) {
        Analysis *a = reboots(3, 240, false);
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        assert_string_equal(classification_to_string(a->incidents[0].classification), "planned-maintenance");
        assert_int_equal(a->incidents[0].severity, INCIDENT_MINOR);
        analysis_free(a);

        a = reboots(2, 240, true);
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        assert_string_equal(classification_to_string(a->incidents[0].classification), "reboot-cascade");
        assert_int_equal(a->incidents[0].hypotheses[0].node, 0);       /* rooted at the first */
        assert_true(a->incidents[0].hypotheses[0].confidence > a->incidents[0].hypotheses[1].confidence);
        assert_true(a->incidents[0].n_factors >= 2);
        analysis_free(a);

        /* Reboots more than STABLE_GAP apart are separate incidents. */
        a = reboots(2, 900, false);
        run_all(a);
        assert_int_equal(a->n_incidents, 2);
        assert_string_equal(classification_to_string(a->incidents[1].classification), "node-reboot");
        analysis_free(a);
}

/* A member lost with no shutdown trail: the node crashed. */
static void test_classify_crash(void **state) {
        Analysis *a = model(3);
        a->nodes_expected = 3;
        for (int i = 0; i < 3; i++)
                a->nodes[i].corosync_id = i + 1;
        boot(a, 0, 1, 0, 5000);
        boot(a, 1, 2, 0, 100);
        boot(a, 1, 3, 200, 5000);
        boot(a, 2, 4, 0, 5000);
        ev(a, 0, 1, 105, "corosync.leave.missed", NULL, "{\"left\":\"2\"}", NULL);
        ev(a, 0, 1, 105, "corosync.membership", NULL, "{\"left\":\"2\"}", NULL);
        view(a, 0, 1, 105, "1 3");
        view(a, 0, 1, 260, "1 2 3");
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        assert_string_equal(classification_to_string(a->incidents[0].classification), "unclean-node-loss");
        assert_string_equal(cause_kind_to_string(a->incidents[0].hypotheses[0].kind), "node-crash");
        assert_non_null(find(a, "node.crash", 1));
        analysis_free(a);
}

/* One survivor's log: knet loses host 2, the token times out, the leave message is missed. The
 * peer is lost for a cause unknown, never the observer's fault and never 'network' by default. */
static Analysis *seen_from_one_node(void) {
        Analysis *a = model(1);
        boot(a, 0, 1, 0, 5000);
        ev(a, 0, 1, 98, "pmxcfs.members", NULL, "{\"members\":\"1/101, 2/222, 3/333\"}", NULL);
        view(a, 0, 1, 99, "1 2 3");
        ev(a, 0, 1, 100, "knet.host.unreachable", NULL, "{\"host\":\"2\"}", NULL);
        ev(a, 0, 1, 103, "corosync.token.lost", NULL, NULL, NULL);
        ev(a, 0, 1, 105, "corosync.leave.missed", NULL, "{\"left\":\"2\"}", NULL);
        ev(a, 0, 1, 105, "corosync.membership", NULL, "{\"left\":\"2\"}", NULL);
        view(a, 0, 1, 105, "1 3");
        return a;
}

static void test_peer_lost_not_observer(void **state) {
        Analysis *a = seen_from_one_node();
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        const Incident *inc = &a->incidents[0];
        assert_string_equal(classification_to_string(inc->classification), "unclean-node-loss");
        assert_string_equal(cause_kind_to_string(inc->hypotheses[0].kind), "node-lost");
        assert_string_equal(a->nodes[inc->hypotheses[0].node].name, "node 2");
        assert_true(inc->hypotheses[0].confidence < 0.5);      /* one observer, no log of its own */
        assert_true(inc->n_questions >= 1);
        for (size_t i = 0; i < inc->n_hypotheses; i++)
                assert_int_not_equal(inc->hypotheses[i].node, 0);
        analysis_free(a);
}

/* A member leaving with no failure logged (no token lost, no leave missed): its leave message
 * arrived, a clean stop, with less confidence than an announced one. */
static void test_leave_without_failure_is_clean(void **state) {
        Analysis *a = model(1);
        boot(a, 0, 1, 0, 5000);
        ev(a, 0, 1, 98, "pmxcfs.members", NULL, "{\"members\":\"1/101, 2/222, 3/333\"}", NULL);
        view(a, 0, 1, 99, "1 2 3");
        ev(a, 0, 1, 105, "corosync.membership", NULL, "{\"left\":\"3\"}", NULL);
        view(a, 0, 1, 105, "1 2");
        ev(a, 0, 1, 260, "corosync.membership", NULL, "{\"joined\":\"3\"}", NULL);
        view(a, 0, 1, 260, "1 2 3");
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        assert_string_equal(classification_to_string(a->incidents[0].classification), "node-reboot");
        assert_string_equal(cause_kind_to_string(a->incidents[0].hypotheses[0].kind), "clean-leave");
        assert_true(a->incidents[0].hypotheses[0].confidence < 0.6);
        analysis_free(a);
}

/* The same observer losing every peer at once, uncleanly, and quorum with them: it is the one cut
 * off (from its own log alone, said with reduced confidence). */
static void test_isolated_observer(void **state) {
        Analysis *a = model(1);
        boot(a, 0, 1, 0, 5000);
        ev(a, 0, 1, 98, "pmxcfs.members", NULL, "{\"members\":\"1/101, 2/222, 3/333\"}", NULL);
        view(a, 0, 1, 99, "1 2 3");
        ev(a, 0, 1, 100, "knet.host.unreachable", NULL, "{\"host\":\"2\"}", NULL);
        ev(a, 0, 1, 100, "knet.host.unreachable", NULL, "{\"host\":\"3\"}", NULL);
        ev(a, 0, 1, 105, "corosync.leave.missed", NULL, "{\"left\":\"2 3\"}", NULL);
        ev(a, 0, 1, 105, "corosync.membership", NULL, "{\"left\":\"2 3\"}", NULL);
        view(a, 0, 1, 105, "1");
        ev(a, 0, 1, 105.1, "corosync.quorum.lost", NULL, NULL, NULL);
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        const Incident *inc = &a->incidents[0];
        assert_string_equal(classification_to_string(inc->classification), "network-partition");
        assert_string_equal(cause_kind_to_string(inc->hypotheses[0].kind), "network");
        assert_int_equal(inc->hypotheses[0].node, 0);
        assert_true(inc->hypotheses[0].confidence <= 0.5);
        analysis_free(a);
}

/* A 2+2 split seen from one side: two peers lost at once and quorum with them: this side was cut
 * off, not two nodes crashing together. */
static void test_split_seen_from_one_side(void **state) {
        Analysis *a = model(1);
        boot(a, 0, 1, 0, 5000);
        ev(a, 0, 1, 98, "pmxcfs.members", NULL, "{\"members\":\"1/101, 2/222, 3/333, 4/444\"}", NULL);
        view(a, 0, 1, 99, "1 2 3 4");
        ev(a, 0, 1, 100, "knet.host.unreachable", NULL, "{\"host\":\"3\"}", NULL);
        ev(a, 0, 1, 100, "knet.host.unreachable", NULL, "{\"host\":\"4\"}", NULL);
        ev(a, 0, 1, 105, "corosync.leave.missed", NULL, "{\"left\":\"3 4\"}", NULL);
        ev(a, 0, 1, 105, "corosync.membership", NULL, "{\"left\":\"3 4\"}", NULL);
        view(a, 0, 1, 105, "1 2");
        ev(a, 0, 1, 105.1, "corosync.quorum.lost", NULL, NULL, NULL);
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        assert_string_equal(classification_to_string(a->incidents[0].classification), "network-partition");
        assert_int_equal(a->incidents[0].hypotheses[0].node, 0);
        analysis_free(a);
}

/* corosync not scheduled on a node: the stall is the cause, on that node; a retransmit storm with
 * every member kept is link instability. */
static void test_stall_and_storm(void **state) {
        Analysis *a = model(2);
        boot(a, 0, 1, 0, 5000);
        boot(a, 1, 2, 0, 5000);
        ev(a, 1, 2, 100, "corosync.paused", NULL, "{\"ms\":\"14709\"}", NULL);
        ev(a, 0, 1, 101, "corosync.token.lost", NULL, NULL, NULL);
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        assert_string_equal(classification_to_string(a->incidents[0].classification), "node-stall");
        assert_string_equal(cause_kind_to_string(a->incidents[0].hypotheses[0].kind), "stall");
        assert_int_equal(a->incidents[0].hypotheses[0].node, 1);
        analysis_free(a);

        a = model(1);
        boot(a, 0, 1, 0, 5000);
        for (int i = 0; i < 6; i++)
                ev(a, 0, 1, 100 + i, "corosync.retransmit", NULL, NULL, NULL);
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        assert_string_equal(classification_to_string(a->incidents[0].classification), "link-instability");
        analysis_free(a);
}

/* Quorum lost on a node while it shuts itself down is the shutdown, not an incident fact. */
static void test_quorum_loss_during_own_shutdown_ignored(void **state) {
        Analysis *a = model(2);
        boot(a, 0, 1, 0, 100);
        boot(a, 0, 2, 200, 500);
        ev(a, 0, 1, 50, "system.reboot.requested", NULL, NULL, NULL);
        ev(a, 0, 1, 90, "pmxcfs.quorum.lost", NULL, NULL, NULL);
        ev(a, 1, 0, 95, "corosync.quorum.lost", NULL, NULL, NULL);
        correlate_clock(a);
        assert_int_equal(correlate_boots(a), 0);
        assert_int_equal(correlate_membership(a), 0);
        assert_null(find(a, "quorum.lost", 0));
        assert_non_null(find(a, "quorum.lost", 1));
        analysis_free(a);
}

/* h cites an event of kind on node at t. */
static bool cites(const Analysis *a, const Hypothesis *h, const char *kind, int node, usec_t t) {
        for (size_t i = 0; i < h->n_evidence; i++) {
                const CEvent *e = &a->events[h->evidence[i]];
                if (streq(e->kind, kind) && e->node == node && e->cts == t)
                        return true;
        }
        return false;
}

/* A link flapping under a steady membership: corosync reprints the same `Members[3]: 1 2 3` after
 * every reconfiguration, sixty times here. They change nothing, so the network hypothesis cites the
 * lines that decide it (the NIC and the link going down, the first token loss, the link coming
 * back), at most EVIDENCE_MAX of them, and counts the rest. */
static void test_evidence_cites_decisive_lines(void **state) {
        Analysis *a = model(3);
        a->nodes_expected = 3;
        for (int i = 0; i < 3; i++) {
                a->nodes[i].corosync_id = i + 1;
                boot(a, i, i + 1, 0, 5000);
        }
        view(a, 0, 1, 90, "1 2 3");
        ev(a, 2, 3, 99, "kernel.nic.down", NULL, NULL, "eno1: Link is Down");
        ev(a, 0, 1, 100, "knet.link.down", NULL, "{\"host\":\"3\"}", "link: host: 3 link: 0 is down");
        ev(a, 1, 2, 100.2, "knet.link.down", NULL, "{\"host\":\"3\"}", "link: host: 3 link: 0 is down");
        ev(a, 0, 1, 101, "corosync.token.lost", NULL, NULL, "A processor failed, forming new configuration");
        for (int i = 0; i < 60; i++) {
                int node = i % 3;
                ev(a, node, node + 1, 102 + i * 0.5, "corosync.quorum.members", NULL,
                   "{\"count\":\"3\",\"members\":\"1 2 3\"}", "  [QUORUM] Members[3]: 1 2 3");
                if (i % 10 == 5)
                        ev(a, 0, 1, 102.1 + i * 0.5, "corosync.token.lost", NULL, NULL, "A processor failed, forming new configuration");
        }
        ev(a, 0, 1, 135, "knet.link.up", NULL, "{\"host\":\"3\"}", "link: host: 3 link: 0 is up");
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        const Hypothesis *h = &a->incidents[0].hypotheses[0];
        assert_string_equal(cause_kind_to_string(h->kind), "network");
        assert_true(h->n_evidence <= EVIDENCE_MAX);
        assert_true(cites(a, h, "kernel.nic.down", 2, S(99)));
        assert_true(cites(a, h, "knet.link.down", 0, S(100)));
        assert_true(cites(a, h, "corosync.token.lost", 0, S(101)));   /* the first symptom */
        assert_true(cites(a, h, "knet.link.up", 0, S(135)));
        size_t members = 0;
        for (size_t i = 0; i < h->n_evidence; i++) {
                const CEvent *e = &a->events[h->evidence[i]];
                members += cevent_is(e, EVENT_COROSYNC_QUORUM_MEMBERS);
                if (i > 0)
                        assert_true(a->events[h->evidence[i - 1]].cts <= e->cts);
                for (size_t k = 0; k < i; k++) {      /* no line cited twice */
                        const CEvent *o = &a->events[h->evidence[k]];
                        assert_false(o->node == e->node && streq(o->kind, e->kind) && streq(o->message, e->message));
                }
        }
        assert_true(members <= 3);     /* at most each node's first */
        assert_true(h->n_evidence_omitted >= 60 - 3 + 6);      /* and the token losses repeated */
        analysis_free(a);
}

/* More distinct lines than a chain holds: the cause, the first symptom and the first and last
 * turning points are kept, in time order, and the rest counted. */
static void test_evidence_cap(void **state) {
        Analysis *a = model(2);
        Hypothesis h = { .node = -1 };
        ev(a, 0, 0, 10, "corosync.token.lost", NULL, NULL, "A processor failed");
        ev(a, 1, 0, 20, "system.reboot.requested", NULL, NULL, "The system will reboot now!");
        for (int i = 0; i < 30; i++)
                ev(a, 0, 0, 30 + i, "corosync.quorum.members", NULL, NULL, i % 2 ? "Members[2]: 1 2" : "Members[1]: 1");
        for (int i = 0; i < 5; i++)
                ev(a, 0, 0, 70 + i, "notify.failed", NULL, NULL, i % 2 ? "gotify: timeout" : "gotify: refused");
        /* Added out of order, one twice with a weaker role: as the collectors do. */
        assert_int_equal(hypothesis_add_evidence(&h, 1, EVIDENCE_CAUSE), 0);
        for (int i = (int) a->n_events - 1; i >= 0; i--)
                assert_int_equal(hypothesis_add_evidence(&h, i, i == 1 ? EVIDENCE_TURN : i < 2 || i >= 32 ? EVIDENCE_SYMPTOM : EVIDENCE_TURN), 0);
        assert_int_equal(hypothesis_add_evidence(&h, -1, EVIDENCE_CAUSE), 0);  /* none: ignored */
        assert_int_equal(hypothesis_select_evidence(a, &h), 0);
        assert_int_equal(h.n_evidence, EVIDENCE_MAX);
        assert_int_equal(h.n_evidence_omitted, a->n_events - EVIDENCE_MAX);
        assert_int_equal(h.evidence[0], 0);    /* the first symptom */
        assert_int_equal(h.evidence[1], 1);    /* the cause, kept as one */
        assert_int_equal(h.evidence_roles[1], EVIDENCE_CAUSE);
        assert_int_equal(h.evidence[2], 2);    /* the first turning point */
        assert_int_equal(h.evidence[EVIDENCE_MAX - 1], 31);    /* the last one */
        for (size_t i = 1; i < h.n_evidence; i++)
                assert_true(h.evidence[i - 1] < h.evidence[i]);
        free(h.evidence);
        free(h.evidence_roles);
        analysis_free(a);
}

/* A cascade's second reboot is a subsequent event, not a rival cause; the trigger is the first
 * reboot command; quorum holding is what went well; the advice cites both reboot commands. */
static void test_postmortem_cascade(void **state) {
        Analysis *a = reboots(2, 240, true);
        run_all(a);
        assert_int_equal(a->n_incidents, 1);
        const Incident *inc = &a->incidents[0];
        assert_int_equal(inc->n_hypotheses, 2);
        assert_false(inc->hypotheses[0].subsequent);
        assert_true(inc->hypotheses[1].subsequent);
        assert_true(inc->trigger >= 0);
        assert_string_equal(a->events[inc->trigger].kind, "system.reboot.requested");
        assert_int_equal(a->events[inc->trigger].node, 0);
        assert_int_equal(inc->severity, INCIDENT_MAJOR);
        assert_non_null(strstr(inc->severity_reason, "one after another"));
        assert_non_null(strstr(inc->severity_reason, "quorum held"));
        assert_true(inc->n_went_well >= 1);
        assert_non_null(strstr(inc->went_well[0].text, "Quorum held"));
        assert_true(inc->went_well[0].n_evidence == 1);
        assert_true(inc->n_advice >= 1);
        assert_int_equal(inc->advice[0].priority, 1);
        assert_int_equal(inc->advice[0].n_evidence, 2);
        assert_int_equal(a->events[inc->advice[0].evidence[0]].node, 0);
        assert_int_equal(a->events[inc->advice[0].evidence[1]].node, 1);
        /* Every factor cites a line. */
        for (size_t i = 0; i < inc->n_factors; i++)
                assert_true(inc->factors[i].n_evidence > 0);
        analysis_free(a);
}

/* The severity rule over impact, on one incident: its classification, then what HA services
 * suffered, then quorum. */
static void test_postmortem_severity_rule(void **state) {
        static const struct {
                Classification c;
                usec_t down;           /* USEC_INVALID: not back; 0: a live migration */
                bool quorum_lost;
                IncidentSeverity want;
                const char *reason;
        } cases[] = {
                { CLASS_NODE_REBOOT, 30 * USEC_PER_SEC, false, INCIDENT_MINOR, "the longest HA service outage was 30s (ct:104)" },
                { CLASS_NODE_REBOOT, 0, false, INCIDENT_MINOR, "one clean reboot" },
                { CLASS_NODE_REBOOT, 90 * USEC_PER_SEC, false, INCIDENT_MAJOR, "1m30s (ct:104)" },
                { CLASS_REBOOT_CASCADE, 30 * USEC_PER_SEC, false, INCIDENT_MAJOR, "one after another" },
                { CLASS_NODE_REBOOT, 11 * USEC_PER_MINUTE, false, INCIDENT_CRITICAL, "ct:104 was down for 11m" },
                { CLASS_NODE_REBOOT, USEC_INVALID, false, INCIDENT_CRITICAL, "ct:104 was not running again by the end of the logs" },
                { CLASS_LINK_INSTABILITY, 0, true, INCIDENT_CRITICAL, "quorum was lost on pve1" },
        };
        for (size_t k = 0; k < ELEMENTSOF(cases); k++) {
                Analysis *a = model(3);
                ev(a, 0, 0, 10, "ha.service.state", NULL, NULL, NULL);
                a->incidents = calloc(1, sizeof *a->incidents);
                a->n_incidents = 1;
                Incident *inc = &a->incidents[0];
                *inc = (Incident){ .id = 1, .start = S(0), .end = S(100), .classification = cases[k].c, .nodes_expected = 3,
                                   .min_members = 2, .quorum_lost = cases[k].quorum_lost };
                if (cases[k].quorum_lost) {
                        inc->quorum_lost_nodes = calloc(1, sizeof(int));
                        inc->n_quorum_lost = 1;
                }
                inc->outages = calloc(1, sizeof *inc->outages);
                inc->n_outages = 1;
                inc->outages[0] = (ServiceOutage){ .sid = strdup("ct:104"), .how = "relocate", .from = S(10),
                                                   .to = cases[k].down == USEC_INVALID ? USEC_INVALID : S(10) + cases[k].down,
                                                   .live = cases[k].down == 0, .from_node = 0, .to_node = 1,
                                                   .first_event = 0, .last_event = 0 };
                assert_int_equal(correlate_postmortem(a, NULL, inc, NULL, 0, S(200)), 0);
                if (inc->severity != cases[k].want || !strstr(inc->severity_reason, cases[k].reason))
                        fail_msg("case %zu: %s: %s", k, incident_severity_to_string(inc->severity), inc->severity_reason);
                analysis_free(a);
        }
}

/* Nodes log in to each other as root for migrations: a login from a cluster address is no person. */
static void test_postmortem_detection(void **state) {
        for (int person = 0; person <= 1; person++) {
                Analysis *a = reboots(1, 120, false);
                a->cluster_addrs = calloc(1, sizeof *a->cluster_addrs);
                a->cluster_addrs[0] = strdup("10.0.0.2");
                a->n_cluster_addrs = 1;
                /* After the reboot request at 100 s, while the member is out. */
                ev(a, 2, 14, 170, "ssh.login", NULL, person ? "{\"addr\":\"192.168.1.50\"}" : "{\"addr\":\"10.0.0.2\"}", NULL);
                ev(a, 2, 14, 171, "notify.failed", NULL, "{\"target\":\"gotify\"}", NULL);
                run_all(a);
                const Detection *d = &a->incidents[0].detection;
                assert_int_equal(d->alerts_failed, 1);
                assert_int_equal(d->alerts_sent, 0);
                assert_true(d->first_failed >= 0);
                if (person)
                        assert_true(d->first_action >= 0 && a->events[d->first_action].cts == S(170));
                else
                        assert_int_equal(d->first_action, -1);
                analysis_free(a);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_identity_from_pmxcfs),
                cmocka_unit_test(test_identity_from_clean_leave),
                cmocka_unit_test(test_identity_from_addresses),
                cmocka_unit_test(test_expected_from_votes),
                cmocka_unit_test(test_fqdn_alias),
                cmocka_unit_test(test_coverage),
                cmocka_unit_test(test_lone_view_after_failure),
                cmocka_unit_test(test_peer_lost_not_observer),
                cmocka_unit_test(test_leave_without_failure_is_clean),
                cmocka_unit_test(test_isolated_observer),
                cmocka_unit_test(test_split_seen_from_one_side),
                cmocka_unit_test(test_stall_and_storm),
                cmocka_unit_test(test_ids_above_int32),
                cmocka_unit_test(test_clock_skew),
                cmocka_unit_test(test_clock_small_skew_not_applied),
                cmocka_unit_test(test_boot_ends),
                cmocka_unit_test(test_membership_from_views),
                cmocka_unit_test(test_membership_from_deltas),
                cmocka_unit_test(test_classify_single_reboot),
                cmocka_unit_test(test_classify_maintenance_vs_cascade),
                cmocka_unit_test(test_classify_crash),
                cmocka_unit_test(test_quorum_loss_during_own_shutdown_ignored),
                cmocka_unit_test(test_evidence_cites_decisive_lines),
                cmocka_unit_test(test_evidence_cap),
                cmocka_unit_test(test_postmortem_cascade),
                cmocka_unit_test(test_postmortem_severity_rule),
                cmocka_unit_test(test_postmortem_detection),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
