/* test-store.c: opening (and why it failed), identity and version checks, and event rows of the
 * SQLite store (store.h); the history of analyses and the notification state (store-analysis.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>

#include "store-analysis.h"
#include "store-checkpoint.h"
#include "store-library.h"
#include "store-tag.h"
#include "store.h"
#include "schema-sql.h"
#include "scratch-dir.h"

typedef struct Fixture {
        char dir[256];         /* a fresh directory per test */
        char db[320];          /* dir/sub/cascade.db: the store creates sub/ */
} Fixture;

static int setup(void **state) {
        Fixture *f = calloc(1, sizeof *f);
        assert_non_null(f);
        scratch_dir_make(f->dir, sizeof f->dir, "store");
        snprintf(f->db, sizeof f->db, "%s/sub/cascade.db", f->dir);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        Fixture *f = *state;
        scratch_dir_remove(f->dir);
        free(f);
        return 0;
}

/* Run SQL on the file with plain sqlite3, outside the store. */
static void raw_exec(const char *path, const char *sql) {
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
        char *err = NULL;
        if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
                fail_msg("'%s': %s", sql, strempty(err));
        sqlite3_close(db);
}

static int64_t query_int(Store *s, const char *sql) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        int64_t v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
}

static void query_text(Store *s, const char *sql, char *buf, size_t size) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        snprintf(buf, size, "%s", strempty((const char *) sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
}

static mode_t mode_of(const char *path) {
        struct stat st;
        if (stat(path, &st) < 0)
                fail_msg("stat '%s': %s", path, strerror(errno));
        return st.st_mode & 07777;
}

static void new_database(void **state) {
        Fixture *f = *state;
        mode_t old = umask(022);
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        assert_non_null(s);
        /* Logs hold secrets: private from the first byte, whatever the umask. */
        assert_int_equal(mode_of(f->db), 0600);
        char sub[330];
        snprintf(sub, sizeof sub, "%s/sub", f->dir);
        assert_int_equal(mode_of(sub), 0700);
        assert_true(store_schema_latest() >= 1);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        assert_int_equal(query_int(s, "PRAGMA user_version"), store_schema_latest());
        assert_int_equal(query_int(s, "PRAGMA application_id"), 0x63617363);
        /* Declared, not enforced: ingest creates parents first and nothing deletes events. */
        assert_int_equal(query_int(s, "PRAGMA foreign_keys"), 0);
        assert_int_equal(query_int(s, "PRAGMA page_size"), 16384);
        char mode[16];
        query_text(s, "PRAGMA journal_mode", mode, sizeof mode);
        assert_string_equal(mode, "wal");
        assert_int_equal(query_int(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'event'"), 1);
        /* Every index of the event and tag tables costs each ingested event: the time index is
         * the one that reports and views need (tags are reached through their events). */
        char indexes[128];
        query_text(s, "SELECT group_concat(name) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL "
                      "AND tbl_name IN ('event', 'tag')", indexes, sizeof indexes);
        assert_string_equal(indexes, "event_node_ts");
        /* The WAL file SQLite creates next to it takes the database's mode. */
        assert_int_equal(store_meta_set(s, "k", "v"), 0);
        char wal[340];
        snprintf(wal, sizeof wal, "%s-wal", f->db);
        assert_int_equal(mode_of(wal), 0600);
        store_close(s);
        umask(old);
}

static void reopen(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        assert_int_equal(store_meta_set(s, "patterns_hash", "abc"), 0);
        s = store_close(s);
        assert_null(s);
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        char *v = NULL;
        assert_int_equal(store_meta_get(s, "patterns_hash", &v), 1);
        assert_string_equal(v, "abc");
        free(v);
        assert_int_equal(store_meta_get(s, "missing", &v), 0);
        store_close(s);
        /* And read-only. */
        assert_int_equal(store_open(f->db, STORE_READ_ONLY, &s), 0);
        assert_int_equal(store_meta_get(s, "patterns_hash", &v), 1);
        assert_string_equal(v, "abc");
        free(v);
        assert_int_equal(store_meta_set(s, "patterns_hash", "x"), -EROFS);
        store_close(s);
        assert_null(store_close(NULL));
}

static void newer_database_refused(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        store_close(s);
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_latest() + 1);
        raw_exec(f->db, sql);
        s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), -EPROTONOSUPPORT);
        assert_null(s);
        assert_int_equal(store_open(f->db, STORE_READ_ONLY, &s), -EPROTONOSUPPORT);
        assert_null(s);
}

static void text_file_refused(void **state) {
        Fixture *f = *state;
        char path[330];
        snprintf(path, sizeof path, "%s/notes.txt", f->dir);
        FILE *fp = fopen(path, "we");
        assert_non_null(fp);
        for (int i = 0; i < 50; i++)
                fprintf(fp, "Nov 25 08:10:48 pve1 corosync[1]: this is a log file, not a database %d\n", i);
        fclose(fp);
        Store *s = NULL;
        assert_int_equal(store_open(path, STORE_READ_WRITE, &s), -ENOTSUP);
        assert_null(s);
        assert_int_equal(store_open(path, STORE_READ_ONLY, &s), -ENOTSUP);
        /* Short files too. */
        fp = fopen(path, "we");
        assert_non_null(fp);
        fputs("hello\n", fp);
        fclose(fp);
        assert_int_equal(store_open(path, STORE_READ_WRITE, &s), -ENOTSUP);
        /* Untouched. */
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_size, 6);
}

static void foreign_database_refused(void **state) {
        Fixture *f = *state;
        char path[330];
        snprintf(path, sizeof path, "%s/other.db", f->dir);
        raw_exec(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
        Store *s = NULL;
        assert_int_equal(store_open(path, STORE_READ_WRITE, &s), -ENOTSUP);
        assert_null(s);
        assert_int_equal(store_open(path, STORE_READ_ONLY, &s), -ENOTSUP);
        /* Another application's stamp, even on an empty database. */
        snprintf(path, sizeof path, "%s/stamped.db", f->dir);
        raw_exec(path, "PRAGMA application_id = 1234");
        assert_int_equal(store_open(path, STORE_READ_WRITE, &s), -ENOTSUP);
        /* An empty SQLite database is adopted. */
        snprintf(path, sizeof path, "%s/empty.db", f->dir);
        raw_exec(path, "PRAGMA user_version = 0");
        assert_int_equal(store_open(path, STORE_READ_WRITE, &s), 0);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        store_close(s);
}

static void read_only_missing_file(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_ONLY, &s), -ENOENT);
        assert_null(s);
        assert_int_equal(access(f->db, F_OK), -1);   /* and nothing was created */
        char sub[330];
        snprintf(sub, sizeof sub, "%s/sub", f->dir);
        assert_int_equal(access(sub, F_OK), -1);
}

/* open_as(path, mode): store_open_full()'s result, err filled with what it said. */
static int open_as(const char *path, StoreMode mode, StoreOpenError *err) {
        Store *s = NULL;
        memset(err, 0, sizeof *err);
        err->version = -1;
        int r = store_open_full(path, mode, &s, err);
        if (r >= 0)
                store_close(s);
        else
                assert_null(s);
        return r;
}

