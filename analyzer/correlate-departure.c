/* correlate-departure.c: which members went away in an incident, when, and why, decided from the
 * best evidence at hand. A node's own log comes first (its reboot request, shutdown trail,
 * watchdog, or lines that simply stop); without it, what its peers logged about it: a clean leave
 * ("Node N was shut down by sysadmin"), an unclean one ("Failed to receive the leave message",
 * token loss, knet losing the host), a fence by the HA CRM or Pacemaker. A node that left without
 * its own logs and without a clean leave is "lost, cause unknown": from its peers' side a crash,
 * a power loss and a cable pulled at that node look the same.
 *
 * One view needs care: a node that sees several peers leave at once, uncleanly, and loses quorum
 * is far more likely on the side that was cut off than the survivor of its peers' simultaneous
 * deaths; the departures are then read as that observer's (with its side), said with that caveat.
 * A node whose own corosync logged a stall, or whose own links went before it was reset, is read
 * from that: it stalled, or it was cut off. */
#include "correlate.h"

/* How long before a member left its own reboot request or crash may lie, to explain it. */
#define CAUSE_WINDOW (10 * USEC_PER_MINUTE)
/* Peers announce a clean leave, or log their failure to get one, within this of the change. */
#define ANNOUNCE_WINDOW (60 * USEC_PER_SEC)
/* A node that went on logging this long after it left was alive: it was cut off. */
#define ALIVE_AFTER (10 * USEC_PER_SEC)
/* How long before the cluster lost a node its own log may show it losing its links: knet's
 * ping timeout plus corosync's token timeout and consensus. */
#define CUT_OFF_NOTICE (30 * USEC_PER_SEC)
/* Departures this close together are one membership change. */
#define SAME_CHANGE (10 * USEC_PER_SEC)
/* How long after the loss HA or Pacemaker fence the node (agent lock expiry, stonith timeout). */
#define FENCE_WINDOW (10 * USEC_PER_MINUTE)

static const char *const cause_names[_CAUSE_MAX] = {
        [CAUSE_MANUAL_REBOOT] = "manual-reboot", [CAUSE_PLANNED_SHUTDOWN] = "planned-shutdown",
        [CAUSE_NODE_CRASH] = "node-crash",       [CAUSE_FENCE] = "fence",
        [CAUSE_NETWORK] = "network",             [CAUSE_CLEAN_LEAVE] = "clean-leave",
        [CAUSE_NODE_LOST] = "node-lost",         [CAUSE_STALL] = "stall",
        [CAUSE_UNKNOWN] = "unknown",
};

const char *cause_kind_to_string(CauseKind k) {
        return k >= 0 && k < _CAUSE_MAX ? cause_names[k] : "unknown";
}

bool cause_is_clean(CauseKind k) {
        return k == CAUSE_MANUAL_REBOOT || k == CAUSE_PLANNED_SHUTDOWN || k == CAUSE_CLEAN_LEAVE;
}

/* The boot of node whose end explains leaving at t: it ended (or was asked to end) shortly before. */
static const CBoot *explaining_boot(const Analysis *a, int node, usec_t t) {
        if (node < 0)
                return NULL;
        const CNode *cn = &a->nodes[node];
        for (size_t i = 0; i < cn->n_boots; i++) {
                const CBoot *b = &cn->boots[i];
                if (b->end == BOOT_END_RUNNING)
                        continue;
                /* A crash ends when the peers lost the node (see correlate-boots.c), which may be
                 * long after a quiet node's last line. */
                usec_t from = b->end_at != USEC_INVALID ? (b->end == BOOT_END_CRASH ? b->end_at : MIN(b->end_at, b->last))
                                                        : b->last;
                if (from <= t + 30 * USEC_PER_SEC && MAX(from, b->last) >= t - CAUSE_WINDOW)
                        return b;
        }
        return NULL;
}

/* Its own log goes on after t: the node was alive when the cluster lost it. */
static bool logged_through(const Analysis *a, int node, usec_t t) {
        const CNode *cn = &a->nodes[node];
        for (size_t i = 0; i < cn->n_boots; i++)
                if (cn->boots[i].first <= t && cn->boots[i].last >= t + ALIVE_AFTER)
                        return true;
        return false;
}

static bool names_node(const Analysis *a, const CEvent *e, int node) {
        char buf[512];
        int64_t ids[64];
        int64_t cid = a->nodes[node].corosync_id;
        if (cevent_capture(e, "target", buf, sizeof buf) && analysis_node_by_name(a, buf) == node)
                return true;
        if (cid <= 0)
                return false;
        static const char *const id_captures[] = { "nodeid", "host", "left" };
        for (size_t k = 0; k < ELEMENTSOF(id_captures); k++)
                if (cevent_capture(e, id_captures[k], buf, sizeof buf))
                        return ids_contain(ids, analysis_parse_ids(buf, ids, 64), cid);
        return false;
}

