/* correlate.c: the analysis, step by step (load, identify nodes, clocks, boots, membership and
 * timeline, incidents), and the helpers the steps share. */
#include <stdarg.h>

#include "correlate.h"
#include "report-text.h"
#include "report-template.h"

char *phrase_render(const char *key, const TData *vars) {
        _cleanup_(tdata_freep) TData *empty = NULL;
        if (!vars && !(vars = empty = tdata_new()))
                return NULL;
        StrBuf scratch = STRBUF_INIT, out = STRBUF_INIT;
        const char *tmpl = phrase_lookup(text_phrases_txt, key, &scratch);
        TemplateError err;
        int r = strbuf_error(&scratch);
        if (r >= 0)
                r = tmpl ? template_render(tmpl, vars, &out, &err) : -ENOENT;
        strbuf_release(&scratch);
        if (r == -ENOMEM) {
                strbuf_release(&out);
                return NULL;
        }
        if (r < 0) {
                /* A missing or broken phrase must not lose the event: fall back to its key. */
                strbuf_release(&out);
                return strdup(key);
        }
        return strbuf_detach(&out);
}

const char *clock_text(usec_t t, char buf[static RFC3339_MAX]) {
        if (t == USEC_INVALID)
                return "?";
        time_format_local(t, false, buf);
        return buf + 11;       /* "YYYY-MM-DD " dropped: phrases speak of one incident */
}