/* Each reason a database cannot be opened comes back as itself, with the step that failed: the
 * user reads "Is a directory", not "does not exist". */
static void open_failures_say_why(void **state) {
        Fixture *f = *state;
        StoreOpenError err;
        char path[340];

        /* "" would be SQLite's private temporary database. */
        assert_int_equal(open_as("", STORE_READ_ONLY, &err), -EINVAL);
        assert_int_equal(open_as("", STORE_READ_WRITE, &err), -EINVAL);

        assert_int_equal(open_as(f->dir, STORE_READ_ONLY, &err), -EISDIR);
        assert_int_equal(err.step, STORE_STEP_OPEN);
        assert_int_equal(open_as(f->dir, STORE_READ_WRITE, &err), -EISDIR);
        assert_int_equal(err.step, STORE_STEP_OPEN);

        snprintf(path, sizeof path, "%s/plain", f->dir);
        raw_exec(path, "PRAGMA user_version = 0");
        snprintf(path, sizeof path, "%s/plain/x.db", f->dir);
        assert_int_equal(open_as(path, STORE_READ_ONLY, &err), -ENOTDIR);
        assert_int_equal(open_as(path, STORE_READ_WRITE, &err), -ENOTDIR);
        assert_int_equal(err.step, STORE_STEP_OPEN);

        assert_int_equal(open_as(f->db, STORE_READ_ONLY, &err), -ENOENT);
        assert_int_equal(err.step, STORE_STEP_OPEN);
        /* Missing and read-write: created, and a failure to create is said as such. */
        assert_true(open_as("/proc/cascade-test-store.db", STORE_READ_WRITE, &err) < 0);
        assert_int_equal(err.step, STORE_STEP_CREATE);

        snprintf(path, sizeof path, "%s/notes.txt", f->dir);
        FILE *fp = fopen(path, "we");
        assert_non_null(fp);
        fputs("not a database, but long enough to have a header's worth of bytes in it: 0123456789\n", fp);
        fclose(fp);
        assert_int_equal(open_as(path, STORE_READ_ONLY, &err), -ENOTSUP);
        assert_int_equal(err.step, STORE_STEP_READ);
        assert_string_equal(err.reason, "file is not a database");
        assert_int_equal(open_as(path, STORE_READ_WRITE, &err), -ENOTSUP);
        assert_string_equal(err.reason, "file is not a database");

        /* Another program's database: SQLite reads it fine, cascade refuses it, no SQLite words. */
        snprintf(path, sizeof path, "%s/other.db", f->dir);
        raw_exec(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        assert_int_equal(open_as(path, STORE_READ_ONLY, &err), -ENOTSUP);
        assert_string_equal(err.reason, "");

        assert_int_equal(open_as(f->db, STORE_READ_WRITE, &err), 0);
        assert_int_equal(err.version, -1);      /* written on failure only */
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_latest() + 7);
        raw_exec(f->db, sql);
        assert_int_equal(open_as(f->db, STORE_READ_ONLY, &err), -EPROTONOSUPPORT);
        assert_int_equal(err.version, store_schema_latest() + 7);

        /* Root reads any file: the permission case needs another user (e2e-bad-input runs it). */
        if (geteuid() != 0) {
                snprintf(path, sizeof path, "%s/locked.db", f->dir);
                raw_exec(path, "PRAGMA user_version = 0");
                assert_int_equal(chmod(path, 0), 0);
                assert_int_equal(open_as(path, STORE_READ_ONLY, &err), -EACCES);
                assert_int_equal(err.step, STORE_STEP_OPEN);
        }
}

static void read_only_needs_migration(void **state) {
        Fixture *f = *state;
        char path[330];
        snprintf(path, sizeof path, "%s/empty.db", f->dir);
        raw_exec(path, "PRAGMA user_version = 0");
        Store *s = NULL;
        /* An older (here: empty) database is read as it is: a reader may not write the upgrade. */
        assert_int_equal(store_open(path, STORE_READ_ONLY, &s), 0);
        assert_int_equal(store_schema_version(s), 0);
        store_close(s);
        /* The next writer brings it up to date. */
        assert_int_equal(store_open(path, STORE_READ_WRITE, &s), 0);
        assert_int_equal(store_schema_version(s), store_schema_latest());
        store_close(s);
}

