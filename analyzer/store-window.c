/* store-window.c: index-backed time windows on the timeline and tagged views.
 *
 * The views' documented ts is RFC 3339 text made by printf (004-views.sql), so 'WHERE ts >= X'
 * cannot use the event_node_ts index and reads every event. Read-only connections (`cascade
 * query`) get a virtual table in the temp schema under each view's name, which shadows it for
 * unqualified names. It declares the view's columns with the view's own declared types (so the
 * same affinities apply) and runs 'SELECT ... FROM main.VIEW WHERE ...' with every constraint it
 * is given, as it is, but one comparing ts with text: that one becomes the ts_usec range holding
 * every row it can accept (the text of a time in 1970..9999 sorts as the time does, so the first
 * microsecond whose text is >= X is found by bisection), and the nodes are named so SQLite
 * searches event_node_ts node by node. SQLite checks the constraints again on the rows returned
 * (all but a comparison with a text constant, whose range is exact): the answers are the view's,
 * only the rows read are fewer. Why not an index on the ts expression, which SQLite matches
 * through the flattened view: 36 bytes more per event (+27%), text ingest 1.6x slower, and no
 * help for LIKE (bench/README.md). The plain views stay what `sqlite3` reads, and main.timeline
 * reaches them from here. */

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "macro.h"
#include "store-window.h"
#include "strbuf.h"

#define WINDOW_USEC_MAX INT64_C(253402300799999999)  /* 9999-12-31T23:59:59.999999Z */

typedef struct WindowTable {
        sqlite3_vtab base;
        sqlite3 *db;
        char *view;            /* the view in main it stands for */
        int n_cols;
        char **cols;           /* its column names */
        int ts_col;            /* index of 'ts' (RFC 3339 text), -1 without */
        int usec_col;          /* index of 'ts_usec' (the same time, µs since the epoch) */
        int in_order;          /* 1: every stored time lies in 1970..9999, 0: not, -1: not checked yet */
        bool ts_is_usec;       /* the view's ts is 004-views.sql's printf of e.ts, its ts_usec e.ts: a ts
                                * comparison has a ts_usec range, and ts is formatted here */
        bool node_is_name;     /* the view's node is n.name of node n joined on e.node_id */
        double rows;           /* the planner's guess of the view's rows: the events stored */
} WindowTable;

typedef struct WindowCursor {
        sqlite3_vtab_cursor base;
        sqlite3_stmt *st;      /* the query on main.VIEW */
        char *sql;             /* st's SQL: the next filter of the same shape reuses it */
        bool eof;
        bool format_ts;        /* st returns NULL for ts: window_column() formats ts_usec */
        sqlite3_int64 rowid;   /* rows returned so far */
} WindowCursor;

/* Operators handed down as SQL; others (MATCH, LIMIT, unary ones) SQLite keeps to itself. */
static const char *window_op_sql(unsigned char op) {
        switch (op) {
        case SQLITE_INDEX_CONSTRAINT_EQ: return "=";
        case SQLITE_INDEX_CONSTRAINT_GT: return ">";
        case SQLITE_INDEX_CONSTRAINT_LE: return "<=";
        case SQLITE_INDEX_CONSTRAINT_LT: return "<";
        case SQLITE_INDEX_CONSTRAINT_GE: return ">=";
        case SQLITE_INDEX_CONSTRAINT_LIKE: return "LIKE";
        case SQLITE_INDEX_CONSTRAINT_GLOB: return "GLOB";
        case SQLITE_INDEX_CONSTRAINT_NE: return "<>";
        case SQLITE_INDEX_CONSTRAINT_IS: return "IS";
        case SQLITE_INDEX_CONSTRAINT_ISNOT: return "IS NOT";
        default: return NULL;
        }
}

static void window_table_free(WindowTable *t) {
        if (!t)
                return;
        for (int i = 0; i < t->n_cols; i++)
                free(t->cols[i]);
        free(t->cols);
        free(t->view);
        free(t);
}

/* The planner's guess of a view's rows: the highest event id, read from the end of the table. */
static void window_probe_rows(WindowTable *t) {
        sqlite3_stmt *st;
        t->rows = 1000;
        if (sqlite3_prepare_v2(t->db, "SELECT max(id) FROM main.event", -1, &st, NULL) != SQLITE_OK)
                return;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_double(st, 0) > t->rows)
                t->rows = sqlite3_column_double(st, 0);
        sqlite3_finalize(st);
}

