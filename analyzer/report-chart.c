/* report-chart.c: the postmortem's Mermaid chart of an incident. One section per node: its
 * stretches in and out of the membership, never overlapping, and the moments its reboot was
 * requested, it was fenced or it crashed; then the cluster's quorum, one stretch per change of the
 * membership's size or of its quorum. The template asks for Mermaid's compact mode, where a
 * section's bars share one row and its moments another; a Mermaid that ignores it gives each its
 * own line, in time order. Node names reach the chart only through mermaid_label(), since Mermaid
 * has no escaping a log line could be trusted with; every other label is our own wording
 * (reports/phrases.txt, keys "chart.*"). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report-chart.h"

/* Mermaid has no escaping worth trusting: labels keep only [A-Za-z0-9._-]. */
void mermaid_label(const char *s, char *buf, size_t size) {
        size_t o = 0;
        for (; *s && o + 1 < size; s++)
                buf[o++] = (isalnum((unsigned char) *s) || *s == '.' || *s == '-') ? *s : '_';
        buf[o] = '\0';
}

/* A label of our own wording: phrase key filled from vars (may be NULL). A gantt task's name ends
 * at ':' and its data at '#' or ';', so a rewording cannot break the chart. */
static const char *chart_phrase(TData *d, const char *key, const TData *vars, char *buf, size_t size) {
        _cleanup_free_ char *p = phrase_render(key, vars);
        if (!p) {
                tdata_set_error(d, -ENOMEM);
                buf[0] = '\0';
                return buf;
        }
        size_t o = 0;
        for (const char *s = p; *s && o + 1 < size; s++)
                buf[o++] = strchr(":;#\r\n", *s) ? ' ' : *s;
        buf[o] = '\0';
        return buf;
}

static void mermaid_time(usec_t t, char buf[static RFC3339_MAX]) {
        time_format_local(t, false, buf);
        buf[10] = 'T';
}

/* The chart is drawn at one-second resolution: shorter stretches are folded into a neighbour. */
#define CHART_RESOLUTION USEC_PER_SEC

typedef enum ChartKind {
        CHART_MEMBER,          /* a node in the membership */
        CHART_OUT,             /* a node out of it */
        CHART_QUORUM,          /* the cluster's quorum: see ChartItem.count and .lost */
        CHART_MOMENT,          /* a milestone: label already set */
} ChartKind;

/* What a chart row holds: a stretch (to > from), or a moment (to == from, a milestone). */
typedef struct ChartItem {
        usec_t from, to;
        ChartKind kind;
        int count;             /* CHART_QUORUM: members in the cluster's view, -1 when not known */
        int expected;          /* CHART_QUORUM: the cluster's size (Analysis.nodes_expected) */
        int votes;             /* CHART_QUORUM: the view's votes by corosync.conf, -1 when not known */
        int expected_votes;    /* CHART_QUORUM: Analysis.expected_votes, 0 when not known */
        bool lost;             /* CHART_QUORUM: a member of that view had logged losing quorum */
        bool crit;             /* CHART_MOMENT: drawn in the critical colour */
        char label[64];
} ChartItem;

typedef struct ChartRow {
        ChartItem *items;
        size_t n_items;
        size_t n_items_alloc;  /* capacity of items */
        usec_t span;           /* the chart's whole width, for what fits in a bar */
} ChartRow;

static ChartItem *row_add(TData *d, ChartRow *row, ChartKind kind, usec_t from, usec_t to) {
        if (array_reserve(&row->items, &row->n_items_alloc, row->n_items + 1, sizeof *row->items, 8) < 0) {
                tdata_set_error(d, -ENOMEM);
                return NULL;
        }
        ChartItem *it = &row->items[row->n_items++];
        *it = (ChartItem){ .from = from, .to = to, .kind = kind, .count = -1 };
        return it;
}

static bool same_state(const ChartItem *x, const ChartItem *y) {
        return x->kind == y->kind && x->count == y->count && x->votes == y->votes && x->lost == y->lost;
}