static void events(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        int64_t node = 0, node2 = 0;
        assert_int_equal(store_node_id(s, SLICE_STR("pve1"), &node), 0);
        assert_int_equal(store_node_id(s, SLICE_STR("pve2"), &node2), 0);
        assert_true(node > 0);
        assert_true(node2 != node);
        int64_t again = 0;
        assert_int_equal(store_node_id(s, SLICE_STR("pve1"), &again), 0);
        assert_int_equal(again, node);

        SourceRow syslog = { 0 }, journal = { 0 };
        assert_int_equal(store_source_get(s, "file:/var/log/syslog", "/var/log/syslog", "text", &syslog), 0);
        assert_int_equal(store_source_get(s, "journal:/var/log/journal/x/system", "/var/log/journal/x", "journal",
                                          &journal), 0);
        assert_true(syslog.id != journal.id);

        StoredEvent e = {
                .node_id = node, .ts = INT64_C(1732522248) * USEC_PER_SEC, .ts_prec = USEC_PER_SEC, .mono = -1,
                .ident = SLICE_STR("corosync"), .pid = 1234, .priority = -1,
                .message = SLICE_STR("[TOTEM ] A new membership (1.2d) was formed."), .source_id = syslog.id,
                .line = 17, .dedup = 42,
        };
        assert_int_equal(store_event_add(s, &e), EVENT_ADDED);
        assert_int_equal(store_event_add(s, &e), EVENT_DUPLICATE);
        assert_int_equal(query_int(s, "SELECT count(*) FROM event"), 1);
        assert_int_equal(query_int(s, "SELECT ts_prec FROM event WHERE dedup = 42"), USEC_PER_SEC);
        assert_int_equal(query_int(s, "SELECT priority IS NULL AND mono IS NULL AND unit IS NULL FROM event"), 1);

        /* The journal's copy of the same event: finer time, its priority, unit and cursor. */
        StoredEvent j = e;
        j.ts = e.ts + 123456;
        j.ts_prec = 1;
        j.mono = 5000000;
        j.priority = 5;
        j.unit = SLICE_STR("corosync.service");
        j.source_id = journal.id;
        j.line = 0;
        j.cursor = SLICE_STR("s=abc;i=1");
        assert_int_equal(store_event_add(s, &j), EVENT_REFINED);
        assert_int_equal(query_int(s, "SELECT count(*) FROM event"), 1);
        assert_int_equal(query_int(s, "SELECT ts FROM event WHERE dedup = 42"), j.ts);
        assert_int_equal(query_int(s, "SELECT ts_prec FROM event WHERE dedup = 42"), 1);
        assert_int_equal(query_int(s, "SELECT mono FROM event WHERE dedup = 42"), 5000000);
        assert_int_equal(query_int(s, "SELECT priority FROM event WHERE dedup = 42"), 5);
        assert_int_equal(query_int(s, "SELECT source_id FROM event WHERE dedup = 42"), journal.id);
        assert_int_equal(query_int(s, "SELECT line IS NULL FROM event WHERE dedup = 42"), 1);
        char text[64];
        query_text(s, "SELECT unit FROM event WHERE dedup = 42", text, sizeof text);
        assert_string_equal(text, "corosync.service");
        query_text(s, "SELECT cursor FROM event WHERE dedup = 42", text, sizeof text);
        assert_string_equal(text, "s=abc;i=1");

        /* Neither the same precision again nor the coarse copy afterwards changes it. */
        assert_int_equal(store_event_add(s, &j), EVENT_DUPLICATE);
        assert_int_equal(store_event_add(s, &e), EVENT_DUPLICATE);
        assert_int_equal(query_int(s, "SELECT ts FROM event WHERE dedup = 42"), j.ts);
        assert_int_equal(query_int(s, "SELECT source_id FROM event WHERE dedup = 42"), journal.id);

        /* Another dedup is another event; a message that is not clean text is kept as a BLOB. */
        StoredEvent b = e;
        b.dedup = 43;
        b.node_id = node2;
        b.message = (Slice){ "bin\0ary\xff", 8 };
        assert_int_equal(store_event_add(s, &b), EVENT_ADDED);
        assert_int_equal(query_int(s, "SELECT typeof(message) = 'blob' FROM event WHERE dedup = 43"), 1);
        assert_int_equal(query_int(s, "SELECT length(message) FROM event WHERE dedup = 43"), 8);
        assert_int_equal(query_int(s, "SELECT typeof(message) = 'text' FROM event WHERE dedup = 42"), 1);
        /* An empty message is an empty text, not NULL. */
        b.dedup = 44;
        b.message = SLICE_NULL;
        assert_int_equal(store_event_add(s, &b), EVENT_ADDED);
        assert_int_equal(query_int(s, "SELECT message = '' FROM event WHERE dedup = 44"), 1);
        assert_int_equal(query_int(s, "SELECT count(*) FROM event"), 3);

        /* The same key in another second is another event; each node keeps its stored range. */
        b.ts += 5 * USEC_PER_SEC;
        assert_int_equal(store_event_add(s, &b), EVENT_ADDED);
        assert_int_equal(query_int(s, "SELECT count(*) FROM event WHERE dedup = 44"), 2);
        assert_int_equal(query_int(s, "SELECT last_ts - first_ts FROM node WHERE name = 'pve2'"), 5 * USEC_PER_SEC);
        /* A range may be wider than what is stored (the refined copy moved), never narrower. */
        assert_int_equal(query_int(s, "SELECT first_ts FROM node WHERE name = 'pve1'"), e.ts);
        assert_int_equal(query_int(s, "SELECT last_ts FROM node WHERE name = 'pve1'"), j.ts);

        /* Another connection knows nothing in memory: it finds the stored copies in the table,
         * inside a transaction as well as outside one. */
        store_close(s);
        s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        assert_int_equal(store_event_add(s, &e), EVENT_DUPLICATE);
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_event_add(s, &b), EVENT_DUPLICATE);
        b.ts += USEC_PER_SEC;
        assert_int_equal(store_event_add(s, &b), EVENT_ADDED);
        assert_int_equal(store_event_add(s, &b), EVENT_DUPLICATE);
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(query_int(s, "SELECT count(*) FROM event"), 5);
        assert_int_equal(query_int(s, "SELECT last_ts - first_ts FROM node WHERE name = 'pve2'"), 6 * USEC_PER_SEC);

        source_row_done(&syslog);
        source_row_done(&journal);
        store_close(s);
}

static void events_in_a_transaction(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        int64_t node;
        SourceRow src = { 0 };
        assert_int_equal(store_node_id(s, SLICE_STR("pve1"), &node), 0);
        assert_int_equal(store_source_get(s, "file:/x", "/x", "text", &src), 0);
        StoredEvent e = { .node_id = node, .ts = 1, .ts_prec = 1, .mono = -1, .pid = -1, .priority = -1,
                          .message = SLICE_STR("m"), .source_id = src.id, .dedup = 1 };
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_event_add(s, &e), EVENT_ADDED);
        assert_int_equal(store_rollback(s), 0);
        assert_int_equal(query_int(s, "SELECT count(*) FROM event"), 0);
        assert_int_equal(store_rollback(s), 0);        /* nothing open: fine */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_event_add(s, &e), EVENT_ADDED);
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(query_int(s, "SELECT count(*) FROM event"), 1);
        source_row_done(&src);
        store_close(s);
}

/* Libraries are rows found by hash: the first use's sources stay, a row migrated from before
 * schema 10 learns them. A retag batch drops the tags of exactly the next n events. */
static void library_rows_and_tag_batches(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        int64_t a, again, b, c;
        assert_int_equal(store_library_ensure(s, "aaaaaaaaaaaaaaaa", "shipped 1", 10, &a), 0);
        assert_int_equal(store_library_ensure(s, "aaaaaaaaaaaaaaaa", "elsewhere", 10, &again), 0);
        assert_int_equal(again, a);
        assert_int_equal(store_library_ensure(s, "bbbbbbbbbbbbbbbb", "shipped 1; /srv: x.patterns", 11, &b), 0);
        assert_true(b != a);
        LibraryRow row;
        assert_int_equal(store_library_find(s, "aaaaaaaaaaaaaaaa", &row), 1);
        assert_string_equal(row.sources, "shipped 1");
        assert_int_equal(row.rules, 10);
        assert_true(row.first_used > 0 && row.first_used <= now_usec());
        library_row_done(&row);
        assert_int_equal(store_library_find(s, "cccccccccccccccc", &row), 0);
        /* As 010-library.sql leaves the library of the tags made before it. */
        assert_int_equal(store_exec(s, "INSERT INTO tag_library (hash) VALUES ('cccccccccccccccc')"), 0);
        assert_int_equal(store_library_find(s, "cccccccccccccccc", &row), 1);
        assert_null(row.sources);
        assert_int_equal(row.rules, -1);
        assert_int_equal(row.first_used, USEC_INVALID);
        library_row_done(&row);
        assert_int_equal(store_library_ensure(s, "cccccccccccccccc", "shipped 0.9", 7, &c), 0);
        assert_int_equal(store_library_find(s, "cccccccccccccccc", &row), 1);
        assert_string_equal(row.sources, "shipped 0.9");
        assert_int_equal(row.rules, 7);
        assert_int_equal(row.first_used, USEC_INVALID);
        library_row_done(&row);
        char *hash = NULL;
        assert_int_equal(store_library_hash(s, b, &hash), 1);
        assert_string_equal(hash, "bbbbbbbbbbbbbbbb");
        free(hash);
        assert_int_equal(store_library_hash(s, 999, &hash), 0);

        int64_t node, ids[3];
        SourceRow src = { 0 };
        assert_int_equal(store_node_id(s, SLICE_STR("pve1"), &node), 0);
        assert_int_equal(store_source_get(s, "file:/x", "/x", "text", &src), 0);
        assert_int_equal(store_begin(s), 0);
        for (int i = 0; i < 3; i++) {
                StoredEvent e = { .node_id = node, .ts = 1 + i, .ts_prec = 1, .mono = -1, .pid = -1, .priority = -1,
                                  .message = SLICE_STR("m"), .source_id = src.id, .dedup = 1 + i };
                assert_int_equal(store_event_add(s, &e), EVENT_ADDED);
                ids[i] = store_last_event_id(s);
                assert_int_equal(store_tag_add(s, ids[i], a, "r1", "k", "info", "{}"), 0);
                assert_int_equal(store_tag_add(s, ids[i], b, "r2", "k", "info", "{}"), 0);
        }
        assert_int_equal(store_commit(s), 0);
        assert_int_equal(store_tags_delete_batch(s, ids[0], 1), 0);
        char got[64];
        query_text(s, "SELECT group_concat(event_id) FROM (SELECT DISTINCT event_id FROM tag ORDER BY event_id)", got,
                   sizeof got);
        char want[64];
        snprintf(want, sizeof want, "%" PRId64 ",%" PRId64, ids[0], ids[2]);
        assert_string_equal(got, want);
        query_text(s, "SELECT group_concat(hash || ':' || tags || ':' || events, ' ') FROM library", got, sizeof got);
        assert_string_equal(got, "aaaaaaaaaaaaaaaa:2:2 bbbbbbbbbbbbbbbb:2:2 cccccccccccccccc:0:0");
        source_row_done(&src);
        store_close(s);
}

