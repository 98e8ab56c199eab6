/* correlate-incident.c: incidents, their classification, impact, factors and open questions
 * (their ranked causes: correlate-cause.c).
 *
 * An incident is a window in which the cluster was degraded: fewer members than expected, quorum
 * lost anywhere, a node crashed or fenced, or a knet link down. Degradations are chained into one
 * incident when the next begins before the cluster was stable for STABLE_GAP, because that is
 * when a second failure feeds on the first (a reboot while HA is still moving services, an
 * operator acting on slowness).
 *
 * The classification follows how corosync, pmxcfs and HA behave: a node that left cleanly had a
 * shutdown trail (logind request, "Node N was shut down by sysadmin"); one that left uncleanly had
 * none (crash) or a watchdog expiry (fence); one that left yet kept logging was cut off by the
 * network (partition). Several clean reboots are planned maintenance when each node was back and
 * the cluster quiet before the next, and a reboot cascade when the next came while the cluster was
 * still degraded or unsettled (notifications failing, pmxcfs errors, HA recovering, links down). */
#include "correlate.h"
#include "report-template.h"

static const char *const classification_names[_CLASS_MAX] = {
        [CLASS_REBOOT_CASCADE] = "reboot-cascade",       [CLASS_NODE_REBOOT] = "node-reboot",
        [CLASS_PLANNED_MAINTENANCE] = "planned-maintenance", [CLASS_UNCLEAN_NODE_LOSS] = "unclean-node-loss",
        [CLASS_NETWORK_PARTITION] = "network-partition", [CLASS_QUORUM_LOSS] = "quorum-loss",
        [CLASS_LINK_INSTABILITY] = "link-instability",   [CLASS_NODE_STALL] = "node-stall",
        [CLASS_UNKNOWN] = "unknown",
};

const char *classification_to_string(Classification c) {
        return c >= 0 && c < _CLASS_MAX ? classification_names[c] : "unknown";
}

static const char *const incident_severity_names[_INCIDENT_SEVERITY_MAX] = {
        [INCIDENT_CRITICAL] = "critical", [INCIDENT_MAJOR] = "major", [INCIDENT_MINOR] = "minor",
};

const char *incident_severity_to_string(IncidentSeverity s) {
        return s >= 0 && s < _INCIDENT_SEVERITY_MAX ? incident_severity_names[s] : "major";
}

#define STABLE_GAP (10 * USEC_PER_MINUTE)
/* How long before a member left an earlier link or token problem may lie, to be its precursor. */
#define CAUSE_WINDOW (10 * USEC_PER_MINUTE)
/* How long after the incident its aftermath (alerts, HA moving services back) is shown with it. */
#define AFTERMATH (5 * USEC_PER_MINUTE)

/* Append item to the "a, b" list in buf unless it is there already; cut at size. */
static void list_append(char *buf, size_t size, const char *sep, const char *item) {
        size_t ilen = strlen(item), slen = strlen(sep);
        for (const char *p = buf; *p;) {
                const char *next = strstr(p, sep);
                size_t n = next ? (size_t) (next - p) : strlen(p);
                if (n == ilen && memcmp(p, item, n) == 0)
                        return;
                if (!next)
                        break;
                p = next + slen;
        }
        size_t len = strlen(buf);
        if (len > 0) {
                size_t n = MIN(strlen(sep), size - 1 - len);
                memcpy(buf + len, sep, n);
                len += n;
        }
        size_t n = MIN(strlen(item), size - 1 - len);
        memcpy(buf + len, item, n);
        buf[len + n] = '\0';
}

typedef struct Span {
        usec_t start, end;
} Span;

typedef struct Spans {
        Span *v;
        size_t n;
        size_t n_alloc;        /* capacity of v */
} Spans;

static int push_span(Spans *spans, usec_t start, usec_t end) {
        if (array_reserve(&spans->v, &spans->n_alloc, spans->n + 1, sizeof *spans->v, 16) < 0)
                return -ENOMEM;
        spans->v[spans->n++] = (Span){ start, MAX(start, end) };
        return 0;
}

static int compare_span(const void *x, const void *y) {
        const Span *a = x, *b = y;
        return a->start < b->start ? -1 : a->start > b->start;
}