/* The row's stretches (added in time order, each starting where the one before ended) at the
 * chart's resolution: one shorter than that is taken by the next stretch (the last by the one
 * before), and neighbours saying the same become one. */
static void row_settle(ChartRow *row) {
        size_t o = 0;
        for (size_t i = 0; i < row->n_items; i++) {
                ChartItem *it = &row->items[i];
                bool brief = it->to - it->from < CHART_RESOLUTION;
                if (brief && i + 1 < row->n_items) {
                        row->items[i + 1].from = it->from;
                        continue;
                }
                if (o > 0 && (brief || same_state(&row->items[o - 1], it))) {
                        row->items[o - 1].to = it->to;
                        continue;
                }
                row->items[o++] = *it;
        }
        row->n_items = o;
}

/* Whether a label fits inside a bar of `len` in a chart of `span`: a rough measure (Mermaid's 11px
 * font, about 6px a character; a chart about 850px wide, 700 of them for the bars: the width of a
 * GitHub or Gitea page). A label that does not fit is drawn beside its bar, where in compact mode
 * it runs over the next bar's label. */
#define CHART_BARS_PX 700.0

static double label_px(const char *label) {
        return (double) strlen(label) * 6 + 8;
}

static bool label_fits(const char *label, usec_t len, usec_t span) {
        return span > 0 && label_px(label) <= (double) len / (double) span * CHART_BARS_PX;
}

/* A label for a bar too narrow for any: a zero-width space, which Mermaid's gantt takes as a task
 * name (its lexer skips only JavaScript's \s, which does not hold U+200B) and draws as nothing,
 * so no text runs over the next bar; the bar's colour still says what it is. */
#define LABEL_NONE "\xe2\x80\x8b"

/* The label of a stretch, the first wording that fits: a node in or out of the membership; the
 * quorum in the whole wording, else without the unit, else the counts alone. */
static void stretch_label(TData *d, ChartItem *it, usec_t span) {
        static const char *const member_keys[] = { "chart.member", "chart.member-short", NULL };
        static const char *const out_keys[] = { "chart.out", NULL };
        static const char *const quorum_keys[] = { "chart.quorum", "chart.quorum-short", "chart.quorum-counts", NULL };
        const char *const *keys = it->kind == CHART_MEMBER ? member_keys : it->kind == CHART_OUT ? out_keys : quorum_keys;
        TData *v = tdata_new();
        if (!v) {
                tdata_set_error(d, -ENOMEM);
                return;
        }
        if (it->lost)
                tdata_set(v, "lost", "yes");
        if (it->kind == CHART_QUORUM && it->count >= 0) {
                tdata_setf(v, "count", "%d", it->count);
                tdata_setf(v, "expected", "%d", it->expected);
        }
        /* Votes where corosync.conf gives them: quorum is a count of votes, not of members. */
        if (it->kind == CHART_QUORUM && it->votes >= 0 && it->expected_votes > 0) {
                tdata_setf(v, "votes", "%d", it->votes);
                tdata_setf(v, "expected_votes", "%d", it->expected_votes);
        }
        size_t k = 0;
        for (; keys[k]; k++)
                if (label_fits(chart_phrase(d, keys[k], v, it->label, sizeof it->label), it->to - it->from, span))
                        break;
        if (!keys[k])
                snprintf(it->label, sizeof it->label, "%s", LABEL_NONE);
        tdata_free(v);
}

/* A stretch in the membership is drawn in Mermaid's active colour (its "done" grey reads as
 * inactive), one out of it and one without quorum as critical. */
static const char *item_state(const ChartItem *it) {
        switch (it->kind) {
        case CHART_MEMBER:
                return "active";
        case CHART_OUT:
                return "crit";
        case CHART_QUORUM:
                return it->lost ? "crit" : "active";
        default:
                return it->crit ? "milestone, crit" : "milestone";
        }
}

/* Time order at the chart's resolution; at the same second a stretch before a moment. Compact
 * mode fills a section's first row in this order, taking each item that starts where the row's
 * last one ended, so a stretch starting at a moment keeps the bars' row and the moment goes to
 * the row below. */
