/* report-rows.c: the row output of `cascade query` and `cascade timeline` (one writer, so both
 * verbs quote and escape alike): the aligned table with its sampled column widths, CSV quoted where
 * RFC 4180 needs it, JSON with nested JSON and lists, and the timeline's text line. Each row is
 * built in one scratch buffer and written whole, so memory does not grow with the rows, except the
 * table's first rows, kept to measure the columns. */
#include <csv.h>

#include "json.h"
#include "log.h"
#include "report-rows.h"

/* A table needs its column widths before the first row: they are taken from the first rows. */
#define TABLE_SAMPLE_ROWS 500
#define TABLE_MAX_WIDTH 120
/* Bytes of a cell the table shows (sanitizing may triple them). */
#define TABLE_MAX_CELL 4096

struct RowWriter {
        RowFormat format;
        FILE *file;
        StrBuf *buf;           /* the output when file is NULL */
        StrBuf line;           /* scratch: the row being written */
        const char *const *names;
        const RowType *types;
        size_t n_cols;
        bool first;            /* JSON: no object written yet */
        bool no_header;        /* CSV and the table: no header row */
        /* The table: rows kept sanitized, since log text must not reach a terminal raw. */
        char **cells;          /* n_rows * n_cols strings */
        size_t n_rows, alloc;
        size_t sampled;        /* data rows of this result set so far */
        int *width;
};

/* A row as given: plain cells (typed by the columns), typed cells, or the header's names. */
typedef struct Row {
        const Slice *cells;
        const RowCell *typed;
        const char *const *names;
} Row;

static Slice row_text(Row row, size_t i) {
        return row.typed ? row.typed[i].text : row.cells ? row.cells[i] : SLICE_STR(row.names[i]);
}

/* Write the line out and empty it: 0, or the line's allocation error (then nothing is written). */
static int emit(RowWriter *w) {
        int r = strbuf_error(&w->line);
        if (r >= 0) {
                if (w->file)
                        fwrite(w->line.buf, 1, w->line.len, w->file);
                else
                        strbuf_add(w->buf, w->line.buf, w->line.len);
        }
        strbuf_reset(&w->line);
        return r;
}

int row_writer_new(RowFormat format, FILE *file, StrBuf *buf, RowWriter **ret) {
        RowWriter *w = calloc(1, sizeof *w);
        if (!w)
                return -ENOMEM;
        *w = (RowWriter){ .format = format, .file = file, .buf = buf, .line = STRBUF_INIT, .first = true };
        if (format == ROW_JSON) {
                strbuf_addch(&w->line, '[');
                int r = emit(w);
                if (r < 0)
                        return row_writer_free(w), r;
        }
        *ret = w;
        return 0;
}

void row_writer_set_header(RowWriter *w, bool header) {
        w->no_header = !header;
}

static void table_free_cells(RowWriter *w) {
        for (size_t i = 0; i < w->n_rows * w->n_cols; i++)
                free(w->cells[i]);
        w->n_rows = 0;
}

RowWriter *row_writer_free(RowWriter *w) {
        if (!w)
                return NULL;
        table_free_cells(w);
        free(w->cells);
        free(w->width);
        strbuf_release(&w->line);
        free(w);
        return NULL;
}

static int table_flush(RowWriter *w) {
        int r = 0;
        for (size_t i = 0; i < w->n_rows; i++) {
                for (size_t c = 0; c < w->n_cols; c++)
                        strbuf_addf(&w->line, "%s%-*.*s", c ? "  " : "", c + 1 < w->n_cols ? w->width[c] : 0,
                                    TABLE_MAX_WIDTH * 4, w->cells[i * w->n_cols + c]);
                strbuf_addch(&w->line, '\n');
                int k = emit(w);
                if (r >= 0)
                        r = k;
        }
        table_free_cells(w);
        return r;
}

