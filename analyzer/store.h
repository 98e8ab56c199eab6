/* store.h: the SQLite database every stage reads and writes. Owns opening (mode 0600, WAL, busy
 * timeout), schema migration by PRAGMA user_version, transactions, and the content tables' rows:
 * nodes, boots, sources, events, rejected lines. */
#pragma once

#include <sqlite3.h>

#include "macro.h"
#include "time-util.h"

typedef struct Store Store;

typedef enum StoreMode {
        STORE_READ_WRITE,      /* create if missing, migrate to the current schema */
        STORE_READ_ONLY,       /* must exist; opened with SQLITE_OPEN_READONLY and query_only */
} StoreMode;

/* Which step of store_open_full() failed. */
typedef enum StoreOpenStep {
        STORE_STEP_CREATE,     /* creating the missing file (and its directories) */
        STORE_STEP_OPEN,       /* opening the file as asked (read-only or read-write) */
        STORE_STEP_READ,       /* reading it as a database: SQLite's header, the schema, the migration */
} StoreOpenStep;

/* Why a database could not be opened, for the caller's message (the -errno returned says the rest). */
typedef struct StoreOpenError {
        StoreOpenStep step;
        int version;           /* -EPROTONOSUPPORT: the database's schema version */
        char reason[160];      /* SQLite's own words when SQLite refused ("file is not a database"); "" when
                                * the errno says it all */
} StoreOpenError;

/* -errno as the system gave it for the file (-ENOENT: it does not exist, read-only; -EISDIR,
 * -ENOTDIR, -EACCES, -EROFS ...), -EINVAL for an empty path, -EPROTONOSUPPORT: the database is
 * from a newer cascade, -ENOTSUP: not a SQLite database (reason set) or another program's (reason
 * ""). *reterr (may be NULL) is written on failure only. */
int store_open_full(const char *path, StoreMode mode, Store **ret, StoreOpenError *reterr);
/* store_open_full() without the details. */
int store_open(const char *path, StoreMode mode, Store **ret);
Store *store_close(Store *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(Store *, store_close);

sqlite3 *store_db(Store *s);
/* The last SQLite error text, for the caller's log line. */
const char *store_errmsg(Store *s);
int store_schema_version(Store *s);
int store_schema_latest(void);

int store_begin(Store *s);
int store_commit(Store *s);
int store_rollback(Store *s);
/* While on, a thread of its own copies the WAL back into the database (store-checkpoint.c)
 * instead of the committing thread. Off (and store_close()) waits for a pass under way. */
int store_background_checkpoints(Store *s, bool on);

/* The default database path: $CASCADE_DB, else $XDG_STATE_HOME/cascade/cascade.db, else
 * ~/.local/state/cascade/cascade.db. Malloc'ed. */
int store_default_path(char **ret);

int store_node_id(Store *s, Slice name, int64_t *ret_id);

typedef struct BootRow {
        int64_t id;
        int64_t node_id;
        char boot_id[40];      /* 32 hex, or '~' + 16 hex when inferred */
        usec_t first_ts, last_ts;  /* range of the boot's events seen so far; USEC_INVALID when none */
        usec_t start_ts;       /* realtime of monotonic zero; USEC_INVALID when unknown */
        bool inferred;
} BootRow;

/* Find or create the boot (node, boot_id); widen its time range to include ts. */
int store_boot_get(Store *s, int64_t node_id, const char *boot_id, bool inferred, BootRow *ret);
int store_boot_update_range(Store *s, const BootRow *b);
/* The node's boot that started last at or before ts (journal or inferred); 0 when none. */
int store_boot_find_before(Store *s, int64_t node_id, usec_t ts, BootRow *ret);
/* A real (journal) boot of the node whose first event lies within window of ts; 0 when none. */
int store_boot_find_near(Store *s, int64_t node_id, usec_t ts, usec_t window, BootRow *ret);

typedef struct SourceRow {
        int64_t id;
        char *key;             /* owned */
        char *path;            /* owned */
        char *format;          /* owned */
        int64_t node_id;       /* 0 = none */
        int64_t dev, inode, size;
        usec_t mtime;
        uint64_t offset, line;
        char *cursor;          /* owned, may be NULL */
        char *state;           /* owned, may be NULL */
} SourceRow;

void source_row_done(SourceRow *r);
/* Find the source by key or create it (offset 0). */
int store_source_get(Store *s, const char *key, const char *path, const char *format, SourceRow *ret);
int store_source_save(Store *s, const SourceRow *r);

typedef struct StoredEvent {
        int64_t node_id;
        usec_t ts, ts_prec, mono;  /* mono < 0: NULL */
        int64_t boot;          /* 0: NULL */
        Slice ident;           /* empty: NULL */
        int64_t pid;           /* < 0: NULL */
        int priority;          /* < 0: NULL */
        Slice unit;
        Slice message;
        int64_t source_id;
        uint64_t line;         /* 0: NULL */
        Slice cursor;
        int64_t dedup;
} StoredEvent;

typedef enum EventAddResult {
        EVENT_ADDED = 1,       /* a new event */
        EVENT_DUPLICATE = 2,   /* already stored (same source again, or another source of the same node) */
        EVENT_REFINED = 3,     /* already stored from a coarser source; this finer copy replaced its time */
} EventAddResult;

/* Returns an EventAddResult (> 0) or -errno. Inside a transaction a new event may be written
 * only later (at the latest by store_commit()), but its id is final at once. */
int store_event_add(Store *s, const StoredEvent *e);
/* The id of the event the last EVENT_ADDED was about. */
int64_t store_last_event_id(Store *s);

/* The schema step that keeps host claims: an older database opened read-only has none. */
#define STORE_HOST_CLAIM_SCHEMA 12
/* Entry event_id, stored under its source's fixed node, gave another node's host name (012-host-claim). */
int store_host_claim_add(Store *s, int64_t event_id, Slice claimed);

/* Where a node's stored events lie: all of them, and those of its journal boots (the journal's own
 * years, which year-less text stamps of the node must agree with). */
typedef struct NodeSpan {
        char *name;
        usec_t first, last;            /* every event of the node */
        usec_t journal_first, journal_last; /* its journal boots' events; USEC_INVALID: none */
} NodeSpan;

/* Every node with stored events. The array and its names are the caller's (node_spans_free()). */
int store_node_spans(Store *s, NodeSpan **ret, size_t *ret_n);
void node_spans_free(NodeSpan *spans, size_t n);
/* The names of the cluster's nodes the store knows: every stored node and every node of the stored
 * corosync.conf. The array (NULL-terminated) and its strings are the caller's (cluster_names_free()). */
int store_cluster_names(Store *s, char ***ret);
char **cluster_names_free(char **names);
int store_rejected_add(Store *s, int64_t source_id, uint64_t line, const char *reason, Slice raw);
/* Forget a source's rejected lines: its file is read again from the start. */
int store_rejected_clear(Store *s, int64_t source_id);

int store_meta_get(Store *s, const char *key, char **ret);
int store_meta_set(Store *s, const char *key, const char *value);

/* A prepared statement for static SQL owned by another module (cached by the pointer sql), reset
 * and with bindings cleared. */
int store_stmt(Store *s, const char *sql, sqlite3_stmt **ret);
/* Step a statement whose rows are not wanted, then reset it. */
int store_step_done(sqlite3_stmt *st);
int store_exec(Store *s, const char *sql);

/* A time column: USEC_INVALID for SQL NULL. */
usec_t store_column_usec(sqlite3_stmt *st, int i);

/* Map a SQLite result code to -errno for callers that only speak errno. */
int store_errno(int sqlite_rc);