static int compare_items(const void *x, const void *y) {
        const ChartItem *a = x, *b = y;
        usec_t sa = a->from / CHART_RESOLUTION, sb = b->from / CHART_RESOLUTION;
        if (sa != sb)
                return sa < sb ? -1 : 1;
        return (a->kind == CHART_MOMENT) - (b->kind == CHART_MOMENT);
}

static void row_emit(TData *d, TData *sections, const char *name, ChartRow *row) {
        if (row->n_items == 0)
                return;
        qsort(row->items, row->n_items, sizeof *row->items, compare_items);
        TData *sec = tdata_append(sections);
        TData *bars = tdata_list(sec, "bars");
        tdata_set(sec, "node", name);
        for (size_t i = 0; i < row->n_items; i++) {
                ChartItem *it = &row->items[i];
                TData *b = tdata_append(bars);
                char t1[RFC3339_MAX], t2[RFC3339_MAX];
                if (it->kind != CHART_MOMENT)
                        stretch_label(d, it, row->span);
                mermaid_time(it->from, t1);
                mermaid_time(it->to, t2);
                tdata_set(b, "label", it->label);
                tdata_set(b, "state", item_state(it));
                tdata_set(b, "start", t1);
                tdata_set(b, "end", t2);
        }
}

static bool member_at(const MemberPoint *m, int64_t id) {
        for (int i = 0; i < m->count && i < 64; i++)
                if (m->ids[i] == id)
                        return true;
        return false;
}

/* The stretches the node with corosync id `id` was in and out of the membership in [from, to]. */
static void membership_bars(TData *d, const Analysis *a, int64_t id, usec_t from, usec_t to, ChartRow *row) {
        usec_t start = from;
        int state = -1;        /* 1 member, 0 not, -1 unknown yet */
        if (id <= 0)
                return;
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
                                row_add(d, row, state ? CHART_MEMBER : CHART_OUT, start, m->ts);
                        start = m->ts;
                        state = now;
                }
        }
        if (state >= 0)
                row_add(d, row, state ? CHART_MEMBER : CHART_OUT, start, to);
        row_settle(row);
}

/* The node a timeline entry puts a moment on, its phrase key and whether it is critical; -1 when
 * none. */
static int milestone_of(const Analysis *a, const TimelineEntry *t, const char **ret_key, bool *ret_crit) {
        char target[256];
        *ret_crit = true;
        if (streq(t->kind, "node.reboot.requested")) {
                *ret_key = "chart.reboot";
                *ret_crit = false;
                return t->node;
        }
        if (streq(t->kind, "node.fenced")) {   /* its own watchdog, or a Pacemaker peer's word */
                *ret_key = "chart.fenced";
                return t->node;
        }
        if (streq(t->kind, "node.crash")) {
                *ret_key = "chart.crash";
                return t->node;
        }
        /* HA took the fenced node's agent lock: logged by the CRM master, drawn on the target. */
        if (streq(t->kind, "ha.fence") && t->event >= 0 &&
            cevent_capture(&a->events[t->event], "target", target, sizeof target)) {
                *ret_key = "chart.ha-fence";
                return analysis_node_by_name(a, target);
        }
        return -1;
}

/* A reboot request is a power-off when the boot it ended says so. */
static bool poweroff_at(const Analysis *a, int node, usec_t ts) {
        const CNode *cn = &a->nodes[node];
        for (size_t i = 0; i < cn->n_boots; i++)
                if (cn->boots[i].end_at == ts)
                        return cn->boots[i].end == BOOT_END_CLEAN_POWEROFF;
        return false;
}

/* Add moment `label` at ts, or join it to the row's last moment when that one's label would run
 * over it: "crash or power loss, fenced" at the first one's time, a shift smaller than the label. */