/* First event of another node, in [from, to], of one of the kinds, about node; -1. */
static int peer_event(const Analysis *a, int node, usec_t from, usec_t to, const EventKind *kinds, size_t n_kinds) {
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < from || e->node == node)
                        continue;
                if (e->cts > to)
                        break;
                for (size_t k = 0; k < n_kinds; k++)
                        if (cevent_is(e, kinds[k]) && names_node(a, e, node))
                                return (int) i;
        }
        return -1;
}

static const EventKind clean_words[] = { EVENT_COROSYNC_MEMBER_SHUTDOWN, EVENT_PCMK_PEER_SHUTDOWN };
static const EventKind unclean_words[] = { EVENT_COROSYNC_LEAVE_MISSED, EVENT_KNET_HOST_UNREACHABLE, EVENT_PCMK_PEER_LOST };
static const EventKind fence_words[] = { EVENT_HA_FENCE_ACKNOWLEDGED, EVENT_PCMK_FENCE_DONE, EVENT_PCMK_FENCE_REQUESTED,
                                           EVENT_PCMK_FENCE_SCHEDULED };

static bool is_fence_state(const CEvent *e) {
        char to[32];
        return cevent_is(e, EVENT_HA_NODE_STATE) && cevent_capture(e, "to", to, sizeof to) && streq(to, "fence");
}

static int peer_fence(const Analysis *a, int node, usec_t gone) {
        int best = peer_event(a, node, gone - ANNOUNCE_WINDOW, gone + FENCE_WINDOW, fence_words, ELEMENTSOF(fence_words));
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts >= gone - ANNOUNCE_WINDOW && e->cts <= gone + FENCE_WINDOW && is_fence_state(e) &&
                    names_node(a, e, node) && (best < 0 || e->cts < a->events[best].cts))
                        return (int) i;
        }
        return best;
}

/* Its corosync stopped on purpose just before: a service stop, not a failure. */
static bool own_corosync_stop(const Analysis *a, int node, usec_t gone) {
        return analysis_corosync_stop_after(a, node, gone - ANNOUNCE_WINDOW, gone + 1) <= gone;
}

/* The node itself logged losing its links or the token just before the cluster lost it: it was
 * alive and cut off, whatever reset it afterwards (a stonith reboot, its watchdog). A node that
 * crashes or loses power logs nothing of the kind. */
static bool saw_itself_cut_off(const Analysis *a, int node, usec_t gone) {
        static const EventKind cut[] = { EVENT_KNET_LINK_DOWN, EVENT_KNET_HOST_UNREACHABLE, EVENT_COROSYNC_TOKEN_LOST };
        return analysis_find_event(a, node, gone - CUT_OFF_NOTICE, gone + 5 * USEC_PER_SEC, cut, ELEMENTSOF(cut)) >= 0;
}

/* Corosync on the node itself logged that it was not scheduled (a process pause) around the
 * time the cluster lost it: the node stalled, and the token ran out on it. */
bool analysis_stalled(const Analysis *a, int node, usec_t from, usec_t to) {
        static const EventKind stall[] = { EVENT_COROSYNC_PAUSED, EVENT_COROSYNC_SCHED_MISS };
        return analysis_find_event(a, node, from, to, stall, ELEMENTSOF(stall)) >= 0;
}

/* Any observer noticing a failure around the change: the token late or lost, a leave missed. */
static bool token_trouble(const Analysis *a, usec_t gone) {
        static const EventKind trouble[] = { EVENT_COROSYNC_TOKEN_LOST, EVENT_COROSYNC_TOKEN_WARNING,
                                             EVENT_COROSYNC_LEAVE_MISSED };
        return analysis_find_event(a, -1, gone - CUT_OFF_NOTICE, gone + 5 * USEC_PER_SEC, trouble, ELEMENTSOF(trouble)) >= 0;
}

