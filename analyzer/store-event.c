/* store-event.c: event rows. A new event's identity is looked up without a unique index (each
 * node's stored time range, then the node's events of that second, kept in memory while the
 * second lasts: store-identity.c), new events are written PENDING_EVENTS per INSERT with ids
 * handed out here, and a finer copy of a stored event refines it. What the writer knows in memory
 * holds for one transaction (store.c calls event_writer_forget() at each boundary). */
#include "store-event.h"
#include "store-identity.h"
#include "strbuf.h"
#include "utf8.h"

/* The order bind_event() binds in; the id comes last so REFINE can use ?15 for it too. */
#define EVENT_COLUMNS "node_id, ts, ts_prec, mono, boot, identifier, pid, priority, unit, message, source_id, " \
                      "line, cursor, dedup, id"
#define EVENT_PARAMS "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
#define EVENT_N_PARAMS 15
/* Events per multi-row INSERT: one statement per 64 events costs a quarter less per event than
 * one per event (bench/RESULTS.md). */
#define PENDING_EVENTS 64

static const char sql_event_add[] = "INSERT INTO event (" EVENT_COLUMNS ") VALUES (" EVENT_PARAMS ")";
/* The same event from a finer source (journal µs over syslog seconds) takes its time and
 * provenance; what the coarse copy lacked (priority, unit) is filled in. */
static const char sql_event_refine[] =
        "UPDATE event SET ts = ?2, ts_prec = ?3, mono = ?4, boot = coalesce(?5, boot), priority = coalesce(?8, priority), "
        "unit = coalesce(?9, unit), source_id = ?11, line = ?12, cursor = ?13 WHERE id = ?15";
/* A second's events of a node (through event_node_ts), with a second of slack each side for the
 * rounding of negative times; the caller keeps those whose ts / 1000000 is the second. */
static const char sql_events_of_second[] =
        "SELECT id, ts, ts_prec, dedup FROM event WHERE ts >= (?2 - 1) * 1000000 AND ts < (?2 + 2) * 1000000 AND node_id = ?1";
static const char sql_node_range_get[] = "SELECT first_ts, last_ts FROM node WHERE id = ?1";
static const char sql_node_range_set[] = "UPDATE node SET first_ts = ?2, last_ts = ?3 WHERE id = ?1";
static const char sql_event_next_id[] = "SELECT coalesce(max(id), 0) + 1 FROM event";

struct EventWriter {
        Identities identities;
        char *sql_add_many;    /* the INSERT of PENDING_EVENTS rows */
        /* New events wait here for one multi-row INSERT. Their strings are copied into
         * pending_text; until they are bound, their slices' p hold offsets into it. */
        StoredEvent pending[PENDING_EVENTS];
        bool pending_is_text[PENDING_EVENTS];
        size_t n_pending;
        StrBuf pending_text;
        int64_t next_event_id; /* 0: read it from the table first */
        int64_t last_event_id;
};

EventWriter *event_writer_new(void) {
        EventWriter *ew = calloc(1, sizeof *ew);
        if (!ew)
                return NULL;
        ew->pending_text = (StrBuf) STRBUF_INIT;
        StrBuf sql = STRBUF_INIT;
        strbuf_addstr(&sql, "INSERT INTO event (" EVENT_COLUMNS ") VALUES ");
        for (size_t i = 0; i < PENDING_EVENTS; i++)
                strbuf_addstr(&sql, i ? ", (" EVENT_PARAMS ")" : "(" EVENT_PARAMS ")");
        ew->sql_add_many = strbuf_detach(&sql);
        if (!ew->sql_add_many) {
                free(ew);
                return NULL;
        }
        return ew;
}

void event_writer_free(EventWriter *ew) {
        if (!ew)
                return;
        identities_done(&ew->identities);
        strbuf_release(&ew->pending_text);
        free(ew->sql_add_many);
        free(ew);
}

void event_writer_forget(EventWriter *ew) {
        identities_clear(&ew->identities);
        ew->n_pending = 0;
        strbuf_reset(&ew->pending_text);
        ew->next_event_id = 0;
}

static EventWriter *writer(Store *s) {
        return store_event_writer(s);
}

static sqlite3_stmt *event_stmt(Store *s, const char *sql) {
        sqlite3_stmt *st;
        return store_stmt(s, sql, &st) < 0 ? NULL : st;
}