/* Retransmits come in bursts when a link drops packets; a few are normal on a busy ring. */
#define STORM_COUNT 5
#define STORM_WINDOW (60 * USEC_PER_SEC)

static bool retransmit_storm(const Analysis *a, size_t first) {
        int count = 0;
        for (size_t i = first; i < a->n_events && a->events[i].cts - a->events[first].cts < STORM_WINDOW; i++)
                count += a->events[i].node == a->events[first].node && cevent_is(&a->events[i], EVENT_COROSYNC_RETRANSMIT);
        return count >= STORM_COUNT;
}

/* Every interval in which the cluster was degraded. */
static int degraded_spans(const Analysis *a, Span **ret, size_t *ret_n) {
        Spans spans = { 0 };
        int r = 0;
        for (size_t i = 0; i < a->n_membership && r >= 0; i++) {
                const MemberPoint *m = &a->membership[i];
                if (a->nodes_expected > 0 && m->count < a->nodes_expected)
                        r = push_span(&spans, m->ts, i + 1 < a->n_membership ? a->membership[i + 1].ts : m->ts);
        }
        for (size_t i = 0; i < a->n_timeline && r >= 0; i++) {
                const TimelineEntry *t = &a->timeline[i];
                if (streq(t->kind, "quorum.lost") || streq(t->kind, "link.down")) {
                        const char *back = streq(t->kind, "quorum.lost") ? "quorum.regained" : "link.up";
                        usec_t end = t->ts;
                        for (size_t k = i + 1; k < a->n_timeline; k++)
                                if (a->timeline[k].node == t->node && streq(a->timeline[k].kind, back)) {
                                        end = a->timeline[k].ts;
                                        break;
                                }
                        r = push_span(&spans, t->ts, end);
                } else if (streq(t->kind, "node.crash") || streq(t->kind, "node.fenced") || streq(t->kind, "ha.fence"))
                        r = push_span(&spans, t->ts, t->ts);
        }
        /* A cluster manager deciding to fence a node, or a node's watchdog about to reset it, says a
         * member is being lost even where no membership line is here (one node's excerpt only). */
        static const EventKind fence_kinds[] = { EVENT_PCMK_FENCE_SCHEDULED, EVENT_PCMK_FENCE_REQUESTED, EVENT_PCMK_FENCE_FAILED,
                                                 EVENT_WATCHDOG_EXPIRING };
        char to[32];
        for (size_t i = 0; i < a->n_events && r >= 0; i++) {
                const CEvent *e = &a->events[i];
                bool fencing = cevent_is(e, EVENT_HA_NODE_STATE) && cevent_capture(e, "to", to, sizeof to) && streq(to, "fence");
                for (size_t k = 0; k < ELEMENTSOF(fence_kinds) && !fencing; k++)
                        fencing = cevent_is(e, fence_kinds[k]);
                if (fencing)
                        r = push_span(&spans, e->cts, e->cts);
        }
        /* corosync itself in trouble with every member still there: a node's corosync stalled, or
         * the ring retransmitting and losing its token. */
        for (size_t i = 0; i < a->n_events && r >= 0; i++) {
                const CEvent *e = &a->events[i];
                if (cevent_is(e, EVENT_COROSYNC_PAUSED) || cevent_is(e, EVENT_COROSYNC_SCHED_MISS) ||
                    (cevent_is(e, EVENT_COROSYNC_TOKEN_LOST) && !analysis_event_explained(a, e)) ||
                    (cevent_is(e, EVENT_COROSYNC_RETRANSMIT) && retransmit_storm(a, i)))
                        r = push_span(&spans, e->cts, e->cts);
        }
        /* A node down for a reboot is missing from the cluster even where no membership line of
         * its peers is here to show it (its own log only). */
        for (size_t node = 0; node < a->n_nodes && r >= 0; node++) {
                const CNode *cn = &a->nodes[node];
                for (size_t b = 0; b + 1 < cn->n_boots && r >= 0; b++)
                        if (cn->boots[b].end != BOOT_END_RUNNING && cn->boots[b].end_at != USEC_INVALID)
                                r = push_span(&spans, cn->boots[b].end_at, cn->boots[b + 1].first);
        }
        if (r < 0) {
                free(spans.v);
                return r;
        }
        if (spans.n > 1)
                qsort(spans.v, spans.n, sizeof *spans.v, compare_span);
        *ret = spans.v;
        *ret_n = spans.n;
        return 0;
}

