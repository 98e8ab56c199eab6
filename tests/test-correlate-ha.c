/* test-correlate-ha.c: per HA service its outages in an incident (correlate-ha.c), from log lines
 * as pve-ha-crm, pve-ha-lrm, PVE tasks and Pacemaker write them, tagged by the shipped pattern
 * library (so the captures are the library's, not hand-written JSON): a live migration, a
 * container relocated twice, a recovery after a crash, a service not back, Pacemaker's Recover,
 * Move and Migrate, one node's partial view, and a freeze with and without a stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "correlate-model.h"
#include "tag-match.h"

#define T0 INT64_C(1764057600000000) /* 2025-11-25T08:00:00Z */
#define S(sec) (T0 + (usec_t) ((sec) * 1e6))

static PatternSet *library;
static Tagger *tagger;

static int setup(void **state) {
        PatternError err;
        library = pattern_set_new();
        assert_non_null(library);
        assert_true(pattern_set_load_shipped(library, &err) >= 0);
        assert_int_equal(tagger_new(library, &tagger), 0);
        return 0;
}

static int teardown(void **state) {
        tagger = tagger_free(tagger);
        library = pattern_set_free(library);
        return 0;
}

static Analysis *model(int n_nodes) {
        return model_of(NULL, n_nodes);
}

typedef struct Hits {
        Analysis *a;
        int node;
        usec_t t;
        const char *message;
} Hits;

static int on_hit(void *userdata, const TagHit *hit) {
        Hits *h = userdata;
        Analysis *a = h->a;
        StrBuf caps = STRBUF_INIT;
        tag_hit_captures_json(hit, &caps);
        assert_int_equal(strbuf_error(&caps), 0);
        a->events = realloc(a->events, (a->n_events + 1) * sizeof *a->events);
        assert_non_null(a->events);
        a->events[a->n_events] = (CEvent){ .id = (int64_t) a->n_events + 1, .ts = h->t, .cts = h->t, .node = h->node,
                                           .pid = 100, .kind = strdup(hit->rule->kind), .rule = strdup(hit->rule->id),
                                           .severity = hit->rule->severity, .captures = strbuf_detach(&caps),
                                           .message = strdup(h->message), .source = strdup("test:1") };
        a->events[a->n_events].ek = event_kind_from_string(hit->rule->kind);
        a->n_events++;
        return 0;
}

/* A log line of node at t seconds, tagged by the library (in time order); its event index. */
static int line(Analysis *a, int node, double t, const char *ident, const char *message) {
        Hits h = { a, node, S(t), message };
        size_t before = a->n_events;
        int r = tagger_match(tagger, SLICE_STR(ident), SLICE_STR(message), on_hit, &h);
        if (r <= 0)
                fail_msg("no rule tags '%s: %s'", ident, message);
        return (int) before;
}

static void left(Analysis *a, int node, double t) {
        a->timeline = realloc(a->timeline, (a->n_timeline + 1) * sizeof *a->timeline);
        a->timeline[a->n_timeline++] = (TimelineEntry){ .ts = S(t), .node = node, .kind = "node.left",
                                                        .summary = strdup("left"), .event = -1 };
}

static Incident *incident(Analysis *a, double start, double end) {
        a->incidents = calloc(1, sizeof *a->incidents);
        a->n_incidents = a->n_incidents_alloc = 1;
        a->incidents[0] = (Incident){ .id = 1, .start = S(start), .end = S(end) };
        return &a->incidents[0];
}

static Incident *outages(Analysis *a, double start, double end, double to) {
        Incident *inc = incident(a, start, end);
        assert_int_equal(correlate_outages(a, inc, S(to)), 0);
        return inc;
}

static void assert_outage(const ServiceOutage *o, const char *sid, const char *how, int from_node, int to_node) {
        assert_string_equal(o->sid, sid);
        assert_string_equal(o->how, how);
        assert_int_equal(o->from_node, from_node);
        assert_int_equal(o->to_node, to_node);
}

/* A running VM under 'migrate' moves live: the qmstart on the target is the incoming VM, not a
 * restart; nothing stops it. */
