/* correlate-clock.c: per-node clock offsets. Every member logs the formation of a membership (the
 * same ring id) within milliseconds of the others, so the difference of their timestamps for the
 * same ring is their clock difference. The median over shared rings is robust against a node
 * that logged late under load. Offsets below 0.1 s are reported but not applied: they are within
 * NTP's normal error and would only reorder events that happened together. */
#include <math.h>

#include "correlate.h"

#define SKEW_APPLY_MIN 0.1

typedef struct RingSample {
        char ring[64];
        int node;
        usec_t ts;
} RingSample;

static int compare_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return x < y ? -1 : x > y;
}

static int compare_cevent(const void *a, const void *b) {
        const CEvent *x = a, *y = b;
        if (x->cts != y->cts)
                return x->cts < y->cts ? -1 : 1;
        return x->id < y->id ? -1 : x->id > y->id;
}

void correlate_clock(Analysis *a) {
        RingSample *s = NULL;
        size_t n = 0, alloc = 0;
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                char ring[64];
                if (!cevent_is(e, EVENT_COROSYNC_MEMBERSHIP) || !cevent_capture(e, "ring", ring, sizeof ring))
                        continue;
                if (array_reserve(&s, &alloc, n + 1, sizeof *s, 64) < 0)
                        break;
                snprintf(s[n].ring, sizeof s[n].ring, "%s", ring);
                s[n].node = e->node;
                s[n].ts = e->ts;
                n++;
        }

        /* Reference: the node that saw the most rings (it was up the longest); ties by name order. */
        int *seen = calloc(a->n_nodes + 1, sizeof *seen);
        a->reference_node = -1;
        for (size_t i = 0; seen && i < n; i++)
                seen[s[i].node]++;
        for (size_t i = 0; seen && i < a->n_nodes; i++)
                if (seen[i] > 0 && (a->reference_node < 0 || seen[i] > seen[a->reference_node]))
                        a->reference_node = (int) i;
        free(seen);

        double *diffs = n ? malloc(n * sizeof *diffs) : NULL;
        for (size_t node = 0; a->reference_node >= 0 && diffs && node < a->n_nodes; node++) {
                size_t k = 0;
                for (size_t i = 0; i < n; i++) {
                        if (s[i].node != (int) node)
                                continue;
                        for (size_t j = 0; j < n; j++)
                                if (s[j].node == a->reference_node && streq(s[j].ring, s[i].ring)) {
                                        diffs[k++] = (double) (s[i].ts - s[j].ts) / USEC_PER_SEC;
                                        break;
                                }
                }
                if (k == 0)
                        continue;
                qsort(diffs, k, sizeof *diffs, compare_double);
                CNode *cn = &a->nodes[node];
                cn->skew = k % 2 ? diffs[k / 2] : (diffs[k / 2 - 1] + diffs[k / 2]) / 2;
                cn->skew_known = true;
                cn->skew_applied = fabs(cn->skew) >= SKEW_APPLY_MIN;
        }
        free(diffs);
        free(s);

        /* The reference is merely the node that saw the most rings (ties by name): when its own clock
         * is the one that is off, every other node would look off by the opposite amount. With three
         * or more nodes, re-centre on the median offset so that the majority of agreeing clocks reads
         * 0 and the odd one out carries the skew; the reference becomes the node closest to it. */
        double known[64];
        size_t k = 0;
        for (size_t i = 0; i < a->n_nodes && k < ELEMENTSOF(known); i++)
                if (a->nodes[i].skew_known)
                        known[k++] = a->nodes[i].skew;
        if (k >= 3) {
                qsort(known, k, sizeof *known, compare_double);
                double median = k % 2 ? known[k / 2] : (known[k / 2 - 1] + known[k / 2]) / 2;
                for (size_t i = 0; i < a->n_nodes; i++) {
                        CNode *cn = &a->nodes[i];
                        if (!cn->skew_known)
                                continue;
                        cn->skew -= median;
                        cn->skew_applied = fabs(cn->skew) >= SKEW_APPLY_MIN;
                }
                for (size_t i = 0; i < a->n_nodes; i++)
                        if (a->nodes[i].skew_known && fabs(a->nodes[i].skew) < fabs(a->nodes[a->reference_node].skew))
                                a->reference_node = (int) i;
        }

        for (size_t i = 0; i < a->n_events; i++) {
                CEvent *e = &a->events[i];
                const CNode *cn = &a->nodes[e->node];
                e->cts = cn->skew_applied ? e->ts - (usec_t) llround(cn->skew * USEC_PER_SEC) : e->ts;
        }
        for (size_t i = 0; i < a->n_nodes; i++) {
                CNode *cn = &a->nodes[i];
                usec_t off = cn->skew_applied ? (usec_t) llround(cn->skew * USEC_PER_SEC) : 0;
                for (size_t b = 0; b < cn->n_boots; b++)
                        cn->boots[b].first -= off, cn->boots[b].last -= off;
        }
        if (a->n_events > 1)      /* qsort() must not get NULL, even for none */
                qsort(a->events, a->n_events, sizeof *a->events, compare_cevent);
}
