/* correlate-timeline.c: the k-way merge of the nodes' event streams on corrected time, and the
 * timeline's filters (correlate-timeline.h). */
#include "correlate-timeline.h"

static const char sql_node_events[] =
        "SELECT e.ts, e.identifier, e.pid, e.priority, e.message, "
        "  (SELECT group_concat(t.kind, ',') FROM tag t WHERE t.event_id = e.id), "
        "  CASE WHEN e.line IS NOT NULL THEN s.path || ':' || e.line ELSE s.path END, e.unit "
        "FROM event e JOIN source s ON s.id = e.source_id "
        "WHERE e.node_id = ?1 AND e.ts >= ?2 AND e.ts < ?3 AND (?4 < 0 OR e.priority BETWEEN ?5 AND ?4) "
        "  AND (?6 IS NULL OR e.boot = ?6) AND e.id > ?7 AND e.id <= ?8 "
        "ORDER BY e.ts, e.id";
static const char sql_last_ids[] = "SELECT coalesce(max(id), 0), (SELECT coalesce(max(id), 0) FROM node) FROM event";

/* The boot row of -b: by id, or by its place among the node's boots (?2 rows on). */
static const char sql_boot_by_id[] = "SELECT id FROM boot WHERE node_id = ?1 AND boot_id = ?3";
static const char sql_boot_newest[] =
        "SELECT id FROM boot WHERE node_id = ?1 ORDER BY first_ts DESC, id DESC LIMIT 1 OFFSET ?2";
static const char sql_boot_oldest[] = "SELECT id FROM boot WHERE node_id = ?1 ORDER BY first_ts, id LIMIT 1 OFFSET ?2";
static const char sql_boots[] = "SELECT boot_id, first_ts, last_ts FROM boot WHERE node_id = ?1 ORDER BY first_ts, id";

/* Columns of sql_node_events. */
enum { COL_TS, COL_IDENT, COL_PID, COL_PRIORITY, COL_MESSAGE, COL_KINDS, COL_SOURCE, COL_UNIT };

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

int timeline_names_add(TimelineNames *l, const char *name) {
        if (array_reserve(&l->v, &l->alloc, l->n + 1, sizeof *l->v, 4) < 0)
                return -ENOMEM;
        l->v[l->n++] = name;
        return 0;
}

static void names_done(TimelineNames *l) {
        free(l->v);
        *l = (TimelineNames){ 0 };
}

void timeline_filter_done(TimelineFilter *f) {
        pcre2_code_free(f->grep);
        f->grep = NULL;
        names_done(&f->nodes);
        names_done(&f->kinds);
        names_done(&f->idents);
        names_done(&f->units);
}

int timeline_filter_boot(TimelineFilter *f, const char *s) {
        size_t n = strlen(s);
        bool hex = n > 0 && strspn(s, "0123456789abcdef") == n;
        f->by_boot = true;
        f->boot_id = NULL;
        f->boot_offset = 0;
        if ((n == 32 && hex) || (n == 17 && s[0] == '~' && strspn(s + 1, "0123456789abcdef") == 16)) {
                f->boot_id = s;
                return 0;
        }
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (n == 0 || *end || errno || v < INT_MIN || v > INT_MAX) {
                f->by_boot = false;
                return -EINVAL;
        }
        f->boot_offset = (int) v;
        return 0;
}

static bool names_contain(const TimelineNames *l, const char *s) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->v[i], s))
                        return true;
        return false;
}

int timeline_priority_from_string(const char *s) {
        static const char *const names[] = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };
        for (int i = 0; i < (int) ELEMENTSOF(names); i++)
                if (streq(s, names[i]) || (s[0] == '0' + i && !s[1]))
                        return i;
        return -EINVAL;
}

int timeline_priority_range_from_string(const char *s, int *ret_min, int *ret_max) {
        const char *dots = strstr(s, "..");
        if (!dots) {
                int p = timeline_priority_from_string(s);
                if (p < 0)
                        return p;
                *ret_min = 0;
                *ret_max = p;
                return 0;
        }
        char from[16];
        if ((size_t) (dots - s) >= sizeof from)
                return -EINVAL;
        memcpy(from, s, (size_t) (dots - s));
        from[dots - s] = '\0';
        int a = timeline_priority_from_string(from), b = timeline_priority_from_string(dots + 2);
        if (a < 0 || b < 0)
                return -EINVAL;
        *ret_min = MIN(a, b);
        *ret_max = MAX(a, b);
        return 0;
}

/* One kind of an event (p, len) against want: n bytes of it, a prefix of any kind when star, else
 * the kind itself or one under it. */
static bool kind_matches(const char *p, size_t len, const char *want, size_t n, bool star) {
        if (len < n || strncmp(p, want, n) != 0)
                return false;
        return star || len == n || p[n] == '.';
}

