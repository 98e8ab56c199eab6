/* correlate-postmortem.c: the judgements a postmortem makes once an incident's cause is known: the
 * line that triggered it, how bad it was (severity by the rule the README states, and why), how
 * anyone could have learnt of it, what held, and what to do next (action items with a priority and
 * the lines that call for them). Every statement cites the lines behind it; wording is in
 * reports/phrases.txt. */
#include <stdlib.h>

#include "correlate.h"
#include "report-template.h"

/* Guest downtime that makes an incident major, and critical: a restarted container is a minute of
 * an outage users notice; ten minutes, or not back at all, is an outage that needs a person. */
#define MAJOR_DOWNTIME (1 * USEC_PER_MINUTE)
#define CRITICAL_DOWNTIME (10 * USEC_PER_MINUTE)
/* How far from its hypothesis' time a timeline entry may lie and still say what the trigger was. */
#define TRIGGER_SLACK (5 * USEC_PER_SEC)
/* How long after a reboot command its own node logs the steps of that reboot. */
#define TRIGGER_ACTION (1 * USEC_PER_MINUTE)
/* The downtime of a guest not running again by the end of the logs. */
#define NOT_BACK INT64_MAX

void findings_free(Finding *v, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(v[i].text);
        free(v);
}

/* Events are sorted by corrected time, so index order is time order. */
static void finding_cite(Finding *f, const int *evidence, size_t n_evidence) {
        for (size_t k = 0; k < n_evidence && f->n_evidence < FINDING_EVIDENCE_MAX; k++) {
                int e = evidence[k];
                bool known = e < 0;
                for (size_t j = 0; j < f->n_evidence && !known; j++)
                        known = f->evidence[j] == e;
                if (known)
                        continue;
                size_t at = f->n_evidence++;
                for (; at > 0 && f->evidence[at - 1] > e; at--)
                        f->evidence[at] = f->evidence[at - 1];
                f->evidence[at] = e;
        }
}

static int finding_add_text(Finding **v, size_t *n, size_t *alloc, const char *text, const int *evidence, size_t n_evidence,
                            int priority) {
        if (!text[0])
                return 0;
        for (size_t i = 0; i < *n; i++)
                if (streq((*v)[i].text, text)) {
                        finding_cite(&(*v)[i], evidence, n_evidence);
                        return 0;
                }
        if (array_reserve(v, alloc, *n + 1, sizeof **v, 4) < 0)
                return -ENOMEM;
        char *copy = strdup(text);
        if (!copy)
                return -ENOMEM;
        Finding *f = &(*v)[(*n)++];
        *f = (Finding){ .text = copy, .priority = priority };
        finding_cite(f, evidence, n_evidence);
        return 0;
}

int finding_add(Finding **v, size_t *n, size_t *alloc, const char *key, TData *vars, const int *evidence, size_t n_evidence,
                int priority) {
        _cleanup_(tdata_freep) _unused_ TData *owned = vars;
        if (!vars)
                return -ENOMEM;
        _cleanup_free_ char *text = phrase_render(key, vars);
        return text ? finding_add_text(v, n, alloc, text, evidence, n_evidence, priority) : -ENOMEM;
}

/* Of a hypothesis' lines that name its cause, the one nearest its time (the reboot command, not
 * the login before it nor the peer's word after it); else its first line. */
static int hypothesis_trigger(const Analysis *a, const Hypothesis *h) {
        int best = -1;
        for (size_t k = 0; k < h->n_evidence; k++) {
                if (h->evidence_roles[k] != EVIDENCE_CAUSE)
                        continue;
                usec_t d = llabs(a->events[h->evidence[k]].cts - h->at);
                if (best < 0 || d < llabs(a->events[best].cts - h->at))
                        best = h->evidence[k];
        }
        return best >= 0 || h->n_evidence == 0 ? best : h->evidence[0];
}

