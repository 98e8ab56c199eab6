/* store-analysis.c: analysis results kept in the store (schema/005-analysis.sql, 011-incident-history.sql):
 * the history of incidents, boots and membership behind the views, each analysis replacing only
 * its own window; the notification state of every incident per hook; the scan's window. */
#include "config.h"
#include "report.h"
#include "store-analysis.h"

/* ---- incidents ---- */

/* Stored incidents whose span meets [?1, ?2]; rows carried over from scan_reported have no end. */
static const char sql_incident_meeting[] =
        "SELECT id FROM analysis_incident WHERE start <= ?2 AND coalesce(\"end\", start) >= ?1 ORDER BY id";
static const char sql_incident_inside[] =
        "SELECT id FROM analysis_incident WHERE start >= ?1 AND coalesce(\"end\", start) <= ?2 ORDER BY id";
/* ?1 NULL inserts a new incident; an id rewrites that one and keeps its report. */
static const char sql_incident_put[] =
        "INSERT INTO analysis_incident (id, start, \"end\", classification, severity, root_kind, root_node, root_at, "
        "root_summary, root_confidence, nodes_expected, min_members, degraded_seconds, quorum_lost, report_json, "
        "window_since, window_until, analysed_at, cascade_version, patterns_hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) "
        "ON CONFLICT (id) DO UPDATE SET start = excluded.start, \"end\" = excluded.\"end\", "
        "classification = excluded.classification, severity = excluded.severity, root_kind = excluded.root_kind, "
        "root_node = excluded.root_node, root_at = excluded.root_at, root_summary = excluded.root_summary, "
        "root_confidence = excluded.root_confidence, nodes_expected = excluded.nodes_expected, "
        "min_members = excluded.min_members, degraded_seconds = excluded.degraded_seconds, "
        "quorum_lost = excluded.quorum_lost, report_json = excluded.report_json, "
        "window_since = excluded.window_since, window_until = excluded.window_until, "
        "analysed_at = excluded.analysed_at, cascade_version = excluded.cascade_version, "
        "patterns_hash = excluded.patterns_hash";
/* Incident ?2 merges into ?1: its report, unless ?1 has one... */
static const char sql_incident_take_report[] =
        "UPDATE analysis_incident AS k SET report_path = m.report_path, reported_at = m.reported_at "
        "FROM analysis_incident AS m WHERE k.id = ?1 AND m.id = ?2 AND k.report_path IS NULL "
        "AND m.report_path IS NOT NULL";
/* ... and its notification state per hook: a hook that succeeded for either has succeeded, one
 * given up for either (and sent by neither) stays given up. */
static const char sql_notify_take[] =
        "INSERT INTO incident_notification (incident_id, hook, attempts, first_attempt, last_attempt, last_error, "
        "succeeded_at, gave_up_at) "
        "SELECT ?1, hook, attempts, first_attempt, last_attempt, last_error, succeeded_at, gave_up_at "
        "FROM incident_notification WHERE incident_id = ?2 "
        "ON CONFLICT (incident_id, hook) DO UPDATE SET attempts = max(attempts, excluded.attempts), "
        "first_attempt = min(first_attempt, excluded.first_attempt), "
        "last_error = CASE WHEN excluded.last_attempt > last_attempt THEN excluded.last_error ELSE last_error END, "
        "last_attempt = max(last_attempt, excluded.last_attempt), "
        "succeeded_at = coalesce(succeeded_at, excluded.succeeded_at), "
        "gave_up_at = CASE WHEN coalesce(succeeded_at, excluded.succeeded_at) IS NULL "
        "THEN coalesce(gave_up_at, excluded.gave_up_at) END";
static const char sql_incident_drop[] = "DELETE FROM analysis_incident WHERE id = ?1";
static const char sql_notify_drop[] = "DELETE FROM incident_notification WHERE incident_id = ?1";

/* ---- boots and membership ---- */

static const char sql_boot_clear[] = "DELETE FROM analysis_boot WHERE start >= ?1 AND \"end\" <= ?2";
/* A boot seen by an earlier analysis: its span widens, and how it ended comes from the analysis
 * that saw furthest into it (an earlier one saw it 'running'). Also merges a text boot matched to
 * the same id twice in one analysis. */
