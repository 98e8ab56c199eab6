/* report-rows.h: the rows `cascade query` and `cascade timeline` print. A RowWriter writes one
 * result set after another as an aligned table (cells sanitized for a terminal), CSV (RFC 4180, a
 * header row per result set), JSON (one array of objects for the whole output), JSON lines (an
 * object per line, as journalctl -o json) or a JSON text sequence (RFC 7464: each object after a
 * 0x1E), to a FILE or a StrBuf; the timeline's coloured text line is here too.
 *
 * The machine formats' contract (README "Output for machines"):
 * - CSV quotes a field only where RFC 4180 needs it: one holding a comma, a double quote, CR or LF;
 *   and the empty string, as "", so that it differs from SQL NULL, which is no field at all. Records
 *   end in LF (as PostgreSQL's CSV and the Unix tools write it; CSV readers take both), so that
 *   n=$(cascade query --no-header ...) is the value itself.
 * - JSON nests what is JSON: a ROW_JSON_VALUE cell that is valid JSON is written as that value
 *   (compacted: a JSON line stays a line); one that is not stays a string. */
#pragma once

#include <stdio.h>

#include "correlate-timeline.h"
#include "strbuf.h"

typedef enum RowFormat {
        ROW_TABLE,
        ROW_CSV,
        ROW_JSON,
        ROW_JSON_LINES,
        ROW_JSON_SEQ,
} RowFormat;

/* How JSON writes a cell; CSV and the table always print its text. */
typedef enum RowType {
        ROW_TEXT,              /* a string */
        ROW_INTEGER,           /* the text bare (it is a number), or null when the text is empty */
        ROW_REAL,              /* RowCell.real with %.17g: SQLite's own text of a real may round it */
        ROW_JSON_VALUE,        /* JSON text (captures, SQL's json()): nested when valid, else a string */
        ROW_LIST,              /* comma-separated words (tag kinds): an array of strings, [] when empty or NULL */
} RowType;

typedef struct RowCell {
        Slice text;            /* p NULL: SQL NULL (no CSV field at all, JSON null, an empty cell) */
        RowType type;
        double real;           /* ROW_REAL only */
} RowCell;

typedef struct RowWriter RowWriter;

/* Write to file, or else append to buf. JSON opens its array here. */
int row_writer_new(RowFormat format, FILE *file, StrBuf *buf, RowWriter **ret);
/* CSV and the table: whether each result set starts with its header row (the default: it does). */
void row_writer_set_header(RowWriter *w, bool header);
/* Start a result set of n columns (ends the previous one): the CSV header row, the table's header.
 * names and types stay valid while its rows are added; types (NULL: all ROW_TEXT) are what
 * row_writer_add() uses. A writer without a header prints nothing for a result set of no rows. */
int row_writer_columns(RowWriter *w, const char *const names[], size_t n, const RowType types[]);
/* One row of n cells, typed by row_writer_columns(). 0 or -ENOMEM. */
int row_writer_add(RowWriter *w, const Slice cells[]);
/* One row of n cells typed one by one (SQLite's types change from row to row). */
int row_writer_add_cells(RowWriter *w, const RowCell cells[]);
/* Print the table's last rows and close the JSON array: 0 or -ENOMEM. */
int row_writer_finish(RowWriter *w);
/* Without finishing: after an error, the output stays as it was. */
RowWriter *row_writer_free(RowWriter *w);
DEFINE_TRIVIAL_CLEANUP_FUNC(RowWriter *, row_writer_free);

/* One event of `cascade timeline` as text: time, node (coloured by node_index), identifier[pid],
 * message (sanitized; red for err and worse, yellow for warning) and its tags. */
void row_print_timeline_text(FILE *f, const TimelineRow *row, const char *time, bool color);
/* Its message only (sanitized), as journalctl -o cat. */
void row_print_timeline_cat(FILE *f, const TimelineRow *row);
