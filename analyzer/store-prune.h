/* store-prune.h: retention. What is older than a cut goes: events with their tags and host claims,
 * boots left without events, and the history older than the cut (incidents with their
 * notifications, boots and membership of past analyses). An incident that ends after the cut is
 * kept whole, with the events its analysis reads (an hour before its start), so that its evidence
 * stays citable and it can be analysed again. Sources stay, with their resume points: an ingest
 * after a prune must not read the pruned lines again. */
#pragma once

#include "store.h"

typedef struct PruneCounts {
        usec_t cut;            /* the cut applied: the one asked for, or earlier to keep an incident whole */
        int64_t events, tags, boots, incidents;
        int64_t pages_freed;   /* database pages given back to the disk (incremental vacuum) */
} PruneCounts;

/* Remove what lies before cut (µs UTC by the nodes' clocks), in batches of one transaction each:
 * killed at any point, the store is consistent and a rerun finishes the work. With dry_run nothing
 * is removed and the counts say what would be. 0 or -errno. */
int store_prune(Store *s, usec_t cut, bool dry_run, PruneCounts *ret);
