/* ingest.c: the ingest driver, and the storing side of each source. One SourceRun per source: a
 * reading thread (ingest-read.c) parses it while this thread gives each record a node, a boot and
 * an identity, and writes them in batches. A batch only ends where the second changes, so the
 * per-second occurrence numbers inside dedup keys restart cleanly when a killed ingest resumes. */
#include <inttypes.h>
#include <sched.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "hash.h"
#include "ingest-corosync-conf.h"
#include "ingest-export.h"
#include "ingest-journal.h"
#include "ingest-read.h"
#include "ingest-text.h"
#include "ingest.h"
#include "ingest-journal-fields.h"
#include "ingest-stream.h"
#include "store-tag.h"
#include "strbuf.h"
#include "tag.h"

#define BATCH_EVENTS 20000
#define DIAG_PER_SOURCE 5
/* How far a text 'Linux version' line may lie from the journal's start of the same boot
 * (rsyslog stamps kernel ring-buffer lines when it reads them, seconds to minutes late). */
#define BOOT_MATCH_WINDOW (10 * USEC_PER_MINUTE)

static const char *const format_names[_FORMAT_MAX] = {
        [FORMAT_AUTO] = "auto", [FORMAT_JOURNAL] = "journal", [FORMAT_EXPORT] = "export",
        [FORMAT_JSON] = "json", [FORMAT_TEXT] = "text", [FORMAT_COROSYNC_CONF] = "corosync-conf",
};

SourceFormat source_format_from_string(const char *s) {
        for (int i = 0; i < _FORMAT_MAX; i++)
                if (streq(s, format_names[i]))
                        return (SourceFormat) i;
        if (streq(s, "syslog"))
                return FORMAT_TEXT;
        return _FORMAT_INVALID;
}

const char *source_format_to_string(SourceFormat f) {
        return f >= 0 && f < _FORMAT_MAX ? format_names[f] : NULL;
}

/* Occurrences of one identity within the current second of the current source. */
typedef struct OccurrenceTable {
        uint64_t *keys;
        uint32_t *counts;
        uint32_t *stamp;       /* entry valid when stamp == generation: clearing is O(1) */
        size_t cap, used;
        uint32_t generation;
} OccurrenceTable;

typedef struct CachedBoot {
        BootRow row;
        bool dirty;            /* range or start changed since the last flush */
} CachedBoot;

typedef struct NodeRunState {
        ssize_t boot;          /* text sources: index of the node's current boot in boots[], -1 none */
        bool after_mark;       /* the previous event opened a boot at a "-- Reboot --" mark */
} NodeRunState;

typedef struct SourceRun {
        SourceRow row;         /* offset/line/cursor = position after the last processed record */
        size_t cursor_alloc;   /* bytes allocated for row.cursor by set_cursor(); 0 = not by it */
        const char *display;   /* what messages name */
        bool save_resume;      /* false for stdin and with --since/--until */
        bool pending_boot;     /* text: a "-- Reboot --" mark was seen */
        char mark_boot_id[40]; /* text: the id of a "-- Boot <id> --" mark, "" when none */
        unsigned diags;
        int saved_year;        /* the year last written into row.state */
        NodeStats *last_node;  /* where rejected lines of this source are counted */
        const char *node;      /* the node of every entry (--node, collect's node); NULL: each entry's */
        char **cluster;        /* with node: the names an entry may not claim (cluster_names_free()) */
        uint64_t claims;       /* entries that gave another node's host name */
} SourceRun;

struct Ingest {
        Store *store;
        IngestOptions opts;
        IngestStats stats;
        NodeRunState *node_state;      /* parallel to stats.nodes */
        size_t n_node_state_alloc;     /* capacity of node_state */
        CachedBoot *boots;
        size_t n_boots;
        size_t n_boots_alloc;  /* capacity of boots; a rollback empties the cache, keeping it */
        OccurrenceTable occ;
        int64_t bucket;        /* second of the last record, for batch ends and occurrences */
        size_t pending;        /* events in the open transaction */
        int64_t last_event_id; /* the last event added in the open transaction, 0 when none */
        bool in_txn;
        usec_t progress_at;    /* last time the progress line was drawn */
};

