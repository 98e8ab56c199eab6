/* correlate-ha.c: per HA service, its outages in an incident, from the lines that show it stop and
 * run again (issue 16: "per HA service its downtime from its state changes").
 *
 * How the stacks move a service (pve-ha-manager src/PVE/HA/Manager.pm, LRM.pm, Resources/PVE*.pm;
 * Pacemaker lib/pacemaker/pcmk_output.c, daemons/controld/controld_execd.c):
 *  - pve-ha-crm decides and logs "service 'ct:104': state changed from 'started' to 'relocate'
 *    (node = pve2, target = pve3)"; the LRM of the source node then acts: a container is always
 *    shut down and migrated offline (PVECT migrate: online => 0), a VM under 'relocate' is shut
 *    down too, a VM under 'migrate' is migrated live (no stop; a short pause only). The CRM logs
 *    "... from 'relocate' to 'started'  (node = pve3)" and the LRM of the target starts it
 *    ("starting service ct:104", "service status ct:104 started"); a live-migrated VM already runs
 *    there, so that LRM logs nothing.
 *  - After a fence: 'started' -> 'fence' -> 'recovery' -> 'started' on the recovery node. The
 *    service died with its node, so it is down from when the node was lost, not from the CRM's
 *    decision seconds or minutes later.
 *  - A node shut down with the freeze policy: its LRM stops every service ("stopping service"),
 *    the CRM marks them 'freeze', and they start again on the same node after its reboot. A
 *    restart of pve-ha-lrm alone freezes them too but stops nothing: no outage.
 *  - 'request_stop', 'stopped', 'error': down until 'started' again, if ever.
 *  - Pacemaker: the scheduler plans "Recover/Move/Restart/Migrate RSC ( n1 -> n2 )"; the
 *    controller of the node that ran an operation logs "Result of stop operation for RSC on n1:
 *    ok", "... start ... on n2: ok"; a live migration is migrate_to then migrate_from.
 *
 * Downtime comes only from lines that show it: the first line showing the stop (a shutdown task,
 * "stopping service", the migration task of a container that was shut down for it, a stop result,
 * the node lost), else the decision line; the line showing it run again (the LRM's "service status
 * ... started", a start result), else the CRM's change to 'started'. A stop the logs do not show
 * is left unknown (from = USEC_INVALID: an LRM starting a service with no CRM order for it in the
 * logs, one node's view), and so is a return they do not show (to = USEC_INVALID). Pacemaker
 * starts without a plan or stop before them are not counted (a clone instance starting on a node
 * that joined is no outage). */
#include "correlate.h"

/* The kinds read here that correlate-kind.h does not list (patterns/ha.patterns, system.patterns,
 * pacemaker.patterns). */
#define KIND_SERVICE_STATE "ha.service.state"
#define KIND_SERVICE_ACTION "ha.service.action"
#define KIND_TASK_START "pve.task.start"
#define KIND_TASK_END "pve.task.end"
#define KIND_RSC_PLAN "pcmk.resource.plan"
#define KIND_RSC_RESULT "pcmk.resource.result"

/* How far back from the fence decision the loss of the service's node is looked for. */
#define NODE_LOST_WINDOW (15 * USEC_PER_MINUTE)
/* How far back from a Pacemaker Recover a failed monitor of the resource explains it. */
#define FAILURE_WINDOW (10 * USEC_PER_MINUTE)
/* A stop on the source after a live migration is its cleanup, not a new outage. */
#define MIGRATION_CLEANUP (2 * USEC_PER_MINUTE)

typedef enum Step {
        STEP_CRM,              /* pve-ha-crm: service state change (from, to states; node, target params) */
        STEP_RECOVER,          /* pve-ha-crm: "recover service ... from fenced node X to node Y" */
        STEP_STOPPING,         /* the guest going down on the line's node: "stopping service", a shutdown/stop task */
        STEP_STOPPED,          /* LRM "service status X stopped", a shutdown/stop task ended OK */
        STEP_MOVING,           /* a migration task started on the source (qmigrate, vzmigrate) */
        STEP_STARTED,          /* LRM "service status X started": it runs on the line's node */
        STEP_PLAN,             /* Pacemaker scheduler: Recover / Move / Restart / Migrate (from, to nodes) */
        STEP_RSC_STOPPED,      /* Pacemaker controller: stop ok on the node */
        STEP_RSC_STARTED,      /* ... start or migrate_from ok on the node */
        STEP_RSC_FAILED,       /* ... a recurring monitor not ok: it failed there */
} Step;

