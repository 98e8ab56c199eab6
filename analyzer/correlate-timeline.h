/* correlate-timeline.h: every node's events merged into one timeline on skew-corrected time, the
 * stream behind `cascade timeline`. Per node the store gives the events in time order (by its own
 * clock); the merge takes, again and again, the node whose next event is earliest once that node's
 * measured clock offset (correlate_nodes_and_clocks()) is taken off. Filters pick the events. */
#pragma once

#include "correlate.h"

/* A list of names the user gave (argv strings, not owned); the array is the filter owner's. */
typedef struct TimelineNames {
        const char **v;
        size_t n, alloc;
} TimelineNames;

typedef struct TimelineFilter {
        TimelineNames nodes;   /* events of any of these nodes; none: every node of the analysis */
        TimelineNames kinds;   /* events with a tag of any of these kinds (timeline_kind_matches());
                                * none: any */
        TimelineNames idents;  /* events of any of these syslog identifiers; none: any */
        TimelineNames units;   /* events of any of these systemd units (timeline_unit_matches());
                                * none: any */
        int priority;          /* at most this syslog priority (0..7); -1: any, events without one too */
        int priority_min;      /* at least this one (0..priority): a range err..warning */
        bool by_boot;          /* one boot of each node: boot_id, else the boot_offset-th */
        const char *boot_id;   /* a boot id as stored (32 hex digits, '~' + 16 when inferred) */
        int boot_offset;       /* journalctl's -b: 0 the last boot, -1 the one before; 1 the first */
        pcre2_code *grep;      /* messages that match; NULL: any. Owned: timeline_filter_done() */
        /* Events stored after after_event_id, up to upto_event_id (ids grow as events are added):
         * what -f prints of each batch an ingest adds. */
        int64_t after_event_id, upto_event_id;
} TimelineFilter;

#define TIMELINE_FILTER_INIT \
        { .priority = -1, .priority_min = 0, .by_boot = false, .grep = NULL, .after_event_id = 0, \
          .upto_event_id = INT64_MAX }

/* Add a name to a list: 0 or -ENOMEM. */
int timeline_names_add(TimelineNames *l, const char *name);

/* Compile regex (PCRE2) as f's message filter. On a bad regex -EINVAL with PCRE2's message in
 * reterr_msg and the offset where it went wrong in *reterr_offset. */
int timeline_filter_grep(TimelineFilter *f, const char *regex, char *reterr_msg, size_t msg_size,
                         size_t *reterr_offset);
/* journalctl's -b value into f: a boot id, or an offset (0, -N, +N, N). -EINVAL otherwise. */
int timeline_filter_boot(TimelineFilter *f, const char *s);
/* Frees the regex and the name lists (not their strings). */
void timeline_filter_done(TimelineFilter *f);

/* A syslog priority as the user writes it: 0..7 or emerg..debug. -EINVAL otherwise. */
int timeline_priority_from_string(const char *s);
/* journalctl's -p: one priority P (*ret_min 0, *ret_max P: P or more important) or a range FROM..TO
 * (both included, either order). -EINVAL otherwise. */
int timeline_priority_range_from_string(const char *s, int *ret_min, int *ret_max);
/* Whether the comma-separated tag kinds of an event (NULL: untagged) satisfy a --kind want: the
 * kind itself or a kind under it ("ha" and "ha." both take "ha.fence"); a prefix of any kind when
 * it ends in '*' ("knet*"). NULL want: any. */
bool timeline_kind_matches(const char *kinds, const char *want);
/* Whether an event of systemd unit `unit` and syslog identifier `ident` (either NULL) is of the unit
 * want: "corosync" means "corosync.service" as in journalctl. Events without a unit (all of text
 * sources) match when the identifier is the service's name: "corosync" for "corosync.service". */
bool timeline_unit_matches(const char *unit, const char *ident, const char *want);

/* One event of the timeline. Borrowed: valid until the next timeline_next() or timeline_free(). */
typedef struct TimelineRow {
        usec_t ts;             /* skew-corrected µs: the node's stamp minus its applied offset */
        const char *node;      /* node name, owned by the Analysis */
        int node_index;        /* the node's index in the Analysis (a colour that stays the node's) */
        const char *ident;     /* syslog identifier; NULL when the event has none */
        int64_t pid;           /* -1 when the event has none */
        int priority;          /* 0..7, -1 when the source did not say */
        Slice message;         /* any bytes; p is never NULL */
        const char *kinds;     /* tag kinds, comma-separated, by rule id; NULL when untagged */
        const char *source;    /* source path, with ":LINE" for line-numbered (text) sources */
} TimelineRow;

/* A copy of a row that owns its strings: one block, released with free(). NULL on -ENOMEM. */
TimelineRow *timeline_row_dup(const TimelineRow *row);

typedef struct Timeline Timeline;

/* The nodes of a (correlate_nodes_and_clocks() over the same window), each read from store over
 * [since, until) (USEC_INVALID: open) and corrected by its offset. a, f and store must outlive the
 * timeline, and the timeline must be freed before the store is closed. -ENOENT when a name of
 * f->nodes is no node of a, that name in *reterr_node; -errno when a node's events cannot be
 * queried, that node's name in *reterr_node (the store's message says why). */
int timeline_open(Store *store, const Analysis *a, const TimelineFilter *f, usec_t since, usec_t until,
                  Timeline **ret, const char **reterr_node);
/* The ids of the event and the node stored last (0 when none): they grow as ingest adds events and
 * nodes. 0 or -errno. */
int timeline_last_ids(Store *store, int64_t *ret_event, int64_t *ret_node);
/* 1 and the next event in *ret, 0 at the end. A node whose events cannot be read further ends
 * there (its rows so far stay in the timeline). */
int timeline_next(Timeline *t, TimelineRow *ret);
/* The rest of the timeline copied (timeline_row_dup()), oldest first: every row, or with last > 0
 * the last `last` only, kept in a ring so memory stays bounded by `last` rows. The array and its
 * rows are the caller's (timeline_rows_free()). 0 or -ENOMEM. */
int timeline_collect(Timeline *t, size_t last, TimelineRow ***ret, size_t *ret_n);
void timeline_rows_free(TimelineRow **rows, size_t n);
Timeline *timeline_free(Timeline *t);

/* A boot of a node, as journalctl --list-boots: index 0 the node's last boot, -1 the one before. */
typedef struct TimelineBoot {
        const char *node;      /* owned by the Analysis */
        int index;
        const char *boot_id;   /* borrowed: valid during the callback */
        usec_t first, last;    /* its first and last event, skew-corrected; USEC_INVALID: unknown */
} TimelineBoot;

/* Every boot of the nodes of a (of f->nodes only, when given), node by node, oldest first. Stops at
 * the first callback that returns < 0 and returns that; -errno when the store cannot be read. */
int timeline_boots(Store *store, const Analysis *a, const TimelineFilter *f,
                   int (*each)(const TimelineBoot *b, void *userdata), void *userdata);
DEFINE_TRIVIAL_CLEANUP_FUNC(Timeline *, timeline_free);
