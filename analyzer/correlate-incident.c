/* correlate-incident.c: incidents, their classification and ranked root causes.
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
#include "template.h"

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
/* corosync detects a dead peer by its token timeout (3-10 s) plus consensus: the link and token
 * lines of this stretch before a member is lost are how its loss was noticed, not a cause. */
#define DETECTION_WINDOW (30 * USEC_PER_SEC)
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

static int push_span(Span **v, size_t *n, usec_t start, usec_t end) {
        Span *p = realloc(*v, (*n + 1) * sizeof *p);
        if (!p)
                return -ENOMEM;
        *v = p;
        p[(*n)++] = (Span){ start, MAX(start, end) };
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
        Span *v = NULL;
        size_t n = 0;
        int r = 0;
        for (size_t i = 0; i < a->n_membership && r >= 0; i++) {
                const MemberPoint *m = &a->membership[i];
                if (a->nodes_expected > 0 && m->count < a->nodes_expected)
                        r = push_span(&v, &n, m->ts, i + 1 < a->n_membership ? a->membership[i + 1].ts : m->ts);
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
                        r = push_span(&v, &n, t->ts, end);
                } else if (streq(t->kind, "node.crash") || streq(t->kind, "node.fenced") || streq(t->kind, "ha.fence"))
                        r = push_span(&v, &n, t->ts, t->ts);
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
                        r = push_span(&v, &n, e->cts, e->cts);
        }
        /* corosync itself in trouble with every member still there: a node's corosync stalled, or
         * the ring retransmitting and losing its token. */
        for (size_t i = 0; i < a->n_events && r >= 0; i++) {
                const CEvent *e = &a->events[i];
                if (cevent_is(e, EVENT_COROSYNC_PAUSED) || cevent_is(e, EVENT_COROSYNC_SCHED_MISS) ||
                    (cevent_is(e, EVENT_COROSYNC_TOKEN_LOST) && !analysis_event_explained(a, e)) ||
                    (cevent_is(e, EVENT_COROSYNC_RETRANSMIT) && retransmit_storm(a, i)))
                        r = push_span(&v, &n, e->cts, e->cts);
        }
        /* A node down for a reboot is missing from the cluster even where no membership line of
         * its peers is here to show it (its own log only). */
        for (size_t node = 0; node < a->n_nodes && r >= 0; node++) {
                const CNode *cn = &a->nodes[node];
                for (size_t b = 0; b + 1 < cn->n_boots && r >= 0; b++)
                        if (cn->boots[b].end != BOOT_END_RUNNING && cn->boots[b].end_at != USEC_INVALID)
                                r = push_span(&v, &n, cn->boots[b].end_at, cn->boots[b + 1].first);
        }
        if (r < 0) {
                free(v);
                return r;
        }
        if (n > 1)
                qsort(v, n, sizeof *v, compare_span);
        *ret = v;
        *ret_n = n;
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

static int strv_add_unique(char ***v, size_t *n, const char *s) {
        if (!s)
                return -ENOMEM;
        for (size_t i = 0; i < *n; i++)
                if (streq((*v)[i], s))
                        return 0;
        char **p = realloc(*v, (*n + 1) * sizeof *p);
        char *copy = strdup(s);
        if (!p || !copy) {
                free(copy);
                if (p)
                        *v = p;
                return -ENOMEM;
        }
        *v = p;
        p[(*n)++] = copy;
        return 0;
}

static int add_factor(Incident *inc, const char *key, TData *vars) {
        _cleanup_(tdata_freep) _unused_ TData *owned = vars;
        _cleanup_free_ char *text = phrase_render(key, vars);
        return text ? strv_add_unique(&inc->factors, &inc->n_factors, text) : -ENOMEM;
}

static int add_evidence(Hypothesis *h, int event) {
        if (event < 0)
                return 0;
        for (size_t i = 0; i < h->n_evidence; i++)
                if (h->evidence[i] == event)
                        return 0;
        int *p = realloc(h->evidence, (h->n_evidence + 1) * sizeof *p);
        if (!p)
                return -ENOMEM;
        h->evidence = p;
        p[h->n_evidence++] = event;
        return 0;
}

static int compare_evidence_time(const void *x, const void *y, void *userdata) {
        const Analysis *a = userdata;
        usec_t p = a->events[*(const int *) x].cts, q = a->events[*(const int *) y].cts;
        return p < q ? -1 : p > q;
}