static void vm_live_migration(void **state) {
        Analysis *a = model(2);
        line(a, 1, 0, "pve-ha-crm", "migrate service 'vm:101' to node 'pve1' (running)");
        line(a, 1, 0, "pve-ha-crm", "service 'vm:101': state changed from 'started' to 'migrate'  (node = pve2, target = pve1)");
        int task = line(a, 1, 4, "pve-ha-lrm", "<root@pam> starting task UPID:pve2:002C7B98:034E5B93:6925645A:qmigrate:101:root@pam:");
        line(a, 0, 6, "qm", "<root@pam> starting task UPID:pve1:002005BE:02177BF7:6925645C:qmstart:101:root@pam:");
        line(a, 0, 7, "qm", "<root@pam> end task UPID:pve1:002005BE:02177BF7:6925645C:qmstart:101:root@pam: OK");
        line(a, 1, 37, "pve-ha-lrm", "<root@pam> end task UPID:pve2:002C7B98:034E5B93:6925645A:qmigrate:101:root@pam: OK");
        int started = line(a, 1, 40, "pve-ha-crm", "service 'vm:101': state changed from 'migrate' to 'started'  (node = pve1)");
        Incident *inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 1);
        const ServiceOutage *o = &inc->outages[0];
        assert_outage(o, "vm:101", "migrate", 1, 0);
        assert_true(o->live);
        assert_int_equal(o->from, S(4));
        assert_int_equal(o->first_event, task);
        assert_int_equal(o->to, S(40));
        assert_int_equal(o->last_event, started);
        analysis_free(a);
}

/* A container is shut down, migrated offline and started on the target: down from its shutdown
 * task to the target LRM's "service status ... started". Moved back later: a second outage. */
static void ct_relocated_twice(void **state) {
        Analysis *a = model(3);
        line(a, 2, 0, "pve-ha-crm", "service 'ct:104': state changed from 'started' to 'relocate'  (node = pve2, target = pve3)");
        int shutdown = line(a, 1, 5, "pve-ha-lrm", "<root@pam> starting task UPID:pve2:002C7B99:034E5B94:6925645A:vzshutdown:104:root@pam:");
        line(a, 1, 12, "pve-ha-lrm", "<root@pam> end task UPID:pve2:002C7B99:034E5B94:6925645A:vzshutdown:104:root@pam: OK");
        line(a, 1, 13, "pve-ha-lrm", "<root@pam> starting task UPID:pve2:002C7B9A:034E5B96:6925645A:vzmigrate:104:root@pam:");
        line(a, 1, 20, "pve-ha-lrm", "<root@pam> end task UPID:pve2:002C7B9A:034E5B96:6925645A:vzmigrate:104:root@pam: OK");
        line(a, 2, 28, "pve-ha-crm", "service 'ct:104': state changed from 'relocate' to 'started'  (node = pve3)");
        line(a, 2, 30, "pve-ha-lrm", "starting service ct:104");
        int up = line(a, 2, 32, "pve-ha-lrm", "service status ct:104 started");
        /* Back: this time the logs have no shutdown task (the migration task is the first line
         * showing it down: a container is stopped before its migration starts). */
        line(a, 2, 100, "pve-ha-crm", "service 'ct:104': state changed from 'started' to 'relocate'  (node = pve3, target = pve2)");
        int migrate = line(a, 2, 102, "pve-ha-lrm", "<root@pam> starting task UPID:pve3:000E2681:00EB2EB1:692564B2:vzmigrate:104:root@pam:");
        line(a, 2, 109, "pve-ha-lrm", "<root@pam> end task UPID:pve3:000E2681:00EB2EB1:692564B2:vzmigrate:104:root@pam: OK");
        line(a, 2, 110, "pve-ha-crm", "service 'ct:104': state changed from 'relocate' to 'started'  (node = pve2)");
        line(a, 1, 117, "pve-ha-lrm", "starting service ct:104");
        line(a, 1, 119, "pve-ha-lrm", "service status ct:104 started");
        Incident *inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 2);
        const ServiceOutage *o = &inc->outages[0];
        assert_outage(o, "ct:104", "relocate", 1, 2);
        assert_false(o->live);
        assert_int_equal(o->from, S(5));
        assert_int_equal(o->first_event, shutdown);
        assert_int_equal(o->to, S(32));
        assert_int_equal(o->last_event, up);
        o = &inc->outages[1];
        assert_outage(o, "ct:104", "relocate", 2, 1);
        assert_int_equal(o->from, S(102));
        assert_int_equal(o->first_event, migrate);
        assert_int_equal(o->to, S(119));
        analysis_free(a);

        /* A move after the incident's reach is not its outage. */
        a = model(3);
        line(a, 2, 400, "pve-ha-crm", "service 'ct:104': state changed from 'started' to 'relocate'  (node = pve2, target = pve3)");
        line(a, 2, 410, "pve-ha-lrm", "service status ct:104 started");
        inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 0);
        analysis_free(a);
}

