/* correlate-timeline.h: every node's events merged into one timeline on skew-corrected time, the
 * stream behind `cascade timeline`. Per node the store gives the events in time order (by its own
 * clock); the merge takes, again and again, the node whose next event is earliest once that node's
 * measured clock offset (correlate_nodes_and_clocks()) is taken off. Filters pick the events. */
#pragma once

#include "correlate.h"

typedef struct TimelineFilter {
        const char *node;      /* that node's events only; NULL: every node of the analysis */
        const char *kind;      /* events with a tag of this kind; a prefix when it ends in '.' (kept
                                * in the prefix) or '*' (dropped): "corosync.", "knet*"; NULL: any */
        int priority;          /* at most this syslog priority (0..7); -1: any, events without one too */
        pcre2_code *grep;      /* messages that match; NULL: any. Owned: timeline_filter_done() */
} TimelineFilter;

#define TIMELINE_FILTER_INIT { .node = NULL, .kind = NULL, .priority = -1, .grep = NULL }

/* Compile regex (PCRE2) as f's message filter. On a bad regex -EINVAL with PCRE2's message in
 * reterr_msg and the offset where it went wrong in *reterr_offset. */
int timeline_filter_grep(TimelineFilter *f, const char *regex, char *reterr_msg, size_t msg_size,
                         size_t *reterr_offset);
void timeline_filter_done(TimelineFilter *f);

/* A syslog priority as the user writes it: 0..7 or emerg..debug. -EINVAL otherwise. */
int timeline_priority_from_string(const char *s);
/* Whether the comma-separated tag kinds of an event (NULL: untagged) satisfy a --kind want. */
bool timeline_kind_matches(const char *kinds, const char *want);

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

typedef struct Timeline Timeline;

/* The nodes of a (correlate_nodes_and_clocks() over the same window), each read from store over
 * [since, until) (USEC_INVALID: open) and corrected by its offset. a, f and store must outlive the
 * timeline, and the timeline must be freed before the store is closed. -ENOENT when f->node names
 * no node of a; -errno when a node's events cannot be queried, that node's name in *reterr_node
 * (the store's message says why). */
int timeline_open(Store *store, const Analysis *a, const TimelineFilter *f, usec_t since, usec_t until,
                  Timeline **ret, const char **reterr_node);
/* 1 and the next event in *ret, 0 at the end. A node whose events cannot be read further ends
 * there (its rows so far stay in the timeline). */
int timeline_next(Timeline *t, TimelineRow *ret);
Timeline *timeline_free(Timeline *t);
DEFINE_TRIVIAL_CLEANUP_FUNC(Timeline *, timeline_free);
