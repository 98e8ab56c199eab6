/* store-forget.c: removing what sources or a node contributed (store-forget.h). The events to go
 * are listed once in a temporary table; everything else follows from that list: their tags, and
 * the boots, sources and nodes it touched, each removed when nothing of it is left. */
#include "store-forget.h"

/* The lists of one forget; temporary, so they never reach the file. */
static const char sql_lists[] =
        "CREATE TEMP TABLE IF NOT EXISTS forget_source (id INTEGER PRIMARY KEY);"
        "CREATE TEMP TABLE IF NOT EXISTS forget_event (id INTEGER PRIMARY KEY);"
        "CREATE TEMP TABLE IF NOT EXISTS forget_touched_source (id INTEGER PRIMARY KEY);"
        "CREATE TEMP TABLE IF NOT EXISTS forget_touched_boot (id INTEGER PRIMARY KEY);"
        "CREATE TEMP TABLE IF NOT EXISTS forget_touched_node (id INTEGER PRIMARY KEY);"
        "CREATE TEMP TABLE IF NOT EXISTS forget_kept_source (id INTEGER PRIMARY KEY);"
        "DELETE FROM temp.forget_source; DELETE FROM temp.forget_event; DELETE FROM temp.forget_touched_source;"
        "DELETE FROM temp.forget_touched_boot; DELETE FROM temp.forget_touched_node; DELETE FROM temp.forget_kept_source;";

static const char sql_add_source[] = "INSERT OR IGNORE INTO temp.forget_source VALUES (?1)";

/* ?1 node id (0: any), ?2 whether forget_source limits, ?3 ?4 the window. */
static const char sql_select_events[] =
        "INSERT INTO temp.forget_event SELECT id FROM event "
        "WHERE (?1 = 0 OR node_id = ?1) AND (?2 = 0 OR source_id IN (SELECT id FROM temp.forget_source)) "
        "  AND ts >= ?3 AND ts < ?4";

static const char sql_touched[] =
        "INSERT OR IGNORE INTO temp.forget_touched_source SELECT id FROM temp.forget_source;"
        "INSERT OR IGNORE INTO temp.forget_touched_source "
        "  SELECT DISTINCT source_id FROM event WHERE id IN (SELECT id FROM temp.forget_event);"
        "INSERT OR IGNORE INTO temp.forget_touched_boot "
        "  SELECT DISTINCT boot FROM event WHERE id IN (SELECT id FROM temp.forget_event) AND boot IS NOT NULL;"
        "INSERT OR IGNORE INTO temp.forget_touched_node "
        "  SELECT DISTINCT node_id FROM event WHERE id IN (SELECT id FROM temp.forget_event);";

/* Each statement's changes() is one of the counts, in the order of ForgetStep. */
typedef enum ForgetStep {
        STEP_TAGS,
        STEP_CLAIMS,
        STEP_EVENTS,
        STEP_BOOTS_NARROW,
        STEP_BOOTS,
        STEP_KEPT_SOURCES,
        STEP_REJECTED,
        STEP_CONF_NODES,
        STEP_CONF_SETTINGS,
        STEP_SOURCES,
        STEP_NODES_NARROW,
        STEP_NODES,
        _STEP_MAX,
} ForgetStep;

