/* bench-store.c: the storing side of text ingest alone: what the single SQLite writer costs per
 * event row, without reading, parsing or tagging. Every line of the logs is parsed into memory
 * first; then the same events are written once per mode, each time into a fresh database of the
 * current schema (checkpoints in their own thread, as ingest runs them), in ingest's transactions
 * of BATCH_ROWS:
 *   sqlite           SQLite alone: the event columns bound into one prepared 64-row INSERT
 *   sqlite-no-index  the same with the (node_id, ts) time index dropped first
 *   sqlite-bare      the least a row can hold: id, node, time and message, in a table without
 *                    any index
 *   store            through store_event_add(): identities, ids, 64-row INSERTs (ingest's storer
 *                    without boots and tags)
 * The sqlite modes are floors: text ingest is never faster than its storing thread, and that
 * thread never faster than SQLite inserting the rows it writes; sqlite-bare is the floor of any
 * store keeping one SQLite row per event.
 * Not a test: it prints figures. */
#include <unistd.h>

#include "bench-util.h"
#include "hash.h"
#include "store-event.h"
#include "store.h"

#define BATCH_ROWS 20000   /* ingest.c's BATCH_EVENTS */
#define ROWS_PER_INSERT 64 /* store-event.c's PENDING_EVENTS */

typedef struct Event {
        usec_t ts, ts_prec;
        int64_t pid;
        Slice node, ident, message;
        uint64_t line, dedup;
        int64_t node_id;       /* in the database being written: set before the clock starts */
} Event;

typedef struct Events {
        Event *v;
        size_t n, alloc;
        StrBuf text;
} Events;

/* Every file into one buffer, then every line parsed once; events keep slices into the buffer. */
static int load_events(char **paths, int n_paths, Events *ev) {
        for (int i = 0; i < n_paths; i++) {
                int r = bench_read_file(paths[i], &ev->text);
                if (r < 0) {
                        fprintf(stderr, "bench-store: %s: %s\n", paths[i], strerror(-r));
                        return r;
                }
        }
        TextParser tp = { .have_year = true };
        year_guess_init_fixed(&tp.year, 2025);
        LogRecord rec;
        for (size_t pos = 0; bench_next_event(&tp, &ev->text, &pos, &rec) > 0; ev->n++) {
                if (array_reserve(&ev->v, &ev->alloc, ev->n + 1, sizeof *ev->v, 1 << 16) < 0)
                        return -ENOMEM;
                ev->v[ev->n] = (Event){ .ts = rec.ts, .ts_prec = rec.ts_prec, .pid = rec.pid,
                                        .node = rec.node, .ident = rec.ident, .message = rec.message,
                                        .line = ev->n + 1, .dedup = hash64(&ev->n, sizeof ev->n, 1) };
        }
        return 0;
}

typedef struct Run {
        Store *store;
        int64_t source_id;
} Run;

/* Each event's node row in this run's database, looked up once per node name. */
static int resolve_nodes(Run *run, Events *ev) {
        Slice names[64];
        int64_t ids[ELEMENTSOF(names)];
        size_t n = 0;
        for (size_t e = 0; e < ev->n; e++) {
                size_t i = 0;
                while (i < n && !slice_eq(names[i], ev->v[e].node))
                        i++;
                if (i == n) {
                        if (n == ELEMENTSOF(names))
                                return -E2BIG;
                        int r = store_node_id(run->store, ev->v[e].node, &ids[n]);
                        if (r < 0)
                                return r;
                        names[n++] = ev->v[e].node;
                }
                ev->v[e].node_id = ids[i];
        }
        return 0;
}

/* The rows an INSERT writes: its table and columns, and how one event is bound to them. */
typedef struct RowShape {
        const char *insert;    /* "INSERT INTO t (columns) VALUES " */
        const char *params;    /* one row's "(?, ...)" */
        int n_params;
        void (*bind)(sqlite3_stmt *st, int base, const Event *e, int64_t source_id, int64_t id);
} RowShape;