/* What the view's SQL says its columns are. Only a view whose ts is the 004-views.sql expression
 * of ts_usec gets ts_usec ranges; then window_format() gives the same text, which saves SQLite's
 * printf and strftime (a third of a microsecond per row, more than the rest of a count), and
 * only for the rows and columns asked for. A view changed by a later migration is read as it is
 * until this is taught its new shape (tests/e2e-windows.sh checks the plan). */
static void window_probe_ts(WindowTable *t) {
        static const char ts_sql[] = "printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', e.ts / 1000000, 'unixepoch'), "
                                     "e.ts % 1000000) AS ts,";
        sqlite3_stmt *st;
        if (t->ts_col < 0 || t->usec_col < 0 ||
            sqlite3_prepare_v2(t->db, "SELECT sql FROM main.sqlite_schema WHERE type = 'view' AND name = ?1", -1, &st,
                               NULL) != SQLITE_OK)
                return;
        sqlite3_bind_text(st, 1, t->view, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
                const char *sql = (const char *) sqlite3_column_text(st, 0);
                t->ts_is_usec = sql && strstr(sql, ts_sql) && strstr(sql, "e.ts AS ts_usec");
                t->node_is_name = sql && strstr(sql, "n.name AS node,") && strstr(sql, "JOIN node n ON n.id = e.node_id");
        }
        sqlite3_finalize(st);
}

/* argv[3]: the view's name. The columns and their declared types are the view's. */
static int window_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **ret,
                          char **reterr) {
        if (argc != 4)
                return *reterr = sqlite3_mprintf("cascade_window(VIEW)"), SQLITE_ERROR;
        WindowTable *t = calloc(1, sizeof *t);
        if (!t)
                return SQLITE_NOMEM;
        t->db = db;
        t->ts_col = t->usec_col = -1;
        t->in_order = -1;
        t->view = strdup(argv[3]);
        char *sql = sqlite3_mprintf("SELECT * FROM main.\"%w\"", argv[3]);
        sqlite3_stmt *st = NULL;
        int rc = t->view && sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
        sqlite3_free(sql);
        StrBuf decl = STRBUF_INIT;
        if (rc == SQLITE_OK) {
                t->n_cols = sqlite3_column_count(st);
                t->cols = calloc(t->n_cols, sizeof *t->cols);
                rc = t->cols ? SQLITE_OK : SQLITE_NOMEM;
                strbuf_addstr(&decl, "CREATE TABLE x(");
                for (int i = 0; rc == SQLITE_OK && i < t->n_cols; i++) {
                        const char *name = sqlite3_column_name(st, i), *type = sqlite3_column_decltype(st, i);
                        t->cols[i] = strdup(name ? name : "");
                        if (!t->cols[i]) {
                                rc = SQLITE_NOMEM;
                                break;
                        }
                        if (streq(t->cols[i], "ts"))
                                t->ts_col = i;
                        else if (streq(t->cols[i], "ts_usec"))
                                t->usec_col = i;
                        char *col = sqlite3_mprintf("%s\"%w\" %s", i ? ", " : "", t->cols[i], type ? type : "");
                        if (!col)
                                rc = SQLITE_NOMEM;
                        else
                                strbuf_addstr(&decl, col);
                        sqlite3_free(col);
                }
                strbuf_addstr(&decl, ")");
                if (rc == SQLITE_OK && strbuf_error(&decl) < 0)
                        rc = SQLITE_NOMEM;
        }
        sqlite3_finalize(st);
        if (rc == SQLITE_OK)
                rc = sqlite3_declare_vtab(db, decl.buf);
        strbuf_release(&decl);
        if (rc != SQLITE_OK) {
                *reterr = sqlite3_mprintf("%s", sqlite3_errmsg(db));
                window_table_free(t);
                return rc;
        }
        window_probe_rows(t);
        window_probe_ts(t);
        *ret = &t->base;
        return SQLITE_OK;
}

static int window_disconnect(sqlite3_vtab *vt) {
        window_table_free((WindowTable *) vt);
        return SQLITE_OK;
}

static bool window_in_order(WindowTable *t);

