/* correlate-boots.c: how each boot ended and who asked for it. The shutdown trail decides:
 * logind's reboot/power-off request and systemd/journald stopping mean a clean end; watchdog-mux
 * "watchdog expired" (or the kernel's "watchdog did not stop!") means the node was fenced; a boot
 * that simply stops logging before the next one began crashed or lost power. */
#include "correlate.h"
#include "report-template.h"

/* How far back from the last line of a boot its shutdown trail may start. */
#define SHUTDOWN_TRAIL (15 * USEC_PER_MINUTE)
/* How far back from the reboot request the login or task that asked for it may lie. */
#define INITIATOR_WINDOW (30 * USEC_PER_MINUTE)
/* How long after a boot's end its peers' fence acknowledgement may come (agent lock expiry). */
#define FENCE_ACK_WINDOW (5 * USEC_PER_MINUTE)

static const char *const boot_end_names[_BOOT_END_MAX] = {
        [BOOT_END_RUNNING] = "running",         [BOOT_END_CLEAN_REBOOT] = "clean-reboot",
        [BOOT_END_CLEAN_POWEROFF] = "clean-poweroff", [BOOT_END_CRASH] = "crash",
        [BOOT_END_FENCED] = "fenced",
};

const char *boot_end_to_string(BootEnd e) {
        return e >= 0 && e < _BOOT_END_MAX ? boot_end_names[e] : "unknown";
}

static bool in_boot(const CEvent *e, int node, const CBoot *b) {
        return e->node == node && (e->boot ? e->boot == b->row : e->cts >= b->first && e->cts <= b->last);
}

typedef struct Trail {
        int request;           /* system.reboot.requested / poweroff.requested, or the GUI task */
        bool poweroff;
        int shutdown;          /* any later shutdown step */
        int fence;             /* watchdog expiry on the node */
} Trail;

static bool action_is_poweroff(const CEvent *e) {
        char action[64] = "";
        if (!cevent_capture(e, "action", action, sizeof action) && !cevent_capture(e, "desc", action, sizeof action))
                return false;
        return strstr(action, "ower") || strstr(action, "alt");   /* Power down, Powering off, Halt */
}

static Trail find_trail(const Analysis *a, int node, const CBoot *b) {
        Trail t = { -1, false, -1, -1 };
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (!in_boot(e, node, b) || e->cts < b->last - SHUTDOWN_TRAIL)
                        continue;
                char type[32];
                bool task = cevent_is(e, EVENT_PVE_TASK_START) && cevent_capture(e, "type", type, sizeof type) &&
                            (streq(type, "srvreboot") || streq(type, "srvshutdown"));
                if (t.request < 0 && (cevent_is(e, EVENT_SYSTEM_REBOOT_REQUESTED) || cevent_is(e, EVENT_SYSTEM_POWEROFF_REQUESTED) || task)) {
                        t.request = (int) i;
                        t.poweroff = cevent_is(e, EVENT_SYSTEM_POWEROFF_REQUESTED) || (task && streq(type, "srvshutdown"));
                } else if (cevent_is(e, EVENT_SYSTEM_SHUTDOWN) || cevent_is(e, EVENT_SYSTEM_JOURNAL_STOPPED)) {
                        if (t.shutdown < 0)
                                t.shutdown = (int) i;
                        if (t.request < 0 && action_is_poweroff(e))
                                t.poweroff = true;
                } else if ((cevent_is(e, EVENT_WATCHDOG_EXPIRED) || cevent_is(e, EVENT_KERNEL_WATCHDOG_RESET)) && t.fence < 0)
                        t.fence = (int) i;
        }
        return t;
}

/* A peer's CRM acknowledging the fence of this node after the boot ended. */
static int fence_ack(const Analysis *a, int node, const CBoot *b) {
        char target[256];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (cevent_is(e, EVENT_HA_FENCE_ACKNOWLEDGED) && e->cts >= b->last && e->cts <= b->last + FENCE_ACK_WINDOW &&
                    cevent_capture(e, "target", target, sizeof target) && streq(target, a->nodes[node].name))
                        return (int) i;
        }
        return -1;
}

/* The node's own last minutes show the HA self-fence path: quorum or its agent lock lost, the
 * watchdog about to expire. A peer's fence acknowledgement alone does not say the node fenced
 * itself: HA fences every HA node that disappears uncleanly, a power loss included. */
#define SELF_FENCE_WINDOW (3 * USEC_PER_MINUTE)

static bool self_fence_path(const Analysis *a, int node, const CBoot *b) {
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (!in_boot(e, node, b) || e->cts < b->last - SELF_FENCE_WINDOW)
                        continue;
                if (cevent_is(e, EVENT_COROSYNC_QUORUM_LOST) || cevent_is(e, EVENT_PMXCFS_QUORUM_LOST) ||
                    cevent_is(e, EVENT_HA_LOCK_LOST) || cevent_is(e, EVENT_WATCHDOG_EXPIRING))
                        return true;
        }
        return false;
}

static bool has_id(const char *list, int64_t id) {
        for (const char *p = list; *p;) {
                char *end;
                long long v = strtoll(p, &end, 10);
                if (end == p)
                        break;
                if (v == id)
                        return true;
                p = end + strspn(end, " ,");
        }
        return false;
}

