/* correlate-timeline.c: the k-way merge of the nodes' event streams on corrected time, and the
 * timeline's filters (correlate-timeline.h). */
#include "correlate-timeline.h"

static const char sql_node_events[] =
        "SELECT e.ts, e.identifier, e.pid, e.priority, e.message, "
        "  (SELECT group_concat(t.kind, ',') FROM tag t WHERE t.event_id = e.id), "
        "  CASE WHEN e.line IS NOT NULL THEN s.path || ':' || e.line ELSE s.path END "
        "FROM event e JOIN source s ON s.id = e.source_id "
        "WHERE e.node_id = ?1 AND e.ts >= ?2 AND e.ts < ?3 AND (?4 < 0 OR e.priority <= ?4) "
        "ORDER BY e.ts, e.id";

/* Columns of sql_node_events. */
enum { COL_TS, COL_IDENT, COL_PID, COL_PRIORITY, COL_MESSAGE, COL_KINDS, COL_SOURCE };

typedef struct Head {
        sqlite3_stmt *st;      /* on the node's next wanted event; NULL when exhausted */
        const CNode *node;
        usec_t offset;         /* skew taken off the node's stamps, µs */
        int index;             /* the node's index in the Analysis */
} Head;

struct Timeline {
        Head *heads;           /* one per node wanted, each owning its statement */
        size_t n_heads;
        const TimelineFilter *filter;
        pcre2_match_data *md;  /* for filter->grep */
        Head *last;            /* the head of the row handed out last: stepped on at the next call */
};

int timeline_filter_grep(TimelineFilter *f, const char *regex, char *reterr_msg, size_t msg_size,
                         size_t *reterr_offset) {
        int code;
        PCRE2_SIZE off;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR) regex, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
        if (!re) {
                pcre2_get_error_message(code, (PCRE2_UCHAR *) reterr_msg, msg_size);
                *reterr_offset = (size_t) off;
                return -EINVAL;
        }
        pcre2_code_free(f->grep);
        f->grep = re;
        return 0;
}

void timeline_filter_done(TimelineFilter *f) {
        pcre2_code_free(f->grep);
        f->grep = NULL;
}

int timeline_priority_from_string(const char *s) {
        static const char *const names[] = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };
        for (int i = 0; i < (int) ELEMENTSOF(names); i++)
                if (streq(s, names[i]) || (s[0] == '0' + i && !s[1]))
                        return i;
        return -EINVAL;
}

bool timeline_kind_matches(const char *kinds, const char *want) {
        if (!want)
                return true;
        if (!kinds)
                return false;
        size_t n = strlen(want);
        /* A trailing '.' is part of the prefix ("corosync." leaves "corosyncd.x" out); '*' is not. */
        bool prefix = n > 0 && (want[n - 1] == '*' || want[n - 1] == '.');
        if (prefix && want[n - 1] == '*')
                n--;
        for (const char *p = kinds; *p;) {
                size_t len = strcspn(p, ",");
                if (prefix ? len >= n && strncmp(p, want, n) == 0 : len == n && strncmp(p, want, n) == 0)
                        return true;
                p += len + (p[len] == ',');
        }
        return false;
}

static bool row_wanted(const Timeline *t, sqlite3_stmt *st) {
        const TimelineFilter *f = t->filter;
        if (!timeline_kind_matches((const char *) sqlite3_column_text(st, COL_KINDS), f->kind))
                return false;
        if (f->grep) {
                const char *m = (const char *) sqlite3_column_blob(st, COL_MESSAGE);
                size_t n = (size_t) sqlite3_column_bytes(st, COL_MESSAGE);
                if (pcre2_match(f->grep, (PCRE2_SPTR) (m ? m : ""), n, 0, 0, t->md, NULL) < 0)
                        return false;
        }
        return true;
}

/* On to the head's next wanted row. A step that fails ends the node's stream like its last row. */
static void advance(const Timeline *t, Head *h) {
        while (h->st) {
                if (sqlite3_step(h->st) != SQLITE_ROW) {
                        sqlite3_finalize(h->st);
                        h->st = NULL;
                } else if (row_wanted(t, h->st))
                        return;
        }
}