/* A crashed node's VM is down from the crash (the last line of its boot), not from the CRM's
 * fence or recovery decision a minute later; without its own logs, from its leaving the
 * membership. */
static void recovery_after_fence(void **state) {
        for (int own_logs = 1; own_logs >= 0; own_logs--) {
                Analysis *a = model(3);
                if (own_logs) {
                        CNode *n = &a->nodes[1];
                        n->boots = calloc(1, sizeof *n->boots);
                        n->n_boots = n->n_boots_alloc = 1;
                        n->boots[0] = (CBoot){ .row = 1, .boot_id = strdup("b"), .first = S(-3600), .last = S(10),
                                               .end = BOOT_END_CRASH, .end_at = S(10), .end_event = -1,
                                               .initiator_event = -1 };
                } else
                        a->nodes[1].has_logs = false;
                left(a, 1, 15);
                line(a, 0, 16, "pve-ha-crm", "node 'pve2': state changed from 'online' => 'unknown'");
                line(a, 0, 76, "pve-ha-crm", "service 'vm:100': state changed from 'started' to 'fence'");
                line(a, 0, 76, "pve-ha-crm", "node 'pve2': state changed from 'unknown' => 'fence'");
                line(a, 0, 136, "pve-ha-crm", "fencing: acknowledged - got agent lock for node 'pve2'");
                line(a, 0, 136, "pve-ha-crm", "service 'vm:100': state changed from 'fence' to 'recovery'");
                line(a, 0, 136, "pve-ha-crm", "recover service 'vm:100' from fenced node 'pve2' to node 'pve3'");
                line(a, 0, 136, "pve-ha-crm", "service 'vm:100': state changed from 'recovery' to 'started'  (node = pve3)");
                line(a, 2, 140, "pve-ha-lrm", "starting service vm:100");
                int up = line(a, 2, 143, "pve-ha-lrm", "service status vm:100 started");
                Incident *inc = outages(a, 0, 60, 300);
                assert_int_equal(inc->n_outages, 1);
                const ServiceOutage *o = &inc->outages[0];
                assert_outage(o, "vm:100", "recovery", 1, 2);
                assert_false(o->live);
                assert_int_equal(o->from, own_logs ? S(10) : S(15));
                assert_int_equal(o->to, S(143));
                assert_int_equal(o->last_event, up);
                analysis_free(a);
        }
}

/* No node to recover to, and the logs end: down since the node was lost, not back. */
static void not_back(void **state) {
        Analysis *a = model(2);
        left(a, 1, 15);
        line(a, 0, 76, "pve-ha-crm", "service 'vm:100': state changed from 'started' to 'fence'");
        line(a, 0, 136, "pve-ha-crm", "service 'vm:100': state changed from 'fence' to 'recovery'");
        line(a, 0, 136, "pve-ha-crm", "recovering service 'vm:100' from fenced node 'pve2' failed, no recovery node found");
        Incident *inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 1);
        const ServiceOutage *o = &inc->outages[0];
        assert_string_equal(o->how, "recovery");
        assert_int_equal(o->from, S(15));
        assert_int_equal(o->to, USEC_INVALID);
        assert_int_equal(o->last_event, -1);
        analysis_free(a);
}

/* Pacemaker: a resource recovered from a lost node is down from the loss to its start result; a
 * Move is down from the stop result to the start result; a Migrate is live, and the source's stop
 * after migrate_from is its cleanup, not another outage. */
