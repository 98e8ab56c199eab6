/* store-tag.c: rows of the tag table. */
#include "store-tag.h"

static const char sql_tag_add[] =
        /* Each (event, rule) is tagged once: IGNORE never deletes, which REPLACE would try first. */
        "INSERT OR IGNORE INTO tag (event_id, rule, kind, severity, captures, library_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* The batch's events are the next ?2 ids above ?1 (ids have holes: no arithmetic on them). */
static const char sql_tags_delete_batch[] =
        "DELETE FROM tag WHERE event_id > ?1 AND event_id <= "
        "(SELECT max(id) FROM (SELECT id FROM event WHERE id > ?1 ORDER BY id LIMIT ?2))";
static const char sql_max_event[] = "SELECT coalesce(max(id), 0) FROM event";

int store_tag_add(Store *s, int64_t event_id, int64_t library_id, const char *rule, const char *kind,
                  const char *severity, const char *captures_json) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_tag_add, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, event_id);
        sqlite3_bind_text(st, 2, rule, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, severity, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, captures_json, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, library_id);
        return store_step_done(st);
}

int store_tags_delete_batch(Store *s, int64_t after_id, int limit) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_tags_delete_batch, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, after_id);
        sqlite3_bind_int(st, 2, limit);
        return store_step_done(st);
}

int64_t store_max_event_id(Store *s) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_max_event, &st);
        if (r < 0)
                return r;
        int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -EIO;
        sqlite3_reset(st);
        return id;
}
