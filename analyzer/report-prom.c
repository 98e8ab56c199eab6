/* report-prom.c: scan's metrics as Prometheus text exposition (report-prom.h). Only counts, times,
 * classifications and node names: the file is read by another user (node-exporter), no log text.
 * With a cluster name every sample carries it as the label cluster="NAME", so that one
 * node-exporter can serve the metrics of a fleet's scans. */
#include <sys/stat.h>

#include "report-prom.h"
#include "store-analysis.h"
#include "store-status.h"

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

/* A sample's name and the cluster's label; with labels, its '{' stays open for the caller's labels
 * and '}'. The caller then appends " VALUE\n". */
static void sample_open(StrBuf *out, const ScanMetrics *m, const char *name, bool labels) {
        strbuf_addstr(out, name);
        if (m->cluster || labels)
                strbuf_addch(out, '{');
        if (m->cluster) {
                strbuf_addstr(out, "cluster=\"");
                prom_label(out, m->cluster);
                strbuf_addstr(out, labels ? "\"," : "\"}");
        }
}

static void sample(StrBuf *out, const ScanMetrics *m, const char *name) {
        sample_open(out, m, name, false);
}

static void node_sample(StrBuf *out, const ScanMetrics *m, const char *name, const char *node) {
        sample_open(out, m, name, true);
        strbuf_addstr(out, "node=\"");
        prom_label(out, node);
        strbuf_addstr(out, "\"}");
}

typedef struct Sink {
        StrBuf *out;
        const ScanMetrics *m;
} Sink;

static void on_node_count(void *userdata, const char *node, int64_t n) {
        Sink *k = userdata;
        node_sample(k->out, k->m, "cascade_node_events_total", node);
        strbuf_addf(k->out, " %" PRId64 "\n", n);
}

static int on_node_last(void *userdata, const char *node, usec_t last) {
        Sink *k = userdata;
        node_sample(k->out, k->m, "cascade_node_last_event_timestamp_seconds", node);
        strbuf_addf(k->out, " %.3f\n", (double) last / USEC_PER_SEC);
        return 0;
}

static int on_collect_ok(void *userdata, const CollectStatus *c) {
        Sink *k = userdata;
        node_sample(k->out, k->m, "cascade_collect_success", c->node);
        strbuf_addf(k->out, " %d\n", c->last_error == NULL);
        return 0;
}

static int on_collect_last(void *userdata, const CollectStatus *c) {
        Sink *k = userdata;
        if (c->last_success == USEC_INVALID)
                return 0;
        node_sample(k->out, k->m, "cascade_collect_last_success_timestamp_seconds", c->node);
        strbuf_addf(k->out, " %.3f\n", (double) c->last_success / USEC_PER_SEC);
        return 0;
}

static void metrics_incidents(StrBuf *out, const Analysis *a, const ScanMetrics *m) {
        metric_head(out, "cascade_incident_degraded_seconds", "gauge",
                    "Seconds the cluster was degraded, per incident of the last scan's window");
        double sum = 0;
        for (size_t i = 0; i < a->n_incidents; i++) {
                const Incident *inc = &a->incidents[i];
                char start[RFC3339_MAX];
                sample_open(out, m, "cascade_incident_degraded_seconds", true);
                strbuf_addf(out, "id=\"%d\",start=\"%s\",classification=\"", inc->id, time_format_rfc3339(inc->start, start));
                prom_label(out, classification_to_string(inc->classification));
                strbuf_addstr(out, "\",root_node=\"");
                prom_label(out, incident_root_node(a, inc));
                strbuf_addf(out, "\"} %.3f\n", inc->degraded_seconds);
                sum += inc->degraded_seconds;
        }
        metric_head(out, "cascade_degraded_seconds", "gauge", "Seconds degraded, summed over the last scan's window");
        sample(out, m, "cascade_degraded_seconds");
        strbuf_addf(out, " %.3f\n", sum);
        metric_head(out, "cascade_incidents_window", "gauge", "Incidents found in the last scan's window");
        sample(out, m, "cascade_incidents_window");
        strbuf_addf(out, " %zu\n", a->n_incidents);
}