typedef struct Line {
        int event;             /* index into a->events */
        Step step;
        int node;              /* where it happened: the logging node, a result's node; -1 */
        char sid[96];
        char from[64], to[64]; /* CRM: states; recover, plan: node names */
        char at[64], target[64]; /* CRM params "node = ", "target = " */
        char action[24];       /* plan: Recover...; task: its type; result: its operation */
} Line;

/* One "k = v" of the CRM's parameters ("node = pve1, target = pve2"). */
static void param(const char *params, const char *k, char *buf, size_t size) {
        buf[0] = 0;
        size_t kl = strlen(k);
        for (const char *p = params; p && *p;) {
                while (*p == ' ' || *p == ',')
                        p++;
                const char *end = strchr(p, ',');
                size_t len = end ? (size_t) (end - p) : strlen(p);
                if (len > kl + 3 && strncmp(p, k, kl) == 0 && strncmp(p + kl, " = ", 3) == 0) {
                        size_t vl = MIN(len - kl - 3, size - 1);
                        memcpy(buf, p + kl + 3, vl);
                        buf[vl] = 0;
                        while (vl > 0 && buf[vl - 1] == ' ')
                                buf[--vl] = 0;
                        return;
                }
                p = end;
        }
}

static bool task_is(const char *type, const char *const *types) {
        for (; *types; types++)
                if (streq(type, *types))
                        return true;
        return false;
}

/* A PVE task on a guest: its service id ("vm:100", "ct:104") and whether it stops or migrates it. */
static bool task_line(const CEvent *e, Line *l) {
        static const char *const stops[] = { "qmshutdown", "qmstop", "vzshutdown", "vzstop", NULL };
        static const char *const moves[] = { "qmigrate", "vzmigrate", NULL };
        char type[24], id[32], status[64] = "";
        if (!cevent_capture(e, "type", type, sizeof type) || !cevent_capture(e, "id", id, sizeof id) || !id[0])
                return false;
        bool end = streq(e->kind, KIND_TASK_END);
        if (end && (!cevent_capture(e, "status", status, sizeof status) ||
                    (!streq(status, "OK") && strncmp(status, "WARNINGS", 8) != 0)))
                return false;   /* a failed shutdown: the guest may still run */
        if (task_is(type, stops))
                l->step = end ? STEP_STOPPED : STEP_STOPPING;
        else if (task_is(type, moves) && !end)
                l->step = STEP_MOVING;
        else
                return false;   /* starts: the target's qmstart of a live migration is no restart */
        snprintf(l->sid, sizeof l->sid, "%s:%s", type[0] == 'q' ? "vm" : "ct", id);
        snprintf(l->action, sizeof l->action, "%s", type);
        return true;
}

static int node_of(const Analysis *a, const char *name) {
        return name[0] ? analysis_node_by_name(a, name) : -1;
}

