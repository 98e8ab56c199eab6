/* report-json.c: the analysis as JSON. Field names are an interface: other tools read them. */
#include "json.h"
#include "report.h"

typedef struct Json {
        StrBuf *out;
        int r;                 /* first error, sticky */
} Json;

static void raw(Json *j, const char *s) {
        if (j->r >= 0)
                j->r = strbuf_addstr(j->out, s);
}

static void str(Json *j, const char *s) {
        if (j->r >= 0)
                j->r = json_append_string(j->out, s ? s : "", s ? strlen(s) : 0);
}

static void key(Json *j, const char *k, bool first) {
        if (!first)
                raw(j, ",");
        str(j, k);
        raw(j, ":");
}

static void time_value(Json *j, usec_t t) {
        char buf[RFC3339_MAX];
        if (t == USEC_INVALID)
                raw(j, "null");
        else
                str(j, time_format_rfc3339(t, buf));
}

static void number(Json *j, double v, int decimals) {
        if (j->r >= 0)
                j->r = strbuf_addf(j->out, "%.*f", decimals, v);
}

static const char *node_name(const Analysis *a, int node) {
        return node >= 0 ? a->nodes[node].name : NULL;
}

static void node_value(Json *j, const Analysis *a, int node) {
        if (node < 0)
                raw(j, "null");
        else
                str(j, node_name(a, node));
}

static void hypothesis(Json *j, const Analysis *a, const Hypothesis *h) {
        raw(j, "{");
        key(j, "kind", true), str(j, cause_kind_to_string(h->kind));
        key(j, "node", false), node_value(j, a, h->node);
        key(j, "at", false), time_value(j, h->at);
        key(j, "summary", false), str(j, h->summary);
        key(j, "confidence", false), number(j, h->confidence, 2);
        key(j, "evidence", false), raw(j, "[");
        for (size_t i = 0; i < h->n_evidence; i++) {
                const CEvent *e = &a->events[h->evidence[i]];
                raw(j, i ? ",{" : "{");
                key(j, "ts", true), time_value(j, e->cts);
                key(j, "node", false), str(j, a->nodes[e->node].name);
                key(j, "message", false), str(j, e->message);
                key(j, "source", false), str(j, e->source);
                raw(j, "}");
        }
        raw(j, "]");
        /* The nodes whose logs the hypothesis rests on: one observer is weaker than several. */
        key(j, "rests_on", false), raw(j, "[");
        bool seen[256] = { false };
        bool first = true;
        for (size_t i = 0; i < h->n_evidence; i++) {
                int node = a->events[h->evidence[i]].node;
                if (node >= (int) ELEMENTSOF(seen) || seen[node])
                        continue;
                seen[node] = true;
                if (!first)
                        raw(j, ",");
                str(j, a->nodes[node].name);
                first = false;
        }
        raw(j, "]}");
}

static void node_list(Json *j, const Analysis *a, const int *nodes, int n) {
        raw(j, "[");
        for (int i = 0; i < n; i++) {
                if (i)
                        raw(j, ",");
                str(j, a->nodes[nodes[i]].name);
        }
        raw(j, "]");
}

static void strv(Json *j, char **v, size_t n) {
        raw(j, "[");
        for (size_t i = 0; i < n; i++) {
                if (i)
                        raw(j, ",");
                str(j, v[i]);
        }
        raw(j, "]");
}

/* The node's silences inside a boot that overlap the incident. */
static void gap_list(Json *j, const CNode *n, const Incident *inc) {
        bool first = true;
        raw(j, "[");
        for (size_t g = 0; g < n->n_gaps; g++) {
                const LogGap *gap = &n->gaps[g];
                if (gap->to <= inc->start || gap->from >= inc->end)
                        continue;
                raw(j, first ? "{" : ",{");
                key(j, "from", true), time_value(j, gap->from);
                key(j, "to", false), time_value(j, gap->to);
                raw(j, "}");
                first = false;
        }
        raw(j, "]");
}

/* Which nodes' own logs cover the incident: a conclusion about a node without them rests on
 * its peers' word. */