static void sources(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        SourceRow r = { 0 };
        assert_int_equal(store_source_get(s, "file:/var/log/syslog", "/var/log/syslog", "text", &r), 0);
        assert_string_equal(r.key, "file:/var/log/syslog");
        assert_string_equal(r.path, "/var/log/syslog");
        assert_string_equal(r.format, "text");
        assert_int_equal(r.offset, 0);
        assert_null(r.cursor);
        int64_t id = r.id;
        r.offset = 12345;
        r.line = 99;
        r.inode = 7;
        r.state = strdup("year=2024");
        assert_int_equal(store_source_save(s, &r), 0);
        source_row_done(&r);
        assert_int_equal(store_source_get(s, "file:/var/log/syslog", "ignored", "ignored", &r), 0);
        assert_int_equal(r.id, id);
        assert_string_equal(r.path, "/var/log/syslog");
        assert_int_equal(r.offset, 12345);
        assert_int_equal(r.line, 99);
        assert_int_equal(r.inode, 7);
        assert_string_equal(r.state, "year=2024");
        source_row_done(&r);
        store_close(s);
}

static void rejected_lines(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        SourceRow r = { 0 };
        assert_int_equal(store_source_get(s, "file:/x", "/x", "text", &r), 0);
        assert_int_equal(store_rejected_add(s, r.id, 3, "no timestamp at the start of the line", SLICE_STR("garbage")), 0);
        /* The same line again (a re-read) is ignored. */
        assert_int_equal(store_rejected_add(s, r.id, 3, "no timestamp at the start of the line", SLICE_STR("garbage")), 0);
        assert_int_equal(store_rejected_add(s, r.id, 4, "x", SLICE_NULL), 0);
        assert_int_equal(query_int(s, "SELECT count(*) FROM rejected_line"), 2);
        assert_int_equal(query_int(s, "SELECT length(raw) FROM rejected_line WHERE line = 4"), 0);
        source_row_done(&r);
        store_close(s);
}

static void default_path(void **state) {
        char *p = NULL;
        assert_int_equal(setenv("CASCADE_DB", "/srv/x.db", 1), 0);
        assert_int_equal(store_default_path(&p), 0);
        assert_string_equal(p, "/srv/x.db");
        free(p);
        assert_int_equal(unsetenv("CASCADE_DB"), 0);
        assert_int_equal(setenv("XDG_STATE_HOME", "/state", 1), 0);
        assert_int_equal(store_default_path(&p), 0);
        assert_string_equal(p, "/state/cascade/cascade.db");
        free(p);
        assert_int_equal(setenv("XDG_STATE_HOME", "relative", 1), 0);
        assert_int_equal(setenv("HOME", "/home/u", 1), 0);
        assert_int_equal(store_default_path(&p), 0);
        assert_string_equal(p, "/home/u/.local/state/cascade/cascade.db");
        free(p);
        assert_int_equal(unsetenv("HOME"), 0);
        assert_int_equal(store_default_path(&p), -ENOENT);
}

/* Where scan's next window starts: an overlap before the previous scan, earlier still when events
 * older than it were stored since (a node's logs arriving late). */
static void scan_window_start(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        usec_t start = 0, t0 = INT64_C(1764057600) * USEC_PER_SEC;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        assert_int_equal(store_scan_window_start(s, USEC_PER_HOUR, &start), 0);
        assert_int_equal(start, USEC_INVALID);          /* no scan yet: everything */
        int64_t node = 0;
        SourceRow src = { 0 };
        assert_int_equal(store_node_id(s, SLICE_STR("pve1"), &node), 0);
        assert_int_equal(store_source_get(s, "file:/x", "/x", "text", &src), 0);
        StoredEvent e = { .node_id = node, .ts = t0, .ts_prec = 1, .mono = -1, .pid = -1, .priority = -1,
                          .message = SLICE_STR("before"), .source_id = src.id, .dedup = 1 };
        assert_int_equal(store_event_add(s, &e), EVENT_ADDED);
        usec_t scanned = t0 + 10 * USEC_PER_HOUR;
        assert_int_equal(store_scan_set_last(s, scanned, store_last_event_id(s)), 0);
        assert_int_equal(store_scan_window_start(s, USEC_PER_HOUR, &start), 0);
        assert_int_equal(start, scanned - USEC_PER_HOUR);
        /* Stored after that scan, from two days before it. */
        e.ts = scanned - 48 * USEC_PER_HOUR;
        e.message = SLICE_STR("late");
        e.dedup = 2;
        assert_int_equal(store_event_add(s, &e), EVENT_ADDED);
        assert_int_equal(store_scan_window_start(s, USEC_PER_HOUR, &start), 0);
        assert_int_equal(start, e.ts - USEC_PER_HOUR);
        source_row_done(&src);
        store_close(s);
}

/* A rollback must not make the reason for it "not an error". */
static void failure_survives_rollback(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        assert_int_equal(store_begin(s), 0);
        sqlite3_stmt *st = NULL;
        static const char bad[] = "SELECT x FROM no_such_table";
        assert_true(store_stmt(s, bad, &st) < 0);
        assert_int_equal(store_rollback(s), 0);
        assert_non_null(strstr(store_errmsg(s), "no such table: no_such_table"));
        /* The next transaction starts without it. */
        assert_int_equal(store_begin(s), 0);
        assert_int_equal(store_rollback(s), 0);
        assert_string_equal(store_errmsg(s), "not an error");
        store_close(s);
}