/* The line's part in a service's story, or false when it has none. */
static bool line_parse(const Analysis *a, int event, Line *l) {
        const CEvent *e = &a->events[event];
        char buf[128];
        *l = (Line){ .event = event, .node = e->node };
        if (streq(e->kind, KIND_SERVICE_STATE)) {
                l->step = STEP_CRM;
                cevent_capture(e, "from", l->from, sizeof l->from);
                cevent_capture(e, "to", l->to, sizeof l->to);
                if (cevent_capture(e, "params", buf, sizeof buf)) {
                        param(buf, "node", l->at, sizeof l->at);
                        param(buf, "target", l->target, sizeof l->target);
                }
        } else if (cevent_is(e, EVENT_HA_RECOVERY)) {
                /* "recover service S from fenced node X to node Y", "to previous ... node Y again", or
                 * "recovering service S from fenced node X failed, no recovery node found" */
                cevent_capture(e, "to", l->to, sizeof l->to);
                if (!cevent_capture(e, "from", l->from, sizeof l->from) || !l->from[0])
                        snprintf(l->from, sizeof l->from, "%s", l->to);
                if (!l->from[0])
                        return false;
                l->step = STEP_RECOVER;
        } else if (streq(e->kind, KIND_SERVICE_ACTION)) {
                if (cevent_capture(e, "action", buf, sizeof buf) && streq(buf, "stopping"))
                        l->step = STEP_STOPPING;
                else if (cevent_capture(e, "state", buf, sizeof buf) && (streq(buf, "started") || streq(buf, "stopped")))
                        l->step = streq(buf, "started") ? STEP_STARTED : STEP_STOPPED;
                else
                        return false;
        } else if (streq(e->kind, KIND_TASK_START) || streq(e->kind, KIND_TASK_END))
                return task_line(e, l);
        else if (streq(e->kind, KIND_RSC_PLAN)) {
                l->step = STEP_PLAN;
                cevent_capture(e, "action", l->action, sizeof l->action);
                cevent_capture(e, "from", l->from, sizeof l->from);
                cevent_capture(e, "to", l->to, sizeof l->to);
        } else if (streq(e->kind, KIND_RSC_RESULT)) {
                char status[64] = "";
                cevent_capture(e, "action", l->action, sizeof l->action);
                cevent_capture(e, "status", status, sizeof status);
                if (cevent_capture(e, "target", buf, sizeof buf) && node_of(a, buf) >= 0)
                        l->node = node_of(a, buf);
                bool ok = streq(status, "ok");
                if (ok && streq(l->action, "stop"))
                        l->step = STEP_RSC_STOPPED;
                else if (ok && (streq(l->action, "start") || streq(l->action, "migrate_from")))
                        l->step = STEP_RSC_STARTED;
                else if (!ok && streq(l->action, "monitor"))  /* a probe "not running" is no failure */
                        l->step = STEP_RSC_FAILED;
                else
                        return false;
        } else
                return false;
        if (l->sid[0] == 0 && (!cevent_capture(e, "sid", l->sid, sizeof l->sid) || !l->sid[0]))
                return false;
        return true;
}

/* When node was lost, before event `at`: the first line that shows it gone. Its leaving the
 * membership (the cluster's view: a node cut off but running is lost to it from then), or the end
 * of its boot when its own logs show that earlier (a crash or reset the peers notice only after the
 * token timeout); else the HA master marking it 'unknown'. With gone, only when it had not joined
 * again by `at` (a Pacemaker Move away from a node that came back is no loss). The line's index
 * (-1: none, or a timeline entry without one) and time; false when nothing shows it. */
static bool node_lost(const Analysis *a, int node, int at, bool gone, int *ret_event, usec_t *ret_ts) {
        if (node < 0)
                return false;
        usec_t t = a->events[at].cts, lo = t - NODE_LOST_WINDOW, lost = USEC_INVALID;
        int event = -1;
        for (size_t i = 0; i < a->n_timeline; i++) {
                const TimelineEntry *te = &a->timeline[i];
                if (te->node == node && streq(te->kind, "node.left") && te->ts >= lo && te->ts <= t)
                        lost = te->ts, event = te->event;
        }
        const CNode *n = &a->nodes[node];
        for (size_t b = 0; b < n->n_boots; b++) {
                const CBoot *cb = &n->boots[b];
                if (cb->end != BOOT_END_RUNNING && cb->end_at != USEC_INVALID && cb->end_at >= lo &&
                    cb->end_at <= (lost != USEC_INVALID ? lost : t))
                        lost = cb->end_at, event = cb->end_event;
        }
        if (lost == USEC_INVALID)
                for (int i = at - 1; i >= 0 && a->events[i].cts >= lo; i--) {
                        const CEvent *e = &a->events[i];
                        char target[64], to[16];
                        if (cevent_is(e, EVENT_HA_NODE_STATE) && cevent_capture(e, "target", target, sizeof target) &&
                            analysis_node_by_name(a, target) == node && cevent_capture(e, "to", to, sizeof to) &&
                            streq(to, "unknown")) {
                                lost = e->cts, event = i;
                                break;
                        }
                }
        if (lost == USEC_INVALID)
                return false;
        for (size_t i = 0; gone && i < a->n_timeline; i++) {
                const TimelineEntry *te = &a->timeline[i];
                if (te->node == node && streq(te->kind, "node.joined") && te->ts > lost && te->ts <= t)
                        return false;
        }
        *ret_event = event;
        *ret_ts = lost;
        return true;
}

