/* store-identity.h: what store.c knows in memory about stored event identities, in place of a
 * unique index: each node's stored time range (outside it an event is new without a lookup), and
 * the identities of the events of one second of the nodes looked up in it. Memory only: store.c
 * fills it from SQL and forgets it at every transaction boundary. */
#pragma once

#include "macro.h"
#include "time-util.h"

typedef struct KnownEvent {
        int64_t dedup;
        int64_t id;
        usec_t ts_prec;
} KnownEvent;

typedef struct NodeRange {
        int64_t node_id;
        usec_t first, last;    /* of the node's stored events; USEC_INVALID when it has none */
        bool dirty;            /* widened since it was read: store.c writes it back before COMMIT */
} NodeRange;

typedef struct Identities {
        NodeRange *ranges;
        size_t n_ranges, cap_ranges;
        int64_t second;        /* the second whose events are known (ts / USEC_PER_SEC, as SQL divides) */
        bool have_second;
        int64_t *nodes;        /* nodes whose events of that second are loaded */
        size_t n_nodes, cap_nodes;
        KnownEvent *slots;     /* open addressing by dedup; id 0 = empty */
        size_t cap, used;
} Identities;

void identities_clear(Identities *ids);
void identities_done(Identities *ids);

/* The node's range when read in this transaction, else NULL. */
NodeRange *identities_range(Identities *ids, int64_t node_id);
int identities_add_range(Identities *ids, int64_t node_id, usec_t first, usec_t last, NodeRange **ret);
/* Could an event of this second already be stored? */
bool node_range_covers(const NodeRange *r, int64_t second);
void node_range_widen(NodeRange *r, usec_t ts);

/* Move to second (forgetting another second's events); true when node's events of it are loaded. */
bool identities_loaded(Identities *ids, int64_t second, int64_t node_id);
int identities_mark_loaded(Identities *ids, int64_t node_id);
int identities_add(Identities *ids, const KnownEvent *e);
KnownEvent *identities_find(Identities *ids, int64_t dedup);
