/* report-chart.c: the postmortem's Mermaid chart of an incident: per node its stretches in and out
 * of the membership, and the cluster's quorum. Labels are built from node names only, through
 * mermaid_label(), since Mermaid has no escaping a log line could be trusted with. */
#include <ctype.h>

#include "report-chart.h"

/* Mermaid has no escaping worth trusting: labels keep only [A-Za-z0-9._-]. */
void mermaid_label(const char *s, char *buf, size_t size) {
        size_t o = 0;
        for (; *s && o + 1 < size; s++)
                buf[o++] = (isalnum((unsigned char) *s) || *s == '.' || *s == '-') ? *s : '_';
        buf[o] = '\0';
}

static void mermaid_time(usec_t t, char buf[static RFC3339_MAX]) {
        time_format_local(t, false, buf);
        buf[10] = 'T';
}

static void gantt_bar(TData *bars, const char *label, const char *state, usec_t from, usec_t to) {
        if (to <= from)
                to = from + USEC_PER_SEC;
        TData *b = tdata_append(bars);
        char t1[RFC3339_MAX], t2[RFC3339_MAX];
        mermaid_time(from, t1);
        mermaid_time(to, t2);
        tdata_set(b, "label", label);
        tdata_set(b, "state", state);
        tdata_set(b, "start", t1);
        tdata_set(b, "end", t2);
}

static bool member_at(const MemberPoint *m, int64_t id) {
        for (int i = 0; i < m->count && i < 64; i++)
                if (m->ids[i] == id)
                        return true;
        return false;
}

/* A stretch in the membership is drawn in Mermaid's active colour (its "done" grey reads as
 * inactive), one out of it as critical. */
static void membership_bar(TData *bars, bool member, usec_t from, usec_t to) {
        gantt_bar(bars, member ? "member" : "out", member ? "active" : "crit", from, to);
}

/* The stretches node n was in and out of the membership between from and to. */
static void gantt_node(const Analysis *a, size_t n, usec_t from, usec_t to, TData *sections) {
        int64_t id = a->nodes[n].corosync_id;
        char label[GANTT_SECTION_MAX];
        if (id <= 0)
                return;
        TData *sec = tdata_append(sections);
        TData *bars = tdata_list(sec, "bars");
        mermaid_label(a->nodes[n].name, label, sizeof label);
        tdata_set(sec, "node", label);
        usec_t start = from;
        int state = -1;        /* 1 member, 0 not, -1 unknown yet */
        for (size_t i = 0; i < a->n_membership; i++) {
                const MemberPoint *m = &a->membership[i];
                int now = member_at(m, id);
                if (m->ts <= from) {
                        state = now;
                        continue;
                }
                if (m->ts >= to)
                        break;
                if (now != state) {
                        if (state >= 0)
                                membership_bar(bars, state, start, m->ts);
                        start = m->ts;
                        state = now;
                }
        }
        if (state >= 0)
                membership_bar(bars, state, start, to);
}

/* Per node: the stretches it was in and out of the membership; then quorum per node. */
void report_chart_fill(const Analysis *a, const Incident *inc, TData *d) {
        TData *sections = tdata_list(d, "gantt");
        usec_t from = inc->start - USEC_PER_MINUTE, to = inc->end + USEC_PER_MINUTE;
        char label[80];
        for (size_t n = 0; n < a->n_nodes; n++)
                gantt_node(a, n, from, to, sections);
        TData *sec = tdata_append(sections);
        TData *bars = tdata_list(sec, "bars");
        tdata_set(sec, "node", "quorum");
        for (int q = 0; q < inc->n_quorum_lost; q++) {
                int node = inc->quorum_lost_nodes[q];
                usec_t lost = USEC_INVALID, back = to;
                for (size_t i = 0; i < inc->n_timeline; i++) {
                        const TimelineEntry *e = &inc->timeline[i];
                        if (e->node == node && streq(e->kind, "quorum.lost") && lost == USEC_INVALID)
                                lost = e->ts;
                        else if (e->node == node && streq(e->kind, "quorum.regained") && lost != USEC_INVALID)
                                back = e->ts;
                }
                char name[GANTT_QUORUM_NODE_MAX];
                mermaid_label(a->nodes[node].name, name, sizeof name);
                snprintf(label, sizeof label, "lost on %s", name);
                if (lost != USEC_INVALID)
                        gantt_bar(bars, label, "crit", lost, back);
        }
        if (inc->n_quorum_lost == 0)
                gantt_bar(bars, "quorate", "active", from, to);
}