/* Parameters base+1 .. base+15 in EVENT_COLUMNS order (the caller cleared the bindings). */
static void bind_event(sqlite3_stmt *st, int base, const StoredEvent *e, bool message_is_text, int64_t id) {
        sqlite3_bind_int64(st, base + 1, e->node_id);
        sqlite3_bind_int64(st, base + 2, e->ts);
        sqlite3_bind_int64(st, base + 3, e->ts_prec);
        if (e->mono >= 0)
                sqlite3_bind_int64(st, base + 4, e->mono);
        if (e->boot > 0)
                sqlite3_bind_int64(st, base + 5, e->boot);
        bind_slice(st, base + 6, e->ident);
        if (e->pid >= 0)
                sqlite3_bind_int64(st, base + 7, e->pid);
        if (e->priority >= 0)
                sqlite3_bind_int(st, base + 8, e->priority);
        bind_slice(st, base + 9, e->unit);
        if (message_is_text)
                sqlite3_bind_text(st, base + 10, e->message.p ? e->message.p : "", (int) e->message.n, SQLITE_STATIC);
        else
                sqlite3_bind_blob(st, base + 10, e->message.p, (int) e->message.n, SQLITE_STATIC);
        sqlite3_bind_int64(st, base + 11, e->source_id);
        if (e->line > 0)
                sqlite3_bind_int64(st, base + 12, (int64_t) e->line);
        bind_slice(st, base + 13, e->cursor);
        sqlite3_bind_int64(st, base + 14, e->dedup);
        sqlite3_bind_int64(st, base + 15, id);
}

/* ---- new events, written PENDING_EVENTS at a time ---- */

static void pending_copy(EventWriter *ew, Slice *v) {
        size_t offset = ew->pending_text.len;
        if (v->n > 0)
                strbuf_add(&ew->pending_text, v->p, v->n);
        v->p = (const char *) (uintptr_t) offset;
}

static Slice pending_slice(const EventWriter *ew, Slice v) {
        return v.n > 0 ? (Slice){ ew->pending_text.buf + (uintptr_t) v.p, v.n } : SLICE_NULL;
}

/* Pending events first .. first + n - 1 with one statement of n rows. Pending ids are
 * consecutive; the last one's is last_event_id. */
static int insert_pending(Store *s, const char *sql, size_t first, size_t n) {
        EventWriter *ew = writer(s);
        sqlite3_stmt *st = event_stmt(s, sql);
        if (!st)
                return -EIO;
        for (size_t i = 0; i < n; i++) {
                StoredEvent e = ew->pending[first + i];
                e.ident = pending_slice(ew, e.ident);
                e.unit = pending_slice(ew, e.unit);
                e.message = pending_slice(ew, e.message);
                e.cursor = pending_slice(ew, e.cursor);
                bind_event(st, (int) (i * EVENT_N_PARAMS), &e, ew->pending_is_text[first + i],
                           ew->last_event_id - (int64_t) (ew->n_pending - 1 - first - i));
        }
        return store_step_done(st);
}

/* Any statement that reads or changes events must see the pending ones: they go first. */
static int pending_flush(Store *s) {
        EventWriter *ew = writer(s);
        int r = 0;
        if (ew->n_pending == PENDING_EVENTS)
                r = insert_pending(s, ew->sql_add_many, 0, PENDING_EVENTS);
        else
                for (size_t i = 0; r >= 0 && i < ew->n_pending; i++)
                        r = insert_pending(s, sql_event_add, i, 1);
        ew->n_pending = 0;
        strbuf_reset(&ew->pending_text);
        return r;
}

/* Ids are handed out here rather than by the INSERT, so the event's tags can name it before the
 * row is written; the transaction's write lock keeps them ours. */
static int next_event_id(Store *s, int64_t *ret) {
        EventWriter *ew = writer(s);
        if (ew->next_event_id == 0) {
                sqlite3_stmt *st = event_stmt(s, sql_event_next_id);
                if (!st)
                        return -EIO;
                int rc = sqlite3_step(st);
                if (rc == SQLITE_ROW)
                        ew->next_event_id = sqlite3_column_int64(st, 0);
                sqlite3_reset(st);
                if (rc != SQLITE_ROW)
                        return store_errno(rc);
        }
        *ret = ew->next_event_id++;
        return 0;
}

