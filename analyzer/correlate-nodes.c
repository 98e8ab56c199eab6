/* correlate-nodes.c: who is who. corosync logs ids, the journal logs host names; without
 * corosync.conf the link comes from the logs themselves:
 * - a line that prints both (Pacemaker's "Node X[2] - state is now lost", corosync's address
 *   lines) pairs them directly;
 * - pmxcfs prints its CPG members as "nodeid/pid", and the pid of the pmxcfs that logs the line is
 *   in the same list: that entry is the logging node's own id (works on every PVE node);
 * - a node that stops corosync cleanly is announced by its peers ("Node N was shut down by
 *   sysadmin", or a membership with "left: N") moments later;
 * - the HA CRM marks a node 'unknown' or 'fence', or Pacemaker a peer lost, by name shortly after
 *   corosync lost its id: when exactly one id was lost then, that id is that name.
 * Every id any membership evidence names is a member, even when no log of its own is here: it
 * becomes a peer node ("node N" until something names it), so it is reported, never dropped. */
#include "correlate.h"

/* A clean corosync stop on one node and its peers' announcement are seconds apart. */
#define LEAVE_ANNOUNCE_WINDOW (30 * USEC_PER_SEC)

int analysis_node_by_corosync_id(const Analysis *a, int64_t id) {
        for (size_t i = 0; id > 0 && i < a->n_nodes; i++)
                if (a->nodes[i].corosync_id == id)
                        return (int) i;
        return -1;
}

/* Host names in logs may be fully qualified ("pve1.example.com") where corosync.conf, HA and
 * Pacemaker say "pve1": the same machine. */
static bool same_host(const char *a, const char *b) {
        size_t la = strcspn(a, "."), lb = strcspn(b, ".");
        return la == lb && strncasecmp(a, b, la) == 0 && (a[la] == '\0' || b[lb] == '\0');
}

int analysis_node_by_name(const Analysis *a, const char *name) {
        int alias = -1;
        for (size_t i = 0; i < a->n_nodes; i++) {
                if (streq(a->nodes[i].name, name))
                        return (int) i;
                if (same_host(a->nodes[i].name, name))
                        alias = alias == -1 ? (int) i : -2;     /* two candidates: neither */
        }
        return alias >= 0 ? alias : -1;
}

int analysis_add_peer(Analysis *a, const char *name, int64_t id) {
        if (array_reserve(&a->nodes, &a->n_nodes_alloc, a->n_nodes + 1, sizeof *a->nodes, 8) < 0)
                return -ENOMEM;
        CNode *p = &a->nodes[a->n_nodes];
        char label[32];
        if (!name) {
                snprintf(label, sizeof label, "node %" PRId64, id);
                name = label;
        }
        *p = (CNode){ .name = strdup(name), .corosync_id = id };
        if (!p->name)
                return -ENOMEM;
        return (int) a->n_nodes++;
}

static void assign(Analysis *a, int node, int64_t id) {
        if (node < 0 || id <= 0 || a->nodes[node].corosync_id > 0 || analysis_node_by_corosync_id(a, id) >= 0)
                return;
        a->nodes[node].corosync_id = id;
}

static void from_pmxcfs_members(Analysis *a) {
        char members[1024];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (!cevent_is(e, EVENT_PMXCFS_MEMBERS) || e->pid <= 0 || !cevent_capture(e, "members", members, sizeof members))
                        continue;
                /* "1/1112, 2/1098, 3/1325" */
                for (char *p = members; *p;) {
                        char *end;
                        long long id = strtoll(p, &end, 10);
                        if (end == p || *end != '/')
                                break;
                        long pid = strtol(end + 1, &end, 10);
                        if (pid == e->pid)
                                assign(a, e->node, id);
                        p = end + strspn(end, ", ");
                }
        }
}

/* The single id in "2" or " 2 "; 0 when the list holds several or none. */
static int64_t single_id(const char *list) {
        char *end;
        long long id = strtoll(list, &end, 10);
        return end != list && *(end + strspn(end, " ")) == '\0' ? id : 0;
}

