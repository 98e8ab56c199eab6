/* store-analysis.c: analysis results kept in the store (schema/005-analysis.sql): the rows behind
 * the boots, membership and incidents views, and the memory of what `cascade scan` reported. */
#include "report.h"
#include "store-analysis.h"

static const char sql_clear[] =
        "DELETE FROM analysis_incident; DELETE FROM analysis_boot; DELETE FROM analysis_membership";
static const char sql_incident_add[] =
        "INSERT INTO analysis_incident (id, start, end, classification, severity, root_kind, root_node, root_at, "
        "root_summary, root_confidence, nodes_expected, min_members, degraded_seconds, quorum_lost, report_json) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
/* The report of an incident reported by an earlier scan follows it into the new analysis. */
static const char sql_incident_link[] =
        "UPDATE analysis_incident AS i SET reported_at = r.reported_at, report_path = r.report_path "
        "FROM scan_reported AS r WHERE r.classification = i.classification "
        "AND r.root_node = coalesce(i.root_node, '') AND r.start_minute BETWEEN i.start / 60000000 - 1 "
        "AND i.start / 60000000 + 1";
/* OR REPLACE: a text boot matched to the same id twice in one node must not abort the save. */
static const char sql_boot_add[] =
        "INSERT OR REPLACE INTO analysis_boot (node, boot_id, start, end, end_at, end_kind, initiator) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_member_add[] =
        "INSERT OR REPLACE INTO analysis_membership (ts, count, members, member_ids) VALUES (?1, ?2, ?3, ?4)";
/* Within a minute either way: a start rounded to 08:09 by one window and 08:10 by the next (the
 * first event moved) is still the same incident. */
static const char sql_reported_find[] =
        "SELECT 1 FROM scan_reported WHERE classification = ?1 AND root_node = ?2 "
        "AND start_minute BETWEEN ?3 - 1 AND ?3 + 1 LIMIT 1";
static const char sql_reported_add[] =
        "INSERT OR REPLACE INTO scan_reported (classification, root_node, start_minute, start, reported_at, report_path) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char sql_reported_show[] =
        "UPDATE analysis_incident SET reported_at = ?2, report_path = ?3 WHERE id = ?1";
static const char sql_reported_count[] = "SELECT count(*) FROM scan_reported";
static const char sql_first_after[] = "SELECT min(ts) FROM event WHERE id > ?1";
/* Per node id first (the index event_node_ts leads with it), names joined afterwards. */
static const char sql_node_counts[] =
        "SELECT n.name, c.n FROM (SELECT node_id, count(*) AS n FROM event GROUP BY node_id) AS c "
        "JOIN node n ON n.id = c.node_id ORDER BY n.name";

const char *incident_root_node(const Analysis *a, const Incident *inc) {
        if (inc->n_hypotheses == 0 || inc->hypotheses[0].node < 0)
                return "";
        return a->nodes[inc->hypotheses[0].node].name;
}

static int64_t start_minute(const Incident *inc) {
        return inc->start / USEC_PER_MINUTE;
}

int analysis_incident_json(const Analysis *a, const Incident *inc, char **ret) {
        /* report_json() over a one-incident view of the analysis, unwrapped: the incident object is
         * then byte for byte what `analyze --format json` prints for it. */
        Analysis one = *a;
        one.incidents = (Incident *) inc;
        one.n_incidents = 1;
        StrBuf out = STRBUF_INIT;
        report_json(&one, &out);
        int r = strbuf_error(&out);
        const char *open = r >= 0 ? strstr(out.buf, "\"incidents\":[") : NULL;
        if (!open || out.len < 3 || memcmp(out.buf + out.len - 3, "]}\n", 3) != 0) {
                strbuf_release(&out);
                return r < 0 ? r : -EBADMSG;
        }
        open += strlen("\"incidents\":[");
        char *json = strndup(open, (size_t) (out.buf + out.len - 3 - open));
        strbuf_release(&out);
        if (!json)
                return -ENOMEM;
        *ret = json;
        return 0;
}

static void bind_time(sqlite3_stmt *st, int i, usec_t t) {
        if (t == USEC_INVALID)
                sqlite3_bind_null(st, i);
        else
                sqlite3_bind_int64(st, i, t);
}