static CauseKind kind_of(const Analysis *a, const Departure *d) {
        if (analysis_stalled(a, d->node, d->gone - ANNOUNCE_WINDOW, d->gone + 30 * USEC_PER_SEC))
                return CAUSE_STALL;
        if (d->boot && (d->boot->end == BOOT_END_CRASH || d->boot->end == BOOT_END_FENCED) &&
            saw_itself_cut_off(a, d->node, d->gone))
                return CAUSE_NETWORK;
        if (d->boot)
                switch (d->boot->end) {
                case BOOT_END_CLEAN_REBOOT:
                        return CAUSE_MANUAL_REBOOT;
                case BOOT_END_CLEAN_POWEROFF:
                        return CAUSE_PLANNED_SHUTDOWN;
                case BOOT_END_FENCED:
                        return CAUSE_FENCE;
                default:
                        return CAUSE_NODE_CRASH;
                }
        if (a->nodes[d->node].has_logs && logged_through(a, d->node, d->gone))
                return own_corosync_stop(a, d->node, d->gone) ? CAUSE_CLEAN_LEAVE : CAUSE_NETWORK;
        /* Its own log ends with corosync stopped on purpose, a moment before its peers noticed (they
         * may still log a missed leave: corosync 2 could drop the leave message of nodes stopping
         * together). */
        if (a->nodes[d->node].has_logs && own_corosync_stop(a, d->node, d->gone))
                return CAUSE_CLEAN_LEAVE;
        if (d->clean_word >= 0)
                return CAUSE_CLEAN_LEAVE;
        /* Fenced by its peers' decision with no loss of it before (a failed resource, an
         * operator): the fence is the cause. */
        if (d->fence >= 0 && d->unclean_word < 0 && d->left < 0)
                return CAUSE_FENCE;
        /* corosync logs a member's failure (the token lost, the leave message missed) only when
         * there was one: a leave with neither is a member whose leave message arrived. */
        if (d->unclean_word < 0 && d->fence < 0 && !token_trouble(a, d->gone))
                return CAUSE_CLEAN_LEAVE;
        return CAUSE_NODE_LOST;
}

static int count_observers(const Analysis *a, const Departure *d) {
        bool seen[64] = { false };
        int n = 0;
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < d->gone - ANNOUNCE_WINDOW || e->node == d->node || e->node >= 64 || seen[e->node])
                        continue;
                if (e->cts > d->gone + ANNOUNCE_WINDOW)
                        break;
                if ((strncmp(e->kind, "corosync.", 9) == 0 ||
                     strncmp(e->kind, "knet.", 5) == 0 || strncmp(e->kind, "pcmk.", 5) == 0 || cevent_is(e, EVENT_HA_NODE_STATE)) &&
                    (names_node(a, e, d->node) || cevent_is(e, EVENT_COROSYNC_QUORUM_MEMBERS))) {
                        seen[e->node] = true;
                        n++;
                }
        }
        return n;
}

/* When the node was back: its node.joined, else (its own view only) its first committed
 * membership after the next boot; INT64_MAX when it did not come back in the logs. */
static usec_t back_time(const Analysis *a, const Departure *d) {
        if (d->joined >= 0)
                return a->timeline[d->joined].ts;
        const CNode *cn = &a->nodes[d->node];
        for (size_t b = 0; b < cn->n_boots; b++) {
                if (cn->boots[b].first <= d->gone)
                        continue;
                for (size_t i = 0; i < a->n_events; i++) {
                        const CEvent *e = &a->events[i];
                        if (e->node == d->node && e->cts >= cn->boots[b].first && cevent_is(e, EVENT_COROSYNC_QUORUM_MEMBERS))
                                return e->cts;
                }
                break;
        }
        return INT64_MAX;
}

static int next_joined(const Analysis *a, int node, usec_t after) {
        for (size_t k = 0; k < a->n_timeline; k++)
                if (a->timeline[k].ts > after && a->timeline[k].node == node && streq(a->timeline[k].kind, "node.joined"))
                        return (int) k;
        return -1;
}

/* The node's own kernel reporting its NIC down or its bond failing over shortly before. */
static int own_nic_failure(const Analysis *a, int node, usec_t gone) {
        static const EventKind nic[] = { EVENT_KERNEL_NIC_DOWN, EVENT_KERNEL_BOND_FAILOVER };
        return analysis_find_event(a, node, gone - 2 * CUT_OFF_NOTICE, gone, nic, ELEMENTSOF(nic));
}