static Hypothesis *add_hypothesis(Incident *inc, CauseKind kind, int node, usec_t at, double confidence) {
        Hypothesis *p = realloc(inc->hypotheses, (inc->n_hypotheses + 1) * sizeof *p);
        if (!p)
                return NULL;
        inc->hypotheses = p;
        Hypothesis *h = &p[inc->n_hypotheses++];
        *h = (Hypothesis){ .kind = kind, .node = node, .at = at, .confidence = confidence };
        return h;
}

static TData *departure_vars(const Analysis *a, const Departure *d) {
        TData *v = tdata_new();
        char t[RFC3339_MAX];
        if (!v)
                return NULL;
        tdata_set(v, "node", a->nodes[d->node].name);
        tdata_set(v, "at", clock_text(d->at, t));
        tdata_set(v, "left", clock_text(d->gone, t));
        if (d->back != INT64_MAX)
                tdata_set(v, "joined", clock_text(d->back, t));
        if (d->boot && d->boot->initiator)
                tdata_set(v, "initiator", d->boot->initiator);
        if (d->boot)
                tdata_set(v, "last", clock_text(d->boot->last, t));
        char reason[256];
        if (d->fence >= 0) {
                tdata_set(v, "fenced", "yes");
                tdata_set(v, "fencer", a->nodes[a->events[d->fence].node].name);
                tdata_set(v, "fence_at", clock_text(a->events[d->fence].cts, t));
                if (cevent_capture(&a->events[d->fence], "reason", reason, sizeof reason))
                        tdata_set(v, "reason", reason);
        }
        if (d->observers == 1)
                tdata_set(v, "one_observer", "yes");
        if (d->kind == CAUSE_CLEAN_LEAVE && d->clean_word < 0 && !d->own_log)
                tdata_set(v, "no_failure", "yes");
        return v;
}

static int departure_evidence(const Analysis *a, const Departure *d, Hypothesis *h) {
        int r = add_evidence(h, d->clean_word >= 0 ? d->clean_word : d->unclean_word);
        if (r >= 0 && d->boot)
                r = add_evidence(h, d->boot->initiator_event);
        if (r >= 0 && d->boot)
                r = add_evidence(h, d->boot->end_event);
        if (r >= 0 && d->left >= 0)
                r = add_evidence(h, a->timeline[d->left].event);
        if (r >= 0 && d->fence >= 0)
                r = add_evidence(h, d->fence);
        if (r >= 0 && d->joined >= 0)
                r = add_evidence(h, a->timeline[d->joined].event);
        return r;
}

static bool is_link_or_token(const CEvent *e) {
        return cevent_is(e, EVENT_COROSYNC_TOKEN_LOST) || cevent_is(e, EVENT_COROSYNC_LEAVE_MISSED) ||
               cevent_is(e, EVENT_KNET_HOST_UNREACHABLE) || cevent_is(e, EVENT_KNET_LINK_DOWN) || cevent_is(e, EVENT_COROSYNC_TOKEN_WARNING);
}

/* The event is how the cluster noticed a member that was already gone (not one cut off while it
 * ran): knet losing that host, the token timing out, the leave message missing. */
static bool is_detection(const Analysis *a, const CEvent *e, const Departure *d, size_t n_dep) {
        char host[24];
        for (size_t i = 0; i < n_dep; i++) {
                if (d[i].kind == CAUSE_NETWORK || e->cts < d[i].gone - DETECTION_WINDOW || e->cts > d[i].gone + 5 * USEC_PER_SEC)
                        continue;
                if (!cevent_capture(e, "host", host, sizeof host))
                        return true;
                if (strtoll(host, NULL, 10) == a->nodes[d[i].node].corosync_id)
                        return true;
        }
        return false;
}

/* Link or token trouble between nodes that were all still up: the network, not a node. */
static int network_precursor(const Analysis *a, usec_t from, usec_t to, const Departure *d, size_t n_dep) {
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < from || e->cts > to || analysis_event_explained(a, e))
                        continue;
                if (is_link_or_token(e) && !is_detection(a, e, d, n_dep))
                        return (int) i;
        }
        return -1;
}

/* Which side of the lost links a network fault sits on, from the knet lines in [from, to]: the node
 * whose own NIC or bond failed just before, else the node that lost its links to every peer, else
 * the one peer every lost link leads to (an observer that keeps its other links points at that
 * peer's side, not at itself); -1 when it cannot be told. */