static const char *const sql_steps[_STEP_MAX] = {
        [STEP_TAGS] = "DELETE FROM tag WHERE event_id IN (SELECT id FROM temp.forget_event)",
        [STEP_CLAIMS] = "DELETE FROM event_host_claim WHERE event_id IN (SELECT id FROM temp.forget_event)",
        [STEP_EVENTS] = "DELETE FROM event WHERE id IN (SELECT id FROM temp.forget_event)",
        /* A boot's events lie within its old range: the index on (node_id, ts) bounds each lookup. */
        [STEP_BOOTS_NARROW] =
                "UPDATE boot SET "
                "  first_ts = (SELECT min(e.ts) FROM event e WHERE e.node_id = boot.node_id AND e.boot = boot.id "
                "              AND e.ts BETWEEN coalesce(boot.first_ts, -9223372036854775807 - 1) "
                "                           AND coalesce(boot.last_ts, 9223372036854775807)), "
                "  last_ts = (SELECT max(e.ts) FROM event e WHERE e.node_id = boot.node_id AND e.boot = boot.id "
                "             AND e.ts BETWEEN coalesce(boot.first_ts, -9223372036854775807 - 1) "
                "                          AND coalesce(boot.last_ts, 9223372036854775807)) "
                "WHERE id IN (SELECT id FROM temp.forget_touched_boot)",
        /* The unbounded check only for the few boots that look empty now. */
        [STEP_BOOTS] =
                "DELETE FROM boot WHERE id IN (SELECT id FROM temp.forget_touched_boot) AND first_ts IS NULL "
                "  AND NOT EXISTS (SELECT 1 FROM event e WHERE e.node_id = boot.node_id AND e.boot = boot.id)",
        /* One pass over the events for every touched source (there is no index on source_id). */
        [STEP_KEPT_SOURCES] =
                "INSERT INTO temp.forget_kept_source SELECT DISTINCT source_id FROM event "
                "WHERE source_id IN (SELECT id FROM temp.forget_touched_source)",
        [STEP_REJECTED] =
                "DELETE FROM rejected_line WHERE source_id IN (SELECT id FROM temp.forget_touched_source "
                "  EXCEPT SELECT id FROM temp.forget_kept_source)",
        [STEP_CONF_NODES] =
                "DELETE FROM corosync_node WHERE source_id IN (SELECT id FROM temp.forget_touched_source "
                "  EXCEPT SELECT id FROM temp.forget_kept_source)",
        [STEP_CONF_SETTINGS] =
                "DELETE FROM corosync_setting WHERE source_id IN (SELECT id FROM temp.forget_touched_source "
                "  EXCEPT SELECT id FROM temp.forget_kept_source)",
        [STEP_SOURCES] =
                "DELETE FROM source WHERE id IN (SELECT id FROM temp.forget_touched_source "
                "  EXCEPT SELECT id FROM temp.forget_kept_source)",
        /* Ingest tells new events from stored ones by the node's range: it must stay the events'. */
        [STEP_NODES_NARROW] =
                "UPDATE node SET first_ts = (SELECT min(ts) FROM event WHERE node_id = node.id), "
                "                last_ts = (SELECT max(ts) FROM event WHERE node_id = node.id) "
                "WHERE id IN (SELECT id FROM temp.forget_touched_node)",
        [STEP_NODES] =
                "DELETE FROM node WHERE id IN (SELECT id FROM temp.forget_touched_node) AND first_ts IS NULL "
                "  AND NOT EXISTS (SELECT 1 FROM source WHERE node_id = node.id) "
                "  AND NOT EXISTS (SELECT 1 FROM boot WHERE node_id = node.id) "
                /* A node the stored corosync.conf names stays a node of the cluster (with its id). */
                "  AND NOT EXISTS (SELECT 1 FROM corosync_node c WHERE c.name = node.name)",
};

static int exec_step(Store *s, const char *sql, int64_t *ret_changes) {
        int r = store_exec(s, sql);
        if (r >= 0 && ret_changes)
                *ret_changes = sqlite3_changes64(store_db(s));
        return r;
}

static int select_events(Store *s, const ForgetSelection *sel) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_add_source, &st);
        for (size_t i = 0; r >= 0 && i < sel->n_sources; i++) {
                sqlite3_bind_int64(st, 1, sel->source_ids[i]);
                r = store_step_done(st);
        }
        if (r >= 0)
                r = store_stmt(s, sql_select_events, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, sel->node_id);
        sqlite3_bind_int(st, 2, sel->n_sources > 0);
        /* Open ends: USEC_INVALID is INT64_MIN, the smallest stamp there is. */
        sqlite3_bind_int64(st, 3, sel->since);
        sqlite3_bind_int64(st, 4, sel->until == USEC_INVALID ? INT64_MAX : sel->until);
        return store_step_done(st);
}

static int forget_steps(Store *s, const ForgetSelection *sel, ForgetCounts *c) {
        int64_t *count[_STEP_MAX] = {
                [STEP_TAGS] = &c->tags,         [STEP_EVENTS] = &c->events,
                [STEP_BOOTS] = &c->boots,       [STEP_REJECTED] = &c->rejected_lines,
                [STEP_CONF_NODES] = &c->conf_rows, [STEP_SOURCES] = &c->sources,
                [STEP_NODES] = &c->nodes,
        };
        int64_t settings = 0;
        count[STEP_CONF_SETTINGS] = &settings;
        int r = exec_step(s, sql_lists, NULL);
        if (r >= 0)
                r = select_events(s, sel);
        if (r >= 0 && sel->node_id != 0) {
                char sql[96];
                snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO temp.forget_touched_node VALUES (%lld)",
                         (long long) sel->node_id);
                r = exec_step(s, sql, NULL);
        }
        if (r >= 0)
                r = exec_step(s, sql_touched, NULL);
        for (ForgetStep i = 0; r >= 0 && i < _STEP_MAX; i++)
                r = exec_step(s, sql_steps[i], count[i]);
        c->conf_rows += settings;
        return r;
}

int store_forget(Store *s, const ForgetSelection *sel, bool dry_run, ForgetCounts *ret) {
        ForgetCounts c = { 0 };
        int r = store_begin(s);
        if (r < 0)
                return r;
        r = forget_steps(s, sel, &c);
        if (r < 0 || dry_run) {
                int k = store_rollback(s);
                if (r < 0)
                        return r;
                if (k < 0)
                        return k;
        } else if ((r = store_commit(s)) < 0) {
                (void) store_rollback(s);
                return r;
        }
        *ret = c;
        return 0;
}