static void settle(const Analysis *a, Departure *d) {
        d->boot = explaining_boot(a, d->node, d->gone);
        d->clean_word = peer_event(a, d->node, d->gone - ANNOUNCE_WINDOW, d->gone + 30 * USEC_PER_SEC, clean_words,
                                   ELEMENTSOF(clean_words));
        d->unclean_word = peer_event(a, d->node, d->gone - ANNOUNCE_WINDOW, d->gone + 30 * USEC_PER_SEC, unclean_words,
                                     ELEMENTSOF(unclean_words));
        d->fence = peer_fence(a, d->node, d->gone);
        d->kind = kind_of(a, d);
        d->own_log = d->boot || (a->nodes[d->node].has_logs && (d->kind == CAUSE_NETWORK || d->kind == CAUSE_STALL ||
                                                                 own_corosync_stop(a, d->node, d->gone)));
        d->at = d->boot && d->boot->end_at != USEC_INVALID ? MIN(d->boot->end_at, d->gone) : d->gone;
        d->back = back_time(a, d);
        d->nic = d->kind == CAUSE_NETWORK ? own_nic_failure(a, d->node, d->gone) : -1;
        d->observers = count_observers(a, d);
}

typedef struct Departures {
        Departure *v;
        size_t n;
        size_t n_alloc;        /* capacity of v */
} Departures;

static int push(Departures *ds, Departure d) {
        if (array_reserve(&ds->v, &ds->n_alloc, ds->n + 1, sizeof *ds->v, 8) < 0)
                return -ENOMEM;
        ds->v[ds->n++] = d;
        return 0;
}

static bool has_departure(const Departure *d, size_t n, int node, usec_t from, usec_t to) {
        for (size_t i = 0; i < n; i++)
                if (d[i].node == node && d[i].gone >= from && d[i].gone <= to)
                        return true;
        return false;
}