/* A comparison of ts with a text constant is its ts_usec range exactly (window_first_at()):
 * SQLite need not check it again, nor read ts for it. A bound parameter's value is not known here
 * (nor with SQLite before 3.38): it is checked again. */
static int window_exact(WindowTable *t, sqlite3_index_info *info, int i) {
#if SQLITE_VERSION_NUMBER >= 3038000
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        sqlite3_value *rhs = NULL;
        bool op = c->op == SQLITE_INDEX_CONSTRAINT_EQ || c->op == SQLITE_INDEX_CONSTRAINT_GT ||
                  c->op == SQLITE_INDEX_CONSTRAINT_LE || c->op == SQLITE_INDEX_CONSTRAINT_LT ||
                  c->op == SQLITE_INDEX_CONSTRAINT_GE || c->op == SQLITE_INDEX_CONSTRAINT_IS;
        return op && c->iColumn == t->ts_col && t->ts_is_usec && sqlite3_vtab_rhs_value(info, i, &rhs) == SQLITE_OK &&
               rhs && sqlite3_value_type(rhs) == SQLITE_TEXT && window_in_order(t);
#else
        return 0;
#endif
}

/* idxStr: one "COLUMN OP;" per constraint handed down, in argv order, then for EXPLAIN QUERY PLAN
 * how a time constraint is read ("by ts_usec, node by node": event_node_ts). idxNum: the columns
 * the statement uses (bit i: column i; all when there are more than 30). */
static int window_best_index(sqlite3_vtab *vt, sqlite3_index_info *info) {
        WindowTable *t = (WindowTable *) vt;
        StrBuf plan = STRBUF_INIT;
        double rows = t->rows;
        bool ts_low = false, ts_high = false, unique = false, by_usec = false;
        int n = 0;
        for (int i = 0; i < info->nConstraint; i++) {
                const struct sqlite3_index_constraint *c = &info->aConstraint[i];
                const char *op = window_op_sql(c->op);
                if (!c->usable || !op || c->iColumn < 0 || c->iColumn >= t->n_cols ||
                    strpbrk(t->cols[c->iColumn], " ;"))
                        continue;
                /* Handed down without its COLLATE, another collation would turn away rows it accepts. */
                const char *coll = sqlite3_vtab_collation(info, i);
                if (coll && sqlite3_stricmp(coll, "BINARY") != 0)
                        continue;
                info->aConstraintUsage[i].argvIndex = ++n;
                info->aConstraintUsage[i].omit = window_exact(t, info, i);
                strbuf_addf(&plan, "%s %s;", t->cols[c->iColumn], op);
                bool time = c->iColumn == t->ts_col || c->iColumn == t->usec_col;
                by_usec = by_usec || c->iColumn == t->usec_col || (c->iColumn == t->ts_col && t->ts_is_usec);
                if (time && (c->op == SQLITE_INDEX_CONSTRAINT_EQ || c->op == SQLITE_INDEX_CONSTRAINT_IS ||
                             c->op == SQLITE_INDEX_CONSTRAINT_LIKE || c->op == SQLITE_INDEX_CONSTRAINT_GLOB))
                        ts_low = ts_high = true;
                else if (time && (c->op == SQLITE_INDEX_CONSTRAINT_GT || c->op == SQLITE_INDEX_CONSTRAINT_GE))
                        ts_low = true;
                else if (time && (c->op == SQLITE_INDEX_CONSTRAINT_LT || c->op == SQLITE_INDEX_CONSTRAINT_LE))
                        ts_high = true;
                else if (streq(t->cols[c->iColumn], "event_id") && c->op == SQLITE_INDEX_CONSTRAINT_EQ)
                        unique = true;
                else if (c->op == SQLITE_INDEX_CONSTRAINT_EQ || c->op == SQLITE_INDEX_CONSTRAINT_IS)
                        rows /= 4;
        }
        if (by_usec)
                strbuf_addstr(&plan, t->node_is_name ? " by ts_usec, node by node" : " by ts_usec");
        if (strbuf_error(&plan) < 0)
                return SQLITE_NOMEM;
        if (unique)
                rows = 1;
        else if (ts_low && ts_high)
                rows /= 100;
        else if (ts_low || ts_high)
                rows /= 3;
        info->estimatedRows = rows < 1 ? 1 : (sqlite3_int64) rows;
        info->estimatedCost = 10 + 2 * rows;
        info->idxNum = t->n_cols > 30 || info->colUsed >> 30 ? -1 : (int) info->colUsed;
        info->idxStr = sqlite3_mprintf("%s", plan.len ? plan.buf : "");
        info->needToFreeIdxStr = 1;
        strbuf_release(&plan);
        return info->idxStr ? SQLITE_OK : SQLITE_NOMEM;
}