static const char sql_boot_put[] =
        "INSERT INTO analysis_boot (node, boot_id, start, \"end\", end_at, end_kind, initiator) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (node, boot_id) DO UPDATE SET "
        "start = CASE WHEN start IS NULL OR excluded.start < start THEN excluded.start ELSE start END, "
        "\"end\" = CASE WHEN \"end\" IS NULL OR excluded.\"end\" > \"end\" THEN excluded.\"end\" ELSE \"end\" END, "
        "end_at = CASE WHEN coalesce(excluded.\"end\", -1) >= coalesce(\"end\", -1) THEN excluded.end_at ELSE end_at END, "
        "end_kind = CASE WHEN coalesce(excluded.\"end\", -1) >= coalesce(\"end\", -1) THEN excluded.end_kind ELSE end_kind END, "
        "initiator = CASE WHEN coalesce(excluded.\"end\", -1) >= coalesce(\"end\", -1) THEN excluded.initiator ELSE initiator END";
static const char sql_member_clear[] = "DELETE FROM analysis_membership WHERE ts >= ?1 AND ts <= ?2";
static const char sql_member_put[] =
        "INSERT OR REPLACE INTO analysis_membership (ts, count, members, member_ids) VALUES (?1, ?2, ?3, ?4)";
/* The membership in force when the window starts, unless the store knows what came after it. */
static const char sql_member_put_unknown[] =
        "INSERT INTO analysis_membership (ts, count, members, member_ids) SELECT ?1, ?2, ?3, ?4 "
        "WHERE NOT EXISTS (SELECT 1 FROM analysis_membership WHERE ts >= ?1 AND ts < ?5)";
/* One row per change: a point that repeats the one before it (two windows' seeds) is none. */
static const char sql_member_dedup[] =
        "DELETE FROM analysis_membership WHERE ts IN (SELECT ts FROM (SELECT ts, count, member_ids, "
        "lag(count) OVER (ORDER BY ts) AS prev_count, lag(member_ids) OVER (ORDER BY ts) AS prev_ids "
        "FROM analysis_membership) WHERE count = prev_count AND member_ids = prev_ids)";

/* ---- notifications ---- */

static const char sql_notify_state[] =
        "SELECT succeeded_at, gave_up_at FROM incident_notification "
        "WHERE incident_id = ?1 AND hook = ?2";
/* Counted before the call, as interrupted until store_notify_end() says how it went. */
static const char sql_notify_begin[] =
        "INSERT INTO incident_notification (incident_id, hook, attempts, first_attempt, last_attempt, last_error) "
        "VALUES (?1, ?2, 1, ?3, ?3, 'interrupted: no result recorded') "
        "ON CONFLICT (incident_id, hook) DO UPDATE SET attempts = attempts + 1, last_attempt = ?3, "
        "last_error = excluded.last_error";
/* ?4 NULL: it succeeded. A failure that used up the calls allowed gives up. The columns come back
 * as they are: on a WITHOUT ROWID table SQLite 3.40 answers 'col IS NOT NULL' in RETURNING with 1
 * for a NULL. */
static const char sql_notify_end[] =
        "UPDATE incident_notification SET last_error = ?4, "
        "succeeded_at = CASE WHEN ?4 IS NULL THEN ?3 END, "
        "gave_up_at = CASE WHEN ?4 IS NOT NULL AND attempts >= ?5 THEN ?3 END "
        "WHERE incident_id = ?1 AND hook = ?2 RETURNING succeeded_at, gave_up_at";
static const char sql_incident_reported[] =
        "UPDATE analysis_incident SET report_path = ?2, reported_at = ?3 WHERE id = ?1";
static const char sql_notify_expire[] =
        "UPDATE incident_notification SET gave_up_at = ?1 "
        "WHERE succeeded_at IS NULL AND gave_up_at IS NULL AND first_attempt <= ?1 - ?2";