static bool is_trigger_kind(const char *kind) {
        static const char *const kinds[] = { "node.reboot.requested", "node.crash", "node.fenced", "node.fenced.by-peer",
                                             "ha.fence", "link.down", "node.left", "quorum.lost" };
        for (size_t i = 0; i < ELEMENTSOF(kinds); i++)
                if (streq(kind, kinds[i]))
                        return true;
        return false;
}

/* What the trigger line means, in the timeline's words: its own entry, else the nearest entry of a
 * triggering kind on its node. NULL when none says it. */
static const char *trigger_meaning(const Incident *inc, const CEvent *e, int event) {
        const TimelineEntry *best = NULL;
        for (size_t i = 0; i < inc->n_timeline; i++) {
                const TimelineEntry *t = &inc->timeline[i];
                if (t->event == event)
                        return t->summary;
                if (t->node != e->node || !is_trigger_kind(t->kind) || llabs(t->ts - e->cts) > TRIGGER_SLACK)
                        continue;
                if (!best || llabs(t->ts - e->cts) < llabs(best->ts - e->cts))
                        best = t;
        }
        return best ? best->summary : NULL;
}

static int find_trigger(const Analysis *a, Incident *inc) {
        inc->trigger = inc->n_hypotheses ? hypothesis_trigger(a, &inc->hypotheses[0]) : -1;
        if (inc->trigger < 0)
                return 0;
        const char *meaning = trigger_meaning(inc, &a->events[inc->trigger], inc->trigger);
        if (meaning && !(inc->trigger_text = strdup(meaning)))
                return -ENOMEM;
        return 0;
}

/* An address a cluster node uses (Analysis.cluster_addrs): the nodes log in to each other as root
 * over ssh for migrations and replication, and that is no person. */
static bool cluster_address(const Analysis *a, const char *addr) {
        for (size_t i = 0; i < a->n_cluster_addrs; i++)
                if (streq(a->cluster_addrs[i], addr))
                        return true;
        return false;
}

/* A person's login or reboot command (a session pam opens for an ssh login is the same login). */
static bool is_person_acting(const Analysis *a, const CEvent *e) {
        char addr[64];
        if (cevent_is(e, EVENT_SSH_LOGIN))
                return !cevent_capture(e, "addr", addr, sizeof addr) || !cluster_address(a, addr);
        return cevent_is(e, EVENT_SYSTEM_REBOOT_REQUESTED) || cevent_is(e, EVENT_SYSTEM_POWEROFF_REQUESTED);
}

/* The trigger's own node doing what the trigger began (logind's "The system will reboot now!"
 * after systemd's reboot request): not a second person acting. */
static bool part_of_trigger(const Analysis *a, const Incident *inc, const CEvent *e) {
        if (inc->trigger < 0)
                return false;
        const CEvent *t = &a->events[inc->trigger];
        return e->node == t->node && llabs(e->cts - t->cts) < TRIGGER_ACTION;
}

/* Alerts sent and lost from the start to `to`, and the first sign of a person at work after the
 * trigger (the trigger's own login is not news to anyone). */
static void detect(const Analysis *a, Incident *inc, const Departure *d, size_t n_dep, usec_t to) {
        Detection *dt = &inc->detection;
        *dt = (Detection){ .first_sent = -1, .first_failed = -1, .first_action = -1 };
        usec_t after = inc->trigger >= 0 ? a->events[inc->trigger].cts : inc->start;
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < inc->start || e->cts > to)
                        continue;
                if (cevent_is(e, EVENT_NOTIFY_SENT) && dt->alerts_sent++ == 0)
                        dt->first_sent = (int) i;
                if (cevent_is(e, EVENT_NOTIFY_FAILED) && dt->alerts_failed++ == 0)
                        dt->first_failed = (int) i;
                if (dt->first_action < 0 && e->cts > after && !part_of_trigger(a, inc, e) && is_person_acting(a, e))
                        dt->first_action = (int) i;
        }
        const Hypothesis *root = inc->n_hypotheses ? &inc->hypotheses[0] : NULL;
        for (size_t i = 0; i < n_dep && root; i++)
                if (d[i].node == root->node && d[i].boot && d[i].boot->initiator &&
                    (root->kind == CAUSE_MANUAL_REBOOT || root->kind == CAUSE_PLANNED_SHUTDOWN))
                        dt->by_hand = true;
}

