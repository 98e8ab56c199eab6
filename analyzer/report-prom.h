/* report-prom.h: the metrics of `cascade scan --metrics FILE`, in the Prometheus text exposition
 * format that node-exporter's textfile collector reads. Metric names, labels and help texts are an
 * interface (dashboards and alerts use them): change them only with the documentation. */
#pragma once

#include "correlate.h"
#include "strbuf.h"

typedef struct ScanMetrics {
        unsigned incidents_new; /* incidents this scan reported */
        usec_t started;        /* when this scan started, wall clock, µs since the epoch */
        int exit_status;       /* the scan's exit status so far, before the metrics are written */
        unsigned notify_failures; /* hook calls (report, --exec) that failed in this scan */
        const char *cluster;   /* --cluster: every sample's cluster="NAME"; NULL: no such label */
        const char *db_path;   /* the database file, for its size */
} ScanMetrics;

/* Append the metrics of scan m over analysis a (the scan's window) to out; the counts over the
 * whole database (incidents ever reported, events per node) come from store. -errno when the store
 * cannot be read; an allocation failure stays in out (strbuf_error()) for the caller. */
int report_prometheus(Store *store, const Analysis *a, const ScanMetrics *m, StrBuf *out);