static void diag(Ingest *in, SourceRun *run, uint64_t line, const char *fmt, ...) _printf_(4, 5);
static void diag(Ingest *in, SourceRun *run, uint64_t line, const char *fmt, ...) {
        if (!in->opts.diag)
                return;
        if (line > 0 && ++run->diags > DIAG_PER_SOURCE) {
                if (run->diags == DIAG_PER_SOURCE + 1)
                        in->opts.diag(in->opts.userdata, run->display, 0, "more bad lines follow; see the rejected_line table");
                return;
        }
        char buf[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
        in->opts.diag(in->opts.userdata, run->display, line, buf);
}

int ingest_new(Store *store, const IngestOptions *opts, Ingest **ret) {
        Ingest *in = calloc(1, sizeof *in);
        if (!in)
                return -ENOMEM;
        in->store = store;
        in->opts = *opts;
        in->bucket = INT64_MIN;
        /* Without the thread, SQLite checkpoints in this one, as for any other writer. */
        (void) store_background_checkpoints(store, true);
        *ret = in;
        return 0;
}

Ingest *ingest_free(Ingest *in) {
        if (!in)
                return NULL;
        if (in->in_txn)
                store_rollback(in->store);
        /* A failed pass loses nothing: its frames stay in the WAL for the next checkpoint. */
        (void) store_background_checkpoints(in->store, false);
        for (size_t i = 0; i < in->stats.n_nodes; i++)
                free(in->stats.nodes[i].name);
        free(in->stats.nodes);
        free(in->node_state);
        free(in->boots);
        free(in->occ.keys);
        free(in->occ.counts);
        free(in->occ.stamp);
        free(in);
        return NULL;
}

const IngestStats *ingest_stats(const Ingest *in) {
        return &in->stats;
}

/* ---- occurrence numbers ---- */

static void occ_clear(OccurrenceTable *t) {
        t->generation++;
        t->used = 0;
}

static int occ_grow(OccurrenceTable *t) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        uint64_t *keys = calloc(cap, sizeof *keys);
        uint32_t *counts = calloc(cap, sizeof *counts), *stamp = calloc(cap, sizeof *stamp);
        if (!keys || !counts || !stamp) {
                free(keys), free(counts), free(stamp);
                return -ENOMEM;
        }
        for (size_t i = 0; i < t->cap; i++) {
                if (t->stamp[i] != t->generation)
                        continue;
                size_t k = t->keys[i] & (cap - 1);
                while (stamp[k] == t->generation)
                        k = (k + 1) & (cap - 1);
                keys[k] = t->keys[i], counts[k] = t->counts[i], stamp[k] = t->generation;
        }
        free(t->keys), free(t->counts), free(t->stamp);
        t->keys = keys, t->counts = counts, t->stamp = stamp, t->cap = cap;
        return 0;
}

/* 0 for the first time key is seen in this second, 1 for the second time... */
static int occ_next(OccurrenceTable *t, uint64_t key, uint32_t *ret) {
        if (t->generation == 0)
                t->generation = 1;
        if ((t->used + 1) * 2 > t->cap) {
                int r = occ_grow(t);
                if (r < 0)
                        return r;
        }
        size_t k = key & (t->cap - 1);
        while (t->stamp[k] == t->generation && t->keys[k] != key)
                k = (k + 1) & (t->cap - 1);
        if (t->stamp[k] != t->generation) {
                t->stamp[k] = t->generation, t->keys[k] = key, t->counts[k] = 0;
                t->used++;
        }
        *ret = t->counts[k]++;
        return 0;
}

/* ---- nodes and boots ---- */

static int node_lookup(Ingest *in, Slice name, NodeStats **ret, size_t *ret_index) {
        for (size_t i = 0; i < in->stats.n_nodes; i++) {
                NodeStats *n = &in->stats.nodes[i];
                if (strlen(n->name) == name.n && memcmp(n->name, name.p, name.n) == 0) {
                        *ret = n;
                        *ret_index = i;
                        return 0;
                }
        }
        int64_t id;
        int r = store_node_id(in->store, name, &id);
        if (r < 0)
                return r;
        size_t i = in->stats.n_nodes;
        if (array_reserve(&in->stats.nodes, &in->stats.n_nodes_alloc, i + 1, sizeof *in->stats.nodes, 8) < 0 ||
            array_reserve(&in->node_state, &in->n_node_state_alloc, i + 1, sizeof *in->node_state, 8) < 0)
                return -ENOMEM;
        NodeStats *nodes = in->stats.nodes;
        NodeRunState *state = in->node_state;
        nodes[i] = (NodeStats){ .name = slice_strdup(name), .node_id = id, .first = USEC_INVALID,
                                .last = USEC_INVALID };
        if (!nodes[i].name)
                return -ENOMEM;
        state[i] = (NodeRunState){ .boot = -1 };
        in->stats.n_nodes++;
        *ret = &nodes[i];
        *ret_index = i;
        return 0;
}

static int boot_cached(Ingest *in, int64_t node_id, const char *boot_id, bool inferred, ssize_t *ret) {
        for (size_t i = in->n_boots; i-- > 0;)
                if (in->boots[i].row.node_id == node_id && streq(in->boots[i].row.boot_id, boot_id)) {
                        *ret = (ssize_t) i;
                        return 0;
                }
        BootRow row;
        int r = store_boot_get(in->store, node_id, boot_id, inferred, &row);
        if (r < 0)
                return r;
        if (array_reserve(&in->boots, &in->n_boots_alloc, in->n_boots + 1, sizeof *in->boots, 64) < 0)
                return -ENOMEM;
        in->boots[in->n_boots] = (CachedBoot){ .row = row };
        *ret = (ssize_t) in->n_boots++;
        return 0;
}