/* A node whose own NIC or bond failed just before the links went: the fault is on its side. */
#define NIC_TO_LINK (30 * USEC_PER_SEC)

static int nic_failed_before(const Analysis *a, usec_t first_loss) {   /* its event, or -1 */
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts > first_loss + 5 * USEC_PER_SEC)
                        break;
                if (e->cts >= first_loss - NIC_TO_LINK &&
                    (cevent_is(e, EVENT_KERNEL_NIC_DOWN) || cevent_is(e, EVENT_KERNEL_BOND_FAILOVER)) &&
                    !analysis_event_explained(a, e))
                        return (int) i;
        }
        return -1;
}

static int link_loss_side(const Analysis *a, usec_t from, usec_t to) {
        int nic = nic_failed_before(a, from);
        if (nic >= 0)
                return a->events[nic].node;
        int pairs[64][2], n = 0;
        char host[24];
        for (size_t i = 0; i < a->n_events && n < 64; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < from || e->cts > to || !(cevent_is(e, EVENT_KNET_LINK_DOWN) || cevent_is(e, EVENT_KNET_HOST_UNREACHABLE)) ||
                    !cevent_capture(e, "host", host, sizeof host))
                        continue;
                int peer = analysis_node_by_corosync_id(a, strtoll(host, NULL, 10));
                if (peer >= 0)
                        pairs[n][0] = e->node, pairs[n++][1] = peer;
        }
        if (n == 0)
                return -1;
        for (size_t node = 0; node < a->n_nodes; node++) {
                bool lost[64] = { false };
                int counterparts = 0;
                for (int k = 0; k < n; k++) {
                        int other = pairs[k][0] == (int) node ? pairs[k][1] : pairs[k][1] == (int) node ? pairs[k][0] : -1;
                        if (other >= 0 && other < 64 && !lost[other])
                                lost[other] = true, counterparts++;
                }
                if (counterparts >= 2 && counterparts + 1 >= a->nodes_expected)
                        return (int) node;
        }
        /* Every lost link leads to one peer: that peer's side. */
        int common = pairs[0][1];
        for (int k = 1; k < n; k++)
                if (pairs[k][0] != common && pairs[k][1] != common)
                        return -1;
        bool peer_too = true;
        for (int k = 0; k < n; k++)
                peer_too &= pairs[k][0] == pairs[0][0] || pairs[k][1] == pairs[0][0];
        /* Both ends of one link, each losing only the other: the link itself. */
        return peer_too && pairs[0][0] != common && n > 1 && a->nodes[pairs[0][0]].has_logs && a->nodes[common].has_logs ? -1 : common;
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

/* The node whose corosync logged a stall inside the incident, or -1. */
static int stalled_node(const Analysis *a, const Incident *inc) {
        for (size_t node = 0; node < a->n_nodes; node++)
                if (analysis_stalled(a, (int) node, inc->start, inc->end))
                        return (int) node;
        return -1;
}

static bool retransmits_in(const Analysis *a, usec_t from, usec_t to) {
        for (size_t i = 0; i < a->n_events; i++)
                if (a->events[i].cts >= from && a->events[i].cts <= to && cevent_is(&a->events[i], EVENT_COROSYNC_RETRANSMIT))
                        return true;
        return false;
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
                        fenced_after_network += network_precursor(a, d[i].at - CAUSE_WINDOW, d[i].at - 1, d, n_dep) >= 0;
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
                if (stalled_node(a, inc) >= 0)
                        return CLASS_NODE_STALL;
                if (timeline_has(a, "link.down", inc->start, inc->end, -1) || network_precursor(a, inc->start, inc->end, d, 0) >= 0 ||
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
                        r = add_factor(inc, "factor.reboot-while-degraded", v);
                        continue;
                }
                unsettled_signals(a, prev->back, next_cause, signals, sizeof signals);
                tdata_set(v, "gap", duration_text(next_cause - prev->back, gap));
                tdata_set(v, "signals", signals);
                r = add_factor(inc, signals[0] ? "factor.reboot-while-unsettled" : "factor.reboot-after-quiet", v);
        }
        return r;
}

