/* store-prune.c: retention (store-prune.h). Events go in batches, oldest first through the time
 * index, each batch with its tags and claims in one transaction; then, in one more, the boots and
 * the history before the cut. */
#include "store-prune.h"

/* Events per transaction: the WAL and the time a reader waits stay small. */
#define PRUNE_BATCH 20000
/* What an analysis reads before its window (correlate-load.c's LOAD_MARGIN). */
#define PRUNE_CONTEXT USEC_PER_HOUR

/* The earliest start of an incident that ends after the cut (its end unknown: its start). */
static const char sql_kept_incident_start[] =
        "SELECT min(start) FROM analysis_incident WHERE coalesce(end, start) >= ?1";

static const char sql_batch_list[] =
        "DELETE FROM temp.prune_batch; "
        "INSERT INTO temp.prune_batch SELECT id FROM event WHERE ts < ?1 ORDER BY ts LIMIT ?2";
static const char sql_batch_tags[] = "DELETE FROM tag WHERE event_id IN (SELECT id FROM temp.prune_batch)";
static const char sql_batch_claims[] = "DELETE FROM event_host_claim WHERE event_id IN (SELECT id FROM temp.prune_batch)";
static const char sql_batch_events[] = "DELETE FROM event WHERE id IN (SELECT id FROM temp.prune_batch)";

static const char sql_count_events[] = "SELECT count(*) FROM event WHERE ts < ?1";
static const char sql_count_tags[] =
        "SELECT count(*) FROM tag WHERE event_id IN (SELECT id FROM event WHERE ts < ?1)";

/* Boots that ended before the cut and hold no event any more (the node's index bounds the check). */
static const char sql_boots[] =
        "DELETE FROM boot WHERE coalesce(last_ts, first_ts, start_ts) < ?1 "
        "  AND NOT EXISTS (SELECT 1 FROM event e WHERE e.node_id = boot.node_id AND e.boot = boot.id)";
/* A node's first event moved on; its range stays one the events lie in. */
static const char sql_node_ranges[] =
        "UPDATE node SET first_ts = (SELECT min(ts) FROM event WHERE node_id = node.id), "
        "                last_ts = CASE WHEN EXISTS (SELECT 1 FROM event WHERE node_id = node.id) THEN last_ts END "
        "WHERE first_ts < ?1";
static const char sql_incidents[] =
        "DELETE FROM incident_notification WHERE incident_id IN "
        "  (SELECT id FROM analysis_incident WHERE coalesce(end, start) < ?1); "
        "DELETE FROM analysis_incident WHERE coalesce(end, start) < ?1";
static const char sql_count_incidents[] = "SELECT count(*) FROM analysis_incident WHERE coalesce(end, start) < ?1";
/* The membership in force at the cut stays: the last point before it. */
static const char sql_history[] =
        "DELETE FROM analysis_boot WHERE coalesce(end, start) < ?1; "
        "DELETE FROM analysis_membership WHERE ts < (SELECT max(ts) FROM analysis_membership WHERE ts < ?1)";

static int bind_run(Store *s, const char *sql, int64_t a, int64_t b, int64_t *ret_changes) {
        /* Statements with several parts run one by one, each with the same bindings. */
        const char *rest = sql;
        int r = 0;
        while (r >= 0 && rest && *rest) {
                sqlite3_stmt *st;
                int rc = sqlite3_prepare_v2(store_db(s), rest, -1, &st, &rest);
                if (rc != SQLITE_OK)
                        return store_errno(rc);
                if (!st)
                        break;
                if (sqlite3_bind_parameter_count(st) >= 1)
                        sqlite3_bind_int64(st, 1, a);
                if (sqlite3_bind_parameter_count(st) >= 2)
                        sqlite3_bind_int64(st, 2, b);
                rc = sqlite3_step(st);
                r = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_errno(rc);
                sqlite3_finalize(st);
        }
        if (r >= 0 && ret_changes)
                *ret_changes = sqlite3_changes64(store_db(s));
        return r;
}

static int query_int(Store *s, const char *sql, int64_t a, int64_t *ret) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, a);
        int rc = sqlite3_step(st);
        *ret = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL ? sqlite3_column_int64(st, 0) : INT64_MIN;
        sqlite3_reset(st);
        return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_errno(rc);
}