static void boot_widen(CachedBoot *b, usec_t ts) {
        if (b->row.first_ts == USEC_INVALID || ts < b->row.first_ts)
                b->row.first_ts = ts, b->dirty = true;
        if (b->row.last_ts == USEC_INVALID || ts > b->row.last_ts)
                b->row.last_ts = ts, b->dirty = true;
}

static int boots_flush(Ingest *in) {
        for (size_t i = 0; i < in->n_boots; i++) {
                if (!in->boots[i].dirty)
                        continue;
                int r = store_boot_update_range(in->store, &in->boots[i].row);
                if (r < 0)
                        return r;
                in->boots[i].dirty = false;
        }
        return 0;
}

/* A text source starts a new boot of the node here: a journal boot that began near ts if the
 * journal was ingested, else an inferred one whose id depends only on node and time (reruns agree). */
static int text_new_boot(Ingest *in, SourceRun *run, int64_t node_id, usec_t ts, ssize_t *ret) {
        if (run->mark_boot_id[0])
                return boot_cached(in, node_id, run->mark_boot_id, false, ret);
        BootRow near;
        int r = store_boot_find_near(in->store, node_id, ts, BOOT_MATCH_WINDOW, &near);
        if (r < 0)
                return r;
        if (r > 0)
                return boot_cached(in, node_id, near.boot_id, false, ret);
        char id[40];
        uint64_t h = hash64(&ts, sizeof ts, (uint64_t) node_id);
        snprintf(id, sizeof id, "~%016" PRIx64, h);
        return boot_cached(in, node_id, id, true, ret);
}

static bool is_kernel_banner(const LogRecord *rec) {
        return slice_eq_str(rec->ident, "kernel") && slice_startswith(rec->message, "Linux version ");
}

static int resolve_text_boot(Ingest *in, SourceRun *run, size_t node_index, LogRecord *rec, ssize_t *ret) {
        NodeRunState *ns = &in->node_state[node_index];
        int64_t node_id = in->stats.nodes[node_index].node_id;
        int r = 0;

        bool banner = is_kernel_banner(rec);
        if (run->pending_boot || (banner && !ns->after_mark)) {
                /* "-- Reboot --" followed by the kernel banner is one boot, not two. */
                r = text_new_boot(in, run, node_id, rec->ts, &ns->boot);
                ns->after_mark = run->pending_boot;
                run->pending_boot = false;
                run->mark_boot_id[0] = '\0';
        } else {
                ns->after_mark = false;
                /* Past the end of a journal boot the node rebooted, even if this file (auth.log) has
                 * no kernel banner: look again. */
                if (ns->boot >= 0 && !in->boots[ns->boot].row.inferred && in->boots[ns->boot].row.last_ts != USEC_INVALID &&
                    rec->ts > in->boots[ns->boot].row.last_ts + USEC_PER_SEC)
                        ns->boot = -1;
                if (ns->boot < 0) {
                        BootRow before;
                        r = store_boot_find_before(in->store, node_id, rec->ts, &before);
                        if (r > 0)
                                r = boot_cached(in, node_id, before.boot_id, before.inferred, &ns->boot);
                        else if (r == 0)
                                r = text_new_boot(in, run, node_id, rec->ts, &ns->boot);
                }
        }
        if (r < 0)
                return r;
        /* The printk stamp is the truth for kernel lines: rsyslog stamps them when it reads them. */
        CachedBoot *b = &in->boots[ns->boot];
        if (rec->uptime >= 0 && b->row.start_ts != USEC_INVALID) {
                rec->ts = b->row.start_ts + rec->uptime;
                rec->ts_prec = 1;
        }
        *ret = ns->boot;
        return 0;
}

static int resolve_boot(Ingest *in, SourceRun *run, size_t node_index, LogRecord *rec, ssize_t *ret) {
        if (rec->boot_id.n != 32)
                return resolve_text_boot(in, run, node_index, rec, ret);

        char id[33];
        memcpy(id, rec->boot_id.p, 32);
        id[32] = '\0';
        int r = boot_cached(in, in->stats.nodes[node_index].node_id, id, false, ret);
        if (r < 0)
                return r;
        CachedBoot *b = &in->boots[*ret];
        if (rec->mono >= 0 && b->row.start_ts == USEC_INVALID) {
                b->row.start_ts = rec->ts - rec->mono;
                b->dirty = true;
        }
        return 0;
}

/* ---- transactions ---- */

static int txn_begin(Ingest *in) {
        if (in->in_txn)
                return 0;
        int r = store_begin(in->store);
        if (r < 0)
                return r;
        in->in_txn = true;
        in->pending = 0;
        return 0;
}

static int txn_commit(Ingest *in, SourceRun *run) {
        if (!in->in_txn)
                return 0;
        int r = boots_flush(in);
        if (r >= 0 && in->opts.tagger && in->last_event_id > 0)
                r = tag_mark_upto(in->opts.tagger, in->last_event_id);
        if (r >= 0 && run && run->save_resume)
                r = store_source_save(in->store, &run->row);
        if (r >= 0)
                r = store_commit(in->store);
        if (r < 0) {
                store_rollback(in->store);
                /* The cached ranges may describe rows that were rolled back. */
                in->n_boots = 0;
        }
        in->in_txn = false;
        in->last_event_id = 0;
        return r;
}

