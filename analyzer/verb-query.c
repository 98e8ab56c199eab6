/* verb-query.c: `cascade query SQL`: ad-hoc SQL on a read-only connection, printed as an aligned
 * table (terminal), CSV or JSON by the row writer (report-rows.c), whose JSON nests the values that
 * are JSON (see json_column()). */
#include "cli.h"
#include "log.h"
#include "report-rows.h"
#include "strbuf.h"

/* -EIO on a read error; an allocation failure stays in out. */
static int read_all(FILE *f, StrBuf *out) {
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                strbuf_add(out, buf, n);
        return ferror(f) ? -EIO : 0;
}

/* The subtype SQLite's JSON functions give their results (json(), json_object(), json_group_array(),
 * json_extract() of an object...): 'J', as sqlite3's json.c defines it. */
#define SQLITE_JSON_SUBTYPE 'J'

/* Whether a text cell is JSON to nest: a value SQL made with its JSON functions, or a column named as
 * the stored JSON columns are (tag.captures, shown by the tagged view, and the incidents view's
 * report_json; renamed, it is a string, and json(X) nests it again). The row writer still nests it
 * only when it is valid JSON. */
static bool json_column(sqlite3_stmt *st, int i) {
        const char *name = sqlite3_column_name(st, i);
        if (name && (streq(name, "captures") || streq(name, "report_json")))
                return true;
        return sqlite3_value_subtype(sqlite3_column_value(st, i)) == SQLITE_JSON_SUBTYPE;
}

/* A cell as SQLite typed it: numbers stay numbers and JSON stays JSON in JSON output; CSV and the
 * table print SQLite's text. */
static RowCell cell_of(sqlite3_stmt *st, int i) {
        int type = sqlite3_column_type(st, i);
        if (type == SQLITE_NULL)
                return (RowCell){ .text = SLICE_NULL };
        RowCell c = { .type = type == SQLITE_INTEGER ? ROW_INTEGER : type == SQLITE_FLOAT ? ROW_REAL :
                              json_column(st, i)    ? ROW_JSON_VALUE : ROW_TEXT };
        if (type == SQLITE_FLOAT)
                c.real = sqlite3_column_double(st, i);
        const char *t = (const char *) sqlite3_column_text(st, i);
        c.text = (Slice){ t, t ? (size_t) sqlite3_column_bytes(st, i) : 0 };
        return c;
}

static int run_statement(sqlite3_stmt *st, RowWriter *w) {
        int n = sqlite3_column_count(st);
        _cleanup_free_ const char **names = calloc((size_t) n + 1, sizeof *names);
        _cleanup_free_ RowCell *cells = calloc((size_t) n + 1, sizeof *cells);
        if (!names || !cells)
                return -ENOMEM;
        for (int i = 0; i < n; i++)
                names[i] = sqlite3_column_name(st, i);
        int rc, r = row_writer_columns(w, names, (size_t) n, NULL);
        while (r >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                for (int i = 0; i < n; i++)
                        cells[i] = cell_of(st, i);
                r = row_writer_add_cells(w, cells);
        }
        if (r < 0)
                return r;
        return rc == SQLITE_DONE ? 0 : -EIO;
}

static RowFormat arg_format;
static bool arg_format_set, arg_no_header;
static StrBuf arg_sql = STRBUF_INIT;

enum { ARG_NO_HEADER = 0x100 };

static const struct option options[] = {
        { "format", required_argument, NULL, 'f' },
        { "no-header", no_argument, NULL, ARG_NO_HEADER },
        { "help", no_argument, NULL, 'h' },
        {},
};

static void query_help(FILE *f) {
        fprintf(f, "Usage: cascade [--db PATH] query [--format table|csv|json] [--no-header] SQL|-\n\n"
                   "Run SQL on the database, opened read-only (a write is refused). '-' reads the SQL\n"
                   "from standard input. Views: timeline (one row per event), tagged (one row per tag).\n"
                   "  -f, --format F   table (the default on a terminal), csv (otherwise), json\n"
                   "  --no-header      CSV and table: no header row (n=$(cascade query --no-header ...))\n"
                   "CSV quotes a field only where RFC 4180 needs it (a comma, a quote, a line break; \"\"\n"
                   "is the empty string, no field is NULL); records end in LF. JSON is an array of\n"
                   "objects: numbers stay numbers, and JSON stays JSON: captures, report_json and what\n"
                   "SQL's JSON functions return (json(X) nests any column) are nested when valid.\n"
                   "The views' times are RFC 3339 UTC to the µs. The table is paged on a terminal\n"
                   "unless --no-pager is given.\n");
}

static int parse_format(const char *arg) {
        if (streq(arg, "table"))
                arg_format = ROW_TABLE;
        else if (streq(arg, "csv"))
                arg_format = ROW_CSV;
        else if (streq(arg, "json"))
                arg_format = ROW_JSON;
        else
                return log_error("Unknown format '%s' (table, csv, json)", arg), -EINVAL;
        arg_format_set = true;
        return 0;
}

static int query_option(int c, const char *arg) {
        switch (c) {
        case 'f':
                return parse_format(arg);
        case ARG_NO_HEADER:
                arg_no_header = true;
                return 0;
        default:
                return -EINVAL;
        }
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
static int run_one(sqlite3 *db, const char **tail, RowWriter *w) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, *tail, -1, &st, tail) != SQLITE_OK)
                return log_error("Query failed: %s", sqlite3_errmsg(db)), -EIO;
        if (!st)
                return 0;
        int r = -EROFS;
        if (!sqlite3_stmt_readonly(st))
                log_error("The database is opened read-only: 'query' refuses statements that write");
        else if ((r = run_statement(st, w)) < 0)
                log_error("Query failed: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return r < 0 ? r : 1;
}

static int query_run(const VerbContext *ctx) {
        RowFormat fmt = arg_format_set ? arg_format : isatty(STDOUT_FILENO) ? ROW_TABLE : ROW_CSV;
        sqlite3 *db = store_db(ctx->store);
        const char *tail = arg_sql.buf;
        _cleanup_(row_writer_freep) RowWriter *w = NULL;
        if (row_writer_new(fmt, stdout, NULL, &w) < 0)
                return log_oom(), EXIT_FAILED;
        row_writer_set_header(w, !arg_no_header);
        /* After the format was chosen: the pager takes the terminal away from stdout. */
        if (fmt == ROW_TABLE)
                cli_pager_open();
        int status = EXIT_OK;
        while (tail && *tail)
                if (run_one(db, &tail, w) < 0) {
                        status = EXIT_FAILED;
                        break;
                }
        /* Also after a failed statement: the rows before it stay a complete table or array. */
        if (row_writer_finish(w) < 0)
                return log_oom(), EXIT_FAILED;
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