/* When the cluster lost a node that stopped logging: its peers' first sign of it (knet losing the
 * host, corosync missing its leave message or forming a ring without it) after its last line and
 * before its next boot. A quiet node's last line can lie long before the crash. */
static usec_t peers_lost_it(const Analysis *a, int node, const CBoot *b, usec_t until) {
        int64_t cid = a->nodes[node].corosync_id;
        char buf[256];
        for (size_t i = 0; cid > 0 && i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->node == node || e->cts <= b->last)
                        continue;
                if (e->cts >= until)
                        break;
                if (((cevent_is(e, EVENT_KNET_HOST_UNREACHABLE) || cevent_is(e, EVENT_KNET_LINK_DOWN)) &&
                     cevent_capture(e, "host", buf, sizeof buf) && strtoll(buf, NULL, 10) == cid) ||
                    ((cevent_is(e, EVENT_COROSYNC_LEAVE_MISSED) || cevent_is(e, EVENT_COROSYNC_MEMBERSHIP)) &&
                     cevent_capture(e, "left", buf, sizeof buf) && has_id(buf, cid)))
                        return e->cts;
        }
        return b->last;
}

static int find_initiator(const Analysis *a, int node, CBoot *b) {
        int best = -1;
        bool best_is_task = false;
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->node != node || e->cts > b->end_at || e->cts < b->end_at - INITIATOR_WINDOW)
                        continue;
                char type[32] = "", service[32] = "";
                bool task = cevent_is(e, EVENT_PVE_TASK_START) && cevent_capture(e, "type", type, sizeof type) &&
                            (streq(type, "srvreboot") || streq(type, "srvshutdown"));
                bool console = cevent_is(e, EVENT_LOGIN_SESSION) && cevent_capture(e, "service", service, sizeof service) &&
                               streq(service, "login");
                bool candidate = task || console || cevent_is(e, EVENT_SSH_LOGIN) || cevent_is(e, EVENT_SYSTEM_POWERKEY);
                /* An API/GUI task names the act itself: it beats any login before it. */
                if (candidate && (!best_is_task || task)) {
                        best = (int) i;
                        best_is_task = task;
                }
        }
        if (best < 0)
                return 0;
        const CEvent *e = &a->events[best];
        _cleanup_(tdata_freep) TData *v = tdata_new();
        char buf[256];
        const char *key = "initiator.powerkey";
        if (!v)
                return -ENOMEM;
        if (cevent_capture(e, "user", buf, sizeof buf))
                tdata_set(v, "user", buf);
        if (cevent_capture(e, "addr", buf, sizeof buf))
                tdata_set(v, "addr", buf);
        if (cevent_capture(e, "type", buf, sizeof buf))
                tdata_set(v, "task", buf);
        if (cevent_is(e, EVENT_SSH_LOGIN))
                key = "initiator.ssh";
        else if (cevent_is(e, EVENT_PVE_TASK_START))
                key = "initiator.task";
        else if (cevent_is(e, EVENT_LOGIN_SESSION))
                key = "initiator.console";
        /* NULL would read as "initiator unknown": out of memory is an error instead. */
        b->initiator = phrase_render(key, v);
        b->initiator_event = best;
        return b->initiator ? 0 : -ENOMEM;
}

int correlate_boots(Analysis *a) {
        for (size_t n = 0; n < a->n_nodes; n++) {
                CNode *cn = &a->nodes[n];
                for (size_t i = 0; i < cn->n_boots; i++) {
                        CBoot *b = &cn->boots[i];
                        bool last = i + 1 == cn->n_boots;
                        Trail t = find_trail(a, (int) n, b);
                        int ack = last ? -1 : fence_ack(a, (int) n, b);
                        if (t.fence >= 0 || (ack >= 0 && self_fence_path(a, (int) n, b))) {
                                b->end = BOOT_END_FENCED;
                                b->end_event = t.fence >= 0 ? t.fence : ack;
                                b->end_at = t.fence >= 0 ? a->events[t.fence].cts : b->last;
                        } else if (t.request >= 0 || t.shutdown >= 0) {
                                b->end_event = t.request >= 0 ? t.request : t.shutdown;
                                b->end_at = a->events[b->end_event].cts;
                                /* A clean stop with no word on what follows: a reboot if the node came back. */
                                bool came_back = !last && cn->boots[i + 1].first - b->last < 30 * USEC_PER_MINUTE;
                                b->end = t.poweroff || (t.request < 0 && !came_back) ? BOOT_END_CLEAN_POWEROFF
                                                                                    : BOOT_END_CLEAN_REBOOT;
                        } else if (!last) {
                                b->end = BOOT_END_CRASH;
                                b->end_at = peers_lost_it(a, (int) n, b, cn->boots[i + 1].first);
                        } else
                                b->end = BOOT_END_RUNNING;
                        if ((b->end == BOOT_END_CLEAN_REBOOT || b->end == BOOT_END_CLEAN_POWEROFF) &&
                            find_initiator(a, (int) n, b) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}
