/* store-library.c: rows of tag_library (store-library.h). */
#include "store-library.h"

/* A row migrated from before schema 10 learns its sources and rule count when the same library
 * (same content: same rules) tags again; when it was first used stays unknown. */
static const char sql_library_add[] =
        "INSERT INTO tag_library (hash, sources, rules, first_used) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (hash) DO UPDATE SET sources = coalesce(sources, excluded.sources), "
        "rules = coalesce(rules, excluded.rules)";
static const char sql_library_find[] =
        "SELECT id, hash, sources, coalesce(rules, -1), first_used FROM tag_library WHERE hash = ?1";
static const char sql_library_hash[] = "SELECT hash FROM tag_library WHERE id = ?1";

void library_row_done(LibraryRow *r) {
        free(r->hash);
        free(r->sources);
        *r = (LibraryRow){ 0 };
}

static char *column_strdup(sqlite3_stmt *st, int i) {
        const unsigned char *t = sqlite3_column_text(st, i);
        return t ? strdup((const char *) t) : NULL;
}

int store_library_find(Store *s, const char *hash, LibraryRow *ret) {
        if (store_schema_version(s) < STORE_LIBRARY_SCHEMA)
                return 0;
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_library_find, &st);
        if (r < 0)
                return r;
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
                sqlite3_reset(st);
                return rc == SQLITE_DONE ? 0 : store_errno(rc);
        }
        LibraryRow row = {
                .id = sqlite3_column_int64(st, 0),
                .hash = column_strdup(st, 1),
                .sources = column_strdup(st, 2),
                .rules = sqlite3_column_int64(st, 3),
                .first_used = store_column_usec(st, 4),
        };
        bool oom = !row.hash || (!row.sources && sqlite3_column_type(st, 2) != SQLITE_NULL);
        sqlite3_reset(st);
        if (oom) {
                library_row_done(&row);
                return -ENOMEM;
        }
        *ret = row;
        return 1;
}

int store_library_ensure(Store *s, const char *hash, const char *sources, int64_t rules, int64_t *ret_id) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_library_add, &st);
        if (r < 0)
                return r;
        sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, sources, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, rules);
        sqlite3_bind_int64(st, 4, now_usec());
        r = store_step_done(st);
        if (r < 0)
                return r;
        LibraryRow row;
        r = store_library_find(s, hash, &row);
        if (r <= 0)
                return r < 0 ? r : -EIO;
        *ret_id = row.id;
        library_row_done(&row);
        return 0;
}

int store_library_hash(Store *s, int64_t id, char **ret) {
        if (store_schema_version(s) < STORE_LIBRARY_SCHEMA)
                return 0;
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_library_hash, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, id);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                *ret = column_strdup(st, 0);
                r = *ret ? 1 : -ENOMEM;
        } else
                r = rc == SQLITE_DONE ? 0 : store_errno(rc);
        sqlite3_reset(st);
        return r;
}
