/* correlate-evidence.c: which lines a hypothesis cites. Collecting is generous: every link, token,
 * membership and quorum line of a window may bear on a cause. Citing is not: a reader follows about
 * ten lines, and on a busy store one hypothesis matched sixty identical `[QUORUM] Members[3]: 1 2 3`
 * lines, which support nothing. So a chain keeps, in this order until EVIDENCE_MAX lines:
 *   1. the lines that name the cause (EVIDENCE_CAUSE: the reboot command, the fence, the link down),
 *      but no more than leave room for the next two steps' first lines (CAUSE_ROOM),
 *   2. the first symptom (the earliest EVIDENCE_SYMPTOM line: when it started to show),
 *   3. the turning points (EVIDENCE_TURN: members leaving and coming back, quorum lost and regained),
 *   4. the rest of the lines that name the cause, then further symptoms, earliest first;
 * and never a line that repeats the previous candidate of its node and kind (the same text but for
 * blanks): it changes no state. Within steps 1 and 3 lines are taken from both ends of the incident
 * in turn, since the onset and the resolution both matter (a flapping link's first loss and its last
 * recovery). The chain is cited in time order, and what was left out is counted
 * (n_evidence_omitted) so that a report can say how much more matched. */
#include <assert.h>

#include "correlate.h"

int hypothesis_add_evidence(Hypothesis *h, int event, EvidenceRole role) {
        assert(role >= 0 && role < _EVIDENCE_ROLE_MAX);
        if (event < 0)
                return 0;
        size_t need = h->n_evidence + 1;
        if (array_reserve(&h->evidence, &h->n_evidence_alloc, need, sizeof *h->evidence, 8) < 0 ||
            array_reserve(&h->evidence_roles, &h->n_evidence_roles_alloc, need, sizeof *h->evidence_roles, 8) < 0)
                return -ENOMEM;
        h->evidence[h->n_evidence] = event;
        h->evidence_roles[h->n_evidence++] = role;
        return 0;
}

static int compare_int(const void *x, const void *y) {
        int p = *(const int *) x, q = *(const int *) y;
        return p < q ? -1 : p > q;
}

/* Candidates sorted by event (events are in time order), each event once with its most decisive
 * role. Sorting (event, role) pairs as one key keeps it to one qsort; an event index is far below
 * INT_MAX / _EVIDENCE_ROLE_MAX for any store analysed in memory. */
static void sort_unique(Hypothesis *h) {
        for (size_t i = 0; i < h->n_evidence; i++)
                h->evidence[i] = h->evidence[i] * _EVIDENCE_ROLE_MAX + (int) h->evidence_roles[i];
        qsort(h->evidence, h->n_evidence, sizeof *h->evidence, compare_int);
        size_t n = 0;
        for (size_t i = 0; i < h->n_evidence; i++) {
                int event = h->evidence[i] / _EVIDENCE_ROLE_MAX;
                if (n > 0 && h->evidence[n - 1] == event)
                        continue;      /* the same line again: its first (lowest) role is kept */
                h->evidence_roles[n] = (EvidenceRole) (h->evidence[i] % _EVIDENCE_ROLE_MAX);
                h->evidence[n++] = event;
        }
        h->n_evidence = n;
}

/* The same text but for leading, trailing and repeated blanks. */
static bool same_text(const char *x, const char *y) {
        for (;;) {
                x += strspn(x, " \t");
                y += strspn(y, " \t");
                size_t nx = strcspn(x, " \t"), ny = strcspn(y, " \t");
                if (nx != ny || strncmp(x, y, nx) != 0)
                        return false;
                if (nx == 0)
                        return true;
                x += nx, y += ny;
        }
}

/* Drop each candidate that repeats the previous one of its node and kind, or is the same log line
 * as one kept (an event with two tags is two candidates); returns how many were dropped. */