static bool is_kind(const TimelineEntry *t, const char *kind) {
        return streq(t->kind, kind);
}

static bool timeline_has(const Analysis *a, const char *kind, usec_t from, usec_t to, int node) {
        for (size_t i = 0; i < a->n_timeline; i++) {
                const TimelineEntry *t = &a->timeline[i];
                if (t->ts >= from && t->ts <= to && is_kind(t, kind) && (node < 0 || t->node == node))
                        return true;
        }
        return false;
}

/* Signs that the cluster had not settled between two reboots, as a phrase list ("notifications
 * failing, pmxcfs errors"), empty when it was quiet. */
static void unsettled_signals(const Analysis *a, usec_t from, usec_t to, char *buf, size_t size) {
        static const struct {
                const char *kind;
                const char *phrase_key;
        } signals[] = {
                { "notify.failed", "signal.notify" },   { "cluster-fs.error", "signal.pmxcfs" },
                { "ha.recovery", "signal.recovery" },   { "link.down", "signal.link" },
                { "quorum.lost", "signal.quorum" },     { "node.crash", "signal.crash" },
        };
        buf[0] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(signals); i++) {
                if (!timeline_has(a, signals[i].kind, from, to, -1))
                        continue;
                _cleanup_free_ char *p = phrase_render(signals[i].phrase_key, NULL);
                list_append(buf, size, ", ", p ? p : signals[i].kind);
        }
        /* corosync itself complaining also means the network was under strain. */
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts >= from && e->cts <= to &&
                    (cevent_is(e, EVENT_COROSYNC_TOKEN_WARNING) || cevent_is(e, EVENT_COROSYNC_TOKEN_LOST) ||
                     cevent_is(e, EVENT_COROSYNC_RETRANSMIT))) {
                        _cleanup_free_ char *p = phrase_render("signal.token", NULL);
                        list_append(buf, size, ", ", p ? p : "token");
                        break;
                }
        }
}

/* A contributing factor, cited by its first line (the one after it, when the second says more:
 * the rejoin a reboot came too soon after). vars is freed. */
static int add_factor(Incident *inc, const char *key, TData *vars, int first, int second) {
        int evidence[] = { first, second };
        return finding_add(&inc->factors, &inc->n_factors, &inc->n_factors_alloc, key, vars, evidence, ELEMENTSOF(evidence), 0);
}

/* Half the members or more down at once leaves the rest without quorum under votequorum's
 * default rules, even where no surviving node's log is here to say so. (A QDevice or extra votes
 * change that; corosync.conf's quorum section is not weighed yet.) */
static bool quorum_implied(const Analysis *a, const Departure *d, size_t n_dep) {
        if (a->nodes_expected < 3)
                return false;
        for (size_t i = 0; i < n_dep; i++) {
                int down = 0;
                for (size_t k = 0; k < n_dep; k++)
                        down += d[k].at <= d[i].at && d[k].back > d[i].at;
                if ((a->nodes_expected - down) * 2 <= a->nodes_expected)
                        return true;
        }
        return false;
}

static bool retransmits_in(const Analysis *a, usec_t from, usec_t to) {
        static const EventKind retransmit[] = { EVENT_COROSYNC_RETRANSMIT };
        return analysis_find_event(a, -1, from, to, retransmit, 1) >= 0;
}