/* The outages of one service, read line by line. */
typedef struct Machine {
        const Analysis *a;
        bool open;
        ServiceOutage cur;     /* being built (sid not set) */
        usec_t opened;         /* time of the line that opened it (what ties it to an incident) */
        bool from_weak;        /* cur.from is a decision (CRM, scheduler), not a line showing the stop */
        bool from_lost;        /* cur.from is its node's loss, as far as the lines read so far show it */
        bool by_agent;         /* opened by an LRM, task or result line, no decision seen yet */
        bool state_known;      /* opened from a running state (a recovery seen alone may be of a stopped one) */
        bool stop_seen;        /* a line shows it went down: no live migration */
        int waiting;           /* the CRM's change to 'started', when no LRM line confirms it; -1 */
        int node;              /* where it runs as far as the lines say; -1 */
        bool expect_start;     /* the CRM ordered a start while nothing was open: the LRM's start is that */
        int failed;            /* Pacemaker: its last failed monitor, -1 */
        int migrated_node;     /* Pacemaker: the source of its last live migration, -1 */
        usec_t migrated_at;
        ServiceOutage *v;      /* the outages found, sid not set */
        usec_t *v_opened;      /* parallel to v */
        size_t n, alloc, alloc_opened;
} Machine;

/* The CRM states of a service that runs (request_start_balance: a stopped one about to start). */
static bool running_state(const char *s) {
        return streq(s, "started") || streq(s, "migrate") || streq(s, "relocate") || streq(s, "request_stop");
}

static int push(Machine *m, ServiceOutage o, usec_t opened) {
        if (array_reserve(&m->v, &m->alloc, m->n + 1, sizeof *m->v, 4) < 0 ||
            array_reserve(&m->v_opened, &m->alloc_opened, m->n + 1, sizeof *m->v_opened, 4) < 0)
                return -ENOMEM;
        m->v_opened[m->n] = opened;
        m->v[m->n++] = o;
        return 0;
}

static void open_outage(Machine *m, const Line *l, const char *how, int from_node, int to_node, bool weak) {
        usec_t t = m->a->events[l->event].cts;
        m->open = true;
        m->cur = (ServiceOutage){ .how = how, .from = t, .to = USEC_INVALID, .from_node = from_node, .to_node = to_node,
                                  .first_event = l->event, .last_event = -1 };
        m->opened = t;
        m->from_weak = weak;
        m->from_lost = false;
        m->by_agent = !weak;
        m->state_known = true;
        m->stop_seen = !weak;
        m->waiting = -1;
}

/* A line that shows the stop itself: the outage starts there, not at the decision before it. */
static void shows_stop(Machine *m, const Line *l) {
        m->stop_seen = true;
        if (m->from_weak) {
                m->cur.from = m->a->events[l->event].cts;
                m->cur.first_event = l->event;
                m->from_weak = false;
        }
}

/* Down since its node was lost, when the logs show that (a later line sees its boot's end). */
static void since_node_lost(Machine *m, const Line *l, bool gone) {
        int event;
        usec_t ts;
        if ((m->from_weak || m->from_lost) && node_lost(m->a, m->cur.from_node, l->event, gone, &event, &ts)) {
                m->cur.from = ts;
                m->cur.first_event = event;
                m->from_weak = false;
                m->from_lost = true;
                m->stop_seen = true;
        }
}

static int close_outage(Machine *m, int event, bool live) {
        m->cur.to = m->a->events[event].cts;
        m->cur.last_event = event;
        m->cur.live = live;
        /* Opened by the agent's lines alone: where it came back says how it moved. */
        if (m->by_agent && streq(m->cur.how, "stop") && m->cur.from_node >= 0 && m->cur.to_node >= 0)
                m->cur.how = m->cur.from_node == m->cur.to_node ? "restart" : "relocate";
        m->open = false;
        return push(m, m->cur, m->opened);
}