static const char sql_notify_pending[] =
        "SELECT n.incident_id, n.hook, n.attempts, i.start, coalesce(i.\"end\", i.start), i.report_path "
        "FROM incident_notification n JOIN analysis_incident i ON i.id = n.incident_id "
        "WHERE n.succeeded_at IS NULL AND n.gave_up_at IS NULL AND n.last_attempt < ?1 "
        "ORDER BY i.start, n.incident_id, n.hook <> 'report', n.hook";
static const char sql_notify_counts[] =
        "SELECT count(*) FILTER (WHERE hook = 'report' AND succeeded_at IS NOT NULL), "
        "count(*) FILTER (WHERE succeeded_at IS NULL AND gave_up_at IS NULL), "
        "count(*) FILTER (WHERE succeeded_at IS NULL AND gave_up_at IS NOT NULL) FROM incident_notification";

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

/* The window as bounds: an open end reaches as far as any time. */
static usec_t window_from(const Analysis *a) {
        return a->since == USEC_INVALID ? INT64_MIN : a->since;
}

static usec_t window_to(const Analysis *a) {
        return a->until == USEC_INVALID ? INT64_MAX : a->until;
}

static bool in_window(const Analysis *a, usec_t t) {
        return t >= window_from(a) && t <= window_to(a);
}

/* ---- incident ids: which stored incidents an analysis meets, and which ones it keeps ---- */

typedef struct IdList {
        int64_t *ids;
        size_t n;
        size_t n_alloc;        /* capacity of ids */
} IdList;

static int id_list_add(IdList *l, int64_t id) {
        if (array_reserve(&l->ids, &l->n_alloc, l->n + 1, sizeof *l->ids, 8) < 0)
                return -ENOMEM;
        l->ids[l->n++] = id;
        return 0;
}

static bool id_list_has(const IdList *l, int64_t id) {
        for (size_t i = 0; i < l->n; i++)
                if (l->ids[i] == id)
                        return true;
        return false;
}

static int query_ids(Store *s, const char *sql, int64_t from, int64_t to, IdList *ret) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, from);
        sqlite3_bind_int64(st, 2, to);
        int rc;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
                r = id_list_add(ret, sqlite3_column_int64(st, 0));
        if (r >= 0 && rc != SQLITE_DONE)
                r = store_errno(rc);
        sqlite3_reset(st);
        return r;
}

/* One save: what the store held before it (read first, so that an incident the analysis splits
 * in two hands its state to both halves), and the ids the analysis' incidents took. */
typedef struct SaveContext {
        Store *store;
        const Analysis *analysis;
        usec_t now;
        char *patterns_hash;   /* meta 'tags_hash', NULL when the store was never tagged */
        IdList *meeting;       /* per incident of the analysis: the stored incidents it overlaps */
        IdList inside;         /* stored incidents wholly inside the window */
        IdList kept;           /* ids taken by the analysis' incidents */
} SaveContext;

static void save_context_done(SaveContext *c) {
        for (size_t i = 0; c->meeting && i < c->analysis->n_incidents; i++)
                free(c->meeting[i].ids);
        free(c->meeting);
        free(c->inside.ids);
        free(c->kept.ids);
        free(c->patterns_hash);
}