static int window_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **ret) {
        WindowCursor *c = calloc(1, sizeof *c);
        if (!c)
                return SQLITE_NOMEM;
        c->eof = true;
        *ret = &c->base;
        return SQLITE_OK;
}

static int window_close(sqlite3_vtab_cursor *cur) {
        WindowCursor *c = (WindowCursor *) cur;
        sqlite3_finalize(c->st);
        free(c->sql);
        free(c);
        return SQLITE_OK;
}

/* The view's ts of a time: SQLite's strftime('%Y-%m-%dT%H:%M:%S') and '.%06dZ', for 1970..9999. */
static size_t window_format(int64_t usec, char buf[static 32]) {
        time_t sec = (time_t) (usec / 1000000);
        struct tm tm;
        if (!gmtime_r(&sec, &tm))
                return 0;
        int n = snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) (usec % 1000000));
        return n > 0 ? (size_t) n : 0;
}

/* SQLite's BINARY collation. */
static int window_textcmp(const char *a, size_t na, const char *b, size_t nb) {
        int r = memcmp(a, b, na < nb ? na : nb);
        return r ? r : na < nb ? -1 : na > nb;
}

/* The first time in 0..WINDOW_USEC_MAX whose text is >= x (> x when strict); WINDOW_USEC_MAX + 1
 * when none is. The text of these times sorts as the times do. */
static int64_t window_first_at(const char *x, size_t n, bool strict) {
        int64_t lo = 0, hi = WINDOW_USEC_MAX + 1;
        while (lo < hi) {
                int64_t mid = lo + (hi - lo) / 2;
                char buf[32];
                size_t len = window_format(mid, buf);
                int cmp = window_textcmp(buf, len, x, n);
                if (strict ? cmp > 0 : cmp >= 0)
                        hi = mid;
                else
                        lo = mid + 1;
        }
        return lo;
}

/* Do all stored times format in order? Times before 1970 or after 9999 do not (a negative
 * remainder, a five-digit year): then nothing is derived. Each node's end of event_node_ts. */
static bool window_in_order(WindowTable *t) {
        if (t->in_order >= 0)
                return t->in_order;
        sqlite3_stmt *st;
        t->in_order = 0;
        if (sqlite3_prepare_v2(t->db,
                               "SELECT min((SELECT min(ts) FROM main.event WHERE node_id = n.id)), "
                               "max((SELECT max(ts) FROM main.event WHERE node_id = n.id)) FROM main.node n",
                               -1, &st, NULL) != SQLITE_OK)
                return false;
        if (sqlite3_step(st) == SQLITE_ROW)
                t->in_order = sqlite3_column_type(st, 0) == SQLITE_NULL ||
                              (sqlite3_column_int64(st, 0) >= 0 && sqlite3_column_int64(st, 1) <= WINDOW_USEC_MAX);
        sqlite3_finalize(st);
        return t->in_order;
}

