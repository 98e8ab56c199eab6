/* correlate-load.c: the analysed window out of the store: nodes, boots, tagged events, sources. */
#include "correlate.h"
#include "ingest-journal-fields.h"
#include "json.h"
#include "store-library.h"
#include "strbuf.h"

/* Boots and causes are found outside the asked window too: a reboot requested at 08:09 explains a
 * member lost at 08:11 even when the window starts at 08:10. */
#define LOAD_MARGIN USEC_PER_HOUR

static const char sql_nodes[] = "SELECT id, name, coalesce(corosync_id, 0) FROM node ORDER BY name";
static const char sql_boots[] =
        "SELECT id, boot_id, first_ts, last_ts FROM boot WHERE node_id = ?1 AND first_ts IS NOT NULL "
        "ORDER BY first_ts";
/* The time index leads with the node (schema/007): a time range over all nodes is read one node
 * at a time, which the IN makes SQLite do. */
#define EVENTS_BETWEEN_1_2 "e.node_id IN (SELECT id FROM node) AND e.ts >= ?1 AND e.ts < ?2"

/* Journal cursors are stored compact since schema 9: source_of() makes them whole, as the
 * event_cursor view does in SQL, and takes whole ones (a database not migrated yet) as they are. */
#define SQL_EVENTS(library_id)                                                                             \
        "SELECT e.id, e.ts, e.node_id, coalesce(e.boot, 0), t.kind, t.rule, t.severity, t.captures, e.message, " \
        "s.path, e.line, e.cursor, coalesce(e.pid, -1), b.boot_id, coalesce(e.mono, -1), " library_id " "       \
        "FROM event e JOIN tag t ON t.event_id = e.id JOIN source s ON s.id = e.source_id "                     \
        "LEFT JOIN boot b ON b.id = e.boot "                                                                     \
        "WHERE " EVENTS_BETWEEN_1_2 " ORDER BY e.ts, e.id"
static const char sql_events[] = SQL_EVENTS("t.library_id");
/* A database read without migrating it (read-only) that predates schema 10: its tags have no
 * library column, and all come from meta 'tags_hash' (library id 0 below). */
static const char sql_events_unlabelled[] = SQL_EVENTS("0");
static const char sql_range[] = "SELECT min(e.ts), max(e.ts), count(*) FROM event e WHERE " EVENTS_BETWEEN_1_2;
static const char sql_sources_before_claims[] = "SELECT path, 0, NULL FROM source ORDER BY id";
static const char sql_sources[] =
        "SELECT s.path, c.n, c.hosts FROM source s LEFT JOIN "
        "  (SELECT e.source_id AS id, count(*) AS n, group_concat(DISTINCT h.claimed) AS hosts "
        "   FROM event_host_claim h JOIN event e ON e.id = h.event_id GROUP BY e.source_id) c ON c.id = s.id "
        "ORDER BY s.id";
/* Silences inside one boot: consecutive lines of a node further apart than ?4 (rotated or lost
 * logs, a hung journal). Between two boots a silence is the node being down, not a gap. */
static const char sql_gaps[] =
        "SELECT prev, ts FROM (SELECT ts, boot, lag(ts) OVER w AS prev, lag(boot) OVER w AS prev_boot FROM event "
        "WHERE node_id = ?1 AND ts >= ?2 AND ts < ?3 WINDOW w AS (ORDER BY ts)) "
        "WHERE ts - prev >= ?4 AND boot IS prev_boot ORDER BY ts";
static const char sql_conf_nodes[] = "SELECT count(*) FROM corosync_node";
static const char sql_conf_votes[] = "SELECT nodeid, votes FROM corosync_node ORDER BY nodeid";
static const char sql_conf_quorum[] =
        "SELECT (SELECT value FROM corosync_setting WHERE key = 'quorum.expected_votes'), "
        "EXISTS (SELECT 1 FROM corosync_setting WHERE key LIKE 'quorum.device.%')";
static const char sql_conf_addrs[] =
        "SELECT ring0_addr FROM corosync_node WHERE ring0_addr IS NOT NULL "
        "UNION SELECT ring1_addr FROM corosync_node WHERE ring1_addr IS NOT NULL";

static char *column_dup(sqlite3_stmt *st, int i) {
        const unsigned char *t = sqlite3_column_text(st, i);
        return strdup(t ? (const char *) t : "");
}