/* Failed notifications, HA moves and recoveries, pmxcfs complaints of nodes going down. */
static int event_factors(const Analysis *a, Incident *inc, usec_t to) {
        char buf[256], targets[256] = "", errors[256] = "", services[512] = "", pmx_nodes[256] = "";
        int notify = 0, moves = 0, recoveries = 0, pmx = 0;
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < inc->start || e->cts > to)
                        continue;
                if (cevent_is(e, EVENT_NOTIFY_FAILED)) {
                        notify++;
                        if (cevent_capture(e, "target", buf, sizeof buf))
                                list_append(targets, sizeof targets, ", ", buf);
                        if (cevent_capture(e, "error", buf, sizeof buf))
                                list_append(errors, sizeof errors, "; ", buf);
                } else if (cevent_is(e, EVENT_HA_MIGRATION) || cevent_is(e, EVENT_HA_RECOVERY)) {
                        cevent_is(e, EVENT_HA_RECOVERY) ? recoveries++ : moves++;
                        if (cevent_capture(e, "sid", buf, sizeof buf)) {
                                if (strv_add_unique(&inc->ha_services, &inc->n_ha_services, buf) < 0)
                                        return -ENOMEM;
                                list_append(services, sizeof services, ", ", buf);
                        }
                } else if (cevent_is(e, EVENT_PMXCFS_DISPATCH_FAILED) || cevent_is(e, EVENT_PMXCFS_CPG_DISPATCH_FAILED) ||
                           cevent_is(e, EVENT_PMXCFS_INIT_FAILED)) {
                        pmx++;
                        list_append(pmx_nodes, sizeof pmx_nodes, ", ", a->nodes[e->node].name);
                }
        }
        inc->n_notify_failed = notify;
        int r = 0;
        TData *v;
        if (notify > 0 && (v = tdata_new())) {
                tdata_setf(v, "count", "%d", notify);
                tdata_set(v, "targets", targets);
                tdata_set(v, "errors", errors);
                r = add_factor(inc, "factor.notify-failed", v);
        }
        if (r >= 0 && moves > 0 && (v = tdata_new())) {
                tdata_setf(v, "count", "%d", moves);
                tdata_set(v, "services", services);
                r = add_factor(inc, "factor.ha-migrations", v);
        }
        if (r >= 0 && recoveries > 0 && (v = tdata_new())) {
                tdata_setf(v, "count", "%d", recoveries);
                r = add_factor(inc, "factor.ha-recovery", v);
        }
        if (r >= 0 && pmx > 0 && (v = tdata_new())) {
                tdata_set(v, "nodes", pmx_nodes);
                tdata_setf(v, "count", "%d", pmx);
                r = add_factor(inc, "factor.pmxcfs-errors", v);
        }
        return r;
}

/* How far a departure can be trusted as the root: its own log is the best witness; its peers'
 * word alone counts less, and one observer's less again. */
static double departure_confidence(const Departure *d) {
        double c;
        switch (d->kind) {
        case CAUSE_NETWORK:
                if (d->nic >= 0)
                        return 0.8;    /* its own kernel saw its NIC or bond fail */
                c = d->isolated ? 0.5 : 0.6;
                break;
        case CAUSE_CLEAN_LEAVE:
                if (d->own_log)
                        return 0.8;    /* its own log shows corosync stopping on purpose */
                c = d->clean_word >= 0 ? 0.7 : 0.55;   /* announced, or only no failure logged */
                break;
        case CAUSE_NODE_LOST:
                c = 0.5;
                break;
        case CAUSE_FENCE:
                if (d->boot)
                        return 0.85;
                c = 0.7;       /* the fencer's word on why, not the node's own log */
                break;
        default:
                return 0.85;
        }
        return d->observers <= 1 ? c - 0.1 : c;
}

/* Up to max link and token lines in [from, to], as evidence of a network fault. */
static int link_evidence(const Analysis *a, Hypothesis *h, usec_t from, usec_t to, size_t max) {
        int r = 0;
        for (size_t i = 0; i < a->n_events && h->n_evidence < max && r >= 0; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts >= from && e->cts <= to &&
                    (strncmp(e->kind, "knet.", 5) == 0 || strncmp(e->kind, "corosync.token", 14) == 0 ||
                     cevent_is(e, EVENT_COROSYNC_LEAVE_MISSED) || cevent_is(e, EVENT_COROSYNC_QUORUM_LOST)))
                        r = add_evidence(h, (int) i);
        }
        return r;
}