static void coverage(Json *j, const Analysis *a, const Incident *inc) {
        raw(j, "[");
        for (size_t i = 0; i < a->n_nodes; i++) {
                usec_t first, last;
                Coverage c = analysis_coverage(a, (int) i, inc->start, inc->end, &first, &last);
                raw(j, i ? ",{" : "{");
                key(j, "node", true), str(j, a->nodes[i].name);
                key(j, "logs", false), str(j, coverage_to_string(c));
                key(j, "first", false), time_value(j, first);
                key(j, "last", false), time_value(j, last);
                key(j, "gaps", false), gap_list(j, &a->nodes[i], inc);
                raw(j, "}");
        }
        raw(j, "]");
}

static void incident(Json *j, const Analysis *a, const Incident *inc) {
        raw(j, "{");
        key(j, "id", true), number(j, inc->id, 0);
        key(j, "start", false), time_value(j, inc->start);
        key(j, "end", false), time_value(j, inc->end);
        key(j, "classification", false), str(j, classification_to_string(inc->classification));
        key(j, "severity", false), str(j, incident_severity_to_string(inc->severity));
        key(j, "root_cause", false);
        if (inc->n_hypotheses)
                hypothesis(j, a, &inc->hypotheses[0]);
        else
                raw(j, "null");
        key(j, "hypotheses", false), raw(j, "[");
        for (size_t i = 0; i < inc->n_hypotheses; i++) {
                if (i)
                        raw(j, ",");
                hypothesis(j, a, &inc->hypotheses[i]);
        }
        raw(j, "]");
        key(j, "nodes_expected", false), number(j, inc->nodes_expected, 0);
        key(j, "min_members", false), number(j, inc->min_members, 0);
        key(j, "degraded_seconds", false), number(j, inc->degraded_seconds, 3);
        key(j, "quorum_lost", false), raw(j, inc->quorum_lost ? "true" : "false");
        key(j, "quorum_lost_nodes", false), node_list(j, a, inc->quorum_lost_nodes, inc->n_quorum_lost);
        key(j, "fenced_nodes", false), node_list(j, a, inc->fenced_nodes, inc->n_fenced);
        key(j, "clock_skew", false), raw(j, "{");
        bool first = true;
        for (size_t i = 0; i < a->n_nodes; i++) {
                if (!a->nodes[i].skew_known)
                        continue;
                key(j, a->nodes[i].name, first), number(j, a->nodes[i].skew, 3);
                first = false;
        }
        raw(j, "}");
        key(j, "timeline", false), raw(j, "[");
        for (size_t i = 0; i < inc->n_timeline; i++) {
                const TimelineEntry *t = &inc->timeline[i];
                raw(j, i ? ",{" : "{");
                key(j, "ts", true), time_value(j, t->ts);
                key(j, "node", false), node_value(j, a, t->node);
                key(j, "kind", false), str(j, t->kind);
                key(j, "summary", false), str(j, t->summary);
                raw(j, "}");
        }
        raw(j, "]");
        key(j, "contributing_factors", false), strv(j, inc->factors, inc->n_factors);
        key(j, "recommendations", false), strv(j, inc->advice, inc->n_advice);
        key(j, "ha_services", false), strv(j, inc->ha_services, inc->n_ha_services);
        key(j, "evidence_coverage", false), coverage(j, a, inc);
        key(j, "open_questions", false), strv(j, inc->questions, inc->n_questions);
        key(j, "notifications_failed", false), number(j, inc->n_notify_failed, 0);
        raw(j, "}");
}

int report_json(const Analysis *a, StrBuf *out) {
        Json j = { out, 0 };
        raw(&j, "{\"window\":{\"since\":");
        time_value(&j, a->since != USEC_INVALID ? a->since : a->first);
        raw(&j, ",\"until\":");
        time_value(&j, a->until != USEC_INVALID ? a->until : a->last);
        raw(&j, "},\"incidents\":[");
        for (size_t i = 0; i < a->n_incidents; i++) {
                if (i)
                        raw(&j, ",");
                incident(&j, a, &a->incidents[i]);
        }
        raw(&j, "]}\n");
        return j.r;
}
