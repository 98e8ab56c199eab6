/* store-status.c: the store's own figures for the nightly job's metrics (store-status.h). */
#include "store-status.h"

/* The node table keeps each node's span: no pass over the events for the oldest and newest. */
static const char sql_summary[] =
        "SELECT (SELECT count(*) FROM event), (SELECT min(first_ts) FROM node), (SELECT max(last_ts) FROM node)";
static const char sql_last_events[] =
        "SELECT name, last_ts FROM node WHERE last_ts IS NOT NULL ORDER BY name";
static const char sql_collect_set[] =
        "INSERT INTO node_collect (node, last_attempt, last_success, last_error) "
        "VALUES (?1, ?2, CASE WHEN ?3 IS NULL THEN ?2 END, ?3) "
        "ON CONFLICT (node) DO UPDATE SET last_attempt = excluded.last_attempt, "
        "  last_success = coalesce(excluded.last_success, last_success), last_error = excluded.last_error";
static const char sql_collect_each[] =
        "SELECT node, last_attempt, last_success, last_error FROM node_collect ORDER BY node";

int store_summary(Store *s, StoreSummary *ret) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_summary, &st);
        if (r < 0)
                return r;
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *ret = (StoreSummary){ .events = sqlite3_column_int64(st, 0), .oldest = store_column_usec(st, 1),
                                       .newest = store_column_usec(st, 2) };
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? 0 : store_errno(rc);
}

int store_node_last_events(Store *s, NodeLastEventFn cb, void *userdata) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_last_events, &st);
        if (r < 0)
                return r;
        int rc;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
                r = cb(userdata, (const char *) sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
        sqlite3_reset(st);
        return r < 0 ? r : rc == SQLITE_DONE ? 0 : store_errno(rc);
}

int store_collect_status_set(Store *s, const char *node, usec_t at, const char *error) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_collect_set, &st);
        if (r < 0)
                return r;
        sqlite3_bind_text(st, 1, node, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, at);
        if (error)
                sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
        return store_step_done(st);
}

int store_collect_status_each(Store *s, CollectStatusFn cb, void *userdata) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_collect_each, &st);
        if (r < 0)
                return r;
        int rc;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                CollectStatus c = { .node = (const char *) sqlite3_column_text(st, 0),
                                    .last_attempt = sqlite3_column_int64(st, 1), .last_success = store_column_usec(st, 2),
                                    .last_error = (const char *) sqlite3_column_text(st, 3) };
                r = cb(userdata, &c);
        }
        sqlite3_reset(st);
        return r < 0 ? r : rc == SQLITE_DONE ? 0 : store_errno(rc);
}