static Classification classify(const Analysis *a, Incident *inc, const Departure *d, size_t n_dep, bool *ret_cascade_overlap) {
        size_t clean = 0, crash = 0, fenced = 0, cut_off = 0, fenced_after_network = 0;
        for (size_t i = 0; i < n_dep; i++) {
                CauseKind k = d[i].kind;
                clean += cause_is_clean(k);
                crash += k == CAUSE_NODE_CRASH || k == CAUSE_NODE_LOST;
                fenced += k == CAUSE_FENCE;
                cut_off += k == CAUSE_NETWORK;
                /* Only trouble before the fence counts: the peers losing the node after its reset
                 * is the consequence, not a network fault. */
                if (k == CAUSE_FENCE)
                        fenced_after_network += analysis_network_precursor(a, d[i].at - CAUSE_WINDOW, d[i].at - 1, d, n_dep) >= 0;
        }
        *ret_cascade_overlap = false;
        if (n_dep > 0 && d[0].kind == CAUSE_STALL)
                return CLASS_NODE_STALL;
        if (cut_off > 0 || fenced_after_network > 0)
                return CLASS_NETWORK_PARTITION;
        if ((inc->quorum_lost || quorum_implied(a, d, n_dep)) && n_dep >= 2)
                return CLASS_QUORUM_LOSS;
        if (crash > 0 || fenced > 0)
                return CLASS_UNCLEAN_NODE_LOSS;
        if (n_dep == 0) {
                if (analysis_stalled_node(a, inc) >= 0)
                        return CLASS_NODE_STALL;
                if (timeline_has(a, "link.down", inc->start, inc->end, -1) || analysis_network_precursor(a, inc->start, inc->end, d, 0) >= 0 ||
                    retransmits_in(a, inc->start, inc->end))
                        return CLASS_LINK_INSTABILITY;
                return inc->quorum_lost ? CLASS_QUORUM_LOSS : CLASS_UNKNOWN;
        }
        if (clean == 1)
                return CLASS_NODE_REBOOT;
        for (size_t i = 1; i < n_dep; i++) {
                const Departure *prev = &d[i - 1];
                usec_t next_cause = d[i].at;
                if (prev->back > next_cause) {
                        *ret_cascade_overlap = true;
                        return CLASS_REBOOT_CASCADE;
                }
                char signals[256];
                unsettled_signals(a, prev->back, next_cause, signals, sizeof signals);
                if (signals[0])
                        return CLASS_REBOOT_CASCADE;
        }
        return CLASS_PLANNED_MAINTENANCE;
}

/* The lines of a departure: its reboot command, its leaving and its coming back (-1: none). */
static int reboot_line(const Departure *d) {
        return d->boot ? (d->boot->end_event >= 0 ? d->boot->end_event : d->boot->initiator_event) : -1;
}

static int left_line(const Analysis *a, const Departure *d) {
        return d->left >= 0 ? a->timeline[d->left].event : -1;
}

static int joined_line(const Analysis *a, const Departure *d) {
        return d->joined >= 0 ? a->timeline[d->joined].event : -1;
}

static int reboot_factors(const Analysis *a, Incident *inc, const Departure *d, size_t n_dep) {
        char t[RFC3339_MAX], gap[32], signals[256];
        int r = 0;
        for (size_t i = 1; i < n_dep && r >= 0; i++) {
                const Departure *prev = &d[i - 1];
                usec_t next_cause = d[i].at;
                TData *v = departure_vars(a, &d[i]);
                if (!v)
                        return -ENOMEM;
                tdata_set(v, "prev", a->nodes[prev->node].name);
                tdata_set(v, "at", clock_text(next_cause, t));
                if (prev->back > next_cause) {
                        tdata_setf(v, "expected", "%d", inc->nodes_expected);
                        r = add_factor(inc, "factor.reboot-while-degraded", v, reboot_line(&d[i]), left_line(a, prev));
                        continue;
                }
                unsettled_signals(a, prev->back, next_cause, signals, sizeof signals);
                tdata_set(v, "gap", duration_text(next_cause - prev->back, gap));
                tdata_set(v, "signals", signals);
                r = add_factor(inc, signals[0] ? "factor.reboot-while-unsettled" : "factor.reboot-after-quiet", v, joined_line(a, prev),
                               reboot_line(&d[i]));
        }
        return r;
}

/* Failed notifications, HA moves and recoveries, and pmxcfs losing corosync where its own node was
 * not going down (there it is the expected effect of corosync stopping first, not a factor). */