static void from_clean_leaves(Analysis *a) {
        char buf[256];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *stop = &a->events[i];
                if ((!cevent_is(stop, EVENT_COROSYNC_STOPPING) && !cevent_is(stop, EVENT_COROSYNC_STOP)) ||
                    a->nodes[stop->node].corosync_id > 0)
                        continue;
                for (size_t k = i + 1; k < a->n_events && a->events[k].ts - stop->ts < LEAVE_ANNOUNCE_WINDOW; k++) {
                        const CEvent *e = &a->events[k];
                        if (e->node == stop->node)
                                continue;
                        int64_t id = 0;
                        if (cevent_is(e, EVENT_COROSYNC_MEMBER_SHUTDOWN) && cevent_capture(e, "nodeid", buf, sizeof buf))
                                id = strtoll(buf, NULL, 10);
                        else if (cevent_is(e, EVENT_COROSYNC_MEMBERSHIP) && cevent_capture(e, "left", buf, sizeof buf))
                                id = single_id(buf);
                        if (id > 0) {
                                assign(a, stop->node, id);
                                break;
                        }
                }
        }
}

/* Where membership evidence names corosync ids: (kind, capture holding an id or a list). */
static const struct {
        EventKind kind;
        const char *capture;
} id_sources[] = {
        { EVENT_COROSYNC_QUORUM_MEMBERS, "members" }, { EVENT_COROSYNC_QUORUM_VIEW, "members" },
        { EVENT_COROSYNC_QUORUM_VIEW, "left" },
        { EVENT_COROSYNC_QUORUM_VIEW, "joined" },   { EVENT_COROSYNC_MEMBERSHIP, "joined" },
        { EVENT_COROSYNC_MEMBERSHIP, "left" },      { EVENT_COROSYNC_LEAVE_MISSED, "left" },
        { EVENT_COROSYNC_MEMBER_SHUTDOWN, "nodeid" }, { EVENT_COROSYNC_MEMBER_ADDRESS, "nodeid" },
        { EVENT_COROSYNC_QDEVICE_VIEW, "members" }, { EVENT_COROSYNC_QUORUM_NODE, "nodeid" },
        { EVENT_KNET_LINK_DOWN, "host" },
        { EVENT_KNET_LINK_UP, "host" },             { EVENT_KNET_HOST_UNREACHABLE, "host" },
        { EVENT_PMXCFS_MEMBERS, "members" },        { EVENT_PCMK_PEER_LOST, "nodeid" },
        { EVENT_PCMK_PEER_MEMBER, "nodeid" },
};

