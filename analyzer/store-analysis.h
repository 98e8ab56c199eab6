/* store-analysis.h: analysis results kept in the store (schema/005-analysis.sql and
 * 011-incident-history.sql): the history of incidents, boots and membership behind the incidents,
 * boots and membership views, the notification state of every incident per hook, and where the
 * next scan's window starts. */
#pragma once

#include "correlate.h"

/* Keep analysis a, found at wall-clock time now, in one transaction (-EROFS on a store opened
 * read-only): what it found replaces what the store holds for its window (a->since .. a->until;
 * an open end reaches to the first or last event), the rest of the history stays. An incident
 * takes over the id, report and notification state of every stored incident whose span overlaps
 * its own (STORE_INCIDENT_SLACK either way); a stored incident wholly inside the window and not
 * found again is removed. ret_ids (room for a->n_incidents, may be NULL) receives each incident's
 * id. schema/011 says what boots and membership keep. */
int store_analysis_save(Store *s, const Analysis *a, usec_t now, int64_t *ret_ids);

/* How far apart two incident spans may lie and still be one incident: a start that one window
 * puts at 08:09:59 and the next at 08:10:01 (its first event moved) is the same incident. */
#define STORE_INCIDENT_SLACK USEC_PER_MINUTE

/* One incident as the JSON object report_json() writes for it (malloc'ed). */
int analysis_incident_json(const Analysis *a, const Incident *inc, char **ret);

/* The root cause's node name, "" when the root cause names none (static or owned by a). */
const char *incident_root_node(const Analysis *a, const Incident *inc);

/* ---- notifications: one state per incident and hook ---- */

/* The hook that writes an incident's Markdown report; an --exec command's hook is "exec CMD". */
#define NOTIFY_HOOK_REPORT "report"
/* A failed hook is called again by the next scans, up to this many calls in all... */
#define NOTIFY_MAX_ATTEMPTS 5
/* ... and not later than this after its first call (a notification a week late is noise). The
 * incidents view's text names NOTIFY_MAX_ATTEMPTS too: test-store checks that they agree. */
#define NOTIFY_RETRY_FOR (7 * USEC_PER_DAY)

typedef enum NotifyState {
        NOTIFY_NEW,            /* never called for this incident */
        NOTIFY_PENDING,        /* called, failed (or interrupted): the next scan calls it again */
        NOTIFY_SENT,           /* succeeded: never called again */
        NOTIFY_FAILED,         /* failed NOTIFY_MAX_ATTEMPTS times, or for NOTIFY_RETRY_FOR: given up */
        _NOTIFY_STATE_MAX,
} NotifyState;

int store_notify_state(Store *s, int64_t incident, const char *hook, NotifyState *ret);
/* A call of hook for incident starts at now. It is counted (and shown as interrupted) before it
 * runs: a scan killed while the hook runs leaves it pending, and the next scan calls it again. */
int store_notify_begin(Store *s, int64_t incident, const char *hook, usec_t now);
/* The call ended: error NULL when it succeeded, else why it failed ("exit status 1"). ret_state
 * (may be NULL): NOTIFY_SENT, NOTIFY_PENDING, or NOTIFY_FAILED when that was the last call allowed. */
int store_notify_end(Store *s, int64_t incident, const char *hook, usec_t now, const char *error, NotifyState *ret_state);
/* The report hook succeeded: the incident's report is path, written at now. */
int store_notify_reported(Store *s, int64_t incident, const char *path, usec_t now);
/* Give up the pending hooks first called NOTIFY_RETRY_FOR or more before now: how many, or -errno. */
int store_notify_expire(Store *s, usec_t now);

/* A hook to call again, with what it needs of its incident. */
typedef struct PendingNotify {
        int64_t incident;      /* analysis_incident.id */
        char *hook;            /* owned */
        int attempts;          /* calls so far */
        usec_t start, end;     /* the incident's span, µs UTC corrected */
        char *report_path;     /* owned; NULL while the report itself is pending */
} PendingNotify;

/* The pending hooks last called before `before` (so not those this scan called already), by
 * incident, its report first. *ret is freed with pending_notify_free_many(). */
int store_notify_pending(Store *s, usec_t before, PendingNotify **ret, size_t *ret_n);
void pending_notify_free_many(PendingNotify *p, size_t n);

typedef struct NotifyCounts {
        int64_t reported;      /* incidents whose report scan wrote */
        int64_t pending;       /* hooks to be called again */
        int64_t failed;        /* hooks given up */
} NotifyCounts;

int store_notify_counts(Store *s, NotifyCounts *ret);

/* ---- the scan's window ---- */

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
