/* test-store.c: opening, identity and version checks, and event rows of the SQLite store (store.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>

#include "store-analysis.h"
#include "store-checkpoint.h"
#include "store.h"
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

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(new_database, setup, teardown),
                cmocka_unit_test_setup_teardown(reopen, setup, teardown),
                cmocka_unit_test_setup_teardown(newer_database_refused, setup, teardown),
                cmocka_unit_test_setup_teardown(text_file_refused, setup, teardown),
                cmocka_unit_test_setup_teardown(foreign_database_refused, setup, teardown),
                cmocka_unit_test_setup_teardown(read_only_missing_file, setup, teardown),
                cmocka_unit_test_setup_teardown(read_only_needs_migration, setup, teardown),
                cmocka_unit_test_setup_teardown(events, setup, teardown),
                cmocka_unit_test_setup_teardown(events_in_a_transaction, setup, teardown),
                cmocka_unit_test_setup_teardown(sources, setup, teardown),
                cmocka_unit_test_setup_teardown(rejected_lines, setup, teardown),
                cmocka_unit_test_setup_teardown(default_path, setup, teardown),
                cmocka_unit_test_setup_teardown(scan_window_start, setup, teardown),
                cmocka_unit_test(errno_mapping),
                cmocka_unit_test_setup_teardown(failure_survives_rollback, setup, teardown),
                cmocka_unit_test_setup_teardown(background_checkpoints, setup, teardown),
                cmocka_unit_test_setup_teardown(background_checkpoints_during_ingest, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