/* The cut, moved back to keep whole every incident that ends after it. */
static int effective_cut(Store *s, usec_t cut, usec_t *ret) {
        int64_t start;
        int r = query_int(s, sql_kept_incident_start, cut, &start);
        if (r < 0)
                return r;
        *ret = start != INT64_MIN && start - PRUNE_CONTEXT < cut ? start - PRUNE_CONTEXT : cut;
        return 0;
}

/* One batch of events before cut, in its own transaction: how many went (0: none was left). */
static int prune_batch(Store *s, usec_t cut, PruneCounts *c) {
        int64_t events = 0, tags = 0, claims = 0;
        int r = store_begin(s);
        if (r < 0)
                return r;
        r = bind_run(s, sql_batch_list, cut, PRUNE_BATCH, NULL);
        if (r >= 0)
                r = bind_run(s, sql_batch_tags, 0, 0, &tags);
        if (r >= 0)
                r = bind_run(s, sql_batch_claims, 0, 0, &claims);
        if (r >= 0)
                r = bind_run(s, sql_batch_events, 0, 0, &events);
        if (r >= 0)
                r = store_commit(s);
        if (r < 0) {
                (void) store_rollback(s);
                return r;
        }
        c->events += events;
        c->tags += tags;
        return events > 0;
}

/* Boots, node ranges and the history before the cut, in one transaction. */
static int prune_rest(Store *s, usec_t cut, PruneCounts *c) {
        int r = store_begin(s);
        if (r < 0)
                return r;
        r = bind_run(s, sql_boots, cut, 0, &c->boots);
        if (r >= 0)
                r = bind_run(s, sql_node_ranges, cut, 0, NULL);
        if (r >= 0)
                r = bind_run(s, sql_incidents, cut, 0, &c->incidents);
        if (r >= 0)
                r = bind_run(s, sql_history, cut, 0, NULL);
        if (r >= 0)
                r = store_commit(s);
        if (r < 0)
                (void) store_rollback(s);
        return r;
}

static int count_only(Store *s, usec_t cut, PruneCounts *c) {
        int r = query_int(s, sql_count_events, cut, &c->events);
        if (r >= 0)
                r = query_int(s, sql_count_tags, cut, &c->tags);
        if (r >= 0)
                r = query_int(s, sql_count_incidents, cut, &c->incidents);
        return r;
}

/* Pages the deletions freed go back to the disk, where the database allows it (incremental
 * auto-vacuum: databases this version created; older ones reuse them for new events). */
static const char sql_auto_vacuum[] = "PRAGMA auto_vacuum";
static const char sql_freelist[] = "PRAGMA freelist_count";

static int give_back_pages(Store *s, int64_t *ret) {
        int64_t before, after, mode;
        *ret = 0;
        int r = query_int(s, sql_auto_vacuum, 0, &mode);
        if (r >= 0)
                r = query_int(s, sql_freelist, 0, &before);
        if (r < 0 || mode != 2)     /* 2: incremental */
                return r;
        r = store_exec(s, "PRAGMA incremental_vacuum");
        if (r >= 0)
                r = query_int(s, sql_freelist, 0, &after);
        if (r >= 0)
                *ret = before - after;
        return r;
}

int store_prune(Store *s, usec_t cut, bool dry_run, PruneCounts *ret) {
        PruneCounts c = { 0 };
        int r = effective_cut(s, cut, &c.cut);
        if (r >= 0 && dry_run)
                r = count_only(s, c.cut, &c);
        if (r >= 0 && !dry_run) {
                r = store_exec(s, "CREATE TEMP TABLE IF NOT EXISTS prune_batch (id INTEGER PRIMARY KEY)");
                while (r >= 0 && (r = prune_batch(s, c.cut, &c)) > 0)
                        ;
                if (r >= 0)
                        r = prune_rest(s, c.cut, &c);
                if (r >= 0)
                        r = give_back_pages(s, &c.pages_freed);
        }
        if (r < 0)
                return r;
        *ret = c;
        return 0;
}