/* What the quorum rests on by corosync.conf: each node's votes, the votes expected, a QDevice. */
static int load_conf_votes(Store *store, Analysis *a) {
        sqlite3_stmt *st;
        int r = store_stmt(store, sql_conf_votes, &st);
        if (r < 0)
                return r;
        int sum = 0;
        while (r >= 0 && sqlite3_step(st) == SQLITE_ROW) {
                if (array_reserve(&a->conf_votes, &a->n_conf_votes_alloc, a->n_conf_votes + 1, sizeof *a->conf_votes, 8) < 0) {
                        r = -ENOMEM;
                        break;
                }
                a->conf_votes[a->n_conf_votes][0] = sqlite3_column_int64(st, 0);
                a->conf_votes[a->n_conf_votes][1] = sqlite3_column_int64(st, 1);
                sum += (int) a->conf_votes[a->n_conf_votes++][1];
        }
        sqlite3_reset(st);
        if (r < 0 || a->n_conf_votes == 0 || (r = store_stmt(store, sql_conf_quorum, &st)) < 0)
                return r;
        a->expected_votes = sum;
        if (sqlite3_step(st) == SQLITE_ROW) {
                if (sqlite3_column_type(st, 0) != SQLITE_NULL && sqlite3_column_int(st, 0) > 0)
                        a->expected_votes = sqlite3_column_int(st, 0);
                a->conf_qdevice = sqlite3_column_int(st, 1) != 0;
        }
        sqlite3_reset(st);
        return 0;
}

/* The addresses the nodes talk to each other on: their logins to each other are no person's. */
static int load_cluster_addrs(Store *store, Analysis *a) {
        sqlite3_stmt *st;
        int r = store_stmt(store, sql_conf_addrs, &st);
        if (r < 0)
                return r;
        while (r >= 0 && sqlite3_step(st) == SQLITE_ROW) {
                if (array_reserve(&a->cluster_addrs, &a->n_cluster_addrs_alloc, a->n_cluster_addrs + 1, sizeof *a->cluster_addrs, 8) < 0 ||
                    !(a->cluster_addrs[a->n_cluster_addrs] = column_dup(st, 0)))
                        r = -ENOMEM;
                else
                        a->n_cluster_addrs++;
        }
        sqlite3_reset(st);
        return r;
}

static int load_nodes(Store *store, Analysis *a) {
        sqlite3_stmt *st;
        int r = store_stmt(store, sql_nodes, &st);
        if (r < 0)
                return r;
        while (sqlite3_step(st) == SQLITE_ROW) {
                if (array_reserve(&a->nodes, &a->n_nodes_alloc, a->n_nodes + 1, sizeof *a->nodes, 8) < 0)
                        return -ENOMEM;
                CNode *n = &a->nodes[a->n_nodes++];
                *n = (CNode){ .node_id = sqlite3_column_int64(st, 0), .name = column_dup(st, 1),
                              .corosync_id = sqlite3_column_int64(st, 2) };
                if (!n->name)
                        return -ENOMEM;
        }
        sqlite3_reset(st);
        for (size_t i = 0; i < a->n_nodes; i++) {
                CNode *n = &a->nodes[i];
                r = store_stmt(store, sql_boots, &st);
                if (r < 0)
                        return r;
                sqlite3_bind_int64(st, 1, n->node_id);
                while (sqlite3_step(st) == SQLITE_ROW) {
                        if (array_reserve(&n->boots, &n->n_boots_alloc, n->n_boots + 1, sizeof *n->boots, 8) < 0)
                                return -ENOMEM;
                        CBoot *b = &n->boots[n->n_boots++];
                        *b = (CBoot){ .row = sqlite3_column_int64(st, 0), .boot_id = column_dup(st, 1),
                                      .first = sqlite3_column_int64(st, 2), .last = sqlite3_column_int64(st, 3),
                                      .end_event = -1, .initiator_event = -1, .end_at = USEC_INVALID };
                        if (!b->boot_id)
                                return -ENOMEM;
                }
                sqlite3_reset(st);
        }
        return 0;
}

static int node_index(const Analysis *a, int64_t node_id) {
        for (size_t i = 0; i < a->n_nodes; i++)
                if (a->nodes[i].node_id == node_id)
                        return (int) i;
        return -1;
}