/* End the batch before a record of a new second once it is big enough (see the file comment). */
static int batch_boundary(Ingest *in, SourceRun *run, usec_t ts) {
        int64_t bucket = ts >= 0 ? ts / USEC_PER_SEC : (ts - USEC_PER_SEC + 1) / USEC_PER_SEC;
        if (bucket == in->bucket)
                return 0;
        in->bucket = bucket;
        occ_clear(&in->occ);
        if (in->pending < BATCH_EVENTS)
                return 0;
        int r = txn_commit(in, run);
        return r < 0 ? r : txn_begin(in);
}

/* ---- one record ---- */

static void progress(Ingest *in, SourceRun *run, double fraction) {
        if (!in->opts.progress)
                return;
        usec_t now = now_usec();
        if (now - in->progress_at < 200 * USEC_PER_MSEC)
                return;
        in->progress_at = now;
        int width = 30, filled = (int) (fraction * width);
        char bar[32];
        for (int i = 0; i < width; i++)
                bar[i] = i < filled ? '#' : '.';
        bar[width] = '\0';
        const char *name = strrchr(run->display, '/');
        fprintf(stderr, "\r%-32.32s [%s] %3d%%", name ? name + 1 : run->display, bar, (int) (fraction * 100));
        fflush(stderr);
}

static void progress_clear(Ingest *in) {
        if (in->opts.progress && in->progress_at) {
                fprintf(stderr, "\r%72s\r", "");
                fflush(stderr);
                in->progress_at = 0;
        }
}

/* The identity leaves the pid out on purpose: the two copies of one event disagree on it (the
 * journal has _PID for every line, a syslog line written without LOG_PID has no "[pid]"), while
 * two processes logging the same line in the same second are still kept apart by the
 * occurrence number that follows. */
static uint64_t identity_of(int64_t node_id, int64_t bucket, const LogRecord *rec) {
        Slice msg = slice_trim(rec->message);
        Hasher hs;
        hasher_init(&hs, 0x636173636164ULL);
        hasher_add_u64(&hs, (uint64_t) node_id);
        hasher_add_u64(&hs, (uint64_t) bucket);
        hasher_add(&hs, rec->ident.p, rec->ident.n);
        hasher_add(&hs, msg.p, msg.n);
        return hasher_final(&hs);
}

/* The reading thread's matches on a new event, or the library run here on one it left unmatched. */
static int tag_new_event(Ingest *in, const LogRecord *rec, const QueuedItem *it) {
        TagContext *tc = in->opts.tagger;
        if (!tc)
                return 0;
        if (!it->matched)
                return tag_event(tc, in->last_event_id, rec->ident, rec->message);
        for (size_t i = 0; i < it->n_hits; i++) {
                int r = tag_store_hit(tc, in->last_event_id, it->hits[i].rule, it->hits[i].captures_json);
                if (r < 0)
                        return r;
        }
        return 0;
}

bool host_names_same(Slice host, const char *name) {
        size_t n = strlen(name), short_host = host.n, short_name = n;
        const char *dot = host.n > 0 ? memchr(host.p, '.', host.n) : NULL;
        if (dot)
                short_host = (size_t) (dot - host.p);
        if ((dot = strchr(name, '.')))
                short_name = (size_t) (dot - name);
        return (host.n == n && memcmp(host.p, name, n) == 0) ||
               (short_host == short_name && short_host > 0 && memcmp(host.p, name, short_host) == 0);
}

static bool names_contain(const char *const *names, Slice host) {
        for (const char *const *s = names; s && *s; s++)
                if (host_names_same(host, *s))
                        return true;
        return false;
}

/* An entry of a fixed node's source whose host name is another node of the cluster's. */
static bool claims_other_node(const Ingest *in, const SourceRun *run, Slice host) {
        if (!run->node || host.n == 0 || host_names_same(host, run->node))
                return false;
        return names_contain((const char *const *) run->cluster, host) || names_contain(in->opts.cluster_nodes, host);
}