/* Calls fn for every id that event e names as a cluster member; stops at fn's error. */
static int for_each_member_id(Analysis *a, const CEvent *e, int (*fn)(Analysis *a, const CEvent *e, int64_t id)) {
        char buf[1024];
        int64_t ids[64];
        for (size_t k = 0; k < ELEMENTSOF(id_sources); k++) {
                if (!cevent_is(e, id_sources[k].kind) || !cevent_capture(e, id_sources[k].capture, buf, sizeof buf))
                        continue;
                for (int i = 0, n = analysis_parse_ids(buf, ids, 64); i < n; i++) {
                        int r = fn(a, e, ids[i]);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* A line naming both a node and its id. */
static int from_pairs(Analysis *a) {
        char name[256], id[32];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (!cevent_capture(e, "nodeid", id, sizeof id) || !cevent_capture(e, "target", name, sizeof name) ||
                    strtoll(id, NULL, 10) <= 0)
                        continue;
                int node = analysis_node_by_name(a, name);
                if (node < 0 && analysis_node_by_corosync_id(a, strtoll(id, NULL, 10)) < 0 &&
                    (node = analysis_add_peer(a, name, 0)) < 0)
                        return node;
                assign(a, node, strtoll(id, NULL, 10));
        }
        return 0;
}

/* pmxcfs logs the address its own node name resolves to; corosync's debug lines pair node ids
 * with addresses: the same address joins a name to an id. */
static void from_addresses(Analysis *a) {
        char name[256], addr[64], other[64], id[32];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (!cevent_is(e, EVENT_PMXCFS_START) || !cevent_capture(e, "name", name, sizeof name) ||
                    !cevent_capture(e, "addr", addr, sizeof addr))
                        continue;
                for (size_t k = 0; k < a->n_events; k++) {
                        const CEvent *m = &a->events[k];
                        if (cevent_is(m, EVENT_COROSYNC_MEMBER_ADDRESS) && cevent_capture(m, "addr", other, sizeof other) &&
                            streq(addr, other) && cevent_capture(m, "nodeid", id, sizeof id)) {
                                int64_t ids[1];
                                if (analysis_parse_ids(id, ids, 1) == 1)
                                        assign(a, analysis_node_by_name(a, name), ids[0]);
                                break;
                        }
                }
        }
}

/* The addresses the nodes' own lines give them, beside corosync.conf's: learnt once here, so a
 * question of "is this a node's address" (a login between nodes) is a lookup. */
static int learn_addresses(Analysis *a) {
        char addr[64];
        int r = 0;
        for (size_t i = 0; i < a->n_events && r >= 0; i++) {
                const CEvent *e = &a->events[i];
                if ((cevent_is(e, EVENT_COROSYNC_MEMBER_ADDRESS) || cevent_is(e, EVENT_PMXCFS_START)) &&
                    cevent_capture(e, "addr", addr, sizeof addr))
                        r = strv_add_unique(&a->cluster_addrs, &a->n_cluster_addrs, &a->n_cluster_addrs_alloc, addr);
        }
        return r;
}

/* How long after corosync lost a member the HA CRM marks it unknown (its loop runs every 10 s). */
#define HA_NOTICE_WINDOW (2 * USEC_PER_MINUTE)

/* The single id that left (or failed) in [from, to] and has no node yet; 0 when none or several. */
static int64_t lone_lost_id(const Analysis *a, usec_t from, usec_t to) {
        char buf[512];
        int64_t ids[64], found = 0;
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                char state[16];
                bool dead = cevent_is(e, EVENT_COROSYNC_QUORUM_NODE) && cevent_capture(e, "state", state, sizeof state) &&
                            streq(state, "2");   /* votequorum: NODESTATE_DEAD */
                bool left = (cevent_is(e, EVENT_COROSYNC_MEMBERSHIP) || cevent_is(e, EVENT_COROSYNC_LEAVE_MISSED)) &&
                            cevent_capture(e, "left", buf, sizeof buf);
                if (e->cts < from || e->cts > to || !(left || (dead && cevent_capture(e, "nodeid", buf, sizeof buf))))
                        continue;
                for (int k = 0, n = analysis_parse_ids(buf, ids, 64); k < n; k++) {
                        if (analysis_node_by_corosync_id(a, ids[k]) >= 0 || ids[k] == found)
                                continue;
                        if (found)
                                return 0;
                        found = ids[k];
                }
        }
        return found;
}

static int from_ha_notice(Analysis *a) {
        char name[256], to[32];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                bool ha_lost = cevent_is(e, EVENT_HA_NODE_STATE) && cevent_capture(e, "to", to, sizeof to) &&
                               (streq(to, "unknown") || streq(to, "fence"));
                if (!(ha_lost || cevent_is(e, EVENT_PCMK_PEER_LOST)) || !cevent_capture(e, "target", name, sizeof name))
                        continue;
                int node = analysis_node_by_name(a, name);
                if (node >= 0 && a->nodes[node].corosync_id > 0)
                        continue;
                int64_t id = lone_lost_id(a, e->cts - HA_NOTICE_WINDOW, e->cts);
                if (id <= 0)
                        continue;
                if (node < 0 && (node = analysis_add_peer(a, name, 0)) < 0)
                        return node;
                assign(a, node, id);
        }
        return 0;
}

static int add_unnamed_peer(Analysis *a, const CEvent *e, int64_t id) {
        (void) e;
        if (analysis_node_by_corosync_id(a, id) >= 0)
                return 0;
        int r = analysis_add_peer(a, NULL, id);
        return r < 0 ? r : 0;
}