/* The times a constraint 'ts OP x' can accept narrowed into [*lo, *hi). */
static void window_narrow(const char *op, sqlite3_value *v, int64_t *lo, int64_t *hi) {
        const char *x = (const char *) sqlite3_value_text(v);
        size_t n = (size_t) sqlite3_value_bytes(v);
        int64_t a = 0, b = WINDOW_USEC_MAX + 1;
        if (!x)
                return;
        if (streq(op, ">="))
                a = window_first_at(x, n, false);
        else if (streq(op, ">"))
                a = window_first_at(x, n, true);
        else if (streq(op, "<"))
                b = window_first_at(x, n, false);
        else if (streq(op, "<="))
                b = window_first_at(x, n, true);
        else if (streq(op, "=") || streq(op, "IS")) {
                a = window_first_at(x, n, false);
                b = window_first_at(x, n, true);
        } else if (streq(op, "LIKE") || streq(op, "GLOB")) {
                /* The literal prefix. The text has no lower-case letters: LIKE's ASCII case
                 * folding matches its upper case only. Every text starting with it sorts below
                 * the prefix followed by DEL, the text being ASCII. */
                bool like = op[0] == 'L';
                char p[64];
                size_t k = 0;
                for (; k < n && k < sizeof p - 1; k++) {
                        char ch = x[k];
                        if (like ? ch == '%' || ch == '_' : ch == '*' || ch == '?' || ch == '[')
                                break;
                        p[k] = like && ch >= 'a' && ch <= 'z' ? (char) (ch - 'a' + 'A') : ch;
                }
                if (k == 0)
                        return;
                a = window_first_at(p, k, false);
                p[k] = 0x7f;
                b = window_first_at(p, k + 1, false);
        }
        if (a > *lo)
                *lo = a;
        if (b < *hi)
                *hi = b;
}

static int window_filter(sqlite3_vtab_cursor *cur, int idx_num, const char *idx_str, int argc, sqlite3_value **argv) {
        WindowCursor *c = (WindowCursor *) cur;
        WindowTable *t = (WindowTable *) cur->pVtab;
        StrBuf sql = STRBUF_INIT;
        int64_t lo = 0, hi = WINDOW_USEC_MAX + 1;
        bool narrowed = false, timed = false;

        c->format_ts = t->ts_is_usec && window_in_order(t);
        strbuf_addstr(&sql, "SELECT ");
        for (int i = 0; i < t->n_cols; i++) {
                bool used = idx_num < 0 || (idx_num >> i & 1);
                if (c->format_ts)
                        used = i == t->ts_col ? false : i == t->usec_col ? true : used;
                char *col = sqlite3_mprintf("%s\"%w\"", i ? ", " : "", t->cols[i]);
                strbuf_addstr(&sql, used && col ? col : i ? ", NULL" : "NULL");
                sqlite3_free(col);
        }
        char *from = sqlite3_mprintf(" FROM main.\"%w\" WHERE 1", t->view);
        strbuf_addstr(&sql, from ? from : "");
        sqlite3_free(from);
        /* idx_str: "COLUMN OP;" per argument, as window_best_index() wrote it. */
        const char *p = idx_str ? idx_str : "";
        for (int i = 0; i < argc && *p; i++) {
                const char *end = strchr(p, ';'), *sp = end ? memchr(p, ' ', end - p) : NULL;
                if (!sp)
                        break;
                char *name = strndup(p, sp - p), *op = strndup(sp + 1, end - sp - 1);
                if (t->usec_col >= 0 && name && streq(name, t->cols[t->usec_col]))
                        timed = true;
                /* A ts term becomes its ts_usec range, which holds every row it accepts: SQLite
                 * checks the term itself on the rows returned. The view would format ts once
                 * more for each use of it. */
                if (t->ts_is_usec && name && op && streq(name, t->cols[t->ts_col]) &&
                    sqlite3_value_type(argv[i]) == SQLITE_TEXT && window_in_order(t)) {
                        window_narrow(op, argv[i], &lo, &hi);
                        narrowed = true;
                } else {
                        char *term = name && op ? sqlite3_mprintf(" AND \"%w\" %s ?%d", name, op, i + 1) : NULL;
                        strbuf_addstr(&sql, term ? term : "");
                        sqlite3_free(term);
                }
                free(name);
                free(op);
                p = end + 1;
        }
        if (narrowed) {
                char *range = sqlite3_mprintf(" AND \"%w\" >= ?%d AND \"%w\" < ?%d", t->cols[t->usec_col], argc + 1,
                                              t->cols[t->usec_col], argc + 2);
                strbuf_addstr(&sql, range ? range : "");
                sqlite3_free(range);
        }
        /* event_node_ts leads with the node: without statistics SQLite reads a time range of all
         * nodes by scanning the events, unless it is told which nodes there are. Every row's node
         * is one of them, so the term turns no row away. */
        if ((narrowed || timed) && t->node_is_name)
                strbuf_addstr(&sql, " AND \"node\" IN (SELECT name FROM main.node)");
        if (strbuf_error(&sql) < 0)
                return strbuf_release(&sql), SQLITE_NOMEM;

        int rc = SQLITE_OK;
        if (c->st && c->sql && streq(c->sql, sql.buf)) {
                sqlite3_reset(c->st);
                sqlite3_clear_bindings(c->st);
                strbuf_release(&sql);
        } else {
                sqlite3_finalize(c->st);
                free(c->sql);
                c->st = NULL;
                c->sql = strbuf_detach(&sql);
                rc = sqlite3_prepare_v3(t->db, c->sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st, NULL);
        }
        /* ?N of a term left out above may lie beyond the statement's last parameter. */
        for (int i = 0; rc == SQLITE_OK && i < argc && i < sqlite3_bind_parameter_count(c->st); i++)
                rc = sqlite3_bind_value(c->st, i + 1, argv[i]);
        if (rc == SQLITE_OK && narrowed) {
                rc = sqlite3_bind_int64(c->st, argc + 1, lo);
                if (rc == SQLITE_OK)
                        rc = sqlite3_bind_int64(c->st, argc + 2, hi);
        }
        if (rc != SQLITE_OK) {
                sqlite3_free(t->base.zErrMsg);
                t->base.zErrMsg = sqlite3_mprintf("%s", sqlite3_errmsg(t->db));
                return rc;
        }
        c->rowid = 0;
        c->eof = false;
        return cur->pVtab->pModule->xNext(cur);
}