static void pacemaker(void **state) {
        Analysis *a = model(3);
        left(a, 1, 10);
        line(a, 0, 12, "pacemaker-schedulerd", "notice:  * Recover    vip        ( pve2 -> pve1 )");
        int vip_up = line(a, 0, 20, "pacemaker-controld", "notice: Result of start operation for vip on pve1: ok");
        line(a, 0, 30, "pacemaker-schedulerd", "notice: Actions: Move       web        ( pve1 -> pve3 )  due to node availability");
        int web_down = line(a, 0, 33, "pacemaker-controld", "notice: Result of stop operation for web on pve1: ok");
        line(a, 2, 36, "pacemaker-controld", "notice: Result of start operation for web on pve3: ok");
        line(a, 0, 40, "pacemaker-schedulerd", "notice: Actions: Migrate    vm-db      ( pve1 -> pve3 )");
        line(a, 2, 52, "pacemaker-controld", "notice: Result of migrate_from operation for vm-db on pve3: ok");
        line(a, 0, 53, "pacemaker-controld", "notice: Result of stop operation for vm-db on pve1: ok");
        Incident *inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 3);
        const ServiceOutage *o = &inc->outages[0];
        assert_outage(o, "vip", "recovery", 1, 0);
        assert_int_equal(o->from, S(10));
        assert_int_equal(o->to, S(20));
        assert_int_equal(o->last_event, vip_up);
        o = &inc->outages[1];
        assert_outage(o, "web", "relocate", 0, 2);
        assert_int_equal(o->from, S(33));
        assert_int_equal(o->first_event, web_down);
        assert_int_equal(o->to, S(36));
        o = &inc->outages[2];
        assert_outage(o, "vm-db", "migrate", 0, 2);
        assert_true(o->live);
        analysis_free(a);

        /* A Move away from a node that was lost (being fenced) is a recovery from the loss; one
         * away from a node that left and joined again is an ordinary move. */
        a = model(3);
        left(a, 1, 10);
        line(a, 0, 12, "pacemaker-schedulerd", "notice: Actions: Move       db-vip          ( pve2 -> pve3 )");
        line(a, 2, 20, "pacemaker-controld", "notice: Result of start operation for db-vip on pve3: ok");
        a->timeline = realloc(a->timeline, (a->n_timeline + 1) * sizeof *a->timeline);
        a->timeline[a->n_timeline++] = (TimelineEntry){ .ts = S(100), .node = 1, .kind = "node.joined",
                                                        .summary = strdup("joined"), .event = -1 };
        line(a, 0, 110, "pacemaker-schedulerd", "notice: Actions: Move       db-vip          ( pve3 -> pve2 )");
        line(a, 2, 111, "pacemaker-controld", "notice: Result of stop operation for db-vip on pve3: ok");
        line(a, 1, 113, "pacemaker-controld", "notice: Result of start operation for db-vip on pve2: ok");
        inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 2);
        assert_outage(&inc->outages[0], "db-vip", "recovery", 1, 2);
        assert_int_equal(inc->outages[0].from, S(10));
        assert_outage(&inc->outages[1], "db-vip", "relocate", 2, 1);
        assert_int_equal(inc->outages[1].from, S(111));
        assert_int_equal(inc->outages[1].to, S(113));
        analysis_free(a);

        /* A resource that failed in place: down from the failed monitor. */
        a = model(1);
        int failed = line(a, 0, 5, "pacemaker-controld", "notice: Result of monitor operation for vip on pve1: not running");
        line(a, 0, 7, "pacemaker-schedulerd", "notice:  * Recover    vip        ( pve1 )");
        line(a, 0, 8, "pacemaker-controld", "notice: Result of stop operation for vip on pve1: ok");
        line(a, 0, 9, "pacemaker-controld", "notice: Result of start operation for vip on pve1: ok");
        inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 1);
        assert_outage(&inc->outages[0], "vip", "recovery", 0, 0);
        assert_int_equal(inc->outages[0].first_event, failed);
        assert_int_equal(inc->outages[0].to, S(9));
        analysis_free(a);
}

/* One node's logs only. The target's LRM starting a container says it was down, not since when:
 * no figure is made up. The source's LRM shutting one down and migrating it says when it went,
 * not when it came back. */
