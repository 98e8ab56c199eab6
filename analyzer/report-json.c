/* report-json.c: the analysis as JSON. Field names are an interface: other tools read them. Times
 * are RFC 3339 to the µs, UTC unless the caller asks for the zone (--tz). */
#include "json.h"
#include "report.h"

/* The builders append without checking: out remembers an allocation failure (strbuf_error()). */
static void raw(StrBuf *out, const char *s) {
        strbuf_addstr(out, s);
}

static void str(StrBuf *out, const char *s) {
        json_append_string(out, s ? s : "", s ? strlen(s) : 0);
}

static void key(StrBuf *out, const char *k, bool first) {
        if (!first)
                raw(out, ",");
        str(out, k);
        raw(out, ":");
}

static void time_value(StrBuf *out, usec_t t, bool in_zone) {
        char buf[RFC3339_MAX];
        if (t == USEC_INVALID)
                raw(out, "null");
        else
                str(out, time_format_rfc3339_usec(t, in_zone, buf));
}

static void number(StrBuf *out, double v, int decimals) {
        strbuf_addf(out, "%.*f", decimals, v);
}

static const char *node_name(const Analysis *a, int node) {
        return node >= 0 ? a->nodes[node].name : NULL;
}

static void node_value(StrBuf *out, const Analysis *a, int node) {
        if (node < 0)
                raw(out, "null");
        else
                str(out, node_name(a, node));
}

/* One line of the logs: {"ts", "node", "message", "source"}; null for -1 (or none of the analysis'). */
static void log_line(StrBuf *out, const Analysis *a, int event, bool in_zone) {
        if (event < 0 || (size_t) event >= a->n_events) {
                raw(out, "null");
                return;
        }
        const CEvent *e = &a->events[event];
        raw(out, "{");
        key(out, "ts", true), time_value(out, e->cts, in_zone);
        key(out, "node", false), str(out, a->nodes[e->node].name);
        key(out, "message", false), str(out, e->message);
        key(out, "source", false), str(out, e->source);
        raw(out, "}");
}

static void hypothesis(StrBuf *out, const Analysis *a, const Hypothesis *h, bool in_zone) {
        raw(out, "{");
        key(out, "kind", true), str(out, cause_kind_to_string(h->kind));
        key(out, "node", false), node_value(out, a, h->node);
        key(out, "at", false), time_value(out, h->at, in_zone);
        key(out, "summary", false), str(out, h->summary);
        key(out, "confidence", false), number(out, h->confidence, 2);
        key(out, "evidence", false), raw(out, "[");
        for (size_t i = 0; i < h->n_evidence; i++) {
                if (i)
                        raw(out, ",");
                log_line(out, a, h->evidence[i], in_zone);
        }
        raw(out, "]");
        /* Lines that matched but are not cited (repeats, and beyond the ten most decisive). */
        key(out, "evidence_omitted", false), strbuf_addf(out, "%zu", h->n_evidence_omitted);
        /* The nodes whose logs the hypothesis rests on: one observer is weaker than several. */
        key(out, "rests_on", false), raw(out, "[");
        bool seen[256] = { false };
        bool first = true;
        for (size_t i = 0; i < h->n_evidence; i++) {
                int node = a->events[h->evidence[i]].node;
                if (node >= (int) ELEMENTSOF(seen) || seen[node])
                        continue;
                seen[node] = true;
                if (!first)
                        raw(out, ",");
                str(out, a->nodes[node].name);
                first = false;
        }
        raw(out, "]");
        key(out, "subsequent", false), raw(out, h->subsequent ? "true" : "false");
        raw(out, "}");
}

static void node_list(StrBuf *out, const Analysis *a, const int *nodes, int n) {
        raw(out, "[");
        for (int i = 0; i < n; i++) {
                if (i)
                        raw(out, ",");
                str(out, a->nodes[nodes[i]].name);
        }
        raw(out, "]");
}

static void strv(StrBuf *out, char **v, size_t n) {
        raw(out, "[");
        for (size_t i = 0; i < n; i++) {
                if (i)
                        raw(out, ",");
                str(out, v[i]);
        }
        raw(out, "]");
}

/* [{"text", "evidence": [lines]}], with "priority" for action items. */
static void findings(StrBuf *out, const Analysis *a, const Finding *v, size_t n, bool priority, bool in_zone) {
        raw(out, "[");
        for (size_t i = 0; i < n; i++) {
                raw(out, i ? ",{" : "{");
                if (priority)
                        key(out, "priority", true), number(out, v[i].priority, 0);
                key(out, "text", !priority), str(out, v[i].text);
                key(out, "evidence", false), raw(out, "[");
                for (size_t k = 0; k < v[i].n_evidence; k++) {
                        if (k)
                                raw(out, ",");
                        log_line(out, a, v[i].evidence[k], in_zone);
                }
                raw(out, "]}");
        }
        raw(out, "]");
}