static void errno_mapping(void **state) {
        assert_int_equal(store_errno(SQLITE_OK), 0);
        assert_int_equal(store_errno(SQLITE_DONE), 0);
        assert_int_equal(store_errno(SQLITE_BUSY), -EBUSY);
        assert_int_equal(store_errno(SQLITE_BUSY_SNAPSHOT), -EBUSY);   /* extended codes too */
        assert_int_equal(store_errno(SQLITE_READONLY), -EROFS);
        assert_int_equal(store_errno(SQLITE_NOTADB), -ENOTSUP);
        assert_int_equal(store_errno(SQLITE_CONSTRAINT_UNIQUE), -EEXIST);
        assert_int_equal(store_errno(SQLITE_FULL), -ENOSPC);
        assert_int_equal(store_errno(SQLITE_IOERR_WRITE), -EIO);
}

/* ---- the background checkpointer (store-checkpoint.c) ---- */

static off_t file_size(const char *path) {
        struct stat st;
        return stat(path, &st) < 0 ? 0 : st.st_size;
}

/* n transactions of 8 rows of 4 KiB each (about 40 KiB of WAL apiece). */
static void write_transactions(Store *s, int n) {
        for (int i = 0; i < n; i++) {
                assert_int_equal(store_begin(s), 0);
                assert_int_equal(sqlite3_exec(store_db(s), "INSERT INTO scratch SELECT randomblob(4096) "
                                              "FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL "
                                              "SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL "
                                              "SELECT 7 UNION ALL SELECT 8)", NULL, NULL, NULL), SQLITE_OK);
                assert_int_equal(store_commit(s), 0);
        }
}

