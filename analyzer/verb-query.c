/* verb-query.c: `cascade query SQL`: ad-hoc SQL on a read-only connection, printed as an aligned
 * table (terminal), CSV (RFC 4180 through libcsv) or JSON (an array of objects). */
#include <csv.h>

#include "cli.h"
#include "json.h"
#include "log.h"
#include "strbuf.h"

typedef enum QueryFormat {
        QUERY_TABLE,
        QUERY_CSV,
        QUERY_JSON,
} QueryFormat;

/* A table needs its column widths before the first row: they are taken from the first rows. */
#define TABLE_SAMPLE_ROWS 500
#define TABLE_MAX_WIDTH 120

/* -EIO on a read error; an allocation failure stays in out. */
static int read_all(FILE *f, StrBuf *out) {
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                strbuf_add(out, buf, n);
        return ferror(f) ? -EIO : 0;
}

static const char *cell_text(sqlite3_stmt *st, int i, size_t *ret_len) {
        const char *t = (const char *) sqlite3_column_text(st, i);
        *ret_len = t ? (size_t) sqlite3_column_bytes(st, i) : 0;
        return t;
}

static void print_csv_row(sqlite3_stmt *st, int n, bool header) {
        for (int i = 0; i < n; i++) {
                if (i)
                        fputc(',', stdout);
                size_t len;
                const char *t = header ? sqlite3_column_name(st, i) : cell_text(st, i, &len);
                if (header)
                        len = strlen(t);
                if (t)
                        csv_fwrite(stdout, t, len);
        }
        fputs("\r\n", stdout);
}

static int print_json_row(sqlite3_stmt *st, int n, bool first) {
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, first ? "\n  {" : ",\n  {");
        for (int i = 0; i < n; i++) {
                const char *name = sqlite3_column_name(st, i);
                if (i)
                        strbuf_addch(&sb, ',');
                json_append_string(&sb, name, strlen(name));
                strbuf_addch(&sb, ':');
                switch (sqlite3_column_type(st, i)) {
                case SQLITE_NULL:
                        strbuf_addstr(&sb, "null");
                        break;
                case SQLITE_INTEGER:
                        strbuf_addf(&sb, "%lld", (long long) sqlite3_column_int64(st, i));
                        break;
                case SQLITE_FLOAT:
                        strbuf_addf(&sb, "%.17g", sqlite3_column_double(st, i));
                        break;
                default: {
                        size_t len;
                        const char *t = cell_text(st, i, &len);
                        json_append_string(&sb, t ? t : "", len);
                }
                }
        }
        strbuf_addch(&sb, '}');
        int r = strbuf_error(&sb);
        if (r >= 0)
                fwrite(sb.buf, 1, sb.len, stdout);
        strbuf_release(&sb);
        return r;
}

/* Rows for the table: kept sanitized, since log text must not reach a terminal raw. */
typedef struct TableRows {
        char **cells;          /* n_rows * n_cols sanitized strings */
        size_t n_rows, alloc;
        int n_cols;
        int *width;
} TableRows;

static char *sanitized(const char *t, size_t len) {
        size_t size = MIN(len, (size_t) 4096) * 3 + 1;
        char *s = malloc(size);
        if (s)
                log_sanitize(t ? t : "", t ? MIN(len, (size_t) 4096) : 0, s, size);
        return s;
}

static void table_flush(TableRows *t) {
        for (size_t r = 0; r < t->n_rows; r++) {
                for (int c = 0; c < t->n_cols; c++) {
                        char *cell = t->cells[r * (size_t) t->n_cols + c];
                        printf("%s%-*.*s", c ? "  " : "", c + 1 < t->n_cols ? t->width[c] : 0, TABLE_MAX_WIDTH * 4, cell);
                        free(cell);
                }
                fputc('\n', stdout);
        }
        t->n_rows = 0;
}

static int table_add(TableRows *t, sqlite3_stmt *st, bool header) {
        /* A row is n_cols cells. */
        if (array_reserve(&t->cells, &t->alloc, t->n_rows + 1, (size_t) t->n_cols * sizeof *t->cells, 64) < 0)
                return -ENOMEM;
        for (int c = 0; c < t->n_cols; c++) {
                size_t len;
                const char *s = header ? sqlite3_column_name(st, c) : cell_text(st, c, &len);
                if (header)
                        len = strlen(s);
                if (!header && sqlite3_column_type(st, c) == SQLITE_NULL)
                        s = "", len = 0;
                char *cell = sanitized(s, len);
                if (!cell)
                        return -ENOMEM;
                t->cells[t->n_rows * (size_t) t->n_cols + c] = cell;
                int w = (int) MIN(strlen(cell), (size_t) TABLE_MAX_WIDTH);
                if (w > t->width[c])
                        t->width[c] = w;
        }
        t->n_rows++;
        return 0;
}