static void finding_texts(StrBuf *out, const Finding *v, size_t n) {
        raw(out, "[");
        for (size_t i = 0; i < n; i++) {
                if (i)
                        raw(out, ",");
                str(out, v[i].text);
        }
        raw(out, "]");
}

/* How anyone could have learnt of it: alerts sent and lost, the first person seen acting. */
static void detection(StrBuf *out, const Analysis *a, const Detection *d, bool in_zone) {
        raw(out, "{");
        key(out, "alerts_sent", true), number(out, d->alerts_sent, 0);
        key(out, "alerts_failed", false), number(out, d->alerts_failed, 0);
        key(out, "first_alert_sent", false), log_line(out, a, d->first_sent, in_zone);
        key(out, "first_alert_failed", false), log_line(out, a, d->first_failed, in_zone);
        key(out, "first_person_acting", false), log_line(out, a, d->first_action, in_zone);
        key(out, "started_by_hand", false), raw(out, d->by_hand ? "true" : "false");
        raw(out, "}");
}

/* The node's silences inside a boot that overlap the incident. */
static void gap_list(StrBuf *out, const CNode *n, const Incident *inc, bool in_zone) {
        bool first = true;
        raw(out, "[");
        for (size_t g = 0; g < n->n_gaps; g++) {
                const LogGap *gap = &n->gaps[g];
                if (gap->to <= inc->start || gap->from >= inc->end)
                        continue;
                raw(out, first ? "{" : ",{");
                key(out, "from", true), time_value(out, gap->from, in_zone);
                key(out, "to", false), time_value(out, gap->to, in_zone);
                raw(out, "}");
                first = false;
        }
        raw(out, "]");
}

/* Which nodes' own logs cover the incident: a conclusion about a node without them rests on
 * its peers' word. */
static void coverage(StrBuf *out, const Analysis *a, const Incident *inc, bool in_zone) {
        raw(out, "[");
        for (size_t i = 0; i < a->n_nodes; i++) {
                usec_t first, last;
                Coverage c = analysis_coverage(a, (int) i, inc->start, inc->end, &first, &last);
                raw(out, i ? ",{" : "{");
                key(out, "node", true), str(out, a->nodes[i].name);
                key(out, "logs", false), str(out, coverage_to_string(c));
                key(out, "first", false), time_value(out, first, in_zone);
                key(out, "last", false), time_value(out, last, in_zone);
                key(out, "gaps", false), gap_list(out, &a->nodes[i], inc, in_zone);
                raw(out, "}");
        }
        raw(out, "]");
}

/* Per HA service its outages (correlate-ha.c): when it stopped and ran again (null: not in the
 * logs; a live migration did not stop it), the downtime in seconds (null unless both are known; 0
 * for a live migration). */
static void service_downtime(StrBuf *out, const Analysis *a, const Incident *inc, bool in_zone) {
        raw(out, "[");
        for (size_t i = 0; i < inc->n_outages; i++) {
                const ServiceOutage *o = &inc->outages[i];
                raw(out, i ? ",{" : "{");
                key(out, "service", true), str(out, o->sid);
                key(out, "how", false), str(out, o->how);
                key(out, "from_node", false), node_value(out, a, o->from_node);
                key(out, "to_node", false), node_value(out, a, o->to_node);
                /* A live-migrated VM never stopped: its from/to are the move's span. */
                key(out, "stopped", false), time_value(out, o->live ? USEC_INVALID : o->from, in_zone);
                key(out, "running", false), time_value(out, o->to, in_zone);
                key(out, "downtime_seconds", false);
                if (o->live)
                        number(out, 0, 0);
                else if (o->from == USEC_INVALID || o->to == USEC_INVALID)
                        raw(out, "null");
                else
                        number(out, (double) (o->to - o->from) / USEC_PER_SEC, 3);
                key(out, "live", false), raw(out, o->live ? "true" : "false");
                raw(out, "}");
        }
        raw(out, "]");
}