/* Parameters base+1 .. base+15 in the column order of EVENT_ROW's insert. */
static void bind_event_row(sqlite3_stmt *st, int base, const Event *e, int64_t source_id, int64_t id) {
        sqlite3_bind_int64(st, base + 1, e->node_id);
        sqlite3_bind_int64(st, base + 2, e->ts);
        sqlite3_bind_int64(st, base + 3, e->ts_prec);
        sqlite3_bind_text(st, base + 6, e->ident.p, (int) e->ident.n, SQLITE_STATIC);
        if (e->pid >= 0)
                sqlite3_bind_int64(st, base + 7, e->pid);
        sqlite3_bind_text(st, base + 10, e->message.p, (int) e->message.n, SQLITE_STATIC);
        sqlite3_bind_int64(st, base + 11, source_id);
        sqlite3_bind_int64(st, base + 12, (int64_t) e->line);
        sqlite3_bind_int64(st, base + 14, (int64_t) e->dedup);
        sqlite3_bind_int64(st, base + 15, id);
}

static void bind_bare_row(sqlite3_stmt *st, int base, const Event *e, int64_t source_id, int64_t id) {
        (void) source_id;
        sqlite3_bind_int64(st, base + 1, e->node_id);
        sqlite3_bind_int64(st, base + 2, e->ts);
        sqlite3_bind_text(st, base + 3, e->message.p, (int) e->message.n, SQLITE_STATIC);
        sqlite3_bind_int64(st, base + 4, id);
}

static const RowShape EVENT_ROW = {
        .insert = "INSERT INTO event (node_id, ts, ts_prec, mono, boot, identifier, pid, priority, unit, message, "
                  "source_id, line, cursor, dedup, id) VALUES ",
        .params = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", .n_params = 15, .bind = bind_event_row,
};
static const RowShape BARE_ROW = {
        .insert = "INSERT INTO bare_event (node_id, ts, message, id) VALUES ",
        .params = "(?, ?, ?, ?)", .n_params = 4, .bind = bind_bare_row,
};
static const char sql_bare_table[] =
        "CREATE TABLE bare_event (id INTEGER PRIMARY KEY, node_id INTEGER, ts INTEGER, message TEXT)";

static int prepare_insert(sqlite3 *db, const RowShape *shape, size_t rows, sqlite3_stmt **ret) {
        StrBuf sql = STRBUF_INIT;
        strbuf_addstr(&sql, shape->insert);
        for (size_t i = 0; i < rows; i++) {
                if (i > 0)
                        strbuf_addstr(&sql, ", ");
                strbuf_addstr(&sql, shape->params);
        }
        int r = strbuf_error(&sql);
        if (r >= 0 && sqlite3_prepare_v3(db, sql.buf, -1, SQLITE_PREPARE_PERSISTENT, ret, NULL) != SQLITE_OK)
                r = -EIO;
        strbuf_release(&sql);
        return r;
}

/* Rows first .. first + n - 1 through st (an INSERT of n rows); ids are the events' indexes + 1. */
static int insert_rows(Run *run, const RowShape *shape, sqlite3_stmt *st, const Events *ev, size_t first, size_t n) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        for (size_t i = 0; i < n; i++)
                shape->bind(st, (int) i * shape->n_params, &ev->v[first + i], run->source_id, (int64_t) (first + i + 1));
        return sqlite3_step(st) == SQLITE_DONE ? 0 : -EIO;
}

static int write_sqlite(Run *run, const RowShape *shape, const Events *ev) {
        sqlite3 *db = store_db(run->store);
        sqlite3_stmt *many = NULL, *one = NULL;
        int r = prepare_insert(db, shape, ROWS_PER_INSERT, &many);
        if (r >= 0)
                r = prepare_insert(db, shape, 1, &one);
        for (size_t done = 0; r >= 0 && done < ev->n;) {
                size_t end = MIN(done + BATCH_ROWS, ev->n);
                r = store_begin(run->store);
                for (; r >= 0 && done + ROWS_PER_INSERT <= end; done += ROWS_PER_INSERT)
                        r = insert_rows(run, shape, many, ev, done, ROWS_PER_INSERT);
                for (; r >= 0 && done < end; done++)
                        r = insert_rows(run, shape, one, ev, done, 1);
                if (r >= 0)
                        r = store_commit(run->store);
        }
        sqlite3_finalize(many);
        sqlite3_finalize(one);
        return r;
}