/* The CRM said 'started' and no LRM line followed: its word is all the logs give. A VM the CRM
 * migrated while running and that nothing stopped or started was moved live. */
static int close_waiting(Machine *m, const char *sid) {
        bool live = streq(m->cur.how, "migrate") && strncmp(sid, "vm:", 3) == 0 && !m->stop_seen;
        return close_outage(m, m->waiting, live);
}

static int crm_step(Machine *m, const Line *l, const char *sid) {
        const Analysis *a = m->a;
        int at = node_of(a, l->at), target = node_of(a, l->target);
        if (streq(l->to, "started")) {
                m->expect_start = !m->open;
                if (m->open) {
                        if (at >= 0)
                                m->cur.to_node = at;
                        if (m->waiting < 0)
                                m->waiting = l->event;
                }
                if (at >= 0)
                        m->node = at;
                return 0;
        }
        int r = 0;
        if (m->open && m->waiting >= 0)
                r = close_waiting(m, sid);
        if (r < 0)
                return r;
        const char *how = streq(l->to, "migrate")    ? "migrate"
                          : streq(l->to, "relocate") ? "relocate"
                          : streq(l->to, "fence") || streq(l->to, "recovery") ? "recovery"
                          : streq(l->to, "freeze")   ? "freeze"
                          : streq(l->to, "error")    ? "error"
                          : streq(l->to, "request_stop") || streq(l->to, "stopped") ? "stop"
                                                                                     : NULL;
        if (!how)
                return 0;       /* request_start, request_start_balance: no change for the guest yet */
        int node = at >= 0 ? at : m->node;
        if (at >= 0)
                m->node = at;
        if (!m->open) {
                bool recovery_alone = streq(l->to, "recovery");  /* its 'fence' line is not in the logs */
                if (!running_state(l->from) && !recovery_alone)
                        return 0;       /* it was not running: nothing went down */
                open_outage(m, l, how, node, target, true);
                m->state_known = !recovery_alone;
        } else if (m->by_agent) {
                /* The agent's lines came first (an LRM stops its services on shutdown before the
                 * CRM marks them frozen): the decision names what it was. */
                m->cur.how = how;
                if (target >= 0)
                        m->cur.to_node = target;
                m->by_agent = false;
        } else if (streq(how, "stop") && streq(m->cur.how, "recovery") && !m->state_known) {
                m->open = false;        /* a stopped service recovered to a node, stopped again: no outage */
                return 0;
        } else if (streq(how, "recovery") && !streq(m->cur.how, "recovery"))
                m->cur.how = how;       /* its node was lost while it was moving or stopping */
        if (streq(m->cur.how, "recovery"))
                since_node_lost(m, l, false);
        return 0;
}

static int started_step(Machine *m, const Line *l, bool partial_ok, bool live) {
        m->node = l->node;
        if (m->open) {
                m->cur.to_node = l->node;
                return close_outage(m, l->event, live);
        }
        if (!partial_ok)
                return 0;
        /* Only its start is in the logs (one node's view, no CRM): it was down before, since when
         * the logs do not say. */
        usec_t t = m->a->events[l->event].cts;
        ServiceOutage o = { .how = "restart", .from = USEC_INVALID, .to = t, .from_node = -1, .to_node = l->node,
                            .first_event = -1, .last_event = l->event };
        return push(m, o, t);
}