static void incident(StrBuf *out, const Analysis *a, const Incident *inc, bool in_zone) {
        bool first;
        raw(out, "{");
        key(out, "id", true), number(out, inc->id, 0);
        key(out, "start", false), time_value(out, inc->start, in_zone);
        key(out, "end", false), time_value(out, inc->end, in_zone);
        key(out, "classification", false), str(out, classification_to_string(inc->classification));
        key(out, "severity", false), str(out, incident_severity_to_string(inc->severity));
        key(out, "severity_reason", false), str(out, inc->severity_reason);
        key(out, "trigger", false), raw(out, "{");
        key(out, "summary", true), str(out, inc->trigger_text);
        key(out, "line", false), log_line(out, a, inc->trigger, in_zone);
        raw(out, "}");
        key(out, "detection", false), detection(out, a, &inc->detection, in_zone);
        key(out, "root_cause", false);
        if (inc->n_hypotheses)
                hypothesis(out, a, &inc->hypotheses[0], in_zone);
        else
                raw(out, "null");
        key(out, "hypotheses", false), raw(out, "[");
        for (size_t i = 0; i < inc->n_hypotheses; i++) {
                if (i)
                        raw(out, ",");
                hypothesis(out, a, &inc->hypotheses[i], in_zone);
        }
        raw(out, "]");
        /* Later events of the incident (the next reboot): not rival explanations of its start. */
        key(out, "subsequent_events", false), raw(out, "[");
        first = true;
        for (size_t i = 0; i < inc->n_hypotheses; i++) {
                if (!inc->hypotheses[i].subsequent)
                        continue;
                if (!first)
                        raw(out, ",");
                hypothesis(out, a, &inc->hypotheses[i], in_zone);
                first = false;
        }
        raw(out, "]");
        key(out, "nodes_expected", false), number(out, inc->nodes_expected, 0);
        key(out, "min_members", false), number(out, inc->min_members, 0);
        key(out, "degraded_seconds", false), number(out, inc->degraded_seconds, 3);
        key(out, "quorum_lost", false), raw(out, inc->quorum_lost ? "true" : "false");
        key(out, "quorum_lost_nodes", false), node_list(out, a, inc->quorum_lost_nodes, inc->n_quorum_lost);
        key(out, "fenced_nodes", false), node_list(out, a, inc->fenced_nodes, inc->n_fenced);
        key(out, "clock_skew", false), raw(out, "{");
        first = true;
        for (size_t i = 0; i < a->n_nodes; i++) {
                if (!a->nodes[i].skew_known)
                        continue;
                key(out, a->nodes[i].name, first), number(out, a->nodes[i].skew, 3);
                first = false;
        }
        raw(out, "}");
        key(out, "timeline", false), raw(out, "[");
        for (size_t i = 0; i < inc->n_timeline; i++) {
                const TimelineEntry *t = &inc->timeline[i];
                raw(out, i ? ",{" : "{");
                key(out, "ts", true), time_value(out, t->ts, in_zone);
                key(out, "node", false), node_value(out, a, t->node);
                key(out, "kind", false), str(out, t->kind);
                key(out, "summary", false), str(out, t->summary);
                raw(out, "}");
        }
        raw(out, "]");
        key(out, "contributing_factors", false), finding_texts(out, inc->factors, inc->n_factors);
        key(out, "recommendations", false), finding_texts(out, inc->advice, inc->n_advice);
        key(out, "factors", false), findings(out, a, inc->factors, inc->n_factors, false, in_zone);
        key(out, "action_items", false), findings(out, a, inc->advice, inc->n_advice, true, in_zone);
        key(out, "went_well", false), findings(out, a, inc->went_well, inc->n_went_well, false, in_zone);
        key(out, "ha_services", false), strv(out, inc->ha_services, inc->n_ha_services);
        key(out, "service_downtime", false), service_downtime(out, a, inc, in_zone);
        key(out, "evidence_coverage", false), coverage(out, a, inc, in_zone);
        key(out, "open_questions", false), strv(out, inc->questions, inc->n_questions);
        key(out, "notifications_failed", false), number(out, inc->n_notify_failed, 0);
        raw(out, "}");
}

void report_json_with(const Analysis *a, const ReportJsonOptions *opts, StrBuf *out) {
        bool in_zone = opts && opts->in_zone;
        int only = opts ? opts->incident : 0;
        raw(out, "{\"window\":{\"since\":");
        time_value(out, a->since != USEC_INVALID ? a->since : a->first, in_zone);
        raw(out, ",\"until\":");
        time_value(out, a->until != USEC_INVALID ? a->until : a->last, in_zone);
        /* The pattern libraries whose tags the analysis read: one, but while a retag is under way. */
        raw(out, "},\"libraries\":");
        strv(out, a->libraries, a->n_libraries);
        raw(out, ",\"incidents\":[");
        bool first = true;
        for (size_t i = 0; i < a->n_incidents; i++) {
                if (only > 0 && i + 1 != (size_t) only)
                        continue;
                if (!first)
                        raw(out, ",");
                incident(out, a, &a->incidents[i], in_zone);
                first = false;
        }
        raw(out, "]}\n");
}

void report_json(const Analysis *a, StrBuf *out) {
        report_json_with(a, NULL, out);
}
