/* store-analysis.h: analysis results kept in the store (schema/005-analysis.sql): the derived rows
 * behind the boots, membership and incidents views, and what `cascade scan` already reported. */
#pragma once

#include "correlate.h"

/* Replace every analysis_* row with the analysis a, in one transaction: readers see either the
 * previous analysis or this one. Incidents reported before get their report path back. */
int store_analysis_save(Store *s, const Analysis *a);

/* One incident as the JSON object report_json() writes for it (malloc'ed). */
int analysis_incident_json(const Analysis *a, const Incident *inc, char **ret);

/* The root cause's node name, "" when the root cause names none (static or owned by a). */
const char *incident_root_node(const Analysis *a, const Incident *inc);

/* 1 when scan reported this incident before (same classification and root node, start within a
 * minute of the remembered one), 0 when not. */
int store_scan_is_reported(Store *s, const Analysis *a, const Incident *inc);
/* Remember that inc was reported at wall-clock time now as path, and show it in the incidents view. */
int store_scan_remember(Store *s, const Analysis *a, const Incident *inc, const char *path, usec_t now);
/* Incidents scan ever reported (rows of scan_reported). */
int store_scan_count_reported(Store *s, int64_t *ret);

/* Where the next scan's window starts: meta 'last_scan' (wall clock, µs) and 'last_scan_event' (the
 * largest event id then). 0 and USEC_INVALID / 0 when there was no scan yet. */
int store_scan_last(Store *s, usec_t *ret_time, int64_t *ret_event);
int store_scan_set_last(Store *s, usec_t when, int64_t max_event);
/* The earliest time of the events stored after event id `after`; 0 when there is none. */
int store_events_first_after(Store *s, int64_t after, usec_t *ret);
/* Where the next scan's window starts: overlap before the previous scan, or before the earliest
 * event stored since it (a node whose logs arrive days late), whichever is earlier. 0 and
 * USEC_INVALID (everything) when there was no scan yet. */
int store_scan_window_start(Store *s, usec_t overlap, usec_t *ret);

/* Stored events per node, whole store; cb is called once per node in name order. */
typedef void (*NodeCountFn)(void *userdata, const char *node, int64_t n);
int store_node_event_counts(Store *s, NodeCountFn cb, void *userdata);