static void bind_root(sqlite3_stmt *st, const Analysis *a, const Incident *inc) {
        if (inc->n_hypotheses == 0)
                return;        /* cleared bindings are NULL */
        const Hypothesis *h = &inc->hypotheses[0];
        sqlite3_bind_text(st, 6, cause_kind_to_string(h->kind), -1, SQLITE_STATIC);
        if (h->node >= 0)
                sqlite3_bind_text(st, 7, a->nodes[h->node].name, -1, SQLITE_STATIC);
        bind_time(st, 8, h->at);
        sqlite3_bind_text(st, 9, h->summary, -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 10, h->confidence);
}

static int save_incident(Store *s, const Analysis *a, const Incident *inc) {
        _cleanup_free_ char *json = NULL;
        int r = analysis_incident_json(a, inc, &json);
        if (r < 0)
                return r;
        sqlite3_stmt *st;
        r = store_stmt(s, sql_incident_add, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int(st, 1, inc->id);
        sqlite3_bind_int64(st, 2, inc->start);
        sqlite3_bind_int64(st, 3, inc->end);
        sqlite3_bind_text(st, 4, classification_to_string(inc->classification), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, incident_severity_to_string(inc->severity), -1, SQLITE_STATIC);
        bind_root(st, a, inc);
        sqlite3_bind_int(st, 11, inc->nodes_expected);
        sqlite3_bind_int(st, 12, inc->min_members);
        sqlite3_bind_double(st, 13, inc->degraded_seconds);
        sqlite3_bind_int(st, 14, inc->quorum_lost);
        sqlite3_bind_text(st, 15, json, -1, SQLITE_STATIC);
        return store_step_done(st);
}

static int save_boot(Store *s, const CNode *n, const CBoot *b) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_boot_add, &st);
        if (r < 0)
                return r;
        sqlite3_bind_text(st, 1, n->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, b->boot_id, -1, SQLITE_STATIC);
        bind_time(st, 3, b->first);
        bind_time(st, 4, b->last);
        bind_time(st, 5, b->end_at);
        sqlite3_bind_text(st, 6, boot_end_to_string(b->end), -1, SQLITE_STATIC);
        if (b->initiator)
                sqlite3_bind_text(st, 7, b->initiator, -1, SQLITE_STATIC);
        return store_step_done(st);
}

/* "proxmox proxmox3" and "1 3" for a membership point; ids without a known node stay numbers. */
static void member_lists(const Analysis *a, const MemberPoint *m, StrBuf *names, StrBuf *ids) {
        for (int i = 0; i < MIN(m->count, (int) ELEMENTSOF(m->ids)); i++) {
                int node = analysis_node_by_corosync_id(a, m->ids[i]);
                const char *sep = i ? " " : "";
                if (node >= 0)
                        strbuf_addf(names, "%s%s", sep, a->nodes[node].name);
                else
                        strbuf_addf(names, "%s%" PRId64, sep, m->ids[i]);
                strbuf_addf(ids, "%s%" PRId64, sep, m->ids[i]);
        }
}

static int save_member_point(Store *s, const Analysis *a, const MemberPoint *m) {
        StrBuf names = STRBUF_INIT, ids = STRBUF_INIT;
        sqlite3_stmt *st;
        member_lists(a, m, &names, &ids);
        int r = strbuf_error(&names);
        if (r >= 0)
                r = strbuf_error(&ids);
        if (r >= 0)
                r = store_stmt(s, sql_member_add, &st);
        if (r >= 0) {
                sqlite3_bind_int64(st, 1, m->ts);
                sqlite3_bind_int(st, 2, m->count);
                sqlite3_bind_text(st, 3, names.buf, (int) names.len, SQLITE_STATIC);
                sqlite3_bind_text(st, 4, ids.buf, (int) ids.len, SQLITE_STATIC);
                r = store_step_done(st);
        }
        strbuf_release(&names);
        strbuf_release(&ids);
        return r;
}

static int save_rows(Store *s, const Analysis *a) {
        int r = store_exec(s, sql_clear);
        for (size_t i = 0; r >= 0 && i < a->n_incidents; i++)
                r = save_incident(s, a, &a->incidents[i]);
        for (size_t i = 0; r >= 0 && i < a->n_nodes; i++)
                for (size_t k = 0; r >= 0 && k < a->nodes[i].n_boots; k++)
                        r = save_boot(s, &a->nodes[i], &a->nodes[i].boots[k]);
        for (size_t i = 0; r >= 0 && i < a->n_membership; i++)
                r = save_member_point(s, a, &a->membership[i]);
        if (r >= 0)
                r = store_exec(s, sql_incident_link);
        return r;
}

