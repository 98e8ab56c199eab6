/* report.h: turning an Analysis into output: the JSON of `cascade analyze --format json` (binding
 * field names) and the Markdown postmortem of `cascade report` (wording from reports/). Each
 * function appends to out and leaves an allocation failure there (strbuf_error()) for its caller. */
#pragma once

#include "correlate.h"
#include "strbuf.h"

/* {"window": {...}, "incidents": [...]}: every incident, times in UTC. */
void report_json(const Analysis *a, StrBuf *out);

typedef struct ReportJsonOptions {
        int incident;          /* 1-based incident to write, 0 for all (the window stays the analysis') */
        bool in_zone;          /* times in the zone of time_set_zone() with its offset (--tz), not UTC */
} ReportJsonOptions;

/* The same with options; opts NULL is report_json(). */
void report_json_with(const Analysis *a, const ReportJsonOptions *opts, StrBuf *out);

typedef struct ReportOptions {
        int incident;          /* 1-based incident to report, 0 for all */
        const char *tz_name;   /* shown in headings */
        const char *redact_key; /* mask IPs, users and hosts with this key; NULL: no masking */
        const char *cluster;   /* the cluster's name in the heading (scan --cluster); NULL: none */
} ReportOptions;

/* -ENOMEM when the report's data could not be built (nothing is appended then), -EINVAL on a
 * broken template. */
int report_markdown(const Analysis *a, const ReportOptions *opts, StrBuf *out);

/* Where scan writes inc's report in dir: DIR/incident-20251125T080952Z-reboot-cascade.md (its start,
 * UTC, to the second, and its classification). -EINVAL for a start gmtime() cannot show, -ENOMEM. */
int report_markdown_path(const char *dir, const Incident *inc, char **ret);

/* Markdown-safe text: escapes what could start markup, links, images, HTML or table cells, and
 * turns line breaks and control characters into spaces. */
void md_escape(StrBuf *out, const char *s, size_t len);