static int event_factors(const Analysis *a, Incident *inc, usec_t to) {
        char buf[256], targets[256] = "", errors[256] = "", services[512] = "", pmx_nodes[256] = "";
        int notify = 0, moves = 0, recoveries = 0, pmx = 0;
        int first_notify = -1, first_move = -1, first_recovery = -1, first_pmx = -1;
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < inc->start || e->cts > to)
                        continue;
                if (cevent_is(e, EVENT_NOTIFY_FAILED)) {
                        if (notify++ == 0)
                                first_notify = (int) i;
                        if (cevent_capture(e, "target", buf, sizeof buf))
                                list_append(targets, sizeof targets, ", ", buf);
                        if (cevent_capture(e, "error", buf, sizeof buf))
                                list_append(errors, sizeof errors, "; ", buf);
                } else if (cevent_is(e, EVENT_HA_MIGRATION) || cevent_is(e, EVENT_HA_RECOVERY)) {
                        bool recovery = cevent_is(e, EVENT_HA_RECOVERY);
                        if ((recovery ? recoveries++ : moves++) == 0)
                                *(recovery ? &first_recovery : &first_move) = (int) i;
                        if (cevent_capture(e, "sid", buf, sizeof buf)) {
                                if (strv_add_unique(&inc->ha_services, &inc->n_ha_services, &inc->n_ha_services_alloc, buf) < 0)
                                        return -ENOMEM;
                                list_append(services, sizeof services, ", ", buf);
                        }
                } else if ((cevent_is(e, EVENT_PMXCFS_DISPATCH_FAILED) || cevent_is(e, EVENT_PMXCFS_CPG_DISPATCH_FAILED) ||
                            cevent_is(e, EVENT_PMXCFS_INIT_FAILED)) &&
                           !analysis_event_explained(a, e)) {
                        if (pmx++ == 0)
                                first_pmx = (int) i;
                        list_append(pmx_nodes, sizeof pmx_nodes, ", ", a->nodes[e->node].name);
                }
        }
        inc->n_notify_failed = notify;
        int r = 0;
        if (notify > 0) {
                TData *v = tdata_new();
                tdata_setf(v, "count", "%d", notify);
                tdata_set(v, "targets", targets);
                tdata_set(v, "errors", errors);
                r = add_factor(inc, "factor.notify-failed", v, first_notify, -1);
        }
        if (r >= 0 && moves > 0) {
                TData *v = tdata_new();
                tdata_setf(v, "count", "%d", moves);
                tdata_set(v, "services", services);
                r = add_factor(inc, "factor.ha-migrations", v, first_move, -1);
        }
        if (r >= 0 && recoveries > 0) {
                TData *v = tdata_new();
                tdata_setf(v, "count", "%d", recoveries);
                r = add_factor(inc, "factor.ha-recovery", v, first_recovery, -1);
        }
        if (r >= 0 && pmx > 0) {
                TData *v = tdata_new();
                tdata_set(v, "nodes", pmx_nodes);
                tdata_setf(v, "count", "%d", pmx);
                r = add_factor(inc, "factor.pmxcfs-errors", v, first_pmx, -1);
        }
        return r;
}

static int add_question(Incident *inc, const char *key, TData *vars) {
        _cleanup_(tdata_freep) _unused_ TData *owned = vars;
        _cleanup_free_ char *text = phrase_render(key, vars);
        return text ? strv_add_unique(&inc->questions, &inc->n_questions, &inc->n_questions_alloc, text) : -ENOMEM;
}

/* A fence of node went through as far as the logs show: HA took its agent lock or recovered its
 * services, Pacemaker's fencer reported the result, or its own watchdog fired. */
static bool fence_confirmed(const Analysis *a, const Incident *inc, int node) {
        for (int i = 0; i < inc->n_fenced; i++)
                if (inc->fenced_nodes[i] == node)
                        return true;
        (void) a;
        return false;
}

/* What the logs at hand cannot settle, and which log would: conclusions resting on peers' word,
 * on one observer, or on a node's logs that stop before the incident. */