static int write_store(Run *run, const Events *ev) {
        int r = 0;
        for (size_t done = 0; r >= 0 && done < ev->n;) {
                size_t end = MIN(done + BATCH_ROWS, ev->n);
                r = store_begin(run->store);
                for (; r >= 0 && done < end; done++) {
                        const Event *e = &ev->v[done];
                        r = store_event_add(run->store, &(StoredEvent){
                                .node_id = e->node_id, .ts = e->ts, .ts_prec = e->ts_prec, .mono = -1,
                                .ident = e->ident, .pid = e->pid, .priority = -1, .message = e->message,
                                .source_id = run->source_id, .line = e->line, .dedup = (int64_t) e->dedup });
                }
                if (r >= 0)
                        r = store_events_flush(run->store);
                if (r >= 0)
                        r = store_commit(run->store);
        }
        return r;
}

/* One mode into a fresh database at path: the seconds it took, or a negative errno. */
static int run_mode(const char *mode, const char *path, Events *ev, double *ret_seconds) {
        char sidecar[4096];
        unlink(path);
        snprintf(sidecar, sizeof sidecar, "%s-wal", path);
        unlink(sidecar);
        snprintf(sidecar, sizeof sidecar, "%s-shm", path);
        unlink(sidecar);
        Run run = { 0 };
        int r = store_open(path, STORE_READ_WRITE, &run.store);
        if (r < 0)
                return r;
        SourceRow src = { 0 };
        r = store_source_get(run.store, "bench:store", "bench-store", "text", &src);
        run.source_id = src.id;
        source_row_done(&src);
        if (r >= 0)
                r = resolve_nodes(&run, ev);
        if (r >= 0 && streq(mode, "sqlite-no-index"))
                r = store_exec(run.store, "DROP INDEX event_node_ts");
        if (r >= 0 && streq(mode, "sqlite-bare"))
                r = store_exec(run.store, sql_bare_table);
        if (r >= 0)
                r = store_background_checkpoints(run.store, true);
        double t0 = bench_seconds();
        if (r >= 0)
                r = streq(mode, "store") ? write_store(&run, ev)
                                         : write_sqlite(&run, streq(mode, "sqlite-bare") ? &BARE_ROW : &EVENT_ROW, ev);
        int k = store_background_checkpoints(run.store, false);
        *ret_seconds = bench_seconds() - t0;
        if (r < 0)
                fprintf(stderr, "bench-store: %s: %s\n", mode, store_errmsg(run.store));
        store_close(run.store);
        return r < 0 ? r : k;
}

int main(int argc, char *argv[]) {
        if (argc < 3) {
                fprintf(stderr, "usage: bench-store SCRATCH_DB LOGFILE...\n");
                return 2;
        }
        Events ev = { .text = STRBUF_INIT };
        bool loaded = load_events(argv + 2, argc - 2, &ev) >= 0;
        int status = loaded ? 0 : 1;
        if (loaded)
                printf("events           %zu\n", ev.n);
        static const char *const modes[] = { "sqlite", "sqlite-no-index", "sqlite-bare", "store" };
        for (size_t i = 0; loaded && i < ELEMENTSOF(modes); i++) {
                double s = 0;
                if (run_mode(modes[i], argv[1], &ev, &s) < 0) {
                        status = 1;
                        continue;
                }
                printf("%-16s %.3f s, %.0f events/s\n", modes[i], s, (double) ev.n / s);
        }
        free(ev.v);
        strbuf_release(&ev.text);
        return status;
}