static int read_before(SaveContext *c) {
        const Analysis *a = c->analysis;
        c->meeting = calloc(MAX(a->n_incidents, 1u), sizeof *c->meeting);
        if (!c->meeting)
                return -ENOMEM;
        int r = 0;
        for (size_t i = 0; r >= 0 && i < a->n_incidents; i++)
                r = query_ids(c->store, sql_incident_meeting, a->incidents[i].start - STORE_INCIDENT_SLACK,
                              a->incidents[i].end + STORE_INCIDENT_SLACK, &c->meeting[i]);
        if (r >= 0)
                r = query_ids(c->store, sql_incident_inside, window_from(a), window_to(a), &c->inside);
        if (r >= 0)
                r = store_meta_get(c->store, "tags_hash", &c->patterns_hash);
        return r;
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

static void bind_origin(sqlite3_stmt *st, const SaveContext *c) {
        bind_time(st, 16, c->analysis->since);
        bind_time(st, 17, c->analysis->until);
        sqlite3_bind_int64(st, 18, c->now);
        sqlite3_bind_text(st, 19, PACKAGE_VERSION, -1, SQLITE_STATIC);
        if (c->patterns_hash)
                sqlite3_bind_text(st, 20, c->patterns_hash, -1, SQLITE_STATIC);
}

/* Write inc as incident `id` (0: a new one); its id in *ret_id. */
static int put_incident(const SaveContext *c, const Incident *inc, int64_t id, int64_t *ret_id) {
        const Analysis *a = c->analysis;
        _cleanup_free_ char *json = NULL;
        int r = analysis_incident_json(a, inc, &json);
        if (r < 0)
                return r;
        sqlite3_stmt *st;
        r = store_stmt(c->store, sql_incident_put, &st);
        if (r < 0)
                return r;
        if (id > 0)
                sqlite3_bind_int64(st, 1, id);
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
        bind_origin(st, c);
        r = store_step_done(st);
        if (r < 0)
                return r;
        *ret_id = id > 0 ? id : sqlite3_last_insert_rowid(store_db(c->store));
        return 0;
}

/* Run sql with ?1 = a and, when it has one, ?2 = b. */
static int run_with(Store *s, const char *sql, int64_t a, int64_t b) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, a);
        if (sqlite3_bind_parameter_count(st) >= 2)
                sqlite3_bind_int64(st, 2, b);
        return store_step_done(st);
}

/* Stored incident `from` is the same as `into`: its report and notification state go over. */
static int merge_incident(Store *s, int64_t into, int64_t from) {
        int r = run_with(s, sql_incident_take_report, into, from);
        if (r >= 0)
                r = run_with(s, sql_notify_take, into, from);
        return r;
}

static int drop_incident(Store *s, int64_t id) {
        int r = run_with(s, sql_notify_drop, id, 0);
        if (r >= 0)
                r = run_with(s, sql_incident_drop, id, 0);
        return r;
}

/* Incident i takes the lowest id of those it meets that no earlier incident took, and the state
 * of all of them. */
static int place_incident(SaveContext *c, size_t i, int64_t *ret_id) {
        const IdList *meets = &c->meeting[i];
        int64_t keep = 0;
        for (size_t k = 0; k < meets->n && keep == 0; k++)
                if (!id_list_has(&c->kept, meets->ids[k]))
                        keep = meets->ids[k];
        int64_t id;
        int r = put_incident(c, &c->analysis->incidents[i], keep, &id);
        if (r >= 0)
                r = id_list_add(&c->kept, id);
        for (size_t k = 0; r >= 0 && k < meets->n; k++)
                if (meets->ids[k] != id)
                        r = merge_incident(c->store, id, meets->ids[k]);
        if (r >= 0)
                *ret_id = id;
        return r;
}

/* What the analysis met but did not keep: merged into a kept one, or not found again. */
static int drop_replaced(SaveContext *c) {
        int r = 0;
        for (size_t i = 0; r >= 0 && i < c->analysis->n_incidents; i++)
                for (size_t k = 0; r >= 0 && k < c->meeting[i].n; k++)
                        if (!id_list_has(&c->kept, c->meeting[i].ids[k]))
                                r = drop_incident(c->store, c->meeting[i].ids[k]);
        for (size_t k = 0; r >= 0 && k < c->inside.n; k++)
                if (!id_list_has(&c->kept, c->inside.ids[k]))
                        r = drop_incident(c->store, c->inside.ids[k]);
        return r;
}

static int save_incidents(SaveContext *c, int64_t *ret_ids) {
        int r = read_before(c);
        for (size_t i = 0; r >= 0 && i < c->analysis->n_incidents; i++) {
                int64_t id = 0;
                r = place_incident(c, i, &id);
                if (r >= 0 && ret_ids)
                        ret_ids[i] = id;
        }
        if (r >= 0)
                r = drop_replaced(c);
        return r;
}

static int save_boot(Store *s, const CNode *n, const CBoot *b) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_boot_put, &st);
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