static int open_questions(const Analysis *a, Incident *inc, const Departure *d, size_t n_dep) {
        int r = 0;
        for (size_t i = 0; i < n_dep && r >= 0; i++) {
                TData *v = departure_vars(a, &d[i]);
                if (!v)
                        return -ENOMEM;
                if (d[i].isolated) {
                        tdata_setf(v, "peers_lost", "%d", d[i].peers_lost);
                        r = add_question(inc, "question.isolated", v);
                }
                else if ((d[i].kind == CAUSE_NODE_LOST || d[i].kind == CAUSE_CLEAN_LEAVE) && !d[i].own_log)
                        r = add_question(inc, a->nodes[d[i].node].has_logs ? "question.logs-stop" : "question.no-logs", v);
                else
                        tdata_free(v);
        }
        for (size_t i = 0; i < n_dep && r >= 0; i++) {
                if (d[i].fence < 0 || fence_confirmed(a, inc, d[i].node))
                        continue;
                TData *v = departure_vars(a, &d[i]);
                r = v ? add_question(inc, "question.fence-unconfirmed", v) : -ENOMEM;
        }
        for (size_t node = 0; node < a->n_nodes && r >= 0; node++) {
                usec_t first, last;
                Coverage c = analysis_coverage(a, (int) node, inc->start, inc->end, &first, &last);
                if (c != COVERAGE_NONE && c != COVERAGE_PARTIAL)
                        continue;
                TData *v = tdata_new();
                char t1[RFC3339_MAX], t2[RFC3339_MAX];
                if (!v)
                        return -ENOMEM;
                tdata_set(v, "node", a->nodes[node].name);
                const LogGap *gap = analysis_gap_in(a, (int) node, inc->start, inc->end);
                if (c == COVERAGE_PARTIAL && gap) {
                        first = gap->from;
                        last = gap->to;
                }
                tdata_set(v, "first", clock_text(first, t1));
                tdata_set(v, "last", clock_text(last, t2));
                r = add_question(inc, c == COVERAGE_NONE ? "question.coverage-none"
                                      : gap             ? "question.coverage-gap"
                                                        : "question.coverage-partial",
                                 v);
        }
        return r;
}

/* The node a timeline entry shows losing quorum (*ret_quorum) or fenced, or -1. */
static int affected_node(const Analysis *a, const Incident *inc, const TimelineEntry *t, bool *ret_quorum) {
        char target[256];
        *ret_quorum = false;
        if (is_kind(t, "quorum.lost") && t->ts <= inc->end) {
                *ret_quorum = true;
                return t->node;
        }
        if (is_kind(t, "node.fenced") && t->ts <= inc->end)
                return t->node;
        /* HA fenced it (took its agent lock), whether or not its own watchdog fired. */
        if (is_kind(t, "ha.fence") && t->event >= 0 && cevent_capture(&a->events[t->event], "target", target, sizeof target))
                return analysis_node_by_name(a, target);
        /* HA recovers a service from a node only once that node's fence is through. */
        if (is_kind(t, "ha.recovery") && t->event >= 0 && cevent_capture(&a->events[t->event], "from", target, sizeof target))
                return analysis_node_by_name(a, target);
        return -1;
}

static int node_set_add(int **v, int *n, size_t *alloc, int node) {
        for (int k = 0; k < *n; k++)
                if ((*v)[k] == node)
                        return 0;
        if (array_reserve(v, alloc, (size_t) *n + 1, sizeof **v, 4) < 0)
                return -ENOMEM;
        (*v)[(*n)++] = node;
        return 0;
}