static int plan_step(Machine *m, const Line *l) {
        const Analysis *a = m->a;
        int from = node_of(a, l->from), to = l->to[0] ? node_of(a, l->to) : from;
        const char *how = streq(l->action, "Recover") ? "recovery"
                          : streq(l->action, "Move")  ? "relocate"
                          : streq(l->action, "Migrate") ? "migrate"
                                                        : "restart";
        if (m->open) {
                if (m->by_agent) {
                        m->cur.how = how;
                        m->cur.to_node = to;
                        m->by_agent = false;
                }
                return 0;
        }
        open_outage(m, l, how, from, to, true);
        /* Its node was lost (a Move away from a node being fenced is a recovery too). */
        if (!streq(how, "migrate")) {
                since_node_lost(m, l, true);
                if (m->from_lost)
                        m->cur.how = "recovery";
        }
        /* A resource failed in place: down since its monitor found it so. */
        if (m->from_weak && streq(how, "recovery") && m->failed >= 0 &&
            a->events[m->failed].cts >= a->events[l->event].cts - FAILURE_WINDOW) {
                m->cur.from = a->events[m->failed].cts;
                m->cur.first_event = m->failed;
                m->from_weak = false;
                m->stop_seen = true;
        }
        return 0;
}

static int machine_step(Machine *m, const Line *l, const char *sid) {
        const Analysis *a = m->a;
        usec_t t = a->events[l->event].cts;
        int r = 0;
        switch (l->step) {
        case STEP_CRM:
                return crm_step(m, l, sid);
        case STEP_RECOVER: {
                int from = node_of(a, l->from), to = node_of(a, l->to);
                if (!m->open) {
                        open_outage(m, l, "recovery", from, to, true);
                        m->state_known = false;
                } else {
                        if (m->cur.from_node < 0)
                                m->cur.from_node = from;
                        if (to >= 0)
                                m->cur.to_node = to;
                }
                since_node_lost(m, l, false);
                return 0;
        }
        case STEP_STOPPING:
        case STEP_STOPPED:
        case STEP_RSC_STOPPED:
                if (l->step == STEP_RSC_STOPPED && l->node == m->migrated_node && t - m->migrated_at <= MIGRATION_CLEANUP)
                        return 0;       /* the source's stop after migrate_from */
                if (m->open && m->waiting >= 0)
                        r = close_waiting(m, sid);
                if (r < 0)
                        return r;
                m->node = l->node;
                if (!m->open)
                        open_outage(m, l, "stop", l->node, -1, false);
                else
                        shows_stop(m, l);
                if (m->cur.from_node < 0)
                        m->cur.from_node = l->node;
                return 0;
        case STEP_MOVING: {
                bool ct = streq(l->action, "vzmigrate");
                if (!m->open)
                        open_outage(m, l, ct ? "relocate" : "migrate", l->node, -1, false);
                else if (m->by_agent && streq(m->cur.how, "stop"))
                        m->cur.how = ct ? "relocate" : "migrate";     /* shut down, then moved */
                /* A container is shut down before its migration task starts; a VM's task is the
                 * live migration, or the move of one that was shut down (a shutdown task shows it). */
                else if (ct)
                        shows_stop(m, l);
                else if (m->from_weak) {
                        m->cur.from = t;
                        m->cur.first_event = l->event;
                        m->from_weak = false;
                }
                if (ct)
                        m->stop_seen = true;
                return 0;
        }
        case STEP_STARTED: {
                /* Started with nothing open and no CRM order for it: it was down, since when the
                 * logs do not say (one node's view, or a CRM that logged no change). */
                bool partial = !m->expect_start;
                m->expect_start = false;
                return started_step(m, l, partial, false);
        }
        case STEP_RSC_STARTED: {
                bool live = m->open && streq(m->cur.how, "migrate") && streq(l->action, "migrate_from");
                if (live) {
                        m->migrated_node = m->cur.from_node;
                        m->migrated_at = t;
                }
                return started_step(m, l, false, live);
        }
        case STEP_RSC_FAILED:
                m->failed = l->event;
                return 0;
        case STEP_PLAN:
                return plan_step(m, l);
        }
        return 0;
}

static int machine_finish(Machine *m, const char *sid) {
        if (!m->open)
                return 0;
        if (m->waiting >= 0)
                return close_waiting(m, sid);
        m->open = false;
        return push(m, m->cur, m->opened);
}

/* Frozen with no line showing it stop: the LRM restarted and the guest ran on, unless its node has
 * no logs of its own and left the membership meanwhile (then the CRM's word is all there is). */