/* Membership changes first: they are what the cluster saw. */
static int from_membership(const Analysis *a, usec_t start, usec_t end, Departures *ds) {
        for (size_t i = 0; i < a->n_timeline; i++) {
                const TimelineEntry *t = &a->timeline[i];
                if (!streq(t->kind, "node.left") || t->ts < start || t->ts > end || t->node < 0)
                        continue;
                Departure d = { .node = t->node, .left = (int) i, .gone = t->ts };
                d.joined = next_joined(a, t->node, t->ts);
                settle(a, &d);
                int r = push(ds, d);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* A node's own log of going down when no membership change shows it (its own view only, or
 * peers whose logs lack the change). */
static int from_own_logs(const Analysis *a, usec_t start, usec_t end, Departures *ds) {
        size_t n_members = ds->n;
        for (size_t node = 0; node < a->n_nodes; node++) {
                const CNode *cn = &a->nodes[node];
                for (size_t b = 0; b < cn->n_boots; b++) {
                        const CBoot *boot = &cn->boots[b];
                        if (boot->end == BOOT_END_RUNNING || boot->end_at == USEC_INVALID || boot->end_at < start ||
                            boot->end_at > end ||
                            has_departure(ds->v, n_members, (int) node, boot->end_at - USEC_PER_MINUTE, boot->end_at + CAUSE_WINDOW))
                                continue;
                        Departure d = { .node = (int) node, .left = -1, .gone = boot->end == BOOT_END_CRASH ? boot->end_at : boot->last };
                        d.joined = next_joined(a, (int) node, d.gone);
                        settle(a, &d);
                        int r = push(ds, d);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* A member known only by its id left in [from, to]: a fence of a node known only by its name
 * then is most likely the same loss seen by name. */
static bool unnamed_departure(const Analysis *a, const Departure *d, size_t n, usec_t from, usec_t to) {
        for (size_t i = 0; i < n; i++)
                if (d[i].gone >= from && d[i].gone <= to && !a->nodes[d[i].node].has_logs &&
                    strncmp(a->nodes[d[i].node].name, "node ", 5) == 0)
                        return true;
        return false;
}

/* A peer's word that a node was lost or fenced (HA CRM, Pacemaker) when nothing else here shows it
 * going: an excerpt of the fencing node only. The loss came first; the fence is its outcome. */
static int from_fences(const Analysis *a, usec_t start, usec_t end, Departures *ds) {
        char target[256];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < start || e->cts > end ||
                    !(cevent_is(e, EVENT_HA_FENCE_ACKNOWLEDGED) || cevent_is(e, EVENT_PCMK_FENCE_DONE) ||
                      cevent_is(e, EVENT_PCMK_FENCE_SCHEDULED) ||
                      cevent_is(e, EVENT_PCMK_FENCE_REQUESTED) || is_fence_state(e) ||
                      /* Pacemaker's own peer list only where corosync's membership is not in the logs:
                       * a cut-off node's Pacemaker reports all its healthy peers lost. */
                      (cevent_is(e, EVENT_PCMK_PEER_LOST) && a->n_membership == 0)) ||
                    !cevent_capture(e, "target", target, sizeof target))
                        continue;
                int node = analysis_node_by_name(a, target);
                if (node < 0 || has_departure(ds->v, ds->n, node, e->cts - FENCE_WINDOW, e->cts + ANNOUNCE_WINDOW) ||
                    (a->nodes[node].corosync_id <= 0 && unnamed_departure(a, ds->v, ds->n, e->cts - FENCE_WINDOW, e->cts)))
                        continue;
                int lost = peer_event(a, node, e->cts - FENCE_WINDOW, e->cts, unclean_words, ELEMENTSOF(unclean_words));
                Departure d = { .node = node, .left = -1, .gone = lost >= 0 ? a->events[lost].cts : e->cts };
                d.joined = next_joined(a, node, d.gone);
                settle(a, &d);
                int r = push(ds, d);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool lost_quorum(const Analysis *a, int node, usec_t from, usec_t to) {
        for (size_t i = 0; i < a->n_timeline; i++) {
                const TimelineEntry *t = &a->timeline[i];
                if (t->node == node && t->ts >= from && t->ts <= to && streq(t->kind, "quorum.lost"))
                        return true;
        }
        return false;
}

/* The observer of a change in which all its peers went at once, uncleanly, while it lost
 * quorum: -1 when the change does not look like that. */
static int isolated_observer(const Analysis *a, const Departure *d, size_t n, size_t first, size_t count) {
        if (count < 2)
                return -1;
        for (size_t i = first; i < first + count; i++)
                if (d[i].kind != CAUSE_NODE_LOST)
                        return -1;
        int observer = -1;
        for (size_t node = 0; node < a->n_nodes; node++) {
                bool departed = false;
                for (size_t i = 0; i < n; i++)
                        departed |= d[i].node == (int) node && d[i].left >= 0 && d[i].gone >= d[first].gone - SAME_CHANGE &&
                                    d[i].gone <= d[first].gone + SAME_CHANGE;
                if (departed || !a->nodes[node].has_logs ||
                    !lost_quorum(a, (int) node, d[first].gone - SAME_CHANGE, d[first].gone + ANNOUNCE_WINDOW))
                        continue;
                /* Several observers on the side that lost quorum: the first stands for it. */
                if (observer < 0)
                        observer = (int) node;
        }
        return observer;
}

static int compare_departure(const void *x, const void *y) {
        const Departure *a = x, *b = y;
        return a->at < b->at ? -1 : a->at > b->at;
}

/* Replace [first, first + count) by one departure of the cut-off observer; its own later end
 * (the watchdog fence that followed) is part of it. */
static void read_as_isolation(const Analysis *a, Departure *d, size_t *n, size_t first, size_t count, int observer) {
        Departure cut = { .node = observer, .left = d[first].left, .gone = d[first].gone, .joined = -1 };
        for (size_t i = first; i < first + count; i++)
                if (d[i].joined >= 0 && (cut.joined < 0 || d[i].joined < cut.joined))
                        cut.joined = d[i].joined;
        settle(a, &cut);
        cut.boot = NULL;
        cut.kind = CAUSE_NETWORK;
        cut.at = cut.gone;
        cut.isolated = true;
        cut.peers_lost = (int) count;
        cut.nic = own_nic_failure(a, observer, cut.gone);
        size_t kept = 0;
        for (size_t i = 0; i < *n; i++) {
                bool in_group = i >= first && i < first + count;
                bool own_end = d[i].node == observer && d[i].gone >= cut.gone && d[i].gone <= cut.gone + CAUSE_WINDOW;
                if (i == first)
                        d[kept++] = cut;
                else if (!in_group && !own_end)
                        d[kept++] = d[i];
        }
        *n = kept;
}

int correlate_departures(const Analysis *a, usec_t start, usec_t end, Departure **ret, size_t *ret_n) {
        Departures ds = { 0 };
        int r = from_membership(a, start, end, &ds);
        if (r >= 0)
                r = from_own_logs(a, start, end, &ds);
        if (r >= 0)
                r = from_fences(a, start, end, &ds);
        if (r < 0) {
                free(ds.v);
                return r;
        }
        /* The caller only reads the array: it goes without its capacity. */
        Departure *d = ds.v;
        size_t n = ds.n;
        for (size_t i = 0; i < n; i++) {
                if (d[i].left < 0)
                        continue;
                size_t count = 1;
                while (i + count < n && d[i + count].left >= 0 && d[i + count].gone - d[i].gone <= SAME_CHANGE)
                        count++;
                int observer = isolated_observer(a, d, n, i, count);
                if (observer >= 0)
                        read_as_isolation(a, d, &n, i, count, observer);
        }
        if (n > 1)
                qsort(d, n, sizeof *d, compare_departure);
        *ret = d;
        *ret_n = n;
        return 0;
}