/* Peers a node speaks of (knet hosts, left and failed lists, clean leaves) are not itself. */
static bool speaks_of_peer(const Analysis *a, int node, int64_t id) {
        static const struct {
                EventKind kind;
                const char *capture;
        } peer_words[] = {
                { EVENT_KNET_LINK_DOWN, "host" },        { EVENT_KNET_LINK_UP, "host" },
                { EVENT_KNET_HOST_UNREACHABLE, "host" }, { EVENT_COROSYNC_MEMBERSHIP, "left" },
                { EVENT_COROSYNC_LEAVE_MISSED, "left" }, { EVENT_COROSYNC_MEMBER_SHUTDOWN, "nodeid" },
        };
        char buf[512];
        int64_t ids[64];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->node != node)
                        continue;
                for (size_t k = 0; k < ELEMENTSOF(peer_words); k++)
                        if (cevent_is(e, peer_words[k].kind) && cevent_capture(e, peer_words[k].capture, buf, sizeof buf) &&
                            ids_contain(ids, analysis_parse_ids(buf, ids, 64), id))
                                return true;
        }
        return false;
}

static bool logs_corosync(const Analysis *a, int node) {
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->node == node && (strncmp(e->kind, "corosync.", 9) == 0 || strncmp(e->kind, "knet.", 5) == 0))
                        return true;
        }
        return false;
}

/* A node whose own logs speak of corosync but give no id of its own is one of the ids no one
 * named yet, unless it speaks of all of them as peers: then it is a member beyond them. When
 * exactly one such id is left, that is its id. Returns how many members to add. */
static int place_unnamed_observers(Analysis *a) {
        int extra = 0;
        for (size_t node = 0; node < a->n_nodes; node++) {
                if (!a->nodes[node].has_logs || a->nodes[node].corosync_id > 0 || !logs_corosync(a, (int) node))
                        continue;
                int candidate = -1, n_candidates = 0;
                for (size_t peer = 0; peer < a->n_nodes; peer++)
                        if (!a->nodes[peer].has_logs && a->nodes[peer].corosync_id > 0 &&
                            !speaks_of_peer(a, (int) node, a->nodes[peer].corosync_id))
                                candidate = (int) peer, n_candidates++;
                if (n_candidates == 0)
                        extra++;
                else if (n_candidates == 1 && strncmp(a->nodes[candidate].name, "node ", 5) == 0) {
                        /* The peer entry was only a placeholder for this node's own id. */
                        int64_t id = a->nodes[candidate].corosync_id;
                        a->nodes[candidate].corosync_id = 0;
                        a->nodes[node].corosync_id = id;
                }
        }
        return extra;
}