static int window_next(sqlite3_vtab_cursor *cur) {
        WindowCursor *c = (WindowCursor *) cur;
        int rc = sqlite3_step(c->st);
        if (rc == SQLITE_ROW) {
                c->rowid++;
                return SQLITE_OK;
        }
        c->eof = true;
        if (rc == SQLITE_DONE)
                return SQLITE_OK;
        WindowTable *t = (WindowTable *) cur->pVtab;
        sqlite3_free(t->base.zErrMsg);
        t->base.zErrMsg = sqlite3_mprintf("%s", sqlite3_errmsg(t->db));
        return rc;
}

static int window_eof(sqlite3_vtab_cursor *cur) {
        return ((WindowCursor *) cur)->eof;
}

static int window_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i) {
        WindowCursor *c = (WindowCursor *) cur;
        WindowTable *t = (WindowTable *) cur->pVtab;
        if (c->format_ts && i == t->ts_col) {
                char buf[32];
                size_t n = window_format(sqlite3_column_int64(c->st, t->usec_col), buf);
                sqlite3_result_text(ctx, buf, (int) n, SQLITE_TRANSIENT);
        } else
                sqlite3_result_value(ctx, sqlite3_column_value(c->st, i));
        return SQLITE_OK;
}

static int window_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *ret) {
        *ret = ((WindowCursor *) cur)->rowid;
        return SQLITE_OK;
}

static const sqlite3_module window_module = {
        .iVersion = 0,
        .xCreate = window_connect,
        .xConnect = window_connect,
        .xBestIndex = window_best_index,
        .xDisconnect = window_disconnect,
        .xDestroy = window_disconnect,
        .xOpen = window_open,
        .xClose = window_close,
        .xFilter = window_filter,
        .xNext = window_next,
        .xEof = window_eof,
        .xColumn = window_column,
        .xRowid = window_rowid,
};

/* Best effort: without them the views answer the same, by reading every row. */
void store_window_install(sqlite3 *db) {
        static const char *const views[] = { "timeline", "tagged" };
        if (sqlite3_create_module(db, "cascade_window", &window_module, NULL) != SQLITE_OK)
                return;
        for (size_t i = 0; i < ELEMENTSOF(views); i++) {
                char *sql = sqlite3_mprintf(
                        "SELECT 1 FROM main.sqlite_schema WHERE type = 'view' AND name = '%q'", views[i]);
                sqlite3_stmt *st = NULL;
                bool found = sql && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
                             sqlite3_step(st) == SQLITE_ROW;
                sqlite3_finalize(st);
                sqlite3_free(sql);
                if (!found)
                        continue;
                sql = sqlite3_mprintf("CREATE VIRTUAL TABLE temp.\"%w\" USING cascade_window(%s)", views[i], views[i]);
                if (sql)
                        (void) sqlite3_exec(db, sql, NULL, NULL, NULL);
                sqlite3_free(sql);
        }
}

