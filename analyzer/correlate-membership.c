/* correlate-membership.c: the cluster-level timeline. Membership comes from each node's own
 * committed corosync view ("[QUORUM] Members[n]: ..."), which is absolute, unlike the joined/left
 * deltas that read differently on the joining node. At any moment the cluster is the largest view
 * held by a node whose corosync is still running; a change of that view is a node leaving or
 * joining, dated by the first node to log it. Quorum, knet links, HA actions, notification and
 * pmxcfs failures and clock steps are added from their tags. */
#include "correlate.h"
#include "report-template.h"

/* knet logs link down and "no active links" for the same peer together. */
#define LINK_ECHO (5 * USEC_PER_SEC)
/* From the token loss to the new committed view: token timeout, consensus, a few rounds. */
#define FAILURE_TO_VIEW (60 * USEC_PER_SEC)
/* A starting node merges with its running peers within seconds (token plus consensus). */
#define STARTUP_MERGE (30 * USEC_PER_SEC)

typedef struct View {
        int node;              /* observer */
        int event;             /* the Members line, index into events */
        usec_t from, to;       /* valid interval, corrected */
        usec_t boot_first;     /* start of the observer's boot, INT64_MIN when unknown */
        bool first_of_boot;    /* the observer's first view in that boot */
        bool grows_soon;       /* the observer's next view, within STARTUP_MERGE, is larger */
        int unnamed;           /* members besides ids[]: nodes no line gives an id of */
        int count;
        int64_t ids[64];
} View;

static const CBoot *boot_at(const CNode *cn, usec_t t) {
        for (size_t i = 0; i < cn->n_boots; i++)
                if (t >= cn->boots[i].first && t <= cn->boots[i].last)
                        return &cn->boots[i];
        return NULL;
}