static size_t drop_repeats(const Analysis *a, Hypothesis *h) {
        size_t n = 0;
        for (size_t i = 0; i < h->n_evidence; i++) {
                const CEvent *e = &a->events[h->evidence[i]];
                ssize_t repeated = -1;
                for (size_t k = n; k > 0; k--) {
                        const CEvent *kept = &a->events[h->evidence[k - 1]];
                        if (kept->id == e->id) {
                                repeated = (ssize_t) k - 1;
                                break;
                        }
                        if (kept->node == e->node && streq(kept->kind, e->kind)) {
                                /* Only the previous one of its node and kind counts: the same view
                                 * after a different one is a change back. */
                                if (same_text(kept->message, e->message))
                                        repeated = (ssize_t) k - 1;
                                break;
                        }
                }
                if (repeated >= 0) {
                        /* The line kept stands for the repeat, with the more decisive role of the two. */
                        h->evidence_roles[repeated] = MIN(h->evidence_roles[repeated], h->evidence_roles[i]);
                        continue;
                }
                h->evidence_roles[n] = h->evidence_roles[i];
                h->evidence[n++] = h->evidence[i];
        }
        size_t dropped = h->n_evidence - n;
        h->n_evidence = n;
        return dropped;
}

/* Mark up to *budget more lines of role, from both ends in turn or earliest first. */
static void keep_role(const Hypothesis *h, EvidenceRole role, bool both_ends, bool *keep, size_t *budget) {
        size_t lo = 0, hi = h->n_evidence; /* [lo, hi) not looked at yet */
        bool from_end = false;
        while (*budget > 0) {
                size_t i;
                if (!from_end) {
                        while (lo < hi && (h->evidence_roles[lo] != role || keep[lo]))
                                lo++;
                        if (lo == hi)
                                return;
                        i = lo++;
                } else {
                        while (hi > lo && (h->evidence_roles[hi - 1] != role || keep[hi - 1]))
                                hi--;
                        if (hi == lo)
                                return;
                        i = --hi;
                }
                keep[i] = true;
                (*budget)--;
                from_end = both_ends && !from_end;
        }
}

/* Lines that name the cause may fill the chain but for the first symptom and the first and last
 * turning points: a partition names its cause in a link-down line per node and link, and without
 * the membership it broke and the one it came back to the chain would not show what it did. */
#define CAUSE_ROOM (EVIDENCE_MAX - 3)

/* Keep the EVIDENCE_MAX most decisive lines (the order in the comment at the top); returns how
 * many were left out, or -ENOMEM. */
static ssize_t cap(Hypothesis *h) {
        if (h->n_evidence <= EVIDENCE_MAX)
                return 0;
        _cleanup_free_ bool *keep = calloc(h->n_evidence, sizeof *keep);
        if (!keep)
                return -ENOMEM;
        size_t budget = EVIDENCE_MAX - CAUSE_ROOM, causes = CAUSE_ROOM, one = 1;
        keep_role(h, EVIDENCE_CAUSE, true, keep, &causes);
        budget += causes;      /* what the causes left */
        keep_role(h, EVIDENCE_SYMPTOM, false, keep, &one);
        budget -= 1 - one;
        keep_role(h, EVIDENCE_TURN, true, keep, &budget);
        keep_role(h, EVIDENCE_CAUSE, true, keep, &budget);
        keep_role(h, EVIDENCE_SYMPTOM, false, keep, &budget);
        size_t n = 0;
        for (size_t i = 0; i < h->n_evidence; i++)
                if (keep[i]) {
                        h->evidence_roles[n] = h->evidence_roles[i];
                        h->evidence[n++] = h->evidence[i];
                }
        size_t dropped = h->n_evidence - n;
        h->n_evidence = n;
        return (ssize_t) dropped;
}

int hypothesis_select_evidence(const Analysis *a, Hypothesis *h) {
        if (h->n_evidence == 0)
                return 0;
        sort_unique(h);
        h->n_evidence_omitted += drop_repeats(a, h);
        ssize_t capped = cap(h);
        if (capped < 0)
                return (int) capped;
        h->n_evidence_omitted += (size_t) capped;
        return 0;
}