static char *source_of(sqlite3_stmt *st) {
        const char *path = (const char *) sqlite3_column_text(st, 9);
        char *s;
        int n;
        if (sqlite3_column_type(st, 10) != SQLITE_NULL)
                n = asprintf(&s, "%s:%lld", path ? path : "?", (long long) sqlite3_column_int64(st, 10));
        else if (sqlite3_column_type(st, 11) != SQLITE_NULL) {
                char buf[JOURNAL_CURSOR_MAX];
                const char *boot = (const char *) sqlite3_column_text(st, 13);
                Slice stored = { (const char *) sqlite3_column_text(st, 11), (size_t) sqlite3_column_bytes(st, 11) };
                Slice cursor = journal_cursor_expand(stored, boot ? SLICE_STR(boot) : SLICE_NULL,
                                                     sqlite3_column_int64(st, 14), sqlite3_column_int64(st, 1), buf);
                n = asprintf(&s, "%s (cursor %.*s)", path ? path : "?", (int) cursor.n, cursor.p);
        } else
                n = asprintf(&s, "%s", path ? path : "?");
        return n < 0 ? NULL : s;
}

/* The libraries met, by tag_library id (0: meta 'tags_hash'); a handful at most. */
typedef struct LibraryIds {
        int64_t *ids;
        size_t n, alloc;
} LibraryIds;

static void library_ids_done(LibraryIds *l) {
        free(l->ids);
}

static int library_id_add(LibraryIds *l, int64_t id) {
        for (size_t i = 0; i < l->n; i++)
                if (l->ids[i] == id)
                        return 0;
        if (array_reserve(&l->ids, &l->alloc, l->n + 1, sizeof *l->ids, 2) < 0)
                return -ENOMEM;
        l->ids[l->n++] = id;
        return 0;
}

static int load_library_hashes(Store *store, const LibraryIds *l, Analysis *a) {
        for (size_t i = 0; i < l->n; i++) {
                char *hash = NULL;
                int r = l->ids[i] == 0 ? store_meta_get(store, "tags_hash", &hash)
                                       : store_library_hash(store, l->ids[i], &hash);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;      /* tags no library row names (made by hand) */
                if (array_reserve(&a->libraries, &a->n_libraries_alloc, a->n_libraries + 1, sizeof *a->libraries, 2) < 0) {
                        free(hash);
                        return -ENOMEM;
                }
                a->libraries[a->n_libraries++] = hash;
        }
        return 0;
}

static int load_events(Store *store, usec_t from, usec_t to, Analysis *a) {
        sqlite3_stmt *st;
        bool labelled = store_schema_version(store) >= STORE_LIBRARY_SCHEMA;
        int r = store_stmt(store, labelled ? sql_events : sql_events_unlabelled, &st);
        if (r < 0)
                return r;
        _cleanup_(library_ids_done) LibraryIds libraries = { 0 };
        sqlite3_bind_int64(st, 1, from);
        sqlite3_bind_int64(st, 2, to);
        size_t alloc = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (array_reserve(&a->events, &alloc, a->n_events + 1, sizeof *a->events, 1024) < 0) {
                        sqlite3_reset(st);
                        return -ENOMEM;
                }
                CEvent *e = &a->events[a->n_events];
                const char *sev = (const char *) sqlite3_column_text(st, 6);
                *e = (CEvent){
                        .id = sqlite3_column_int64(st, 0),
                        .ts = sqlite3_column_int64(st, 1),
                        .node = node_index(a, sqlite3_column_int64(st, 2)),
                        .boot = sqlite3_column_int64(st, 3),
                        .pid = sqlite3_column_int64(st, 12),
                        .kind = column_dup(st, 4),
                        .rule = column_dup(st, 5),
                        .severity = sev ? severity_from_string(sev) : SEVERITY_INFO,
                        .captures = column_dup(st, 7),
                        .message = column_dup(st, 8),
                        .source = source_of(st),
                };
                e->cts = e->ts;
                e->ek = e->kind ? event_kind_from_string(e->kind) : EVENT_OTHER;
                a->n_events++;
                if (!e->kind || !e->rule || !e->captures || !e->message || !e->source || e->node < 0 ||
                    library_id_add(&libraries, sqlite3_column_int64(st, 15)) < 0) {
                        sqlite3_reset(st);
                        return -ENOMEM;
                }
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return store_errno(rc);
        return load_library_hashes(store, &libraries, a);
}