/* The longest downtime of a guest (NOT_BACK: one not back by the end of the logs) and its outage. */
static usec_t longest_outage(const Incident *inc, const ServiceOutage **ret) {
        usec_t longest = 0;
        *ret = NULL;
        for (size_t i = 0; i < inc->n_outages; i++) {
                const ServiceOutage *o = &inc->outages[i];
                /* A start whose stop is not in the logs has no figure to weigh. */
                if (!o->live && o->from == USEC_INVALID)
                        continue;
                usec_t down = o->live ? 0 : o->to == USEC_INVALID ? NOT_BACK : o->to - o->from;
                if (down > longest || (!*ret && !o->live)) {
                        longest = down;
                        *ret = o;
                }
        }
        return longest;
}

static bool class_is_minor(Classification c) {
        return c == CLASS_NODE_REBOOT || c == CLASS_PLANNED_MAINTENANCE || c == CLASS_LINK_INSTABILITY;
}

/* The README's rule: critical when quorum was lost, a node fenced, or a guest down for
 * CRITICAL_DOWNTIME or not back; minor for one clean reboot, sequential maintenance or link flaps
 * with no guest down for MAJOR_DOWNTIME; major otherwise. The reason names what decided it and
 * what held. */
static int judge_severity(const Analysis *a, Incident *inc) {
        const ServiceOutage *worst;
        usec_t longest = longest_outage(inc, &worst);
        char t[32];
        TData *v = tdata_new();
        if (!v)
                return -ENOMEM;
        StrBuf nodes = STRBUF_INIT;
        if (inc->quorum_lost) {
                for (int i = 0; i < inc->n_quorum_lost; i++)
                        strbuf_addf(&nodes, "%s%s", i ? ", " : "", a->nodes[inc->quorum_lost_nodes[i]].name);
                tdata_set(v, "quorum_lost", nodes.buf ? nodes.buf : "");
        }
        strbuf_reset(&nodes);
        for (int i = 0; i < inc->n_fenced; i++)
                strbuf_addf(&nodes, "%s%s", i ? ", " : "", a->nodes[inc->fenced_nodes[i]].name);
        if (inc->n_fenced)
                tdata_set(v, "fenced", nodes.buf ? nodes.buf : "");
        int r = strbuf_error(&nodes);
        strbuf_release(&nodes);
        if (!worst && inc->n_outages > 0)
                tdata_set(v, "unmeasured", "yes");     /* restarts whose stop the logs do not show */
        if (worst) {
                tdata_set(v, "service", worst->sid);
                if (longest == NOT_BACK)
                        tdata_set(v, "not_back", "yes");
                else
                        tdata_set(v, "downtime", duration_text(longest, t));
        }
        bool critical = inc->quorum_lost || inc->n_fenced > 0 || (worst && longest >= CRITICAL_DOWNTIME);
        if (worst && longest >= CRITICAL_DOWNTIME)
                tdata_set(v, "long", "yes");
        bool minor = !critical && class_is_minor(inc->classification) && !(worst && longest >= MAJOR_DOWNTIME);
        inc->severity = critical ? INCIDENT_CRITICAL : minor ? INCIDENT_MINOR : INCIDENT_MAJOR;
        char key[64];
        snprintf(key, sizeof key, "severity.class.%s", classification_to_string(inc->classification));
        _cleanup_free_ char *why = phrase_render(key, NULL);
        if (why)
                tdata_set(v, "class", why);
        tdata_set(v, "severity", incident_severity_to_string(inc->severity));
        if (critical)
                tdata_set(v, "critical", "yes");
        inc->severity_reason = r < 0 || !why ? NULL : phrase_render("severity.reason", v);
        tdata_free(v);
        return inc->severity_reason ? 0 : -ENOMEM;
}