static int save_boots(const SaveContext *c) {
        const Analysis *a = c->analysis;
        int r = run_with(c->store, sql_boot_clear, window_from(a), window_to(a));
        for (size_t i = 0; r >= 0 && i < a->n_nodes; i++)
                for (size_t k = 0; r >= 0 && k < a->nodes[i].n_boots; k++)
                        r = save_boot(c->store, &a->nodes[i], &a->nodes[i].boots[k]);
        return r;
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

/* Inside the window the point replaces what was there; before it (the membership in force when
 * the window starts) it only fills a gap. */
static int save_member_point(const SaveContext *c, const MemberPoint *m, bool inside) {
        StrBuf names = STRBUF_INIT, ids = STRBUF_INIT;
        sqlite3_stmt *st;
        member_lists(c->analysis, m, &names, &ids);
        int r = strbuf_error(&names);
        if (r >= 0)
                r = strbuf_error(&ids);
        if (r >= 0)
                r = store_stmt(c->store, inside ? sql_member_put : sql_member_put_unknown, &st);
        if (r >= 0) {
                sqlite3_bind_int64(st, 1, m->ts);
                sqlite3_bind_int(st, 2, m->count);
                sqlite3_bind_text(st, 3, names.buf, (int) names.len, SQLITE_STATIC);
                sqlite3_bind_text(st, 4, ids.buf, (int) ids.len, SQLITE_STATIC);
                if (!inside)
                        sqlite3_bind_int64(st, 5, window_from(c->analysis));
                r = store_step_done(st);
        }
        strbuf_release(&names);
        strbuf_release(&ids);
        return r;
}

static int save_membership(const SaveContext *c) {
        const Analysis *a = c->analysis;
        int r = run_with(c->store, sql_member_clear, window_from(a), window_to(a));
        for (size_t i = 0; r >= 0 && i < a->n_membership; i++) {
                const MemberPoint *m = &a->membership[i];
                bool last_before = m->ts < window_from(a) &&
                                   (i + 1 == a->n_membership || a->membership[i + 1].ts >= window_from(a));
                if (in_window(a, m->ts) || last_before)
                        r = save_member_point(c, m, in_window(a, m->ts));
        }
        if (r >= 0)
                r = store_exec(c->store, sql_member_dedup);
        return r;
}

int store_analysis_save(Store *s, const Analysis *a, usec_t now, int64_t *ret_ids) {
        /* A store opened read-only may also be of an older schema (it is not migrated then):
         * refuse before a statement trips over a missing column. */
        if (sqlite3_db_readonly(store_db(s), "main") == 1)
                return -EROFS;
        SaveContext c = { .store = s, .analysis = a, .now = now };
        int r = store_begin(s);
        if (r < 0)
                return r;
        r = save_incidents(&c, ret_ids);
        if (r >= 0)
                r = save_boots(&c);
        if (r >= 0)
                r = save_membership(&c);
        save_context_done(&c);
        if (r < 0) {
                store_rollback(s);
                return r;
        }
        return store_commit(s);
}

/* ---- notifications ---- */

static void bind_hook(sqlite3_stmt *st, int64_t incident, const char *hook) {
        sqlite3_bind_int64(st, 1, incident);
        sqlite3_bind_text(st, 2, hook, -1, SQLITE_STATIC);
}

/* From a row's succeeded_at and gave_up_at. */
static NotifyState state_of_row(sqlite3_stmt *st) {
        if (sqlite3_column_type(st, 0) != SQLITE_NULL)
                return NOTIFY_SENT;
        return sqlite3_column_type(st, 1) != SQLITE_NULL ? NOTIFY_FAILED : NOTIFY_PENDING;
}

int store_notify_state(Store *s, int64_t incident, const char *hook, NotifyState *ret) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_notify_state, &st);
        if (r < 0)
                return r;
        bind_hook(st, incident, hook);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *ret = state_of_row(st);
        else if (rc == SQLITE_DONE)
                *ret = NOTIFY_NEW;
        sqlite3_reset(st);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int store_notify_begin(Store *s, int64_t incident, const char *hook, usec_t now) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_notify_begin, &st);
        if (r < 0)
                return r;
        bind_hook(st, incident, hook);
        sqlite3_bind_int64(st, 3, now);
        return store_step_done(st);
}