static int run_statement(sqlite3_stmt *st, QueryFormat fmt, bool *first_json) {
        int n = sqlite3_column_count(st);
        TableRows table = { .n_cols = n, .width = calloc((size_t) n + 1, sizeof(int)) };
        if (!table.width)
                return -ENOMEM;
        if (fmt == QUERY_CSV && n > 0)
                print_csv_row(st, n, true);
        if (fmt == QUERY_TABLE && n > 0 && table_add(&table, st, true) < 0)
                return free(table.width), -ENOMEM;
        int rc, r = 0;
        size_t rows = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && r >= 0) {
                if (fmt == QUERY_CSV)
                        print_csv_row(st, n, false);
                else if (fmt == QUERY_JSON)
                        r = print_json_row(st, n, *first_json), *first_json = false;
                else {
                        r = table_add(&table, st, false);
                        /* Widths come from the first rows; later rows stream with them. */
                        if (++rows >= TABLE_SAMPLE_ROWS)
                                table_flush(&table);
                }
        }
        if (fmt == QUERY_TABLE)
                table_flush(&table);
        free(table.cells);
        free(table.width);
        if (r < 0)
                return r;
        return rc == SQLITE_DONE ? 0 : -EIO;
}

static QueryFormat arg_format;
static bool arg_format_set;
static StrBuf arg_sql = STRBUF_INIT;

static const struct option options[] = {
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        {},
};

static void query_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] query [--format table|csv|json] SQL|-\n\n"
                   "Run SQL on the database, opened read-only (a write is refused). '-' reads the SQL\n"
                   "from standard input. Views: timeline (one row per event), tagged (one row per tag).\n"
                   "Default format: an aligned table on a terminal, CSV (RFC 4180, header row) otherwise.\n");
}

static int query_option(int c, const char *arg) {
        if (c != 'f')
                return -EINVAL;
        if (streq(arg, "table"))
                arg_format = QUERY_TABLE;
        else if (streq(arg, "csv"))
                arg_format = QUERY_CSV;
        else if (streq(arg, "json"))
                arg_format = QUERY_JSON;
        else
                return log_error("Unknown format '%s' (table, csv, json)", arg), -EINVAL;
        arg_format_set = true;
        return 0;
}

/* The SQL is part of the command line: read before the database is opened. */
static int query_check(char **args, int n_args) {
        int r = 0;
        if (streq(args[0], "-"))
                r = read_all(stdin, &arg_sql);
        else
                strbuf_addstr(&arg_sql, args[0]);
        if (r >= 0)
                r = strbuf_error(&arg_sql);
        if (r < 0)
                return log_error_errno(r, "Cannot read the SQL"), -EIO;
        return 0;
}

/* One statement of the SQL: 1 done, 0 nothing to run (whitespace or a comment), -errno (logged). */
static int run_one(sqlite3 *db, const char **tail, QueryFormat fmt, bool *first_json) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, *tail, -1, &st, tail) != SQLITE_OK)
                return log_error("Query failed: %s", sqlite3_errmsg(db)), -EIO;
        if (!st)
                return 0;
        int r = -EROFS;
        if (!sqlite3_stmt_readonly(st))
                log_error("The database is opened read-only: 'query' refuses statements that write");
        else if ((r = run_statement(st, fmt, first_json)) < 0)
                log_error("Query failed: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return r < 0 ? r : 1;
}

static int query_run(const VerbContext *ctx) {
        QueryFormat fmt = arg_format_set ? arg_format : isatty(STDOUT_FILENO) ? QUERY_TABLE : QUERY_CSV;
        sqlite3 *db = store_db(ctx->store);
        const char *tail = arg_sql.buf;
        bool first_json = true;
        int status = EXIT_OK;
        if (fmt == QUERY_JSON)
                fputc('[', stdout);
        while (tail && *tail)
                if (run_one(db, &tail, fmt, &first_json) < 0) {
                        status = EXIT_FAILED;
                        break;
                }
        if (fmt == QUERY_JSON)
                fputs(first_json ? "]\n" : "\n]\n", stdout);
        return status;
}

static void query_done(void) {
        strbuf_release(&arg_sql);
}

const VerbOps verb_query_ops = {
        .options = options,
        .short_options = "f:h",
        .option = query_option,
        .check = query_check,
        .help = query_help,
        .run = query_run,
        .done = query_done,
};