int store_analysis_save(Store *s, const Analysis *a) {
        int r = store_begin(s);
        if (r < 0)
                return r;
        r = save_rows(s, a);
        if (r < 0) {
                store_rollback(s);
                return r;
        }
        return store_commit(s);
}

static void bind_identity(sqlite3_stmt *st, const Analysis *a, const Incident *inc) {
        sqlite3_bind_text(st, 1, classification_to_string(inc->classification), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, incident_root_node(a, inc), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, start_minute(inc));
}

int store_scan_is_reported(Store *s, const Analysis *a, const Incident *inc) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_reported_find, &st);
        if (r < 0)
                return r;
        bind_identity(st, a, inc);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_ROW)
                return 1;
        return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

static int remember_rows(Store *s, const Analysis *a, const Incident *inc, const char *path, usec_t now) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_reported_add, &st);
        if (r < 0)
                return r;
        bind_identity(st, a, inc);
        sqlite3_bind_int64(st, 4, inc->start);
        sqlite3_bind_int64(st, 5, now);
        sqlite3_bind_text(st, 6, path, -1, SQLITE_STATIC);
        r = store_step_done(st);
        if (r < 0)
                return r;
        r = store_stmt(s, sql_reported_show, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int(st, 1, inc->id);
        sqlite3_bind_int64(st, 2, now);
        sqlite3_bind_text(st, 3, path, -1, SQLITE_STATIC);
        return store_step_done(st);
}

int store_scan_remember(Store *s, const Analysis *a, const Incident *inc, const char *path, usec_t now) {
        int r = store_begin(s);
        if (r < 0)
                return r;
        r = remember_rows(s, a, inc, path, now);
        if (r < 0) {
                store_rollback(s);
                return r;
        }
        return store_commit(s);
}

static int single_int64(Store *s, const char *sql, int64_t bind, int64_t *ret) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql, &st);
        if (r < 0)
                return r;
        if (bind >= 0)
                sqlite3_bind_int64(st, 1, bind);
        int rc = sqlite3_step(st);
        r = rc == SQLITE_ROW ? (sqlite3_column_type(st, 0) == SQLITE_NULL ? 0 : 1) : store_errno(rc);
        if (r > 0)
                *ret = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        return r;
}

int store_scan_count_reported(Store *s, int64_t *ret) {
        *ret = 0;
        int r = single_int64(s, sql_reported_count, -1, ret);
        return r < 0 ? r : 0;
}

int store_events_first_after(Store *s, int64_t after, usec_t *ret) {
        return single_int64(s, sql_first_after, after, ret);
}

int store_scan_window_start(Store *s, usec_t overlap, usec_t *ret) {
        usec_t last, first_new;
        int64_t last_event;
        int r = store_scan_last(s, &last, &last_event);
        if (r <= 0) {
                *ret = USEC_INVALID;
                return r;
        }
        r = store_events_first_after(s, last_event, &first_new);
        if (r < 0)
                return r;
        *ret = (r > 0 ? MIN(last, first_new) : last) - overlap;
        return 0;
}

static int meta_int64(Store *s, const char *key, int64_t *ret) {
        _cleanup_free_ char *v = NULL;
        int r = store_meta_get(s, key, &v);
        if (r <= 0)
                return r;
        char *end;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (errno || end == v || *end)
                return -EBADMSG;
        *ret = n;
        return 1;
}

int store_scan_last(Store *s, usec_t *ret_time, int64_t *ret_event) {
        usec_t t = USEC_INVALID;
        int64_t ev = 0;
        int r = meta_int64(s, "last_scan", &t);
        if (r > 0)
                r = meta_int64(s, "last_scan_event", &ev);
        if (r < 0)
                return r;
        *ret_time = t;
        *ret_event = ev;
        return t != USEC_INVALID;
}

int store_scan_set_last(Store *s, usec_t when, int64_t max_event) {
        char v[32];
        int r = store_begin(s);
        if (r < 0)
                return r;
        snprintf(v, sizeof v, "%" PRId64, when);
        r = store_meta_set(s, "last_scan", v);
        snprintf(v, sizeof v, "%" PRId64, max_event);
        if (r >= 0)
                r = store_meta_set(s, "last_scan_event", v);
        if (r < 0) {
                store_rollback(s);
                return r;
        }
        return store_commit(s);
}

int store_node_event_counts(Store *s, NodeCountFn cb, void *userdata) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_node_counts, &st);
        if (r < 0)
                return r;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                cb(userdata, (const char *) sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : store_errno(rc);
}