static int pending_add(Store *s, const StoredEvent *e, bool text) {
        EventWriter *ew = writer(s);
        int64_t id = 0;
        int r = next_event_id(s, &id);
        if (r < 0)
                return r;
        StoredEvent *p = &ew->pending[ew->n_pending];
        *p = *e;
        pending_copy(ew, &p->ident);
        pending_copy(ew, &p->unit);
        pending_copy(ew, &p->message);
        pending_copy(ew, &p->cursor);
        /* The event waits only if its offsets point at all of its text. */
        r = strbuf_error(&ew->pending_text);
        if (r < 0)
                return r;
        ew->pending_is_text[ew->n_pending++] = text;
        ew->last_event_id = id;
        return ew->n_pending == PENDING_EVENTS ? pending_flush(s) : 0;
}

int64_t store_last_event_id(Store *s) {
        return writer(s)->last_event_id;
}

static const char sql_host_claim_add[] = "INSERT OR REPLACE INTO event_host_claim (event_id, claimed) VALUES (?1, ?2)";

int store_host_claim_add(Store *s, int64_t event_id, Slice claimed) {
        /* The event may still be pending in the writer: its row must exist before the claim's. */
        int r = store_events_flush(s);
        sqlite3_stmt *st;
        if (r >= 0)
                r = store_stmt(s, sql_host_claim_add, &st);
        if (r < 0)
                return r;
        sqlite3_bind_int64(st, 1, event_id);
        bind_slice(st, 2, claimed);
        return store_step_done(st);
}

static const char sql_cluster_names[] =
        "SELECT name FROM node UNION SELECT name FROM corosync_node ORDER BY 1";

int store_cluster_names(Store *s, char ***ret) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_cluster_names, &st);
        if (r < 0)
                return r;
        char **v = NULL;
        size_t n = 0, alloc = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (array_reserve(&v, &alloc, n + 2, sizeof *v, 8) < 0 ||
                    !(v[n] = strdup((const char *) sqlite3_column_text(st, 0)))) {
                        rc = SQLITE_NOMEM;
                        break;
                }
                v[++n] = NULL;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
                cluster_names_free(v);
                return store_errno(rc);
        }
        *ret = v;
        return 0;
}

char **cluster_names_free(char **names) {
        for (char **s = names; s && *s; s++)
                free(*s);
        free(names);
        return NULL;
}

/* Journal boots have the kernel's boot id (inferred = 0): their range is the journal's. The boot
 * table is small; the event table would be a full scan. */
static const char sql_node_spans[] =
        "SELECT n.name, n.first_ts, n.last_ts, min(b.first_ts), max(b.last_ts) FROM node n "
        "LEFT JOIN boot b ON b.node_id = n.id AND b.inferred = 0 "
        "WHERE n.first_ts IS NOT NULL AND n.last_ts IS NOT NULL GROUP BY n.id ORDER BY n.id";

int store_node_spans(Store *s, NodeSpan **ret, size_t *ret_n) {
        sqlite3_stmt *st;
        int r = store_stmt(s, sql_node_spans, &st);
        if (r < 0)
                return r;
        NodeSpan *v = NULL;
        size_t n = 0, alloc = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                if (array_reserve(&v, &alloc, n + 1, sizeof *v, 8) < 0 ||
                    !(v[n].name = strdup((const char *) sqlite3_column_text(st, 0)))) {
                        rc = SQLITE_NOMEM;
                        break;
                }
                v[n].first = sqlite3_column_int64(st, 1);
                v[n].last = sqlite3_column_int64(st, 2);
                v[n].journal_first = store_column_usec(st, 3);
                v[n].journal_last = store_column_usec(st, 4);
                n++;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
                node_spans_free(v, n);
                return store_errno(rc);
        }
        *ret = v;
        *ret_n = n;
        return 0;
}

void node_spans_free(NodeSpan *spans, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(spans[i].name);
        free(spans);
}

/* ---- event identity: a unique index's work, done with what the ingest order makes cheap ---- */

static int node_ranges_flush(Store *s) {
        Identities *ids = &writer(s)->identities;
        for (size_t i = 0; i < ids->n_ranges; i++) {
                NodeRange *nr = &ids->ranges[i];
                if (!nr->dirty)
                        continue;
                sqlite3_stmt *st = event_stmt(s, sql_node_range_set);
                if (!st)
                        return -EIO;
                sqlite3_bind_int64(st, 1, nr->node_id);
                sqlite3_bind_int64(st, 2, nr->first);
                sqlite3_bind_int64(st, 3, nr->last);
                int r = store_step_done(st);
                if (r < 0)
                        return r;
                nr->dirty = false;
        }
        return 0;
}

