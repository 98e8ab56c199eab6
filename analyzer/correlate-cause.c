/* correlate-cause.c: why an incident happened: its ranked hypotheses (a member's departure, a
 * network fault and which side of it, a corosync stall) with their confidence and evidence. A
 * network fault is only what went wrong while the nodes still ran: the link and token lines that
 * noticed a member already gone are its detection, not a cause. */
#include "correlate.h"
#include "report-template.h"

/* How long before a member left an earlier link or token problem may lie, to be its precursor. */
#define CAUSE_WINDOW (10 * USEC_PER_MINUTE)
/* How long after the incident its aftermath (alerts, HA moving services back) is shown with it. */
#define AFTERMATH (5 * USEC_PER_MINUTE)
/* corosync detects a dead peer by its token timeout (3-10 s) plus consensus: the link and token
 * lines of this stretch before a member is lost are how its loss was noticed, not a cause. */
#define DETECTION_WINDOW (30 * USEC_PER_SEC)

static Hypothesis *add_hypothesis(Incident *inc, CauseKind kind, int node, usec_t at, double confidence) {
        if (array_reserve(&inc->hypotheses, &inc->n_hypotheses_alloc, inc->n_hypotheses + 1, sizeof *inc->hypotheses, 4) < 0)
                return NULL;
        Hypothesis *h = &inc->hypotheses[inc->n_hypotheses++];
        *h = (Hypothesis){ .kind = kind, .node = node, .at = at, .confidence = confidence };
        return h;
}