static int notify_end(Store *s, int64_t incident, const char *hook, usec_t now, const char *error, NotifyState *ret) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_notify_end, &st);
        if (r < 0)
                return r;
        bind_hook(st, incident, hook);
        sqlite3_bind_int64(st, 3, now);
        if (error)
                sqlite3_bind_text(st, 4, error, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 5, NOTIFY_MAX_ATTEMPTS);
        int rc = sqlite3_step(st);
        NotifyState state = rc == SQLITE_ROW ? state_of_row(st) : NOTIFY_NEW;
        /* RETURNING rows are all computed by the first step; the statement still ends with DONE. */
        while (rc == SQLITE_ROW)
                rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return store_errno(rc);
        if (state == NOTIFY_NEW)
                return -ENOENT;        /* no store_notify_begin() before */
        if (ret)
                *ret = state;
        return 0;
}

int store_notify_end(Store *s, int64_t incident, const char *hook, usec_t now, const char *error, NotifyState *ret_state) {
        return notify_end(s, incident, hook, now, error, ret_state);
}

int store_notify_reported(Store *s, int64_t incident, const char *path, usec_t now) {
        int r = store_begin(s);
        if (r < 0)
                return r;
        r = notify_end(s, incident, NOTIFY_HOOK_REPORT, now, NULL, NULL);
        if (r >= 0) {
                sqlite3_stmt *st;
                r = store_stmt(s, sql_incident_reported, &st);
                if (r >= 0) {
                        sqlite3_bind_int64(st, 1, incident);
                        sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
                        sqlite3_bind_int64(st, 3, now);
                        r = store_step_done(st);
                }
        }
        if (r < 0) {
                store_rollback(s);
                return r;
        }
        return store_commit(s);
}

int store_notify_expire(Store *s, usec_t now) {
        int r = run_with(s, sql_notify_expire, now, NOTIFY_RETRY_FOR);
        return r < 0 ? r : sqlite3_changes(store_db(s));
}

void pending_notify_free_many(PendingNotify *p, size_t n) {
        for (size_t i = 0; p && i < n; i++) {
                free(p[i].hook);
                free(p[i].report_path);
        }
        free(p);
}

static int pending_from_row(sqlite3_stmt *st, PendingNotify *p) {
        const char *path = (const char *) sqlite3_column_text(st, 5);
        *p = (PendingNotify){
                .incident = sqlite3_column_int64(st, 0),
                .hook = strdup((const char *) sqlite3_column_text(st, 1)),
                .attempts = sqlite3_column_int(st, 2),
                .start = sqlite3_column_int64(st, 3),
                .end = sqlite3_column_int64(st, 4),
                .report_path = path ? strdup(path) : NULL,
        };
        return !p->hook || (path && !p->report_path) ? -ENOMEM : 0;
}

int store_notify_pending(Store *s, usec_t before, PendingNotify **ret, size_t *ret_n) {
        PendingNotify *rows = NULL;
        size_t n = 0, n_alloc = 0;
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_notify_pending, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, before);
        int rc;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                r = array_reserve(&rows, &n_alloc, n + 1, sizeof *rows, 4);
                if (r >= 0)
                        r = pending_from_row(st, &rows[n++]);
        }
        if (r >= 0 && rc != SQLITE_DONE)
                r = store_errno(rc);
        sqlite3_reset(st);
        if (r < 0) {
                pending_notify_free_many(rows, n);
                return r;
        }
        *ret = rows;
        *ret_n = n;
        return 0;
}

int store_notify_counts(Store *s, NotifyCounts *ret) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_notify_counts, &st);
        if (r < 0)
                return r;
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *ret = (NotifyCounts){ .reported = sqlite3_column_int64(st, 0),
                                       .pending = sqlite3_column_int64(st, 1),
                                       .failed = sqlite3_column_int64(st, 2) };
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? 0 : store_errno(rc);
}

/* ---- the scan's window ---- */

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