const char *duration_text(usec_t d, char buf[static 32]) {
        int64_t s = (d + USEC_PER_SEC / 2) / USEC_PER_SEC;
        if (s < 60)
                snprintf(buf, 32, "%" PRId64 "s", s);
        else if (s < 3600)
                snprintf(buf, 32, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
        else
                snprintf(buf, 32, "%" PRId64 "h%02" PRId64 "m", s / 3600, (s / 60) % 60);
        return buf;
}

int analysis_add_timeline(Analysis *a, usec_t ts, int node, const char *kind, int event, TData *vars) {
        return analysis_add_timeline_phrase(a, ts, node, kind, kind, event, vars);
}

int analysis_add_timeline_phrase(Analysis *a, usec_t ts, int node, const char *kind, const char *phrase_key, int event,
                                 TData *vars) {
        _cleanup_(tdata_freep) _unused_ TData *owned = vars;
        if (array_reserve(&a->timeline, &a->n_timeline_alloc, a->n_timeline + 1, sizeof *a->timeline, 64) < 0)
                return -ENOMEM;
        char *summary = phrase_render(phrase_key, vars);
        if (!summary)
                return -ENOMEM;
        a->timeline[a->n_timeline++] = (TimelineEntry){ .ts = ts, .node = node, .kind = kind, .summary = summary, .event = event };
        return 0;
}

/* Down for the cluster: from the end of one of its boots (request, crash, fence) until shortly
 * after the next boot began. Links lost to such a node are a consequence, not a network fault. */
bool analysis_node_down_at(const Analysis *a, int node, usec_t t) {
        if (node < 0)
                return false;
        const CNode *cn = &a->nodes[node];
        for (size_t i = 0; i < cn->n_boots; i++) {
                const CBoot *b = &cn->boots[i];
                if (b->end == BOOT_END_RUNNING || b->end_at == USEC_INVALID)
                        continue;
                usec_t back = i + 1 < cn->n_boots ? cn->boots[i + 1].first + 2 * USEC_PER_MINUTE : INT64_MAX;
                if (t >= MIN(b->end_at, b->last) && t <= back)
                        return true;
        }
        return false;
}

/* Insertion sort: id lists are short and nearly sorted. */
void ids_sort(int64_t *ids, int n) {
        for (int i = 1; i < n; i++)
                for (int k = i; k > 0 && ids[k - 1] > ids[k]; k--) {
                        int64_t t = ids[k];
                        ids[k] = ids[k - 1], ids[k - 1] = t;
                }
}

bool ids_contain(const int64_t *ids, int n, int64_t id) {
        for (int i = 0; i < n; i++)
                if (ids[i] == id)
                        return true;
        return false;
}

int analysis_parse_ids(const char *list, int64_t *ids, int max) {
        int n = 0;
        for (const char *p = list; *p && n < max;) {
                char *end;
                /* corosync 1.x/2.x debug lines print ids in hex, with "0x". */
                bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
                long long v = strtoll(p, &end, hex ? 16 : 10);
                if (end == p)
                        break;
                if (v > 0 && !ids_contain(ids, n, v))
                        ids[n++] = v;
                if (*end == '/')                      /* pmxcfs "nodeid/pid" */
                        (void) strtoll(end + 1, &end, 10);
                p = end + strspn(end, " ,");
        }
        ids_sort(ids, n);
        return n;
}

static int push_time(usec_t **v, size_t *n, size_t *alloc, usec_t t) {
        if (array_reserve(v, alloc, *n + 1, sizeof **v, 8) < 0)
                return -ENOMEM;
        (*v)[(*n)++] = t;
        return 0;
}

/* Events are sorted by corrected time, so the lists come out sorted. */
int analysis_index_corosync(Analysis *a) {
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                CNode *cn = &a->nodes[e->node];
                int r = 0;
                if (cevent_is(e, EVENT_COROSYNC_START))
                        r = push_time(&cn->corosync_starts, &cn->n_corosync_starts, &cn->n_corosync_starts_alloc, e->cts);
                else if (cevent_is(e, EVENT_COROSYNC_STOPPING) || cevent_is(e, EVENT_COROSYNC_STOP))
                        r = push_time(&cn->corosync_stops, &cn->n_corosync_stops, &cn->n_corosync_stops_alloc, e->cts);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Index of the first time > t in a sorted list. */
static size_t first_after(const usec_t *v, size_t n, usec_t t) {
        size_t lo = 0, hi = n;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (v[mid] <= t)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

int analysis_find_event(const Analysis *a, int node, usec_t from, usec_t to, const EventKind *kinds, size_t n_kinds) {
        size_t lo = 0, hi = a->n_events;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (a->events[mid].cts < from)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        for (size_t i = lo; i < a->n_events && a->events[i].cts <= to; i++) {
                if (node >= 0 && a->events[i].node != node)
                        continue;
                for (size_t k = 0; k < n_kinds; k++)
                        if (cevent_is(&a->events[i], kinds[k]))
                                return (int) i;
        }
        return -1;
}

/* knet reports every peer unreachable until the first heartbeats after corosync starts. */
bool analysis_corosync_starting(const Analysis *a, int node, usec_t t) {
        if (node < 0)
                return false;
        const CNode *cn = &a->nodes[node];
        size_t i = first_after(cn->corosync_starts, cn->n_corosync_starts, t);
        return i > 0 && t - cn->corosync_starts[i - 1] < USEC_PER_MINUTE;
}

usec_t analysis_corosync_stop_after(const Analysis *a, int node, usec_t from, usec_t limit) {
        const CNode *cn = &a->nodes[node];
        size_t i = first_after(cn->corosync_stops, cn->n_corosync_stops, from);
        return i < cn->n_corosync_stops && cn->corosync_stops[i] < limit ? cn->corosync_stops[i] : limit;
}

/* Inside the node's own shutdown (after its reboot request, before its boot ended), its quorum and
 * pmxcfs complaints are the shutdown itself, not a cluster problem. */
bool analysis_in_own_shutdown(const Analysis *a, const CEvent *e) {
        const CNode *cn = &a->nodes[e->node];
        for (size_t i = 0; i < cn->n_boots; i++) {
                const CBoot *b = &cn->boots[i];
                if ((b->end == BOOT_END_CLEAN_REBOOT || b->end == BOOT_END_CLEAN_POWEROFF) && b->end_at != USEC_INVALID &&
                    e->cts >= b->end_at && e->cts <= b->last)
                        return true;
        }
        return false;
}

static const char *const coverage_names[_COVERAGE_MAX] = {
        [COVERAGE_FULL] = "full", [COVERAGE_PARTIAL] = "partial", [COVERAGE_NONE] = "none", [COVERAGE_ABSENT] = "absent",
};

const char *coverage_to_string(Coverage c) {
        return c >= 0 && c < _COVERAGE_MAX ? coverage_names[c] : "absent";
}

Coverage analysis_coverage(const Analysis *a, int node, usec_t from, usec_t to, usec_t *ret_first, usec_t *ret_last) {
        const CNode *cn = &a->nodes[node];
        *ret_first = *ret_last = USEC_INVALID;
        if (!cn->has_logs || cn->n_boots == 0)
                return COVERAGE_ABSENT;
        *ret_first = cn->boots[0].first;
        *ret_last = cn->boots[cn->n_boots - 1].last;
        if (*ret_last < from || *ret_first > to)
                return COVERAGE_NONE;
        return *ret_first <= from && *ret_last >= to && !analysis_gap_in(a, node, from, to) ? COVERAGE_FULL : COVERAGE_PARTIAL;
}

const LogGap *analysis_gap_in(const Analysis *a, int node, usec_t from, usec_t to) {
        const CNode *cn = &a->nodes[node];
        for (size_t i = 0; i < cn->n_gaps; i++)
                if (cn->gaps[i].to > from && cn->gaps[i].from < to)
                        return &cn->gaps[i];
        return NULL;
}

bool analysis_id_absent_at(const Analysis *a, int64_t id, usec_t t) {
        const MemberPoint *m = NULL;
        for (size_t i = 0; i < a->n_membership && a->membership[i].ts <= t; i++)
                m = &a->membership[i];
        return m && id > 0 && m->count > 0 && !ids_contain(m->ids, MIN(m->count, (int) ELEMENTSOF(m->ids)), id);
}

bool analysis_event_explained(const Analysis *a, const CEvent *e) {
        char host[24];
        if (analysis_in_own_shutdown(a, e) || analysis_node_down_at(a, e->node, e->cts) ||
            analysis_corosync_starting(a, e->node, e->cts))
                return true;
        /* knet speaking of a peer that is down or starting. */
        if (strncmp(e->kind, "knet.", 5) == 0 && cevent_capture(e, "host", host, sizeof host)) {
                int peer = analysis_node_by_corosync_id(a, strtoll(host, NULL, 10));
                return analysis_node_down_at(a, peer, e->cts) || (peer >= 0 && analysis_corosync_starting(a, peer, e->cts)) ||
                       analysis_id_absent_at(a, strtoll(host, NULL, 10), e->cts);
        }
        return false;
}

int strv_add_unique(char ***v, size_t *n, size_t *alloc, const char *s) {
        if (!s)
                return -ENOMEM;
        for (size_t i = 0; i < *n; i++)
                if (streq((*v)[i], s))
                        return 0;
        if (array_reserve(v, alloc, *n + 1, sizeof **v, 4) < 0)
                return -ENOMEM;
        char *copy = strdup(s);
        if (!copy)
                return -ENOMEM;
        (*v)[(*n)++] = copy;
        return 0;
}

static void free_strv(char **v, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(v[i]);
        free(v);
}

Analysis *analysis_free(Analysis *a) {
        if (!a)
                return NULL;
        for (size_t i = 0; i < a->n_nodes; i++) {
                for (size_t b = 0; b < a->nodes[i].n_boots; b++) {
                        free(a->nodes[i].boots[b].boot_id);
                        free(a->nodes[i].boots[b].initiator);
                }
                free(a->nodes[i].boots);
                free(a->nodes[i].corosync_starts);
                free(a->nodes[i].corosync_stops);
                free(a->nodes[i].gaps);
                free(a->nodes[i].name);
        }
        free(a->nodes);
        for (size_t i = 0; i < a->n_events; i++) {
                CEvent *e = &a->events[i];
                free(e->kind), free(e->rule), free(e->captures), free(e->message), free(e->source);
        }
        free(a->events);
        for (size_t i = 0; i < a->n_timeline; i++)
                free(a->timeline[i].summary);
        free(a->timeline);
        free(a->membership);
        for (size_t i = 0; i < a->n_incidents; i++) {
                Incident *inc = &a->incidents[i];
                for (size_t h = 0; h < inc->n_hypotheses; h++) {
                        free(inc->hypotheses[h].summary);
                        free(inc->hypotheses[h].evidence);
                        free(inc->hypotheses[h].evidence_roles);
                }
                free(inc->hypotheses);
                for (size_t t = 0; t < inc->n_timeline; t++)
                        free(inc->timeline[t].summary);
                free(inc->timeline);
                free(inc->quorum_lost_nodes);
                free(inc->fenced_nodes);
                findings_free(inc->factors, inc->n_factors);
                findings_free(inc->advice, inc->n_advice);
                findings_free(inc->went_well, inc->n_went_well);
                free(inc->severity_reason);
                free(inc->trigger_text);
                free_strv(inc->ha_services, inc->n_ha_services);
                free_strv(inc->questions, inc->n_questions);
                for (size_t o = 0; o < inc->n_outages; o++)
                        free(inc->outages[o].sid);
                free(inc->outages);
        }
        free(a->incidents);
        for (size_t i = 0; i < a->n_sources; i++) {
                free(a->sources[i].path);
                free(a->sources[i].claimed);
        }
        free(a->sources);
        free_strv(a->libraries, a->n_libraries);
        free_strv(a->cluster_addrs, a->n_cluster_addrs);
        free(a->conf_votes);
        free(a);
        return NULL;
}

/* gaps: also find the silences in each node's logs (a scan of every event of the window, which
 * only the analysis needs, not the timeline). */
static int nodes_and_clocks(Store *store, usec_t since, usec_t until, bool gaps, Analysis **ret) {
        _cleanup_(analysis_freep) Analysis *a = calloc(1, sizeof *a);
        if (!a)
                return -ENOMEM;
        a->reference_node = -1;
        /* Read everything in one snapshot: a concurrent ingest must not change the picture midway. */
        int r = store_begin(store);
        if (r < 0)
                return r;
        r = correlate_load(store, since, until, gaps, a);
        store_rollback(store);
        if (r < 0)
                return r;
        r = correlate_identify_nodes(a);
        if (r < 0)
                return r;
        correlate_clock(a);
        *ret = TAKE_PTR(a);
        return 0;
}

int correlate_nodes_and_clocks(Store *store, usec_t since, usec_t until, Analysis **ret) {
        return nodes_and_clocks(store, since, until, false, ret);
}

int correlate_analyze(Store *store, const PatternSet *patterns, usec_t since, usec_t until, Analysis **ret) {
        _cleanup_(analysis_freep) Analysis *a = NULL;
        int r = nodes_and_clocks(store, since, until, true, &a);
        if (r < 0)
                return r;
        r = analysis_index_corosync(a);
        if (r >= 0)
                r = correlate_boots(a);
        if (r >= 0)
                r = correlate_membership(a);
        if (r >= 0)
                r = correlate_incidents(a, patterns);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(a);
        return 0;
}