static int add_record(Ingest *in, SourceRun *run, LogRecord *rec, const QueuedItem *it) {
        if (rec->kind == RECORD_SKIP)
                return 0;
        if (rec->kind == RECORD_BOOT_MARK) {
                run->pending_boot = true;
                snprintf(run->mark_boot_id, sizeof run->mark_boot_id, "%.*s",
                         (int) MIN(rec->boot_id.n, (size_t) 32), rec->boot_id.p ? rec->boot_id.p : "");
                return 0;
        }

        Slice node_name = run->node ? SLICE_STR(run->node) : rec->node;
        if (node_name.n == 0)
                return -ENXIO;
        NodeStats *node;
        size_t node_index;
        int r = node_lookup(in, node_name, &node, &node_index);
        if (r < 0)
                return r;
        run->last_node = node;

        ssize_t boot;
        r = resolve_boot(in, run, node_index, rec, &boot);
        if (r < 0)
                return r;
        if ((in->opts.since != USEC_INVALID && rec->ts < in->opts.since) ||
            (in->opts.until != USEC_INVALID && rec->ts >= in->opts.until)) {
                in->stats.filtered++;
                return 0;
        }
        r = batch_boundary(in, run, rec->ts);
        if (r < 0)
                return r;

        int64_t bucket = in->bucket;
        uint64_t h = identity_of(node->node_id, bucket, rec);
        uint32_t occurrence;
        r = occ_next(&in->occ, h, &occurrence);
        if (r < 0)
                return r;
        Hasher hs;
        hasher_init(&hs, h);
        hasher_add_u64(&hs, occurrence);

        char cursor[JOURNAL_CURSOR_COMPACT_MAX];
        StoredEvent e = {
                .node_id = node->node_id, .ts = rec->ts, .ts_prec = rec->ts_prec, .mono = rec->mono,
                .boot = in->boots[boot].row.id, .ident = rec->ident, .pid = rec->pid,
                .priority = rec->priority, .unit = rec->unit, .message = rec->message,
                .source_id = run->row.id, .line = rec->line,
                .cursor = journal_cursor_compact(rec->cursor, rec->boot_id, rec->mono, rec->ts, cursor),
                .dedup = (int64_t) hasher_final(&hs),
        };
        r = store_event_add(in->store, &e);
        if (r < 0)
                return r;
        /* A duplicate stays in the boot of its first copy: only new or refined events widen one. */
        if (r != EVENT_DUPLICATE)
                boot_widen(&in->boots[boot], rec->ts);
        if (r == EVENT_ADDED) {
                node->added++;
                in->last_event_id = store_last_event_id(in->store);
                r = tag_new_event(in, rec, it);
                if (r >= 0 && claims_other_node(in, run, rec->node)) {
                        run->claims++;
                        r = store_host_claim_add(in->store, in->last_event_id, rec->node);
                }
                if (r < 0)
                        return r;
        } else
                node->duplicates++;
        in->pending++;
        if (node->first == USEC_INVALID || rec->ts < node->first)
                node->first = rec->ts;
        if (node->last == USEC_INVALID || rec->ts > node->last)
                node->last = rec->ts;
        return 0;
}

static int reject_line(Ingest *in, SourceRun *run, uint64_t line, const char *reason, Slice raw) {
        int r = store_rejected_add(in->store, run->row.id, line, reason, raw);
        if (r < 0)
                return r;
        if (run->last_node)
                run->last_node->rejected++;
        else
                in->stats.rejected_unattributed++;
        diag(in, run, line, "%s", reason);
        return 0;
}

/* row.cursor = c. Every journal entry moves it: its buffer is reused, not allocated per entry. */
static int set_cursor(SourceRun *run, Slice c) {
        if (!run->row.cursor || run->cursor_alloc <= c.n) {
                size_t n = MAX(c.n + 1, (size_t) 256);
                char *p = malloc(n);
                if (!p)
                        return -ENOMEM;
                free(run->row.cursor);
                run->row.cursor = p;
                run->cursor_alloc = n;
        }
        memcpy(run->row.cursor, c.p, c.n);
        run->row.cursor[c.n] = '\0';
        return 0;
}

/* One item from the reading thread; then the source stands at the item's resume point. */
static int store_item(Ingest *in, SourceRun *run, const QueuedItem *it) {
        int r = 0;
        if (it->kind == QUEUED_DIAG) {
                diag(in, run, it->line, "%s", it->text);
                return 0;
        }
        if (it->kind == QUEUED_REJECT)
                r = reject_line(in, run, it->line, it->text, it->raw);
        else {
                LogRecord rec = it->rec;   /* a kernel line's time may move to its printk stamp */
                r = add_record(in, run, &rec, it);
                /* A record the driver could not place (no node name): kept as a rejected line. */
                if (r == -ENXIO)
                        r = reject_line(in, run, rec.line, "no host name in the line; give --node", it->raw);
                /* The journal's or the export stream's own cursor: where the next read goes on. */
                if (r >= 0 && rec.cursor.n > 0)
                        r = set_cursor(run, rec.cursor);
        }
        if (r < 0)
                return r;
        run->row.offset = it->resume.offset;
        run->row.line = it->resume.line;
        /* Remember the year a --year run reached, so a later run without --year resumes consistently. */
        if (it->resume.year > 0 && it->resume.year != run->saved_year) {
                run->saved_year = it->resume.year;
                free(run->row.state);
                if (asprintf(&run->row.state, "year=%d", it->resume.year) < 0)
                        run->row.state = NULL;
        }
        if (it->progress >= 0)
                progress(in, run, it->progress);
        return 0;
}

/* Threads that match the pattern library besides the reader and this one: the CPUs this process
 * may run on (sched_getaffinity, so taskset counts) less those two, at most INGEST_TAG_THREADS_MAX
 * (each holds a batch: memory; and the single storer caps what more matching could bring). On 2 CPUs none: the reader
 * matches when the storer is behind, the storer when the reader is. CASCADE_TAG_THREADS=N
 * overrides (benchmarks). */