static int went_well(Incident *inc, int key_event, const char *key, TData *v) {
        return finding_add(&inc->went_well, &inc->n_went_well, &inc->n_went_well_alloc, key, v, &key_event, 1, 0);
}

/* The membership line of the incident's lowest point (the view in effect over it, which may have
 * been logged before it began): the majority that kept quorum. */
static int fewest_members_line(const Analysis *a, const Incident *inc) {
        static const EventKind members[] = { EVENT_COROSYNC_QUORUM_MEMBERS, EVENT_COROSYNC_MEMBERSHIP, EVENT_PMXCFS_MEMBERS,
                                             EVENT_PCMK_PEER_LOST, EVENT_PCMK_PEER_MEMBER };
        for (size_t i = 0; i < a->n_membership; i++) {
                const MemberPoint *m = &a->membership[i];
                bool in_effect = m->ts <= inc->end && (i + 1 == a->n_membership || a->membership[i + 1].ts > inc->start);
                if (!in_effect || m->count != inc->min_members)
                        continue;
                /* A view inferred from the line that changed it has none of its own: a later one may. */
                int line = m->event >= 0 ? m->event
                                         : analysis_find_event(a, -1, m->ts - USEC_PER_SEC, m->ts + USEC_PER_SEC, members, ELEMENTSOF(members));
                if (line >= 0)
                        return line;
        }
        /* Else a quorum view of that size logged during the incident. */
        char count[16];
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts >= inc->start && e->cts <= inc->end && cevent_is(e, EVENT_COROSYNC_QUORUM_MEMBERS) &&
                    cevent_capture(e, "count", count, sizeof count) && atoi(count) == inc->min_members)
                        return (int) i;
        }
        return -1;
}

/* What held, each with the line that shows it: quorum, clean shutdowns, everyone back, alerts out,
 * guests running again. Only what is true of the whole incident is said. */
static int find_went_well(const Analysis *a, Incident *inc, const Departure *d, size_t n_dep) {
        int r = 0;
        char t[32];
        int line = fewest_members_line(a, inc);
        if (!inc->quorum_lost && line >= 0) {
                TData *v = tdata_new();
                tdata_setf(v, "min", "%d", inc->min_members);
                tdata_setf(v, "expected", "%d", inc->nodes_expected);
                r = went_well(inc, line, inc->min_members < inc->nodes_expected ? "well.quorum-held" : "well.all-stayed", v);
        }
        size_t clean = 0, back = 0;
        usec_t longest_out = 0;
        for (size_t i = 0; i < n_dep; i++) {
                clean += cause_is_clean(d[i].kind) && d[i].boot && d[i].boot->end_event >= 0;
                back += d[i].back != INT64_MAX;
                if (d[i].back != INT64_MAX)
                        longest_out = MAX(longest_out, d[i].back - d[i].gone);
        }
        for (size_t i = 0; i < n_dep && r >= 0 && clean == n_dep && inc->n_fenced == 0; i++)
                r = went_well(inc, d[i].boot->end_event, "well.clean-shutdowns", tdata_new());
        for (size_t i = 0; i < n_dep && r >= 0 && back == n_dep; i++) {
                TData *v = tdata_new();
                tdata_set(v, "longest", duration_text(longest_out, t));
                r = went_well(inc, d[i].joined >= 0 ? a->timeline[d[i].joined].event : -1, "well.all-back", v);
        }
        if (r >= 0 && inc->detection.first_sent >= 0) {
                TData *v = tdata_new();
                tdata_setf(v, "count", "%d", inc->detection.alerts_sent);
                r = went_well(inc, inc->detection.first_sent, "well.alerts-sent", v);
        }
        const ServiceOutage *worst;
        usec_t longest = longest_outage(inc, &worst);
        for (size_t i = 0; i < inc->n_outages && r >= 0 && longest != NOT_BACK; i++) {
                TData *v = tdata_new();
                tdata_setf(v, "count", "%zu", inc->n_outages);
                if (worst)
                        tdata_set(v, "longest", duration_text(longest, t));
                r = went_well(inc, inc->outages[i].last_event, "well.services-back", v);
        }
        return r;
}