/* A PVE node logs every few seconds (pvestatd, corosync, cron): ten minutes of nothing is not quiet. */
#define LOG_GAP (10 * USEC_PER_MINUTE)

static int load_gaps(Store *store, usec_t from, usec_t to, Analysis *a) {
        for (size_t i = 0; i < a->n_nodes; i++) {
                CNode *n = &a->nodes[i];
                sqlite3_stmt *st;
                int r = store_stmt(store, sql_gaps, &st);
                if (r < 0)
                        return r;
                sqlite3_bind_int64(st, 1, n->node_id);
                sqlite3_bind_int64(st, 2, from);
                sqlite3_bind_int64(st, 3, to);
                sqlite3_bind_int64(st, 4, LOG_GAP);
                size_t alloc = 0;
                int rc;
                while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                        if (array_reserve(&n->gaps, &alloc, n->n_gaps + 1, sizeof *n->gaps, 4) < 0) {
                                sqlite3_reset(st);
                                return -ENOMEM;
                        }
                        n->gaps[n->n_gaps++] = (LogGap){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1) };
                }
                sqlite3_reset(st);
                if (rc != SQLITE_DONE)
                        return store_errno(rc);
        }
        return 0;
}

static int load_sources(Store *store, Analysis *a) {
        sqlite3_stmt *st;
        bool claims = store_schema_version(store) >= STORE_HOST_CLAIM_SCHEMA;
        int r = store_stmt(store, claims ? sql_sources : sql_sources_before_claims, &st);
        if (r < 0)
                return r;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (array_reserve(&a->sources, &a->n_sources_alloc, a->n_sources + 1, sizeof *a->sources, 8) < 0)
                        return sqlite3_reset(st), -ENOMEM;
                AnalysisSource *src = &a->sources[a->n_sources++];
                *src = (AnalysisSource){ .path = column_dup(st, 0), .claims = sqlite3_column_int64(st, 1) };
                if (src->claims > 0)
                        src->claimed = column_dup(st, 2);
                if (!src->path || (src->claims > 0 && !src->claimed))
                        return sqlite3_reset(st), -ENOMEM;
        }
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int correlate_load(Store *store, usec_t since, usec_t until, bool gaps, Analysis *a) {
        usec_t from = since == USEC_INVALID ? INT64_MIN : since - LOAD_MARGIN;
        usec_t to = until == USEC_INVALID ? INT64_MAX : until + LOAD_MARGIN;
        a->since = since;
        a->until = until;
        int r = load_nodes(store, a);
        if (r >= 0)
                r = load_events(store, from, to, a);
        if (r >= 0)
                r = load_sources(store, a);
        if (r >= 0 && gaps)
                r = load_gaps(store, from, to, a);
        if (r < 0)
                return r;
        for (size_t i = 0; i < a->n_nodes; i++)
                a->nodes[i].has_logs = a->nodes[i].n_boots > 0;
        for (size_t i = 0; i < a->n_events; i++)
                a->nodes[a->events[i].node].has_logs = true;
        sqlite3_stmt *st;
        r = store_stmt(store, sql_conf_nodes, &st);
        if (r < 0)
                return r;
        if (sqlite3_step(st) == SQLITE_ROW)
                a->nodes_expected = sqlite3_column_int(st, 0);
        sqlite3_reset(st);
        r = load_cluster_addrs(store, a);
        if (r >= 0)
                r = load_conf_votes(store, a);
        if (r < 0)
                return r;
        r = store_stmt(store, sql_range, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, since == USEC_INVALID ? INT64_MIN : since);
        sqlite3_bind_int64(st, 2, until == USEC_INVALID ? INT64_MAX : until);
        a->first = a->last = USEC_INVALID;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
                a->first = sqlite3_column_int64(st, 0);
                a->last = sqlite3_column_int64(st, 1);
                a->n_events_total = sqlite3_column_int64(st, 2);
        }
        sqlite3_reset(st);
        return 0;
}

bool cevent_capture(const CEvent *e, const char *name, char *buf, size_t size) {
        return json_object_get(e->captures, name, buf, size);
}

bool cevent_is(const CEvent *e, EventKind kind) {
        return e->ek == kind;
}