static int head_open(Store *store, Timeline *t, const Analysis *a, size_t i, usec_t since, usec_t until) {
        const CNode *n = &a->nodes[i];
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(store_db(store), sql_node_events, -1, &st, NULL);
        if (rc != SQLITE_OK)
                return store_errno(rc);
        sqlite3_bind_int64(st, 1, n->node_id);
        /* Open ends are the whole range: USEC_INVALID is INT64_MIN, the smallest stamp there is. */
        sqlite3_bind_int64(st, 2, since);
        sqlite3_bind_int64(st, 3, until == USEC_INVALID ? INT64_MAX : until);
        sqlite3_bind_int(st, 4, t->filter->priority);
        Head *h = &t->heads[t->n_heads++];
        *h = (Head){ st, n, n->skew_applied ? (usec_t) (n->skew * USEC_PER_SEC) : 0, (int) i };
        advance(t, h);
        return 0;
}

int timeline_open(Store *store, const Analysis *a, const TimelineFilter *f, usec_t since, usec_t until,
                  Timeline **ret, const char **reterr_node) {
        _cleanup_(timeline_freep) Timeline *t = calloc(1, sizeof *t);
        if (!t)
                return -ENOMEM;
        t->filter = f;
        t->heads = calloc(MAX(a->n_nodes, (size_t) 1), sizeof *t->heads);
        if (!t->heads)
                return -ENOMEM;
        if (f->grep && !(t->md = pcre2_match_data_create_from_pattern(f->grep, NULL)))
                return -ENOMEM;
        for (size_t i = 0; i < a->n_nodes; i++) {
                if (f->node && !streq(f->node, a->nodes[i].name))
                        continue;
                int r = head_open(store, t, a, i, since, until);
                if (r < 0) {
                        *reterr_node = a->nodes[i].name;
                        return r;
                }
        }
        if (f->node && t->n_heads == 0)
                return -ENOENT;
        *ret = TAKE_PTR(t);
        return 0;
}

/* The head with the earliest corrected time; on a tie the node that comes first in the analysis. */
static Head *earliest(Timeline *t) {
        Head *best = NULL;
        for (size_t i = 0; i < t->n_heads; i++) {
                Head *h = &t->heads[i];
                if (h->st && (!best || sqlite3_column_int64(h->st, COL_TS) - h->offset <
                                               sqlite3_column_int64(best->st, COL_TS) - best->offset))
                        best = h;
        }
        return best;
}

static void row_fill(const Head *h, TimelineRow *ret) {
        sqlite3_stmt *st = h->st;
        const char *msg = (const char *) sqlite3_column_blob(st, COL_MESSAGE);
        *ret = (TimelineRow){
                .ts = sqlite3_column_int64(st, COL_TS) - h->offset,
                .node = h->node->name,
                .node_index = h->index,
                .ident = (const char *) sqlite3_column_text(st, COL_IDENT),
                .pid = sqlite3_column_type(st, COL_PID) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, COL_PID),
                .priority = sqlite3_column_type(st, COL_PRIORITY) == SQLITE_NULL ? -1 : sqlite3_column_int(st, COL_PRIORITY),
                .message = { msg ? msg : "", (size_t) sqlite3_column_bytes(st, COL_MESSAGE) },
                .kinds = (const char *) sqlite3_column_text(st, COL_KINDS),
                .source = (const char *) sqlite3_column_text(st, COL_SOURCE),
        };
}

int timeline_next(Timeline *t, TimelineRow *ret) {
        /* The row handed out last stayed valid until now: its node moves on only here. */
        if (t->last)
                advance(t, t->last);
        t->last = earliest(t);
        if (!t->last)
                return 0;
        row_fill(t->last, ret);
        return 1;
}

Timeline *timeline_free(Timeline *t) {
        if (!t)
                return NULL;
        for (size_t i = 0; i < t->n_heads; i++)
                sqlite3_finalize(t->heads[i].st);
        free(t->heads);
        pcre2_match_data_free(t->md);
        free(t);
        return NULL;
}