static int network_hypothesis(const Analysis *a, Incident *inc, int net) {
        const CEvent *first = &a->events[net];
        int side = link_loss_side(a, first->cts, first->cts + DETECTION_WINDOW);
        Hypothesis *h = add_hypothesis(inc, CAUSE_NETWORK, side, first->cts, 0.7);
        TData *v = tdata_new();
        char t[RFC3339_MAX];
        if (!h || !v)
                return tdata_free(v), -ENOMEM;
        if (side >= 0)
                tdata_set(v, "node", a->nodes[side].name);
        tdata_set(v, "reporter", a->nodes[first->node].name);
        tdata_set(v, "at", clock_text(first->cts, t));
        h->summary = phrase_render("cause.network", v);
        tdata_free(v);
        int r = h->summary ? add_evidence(h, nic_failed_before(a, first->cts)) : -ENOMEM;
        return r < 0 ? r : link_evidence(a, h, first->cts, inc->end, 6);
}

static int departure_hypothesis(const Analysis *a, Incident *inc, const Departure *d, double conf) {
        Hypothesis *h = add_hypothesis(inc, d->kind, d->node, d->at, conf);
        TData *v = departure_vars(a, d);
        if (!h || !v)
                return tdata_free(v), -ENOMEM;
        char key[64];
        snprintf(key, sizeof key, "cause.%s",
                 d->kind == CAUSE_NETWORK ? "cut-off"
                 : d->kind == CAUSE_FENCE && !d->boot                         ? "fenced-by-peers"
                 : d->kind == CAUSE_CLEAN_LEAVE && a->nodes[d->node].has_logs ? "service-stop"
                                                                               : cause_kind_to_string(d->kind));
        if (d->isolated && d->nic < 0) {
                tdata_set(v, "isolated", "yes");
                tdata_setf(v, "peers_lost", "%d", d->peers_lost);
        }
        char t[RFC3339_MAX];
        if (d->nic >= 0) {
                tdata_set(v, "nic", a->events[d->nic].message);
                tdata_set(v, "nic_at", clock_text(a->events[d->nic].cts, t));
        }
        h->summary = phrase_render(key, v);
        tdata_free(v);
        int r = h->summary ? departure_evidence(a, d, h) : -ENOMEM;
        if (r >= 0)
                r = add_evidence(h, d->nic);
        if (r >= 0 && d->kind == CAUSE_NETWORK)
                r = link_evidence(a, h, d->gone - DETECTION_WINDOW, d->gone + DETECTION_WINDOW, h->n_evidence + 4);
        return r;
}

/* A member lost without its own logs may as well have been cut off while it ran: that stays a
 * competing explanation, and its logs would settle it. */
static int lost_or_cut_off(const Analysis *a, Incident *inc, const Departure *d) {
        Hypothesis *h = add_hypothesis(inc, CAUSE_NETWORK, d->node, d->gone, 0.25);
        TData *v = departure_vars(a, d);
        if (!h || !v)
                return tdata_free(v), -ENOMEM;
        h->summary = phrase_render("cause.lost-or-cut-off", v);
        tdata_free(v);
        return h->summary ? add_evidence(h, d->unclean_word) : -ENOMEM;
}

/* Corosync not scheduled on a node: the token runs out on that node, and its peers see what looks
 * like a network fault. The stall explains it. */
static int stall_hypothesis(const Analysis *a, Incident *inc, int node) {
        int first = -1;
        char ms[32] = "";
        for (size_t i = 0; i < a->n_events && first < 0; i++) {
                const CEvent *e = &a->events[i];
                if (e->node == node && e->cts >= inc->start && e->cts <= inc->end &&
                    (cevent_is(e, EVENT_COROSYNC_PAUSED) || cevent_is(e, EVENT_COROSYNC_SCHED_MISS)))
                        first = (int) i;
        }
        if (first < 0)
                return 0;
        Hypothesis *h = add_hypothesis(inc, CAUSE_STALL, node, a->events[first].cts, 0.6);
        TData *v = tdata_new();
        char t[RFC3339_MAX];
        if (!h || !v)
                return tdata_free(v), -ENOMEM;
        tdata_set(v, "node", a->nodes[node].name);
        tdata_set(v, "at", clock_text(a->events[first].cts, t));
        if (cevent_capture(&a->events[first], "ms", ms, sizeof ms))
                tdata_set(v, "ms", ms);
        h->summary = phrase_render("cause.stall", v);
        tdata_free(v);
        int r = h->summary ? add_evidence(h, first) : -ENOMEM;
        return r < 0 ? r : link_evidence(a, h, a->events[first].cts - DETECTION_WINDOW, inc->end, 6);
}

