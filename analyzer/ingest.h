/* ingest.h: sources -> store. Detects each source's format, runs its reader, gives every event a
 * node, a boot and an identity (dedup key), and writes it in batches with the source's resume point
 * in the same transaction, so a killed ingest rerun ends with exactly the source's events. */
#pragma once

#include "store.h"

struct TagContext;

typedef enum SourceFormat {
        FORMAT_AUTO,
        FORMAT_JOURNAL,        /* journal files or directories, via sd-journal */
        FORMAT_EXPORT,         /* journalctl -o export */
        FORMAT_JSON,           /* journalctl -o json */
        FORMAT_TEXT,           /* syslog / journalctl short* / RFC 5424 / corosync logfile */
        FORMAT_COROSYNC_CONF,  /* corosync.conf: the nodelist and totem settings */
        _FORMAT_MAX,
        _FORMAT_INVALID = -EINVAL,
} SourceFormat;

SourceFormat source_format_from_string(const char *s);
const char *source_format_to_string(SourceFormat f);

/* Called for problems worth telling the user about (bad lines, corrupt files): the stage itself
 * never prints. path may be a chain name; line 0 means "the whole source". */
typedef void (*IngestDiagFn)(void *userdata, const char *path, uint64_t line, const char *what);

typedef struct IngestOptions {
        const char *node;      /* --node: node name for every event of the sources, NULL = from the logs */
        /* The cluster's node names besides those the store knows (collect's configuration), for
         * entries that claim another node's host name (NULL-terminated; may be NULL). */
        const char *const *cluster_nodes;
        SourceFormat format;   /* --format, FORMAT_AUTO to detect */
        int year;              /* --year, 0 = from the file's mtime */
        usec_t since, until;   /* --since/--until, USEC_INVALID when open */
        bool progress;         /* draw a progress line on stderr (a terminal) */
        struct TagContext *tagger; /* tag new events while storing them; NULL: leave them for retag */
        IngestDiagFn diag;
        void *userdata;
} IngestOptions;

typedef struct NodeStats {
        char *name;            /* owned */
        int64_t node_id;
        uint64_t added;        /* new events */
        uint64_t duplicates;   /* already stored (rerun, or the same event through another source) */
        uint64_t rejected;     /* lines or entries no parser understood (kept in rejected_line) */
        usec_t first, last;    /* time range of the events read for this node */
} NodeStats;

typedef struct IngestStats {
        NodeStats *nodes;
        size_t n_nodes;
        size_t n_nodes_alloc;  /* capacity of nodes */
        uint64_t rejected_unattributed;  /* bad lines before any node was known */
        uint64_t filtered;     /* events outside --since/--until */
        unsigned sources_read; /* files and journal chains read to their end */
} IngestStats;

typedef struct Ingest Ingest;

int ingest_new(Store *store, const IngestOptions *opts, Ingest **ret);
Ingest *ingest_free(Ingest *in);
DEFINE_TRIVIAL_CLEANUP_FUNC(Ingest *, ingest_free);

/* One SOURCE argument: a file, a directory of journals, or "-" for stdin. Problems inside the source
 * (bad lines) are reported through diag and do not fail it; an unreadable or unknown source returns
 * -errno, with what was already stored committed. */
int ingest_path(Ingest *in, const char *path);
/* A host name (_HOSTNAME, a syslog host field) is node name's when it is the name, or the short
 * names of both are the same ("pve1" and "pve1.example.com"). */
bool host_names_same(Slice host, const char *name);

/* A stream from fd (ssh's output in `collect`) stored under source key `key`, every entry under
 * `node` (NULL: the node each entry names; see 012-host-claim.sql): a journal export
 * (FORMAT_EXPORT), whose last __CURSOR is kept with the source and returned in *ret_cursor
 * (malloc'ed, NULL when none) so the next collect asks for what follows; or a corosync.conf
 * (FORMAT_COROSYNC_CONF). */
int ingest_stream(Ingest *in, int fd, SourceFormat fmt, const char *key, const char *display, const char *node,
                  char **ret_cursor);
/* The journal cursor last stored for source key (1 and *ret malloc'ed), or 0 when none. */
int ingest_source_cursor(Ingest *in, const char *key, char **ret);

/* This machine's journal (/var/log/journal and /run/log/journal). */
int ingest_local(Ingest *in);

const IngestStats *ingest_stats(const Ingest *in);