/* The advice of the classification, backed by what triggered the incident and each later event of
 * it (a cascade's second reboot command is why "one node at a time" is advised). */
static int classification_action(const Analysis *a, Incident *inc) {
        int evidence[FINDING_EVIDENCE_MAX], n = 0;
        for (size_t i = 0; i < inc->n_hypotheses && n < FINDING_EVIDENCE_MAX; i++) {
                const Hypothesis *h = &inc->hypotheses[i];
                int e = i == 0 ? inc->trigger : h->subsequent ? hypothesis_trigger(a, h) : -1;
                if (e >= 0)
                        evidence[n++] = e;
        }
        if (n == 0)
                return 0;      /* no line to stand on: no advice */
        char key[64];
        snprintf(key, sizeof key, "advice.%s", classification_to_string(inc->classification));
        int priority = inc->classification == CLASS_PLANNED_MAINTENANCE ? 3 : 1;
        return finding_add(&inc->advice, &inc->n_advice, &inc->n_advice_alloc, key, tdata_new(), evidence, (size_t) n, priority);
}

static bool cited_by(const Finding *v, size_t n, int event) {
        for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < v[i].n_evidence; k++)
                        if (v[i].evidence[k] == event)
                                return true;
        return false;
}

/* A line the report cites: in a hypothesis' chain, behind a contributing factor, or the trigger. */
static bool is_cited(const Incident *inc, int event) {
        if (event == inc->trigger || cited_by(inc->factors, inc->n_factors, event))
                return true;
        for (size_t h = 0; h < inc->n_hypotheses; h++)
                for (size_t k = 0; k < inc->hypotheses[h].n_evidence; k++)
                        if (inc->hypotheses[h].evidence[k] == event)
                                return true;
        return false;
}

/* The pattern library's advice for the decisive lines the report cites (not for every warning of
 * the window, which repeats what the cited ones say), unless a line is the expected effect of a
 * node's own shutdown or start. Errors and what a contributing factor rests on come first (P2),
 * other warnings after (P3). */
static int rule_actions(const Analysis *a, const PatternSet *patterns, Incident *inc, usec_t to) {
        int r = 0;
        for (size_t i = 0; i < a->n_events && r >= 0 && patterns; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < inc->start || e->cts > to || e->severity < SEVERITY_WARNING || !is_cited(inc, (int) i) ||
                    analysis_event_explained(a, e))
                        continue;
                const PatternRule *rule = pattern_set_find(patterns, e->rule);
                int line = (int) i;
                if (rule && rule->advice)
                        r = finding_add_text(&inc->advice, &inc->n_advice, &inc->n_advice_alloc, rule->advice, &line, 1,
                                             e->severity >= SEVERITY_ERROR || cited_by(inc->factors, inc->n_factors, line) ? 2 : 3);
        }
        return r;
}

static int compare_priority(const void *x, const void *y) {
        const Finding *a = x, *b = y;
        if (a->priority != b->priority)
                return a->priority < b->priority ? -1 : 1;
        /* qsort() is not stable: the first line cited keeps the order of equals. */
        return a->evidence[0] < b->evidence[0] ? -1 : a->evidence[0] > b->evidence[0];
}

int correlate_postmortem(const Analysis *a, const PatternSet *patterns, Incident *inc, const Departure *d, size_t n_dep, usec_t to) {
        int r = find_trigger(a, inc);
        if (r >= 0) {
                detect(a, inc, d, n_dep, to);
                r = judge_severity(a, inc);
        }
        if (r >= 0)
                r = find_went_well(a, inc, d, n_dep);
        if (r >= 0)
                r = classification_action(a, inc);
        if (r >= 0)
                r = rule_actions(a, patterns, inc, to);
        if (r >= 0 && inc->n_advice > 1)
                qsort(inc->advice, inc->n_advice, sizeof *inc->advice, compare_priority);
        return r;
}