/* A NULL cell is empty; the widths grow with every row kept, also after the sample. */
static int table_add(RowWriter *w, Row src) {
        /* A row is n_cols cells. */
        if (array_reserve(&w->cells, &w->alloc, w->n_rows + 1, w->n_cols * sizeof *w->cells, 64) < 0)
                return -ENOMEM;
        char **row = w->cells + w->n_rows * w->n_cols;
        for (size_t c = 0; c < w->n_cols; c++) {
                Slice s = row_text(src, c);
                size_t len = s.p ? MIN(s.n, (size_t) TABLE_MAX_CELL) : 0;
                size_t size = len * 3 + 1;
                row[c] = malloc(size);
                if (!row[c]) {
                        for (size_t k = 0; k < c; k++)
                                free(row[k]);
                        return -ENOMEM;
                }
                log_sanitize(s.p ? s.p : "", len, row[c], size);
                int width = (int) MIN(strlen(row[c]), (size_t) TABLE_MAX_WIDTH);
                if (width > w->width[c])
                        w->width[c] = width;
        }
        w->n_rows++;
        return 0;
}

/* RFC 4180 quotes a field holding a separator, a quote or a line break; the empty string is
 * quoted too, to tell it from NULL. Spaces are part of a field either way. */
static bool csv_needs_quotes(Slice s) {
        if (s.n == 0)
                return true;
        for (size_t i = 0; i < s.n; i++)
                if (s.p[i] == ',' || s.p[i] == '"' || s.p[i] == '\r' || s.p[i] == '\n')
                        return true;
        return false;
}

/* Bare when it can be, else through libcsv (quoted, quotes doubled); a NULL cell is no field at
 * all (not ""). */
static void csv_append(StrBuf *sb, Slice s) {
        if (!s.p)
                return;
        if (!csv_needs_quotes(s)) {
                strbuf_add(sb, s.p, s.n);
                return;
        }
        size_t need = csv_write(NULL, 0, s.p, s.n);
        strbuf_grow(sb, need);
        if (strbuf_error(sb) < 0)
                return;
        /* strbuf_grow() made the room; the NUL is put back as strbuf_add() would. */
        csv_write(sb->buf + sb->len, need, s.p, s.n);
        sb->len += need;
        sb->buf[sb->len] = '\0';
}

static void csv_row(RowWriter *w, Row src) {
        for (size_t i = 0; i < w->n_cols; i++) {
                if (i)
                        strbuf_addch(&w->line, ',');
                csv_append(&w->line, row_text(src, i));
        }
        strbuf_addch(&w->line, '\n');
}

/* What comes before a JSON object: the array's separator and indent, or a record separator. */
static const char *json_open(const RowWriter *w) {
        if (w->format == ROW_JSON_LINES)
                return "{";
        if (w->format == ROW_JSON_SEQ)
                return "\x1e{";
        return w->first ? "\n  {" : ",\n  {";
}

/* "a,b" as ["a","b"]; empty words are dropped, so "" and NULL are []. */
static void json_list(StrBuf *sb, Slice s) {
        strbuf_addch(sb, '[');
        bool first = true;
        for (size_t i = 0; s.p && i < s.n;) {
                const char *comma = memchr(s.p + i, ',', s.n - i);
                size_t end = comma ? (size_t) (comma - s.p) : s.n;
                if (end > i) {
                        if (!first)
                                strbuf_addch(sb, ',');
                        json_append_string(sb, s.p + i, end - i);
                        first = false;
                }
                i = end + 1;
        }
        strbuf_addch(sb, ']');
}

static void json_value(StrBuf *sb, RowCell c) {
        if (c.type == ROW_LIST)
                json_list(sb, c.text);
        else if (!c.text.p || (c.type == ROW_INTEGER && c.text.n == 0))
                strbuf_addstr(sb, "null");
        else if (c.type == ROW_INTEGER)
                strbuf_add(sb, c.text.p, c.text.n);
        else if (c.type == ROW_REAL)
                strbuf_addf(sb, "%.17g", c.real);
        else if (c.type == ROW_JSON_VALUE && json_is_valid(c.text.p, c.text.n))
                json_append_compact(sb, c.text.p, c.text.n);
        else
                json_append_string(sb, c.text.p, c.text.n);
}