static int collect_views(const Analysis *a, View **ret, size_t *ret_n) {
        View *v = NULL;
        size_t n = 0, alloc = 0;
        char buf[512];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (!cevent_is(e, EVENT_COROSYNC_QUORUM_MEMBERS))
                        continue;
                if (array_reserve(&v, &alloc, n + 1, sizeof *v, 16) < 0) {
                        free(v);
                        return -ENOMEM;
                }
                View *w = &v[n++];
                *w = (View){ .node = e->node, .event = (int) i, .from = e->cts };
                w->count = cevent_capture(e, "members", buf, sizeof buf) ? analysis_parse_ids(buf, w->ids, 64) : 0;
                const CBoot *b = boot_at(&a->nodes[e->node], e->cts);
                /* Valid to the end of the observer's logs, and at least at its own moment. */
                w->to = b ? MAX(b->last, e->cts + 1) : INT64_MAX;
                w->boot_first = b ? b->first : INT64_MIN;
                w->first_of_boot = b != NULL;
                for (size_t k = 0; k + 1 < n && w->first_of_boot; k++)
                        w->first_of_boot = !(v[k].node == w->node && v[k].boot_first == w->boot_first);
        }
        /* A view ends at the observer's next view, or when its corosync stops. */
        for (size_t i = 0; i < n; i++) {
                for (size_t k = i + 1; k < n; k++)
                        if (v[k].node == v[i].node) {
                                v[i].to = MIN(v[i].to, v[k].from);
                                v[i].grows_soon = v[k].from - v[i].from < STARTUP_MERGE && v[k].count > v[i].count;
                                break;
                        }
                /* Its corosync stopped: the view is stale from then on. */
                v[i].to = analysis_corosync_stop_after(a, v[i].node, v[i].from, v[i].to);
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

static const View *largest_at(const View *v, size_t n, usec_t t) {
        const View *best = NULL;
        for (size_t i = 0; i < n; i++)
                if (v[i].from <= t && t < v[i].to && (!best || v[i].count > best->count))
                        best = &v[i];
        return best;
}


static bool observer_starting(const Analysis *a, const View *v) {
        return v->grows_soon && (v->first_of_boot || analysis_corosync_starting(a, v->node, v->from));
}

static int compare_usec(const void *x, const void *y) {
        usec_t a = *(const usec_t *) x, b = *(const usec_t *) y;
        return a < b ? -1 : a > b;
}

static const char *node_label(const Analysis *a, int64_t id, char buf[static 32]) {
        int n = analysis_node_by_corosync_id(a, id);
        if (n >= 0)
                return a->nodes[n].name;
        snprintf(buf, 32, "node %" PRId64, id);
        return buf;
}

static int membership_change(Analysis *a, const View *before, const View *now, usec_t t) {
        char label[32];
        int r = 0;
        for (int pass = 0; pass < 2 && r >= 0; pass++) {
                const View *from = pass == 0 ? before : now, *to = pass == 0 ? now : before;
                for (int i = 0; from && i < from->count && r >= 0; i++) {
                        int64_t id = from->ids[i];
                        if (to && ids_contain(to->ids, to->count, id))
                                continue;
                        TData *v = tdata_new();
                        if (!v)
                                return -ENOMEM;
                        tdata_set(v, "node", node_label(a, id, label));
                        tdata_setf(v, "count", "%d", now ? now->count + now->unnamed : 0);
                        tdata_setf(v, "expected", "%d", a->nodes_expected);
                        tdata_set(v, "observer", a->nodes[now ? now->node : before->node].name);
                        /* The evidence is the view that shows the change: a later view for a node
                         * leaving, the view that first holds it for a node joining. */
                        r = analysis_add_timeline(a, t, analysis_node_by_corosync_id(a, id),
                                                  pass == 0 ? "node.left" : "node.joined", now ? now->event : -1, v);
                }
        }
        return r;
}

static int add_member_point(Analysis *a, usec_t t, const View *v) {
        if (array_reserve(&a->membership, &a->n_membership_alloc, a->n_membership + 1, sizeof *a->membership, 16) < 0)
                return -ENOMEM;
        MemberPoint *m = &a->membership[a->n_membership++];
        *m = (MemberPoint){ .ts = t, .count = v ? v->count + v->unnamed : 0, .event = v ? v->event : -1 };
        if (v)
                memcpy(m->ids, v->ids, sizeof m->ids);
        return 0;
}

/* The membership before the first view of the window: that view's own "A new membership ...
 * joined: / left:" line says what changed, so undo it. false when there is no such line. */
static bool seed_view(const Analysis *a, const View *first, View *ret) {
        char buf[512];
        for (int i = first->event; i >= 0 && a->events[i].cts >= first->from - 2 * USEC_PER_SEC; i--) {
                const CEvent *e = &a->events[i];
                if (e->node != first->node || !cevent_is(e, EVENT_COROSYNC_MEMBERSHIP))
                        continue;
                *ret = (View){ .node = first->node, .event = i, .from = INT64_MIN, .to = first->from };
                for (int k = 0; k < first->count; k++)
                        ret->ids[ret->count++] = first->ids[k];
                int64_t ids[64];
                int n = 0;
                if (cevent_capture(e, "left", buf, sizeof buf))
                        for (int k = 0, m = analysis_parse_ids(buf, ids, 64); k < m && ret->count < 64; k++)
                                if (!ids_contain(ret->ids, ret->count, ids[k]))
                                        ret->ids[ret->count++] = ids[k];
                if (cevent_capture(e, "joined", buf, sizeof buf))
                        n = analysis_parse_ids(buf, ids, 64);
                int kept = 0;
                for (int k = 0; k < ret->count; k++)
                        if (!ids_contain(ids, n, ret->ids[k]))
                                ret->ids[kept++] = ret->ids[k];
                ret->count = kept;
                ids_sort(ret->ids, kept);
                return kept > 0;
        }
        return false;
}

/* The observer's own word that a member just failed: the token lost, its leave message missed,
 * corosync 2 marking it left ("Member left: r(0) ip(...)"), votequorum holding it dead (state=2). */
static bool says_member_failed(const CEvent *e) {
        char state[16];
        return cevent_is(e, EVENT_COROSYNC_TOKEN_LOST) || cevent_is(e, EVENT_COROSYNC_LEAVE_MISSED) ||
               (cevent_is(e, EVENT_COROSYNC_MEMBER_ADDRESS) && cevent_capture(e, "state", state, sizeof state) &&
                streq(state, "left")) ||
               (cevent_is(e, EVENT_COROSYNC_QUORUM_NODE) && cevent_capture(e, "state", state, sizeof state) &&
                streq(state, "2"));
}

/* "A processor failed, forming new configuration" (or a missed leave) just before the first view:
 * that view is what remained, so before it every member was there. */
static bool seed_after_failure(const Analysis *a, const View *first, View *ret) {
        bool failed = false;
        for (int i = first->event; i >= 0 && a->events[i].cts >= first->from - FAILURE_TO_VIEW && !failed; i--)
                failed = a->events[i].node == first->node && says_member_failed(&a->events[i]);
        if (!failed)
                return false;
        *ret = (View){ .node = first->node, .event = first->event, .from = INT64_MIN, .to = first->from };
        for (size_t i = 0; i < a->n_nodes && ret->count < 64; i++)
                if (a->nodes[i].corosync_id > 0)
                        ret->ids[ret->count++] = a->nodes[i].corosync_id;
        ids_sort(ret->ids, ret->count);
        return ret->count > first->count;
}

/* Without any committed view (corosync 1.x, an excerpt holding only TOTEM lines) the deltas are
 * all there is: an id in a "left:" or "failed:" list is out until a later "joined:" names it. Every
 * id any evidence names is a member (correlate-nodes.c), so the cluster starts whole and only ids
 * that are out can come back: a node that joins lists all its peers as joined. */
static int membership_from_deltas(Analysis *a) {
        int64_t absent[64];
        int n_absent = 0, r = 0;
        View cur = { .node = -1, .unnamed = 0 };
        for (size_t i = 0; i < a->n_nodes && cur.count < 64; i++)
                if (a->nodes[i].corosync_id > 0)
                        cur.ids[cur.count++] = a->nodes[i].corosync_id;
        ids_sort(cur.ids, cur.count);
        int64_t all[64];
        int n_all = cur.count;
        memcpy(all, cur.ids, sizeof all);
        /* Members whose id no line gives (an observer without pmxcfs lines) still count. */
        cur.unnamed = MAX(0, a->nodes_expected - n_all);
        char buf[512];
        bool started = false;
        for (size_t i = 0; i < a->n_events && r >= 0; i++) {
                const CEvent *e = &a->events[i];
                if (!cevent_is(e, EVENT_COROSYNC_MEMBERSHIP) && !cevent_is(e, EVENT_COROSYNC_LEAVE_MISSED))
                        continue;
                int64_t ids[64];
                int m;
                int before = n_absent;
                bool changed = false;
                if (cevent_capture(e, "left", buf, sizeof buf) && (m = analysis_parse_ids(buf, ids, 64)) > 0)
                        for (int k = 0; k < m && n_absent < 64; k++)
                                if (!ids_contain(absent, n_absent, ids[k]))
                                        absent[n_absent++] = ids[k];
                changed = n_absent != before;
                if (cevent_capture(e, "joined", buf, sizeof buf) && (m = analysis_parse_ids(buf, ids, 64)) > 0)
                        for (int k = 0; k < n_absent; k++)
                                if (ids_contain(ids, m, absent[k])) {
                                        absent[k--] = absent[--n_absent];
                                        changed = true;
                                }
                if (!started) {
                        r = add_member_point(a, e->cts, &cur);
                        started = true;
                }
                if (r < 0 || !changed)
                        continue;
                View next = { .node = e->node, .event = (int) i, .unnamed = cur.unnamed };
                for (int k = 0; k < n_all; k++)
                        if (!ids_contain(absent, n_absent, all[k]))
                                next.ids[next.count++] = all[k];
                r = membership_change(a, &cur, &next, e->cts);
                if (r >= 0)
                        r = add_member_point(a, e->cts, &next);
                cur = next;
        }
        return r;
}

static int membership(Analysis *a) {
        View *v;
        size_t n;
        int r = collect_views(a, &v, &n);
        if (r < 0)
                return r;
        if (n == 0) {
                free(v);
                return membership_from_deltas(a);
        }
        View seed;
        const View *cur = NULL;
        if (n > 0 && (seed_view(a, &v[0], &seed) || seed_after_failure(a, &v[0], &seed))) {
                cur = &seed;
                r = add_member_point(a, a->n_events ? a->events[0].cts : seed.to, &seed);
                /* Inferred from the line that changed it: no line shows this view itself. */
                if (r >= 0)
                        a->membership[a->n_membership - 1].event = -1;
        }
        usec_t *points = malloc((2 * n + 1) * sizeof *points);
        if (!points) {
                free(v);
                return -ENOMEM;
        }
        size_t np = 0;
        for (size_t i = 0; i < n; i++) {
                points[np++] = v[i].from;
                if (v[i].to != INT64_MAX)
                        points[np++] = v[i].to;
        }
        qsort(points, np, sizeof *points, compare_usec);
        for (size_t i = 0; i < np && r >= 0; i++) {
                if (i > 0 && points[i] == points[i - 1])
                        continue;
                const View *now = largest_at(v, n, points[i]);
                bool same = cur && now && cur->count == now->count && memcmp(cur->ids, now->ids, sizeof *now->ids * (size_t) now->count) == 0;
                /* A node starting corosync first commits a view of itself alone: its peers did
                 * not leave. */
                if (cur && now && now->count < cur->count && observer_starting(a, now))
                        continue;
                if (same || (!cur && !now))
                        continue;
                /* A gap with no valid view (every observer restarting) is not a membership. */
                if (!now)
                        continue;
                if (cur)
                        r = membership_change(a, cur, now, points[i]);
                if (r >= 0)
                        r = add_member_point(a, points[i], now);
                cur = now;
        }
        free(points);
        free(v);
        return r;
}

static TData *vars_for(const Analysis *a, const CEvent *e) {
        TData *v = tdata_new();
        if (!v)
                return NULL;
        tdata_set(v, "node", a->nodes[e->node].name);
        static const char *const names[] = { "target", "sid", "from", "to", "error", "endpoint", "seconds", "host",
                                             "link", "action", "domain", "by" };
        char buf[512];
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (cevent_capture(e, names[i], buf, sizeof buf))
                        tdata_set(v, names[i], buf);
        char label[32];
        if (cevent_capture(e, "host", buf, sizeof buf))
                tdata_set(v, "peer", node_label(a, strtoll(buf, NULL, 10), label));
        return v;
}

/* A fence that a peer carried out (Pacemaker's fencer and controller both log the result): a
 * node.fenced entry of the fenced node, once per fence. */
#define FENCE_ECHO (60 * USEC_PER_SEC)

static int peer_fences(Analysis *a) {
        char target[256];
        int r = 0;
        for (size_t i = 0; i < a->n_events && r >= 0; i++) {
                const CEvent *e = &a->events[i];
                if (!cevent_is(e, EVENT_PCMK_FENCE_DONE) || !cevent_capture(e, "target", target, sizeof target))
                        continue;
                int node = analysis_node_by_name(a, target);
                bool echo = false;
                for (size_t k = 0; k < a->n_timeline && !echo; k++)
                        echo = a->timeline[k].node == node && streq(a->timeline[k].kind, "node.fenced") &&
                               e->cts - a->timeline[k].ts < FENCE_ECHO && a->timeline[k].ts - e->cts < FENCE_ECHO;
                if (node < 0 || echo)
                        continue;
                TData *v = vars_for(a, e);
                if (!v)
                        return -ENOMEM;
                tdata_set(v, "observer", a->nodes[e->node].name);
                tdata_set(v, "node", target);
                r = analysis_add_timeline_phrase(a, e->cts, node, "node.fenced", "node.fenced.by-peer", (int) i, v);
        }
        return r;
}

static int quorum_and_tags(Analysis *a) {
        bool *lost = calloc(a->n_nodes, sizeof *lost);
        if (!lost)
                return -ENOMEM;
        int r = 0;
        usec_t last_link = INT64_MIN;
        int last_link_node = -1;
        char last_peer[32] = "";
        /* (node, peer id) pairs whose link.down was reported, so link.up is shown only after one. */
        int64_t down_pairs[64][2];
        size_t n_down = 0;
        for (size_t i = 0; i < a->n_events && r >= 0; i++) {
                const CEvent *e = &a->events[i];
                const char *kind = NULL;
                bool q_lost = cevent_is(e, EVENT_COROSYNC_QUORUM_LOST) || cevent_is(e, EVENT_PMXCFS_QUORUM_LOST) ||
                              cevent_is(e, EVENT_PCMK_QUORUM_LOST);
                bool q_back = cevent_is(e, EVENT_COROSYNC_QUORUM_REGAINED) || cevent_is(e, EVENT_PMXCFS_QUORUM_REGAINED) ||
                              cevent_is(e, EVENT_PCMK_QUORUM_REGAINED);
                char peer[32] = "";
                if (q_lost || q_back) {
                        /* pmxcfs repeats corosync's quorum change a moment later: only a change of
                         * the node's quorum state is an entry. */
                        if (analysis_in_own_shutdown(a, e) || lost[e->node] == q_lost)
                                continue;
                        /* Regaining quorum one never lost is just a start-up. */
                        if (q_back && !lost[e->node])
                                continue;
                        lost[e->node] = q_lost;
                        kind = q_lost ? "quorum.lost" : "quorum.regained";
                } else if (cevent_is(e, EVENT_KNET_LINK_DOWN) || cevent_is(e, EVENT_KNET_HOST_UNREACHABLE) ||
                           cevent_is(e, EVENT_KNET_LINK_UP)) {
                        cevent_capture(e, "host", peer, sizeof peer);
                        int p = analysis_node_by_corosync_id(a, strtoll(peer, NULL, 10));
                        bool up = cevent_is(e, EVENT_KNET_LINK_UP);
                        /* Only links lost between two running nodes say something about the network. */
                        if (analysis_node_down_at(a, e->node, e->cts) || analysis_node_down_at(a, p, e->cts) ||
                            analysis_id_absent_at(a, strtoll(peer, NULL, 10), e->cts) ||
                            analysis_corosync_starting(a, e->node, e->cts) || (p >= 0 && analysis_corosync_starting(a, p, e->cts)))
                                continue;
                        kind = up ? "link.up" : "link.down";
                        size_t pair = 0;
                        while (pair < n_down && (down_pairs[pair][0] != e->node || down_pairs[pair][1] != strtoll(peer, NULL, 10)))
                                pair++;
                        if (up) {
                                if (pair == n_down)
                                        continue;
                                down_pairs[pair][0] = down_pairs[--n_down][0];
                                down_pairs[pair][1] = down_pairs[n_down][1];
                        } else if (pair == n_down && n_down < ELEMENTSOF(down_pairs)) {
                                down_pairs[n_down][0] = e->node;
                                down_pairs[n_down++][1] = strtoll(peer, NULL, 10);
                        }
                        if (!up && last_link_node == e->node && streq(last_peer, peer) && e->cts - last_link < LINK_ECHO)
                                continue;
                        if (!up) {
                                last_link = e->cts;
                                last_link_node = e->node;
                                snprintf(last_peer, sizeof last_peer, "%s", peer);
                        }
                } else if (cevent_is(e, EVENT_HA_RECOVERY))
                        kind = "ha.recovery";
                else if (cevent_is(e, EVENT_HA_MIGRATION))
                        kind = "ha.migration";
                else if (cevent_is(e, EVENT_HA_FENCE_ACKNOWLEDGED))
                        kind = "ha.fence";
                else if (cevent_is(e, EVENT_NOTIFY_FAILED))
                        kind = "notify.failed";
                else if ((cevent_is(e, EVENT_PMXCFS_DISPATCH_FAILED) || cevent_is(e, EVENT_PMXCFS_CPG_DISPATCH_FAILED) ||
                          cevent_is(e, EVENT_PMXCFS_INIT_FAILED) ||
                          cevent_is(e, EVENT_PMXCFS_SEND_FAILED)) && !analysis_event_explained(a, e))
                        kind = "cluster-fs.error";
                else if (cevent_is(e, EVENT_SYSTEM_CLOCK_STEP))
                        kind = "clock.step";
                if (!kind)
                        continue;
                TData *v = vars_for(a, e);
                if (!v) {
                        r = -ENOMEM;
                        break;
                }
                r = analysis_add_timeline(a, e->cts, e->node, kind, (int) i, v);
        }
        free(lost);
        return r;
}

static int boot_events(Analysis *a) {
        char t[RFC3339_MAX];
        int r = 0;
        for (size_t n = 0; n < a->n_nodes && r >= 0; n++) {
                const CNode *cn = &a->nodes[n];
                for (size_t i = 0; i < cn->n_boots && r >= 0; i++) {
                        const CBoot *b = &cn->boots[i];
                        TData *v = tdata_new();
                        if (!v)
                                return -ENOMEM;
                        tdata_set(v, "node", cn->name);
                        if (b->initiator)
                                tdata_set(v, "initiator", b->initiator);
                        tdata_set(v, "at", clock_text(b->end_at, t));
                        switch (b->end) {
                        case BOOT_END_CLEAN_REBOOT:
                        case BOOT_END_CLEAN_POWEROFF:
                                tdata_set(v, "poweroff", b->end == BOOT_END_CLEAN_POWEROFF ? "yes" : "");
                                r = analysis_add_timeline(a, b->end_at, (int) n, "node.reboot.requested", b->end_event, v);
                                break;
                        case BOOT_END_CRASH: {
                                char l[RFC3339_MAX];
                                tdata_set(v, "last", clock_text(b->last, l));
                                r = analysis_add_timeline(a, b->end_at, (int) n, "node.crash", -1, v);
                                break;
                        }
                        case BOOT_END_FENCED:
                                r = analysis_add_timeline(a, b->end_at, (int) n, "node.fenced", b->end_event, v);
                                break;
                        default:
                                tdata_free(v);
                                break;
                        }
                        if (r >= 0 && i > 0) {
                                TData *w = tdata_new();
                                if (!w)
                                        return -ENOMEM;
                                tdata_set(w, "node", cn->name);
                                r = analysis_add_timeline(a, b->first, (int) n, "node.boot", -1, w);
                        }
                }
        }
        return r;
}

static int compare_timeline(const void *x, const void *y) {
        const TimelineEntry *a = x, *b = y;
        if (a->ts != b->ts)
                return a->ts < b->ts ? -1 : 1;
        return strcmp(a->kind, b->kind);
}

int correlate_membership(Analysis *a) {
        int r = membership(a);
        if (r >= 0)
                r = quorum_and_tags(a);
        if (r >= 0)
                r = boot_events(a);
        if (r >= 0)
                r = peer_fences(a);
        if (r >= 0)
                if (a->n_timeline > 1)
                        qsort(a->timeline, a->n_timeline, sizeof *a->timeline, compare_timeline);
        return r;
}

int analysis_view_votes(const Analysis *a, const MemberPoint *m) {
        if (a->n_conf_votes == 0 || a->conf_qdevice)
                return -1;
        int votes = 0;
        for (int i = 0; i < m->count && i < (int) ELEMENTSOF(m->ids); i++) {
                int64_t v = 1;         /* votequorum's default for a node the nodelist does not give votes */
                for (size_t k = 0; k < a->n_conf_votes; k++)
                        if (a->conf_votes[k][0] == m->ids[i])
                                v = a->conf_votes[k][1];
                votes += (int) v;
        }
        return votes;
}
