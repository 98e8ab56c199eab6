/* report-chart.h: the Mermaid membership chart of the postmortem (report-chart.c). */
#pragma once

#include "correlate.h"
#include "report-template.h"

/* The buffers of a node's Mermaid label: its gantt section; and a shorter cut, which the chart no
 * longer draws (it was the name in the quorum row's "lost on NAME"), still masked by redact_name(). */
#define GANTT_SECTION_MAX 80
#define GANTT_QUORUM_NODE_MAX 48

/* s reduced to what a Mermaid label may hold ([A-Za-z0-9.-], the rest '_'), cut to size. */
void mermaid_label(const char *s, char *buf, size_t size);

/* The chart's data of inc under d: the list "gantt" of sections (per node with a row, then the
 * cluster's quorum), each with its "bars": label, state (Mermaid tags), start and end; a milestone's
 * end is its start. Bars of one section never overlap. */
void report_chart_fill(const Analysis *a, const Incident *inc, TData *d);
