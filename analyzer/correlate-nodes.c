/* correlate-nodes.c: which corosync node id each node name has. corosync logs ids, the journal
 * logs host names; without corosync.conf the link comes from the logs themselves:
 * - pmxcfs prints its CPG members as "nodeid/pid", and the pid of the pmxcfs that logs the line is
 *   in the same list: that entry is the logging node's own id (works on every PVE node);
 * - a node that stops corosync cleanly is announced by its peers ("Node N was shut down by
 *   sysadmin", or a membership with "left: N") moments later. */
#include "correlate.h"

/* A clean corosync stop on one node and its peers' announcement are seconds apart. */
#define LEAVE_ANNOUNCE_WINDOW (30 * USEC_PER_SEC)

int analysis_node_by_corosync_id(const Analysis *a, int64_t id) {
        for (size_t i = 0; id > 0 && i < a->n_nodes; i++)
                if (a->nodes[i].corosync_id == id)
                        return (int) i;
        return -1;
}

int analysis_node_by_name(const Analysis *a, const char *name) {
        for (size_t i = 0; i < a->n_nodes; i++)
                if (streq(a->nodes[i].name, name))
                        return (int) i;
        return -1;
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
                if (!cevent_is(e, "pmxcfs.members") || e->pid <= 0 || !cevent_capture(e, "members", members, sizeof members))
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
                if ((!cevent_is(stop, "corosync.stopping") && !cevent_is(stop, "corosync.stop")) ||
                    a->nodes[stop->node].corosync_id > 0)
                        continue;
                for (size_t k = i + 1; k < a->n_events && a->events[k].ts - stop->ts < LEAVE_ANNOUNCE_WINDOW; k++) {
                        const CEvent *e = &a->events[k];
                        if (e->node == stop->node)
                                continue;
                        int64_t id = 0;
                        if (cevent_is(e, "corosync.member.shutdown") && cevent_capture(e, "nodeid", buf, sizeof buf))
                                id = strtoll(buf, NULL, 10);
                        else if (cevent_is(e, "corosync.membership") && cevent_capture(e, "left", buf, sizeof buf))
                                id = single_id(buf);
                        if (id > 0) {
                                assign(a, stop->node, id);
                                break;
                        }
                }
        }
}

void correlate_identify_nodes(Analysis *a) {
        /* An ingested corosync.conf already set corosync_id and the expected size (load step). */
        from_pmxcfs_members(a);
        from_clean_leaves(a);

        /* Expected size: the largest membership anyone reported, or every node we have logs of. */
        char buf[32];
        int expected = 0;
        for (size_t i = 0; i < a->n_events; i++)
                if (streq(a->events[i].rule, "corosync.quorum.members") &&
                    cevent_capture(&a->events[i], "count", buf, sizeof buf))
                        expected = MAX(expected, atoi(buf));
        if (a->nodes_expected < expected)
                a->nodes_expected = expected;
        int with_corosync = 0;
        for (size_t i = 0; i < a->n_nodes; i++)
                with_corosync += a->nodes[i].corosync_id > 0;
        if (a->nodes_expected < with_corosync)
                a->nodes_expected = with_corosync;
}