static void background_checkpoints(void **state) {
        Fixture *f = *state;
        char wal[340];
        snprintf(wal, sizeof wal, "%s-wal", f->db);
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        assert_int_equal(sqlite3_exec(store_db(s), "CREATE TABLE scratch (b BLOB)", NULL, NULL, NULL), SQLITE_OK);
        int page_size = (int) query_int(s, "PRAGMA page_size");

        /* Passes every 64 KiB, the WAL starts over at 256 KiB: 300 transactions write over 12 MiB
         * of WAL, which stays within a few transactions of the limit, and the database file grows
         * before any close. Without passes nothing would copy the WAL (the hook turns SQLite's
         * own checkpoint off) and it would grow past 12 MiB. */
        Checkpointer *c = NULL;
        assert_int_equal(checkpointer_start(store_db(s), page_size, 64 << 10, 256 << 10, &c), 0);
        off_t db_before = file_size(f->db);
        write_transactions(s, 300);
        assert_in_range(file_size(wal), 1, 1 << 20);
        assert_true(file_size(f->db) > db_before + (1 << 20));

        /* A reader's snapshot keeps the frames it may need: the writer goes on (never blocks on
         * it) and the WAL grows; once the reader is gone the WAL starts over and grows no more. */
        sqlite3 *reader = NULL;
        assert_int_equal(sqlite3_open_v2(f->db, &reader, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM scratch", NULL, NULL, NULL), SQLITE_OK);
        write_transactions(s, 50);
        assert_true(file_size(wal) > (1 << 20));
        assert_int_equal(sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(reader);
        write_transactions(s, 1);       /* appended, then every frame is copied */
        off_t held = file_size(wal);
        write_transactions(s, 100);
        assert_int_equal(file_size(wal), held);

        assert_int_equal(checkpointer_stop(c), 0);
        assert_int_equal(query_int(s, "SELECT count(*) FROM scratch"), 451 * 8);
        store_close(s);
}

static void background_checkpoints_during_ingest(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        assert_int_equal(store_background_checkpoints(s, true), 0);
        assert_int_equal(store_background_checkpoints(s, true), 0);      /* once is enough */
        assert_int_equal(sqlite3_exec(store_db(s), "CREATE TABLE scratch (b BLOB)", NULL, NULL, NULL), SQLITE_OK);
        write_transactions(s, 20);
        assert_int_equal(store_background_checkpoints(s, false), 0);
        /* SQLite's own checkpoint is back: the interval of 64 MiB in pages. */
        assert_int_equal(query_int(s, "PRAGMA wal_autocheckpoint"), CHECKPOINT_RESTART_BYTES / query_int(s, "PRAGMA page_size"));
        assert_int_equal(store_background_checkpoints(s, true), 0);
        store_close(s);         /* stops the thread */
        assert_int_equal(store_open(f->db, STORE_READ_ONLY, &s), 0);
        assert_int_equal(query_int(s, "SELECT count(*) FROM scratch"), 160);
        store_close(s);
}

/* ---- the history of analyses and the notification state (store-analysis.c) ---- */

#define H0 (INT64_C(1764057600) * USEC_PER_SEC) /* 2025-11-25T08:00:00Z */
#define MINUTES(n) ((usec_t) (n) * USEC_PER_MINUTE)
#define HOURS(n) ((usec_t) (n) * USEC_PER_HOUR)

static Incident incident_at(usec_t start, usec_t end, Classification c) {
        return (Incident){ .start = start, .end = end, .classification = c, .severity = INCIDENT_MINOR,
                           .nodes_expected = 3, .min_members = 2, .trigger = -1,
                           .detection = { .first_sent = -1, .first_failed = -1, .first_action = -1 } };
}

/* An analysis of [since, until] (USEC_INVALID: open) that found incidents, numbered here. */
static Analysis analysis_of(usec_t since, usec_t until, Incident *incidents, size_t n) {
        for (size_t i = 0; i < n; i++)
                incidents[i].id = (int) i + 1;
        return (Analysis){ .since = since, .until = until, .first = since, .last = until, .reference_node = -1,
                           .incidents = incidents, .n_incidents = n };
}

static void save(Store *s, const Analysis *a, int64_t *ids) {
        assert_int_equal(store_analysis_save(s, a, H0 + HOURS(24), ids), 0);
}

static int64_t query_int_id(Store *s, const char *sql, int64_t id) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int64(st, 1, id);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        int64_t v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return v;
}

static void query_text_id(Store *s, const char *sql, int64_t id, char *buf, size_t size) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_int64(st, 1, id);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        snprintf(buf, size, "%s", strempty((const char *) sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
}

static NotifyState notify_state(Store *s, int64_t id, const char *hook) {
        NotifyState state = _NOTIFY_STATE_MAX;
        assert_int_equal(store_notify_state(s, id, hook, &state), 0);
        return state;
}

/* A re-analysis replaces the incidents of its own window only: a quiet window keeps the history,
 * a re-cut incident keeps its id, one not found again inside the window goes, one the window
 * only cuts stays, and ids are never given twice. */
static void history_replaces_its_window(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        char buf[64];
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        Incident first[] = { incident_at(H0, H0 + MINUTES(5), CLASS_NODE_REBOOT),
                             incident_at(H0 + HOURS(2), H0 + HOURS(2) + MINUTES(5), CLASS_UNCLEAN_NODE_LOSS) };
        int64_t ids[2] = { 0 };
        Analysis a = analysis_of(USEC_INVALID, USEC_INVALID, first, 2);
        save(s, &a, ids);
        assert_int_equal(ids[0], 1);
        assert_int_equal(ids[1], 2);

        a = analysis_of(H0 + HOURS(3), H0 + HOURS(4), NULL, 0);
        save(s, &a, NULL);
        assert_int_equal(query_int(s, "SELECT count(*) FROM incidents"), 2);

        /* The second one again, cut 30 s later by another window and classified anew. */
        Incident recut[] = { incident_at(H0 + HOURS(2) + 30 * USEC_PER_SEC, H0 + HOURS(2) + MINUTES(6),
                                         CLASS_NETWORK_PARTITION) };
        int64_t id = 0;
        a = analysis_of(H0 + HOURS(1), H0 + HOURS(3), recut, 1);
        save(s, &a, &id);
        assert_int_equal(id, 2);
        assert_int_equal(query_int(s, "SELECT count(*) FROM incidents"), 2);
        query_text_id(s, "SELECT classification FROM incidents WHERE id = ?1", 2, buf, sizeof buf);
        assert_string_equal(buf, "network-partition");
        query_text_id(s, "SELECT window_since FROM incidents WHERE id = ?1", 2, buf, sizeof buf);
        assert_string_equal(buf, "2025-11-25T09:00:00.000000Z");
        query_text_id(s, "SELECT classification FROM incidents WHERE id = ?1", 1, buf, sizeof buf);
        assert_string_equal(buf, "node-reboot");
        assert_int_equal(query_int(s, "SELECT count(*) FROM incidents WHERE cascade_version IS NULL"), 0);

        /* The same window, where it is not found any more (its logs were changed): it goes. */
        a = analysis_of(H0 + HOURS(1), H0 + HOURS(3), NULL, 0);
        save(s, &a, NULL);
        assert_int_equal(query_int(s, "SELECT count(*) FROM incidents"), 1);
        assert_int_equal(query_int(s, "SELECT id FROM incidents"), 1);

        /* A window that cuts the first one and does not see it: not evidence that it is gone. */
        a = analysis_of(H0 + MINUTES(2), H0 + HOURS(1), NULL, 0);
        save(s, &a, NULL);
        assert_int_equal(query_int(s, "SELECT count(*) FROM incidents"), 1);

        Incident later[] = { incident_at(H0 + HOURS(5), H0 + HOURS(5) + MINUTES(1), CLASS_LINK_INSTABILITY) };
        a = analysis_of(H0 + HOURS(4), USEC_INVALID, later, 1);
        save(s, &a, &id);
        assert_int_equal(id, 3);
        store_close(s);
}

/* Notification state follows an incident through re-analyses: into both halves of a split, and
 * back into one when they merge again (a hook sent for either is sent). */
static void history_keeps_notifications(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        char buf[64];
        NotifyState st;
        usec_t w = H0 + HOURS(24);
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        Incident whole[] = { incident_at(H0, H0 + HOURS(1), CLASS_QUORUM_LOSS) };
        int64_t id = 0;
        Analysis a = analysis_of(USEC_INVALID, USEC_INVALID, whole, 1);
        save(s, &a, &id);
        assert_int_equal(notify_state(s, id, NOTIFY_HOOK_REPORT), NOTIFY_NEW);
        assert_int_equal(store_notify_begin(s, id, NOTIFY_HOOK_REPORT, w), 0);
        assert_int_equal(store_notify_reported(s, id, "/r/a.md", w), 0);
        assert_int_equal(store_notify_begin(s, id, "exec x", w), 0);
        assert_int_equal(store_notify_end(s, id, "exec x", w, "exit status 1", &st), 0);
        assert_int_equal(st, NOTIFY_PENDING);

        Incident halves[] = { incident_at(H0, H0 + MINUTES(10), CLASS_QUORUM_LOSS),
                              incident_at(H0 + MINUTES(40), H0 + HOURS(1), CLASS_QUORUM_LOSS) };
        int64_t ids[2] = { 0 };
        a = analysis_of(H0 - HOURS(1), H0 + HOURS(2), halves, 2);
        save(s, &a, ids);
        assert_int_equal(ids[0], id);
        assert_true(ids[1] > id);
        assert_int_equal(notify_state(s, ids[1], NOTIFY_HOOK_REPORT), NOTIFY_SENT);
        assert_int_equal(notify_state(s, ids[1], "exec x"), NOTIFY_PENDING);
        query_text_id(s, "SELECT report_path FROM incidents WHERE id = ?1", ids[1], buf, sizeof buf);
        assert_string_equal(buf, "/r/a.md");

        /* The second half's retry succeeds; then they are one incident again. */
        assert_int_equal(store_notify_begin(s, ids[1], "exec x", w + 1), 0);
        assert_int_equal(store_notify_end(s, ids[1], "exec x", w + 1, NULL, &st), 0);
        assert_int_equal(st, NOTIFY_SENT);
        int64_t merged = 0;
        a = analysis_of(H0 - HOURS(1), H0 + HOURS(2), whole, 1);
        save(s, &a, &merged);
        assert_int_equal(merged, id);
        assert_int_equal(query_int(s, "SELECT count(*) FROM incidents"), 1);
        assert_int_equal(notify_state(s, id, "exec x"), NOTIFY_SENT);
        assert_int_equal(query_int_id(s, "SELECT attempts FROM incident_notification WHERE incident_id = ?1 AND hook = 'exec x'", id), 2);
        assert_int_equal(query_int(s, "SELECT count(*) FROM incident_notification"), 2);
        query_text_id(s, "SELECT notification FROM incidents WHERE id = ?1", id, buf, sizeof buf);
        assert_string_equal(buf, "sent");
        store_close(s);
}

/* A failing hook is pending, then given up after NOTIFY_MAX_ATTEMPTS calls or NOTIFY_RETRY_FOR;
 * the views say so in the words the schema documents. */
static void notify_retries_are_bounded(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        char buf[128], want[128];
        NotifyState st = NOTIFY_NEW;
        usec_t w = H0 + HOURS(24);
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        Incident two[] = { incident_at(H0, H0 + MINUTES(3), CLASS_NODE_REBOOT),
                           incident_at(H0 + HOURS(1), H0 + HOURS(1) + MINUTES(3), CLASS_NODE_REBOOT) };
        int64_t ids[2] = { 0 };
        Analysis a = analysis_of(USEC_INVALID, USEC_INVALID, two, 2);
        save(s, &a, ids);
        int64_t id = ids[0];
        assert_int_equal(store_notify_end(s, id, "exec x", w, NULL, NULL), -ENOENT); /* never begun */
        for (int i = 1; i <= NOTIFY_MAX_ATTEMPTS; i++) {
                assert_int_equal(store_notify_begin(s, id, "exec x", w + i), 0);
                assert_int_equal(store_notify_end(s, id, "exec x", w + i, "exit status 1", &st), 0);
                assert_int_equal(st, i < NOTIFY_MAX_ATTEMPTS ? NOTIFY_PENDING : NOTIFY_FAILED);
        }
        snprintf(want, sizeof want, "failed (exec x: attempt %d/%d: exit status 1)", NOTIFY_MAX_ATTEMPTS, NOTIFY_MAX_ATTEMPTS);
        query_text_id(s, "SELECT notification FROM incidents WHERE id = ?1", id, buf, sizeof buf);
        assert_string_equal(buf, want);

        /* Interrupted: counted, pending, retried. */
        assert_int_equal(store_notify_begin(s, id, "exec y", w), 0);
        assert_int_equal(notify_state(s, id, "exec y"), NOTIFY_PENDING);
        query_text_id(s, "SELECT state || ' ' || last_error FROM notifications WHERE incident_id = ?1 AND hook = 'exec y'",
                      id, buf, sizeof buf);
        assert_string_equal(buf, "pending interrupted: no result recorded");
        assert_int_equal(store_notify_end(s, id, "exec y", w, "exit status 2", NULL), 0);
        /* The worst hook speaks for the incident. */
        query_text_id(s, "SELECT notification FROM incidents WHERE id = ?1", id, buf, sizeof buf);
        assert_true(strncmp(buf, "failed (exec x:", strlen("failed (exec x:")) == 0);
        assert_int_equal(store_notify_begin(s, id + 1, "exec y", w), 0);
        assert_int_equal(store_notify_end(s, id + 1, "exec y", w, "exit status 2", NULL), 0);
        snprintf(want, sizeof want, "pending (exec y: attempt 1/%d: exit status 2)", NOTIFY_MAX_ATTEMPTS);
        query_text_id(s, "SELECT notification FROM incidents WHERE id = ?1", id + 1, buf, sizeof buf);
        assert_string_equal(buf, want);
        assert_int_equal(store_notify_begin(s, id + 1, "exec y", w + 5), 0);
        assert_int_equal(store_notify_end(s, id + 1, "exec y", w + 5, NULL, NULL), 0);

        /* Only what was last called before the scan began is due; given-up hooks never are. */
        PendingNotify *p = NULL;
        size_t n = 0;
        assert_int_equal(store_notify_pending(s, w, &p, &n), 0);
        assert_int_equal(n, 0);
        pending_notify_free_many(p, n);
        assert_int_equal(store_notify_pending(s, w + 1, &p, &n), 0);
        assert_int_equal(n, 1);
        assert_string_equal(p[0].hook, "exec y");
        assert_int_equal(p[0].incident, id);
        assert_int_equal(p[0].start, H0);
        assert_null(p[0].report_path);
        pending_notify_free_many(p, n);

        NotifyCounts c;
        assert_int_equal(store_notify_counts(s, &c), 0);
        assert_int_equal(c.pending, 1);
        assert_int_equal(c.failed, 1);
        assert_int_equal(store_notify_expire(s, w + NOTIFY_RETRY_FOR - 1), 0);
        assert_int_equal(store_notify_expire(s, w + NOTIFY_RETRY_FOR), 1);
        assert_int_equal(notify_state(s, id, "exec y"), NOTIFY_FAILED);
        store_close(s);
}

/* Boots accumulate: the span widens, how a boot ended comes from the analysis that saw furthest
 * into it, and a boot wholly inside a window that no longer has it goes. */
static void history_merges_boots(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        char buf[128];
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        CBoot b = { .boot_id = (char *) "b1", .first = H0, .last = H0 + HOURS(1), .end = BOOT_END_RUNNING,
                    .end_at = USEC_INVALID };
        CNode n = { .name = (char *) "pve1", .boots = &b, .n_boots = 1 };
        Analysis a = analysis_of(H0, H0 + HOURS(1), NULL, 0);
        a.nodes = &n;
        a.n_nodes = 1;
        save(s, &a, NULL);

        b = (CBoot){ .boot_id = (char *) "b1", .first = H0 + HOURS(1), .last = H0 + HOURS(3), .end = BOOT_END_CLEAN_REBOOT,
                     .end_at = H0 + HOURS(3), .initiator = (char *) "root" };
        a.since = H0 + HOURS(2), a.until = H0 + HOURS(4);
        save(s, &a, NULL);
        query_text(s, "SELECT start || ' ' || \"end\" || ' ' || end_kind || ' ' || initiator FROM boots", buf, sizeof buf);
        assert_string_equal(buf, "2025-11-25T08:00:00.000000Z 2025-11-25T11:00:00.000000Z clean-reboot root");

        /* An ad-hoc look at an earlier window sees it running: how it ended stays. */
        b = (CBoot){ .boot_id = (char *) "b1", .first = H0, .last = H0 + MINUTES(30), .end = BOOT_END_RUNNING,
                     .end_at = USEC_INVALID };
        a.since = H0, a.until = H0 + MINUTES(30);
        save(s, &a, NULL);
        query_text(s, "SELECT \"end\" || ' ' || end_kind FROM boots", buf, sizeof buf);
        assert_string_equal(buf, "2025-11-25T11:00:00.000000Z clean-reboot");

        b = (CBoot){ .boot_id = (char *) "b2", .first = H0 + HOURS(5), .last = H0 + HOURS(6), .end = BOOT_END_CRASH,
                     .end_at = H0 + HOURS(6) };
        a.since = H0 + HOURS(5), a.until = H0 + HOURS(6);
        save(s, &a, NULL);
        assert_int_equal(query_int(s, "SELECT count(*) FROM boots"), 2);
        a.n_nodes = 0;
        a.since = H0 + HOURS(4), a.until = H0 + HOURS(7);
        save(s, &a, NULL);
        query_text(s, "SELECT group_concat(boot_id) FROM boots", buf, sizeof buf);
        assert_string_equal(buf, "b1");
        store_close(s);
}

static MemberPoint member_point(usec_t ts, int count) {
        MemberPoint m = { .ts = ts, .count = count };
        for (int i = 0; i < count; i++)
                m.ids[i] = i + 1;
        return m;
}

/* Membership: each window's points replace those inside it; the membership in force when a
 * window starts is added only where nothing stored says it; a repeated point is no change. */
static void history_merges_membership(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        char buf[256];
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        MemberPoint first[] = { member_point(H0, 3), member_point(H0 + MINUTES(10), 2), member_point(H0 + MINUTES(20), 3) };
        Analysis a = analysis_of(USEC_INVALID, USEC_INVALID, NULL, 0);
        a.membership = first, a.n_membership = 3;
        save(s, &a, NULL);
        assert_int_equal(query_int(s, "SELECT count(*) FROM membership"), 3);

        /* Its seed lies before the window, where the store knows better: only the window changes. */
        MemberPoint second[] = { member_point(H0 + MINUTES(5), 2), member_point(H0 + MINUTES(30), 1) };
        a = analysis_of(H0 + MINUTES(15), H0 + HOURS(1), NULL, 0);
        a.membership = second, a.n_membership = 2;
        save(s, &a, NULL);
        query_text(s, "SELECT group_concat(count, ' ') FROM (SELECT count FROM membership ORDER BY ts_usec)", buf, sizeof buf);
        assert_string_equal(buf, "3 2 1");

        /* A later window: its seed fills the gap, a change follows; the seed repeating the stored
         * membership is no change. */
        MemberPoint third[] = { member_point(H0 + HOURS(2), 1), member_point(H0 + HOURS(3) + MINUTES(10), 3),
                                member_point(H0 + HOURS(5), 3) };
        a = analysis_of(H0 + HOURS(3), H0 + HOURS(4), NULL, 0);
        a.membership = third, a.n_membership = 3;
        save(s, &a, NULL);
        query_text(s, "SELECT group_concat(ts || '=' || count, ' ') FROM (SELECT ts, count FROM membership ORDER BY ts_usec)",
                   buf, sizeof buf);
        assert_string_equal(buf, "2025-11-25T08:00:00.000000Z=3 2025-11-25T08:10:00.000000Z=2 "
                                 "2025-11-25T08:30:00.000000Z=1 2025-11-25T11:10:00.000000Z=3");

        a = analysis_of(H0 + HOURS(4), H0 + HOURS(6), NULL, 0);
        save(s, &a, NULL);
        assert_int_equal(query_int(s, "SELECT count(*) FROM membership"), 4);
        query_text(s, "SELECT members || '|' || member_ids FROM membership ORDER BY ts_usec LIMIT 1", buf, sizeof buf);
        assert_string_equal(buf, "1 2 3|1 2 3");
        store_close(s);
}

/* Run the schema steps before 011 on a fresh file: a store as the cascade before it left it. */
static void make_store_before_history(const char *path) {
        size_t step = 0;
        while (schema_steps[step] && strncmp(schema_steps[step], "-- 011-", 7) != 0)
                step++;
        assert_non_null(schema_steps[step]);
        for (size_t i = 0; i < step; i++)
                raw_exec(path, schema_steps[i]);
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %zu; PRAGMA application_id = %d", step, 0x63617363);
        raw_exec(path, sql);
}

/* 011 keeps the last window's incidents and everything scan_reported remembered: nothing
 * reported before is reported again, and an old incident found again takes its row. */
static void history_migrates_reported(void **state) {
        Fixture *f = *state;
        Store *s = NULL;
        char buf[256];
        char dir[320];
        snprintf(dir, sizeof dir, "%s/sub", f->dir);
        assert_int_equal(mkdir(dir, 0700), 0);
        make_store_before_history(f->db);
        /* 08:00 is the last window's incident, reported; 2025-11-20 10:00 one reported before. */
        raw_exec(f->db,
                 "INSERT INTO analysis_incident (id, start, end, classification, severity, root_node, nodes_expected, "
                 "min_members, degraded_seconds, quorum_lost, report_json, reported_at, report_path) VALUES "
                 "(1, 1764057600000000, 1764057900000000, 'reboot-cascade', 'critical', 'pve2', 3, 1, 300, 1, '{}', "
                 "1764144000000000, '/r/new.md');"
                 "INSERT INTO scan_reported VALUES ('reboot-cascade', 'pve2', 29400960, 1764057600000000, "
                 "1764144000000000, '/r/new.md');"
                 "INSERT INTO scan_reported VALUES ('node-reboot', '', 29393880, 1763632800000000, "
                 "1763640000000000, '/r/old.md');"
                 "INSERT INTO analysis_boot VALUES ('pve1', 'b1', 1, 2, NULL, 'running', NULL);");
        assert_int_equal(store_open(f->db, STORE_READ_WRITE, &s), 0);
        assert_int_equal(query_int(s, "SELECT count(*) FROM incidents"), 2);
        assert_int_equal(query_int(s, "SELECT count(*) FROM boots"), 1);
        query_text(s, "SELECT group_concat(id || ' ' || classification || ' ' || report_path || ' ' || notification, ', ') "
                      "FROM (SELECT * FROM incidents ORDER BY id)", buf, sizeof buf);
        assert_string_equal(buf, "1 reboot-cascade /r/new.md sent, 2 node-reboot /r/old.md sent");
        query_text(s, "SELECT coalesce(end, 'no end') || ' ' || start FROM incidents WHERE id = 2", buf, sizeof buf);
        assert_string_equal(buf, "no end 2025-11-20T10:00:00.000000Z");

        /* The old one found again, its start 40 s later: the same incident, already reported. */
        Incident again[] = { incident_at(1763632800000000 + 40 * USEC_PER_SEC, 1763632800000000 + MINUTES(4),
                                         CLASS_NODE_REBOOT) };
        int64_t id = 0;
        Analysis a = analysis_of(1763632800000000 - HOURS(1), 1763632800000000 + HOURS(1), again, 1);
        save(s, &a, &id);
        assert_int_equal(id, 2);
        assert_int_equal(notify_state(s, id, NOTIFY_HOOK_REPORT), NOTIFY_SENT);
        assert_int_equal(query_int(s, "SELECT count(*) FROM incidents WHERE end IS NOT NULL"), 2);
        Incident fresh[] = { incident_at(H0 + HOURS(9), H0 + HOURS(10), CLASS_NODE_REBOOT) };
        a = analysis_of(H0 + HOURS(8), USEC_INVALID, fresh, 1);
        save(s, &a, &id);
        assert_int_equal(id, 3);
        store_close(s);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(new_database, setup, teardown),
                cmocka_unit_test_setup_teardown(reopen, setup, teardown),
                cmocka_unit_test_setup_teardown(newer_database_refused, setup, teardown),
                cmocka_unit_test_setup_teardown(text_file_refused, setup, teardown),
                cmocka_unit_test_setup_teardown(foreign_database_refused, setup, teardown),
                cmocka_unit_test_setup_teardown(read_only_missing_file, setup, teardown),
                cmocka_unit_test_setup_teardown(read_only_needs_migration, setup, teardown),
                cmocka_unit_test_setup_teardown(open_failures_say_why, setup, teardown),
                cmocka_unit_test_setup_teardown(events, setup, teardown),
                cmocka_unit_test_setup_teardown(events_in_a_transaction, setup, teardown),
                cmocka_unit_test_setup_teardown(library_rows_and_tag_batches, setup, teardown),
                cmocka_unit_test_setup_teardown(sources, setup, teardown),
                cmocka_unit_test_setup_teardown(rejected_lines, setup, teardown),
                cmocka_unit_test_setup_teardown(default_path, setup, teardown),
                cmocka_unit_test_setup_teardown(scan_window_start, setup, teardown),
                cmocka_unit_test(errno_mapping),
                cmocka_unit_test_setup_teardown(failure_survives_rollback, setup, teardown),
                cmocka_unit_test_setup_teardown(background_checkpoints, setup, teardown),
                cmocka_unit_test_setup_teardown(background_checkpoints_during_ingest, setup, teardown),
                cmocka_unit_test_setup_teardown(history_replaces_its_window, setup, teardown),
                cmocka_unit_test_setup_teardown(history_keeps_notifications, setup, teardown),
                cmocka_unit_test_setup_teardown(notify_retries_are_bounded, setup, teardown),
                cmocka_unit_test_setup_teardown(history_merges_boots, setup, teardown),
                cmocka_unit_test_setup_teardown(history_merges_membership, setup, teardown),
                cmocka_unit_test_setup_teardown(history_migrates_reported, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