TData *departure_vars(const Analysis *a, const Departure *d) {
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

/* What a departure rests on: the word on why it went, its own reboot command and how its boot
 * ended, a fence (the cause); its leaving and coming back (the turning points). */
static int departure_evidence(const Analysis *a, const Departure *d, Hypothesis *h) {
        int r = hypothesis_add_evidence(h, d->clean_word >= 0 ? d->clean_word : d->unclean_word, EVIDENCE_CAUSE);
        if (r >= 0 && d->boot)
                r = hypothesis_add_evidence(h, d->boot->initiator_event, EVIDENCE_CAUSE);
        if (r >= 0 && d->boot)
                r = hypothesis_add_evidence(h, d->boot->end_event, EVIDENCE_CAUSE);
        if (r >= 0 && d->left >= 0)
                r = hypothesis_add_evidence(h, a->timeline[d->left].event, EVIDENCE_TURN);
        if (r >= 0 && d->fence >= 0)
                r = hypothesis_add_evidence(h, d->fence, EVIDENCE_CAUSE);
        if (r >= 0 && d->joined >= 0)
                r = hypothesis_add_evidence(h, a->timeline[d->joined].event, EVIDENCE_TURN);
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
int analysis_network_precursor(const Analysis *a, usec_t from, usec_t to, const Departure *d, size_t n_dep) {
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

/* The node whose corosync logged a stall inside the incident, or -1. */
int analysis_stalled_node(const Analysis *a, const Incident *inc) {
        for (size_t node = 0; node < a->n_nodes; node++)
                if (analysis_stalled(a, (int) node, inc->start, inc->end))
                        return (int) node;
        return -1;
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

/* The role of a line of a network fault's window: links going down name the cause when the network
 * is the hypothesis (link_role), membership and quorum changes are its turning points, token lines
 * and a host left without links (what a link down means with one link) its symptoms; -1 for a
 * line that does not bear on it. */
static int window_role(const CEvent *e, EvidenceRole link_role) {
        if (cevent_is(e, EVENT_KNET_LINK_DOWN))
                return link_role;
        if (cevent_is(e, EVENT_KNET_LINK_UP) || cevent_is(e, EVENT_COROSYNC_MEMBERSHIP) ||
            cevent_is(e, EVENT_COROSYNC_QUORUM_MEMBERS) || cevent_is(e, EVENT_COROSYNC_QUORUM_LOST) ||
            cevent_is(e, EVENT_COROSYNC_QUORUM_REGAINED))
                return EVIDENCE_TURN;
        if (strncmp(e->kind, "knet.", 5) == 0 || strncmp(e->kind, "corosync.token", 14) == 0 ||
            cevent_is(e, EVENT_COROSYNC_LEAVE_MISSED))
                return EVIDENCE_SYMPTOM;
        return -1;
}

/* Every link, token, membership and quorum line in [from, to] as a candidate: which of them are
 * cited is hypothesis_select_evidence()'s choice. */
static int window_evidence(const Analysis *a, Hypothesis *h, usec_t from, usec_t to, EvidenceRole link_role) {
        int r = 0;
        for (size_t i = 0; i < a->n_events && r >= 0; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < from)
                        continue;
                if (e->cts > to)
                        break; /* events are sorted by corrected time */
                int role = window_role(e, link_role);
                if (role >= 0)
                        r = hypothesis_add_evidence(h, (int) i, (EvidenceRole) role);
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
        int r = h->summary ? hypothesis_add_evidence(h, nic_failed_before(a, first->cts), EVIDENCE_CAUSE) : -ENOMEM;
        if (r >= 0)
                r = hypothesis_add_evidence(h, net, EVIDENCE_CAUSE);
        return r < 0 ? r : window_evidence(a, h, first->cts, inc->end, EVIDENCE_CAUSE);
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
                r = hypothesis_add_evidence(h, d->nic, EVIDENCE_CAUSE);
        if (r >= 0 && d->kind == CAUSE_NETWORK)
                r = window_evidence(a, h, d->gone - DETECTION_WINDOW, d->gone + DETECTION_WINDOW, EVIDENCE_CAUSE);
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
        return h->summary ? hypothesis_add_evidence(h, d->unclean_word, EVIDENCE_CAUSE) : -ENOMEM;
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
        int r = h->summary ? hypothesis_add_evidence(h, first, EVIDENCE_CAUSE) : -ENOMEM;
        /* The links and the token failing are what the stall caused, not what caused it. */
        return r < 0 ? r : window_evidence(a, h, a->events[first].cts - DETECTION_WINDOW, inc->end, EVIDENCE_SYMPTOM);
}

/* The root gets the incident's consequences as evidence too, since they are what it explains: the
 * other hypotheses' key lines, and the first of each symptom people quote (lost alerts, pmxcfs
 * losing its CPG connection: "cpg_dispatch failed: CS_ERR_LIBRARY"). */
static int root_consequences(const Analysis *a, Incident *inc) {
        Hypothesis *root = &inc->hypotheses[0];
        int r = 0;
        for (size_t i = 1; i < inc->n_hypotheses && r >= 0; i++)
                if (inc->hypotheses[i].n_evidence > 0)
                        r = hypothesis_add_evidence(root, inc->hypotheses[i].evidence[MIN((size_t) 1, inc->hypotheses[i].n_evidence - 1)],
                                                    EVIDENCE_TURN);
        static const EventKind symptoms[] = { EVENT_NOTIFY_FAILED, EVENT_PMXCFS_CPG_DISPATCH_FAILED };
        for (size_t k = 0; k < ELEMENTSOF(symptoms) && r >= 0; k++)
                for (size_t i = 0; i < a->n_events; i++) {
                        const CEvent *e = &a->events[i];
                        if (e->cts >= inc->start && e->cts <= inc->end + AFTERMATH && cevent_is(e, symptoms[k])) {
                                r = hypothesis_add_evidence(root, (int) i, EVIDENCE_SYMPTOM);
                                break;
                        }
                }
        return r;
}

int correlate_hypotheses(const Analysis *a, Incident *inc, const Departure *d, size_t n_dep, bool overlap) {
        int r = 0;
        int stalled = n_dep == 0 ? analysis_stalled_node(a, inc) : -1;
        if (stalled >= 0 && (r = stall_hypothesis(a, inc, stalled)) < 0)
                return r;
        /* A network fault before the first departure outranks the departure it caused; a member
         * cut off is itself the network fault, and a clean leave has no precursor. */
        bool first_explains = n_dep && (d[0].kind == CAUSE_NETWORK || cause_is_clean(d[0].kind));
        usec_t first_cause = n_dep ? d[0].at : inc->start;
        int net = first_explains || stalled >= 0 ? -1 : analysis_network_precursor(a, first_cause - CAUSE_WINDOW, n_dep ? first_cause - 1 : inc->end, d, n_dep);
        if (net >= 0)
                r = network_hypothesis(a, inc, net);
        for (size_t i = 0; i < n_dep && r >= 0; i++) {
                /* The first departure started it; later ones are contributing unless they overlap. */
                double conf = inc->n_hypotheses == 0 ? departure_confidence(&d[i]) : (overlap ? 0.35 : 0.25);
                r = departure_hypothesis(a, inc, &d[i], conf);
                /* Another member going is the incident going on (the next reboot, a second node lost
                 * with the first), not a rival explanation of how it began. */
                if (r >= 0 && i > 0)
                        inc->hypotheses[inc->n_hypotheses - 1].subsequent = true;
                if (r >= 0 && i == 0 && d[i].kind == CAUSE_NODE_LOST)
                        r = lost_or_cut_off(a, inc, &d[i]);
        }
        if (r >= 0 && inc->n_hypotheses == 0) {
                Hypothesis *h = add_hypothesis(inc, CAUSE_UNKNOWN, -1, inc->start, 0.2);
                if (!h || !(h->summary = phrase_render("cause.unknown", NULL)))
                        return -ENOMEM;
        }
        if (r >= 0 && inc->n_hypotheses > 0)
                r = root_consequences(a, inc);
        for (size_t i = 0; i < inc->n_hypotheses && r >= 0; i++)
                r = hypothesis_select_evidence(a, &inc->hypotheses[i]);
        return r;
}