static size_t tag_threads(void) {
        const char *e = getenv("CASCADE_TAG_THREADS");
        long n = -1;
        if (e && *e) {
                char *end;
                n = strtol(e, &end, 10);
                if (*end || n < 0)
                        n = -1;
        }
        if (n < 0) {
                cpu_set_t set;
                n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) - 2 : 0;
        }
        return n <= 0 ? 0 : (size_t) MIN(n, (long) INGEST_TAG_THREADS_MAX);
}

/* The reading thread reads and parses the source (and tagging threads match it) while this one
 * stores what it queues. */
static int read_and_store(Ingest *in, SourceRun *run, ReadJob *job) {
        IngestQueue *q;
        int r = ingest_queue_start_tagging(ingest_read, job, in->opts.tagger, in->opts.tagger ? tag_threads() : 0, &q);
        if (r < 0)
                return r;
        const QueuedItem *it;
        while ((r = ingest_queue_next(q, &it)) > 0 && (r = store_item(in, run, it)) >= 0)
                ;
        return ingest_queue_finish(q, r);
}

/* The year stored with the resume point of a text source ("year=YYYY"), 0 when none. */
static int stored_year(const SourceRun *run) {
        int year = 0;
        if (!run->row.state || sscanf(run->row.state, "year=%d", &year) != 1)
                return 0;
        return year;
}

/* ---- sources ---- */

/* A source whose entries all go to `node` (NULL: each to its own). */
static int source_begin(Ingest *in, SourceRun *run, const char *key, const char *path, SourceFormat fmt,
                        const char *node) {
        *run = (SourceRun){ .display = path, .node = node };
        int r = txn_begin(in);
        if (r < 0)
                return r;
        if (node && (r = store_cluster_names(in->store, &run->cluster)) < 0)
                return r;
        r = store_source_get(in->store, key, path, source_format_to_string(fmt), &run->row);
        if (r < 0)
                return r;
        run->save_resume = in->opts.since == USEC_INVALID && in->opts.until == USEC_INVALID;
        in->bucket = INT64_MIN;
        occ_clear(&in->occ);
        for (size_t i = 0; i < in->stats.n_nodes; i++)
                in->node_state[i].boot = -1;
        return 0;
}

static void source_run_done(SourceRun *run) {
        source_row_done(&run->row);
        run->cluster = cluster_names_free(run->cluster);
}

static int source_end(Ingest *in, SourceRun *run, int r) {
        progress_clear(in);
        int k = txn_commit(in, run);
        if (r >= 0 && k < 0)
                r = k;
        if (r >= 0)
                in->stats.sources_read++;
        if (run->claims > 0)
                diag(in, run, 0, "%" PRIu64 " entr%s gave another node's host name: stored under %s all the same "
                     "(see the host_claims view)", run->claims, run->claims == 1 ? "y" : "ies", run->node);
        source_run_done(run);
        return r;
}

/* A source refused whole: nothing of it stays (the transaction holds all of it). Returns r. */
static int source_abort(Ingest *in, SourceRun *run, int r) {
        progress_clear(in);
        store_rollback(in->store);
        in->in_txn = false;
        /* The cached ranges may describe rows that were rolled back. */
        in->n_boots = 0;
        source_run_done(run);
        return r;
}

/* The whole file or nothing: a broken corosync.conf stores none of its rows. Ends the source. */
static int run_corosync_conf(Ingest *in, SourceRun *run, Reader *rd) {
        unsigned line = 0;
        const char *reason = NULL;
        int r = corosync_conf_ingest(in->store, rd, run->row.id, &line, &reason);
        if (r == -EBADMSG) {
                diag(in, run, 0, "line %u: %s; nothing of it stored", line, reason);
                return source_abort(in, run, -EBADMSG);
        }
        return source_end(in, run, r);
}

/* A text file's events, placed against what the store holds when its stamps have no year. */
static int read_text_and_store(Ingest *in, SourceRun *run, ReadJob *job) {
        NodeSpan *spans = NULL;
        size_t n = 0;
        int r = store_node_spans(in->store, &spans, &n);
        if (r < 0)
                return r;
        job->spans = spans;
        job->n_spans = n;
        r = read_and_store(in, run, job);
        job->spans = NULL;
        job->n_spans = 0;
        node_spans_free(spans, n);
        return r;
}