static void json_row(RowWriter *w, Row src) {
        StrBuf *sb = &w->line;
        strbuf_addstr(sb, json_open(w));
        for (size_t i = 0; i < w->n_cols; i++) {
                RowCell c = src.typed ? src.typed[i] : (RowCell){ .text = src.cells[i], .type = w->types ? w->types[i] : ROW_TEXT };
                if (i)
                        strbuf_addch(sb, ',');
                json_append_string(sb, w->names[i], strlen(w->names[i]));
                strbuf_addch(sb, ':');
                json_value(sb, c);
        }
        strbuf_addstr(sb, w->format == ROW_JSON ? "}" : "}\n");
}

int row_writer_columns(RowWriter *w, const char *const names[], size_t n, const RowType types[]) {
        int r = 0;
        if (w->format == ROW_TABLE)
                r = table_flush(w);
        w->names = names;
        w->types = types;
        w->n_cols = n;
        w->sampled = 0;
        if (r < 0)
                return r;
        /* JSON has no header: every object names its keys. */
        if (w->format != ROW_CSV && w->format != ROW_TABLE)
                return 0;
        if (n == 0)
                return 0;
        Row header = { .names = names };
        if (w->format == ROW_CSV) {
                if (w->no_header)
                        return 0;
                csv_row(w, header);
                return emit(w);
        }
        free(w->width);
        w->width = calloc(n, sizeof *w->width);
        if (!w->width)
                return -ENOMEM;
        return w->no_header ? 0 : table_add(w, header);
}

static int add(RowWriter *w, Row src) {
        switch (w->format) {
        case ROW_CSV:
                csv_row(w, src);
                return emit(w);
        case ROW_JSON:
        case ROW_JSON_LINES:
        case ROW_JSON_SEQ: {
                json_row(w, src);
                int r = emit(w);
                if (r >= 0)
                        w->first = false;
                return r;
        }
        default: {
                int r = table_add(w, src);
                if (r < 0)
                        return r;
                /* Widths come from the first rows; later rows stream with them. */
                return ++w->sampled >= TABLE_SAMPLE_ROWS ? table_flush(w) : 0;
        }
        }
}

int row_writer_add(RowWriter *w, const Slice cells[]) {
        return add(w, (Row){ .cells = cells });
}

int row_writer_add_cells(RowWriter *w, const RowCell cells[]) {
        return add(w, (Row){ .typed = cells });
}

int row_writer_finish(RowWriter *w) {
        if (w->format == ROW_TABLE)
                return table_flush(w);
        if (w->format == ROW_JSON) {
                strbuf_addstr(&w->line, w->first ? "]\n" : "\n]\n");
                return emit(w);
        }
        return 0;
}

void row_print_timeline_text(FILE *f, const TimelineRow *row, const char *time, bool color) {
        static const char *const node_colors[] = { "\033[36m", "\033[35m", "\033[32m", "\033[34m" };
        /* Node names and identifiers come from the logs too: nothing untrusted reaches a terminal raw. */
        static char safe[8192];
        char node[256], ident[256];
        log_sanitize(row->message.p, row->message.n, safe, sizeof safe);
        log_sanitize(row->node, strlen(row->node), node, sizeof node);
        log_sanitize(row->ident ? row->ident : "-", row->ident ? strlen(row->ident) : 1, ident, sizeof ident);
        char pid[24] = "";
        if (row->pid >= 0)
                snprintf(pid, sizeof pid, "[%lld]", (long long) row->pid);
        int prio = row->priority;
        const char *on = color ? (prio >= 0 && prio <= 3 ? "\033[1;31m" : prio == 4 ? "\033[33m" : "") : "";
        fprintf(f, "%s %s%-12s%s %s%s: %s%s%s", time, color ? node_colors[row->node_index % 4] : "", node,
                color ? "\033[0m" : "", ident, pid, on, safe, color && *on ? "\033[0m" : "");
        if (row->kinds)
                fprintf(f, "  %s[%s]%s", color ? "\033[1m" : "", row->kinds, color ? "\033[0m" : "");
        fputc('\n', f);
}

void row_print_timeline_cat(FILE *f, const TimelineRow *row) {
        static char safe[8192];
        log_sanitize(row->message.p, row->message.n, safe, sizeof safe);
        fprintf(f, "%s\n", safe);
}
