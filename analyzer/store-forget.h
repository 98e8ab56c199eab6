/* store-forget.h: undoing an ingest: what some sources or one node contributed (events and their
 * tags and host claims, boots and sources left without events, a source's resume point and rejected lines, a
 * corosync.conf's nodes and settings) removed in one transaction, so that ingesting the same
 * sources again gives the store it would have had without them. */
#pragma once

#include "store.h"

typedef struct ForgetSelection {
        const int64_t *source_ids; /* events of these sources; none (n_sources 0): of any source */
        size_t n_sources;
        int64_t node_id;       /* events of this node; 0: of any node */
        usec_t since, until;   /* events in [since, until) by the node's clock; USEC_INVALID: open */
} ForgetSelection;

typedef struct ForgetCounts {
        int64_t events, tags, boots, sources, nodes, rejected_lines, conf_rows;
} ForgetCounts;

/* Remove what sel names and count it. A source left without events is removed as a whole (ingesting
 * it again reads it from the start); one that keeps events keeps its resume point (what was
 * forgotten of it does not come back). Boots left without events go too, and nodes but those the
 * stored corosync.conf names. With dry_run
 * the counts are made and everything is rolled back. 0 or -errno (nothing removed). */
int store_forget(Store *s, const ForgetSelection *sel, bool dry_run, ForgetCounts *ret);