static int node_range(Store *s, int64_t node_id, NodeRange **ret) {
        Identities *ids = &writer(s)->identities;
        if ((*ret = identities_range(ids, node_id)))
                return 0;
        sqlite3_stmt *st = event_stmt(s, sql_node_range_get);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, node_id);
        usec_t first = USEC_INVALID, last = USEC_INVALID;
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
                first = sqlite3_column_int64(st, 0);
                last = sqlite3_column_int64(st, 1);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                return store_errno(rc);
        return identities_add_range(ids, node_id, first, last, ret);
}

/* The node's stored events of that second, read once while the ingest stays in that second. */
static int load_second(Store *s, int64_t node_id, int64_t second) {
        Identities *ids = &writer(s)->identities;
        if (identities_loaded(ids, second, node_id))
                return 0;
        int r = pending_flush(s);
        if (r < 0)
                return r;
        sqlite3_stmt *st = event_stmt(s, sql_events_of_second);
        if (!st)
                return -EIO;
        sqlite3_bind_int64(st, 1, node_id);
        sqlite3_bind_int64(st, 2, second);
        int rc;
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW)
                if (sqlite3_column_int64(st, 1) / USEC_PER_SEC == second)
                        r = identities_add(ids, &(KnownEvent){ .id = sqlite3_column_int64(st, 0),
                                                               .ts_prec = sqlite3_column_int64(st, 2),
                                                               .dedup = sqlite3_column_int64(st, 3) });
        sqlite3_reset(st);
        if (r < 0)
                return r;
        if (rc != SQLITE_DONE)
                return store_errno(rc);
        return identities_mark_loaded(ids, node_id);
}

/* The event is new, and its second is known from now on: loaded before, or (outside the node's
 * range) known to hold nothing else, so the next events of the second need no lookup. */
static int event_insert(Store *s, const StoredEvent *e, bool text, NodeRange *nr, bool loaded) {
        Identities *ids = &writer(s)->identities;
        int r = pending_add(s, e, text);
        if (r < 0)
                return r;
        node_range_widen(nr, e->ts);
        if (!loaded && !identities_loaded(ids, e->ts / USEC_PER_SEC, e->node_id))
                r = identities_mark_loaded(ids, e->node_id);
        if (r >= 0)
                r = identities_add(ids, &(KnownEvent){ .dedup = e->dedup, .ts_prec = e->ts_prec,
                                                       .id = writer(s)->last_event_id });
        return r < 0 ? r : EVENT_ADDED;
}

static int event_refine(Store *s, const StoredEvent *e, bool text, KnownEvent *known, NodeRange *nr) {
        int r = pending_flush(s);
        if (r < 0)
                return r;
        sqlite3_stmt *st = event_stmt(s, sql_event_refine);
        if (!st)
                return -EIO;
        bind_event(st, 0, e, text, known->id);
        r = store_step_done(st);
        if (r < 0)
                return r;
        known->ts_prec = e->ts_prec;
        node_range_widen(nr, e->ts);
        return EVENT_REFINED;
}

/* An event is already stored when one of its node in the same second has its dedup key. Logs
 * mostly arrive newer than anything stored: such events are new without any lookup. */
static int event_add(Store *s, const StoredEvent *e) {
        bool text = utf8_is_clean_text(e->message.p, e->message.n);
        int64_t second = e->ts / USEC_PER_SEC;
        NodeRange *nr;
        int r = node_range(s, e->node_id, &nr);
        if (r < 0)
                return r;
        if (!node_range_covers(nr, second))
                return event_insert(s, e, text, nr, false);
        r = load_second(s, e->node_id, second);
        if (r < 0)
                return r;
        KnownEvent *known = identities_find(&writer(s)->identities, e->dedup);
        if (!known)
                return event_insert(s, e, text, nr, true);
        if (known->ts_prec <= e->ts_prec)
                return EVENT_DUPLICATE;
        return event_refine(s, e, text, known, nr);
}

int store_events_flush(Store *s) {
        int r = pending_flush(s);
        return r < 0 ? r : node_ranges_flush(s);
}

int store_event_add(Store *s, const StoredEvent *e) {
        int r = event_add(s, e);
        /* Outside a transaction nothing would write the event and its node's range later, and
         * another writer may come next: write them now and forget, as a COMMIT would. */
        if (r > 0 && sqlite3_get_autocommit(store_db(s))) {
                int k = store_events_flush(s);
                event_writer_forget(writer(s));
                if (k < 0)
                        r = k;
        }
        return r;
}