static SourceFormat detect_format(const char *head, size_t n) {
        if (journal_file_looks_like(head, n))
                return FORMAT_JOURNAL;
        size_t i = 0;
        while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r'))
                i++;
        if (i == n)
                return FORMAT_TEXT;    /* nothing but blank lines: an empty log */
        if (head[i] == '{')
                return FORMAT_JSON;
        if (export_looks_like(head, n))
                return FORMAT_EXPORT;
        if (corosync_conf_looks_like(head, n))
                return FORMAT_COROSYNC_CONF;
        /* Text must have a recognisable stamp on one of its first lines. */
        TextParser tp = { .have_year = true };
        year_guess_init_fixed(&tp.year, 2000);
        for (size_t pos = 0, lines = 0; pos < n && lines < 20; lines++) {
                const char *nl = memchr(head + pos, '\n', n - pos);
                size_t len = nl ? (size_t) (nl - head - pos) : n - pos;
                LogRecord rec;
                const char *reason;
                if (text_parse_line(&tp, (Slice){ head + pos, len }, &rec, &reason) > 0 && rec.kind == RECORD_EVENT)
                        return FORMAT_TEXT;
                if (!nl)
                        break;
                pos += len + 1;
        }
        return _FORMAT_INVALID;
}

static int ingest_journal_chains(Ingest *in, JournalChain *chains, size_t n);

static int ingest_file(Ingest *in, const char *path, const struct stat *st) {
        bool is_stdin = streq(path, "-");
        _cleanup_(reader_freep) Reader *rd = NULL;
        int r = reader_open(path, &rd);
        if (r < 0)
                return r;
        const char *head;
        ssize_t n = reader_peek(rd, 4096, &head);
        if (n < 0)
                return (int) n;

        SourceFormat fmt = in->opts.format;
        if (fmt == FORMAT_AUTO)
                fmt = n == 0 ? FORMAT_TEXT : detect_format(head, (size_t) n);
        if (fmt < 0)
                return -EMEDIUMTYPE;
        if (fmt == FORMAT_JOURNAL) {
                if (is_stdin)
                        return -EMEDIUMTYPE;
                JournalChain *chains;
                size_t n_chains;
                r = journal_chain_from_file(path, &chains, &n_chains);
                if (r < 0)
                        return r;
                r = ingest_journal_chains(in, chains, n_chains);
                journal_chains_free(chains, n_chains);
                return r;
        }

        char abs[PATH_MAX], key[PATH_MAX + 16];
        if (is_stdin)
                snprintf(key, sizeof key, "stdin:%s", source_format_to_string(fmt));
        else {
                if (!realpath(path, abs))
                        return -errno;
                snprintf(key, sizeof key, "file:%s", abs);
        }
        SourceRun run;
        ReadJob job = { .opts = &in->opts };
        r = source_begin(in, &run, key, is_stdin ? "-" : abs, fmt, in->opts.node);
        if (r < 0)
                return source_end(in, &run, r);
        run.display = path;
        int64_t node_id = 0;
        if (in->opts.node) {
                NodeStats *node;
                size_t index;
                r = node_lookup(in, SLICE_STR(in->opts.node), &node, &index);
                if (r < 0)
                        return source_end(in, &run, r);
                node_id = node->node_id;
        }
        if (is_stdin)
                run.save_resume = false;
        else {
                usec_t mtime = (usec_t) st->st_mtim.tv_sec * USEC_PER_SEC + st->st_mtim.tv_nsec / 1000;
                bool same_file = run.row.inode == (int64_t) st->st_ino && run.row.dev == (int64_t) st->st_dev;
                bool unchanged = same_file && run.row.size == st->st_size && run.row.mtime == mtime;
                /* Lines read before without this --node (rejected for want of a host name) are read again. */
                bool node_changed = node_id > 0 && run.row.node_id != node_id;
                /* Resume a grown plain file where we stopped; anything else (rotated, truncated,
                 * rewritten .gz) is read again from the start and dedup drops what is known. */
                bool resume = same_file && !node_changed && run.row.offset > 0 &&
                              (reader_is_compressed(rd) ? unchanged : (int64_t) run.row.offset <= st->st_size);
                if (resume && (r = reader_skip_to(rd, run.row.offset)) <= 0) {
                        resume = false;
                        reader_free(TAKE_PTR(rd));
                        r = reader_open(path, &rd);
                        if (r < 0)
                                return source_end(in, &run, r);
                }
                if (!resume) {
                        /* What the row says of the old content no longer holds: its year, its bad lines. */
                        run.row.offset = run.row.line = 0;
                        free(run.row.state);
                        run.row.state = NULL;
                        r = store_rejected_clear(in->store, run.row.id);
                        if (r < 0)
                                return source_end(in, &run, r);
                }
                job.growing = !reader_is_compressed(rd) && now_usec() - mtime < 5 * USEC_PER_MINUTE;
                run.row.dev = (int64_t) st->st_dev;
                run.row.inode = (int64_t) st->st_ino;
                run.row.size = st->st_size;
                run.row.mtime = mtime;
                job.total = (uint64_t) st->st_size;
        }
        if (node_id > 0)
                run.row.node_id = node_id;

        if (fmt == FORMAT_COROSYNC_CONF) {
                /* A configuration is read whole every time: it is small and replaces the last one. */
                reader_free(TAKE_PTR(rd));
                r = reader_open(path, &rd);
                return r < 0 ? source_end(in, &run, r) : run_corosync_conf(in, &run, rd);
        }
        job.format = fmt;
        job.rd = rd;
        job.at = (ResumePoint){ run.row.offset, run.row.line, 0 };
        job.mtime = is_stdin ? now_usec() : run.row.mtime;
        job.stored_year = stored_year(&run);
        r = fmt == FORMAT_TEXT ? read_text_and_store(in, &run, &job) : read_and_store(in, &run, &job);
        if (r == INGEST_YEAR_REFUSED)
                return source_abort(in, &run, r);
        if (r == -EBADMSG)
                diag(in, &run, 0, "compressed stream is corrupt or cut short after %" PRIu64 " bytes; kept what was read",
                     reader_offset(rd));
        return source_end(in, &run, r == -EBADMSG ? 0 : r);
}