static void partial_view(void **state) {
        Analysis *a = model(3);
        a->nodes[0].has_logs = a->nodes[1].has_logs = false;
        line(a, 2, 30, "pve-ha-lrm", "starting service ct:104");
        int up = line(a, 2, 32, "pve-ha-lrm", "service status ct:104 started");
        Incident *inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 1);
        const ServiceOutage *o = &inc->outages[0];
        assert_outage(o, "ct:104", "restart", -1, 2);
        assert_int_equal(o->from, USEC_INVALID);
        assert_int_equal(o->first_event, -1);
        assert_int_equal(o->to, S(32));
        assert_int_equal(o->last_event, up);
        analysis_free(a);

        a = model(3);
        a->nodes[0].has_logs = a->nodes[2].has_logs = false;
        line(a, 1, 5, "pve-ha-lrm", "<root@pam> starting task UPID:pve2:002C7B99:034E5B94:6925645A:vzshutdown:104:root@pam:");
        line(a, 1, 12, "pve-ha-lrm", "<root@pam> end task UPID:pve2:002C7B99:034E5B94:6925645A:vzshutdown:104:root@pam: OK");
        line(a, 1, 13, "pve-ha-lrm", "<root@pam> starting task UPID:pve2:002C7B9A:034E5B96:6925645A:vzmigrate:104:root@pam:");
        line(a, 1, 20, "pve-ha-lrm", "<root@pam> end task UPID:pve2:002C7B9A:034E5B96:6925645A:vzmigrate:104:root@pam: OK");
        inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 1);
        o = &inc->outages[0];
        assert_outage(o, "ct:104", "relocate", 1, -1);
        assert_int_equal(o->from, S(5));
        assert_int_equal(o->to, USEC_INVALID);
        analysis_free(a);

        /* The CRM's logs say the start was ordered (an admin starting a stopped service): no outage. */
        a = model(2);
        line(a, 0, 10, "pve-ha-crm", "service 'vm:100': state changed from 'stopped' to 'request_start'  (node = pve2)");
        line(a, 0, 20, "pve-ha-crm", "service 'vm:100': state changed from 'request_start' to 'started'  (node = pve2)");
        line(a, 1, 22, "pve-ha-lrm", "starting service vm:100");
        line(a, 1, 24, "pve-ha-lrm", "service status vm:100 started");
        inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 0);
        analysis_free(a);
}

/* A node rebooted with the freeze policy: its LRM stops its services, the CRM freezes them, they
 * start again on it after the reboot. A restart of pve-ha-lrm alone freezes them and stops
 * nothing: no outage. */
static void freeze(void **state) {
        Analysis *a = model(2);
        line(a, 1, 0, "pve-ha-lrm", "reboot LRM, stop and freeze all services");
        int stop = line(a, 1, 2, "pve-ha-lrm", "stopping service vm:100");
        line(a, 0, 5, "pve-ha-crm", "service 'vm:100': state changed from 'started' to 'freeze'");
        line(a, 1, 20, "pve-ha-lrm", "service status vm:100 stopped");
        line(a, 0, 100, "pve-ha-crm", "service 'vm:100': state changed from 'freeze' to 'started'");
        line(a, 1, 103, "pve-ha-lrm", "starting service vm:100");
        line(a, 1, 105, "pve-ha-lrm", "service status vm:100 started");
        Incident *inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 1);
        const ServiceOutage *o = &inc->outages[0];
        assert_outage(o, "vm:100", "freeze", 1, 1);
        assert_int_equal(o->first_event, stop);
        assert_int_equal(o->from, S(2));
        assert_int_equal(o->to, S(105));
        analysis_free(a);

        a = model(2);
        line(a, 1, 0, "pve-ha-lrm", "restart LRM, freeze all services");
        line(a, 0, 5, "pve-ha-crm", "service 'vm:100': state changed from 'started' to 'freeze'");
        line(a, 0, 30, "pve-ha-crm", "service 'vm:100': state changed from 'freeze' to 'started'");
        inc = outages(a, 0, 60, 300);
        assert_int_equal(inc->n_outages, 0);
        analysis_free(a);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(vm_live_migration),
                cmocka_unit_test(ct_relocated_twice),
                cmocka_unit_test(recovery_after_fence),
                cmocka_unit_test(not_back),
                cmocka_unit_test(pacemaker),
                cmocka_unit_test(partial_view),
                cmocka_unit_test(freeze),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
