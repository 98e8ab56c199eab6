/* store.c: SQLite connection, schema migration, transactions and the content tables' row access,
 * except event rows (store-event.c). Every statement is prepared once per connection and reset
 * after use. */
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>

#include "store.h"
#include "store-window.h"
#include "fs-util.h"
#include "schema-sql.h"
#include "store-checkpoint.h"
#include "store-event.h"
#include "strbuf.h"

#define CASCADE_APPLICATION_ID 0x63617363 /* "casc", at header offset 68 (SQLite magic.txt) */

typedef enum StatementId {
        STMT_NODE_GET,
        STMT_NODE_ADD,
        STMT_BOOT_GET,
        STMT_BOOT_ADD,
        STMT_BOOT_RANGE,
        STMT_BOOT_BEFORE,
        STMT_BOOT_NEAR,
        STMT_SOURCE_GET,
        STMT_SOURCE_ADD,
        STMT_SOURCE_SAVE,
        STMT_REJECTED_ADD,
        STMT_REJECTED_CLEAR,
        STMT_META_GET,
        STMT_META_SET,
        _STMT_MAX,
} StatementId;

static const char *const statement_sql[_STMT_MAX] = {
        [STMT_NODE_GET] = "SELECT id FROM node WHERE name = ?1",
        [STMT_NODE_ADD] = "INSERT INTO node (name) VALUES (?1)",
        [STMT_BOOT_GET] = "SELECT id, first_ts, last_ts, inferred, start_ts FROM boot WHERE node_id = ?1 AND boot_id = ?2",
        [STMT_BOOT_ADD] = "INSERT INTO boot (node_id, boot_id, inferred) VALUES (?1, ?2, ?3)",
        [STMT_BOOT_RANGE] = "UPDATE boot SET first_ts = ?2, last_ts = ?3, start_ts = ?4 WHERE id = ?1",
        [STMT_BOOT_BEFORE] = "SELECT id, boot_id, first_ts, last_ts, inferred, start_ts FROM boot "
                             "WHERE node_id = ?1 AND first_ts <= ?2 ORDER BY first_ts DESC LIMIT 1",
        [STMT_BOOT_NEAR] = "SELECT id, boot_id, first_ts, last_ts, inferred, start_ts FROM boot "
                           "WHERE node_id = ?1 AND inferred = 0 AND first_ts BETWEEN ?2 - ?3 AND ?2 + ?3 "
                           "ORDER BY abs(first_ts - ?2) LIMIT 1",
        [STMT_SOURCE_GET] = "SELECT id, path, format, node_id, dev, inode, size, mtime, offset, line, cursor, state "
                            "FROM source WHERE key = ?1",
        [STMT_SOURCE_ADD] = "INSERT INTO source (key, path, format) VALUES (?1, ?2, ?3)",
        [STMT_SOURCE_SAVE] = "UPDATE source SET node_id = ?2, dev = ?3, inode = ?4, size = ?5, mtime = ?6, "
                             "offset = ?7, line = ?8, cursor = ?9, state = ?10, ingested_at = ?11 WHERE id = ?1",
        [STMT_REJECTED_ADD] = "INSERT OR IGNORE INTO rejected_line (source_id, line, reason, raw) VALUES (?1, ?2, ?3, ?4)",
        [STMT_REJECTED_CLEAR] = "DELETE FROM rejected_line WHERE source_id = ?1",
        [STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
        [STMT_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
};

#define EXTRA_STMT_MAX 64

struct Store {
        sqlite3 *db;
        sqlite3_stmt *stmt[_STMT_MAX];  /* prepared on first use */
        const char *extra_sql[EXTRA_STMT_MAX];      /* other modules' static SQL, by pointer */
        sqlite3_stmt *extra_stmt[EXTRA_STMT_MAX];
        EventWriter *events;   /* store-event.c's */
        Checkpointer *checkpointer;    /* store-checkpoint.c's, while ingest runs */
        char *failure;         /* why the last rolled-back transaction failed, for store_errmsg() */
        bool read_only;
};

int store_errno(int rc) {
        switch (rc & 0xff) {
        case SQLITE_OK:
        case SQLITE_ROW:
        case SQLITE_DONE:
                return 0;
        case SQLITE_NOMEM:
                return -ENOMEM;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
                return -EBUSY;
        case SQLITE_READONLY:
                return -EROFS;
        case SQLITE_FULL:
                return -ENOSPC;
        case SQLITE_CANTOPEN:
                return -ENOENT;
        case SQLITE_PERM:
        case SQLITE_AUTH:
                return -EACCES;
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
                return -ENOTSUP;
        case SQLITE_CONSTRAINT:
                return -EEXIST;
        case SQLITE_IOERR:
                return -EIO;
        default:
                return -EIO;
        }
}

sqlite3 *store_db(Store *s) {
        return s->db;
}

static bool connection_failed(Store *s) {
        int rc = sqlite3_errcode(s->db);
        return rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE;
}

const char *store_errmsg(Store *s) {
        if (!s || !s->db)
                return "no database";
        return !connection_failed(s) && s->failure ? s->failure : sqlite3_errmsg(s->db);
}

static sqlite3_stmt *stmt(Store *s, StatementId id) {
        if (!s->stmt[id] &&
            sqlite3_prepare_v3(s->db, statement_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[id], NULL) != SQLITE_OK)
                return NULL;
        sqlite3_reset(s->stmt[id]);
        sqlite3_clear_bindings(s->stmt[id]);
        return s->stmt[id];
}

int store_stmt(Store *s, const char *sql, sqlite3_stmt **ret) {
        size_t i;
        for (i = 0; i < EXTRA_STMT_MAX && s->extra_sql[i]; i++)
                if (s->extra_sql[i] == sql)
                        break;
        if (i == EXTRA_STMT_MAX)
                return -ENOBUFS;
        if (!s->extra_sql[i]) {
                int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->extra_stmt[i], NULL);
                if (rc != SQLITE_OK)
                        return store_errno(rc);
                s->extra_sql[i] = sql;
        }
        sqlite3_reset(s->extra_stmt[i]);
        sqlite3_clear_bindings(s->extra_stmt[i]);
        *ret = s->extra_stmt[i];
        return 0;
}

int store_step_done(sqlite3_stmt *st) {
        int rc = sqlite3_step(st);
        int r = rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_errno(rc);
        sqlite3_reset(st);
        return r;
}

int store_exec(Store *s, const char *sql) {
        return store_errno(sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

/* Switching a new database to WAL takes an exclusive lock and fails with SQLITE_BUSY at once,
 * without the busy handler, when another process is creating the same database right now. */
static int exec_while_busy(Store *s, const char *sql) {
        for (int waited_ms = 0;; waited_ms += 20) {
                int r = store_errno(sqlite3_exec(s->db, sql, NULL, NULL, NULL));
                if (r != -EBUSY || waited_ms >= 30000)
                        return r;
                usleep(20 * 1000);
        }
}

static int exec(Store *s, const char *sql) {
        return store_errno(sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

/* Another process may write between our transactions: what we know holds within one. */
EventWriter *store_event_writer(Store *s) {
        return s->events;
}

/* What the event writer knows in memory holds within one transaction: another process may
 * write between two. */
int store_begin(Store *s) {
        event_writer_forget(s->events);
        free(s->failure);
        s->failure = NULL;
        return exec(s, s->read_only ? "BEGIN" : "BEGIN IMMEDIATE");
}

int store_commit(Store *s) {
        int r = store_events_flush(s);
        if (r >= 0)
                r = exec(s, "COMMIT");
        if (r >= 0)
                event_writer_forget(s->events);
        return r;
}

int store_rollback(Store *s) {
        /* A successful ROLLBACK makes SQLite forget why the transaction failed; the caller's
         * message needs it ("database disk image is malformed", not "not an error"). */
        if (connection_failed(s)) {
                free(s->failure);
                s->failure = strdup(sqlite3_errmsg(s->db));
        }
        event_writer_forget(s->events);
        if (sqlite3_get_autocommit(s->db))
                return 0;
        return exec(s, "ROLLBACK");
}

int store_schema_latest(void) {
        int n = 0;
        while (schema_steps[n])
                n++;
        return n;
}

static int pragma_int(Store *s, const char *sql, int *ret) {
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
        if (rc != SQLITE_OK)
                return store_errno(rc);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                *ret = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        return rc == SQLITE_ROW ? 0 : store_errno(rc);
}

int store_schema_version(Store *s) {
        int v = -1;
        int r = pragma_int(s, "PRAGMA user_version", &v);
        return r < 0 ? r : v;
}

/* Refuse databases that are not ours before touching them. */
static int check_identity(Store *s) {
        int app_id = 0, tables = 0;
        int r = pragma_int(s, "PRAGMA application_id", &app_id);
        if (r < 0)
                return r;
        if (app_id == CASCADE_APPLICATION_ID)
                return 0;
        if (app_id != 0)
                return -ENOTSUP;
        r = pragma_int(s, "SELECT count(*) FROM sqlite_schema", &tables);
        if (r < 0)
                return r;
        return tables == 0 ? 0 : -ENOTSUP;
}

static int migrate(Store *s) {
        int latest = store_schema_latest();
        int version = store_schema_version(s);
        if (version < 0)
                return version;
        if (version > latest)
                return -EPROTONOSUPPORT;
        /* A read-only reader of an older database reads what is there: it may not write the
         * upgrade, and every table it lacks comes from a later step than the data it holds. */
        if (version == latest || s->read_only)
                return 0;

        int r = store_begin(s);
        if (r < 0)
                return r;
        /* Read again inside the write lock: another process may have migrated meanwhile. */
        version = store_schema_version(s);
        for (int i = version; r >= 0 && i < latest; i++)
                r = exec(s, schema_steps[i]);
        if (r >= 0) {
                char sql[96];
                snprintf(sql, sizeof sql, "PRAGMA user_version = %d; PRAGMA application_id = %d", latest,
                         CASCADE_APPLICATION_ID);
                r = exec(s, sql);
        }
        if (r < 0) {
                store_rollback(s);
                return r;
        }
        return store_commit(s);
}

/* Checkpoints copy pages back from the WAL: one per 64 MiB written rewrites hot index pages less
 * often during a long ingest. The pragma counts pages, whose size depends on the database's age. */
static int set_checkpoint_interval(Store *s) {
        int page_size = 0;
        int r = pragma_int(s, "PRAGMA page_size", &page_size);
        if (r < 0 || page_size <= 0)
                return r;
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint = %d", CHECKPOINT_RESTART_BYTES / page_size);
        return exec(s, sql);
}

int store_background_checkpoints(Store *s, bool on) {
        if (!on) {
                int r = checkpointer_stop(s->checkpointer);
                s->checkpointer = NULL;
                int k = s->read_only ? 0 : set_checkpoint_interval(s);
                return r < 0 ? r : k;
        }
        if (s->checkpointer || s->read_only)
                return 0;
        int page_size = 0;
        int r = pragma_int(s, "PRAGMA page_size", &page_size);
        if (r >= 0)
                r = checkpointer_start(s->db, page_size, CHECKPOINT_PASS_BYTES, CHECKPOINT_RESTART_BYTES,
                                       &s->checkpointer);
        return r;
}

/* Logs hold secrets: the database and its directory are private to the user from the start. */
static int create_private(const char *path) {
        _cleanup_free_ char *copy = strdup(path);
        if (!copy)
                return -ENOMEM;
        int r = mkdir_private(dirname(copy));
        if (r < 0)
                return r;
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        close(fd);
        return 0;
}

/* The connection. A WAL database on read-only media (a mounted evidence copy) cannot get its -shm
 * file: read-only, it is read as immutable, which needs none. */
static int connect_db(Store *s, const char *path) {
        int flags = (s->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
        int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
        if (rc == SQLITE_OK && s->read_only)
                rc = sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
        if (rc != SQLITE_OK && s->read_only && access(path, R_OK) == 0) {
                _cleanup_free_ char *uri = NULL;
                sqlite3_close(s->db);
                s->db = NULL;
                if (asprintf(&uri, "file:%s?immutable=1", path) < 0)
                        return -ENOMEM;
                rc = sqlite3_open_v2(uri, &s->db, flags | SQLITE_OPEN_URI, NULL);
        }
        if (rc != SQLITE_OK)
                return store_errno(rc);
        sqlite3_extended_result_codes(s->db, 0);
        sqlite3_busy_timeout(s->db, 30000);
        return 0;
}

static int configure(Store *s) {
        bool ro = s->read_only;
        int r = check_identity(s);
        /* Only a database without tables takes a page size. 16 KiB pages hold about 90 events
         * each: ingest splits and rewrites a quarter as many pages as with 4 KiB ones (~25% faster
         * bulk inserts, bench/RESULTS.md). Older databases keep theirs. So it is with incremental
         * auto-vacuum, which gives the pages prune frees back to the disk. Setting it takes the
         * write lock: a second process creating the same database right now gets SQLITE_BUSY at
         * once (SQLite's deadlock rule, no busy handler), hence the retries. */
        if (r >= 0 && !ro)
                r = exec_while_busy(s, "PRAGMA page_size = 16384; PRAGMA auto_vacuum = INCREMENTAL");
        if (r >= 0 && !ro)
                r = exec_while_busy(s, "PRAGMA journal_mode = WAL");
        if (r >= 0)
                /* Foreign keys stay declared as documentation but are not enforced: ingest creates
                 * every parent row before its children, forget and prune delete the children
                 * with their events (store-forget.c, store-prune.c), while the checks
                 * cost each event insert three lookups (15% of ingest time). A 4 MiB page cache
                 * is as fast as 16 MiB for ingest, retag, reports and the timeline (the OS keeps
                 * the file cached; ingest appends) and 12 MiB smaller (bench/RESULTS.md). */
                r = exec(s, "PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL; "
                            "PRAGMA cache_size = -4096; PRAGMA temp_store = MEMORY");
        if (r >= 0)
                r = set_checkpoint_interval(s);
        if (r >= 0 && ro)
                store_window_install(s->db);
        if (r >= 0 && ro)
                r = exec(s, "PRAGMA query_only = ON");
        if (r >= 0)
                r = migrate(s);
        return r;
}

/* The file as the system sees it, before SQLite does: the errno is the reason ("Permission
 * denied", "Not a directory", "Is a directory") where SQLite would only say "unable to open
 * database file". Missing and read-write, it is created. O_NONBLOCK: a FIFO given as the
 * database must not hang us. */
static int check_file(const char *path, bool ro, StoreOpenError *err) {
        int fd = open(path, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0 && errno == ENOENT && !ro) {
                err->step = STORE_STEP_CREATE;
                return create_private(path);
        }
        if (fd < 0)
                return -errno;
        struct stat st;
        int r = fstat(fd, &st) < 0 ? -errno : S_ISDIR(st.st_mode) ? -EISDIR : 0;
        close(fd);
        return r;
}

/* What SQLite said when it refused the file, and the errno behind it where there is one (the
 * directory does not let us create the -wal file beside the database). */
static int sqlite_failure(Store *s, int r, StoreOpenError *err) {
        if (!s->db || !connection_failed(s))
                return r;
        snprintf(err->reason, sizeof err->reason, "%s", sqlite3_errmsg(s->db));
        int rc = sqlite3_errcode(s->db), sys = sqlite3_system_errno(s->db);
        if ((rc == SQLITE_CANTOPEN || rc == SQLITE_IOERR) && sys > 0)
                return -sys;
        return r;
}

static int open_store(const char *path, bool ro, Store **ret, StoreOpenError *err) {
        /* "" is SQLite's private temporary database, which nothing would ever read again. */
        if (!*path)
                return -EINVAL;
        /* ":memory:" is SQLite's private in-memory database (the fuzz targets use it), not a file. */
        int r = streq(path, ":memory:") ? 0 : check_file(path, ro, err);
        if (r < 0)
                return r;
        _cleanup_(store_closep) Store *s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        s->read_only = ro;
        s->events = event_writer_new();
        if (!s->events)
                return -ENOMEM;
        err->step = STORE_STEP_READ;
        r = connect_db(s, path);
        if (r >= 0)
                r = configure(s);
        if (r == -EPROTONOSUPPORT)
                err->version = store_schema_version(s);
        else if (r < 0)
                r = sqlite_failure(s, r, err);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}

int store_open_full(const char *path, StoreMode mode, Store **ret, StoreOpenError *reterr) {
        /* Memory statistics take a global mutex on every allocation; cascade never reads them.
         * Only possible before the library initialises: later calls fail harmlessly. */
        (void) sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);

        StoreOpenError err = { .step = STORE_STEP_OPEN };
        int r = open_store(path, mode == STORE_READ_ONLY, ret, &err);
        if (r < 0 && reterr)
                *reterr = err;
        return r;
}

int store_open(const char *path, StoreMode mode, Store **ret) {
        return store_open_full(path, mode, ret, NULL);
}

Store *store_close(Store *s) {
        if (!s)
                return NULL;
        (void) checkpointer_stop(s->checkpointer);
        for (size_t i = 0; i < _STMT_MAX; i++)
                sqlite3_finalize(s->stmt[i]);
        for (size_t i = 0; i < EXTRA_STMT_MAX; i++)
                sqlite3_finalize(s->extra_stmt[i]);
        event_writer_free(s->events);
        sqlite3_close(s->db);
        free(s->failure);
        free(s);
        return NULL;
}

int store_default_path(char **ret) {
        const char *env = getenv("CASCADE_DB");
        if (env && *env) {
                *ret = strdup(env);
                return *ret ? 0 : -ENOMEM;
        }
        StrBuf sb = STRBUF_INIT;
        const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
        if (state && state[0] == '/')
                strbuf_addf(&sb, "%s/cascade/cascade.db", state);
        else if (home && home[0] == '/')
                strbuf_addf(&sb, "%s/.local/state/cascade/cascade.db", home);
        else
                return -ENOENT;
        *ret = strbuf_detach(&sb);
        return *ret ? 0 : -ENOMEM;
}

/* SQLITE_TRANSIENT: SQLite copies the text, so callers may pass strings that die before the step
 * (checkpoint cursors and meta values: one row per source, not worth a lifetime rule). */
static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v) {
        if (v)
                sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
        else
                sqlite3_bind_null(st, i);
}

/* Run a statement expected to return nothing; -errno on failure. */
static int step_done(sqlite3_stmt *st) {
        int rc = sqlite3_step(st);
        int r = rc == SQLITE_DONE ? 0 : store_errno(rc);
        sqlite3_reset(st);
        return r;
}

int store_node_id(Store *s, Slice name, int64_t *ret_id) {
        sqlite3_stmt *st = stmt(s, STMT_NODE_GET);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, name.p ? name.p : "", (int) name.n, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
                *ret_id = sqlite3_column_int64(st, 0);
                sqlite3_reset(st);
                return 0;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return store_errno(rc);
        st = stmt(s, STMT_NODE_ADD);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, name.p ? name.p : "", (int) name.n, SQLITE_TRANSIENT);
        int r = step_done(st);
        if (r < 0)
                return r;
        *ret_id = sqlite3_last_insert_rowid(s->db);
        return 0;
}

usec_t store_column_usec(sqlite3_stmt *st, int i) {
        return sqlite3_column_type(st, i) == SQLITE_NULL ? USEC_INVALID : sqlite3_column_int64(st, i);
}

static void boot_from_row(sqlite3_stmt *st, int64_t node_id, BootRow *b) {
        b->id = sqlite3_column_int64(st, 0);
        b->node_id = node_id;
        snprintf(b->boot_id, sizeof b->boot_id, "%s", (const char *) sqlite3_column_text(st, 1));
        b->first_ts = store_column_usec(st, 2);
        b->last_ts = store_column_usec(st, 3);
        b->inferred = sqlite3_column_int(st, 4);
        b->start_ts = store_column_usec(st, 5);
}

int store_boot_get(Store *s, int64_t node_id, const char *boot_id, bool inferred, BootRow *ret) {
        sqlite3_stmt *st = stmt(s, STMT_BOOT_GET);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, node_id);
        sqlite3_bind_text(st, 2, boot_id, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        *ret = (BootRow){ .node_id = node_id, .first_ts = USEC_INVALID, .last_ts = USEC_INVALID,
                          .start_ts = USEC_INVALID };
        snprintf(ret->boot_id, sizeof ret->boot_id, "%s", boot_id);
        if (rc == SQLITE_ROW) {
                ret->id = sqlite3_column_int64(st, 0);
                ret->first_ts = store_column_usec(st, 1);
                ret->last_ts = store_column_usec(st, 2);
                ret->inferred = sqlite3_column_int(st, 3);
                ret->start_ts = store_column_usec(st, 4);
                sqlite3_reset(st);
                return 0;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
                return store_errno(rc);
        st = stmt(s, STMT_BOOT_ADD);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, node_id);
        sqlite3_bind_text(st, 2, boot_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 3, inferred);
        int r = step_done(st);
        if (r < 0)
                return r;
        ret->id = sqlite3_last_insert_rowid(s->db);
        ret->inferred = inferred;
        return 0;
}

int store_boot_update_range(Store *s, const BootRow *b) {
        sqlite3_stmt *st = stmt(s, STMT_BOOT_RANGE);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, b->id);
        if (b->first_ts != USEC_INVALID)
                sqlite3_bind_int64(st, 2, b->first_ts);
        if (b->last_ts != USEC_INVALID)
                sqlite3_bind_int64(st, 3, b->last_ts);
        if (b->start_ts != USEC_INVALID)
                sqlite3_bind_int64(st, 4, b->start_ts);
        return step_done(st);
}

static int boot_query_one(Store *s, StatementId id, int64_t node_id, usec_t ts, usec_t window, BootRow *ret) {
        sqlite3_stmt *st = stmt(s, id);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, node_id);
        sqlite3_bind_int64(st, 2, ts);
        if (id == STMT_BOOT_NEAR)
                sqlite3_bind_int64(st, 3, window);
        int rc = sqlite3_step(st);
        int r = 0;
        if (rc == SQLITE_ROW) {
                boot_from_row(st, node_id, ret);
                r = 1;
        } else if (rc != SQLITE_DONE)
                r = store_errno(rc);
        sqlite3_reset(st);
        return r;
}

int store_boot_find_before(Store *s, int64_t node_id, usec_t ts, BootRow *ret) {
        return boot_query_one(s, STMT_BOOT_BEFORE, node_id, ts, 0, ret);
}

int store_boot_find_near(Store *s, int64_t node_id, usec_t ts, usec_t window, BootRow *ret) {
        return boot_query_one(s, STMT_BOOT_NEAR, node_id, ts, window, ret);
}

void source_row_done(SourceRow *r) {
        free(r->key);
        free(r->path);
        free(r->format);
        free(r->cursor);
        free(r->state);
        *r = (SourceRow){ 0 };
}

static char *column_strdup(sqlite3_stmt *st, int i) {
        const unsigned char *t = sqlite3_column_text(st, i);
        return t ? strdup((const char *) t) : NULL;
}

int store_source_get(Store *s, const char *key, const char *path, const char *format, SourceRow *ret) {
        sqlite3_stmt *st = stmt(s, STMT_SOURCE_GET);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        SourceRow r = { 0 };
        if (rc == SQLITE_ROW) {
                r.id = sqlite3_column_int64(st, 0);
                r.path = column_strdup(st, 1);
                r.format = column_strdup(st, 2);
                r.node_id = sqlite3_column_int64(st, 3);
                r.dev = sqlite3_column_int64(st, 4);
                r.inode = sqlite3_column_int64(st, 5);
                r.size = sqlite3_column_int64(st, 6);
                r.mtime = sqlite3_column_int64(st, 7);
                r.offset = (uint64_t) sqlite3_column_int64(st, 8);
                r.line = (uint64_t) sqlite3_column_int64(st, 9);
                r.cursor = column_strdup(st, 10);
                r.state = column_strdup(st, 11);
                sqlite3_reset(st);
        } else {
                sqlite3_reset(st);
                if (rc != SQLITE_DONE)
                        return store_errno(rc);
                st = stmt(s, STMT_SOURCE_ADD);
                if (!st)
                        return -EIO;
                sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(st, 2, path, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(st, 3, format, -1, SQLITE_TRANSIENT);
                int k = step_done(st);
                if (k < 0)
                        return k;
                r.id = sqlite3_last_insert_rowid(s->db);
                r.path = strdup(path);
                r.format = strdup(format);
        }
        r.key = strdup(key);
        if (!r.key || !r.path || !r.format) {
                source_row_done(&r);
                return -ENOMEM;
        }
        *ret = r;
        return 0;
}

int store_source_save(Store *s, const SourceRow *r) {
        sqlite3_stmt *st = stmt(s, STMT_SOURCE_SAVE);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, r->id);
        if (r->node_id > 0)
                sqlite3_bind_int64(st, 2, r->node_id);
        sqlite3_bind_int64(st, 3, r->dev);
        sqlite3_bind_int64(st, 4, r->inode);
        sqlite3_bind_int64(st, 5, r->size);
        sqlite3_bind_int64(st, 6, r->mtime);
        sqlite3_bind_int64(st, 7, (int64_t) r->offset);
        sqlite3_bind_int64(st, 8, (int64_t) r->line);
        bind_text_or_null(st, 9, r->cursor);
        bind_text_or_null(st, 10, r->state);
        sqlite3_bind_int64(st, 11, now_usec());
        return step_done(st);
}

int store_rejected_add(Store *s, int64_t source_id, uint64_t line, const char *reason, Slice raw) {
        sqlite3_stmt *st = stmt(s, STMT_REJECTED_ADD);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, source_id);
        sqlite3_bind_int64(st, 2, (int64_t) line);
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 4, raw.p ? raw.p : "", (int) raw.n, SQLITE_STATIC);
        return step_done(st);
}

int store_rejected_clear(Store *s, int64_t source_id) {
        sqlite3_stmt *st = stmt(s, STMT_REJECTED_CLEAR);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, source_id);
        return step_done(st);
}

int store_meta_get(Store *s, const char *key, char **ret) {
        sqlite3_stmt *st = stmt(s, STMT_META_GET);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        int r = 0;
        if (rc == SQLITE_ROW) {
                *ret = column_strdup(st, 0);
                r = *ret ? 1 : -ENOMEM;
        } else if (rc != SQLITE_DONE)
                r = store_errno(rc);
        sqlite3_reset(st);
        return r;
}

int store_meta_set(Store *s, const char *key, const char *value) {
        sqlite3_stmt *st = stmt(s, STMT_META_SET);
        if (!st)
                return -EIO;
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        bind_text_or_null(st, 2, value);
        return step_done(st);
}
