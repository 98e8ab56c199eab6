/* report-prom.c: scan's metrics as Prometheus text exposition (report-prom.h). Only counts, times,
 * classifications and node names: the file is read by another user (node-exporter), no log text. */
#include "report-prom.h"
#include "store-analysis.h"

/* Label values escape backslash, double quote and line feed; the rest is taken as is. */
static void prom_label(StrBuf *out, const char *v) {
        for (const char *p = v; *p; p++)
                if (*p == '\\')
                        strbuf_addstr(out, "\\\\");
                else if (*p == '"')
                        strbuf_addstr(out, "\\\"");
                else if (*p == '\n')
                        strbuf_addstr(out, "\\n");
                else
                        strbuf_addch(out, *p);
}

static void metric_head(StrBuf *out, const char *name, const char *type, const char *help) {
        strbuf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void on_node_count(void *userdata, const char *node, int64_t n) {
        StrBuf *out = userdata;
        strbuf_addstr(out, "cascade_node_events_total{node=\"");
        prom_label(out, node);
        strbuf_addf(out, "\"} %" PRId64 "\n", n);
}

static void metrics_incidents(StrBuf *out, const Analysis *a) {
        metric_head(out, "cascade_incident_degraded_seconds", "gauge",
                    "Seconds the cluster was degraded, per incident of the last scan's window");
        double sum = 0;
        for (size_t i = 0; i < a->n_incidents; i++) {
                const Incident *inc = &a->incidents[i];
                char start[RFC3339_MAX];
                strbuf_addf(out, "cascade_incident_degraded_seconds{id=\"%d\",start=\"%s\",classification=\"",
                            inc->id, time_format_rfc3339(inc->start, start));
                prom_label(out, classification_to_string(inc->classification));
                strbuf_addstr(out, "\",root_node=\"");
                prom_label(out, incident_root_node(a, inc));
                strbuf_addf(out, "\"} %.3f\n", inc->degraded_seconds);
                sum += inc->degraded_seconds;
        }
        metric_head(out, "cascade_degraded_seconds", "gauge", "Seconds degraded, summed over the last scan's window");
        strbuf_addf(out, "cascade_degraded_seconds %.3f\n", sum);
        metric_head(out, "cascade_incidents_window", "gauge", "Incidents found in the last scan's window");
        strbuf_addf(out, "cascade_incidents_window %zu\n", a->n_incidents);
}

int report_prometheus(Store *store, const Analysis *a, const ScanMetrics *m, StrBuf *out) {
        int64_t total = 0;
        int r = store_scan_count_reported(store, &total);
        if (r < 0)
                return r;
        metric_head(out, "cascade_incidents_total", "counter", "Incidents reported by scans of this database");
        strbuf_addf(out, "cascade_incidents_total %" PRId64 "\n", total);
        metric_head(out, "cascade_incidents_new", "gauge", "Incidents reported by the last scan");
        strbuf_addf(out, "cascade_incidents_new %u\n", m->incidents_new);
        metrics_incidents(out, a);
        metric_head(out, "cascade_last_scan_timestamp_seconds", "gauge", "When the last scan started (Unix time)");
        strbuf_addf(out, "cascade_last_scan_timestamp_seconds %.3f\n", (double) m->started / USEC_PER_SEC);
        metric_head(out, "cascade_last_scan_exit_status", "gauge", "Exit status of the last scan, before the metrics");
        strbuf_addf(out, "cascade_last_scan_exit_status %d\n", m->exit_status);
        metric_head(out, "cascade_node_events_total", "counter", "Events stored per node");
        return store_node_event_counts(store, on_node_count, out);
}