/* No hook label: an --exec command line may hold a token. */
static void metrics_notify(StrBuf *out, const NotifyCounts *n, const ScanMetrics *m) {
        metric_head(out, "cascade_notify_failures", "gauge",
                    "Notification calls (report, --exec) that failed in the last scan");
        sample(out, m, "cascade_notify_failures");
        strbuf_addf(out, " %u\n", m->notify_failures);
        metric_head(out, "cascade_notify_pending", "gauge", "Failed notifications the next scan calls again");
        sample(out, m, "cascade_notify_pending");
        strbuf_addf(out, " %" PRId64 "\n", n->pending);
        metric_head(out, "cascade_notify_given_up", "gauge",
                    "Notifications given up after their last retry (incidents view: failed)");
        sample(out, m, "cascade_notify_given_up");
        strbuf_addf(out, " %" PRId64 "\n", n->failed);
}

/* The database file and its write-ahead log: what the disk holds. */
static int64_t database_bytes(const char *path) {
        struct stat st;
        int64_t bytes = 0;
        char wal[4096];
        if (path && stat(path, &st) == 0)
                bytes += st.st_size;
        if (path && snprintf(wal, sizeof wal, "%s-wal", path) < (int) sizeof wal && stat(wal, &st) == 0)
                bytes += st.st_size;
        return bytes;
}

static int metrics_store(StrBuf *out, Store *store, const ScanMetrics *m) {
        StoreSummary sum;
        int r = store_summary(store, &sum);
        if (r < 0)
                return r;
        metric_head(out, "cascade_database_bytes", "gauge", "Size of the database file and its write-ahead log");
        sample(out, m, "cascade_database_bytes");
        strbuf_addf(out, " %" PRId64 "\n", database_bytes(m->db_path));
        metric_head(out, "cascade_events", "gauge", "Events stored");
        sample(out, m, "cascade_events");
        strbuf_addf(out, " %" PRId64 "\n", sum.events);
        if (sum.oldest != USEC_INVALID) {
                metric_head(out, "cascade_oldest_event_timestamp_seconds", "gauge", "The earliest stored event (Unix time)");
                sample(out, m, "cascade_oldest_event_timestamp_seconds");
                strbuf_addf(out, " %.3f\n", (double) sum.oldest / USEC_PER_SEC);
        }
        Sink k = { out, m };
        metric_head(out, "cascade_node_last_event_timestamp_seconds", "gauge",
                    "Each node's latest stored event, by its clock (Unix time)");
        r = store_node_last_events(store, on_node_last, &k);
        if (r < 0)
                return r;
        metric_head(out, "cascade_collect_success", "gauge", "1 when the node's last collect stored its journal");
        r = store_collect_status_each(store, on_collect_ok, &k);
        if (r < 0)
                return r;
        metric_head(out, "cascade_collect_last_success_timestamp_seconds", "gauge",
                    "When the node's journal was last collected (Unix time)");
        return store_collect_status_each(store, on_collect_last, &k);
}

int report_prometheus(Store *store, const Analysis *a, const ScanMetrics *m, StrBuf *out) {
        NotifyCounts n;
        int r = store_notify_counts(store, &n);
        if (r < 0)
                return r;
        metric_head(out, "cascade_incidents_total", "counter", "Incidents reported by scans of this database");
        sample(out, m, "cascade_incidents_total");
        strbuf_addf(out, " %" PRId64 "\n", n.reported);
        metric_head(out, "cascade_incidents_new", "gauge", "Incidents reported by the last scan");
        sample(out, m, "cascade_incidents_new");
        strbuf_addf(out, " %u\n", m->incidents_new);
        metrics_notify(out, &n, m);
        metrics_incidents(out, a, m);
        metric_head(out, "cascade_last_scan_timestamp_seconds", "gauge", "When the last scan started (Unix time)");
        sample(out, m, "cascade_last_scan_timestamp_seconds");
        strbuf_addf(out, " %.3f\n", (double) m->started / USEC_PER_SEC);
        metric_head(out, "cascade_last_scan_exit_status", "gauge", "Exit status of the last scan, before the metrics");
        sample(out, m, "cascade_last_scan_exit_status");
        strbuf_addf(out, " %d\n", m->exit_status);
        r = metrics_store(out, store, m);
        if (r < 0)
                return r;
        metric_head(out, "cascade_node_events_total", "counter", "Events stored per node");
        Sink k = { out, m };
        return store_node_event_counts(store, on_node_count, &k);
}