static int hypotheses(const Analysis *a, Incident *inc, const Departure *d, size_t n_dep, bool overlap) {
        int r = 0;
        int stalled = n_dep == 0 ? stalled_node(a, inc) : -1;
        if (stalled >= 0 && (r = stall_hypothesis(a, inc, stalled)) < 0)
                return r;
        /* A network fault before the first departure outranks the departure it caused; a member
         * cut off is itself the network fault, and a clean leave has no precursor. */
        bool first_explains = n_dep && (d[0].kind == CAUSE_NETWORK || cause_is_clean(d[0].kind));
        usec_t first_cause = n_dep ? d[0].at : inc->start;
        int net = first_explains || stalled >= 0 ? -1 : network_precursor(a, first_cause - CAUSE_WINDOW, n_dep ? first_cause - 1 : inc->end, d, n_dep);
        if (net >= 0)
                r = network_hypothesis(a, inc, net);
        for (size_t i = 0; i < n_dep && r >= 0; i++) {
                /* The first departure started it; later ones are contributing unless they overlap. */
                double conf = inc->n_hypotheses == 0 ? departure_confidence(&d[i]) : (overlap ? 0.35 : 0.25);
                r = departure_hypothesis(a, inc, &d[i], conf);
                if (r >= 0 && i == 0 && d[i].kind == CAUSE_NODE_LOST)
                        r = lost_or_cut_off(a, inc, &d[i]);
        }
        if (r >= 0 && inc->n_hypotheses == 0) {
                Hypothesis *h = add_hypothesis(inc, CAUSE_UNKNOWN, -1, inc->start, 0.2);
                if (!h)
                        return -ENOMEM;
                h->summary = phrase_render("cause.unknown", NULL);
        }
        /* The root gets the incident's consequences as evidence too: they are what it explains. */
        if (r >= 0 && inc->n_hypotheses > 0) {
                Hypothesis *root = &inc->hypotheses[0];
                for (size_t i = 1; i < inc->n_hypotheses && r >= 0; i++)
                        if (inc->hypotheses[i].n_evidence > 0)
                                r = add_evidence(root, inc->hypotheses[i].evidence[MIN((size_t) 1, inc->hypotheses[i].n_evidence - 1)]);
                /* And the first of each symptom people quote: lost alerts, pmxcfs losing corosync. */
                /* pmxcfs losing its CPG connection is the line people quote (CS_ERR_LIBRARY). */
                static const EventKind symptoms[] = { EVENT_NOTIFY_FAILED, EVENT_PMXCFS_CPG_DISPATCH_FAILED };
                for (size_t k = 0; k < ELEMENTSOF(symptoms) && r >= 0; k++)
                        for (size_t i = 0; i < a->n_events; i++) {
                                const CEvent *e = &a->events[i];
                                if (e->cts >= inc->start && e->cts <= inc->end + AFTERMATH &&
                                    cevent_is(e, symptoms[k])) {
                                        r = add_evidence(root, (int) i);
                                        break;
                                }
                        }
        }
        for (size_t i = 0; i < inc->n_hypotheses; i++)
                if (inc->hypotheses[i].n_evidence > 1)
                        qsort_r(inc->hypotheses[i].evidence, inc->hypotheses[i].n_evidence, sizeof(int),
                                compare_evidence_time, (void *) a);
        return r;
}