static void add_moment(TData *d, ChartRow *row, ChartItem **last, usec_t ts, const char *label, bool crit) {
        ChartItem *prev = *last;
        /* The diamond is as wide as a bar is high (20px), its label starts beside it. */
        if (prev && (double) (ts - prev->from) / (double) row->span * CHART_BARS_PX < label_px(prev->label) + 20) {
                if (strstr(prev->label, label))
                        return;        /* the same moment twice (two lines saying it) */
                TData *v = tdata_new();
                if (!v) {
                        tdata_set_error(d, -ENOMEM);
                        return;
                }
                tdata_set(v, "first", prev->label);
                tdata_set(v, "next", label);
                chart_phrase(d, "chart.moments", v, prev->label, sizeof prev->label);
                tdata_free(v);
                prev->crit |= crit;
                return;
        }
        ChartItem *it = row_add(d, row, CHART_MOMENT, ts, ts);
        if (!it)
                return;
        snprintf(it->label, sizeof it->label, "%s", label);
        it->crit = crit;
        *last = it;
}

/* The incident's moments of node: reboot requests, fences, crashes (timeline order is time order). */
static void node_milestones(TData *d, const Analysis *a, const Incident *inc, int node, usec_t from, usec_t to,
                            ChartRow *row) {
        ChartItem *last = NULL;       /* the row's last moment; items move only when one is added */
        for (size_t i = 0; i < inc->n_timeline; i++) {
                const TimelineEntry *t = &inc->timeline[i];
                const char *key;
                bool crit;
                if (t->ts < from || t->ts >= to || milestone_of(a, t, &key, &crit) != node)
                        continue;
                TData *v = tdata_new();
                if (!v) {
                        tdata_set_error(d, -ENOMEM);
                        return;
                }
                if (streq(key, "chart.reboot") && poweroff_at(a, node, t->ts))
                        tdata_set(v, "poweroff", "yes");
                char label[64];
                chart_phrase(d, key, v, label, sizeof label);
                tdata_free(v);
                add_moment(d, row, &last, t->ts, label, crit);
        }
}

/* The chart ends a little after the incident's last moment, so that no moment sits on its edge
 * (where compact mode would put it on the bars' row). */
static usec_t chart_end(const Analysis *a, const Incident *inc, usec_t to) {
        for (size_t i = 0; i < inc->n_timeline; i++) {
                const char *key;
                bool crit;
                if (milestone_of(a, &inc->timeline[i], &key, &crit) >= 0)
                        to = MAX(to, inc->timeline[i].ts + 30 * USEC_PER_SEC);
        }
        return to;
}

/* The quorum row's stretch from t: the cluster's membership then (the largest view; count -1 when
 * not known yet), and whether a member of it had logged losing quorum and not regaining it. lost
 * is scratch space, a flag per node. */
static void quorum_at(const Analysis *a, usec_t t, bool *lost, ChartItem *ret) {
        const MemberPoint *m = NULL;
        for (size_t i = 0; i < a->n_membership && a->membership[i].ts <= t; i++)
                m = &a->membership[i];
        memset(lost, 0, a->n_nodes * sizeof *lost);
        for (size_t i = 0; i < a->n_timeline && a->timeline[i].ts <= t; i++) {
                const TimelineEntry *e = &a->timeline[i];
                if (e->node >= 0 && (streq(e->kind, "quorum.lost") || streq(e->kind, "quorum.regained")))
                        lost[e->node] = streq(e->kind, "quorum.lost");
        }
        ret->count = m ? m->count : -1;
        ret->votes = m ? analysis_view_votes(a, m) : -1;
        ret->lost = false;
        for (size_t n = 0; n < a->n_nodes && !ret->lost; n++)
                /* Without a known membership, any node's word counts. */
                ret->lost = lost[n] && (!m || (a->nodes[n].corosync_id > 0 && member_at(m, a->nodes[n].corosync_id)));
}

static int compare_usec(const void *x, const void *y) {
        usec_t a = *(const usec_t *) x, b = *(const usec_t *) y;
        return a < b ? -1 : a > b;
}

