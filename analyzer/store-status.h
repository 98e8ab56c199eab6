/* store-status.h: what the nightly job reports about the store itself (its metrics): how big it is
 * and what span it holds, each node's last event, and how each node's last collect went. */
#pragma once

#include "store.h"

typedef struct StoreSummary {
        int64_t events;        /* events stored */
        usec_t oldest, newest; /* the earliest and latest stored event (by their nodes' clocks); USEC_INVALID: none */
} StoreSummary;

int store_summary(Store *s, StoreSummary *ret);

/* Each node with events and its latest one (by its clock). Stops at a callback's < 0. */
typedef int (*NodeLastEventFn)(void *userdata, const char *node, usec_t last);
int store_node_last_events(Store *s, NodeLastEventFn cb, void *userdata);

/* The outcome of a node's collect at `at`: error NULL when its journal was stored. */
int store_collect_status_set(Store *s, const char *node, usec_t at, const char *error);

typedef struct CollectStatus {
        const char *node;
        usec_t last_attempt, last_success; /* last_success USEC_INVALID: never */
        const char *last_error; /* NULL: the last attempt succeeded */
} CollectStatus;

/* Every node's collect status, by name. Stops at a callback's < 0. */
typedef int (*CollectStatusFn)(void *userdata, const CollectStatus *status);
int store_collect_status_each(Store *s, CollectStatusFn cb, void *userdata);