static int add_question(Incident *inc, const char *key, TData *vars) {
        _cleanup_(tdata_freep) _unused_ TData *owned = vars;
        _cleanup_free_ char *text = phrase_render(key, vars);
        return text ? strv_add_unique(&inc->questions, &inc->n_questions, text) : -ENOMEM;
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

static int collect_advice(const Analysis *a, const PatternSet *patterns, Incident *inc, usec_t to) {
        char key[64];
        snprintf(key, sizeof key, "advice.%s", classification_to_string(inc->classification));
        _cleanup_free_ char *general = phrase_render(key, NULL);
        int r = general && general[0] ? strv_add_unique(&inc->advice, &inc->n_advice, general) : 0;
        for (size_t i = 0; i < a->n_events && r >= 0; i++) {
                const CEvent *e = &a->events[i];
                /* Advice is for what went wrong, not for the expected noise of a clean reboot. */
                if (e->cts < inc->start || e->cts > to || e->severity < SEVERITY_WARNING || analysis_event_explained(a, e))
                        continue;
                const PatternRule *rule = patterns ? pattern_set_find(patterns, e->rule) : NULL;
                if (rule && rule->advice)
                        r = strv_add_unique(&inc->advice, &inc->n_advice, rule->advice);
        }
        return r;
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
        for (size_t i = 0; i < a->n_timeline && r >= 0; i++) {
                const TimelineEntry *t = &a->timeline[i];
                if (t->ts < inc->start || t->ts > to)
                        continue;
                TimelineEntry *p = realloc(inc->timeline, (inc->n_timeline + 1) * sizeof *p);
                if (!p) {
                        r = -ENOMEM;
                        break;
                }
                inc->timeline = p;
                p[inc->n_timeline] = *t;
                p[inc->n_timeline].summary = strdup(t->summary);
                if (!p[inc->n_timeline++].summary)
                        r = -ENOMEM;
                int *list = NULL, *count = NULL, node = t->node;
                char target[256];
                if (is_kind(t, "quorum.lost") && t->ts <= inc->end)
                        list = inc->quorum_lost_nodes, count = &inc->n_quorum_lost;
                else if (is_kind(t, "node.fenced") && t->ts <= inc->end)
                        list = inc->fenced_nodes, count = &inc->n_fenced;
                else if (is_kind(t, "ha.fence") && t->event >= 0 &&
                         cevent_capture(&a->events[t->event], "target", target, sizeof target)) {
                        /* HA fenced it (took its agent lock), whether or not its own watchdog fired. */
                        list = inc->fenced_nodes, count = &inc->n_fenced;
                        node = analysis_node_by_name(a, target);
                } else if (is_kind(t, "ha.recovery") && t->event >= 0 &&
                           cevent_capture(&a->events[t->event], "from", target, sizeof target)) {
                        /* HA recovers a service from a node only once that node's fence is through. */
                        list = inc->fenced_nodes, count = &inc->n_fenced;
                        node = analysis_node_by_name(a, target);
                }
                if (!count || node < 0)
                        continue;
                bool seen = false;
                for (int k = 0; k < *count; k++)
                        seen |= list[k] == node;
                if (seen)
                        continue;
                list = realloc(list, (size_t) (*count + 1) * sizeof *list);
                if (!list) {
                        r = -ENOMEM;
                        break;
                }
                list[(*count)++] = node;
                if (count == &inc->n_quorum_lost)
                        inc->quorum_lost_nodes = list;
                else
                        inc->fenced_nodes = list;
        }
        inc->quorum_lost = inc->n_quorum_lost > 0;

        bool overlap = false;
        if (r >= 0) {
                inc->classification = classify(a, inc, d, n_dep, &overlap);
                inc->severity = inc->quorum_lost || inc->n_fenced > 0 ? INCIDENT_CRITICAL
                                : inc->classification == CLASS_NODE_REBOOT || inc->classification == CLASS_PLANNED_MAINTENANCE ||
                                                  inc->classification == CLASS_LINK_INSTABILITY
                                        ? INCIDENT_MINOR
                                        : INCIDENT_MAJOR;
                r = hypotheses(a, inc, d, n_dep, overlap);
        }
        if (r >= 0)
                r = open_questions(a, inc, d, n_dep);
        if (r >= 0 && n_dep > 1)
                r = reboot_factors(a, inc, d, n_dep);
        if (r >= 0)
                r = event_factors(a, inc, to);
        if (r >= 0)
                r = collect_advice(a, patterns, inc, to);
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
                Incident *p = realloc(a->incidents, (a->n_incidents + 1) * sizeof *p);
                if (!p) {
                        r = -ENOMEM;
                        break;
                }
                a->incidents = p;
                Incident *inc = &p[a->n_incidents++];
                *inc = (Incident){ .id = (int) a->n_incidents, .start = merged[i].start, .end = merged[i].end };
                inc->degraded_seconds = union_seconds(s, n, merged[i].start, merged[i].end);
                r = build_incident(a, patterns, inc, i + 1 < m ? merged[i + 1].start : INT64_MAX);
        }
        free(merged);
        free(s);
        return r;
}