/* The quorum row: a stretch per state, from where the membership is known (else from `from`). */
static void quorum_row(TData *d, const Analysis *a, usec_t from, usec_t to, ChartRow *row) {
        _cleanup_free_ usec_t *ts = calloc(a->n_membership + a->n_timeline + 1, sizeof *ts);
        _cleanup_free_ bool *lost = calloc(a->n_nodes + 1, sizeof *lost);
        size_t n = 0;
        if (!ts || !lost) {
                tdata_set_error(d, -ENOMEM);
                return;
        }
        ts[n++] = from;
        for (size_t i = 0; i < a->n_membership; i++)
                if (a->membership[i].ts > from && a->membership[i].ts < to)
                        ts[n++] = a->membership[i].ts;
        for (size_t i = 0; i < a->n_timeline; i++)
                if (a->timeline[i].ts > from && a->timeline[i].ts < to && strncmp(a->timeline[i].kind, "quorum.", 7) == 0)
                        ts[n++] = a->timeline[i].ts;
        qsort(ts, n, sizeof *ts, compare_usec);
        bool any_view = a->n_membership > 0;
        ChartItem cur = { .kind = CHART_QUORUM };
        quorum_at(a, from, lost, &cur);
        cur.from = from;
        for (size_t i = 1; i <= n; i++) {
                ChartItem q = { .kind = CHART_QUORUM };
                if (i < n) {
                        quorum_at(a, ts[i], lost, &q);
                        if (same_state(&q, &cur))
                                continue;
                }
                /* Before the first view there is nothing to say, unless no view comes at all. */
                ChartItem *it = cur.count >= 0 || !any_view ? row_add(d, row, CHART_QUORUM, cur.from, i < n ? ts[i] : to) : NULL;
                if (it) {
                        it->count = cur.count;
                        it->expected = a->nodes_expected;
                        it->votes = cur.votes;
                        it->expected_votes = a->expected_votes;
                        it->lost = cur.lost;
                }
                cur = q;
                cur.from = i < n ? ts[i] : to;
        }
        row_settle(row);
}

/* Node n's section name: its label, unless a name given before is the same (Mermaid would merge
 * the two sections, and their bars overlap): then the label and a number, "pve_1-2". taken holds
 * the names given to nodes 0..n-1. The quorum row's name has a space, which no label holds. */
static void section_name(const Analysis *a, size_t n, char (*taken)[GANTT_SECTION_MAX]) {
        char *buf = taken[n];
        mermaid_label(a->nodes[n].name, buf, GANTT_SECTION_MAX);
        size_t base = strlen(buf);
        for (size_t k = 0, suffix = 2; k < n; k++)
                if (streq(buf, taken[k])) {
                        char tail[24];
                        size_t len = (size_t) snprintf(tail, sizeof tail, "-%zu", suffix++);
                        memcpy(buf + MIN(base, GANTT_SECTION_MAX - 1 - len), tail, len + 1);
                        k = (size_t) -1;       /* and compare the new name with all again */
                }
}

void report_chart_fill(const Analysis *a, const Incident *inc, TData *d) {
        TData *sections = tdata_list(d, "gantt");
        usec_t from = inc->start - USEC_PER_MINUTE, to = chart_end(a, inc, inc->end + USEC_PER_MINUTE);
        char name[GANTT_SECTION_MAX];
        _cleanup_free_ char (*taken)[GANTT_SECTION_MAX] = calloc(a->n_nodes + 1, sizeof *taken);
        if (!taken) {
                tdata_set_error(d, -ENOMEM);
                return;
        }
        for (size_t n = 0; n < a->n_nodes; n++) {
                ChartRow row = { NULL, 0, 0, to - from };
                membership_bars(d, a, a->nodes[n].corosync_id, from, to, &row);
                node_milestones(d, a, inc, (int) n, from, to, &row);
                section_name(a, n, taken);
                row_emit(d, sections, taken[n], &row);
                free(row.items);
        }
        ChartRow row = { NULL, 0, 0, to - from };
        quorum_row(d, a, from, to, &row);
        row_emit(d, sections, chart_phrase(d, "chart.quorum-row", NULL, name, sizeof name), &row);
        free(row.items);
}