bool timeline_kind_matches(const char *kinds, const char *want) {
        if (!want)
                return true;
        if (!kinds)
                return false;
        size_t n = strlen(want);
        /* '*' is a plain prefix ("knet*" takes "knetd.x"); a trailing '.' only says "under": "ha." is "ha". */
        bool star = n > 0 && want[n - 1] == '*';
        if (n > 0 && (star || want[n - 1] == '.'))
                n--;
        if (n == 0 && !star)
                return false;
        for (const char *p = kinds; *p;) {
                size_t len = strcspn(p, ",");
                if (kind_matches(p, len, want, n, star))
                        return true;
                p += len + (p[len] == ',');
        }
        return false;
}

bool timeline_unit_matches(const char *unit, const char *ident, const char *want) {
        size_t n = strlen(want);
        /* journalctl's name mangling: a unit without a type is a service. */
        bool typed = strchr(want, '.') != NULL;
        size_t name = n > 8 && streq(want + n - 8, ".service") ? n - 8 : typed ? 0 : n;
        if (unit)
                return streq(unit, want) || (!typed && strncmp(unit, want, n) == 0 && streq(unit + n, ".service"));
        /* Text sources store no unit: a service's syslog identifier is its name. */
        return ident && name > 0 && strlen(ident) == name && strncmp(ident, want, name) == 0;
}

static bool any_kind(const TimelineNames *l, const char *kinds) {
        for (size_t i = 0; i < l->n; i++)
                if (timeline_kind_matches(kinds, l->v[i]))
                        return true;
        return l->n == 0;
}

static bool any_unit(const TimelineNames *l, const char *unit, const char *ident) {
        for (size_t i = 0; i < l->n; i++)
                if (timeline_unit_matches(unit, ident, l->v[i]))
                        return true;
        return l->n == 0;
}

static bool row_wanted(const Timeline *t, sqlite3_stmt *st) {
        const TimelineFilter *f = t->filter;
        const char *ident = (const char *) sqlite3_column_text(st, COL_IDENT);
        if (!any_kind(&f->kinds, (const char *) sqlite3_column_text(st, COL_KINDS)))
                return false;
        if (f->idents.n > 0 && !(ident && names_contain(&f->idents, ident)))
                return false;
        if (!any_unit(&f->units, (const char *) sqlite3_column_text(st, COL_UNIT), ident))
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

/* The boot row of node_id that -b names, -1 when the node has no such boot. */
static int boot_row(Store *store, const TimelineFilter *f, int64_t node_id, int64_t *ret) {
        sqlite3_stmt *st;
        const char *sql = f->boot_id ? sql_boot_by_id : f->boot_offset > 0 ? sql_boot_oldest : sql_boot_newest;
        int rc = sqlite3_prepare_v2(store_db(store), sql, -1, &st, NULL);
        if (rc != SQLITE_OK)
                return store_errno(rc);
        sqlite3_bind_int64(st, 1, node_id);
        if (f->boot_id)
                sqlite3_bind_text(st, 3, f->boot_id, -1, SQLITE_STATIC);
        else    /* 1 is the first boot; 0 the last, -1 the one before */
                sqlite3_bind_int64(st, 2, f->boot_offset > 0 ? f->boot_offset - 1 : -(int64_t) f->boot_offset);
        rc = sqlite3_step(st);
        *ret = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        sqlite3_finalize(st);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_errno(rc);
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
        sqlite3_bind_int(st, 5, t->filter->priority_min);
        sqlite3_bind_int64(st, 7, t->filter->after_event_id);
        sqlite3_bind_int64(st, 8, t->filter->upto_event_id);
        if (t->filter->by_boot) {
                int64_t boot;
                int r = boot_row(store, t->filter, n->node_id, &boot);
                if (r < 0)
                        return sqlite3_finalize(st), r;
                sqlite3_bind_int64(st, 6, boot);
        }
        Head *h = &t->heads[t->n_heads++];
        *h = (Head){ st, n, n->skew_applied ? (usec_t) (n->skew * USEC_PER_SEC) : 0, (int) i };
        advance(t, h);
        return 0;
}

int timeline_last_ids(Store *store, int64_t *ret_event, int64_t *ret_node) {
        sqlite3_stmt *st;
        int r = store_stmt(store, sql_last_ids, &st);
        if (r < 0)
                return r;
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                *ret_event = sqlite3_column_int64(st, 0);
                *ret_node = sqlite3_column_int64(st, 1);
        }
        /* Reset at once: a statement left open would hold the reader on this snapshot. */
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? 0 : store_errno(rc);
}