/* ---- journal chains ---- */

static int run_journal_chain(Ingest *in, SourceRun *run, const JournalChain *chain) {
        ReadJob job = { .format = FORMAT_JOURNAL, .opts = &in->opts, .chain = chain };
        if (run->row.cursor && !(job.cursor = strdup(run->row.cursor)))
                return -ENOMEM;
        int r = read_and_store(in, run, &job);
        free(job.cursor);
        return r;
}

static int ingest_journal_chains(Ingest *in, JournalChain *chains, size_t n) {
        int first_error = 0;
        for (size_t i = 0; i < n; i++) {
                char key[PATH_MAX * 2], display[PATH_MAX * 2];
                snprintf(key, sizeof key, "journal:%s/%s", chains[i].dir, chains[i].name);
                snprintf(display, sizeof display, "%s/%s*.journal", chains[i].dir, chains[i].name);
                SourceRun run;
                int r = source_begin(in, &run, key, display, FORMAT_JOURNAL, in->opts.node);
                run.display = display;
                if (r >= 0)
                        r = run_journal_chain(in, &run, &chains[i]);
                if (r < 0)
                        diag(in, &run, 0, "cannot read journal: %s; kept what was read before", strerror(-r));
                r = source_end(in, &run, r);
                if (r < 0 && first_error == 0)
                        first_error = r;
        }
        return first_error;
}

static int ingest_journal_dir(Ingest *in, const char *dir, bool must_exist) {
        JournalChain *chains;
        size_t n;
        int r = journal_chains_from_dir(dir, &chains, &n);
        if (r == -ENOENT && !must_exist)
                return 0;
        if (r < 0)
                return r;
        if (n == 0) {
                journal_chains_free(chains, n);
                return must_exist ? -ENOMSG : 0;
        }
        r = ingest_journal_chains(in, chains, n);
        journal_chains_free(chains, n);
        return r;
}

int ingest_path(Ingest *in, const char *path) {
        struct stat st = { 0 };
        if (!streq(path, "-")) {
                if (stat(path, &st) < 0)
                        return -errno;
                if (S_ISDIR(st.st_mode))
                        return ingest_journal_dir(in, path, true);
        }
        return ingest_file(in, path, &st);
}

int ingest_stream(Ingest *in, int fd, SourceFormat fmt, const char *key, const char *display, const char *node,
                  char **ret_cursor) {
        _cleanup_(reader_freep) Reader *rd = NULL;
        char path[64];
        if (fmt != FORMAT_EXPORT && fmt != FORMAT_COROSYNC_CONF)
                return -EINVAL;
        /* The reader opens paths; a pipe or spool file is reachable as its /proc/self/fd entry. */
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        int r = reader_open(path, &rd);
        if (r < 0)
                return r;
        SourceRun run;
        r = source_begin(in, &run, key, display, fmt, node);
        if (r < 0)
                return source_end(in, &run, r);
        run.display = display;
        if (fmt == FORMAT_COROSYNC_CONF)
                return run_corosync_conf(in, &run, rd);
        run.row.offset = run.row.line = 0;     /* a stream is new every time; its cursor is kept */
        ReadJob job = { .format = FORMAT_EXPORT, .opts = &in->opts, .rd = rd };
        r = read_and_store(in, &run, &job);
        if (r >= 0 && ret_cursor && run.row.cursor && !(*ret_cursor = strdup(run.row.cursor)))
                r = -ENOMEM;
        return source_end(in, &run, r);
}

int ingest_source_cursor(Ingest *in, const char *key, char **ret) {
        SourceRow row;
        int r = store_begin(in->store);
        if (r < 0)
                return r;
        r = store_source_get(in->store, key, key, source_format_to_string(FORMAT_EXPORT), &row);
        if (r >= 0) {
                *ret = row.cursor ? strdup(row.cursor) : NULL;
                r = row.cursor && !*ret ? -ENOMEM : row.cursor != NULL;
                source_row_done(&row);
        }
        int k = r >= 0 ? store_commit(in->store) : store_rollback(in->store);
        return r < 0 ? r : k < 0 ? k : r;
}

int ingest_local(Ingest *in) {
        int r = ingest_journal_dir(in, "/var/log/journal", false);
        int k = ingest_journal_dir(in, "/run/log/journal", false);
        return r < 0 ? r : k;
}