/* The cluster-level events from the incident's start to `to`, and who lost quorum or was fenced. */
static int copy_timeline(const Analysis *a, Incident *inc, usec_t to) {
        for (size_t i = 0; i < a->n_timeline; i++) {
                const TimelineEntry *t = &a->timeline[i];
                if (t->ts < inc->start || t->ts > to)
                        continue;
                if (array_reserve(&inc->timeline, &inc->n_timeline_alloc, inc->n_timeline + 1, sizeof *inc->timeline, 16) < 0)
                        return -ENOMEM;
                TimelineEntry *p = &inc->timeline[inc->n_timeline++];
                *p = *t;
                p->summary = strdup(t->summary);
                if (!p->summary)
                        return -ENOMEM;
                bool quorum;
                int node = affected_node(a, inc, t, &quorum);
                int r = node < 0 ? 0
                        : quorum ? node_set_add(&inc->quorum_lost_nodes, &inc->n_quorum_lost, &inc->n_quorum_lost_alloc, node)
                                 : node_set_add(&inc->fenced_nodes, &inc->n_fenced, &inc->n_fenced_alloc, node);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int build_incident(Analysis *a, const PatternSet *patterns, Incident *inc, usec_t next_start) {
        Departure *d;
        size_t n_dep;
        int r = correlate_departures(a, inc->start, inc->end, &d, &n_dep);
        if (r < 0)
                return r;
        /* The incident starts with the cause of its first departure (a reboot request precedes the
         * member leaving by a minute). */
        for (size_t i = 0; i < n_dep; i++)
                inc->start = MIN(inc->start, d[i].at);
        usec_t to = MIN(inc->end + AFTERMATH, next_start);

        inc->nodes_expected = a->nodes_expected;
        inc->min_members = inc->nodes_expected;
        for (size_t i = 0; i < a->n_membership; i++) {
                const MemberPoint *m = &a->membership[i];
                bool in_effect = m->ts <= inc->end && (i + 1 == a->n_membership || a->membership[i + 1].ts > inc->start);
                if (in_effect && (m->count < inc->min_members || inc->min_members == 0))
                        inc->min_members = m->count;
        }
        r = copy_timeline(a, inc, to);
        inc->quorum_lost = inc->n_quorum_lost > 0;

        bool overlap = false;
        if (r >= 0) {
                inc->classification = classify(a, inc, d, n_dep, &overlap);
                r = correlate_hypotheses(a, inc, d, n_dep, overlap);
        }
        if (r >= 0)
                r = open_questions(a, inc, d, n_dep);
        if (r >= 0 && n_dep > 1)
                r = reboot_factors(a, inc, d, n_dep);
        if (r >= 0)
                r = event_factors(a, inc, to);
        if (r >= 0)
                r = correlate_outages(a, inc, to);
        if (r >= 0)
                r = correlate_postmortem(a, patterns, inc, d, n_dep, to);
        free(d);
        return r;
}

/* Length of the union of the spans (sorted by start) that lie inside [from, to]. */
static double union_seconds(const Span *s, size_t n, usec_t from, usec_t to) {
        usec_t total = 0, cur_start = 0, cur_end = INT64_MIN;
        for (size_t k = 0; k < n; k++) {
                if (s[k].start < from || s[k].end > to)
                        continue;
                if (s[k].start > cur_end) {
                        if (cur_end != INT64_MIN)
                                total += cur_end - cur_start;
                        cur_start = s[k].start, cur_end = s[k].end;
                } else
                        cur_end = MAX(cur_end, s[k].end);
        }
        if (cur_end != INT64_MIN)
                total += cur_end - cur_start;
        return (double) total / USEC_PER_SEC;
}

int correlate_incidents(Analysis *a, const PatternSet *patterns) {
        Span *s;
        size_t n;
        int r = degraded_spans(a, &s, &n);
        if (r < 0)
                return r;
        Span *merged = malloc((n + 1) * sizeof *merged);
        if (!merged) {
                free(s);
                return -ENOMEM;
        }
        /* Chain degradations that begin before the cluster was stable for STABLE_GAP. */
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
                if (m > 0 && s[i].start - merged[m - 1].end < STABLE_GAP)
                        merged[m - 1].end = MAX(merged[m - 1].end, s[i].end);
                else
                        merged[m++] = s[i];
        }
        for (size_t i = 0; i < m && r >= 0; i++) {
                /* Only incidents that touch the asked window. */
                if ((a->since != USEC_INVALID && merged[i].end < a->since) ||
                    (a->until != USEC_INVALID && merged[i].start >= a->until))
                        continue;
                if (array_reserve(&a->incidents, &a->n_incidents_alloc, a->n_incidents + 1, sizeof *a->incidents, 4) < 0) {
                        r = -ENOMEM;
                        break;
                }
                Incident *inc = &a->incidents[a->n_incidents++];
                *inc = (Incident){ .id = (int) a->n_incidents, .start = merged[i].start, .end = merged[i].end };
                inc->degraded_seconds = union_seconds(s, n, merged[i].start, merged[i].end);
                r = build_incident(a, patterns, inc, i + 1 < m ? merged[i + 1].start : INT64_MAX);
        }
        free(merged);
        free(s);
        return r;
}