static bool frozen_only(const Analysis *a, const ServiceOutage *o) {
        if (!streq(o->how, "freeze") || o->first_event < 0 || !streq(a->events[o->first_event].kind, KIND_SERVICE_STATE))
                return false;
        if (o->from_node < 0 || a->nodes[o->from_node].has_logs)
                return true;
        for (size_t i = 0; i < a->n_timeline; i++) {
                const TimelineEntry *t = &a->timeline[i];
                if (t->node == o->from_node && streq(t->kind, "node.left") && t->ts >= o->from &&
                    (o->to == USEC_INVALID || t->ts <= o->to))
                        return false;
        }
        return true;
}

static int add_outages(Incident *inc, Machine *m, const char *sid, usec_t start, usec_t to) {
        for (size_t i = 0; i < m->n; i++) {
                const ServiceOutage *o = &m->v[i];
                if (m->v_opened[i] < start || m->v_opened[i] > to || frozen_only(m->a, o))
                        continue;
                if (array_reserve(&inc->outages, &inc->n_outages_alloc, inc->n_outages + 1, sizeof *inc->outages, 4) < 0)
                        return -ENOMEM;
                ServiceOutage *p = &inc->outages[inc->n_outages];
                *p = *o;
                p->sid = strdup(sid);
                if (!p->sid)
                        return -ENOMEM;
                inc->n_outages++;
        }
        return 0;
}

static usec_t outage_key(const ServiceOutage *o) {
        return o->from != USEC_INVALID ? o->from : o->to;
}

static int compare_outage(const void *x, const void *y) {
        const ServiceOutage *p = x, *q = y;
        usec_t a = outage_key(p), b = outage_key(q);
        if (a != b)
                return a < b ? -1 : 1;
        return strcmp(p->sid, q->sid);
}

static const Line *sort_lines;  /* qsort has no context argument in C17 */

/* By service, then in time order (the events' order). */
static int compare_line(const void *x, const void *y) {
        const Line *p = &sort_lines[*(const size_t *) x], *q = &sort_lines[*(const size_t *) y];
        int c = strcmp(p->sid, q->sid);
        return c != 0 ? c : (p->event > q->event) - (p->event < q->event);
}

int correlate_outages(const Analysis *a, Incident *inc, usec_t to) {
        Line *lines = NULL;
        size_t n = 0, alloc = 0;
        int r = 0;
        for (size_t i = 0; i < a->n_events; i++) {
                Line l;
                if (!line_parse(a, (int) i, &l))
                        continue;
                /* An event with two tags is one line. */
                if (n > 0 && a->events[lines[n - 1].event].id == a->events[i].id && lines[n - 1].step == l.step)
                        continue;
                if (array_reserve(&lines, &alloc, n + 1, sizeof *lines, 64) < 0) {
                        free(lines);
                        return -ENOMEM;
                }
                lines[n++] = l;
        }
        /* One service at a time, over all its lines (where it ran before the incident tells which
         * node was lost under it): the lines sorted by service, in time order within one. */
        size_t *order = malloc((n + 1) * sizeof *order);
        if (!order) {
                free(lines);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
                order[i] = i;
        sort_lines = lines;
        qsort(order, n, sizeof *order, compare_line);
        for (size_t i = 0, next; i < n && r >= 0; i = next) {
                const char *sid = lines[order[i]].sid;
                bool in_reach = false;
                for (next = i; next < n && streq(lines[order[next]].sid, sid); next++)
                        in_reach = in_reach || a->events[lines[order[next]].event].cts >= inc->start;
                if (!in_reach)
                        continue;       /* all its lines are older than the incident */
                Machine m = { .a = a, .waiting = -1, .node = -1, .failed = -1, .migrated_node = -1 };
                for (size_t j = i; j < next && r >= 0; j++)
                        r = machine_step(&m, &lines[order[j]], sid);
                if (r >= 0)
                        r = machine_finish(&m, sid);
                if (r >= 0)
                        r = add_outages(inc, &m, sid, inc->start, to);
                free(m.v);
                free(m.v_opened);
        }
        free(order);
        free(lines);
        if (r >= 0 && inc->n_outages > 1) {
                qsort(inc->outages, inc->n_outages, sizeof *inc->outages, compare_outage);
        }
        return r;
}