/* Nodes the cluster managers name when they lose or fence them: reported even without logs. */
static int from_named_targets(Analysis *a) {
        static const EventKind kinds[] = { EVENT_HA_FENCE_ACKNOWLEDGED, EVENT_PCMK_FENCE_DONE, EVENT_PCMK_FENCE_REQUESTED,
                                             EVENT_PCMK_FENCE_SCHEDULED, EVENT_PCMK_FENCE_FAILED, EVENT_PCMK_PEER_LOST };
        char name[256];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                char to[32];
                bool named = cevent_is(e, EVENT_HA_NODE_STATE) && cevent_capture(e, "to", to, sizeof to) &&
                             (streq(to, "fence") || streq(to, "unknown"));
                for (size_t k = 0; k < ELEMENTSOF(kinds) && !named; k++)
                        named = cevent_is(e, kinds[k]);
                if (!named || !cevent_capture(e, "target", name, sizeof name) || !name[0] || analysis_node_by_name(a, name) >= 0)
                        continue;
                int r = analysis_add_peer(a, name, 0);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Some id known from any evidence is not in the view: that is the member the view lacks. */
static bool known_ids_outside(const Analysis *a, const int64_t *ids, int n) {
        for (size_t i = 0; i < a->n_nodes; i++)
                if (a->nodes[i].corosync_id > 0 && !ids_contain(ids, n, a->nodes[i].corosync_id))
                        return true;
        return false;
}

/* A committed view formed right after a processor failed lacks the failed member. When no line
 * names it, and the view's ids are the small numbers nodelists give (1, 2, 3...), the one gap
 * among them is its id; otherwise it stays uncounted. Only when no id known from any other line is
 * missing from the view: nodelists with gaps (a node removed long ago) are common. */
static int from_failed_view(Analysis *a) {
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                char buf[512];
                int64_t ids[64];
                if (!cevent_is(e, EVENT_COROSYNC_QUORUM_MEMBERS) || !cevent_capture(e, "members", buf, sizeof buf))
                        continue;
                bool failed = false;
                for (size_t k = i; k-- > 0 && a->events[k].cts >= e->cts - 60 * USEC_PER_SEC && !failed;)
                        failed = a->events[k].node == e->node && cevent_is(&a->events[k], EVENT_COROSYNC_TOKEN_LOST);
                int n = analysis_parse_ids(buf, ids, 64);
                if (!failed || n == 0 || ids[n - 1] > 64 || known_ids_outside(a, ids, n))
                        continue;
                int64_t gap = 0;
                int gaps = 0;
                for (int64_t id = 1; id < ids[n - 1]; id++)
                        if (!ids_contain(ids, n, id))
                                gap = id, gaps++;
                if (gaps != 1 || analysis_node_by_corosync_id(a, gap) >= 0)
                        continue;
                int r = analysis_add_peer(a, NULL, gap);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* A node known without logs (from corosync.conf or a peer's line) that is a logging node under its
 * short or long name is folded into the logging node: its id goes over, the entry goes. */
static void fold_aliases(Analysis *a) {
        for (size_t alias = 0; alias < a->n_nodes; alias++) {
                CNode *an = &a->nodes[alias];
                if (an->has_logs || an->n_boots > 0)
                        continue;
                int host = -1;
                for (size_t k = 0; k < a->n_nodes && host < 0; k++)
                        if (k != alias && a->nodes[k].has_logs && !streq(a->nodes[k].name, an->name) &&
                            same_host(a->nodes[k].name, an->name) &&
                            (a->nodes[k].corosync_id <= 0 || a->nodes[k].corosync_id == an->corosync_id))
                                host = (int) k;
                if (host < 0)
                        continue;
                if (an->corosync_id > 0)
                        a->nodes[host].corosync_id = an->corosync_id;
                free(an->name);
                free(an->boots);
                free(an->corosync_starts);
                free(an->corosync_stops);
                memmove(an, an + 1, (a->n_nodes - alias - 1) * sizeof *an);
                a->n_nodes--;
                /* No event is the alias's own (it has no logs): only later indexes move. */
                for (size_t i = 0; i < a->n_events; i++)
                        if (a->events[i].node > (int) alias)
                                a->events[i].node--;
                alias--;
        }
}

int correlate_identify_nodes(Analysis *a) {
        /* An ingested corosync.conf already set corosync_id and the expected size (load step). */
        fold_aliases(a);
        int r = from_pairs(a);
        if (r < 0)
                return r;
        from_pmxcfs_members(a);
        from_addresses(a);
        from_clean_leaves(a);
        r = learn_addresses(a);
        if (r >= 0)
                r = from_ha_notice(a);
        if (r >= 0)
                r = from_named_targets(a);
        for (size_t i = 0; r >= 0 && i < a->n_events; i++)
                r = for_each_member_id(a, &a->events[i], add_unnamed_peer);
        if (r >= 0)
                r = from_failed_view(a);
        if (r < 0)
                return r;

        /* Expected size: the largest membership anyone reported, or every node we have logs of. */
        char buf[32];
        int expected = 0;
        for (size_t i = 0; i < a->n_events; i++)
                if (cevent_is(&a->events[i], EVENT_COROSYNC_QUORUM_MEMBERS) &&
                    cevent_capture(&a->events[i], "count", buf, sizeof buf))
                        expected = MAX(expected, atoi(buf));
        if (a->nodes_expected < expected)
                a->nodes_expected = expected;
        /* votequorum's expected votes count one per node unless a QDevice adds its own. */
        bool qdevice = false;
        int votes = 0;
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                qdevice |= strncmp(e->kind, "corosync.qdevice", 16) == 0 || strncmp(e->kind, "qdevice", 7) == 0;
                if (cevent_is(e, EVENT_COROSYNC_QUORUM_EXPECTED) && cevent_capture(e, "expected", buf, sizeof buf))
                        votes = MAX(votes, atoi(buf));
        }
        if (!qdevice && a->nodes_expected < votes && votes <= 64)
                a->nodes_expected = votes;
        int members = place_unnamed_observers(a);
        for (size_t i = 0; i < a->n_nodes; i++)
                members += a->nodes[i].corosync_id > 0;
        if (a->nodes_expected < members)
                a->nodes_expected = members;
        return 0;
}