/* The first name of nodes that is no node of a, or NULL. */
static const char *unknown_node(const Analysis *a, const TimelineNames *nodes) {
        for (size_t k = 0; k < nodes->n; k++) {
                size_t i = 0;
                while (i < a->n_nodes && !streq(a->nodes[i].name, nodes->v[k]))
                        i++;
                if (i == a->n_nodes)
                        return nodes->v[k];
        }
        return NULL;
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
        const char *missing = unknown_node(a, &f->nodes);
        if (missing) {
                *reterr_node = missing;
                return -ENOENT;
        }
        for (size_t i = 0; i < a->n_nodes; i++) {
                if (f->nodes.n > 0 && !names_contain(&f->nodes, a->nodes[i].name))
                        continue;
                int r = head_open(store, t, a, i, since, until);
                if (r < 0) {
                        *reterr_node = a->nodes[i].name;
                        return r;
                }
        }
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

static int node_boots(Store *store, const CNode *n, int (*each)(const TimelineBoot *b, void *userdata),
                      void *userdata) {
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(store_db(store), sql_boots, -1, &st, NULL);
        if (rc != SQLITE_OK)
                return store_errno(rc);
        sqlite3_bind_int64(st, 1, n->node_id);
        usec_t offset = n->skew_applied ? (usec_t) (n->skew * USEC_PER_SEC) : 0;
        int count = 0, r = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                count++;
        sqlite3_reset(st);
        /* Indexes count back from the last boot, 0. */
        for (int i = 0; r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW; i++) {
                TimelineBoot b = { .node = n->name, .index = i - count + 1,
                                   .boot_id = (const char *) sqlite3_column_text(st, 0),
                                   .first = USEC_INVALID, .last = USEC_INVALID };
                if (sqlite3_column_type(st, 1) != SQLITE_NULL)
                        b.first = sqlite3_column_int64(st, 1) - offset;
                if (sqlite3_column_type(st, 2) != SQLITE_NULL)
                        b.last = sqlite3_column_int64(st, 2) - offset;
                r = each(&b, userdata);
        }
        sqlite3_finalize(st);
        if (r < 0)
                return r;
        return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int timeline_boots(Store *store, const Analysis *a, const TimelineFilter *f,
                   int (*each)(const TimelineBoot *b, void *userdata), void *userdata) {
        for (size_t i = 0; i < a->n_nodes; i++) {
                if (f->nodes.n > 0 && !names_contain(&f->nodes, a->nodes[i].name))
                        continue;
                int r = node_boots(store, &a->nodes[i], each, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* A string into the copy's block at *at; NULL stays NULL. */
static const char *dup_into(char **at, const char *s, size_t n) {
        if (!s)
                return NULL;
        char *p = memcpy(*at, s, n);
        p[n] = '\0';
        *at += n + 1;
        return p;
}

TimelineRow *timeline_row_dup(const TimelineRow *row) {
        const char *strs[] = { row->node, row->ident, row->kinds, row->source };
        size_t lens[ELEMENTSOF(strs)], size = sizeof *row + row->message.n + 1;
        for (size_t i = 0; i < ELEMENTSOF(strs); i++)
                size += (lens[i] = strs[i] ? strlen(strs[i]) : 0) + 1;
        TimelineRow *c = malloc(size);
        if (!c)
                return NULL;
        char *at = (char *) (c + 1);
        *c = *row;
        c->message.p = dup_into(&at, row->message.p, row->message.n);
        c->node = dup_into(&at, strs[0], lens[0]);
        c->ident = dup_into(&at, strs[1], lens[1]);
        c->kinds = dup_into(&at, strs[2], lens[2]);
        c->source = dup_into(&at, strs[3], lens[3]);
        return c;
}

void timeline_rows_free(TimelineRow **rows, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(rows[i]);
        free(rows);
}

static void reverse(TimelineRow **rows, size_t n) {
        for (size_t i = 0; i < n / 2; i++) {
                TimelineRow *x = rows[i];
                rows[i] = rows[n - 1 - i];
                rows[n - 1 - i] = x;
        }
}

/* The ring's rows from its oldest (at start) on, in place: a rotation by three reversals. */
static void ring_unroll(TimelineRow **rows, size_t n, size_t start) {
        if (start == 0)
                return;
        reverse(rows, start);
        reverse(rows + start, n - start);
        reverse(rows, n);
}

int timeline_collect(Timeline *t, size_t last, TimelineRow ***ret, size_t *ret_n) {
        TimelineRow **rows = NULL, row;
        size_t n = 0, alloc = 0, start = 0;
        while (timeline_next(t, &row) > 0) {
                TimelineRow *c = timeline_row_dup(&row);
                /* Full: the oldest row makes room, so memory stays bounded by `last` rows. */
                if (c && last > 0 && n == last) {
                        free(rows[start]);
                        rows[start] = c;
                        start = (start + 1) % last;
                        continue;
                }
                if (!c || array_reserve(&rows, &alloc, n + 1, sizeof *rows, 64) < 0) {
                        free(c);
                        timeline_rows_free(rows, n);
                        return -ENOMEM;
                }
                rows[n++] = c;
        }
        ring_unroll(rows, n, start);
        *ret = rows;
        *ret_n = n;
        return 0;
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
