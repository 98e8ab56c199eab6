/* test-report-rows.c: the row writer of query and timeline (report-rows.h): CSV quoted only where
 * RFC 4180 needs it, JSON escaping, types, nested JSON, lists and NULLs, the header switch, the
 * aligned table with its sampled widths and sanitized cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "json.h"
#include "report-rows.h"

/* Rows of three text cells through a writer to a StrBuf; NULL cells are SQL NULL. */
static char *render(RowFormat format, const char *const names[], size_t n_rows, const char *const rows[][3]) {
        StrBuf out = STRBUF_INIT;
        RowWriter *w = NULL;
        assert_int_equal(row_writer_new(format, NULL, &out, &w), 0);
        assert_int_equal(row_writer_columns(w, names, 3, NULL), 0);
        for (size_t r = 0; r < n_rows; r++) {
                Slice cells[3];
                for (size_t c = 0; c < 3; c++)
                        cells[c] = rows[r][c] ? SLICE_STR(rows[r][c]) : SLICE_NULL;
                assert_int_equal(row_writer_add(w, cells), 0);
        }
        assert_int_equal(row_writer_finish(w), 0);
        row_writer_free(w);
        assert_int_equal(strbuf_error(&out), 0);
        return strbuf_detach(&out);
}

static const char *const abc[] = { "a", "b", "c" };

/* Quotes only around a comma, a quote, CR or LF (RFC 4180), and around the empty string so that it
 * is not NULL; records end in LF. */
static void test_csv_quoting(void **state) {
        const char *const names[] = { "a", "b,c", "d" };
        const char *const rows[][3] = {
                { "x,y", "say \"hi\"", "l1\nl2\r\n" },
                { NULL, "", "plain" },
                { "658", " spaced ", "cr\ronly" },
                { "é€;tab\t", "'single'", "" },
        };
        char *s = render(ROW_CSV, names, 4, rows);
        assert_string_equal(s, "a,\"b,c\",d\n"
                               "\"x,y\",\"say \"\"hi\"\"\",\"l1\nl2\r\n\"\n"
                               ",\"\",plain\n"
                               "658, spaced ,\"cr\ronly\"\n"
                               "é€;tab\t,'single',\"\"\n");
        free(s);
}

/* Without the header row, one value is the whole output: what n=$(cascade query ...) wants. */
static void test_no_header(void **state) {
        const char *const names[] = { "n" };
        RowFormat formats[] = { ROW_CSV, ROW_TABLE };
        for (size_t i = 0; i < ELEMENTSOF(formats); i++) {
                StrBuf out = STRBUF_INIT;
                RowWriter *w = NULL;
                assert_int_equal(row_writer_new(formats[i], NULL, &out, &w), 0);
                row_writer_set_header(w, false);
                assert_int_equal(row_writer_columns(w, names, 1, NULL), 0);
                assert_int_equal(row_writer_add(w, (Slice[]){ SLICE_STR("658") }), 0);
                /* A second result set has no header either. */
                assert_int_equal(row_writer_columns(w, names, 1, NULL), 0);
                assert_int_equal(row_writer_add(w, (Slice[]){ SLICE_STR("7") }), 0);
                assert_int_equal(row_writer_finish(w), 0);
                row_writer_free(w);
                assert_int_equal(strbuf_error(&out), 0);
                assert_string_equal(out.buf, "658\n7\n");
                strbuf_release(&out);
        }
}

static void test_csv_to_file(void **state) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_non_null(f);
        RowWriter *w = NULL;
        const char *const names[] = { "n" };
        assert_int_equal(row_writer_new(ROW_CSV, f, NULL, &w), 0);
        assert_int_equal(row_writer_columns(w, names, 1, NULL), 0);
        assert_int_equal(row_writer_add(w, (Slice[]){ SLICE_STR("\"") }), 0);
        assert_int_equal(row_writer_finish(w), 0);
        row_writer_free(w);
        assert_int_equal(fclose(f), 0);
        assert_string_equal(text, "n\n\"\"\"\"\n");
        free(text);
}

static void test_json_escaping_and_nulls(void **state) {
        const char *const names[] = { "q\"k", "b", "c" };
        const char *const rows[][3] = {
                { "\"\\", "tab\tnl\n\x01\x7f", NULL },
                { "bad \xff utf8", "é€", "" },
        };
        char *s = render(ROW_JSON, names, 2, rows);
        assert_string_equal(s, "[\n  {\"q\\\"k\":\"\\\"\\\\\",\"b\":\"tab\\tnl\\n\\u0001\\u007f\",\"c\":null},\n"
                               "  {\"q\\\"k\":\"bad \xef\xbf\xbd utf8\",\"b\":\"é€\",\"c\":\"\"}\n]\n");
        free(s);
        /* No rows: an empty array. */
        s = render(ROW_JSON, names, 0, NULL);
        assert_string_equal(s, "[]\n");
        free(s);
}

static void test_json_types(void **state) {
        StrBuf out = STRBUF_INIT;
        RowWriter *w = NULL;
        const char *const names[] = { "i", "r", "t" };
        static const RowType types[] = { ROW_INTEGER, ROW_TEXT, ROW_TEXT };
        assert_int_equal(row_writer_new(ROW_JSON, NULL, &out, &w), 0);
        assert_int_equal(row_writer_columns(w, names, 3, types), 0);
        /* An empty integer is null (the timeline's missing priority). */
        assert_int_equal(row_writer_add(w, (Slice[]){ SLICE_STR("42"), SLICE_STR("1"), SLICE_STR("x") }), 0);
        assert_int_equal(row_writer_add(w, (Slice[]){ SLICE_STR(""), SLICE_STR(""), SLICE_NULL }), 0);
        /* A second result set continues the array; typed cells, a real with all its digits. */
        const char *const names2[] = { "x" };
        assert_int_equal(row_writer_columns(w, names2, 1, NULL), 0);
        assert_int_equal(row_writer_add_cells(w, (RowCell[]){ { SLICE_STR("0.3"), ROW_REAL, 0.1 + 0.2 } }), 0);
        assert_int_equal(row_writer_add_cells(w, (RowCell[]){ { SLICE_STR("-7"), ROW_INTEGER, 0 } }), 0);
        assert_int_equal(row_writer_finish(w), 0);
        row_writer_free(w);
        assert_int_equal(strbuf_error(&out), 0);
        assert_string_equal(out.buf, "[\n  {\"i\":42,\"r\":\"1\",\"t\":\"x\"},\n  {\"i\":null,\"r\":\"\",\"t\":null},\n"
                                     "  {\"x\":0.30000000000000004},\n  {\"x\":-7}\n]\n");
        strbuf_release(&out);
}

/* One cell of type type through the JSON writer: the text after "v":. */
static char *json_cell(RowFormat format, RowType type, Slice text) {
        StrBuf out = STRBUF_INIT;
        RowWriter *w = NULL;
        const char *const names[] = { "v" };
        const RowType types[] = { type };
        assert_int_equal(row_writer_new(format, NULL, &out, &w), 0);
        assert_int_equal(row_writer_columns(w, names, 1, types), 0);
        assert_int_equal(row_writer_add(w, (Slice[]){ text }), 0);
        assert_int_equal(row_writer_finish(w), 0);
        row_writer_free(w);
        assert_int_equal(strbuf_error(&out), 0);
        return strbuf_detach(&out);
}

/* JSON text is nested as JSON, compacted; what is not valid JSON stays a string. */
static void test_json_nested(void **state) {
        static const struct {
                const char *text, *want;
        } cases[] = {
                { "{\"method\":\"knet\",\"n\":2}", "{\"v\":{\"method\":\"knet\",\"n\":2}}\n" },
                { " {\n  \"a b\" : [1, 2.5e-3, true, null],\t\"c\":\"x\\\" y\"\r\n}\n",
                  "{\"v\":{\"a b\":[1,2.5e-3,true,null],\"c\":\"x\\\" y\"}}\n" },
                { "[]", "{\"v\":[]}\n" },
                { "\"s\"", "{\"v\":\"s\"}\n" },
                { "-0.5", "{\"v\":-0.5}\n" },
                /* Not JSON: kept as the string it is. */
                { "{\"a\":1,}", "{\"v\":\"{\\\"a\\\":1,}\"}\n" },
                { "{\"a\":1", "{\"v\":\"{\\\"a\\\":1\"}\n" },
                { "not json", "{\"v\":\"not json\"}\n" },
                { "", "{\"v\":\"\"}\n" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *s = json_cell(ROW_JSON_LINES, ROW_JSON_VALUE, SLICE_STR(cases[i].text));
                assert_string_equal(s, cases[i].want);
                free(s);
        }
        /* NULL is null. */
        char *s = json_cell(ROW_JSON_LINES, ROW_JSON_VALUE, SLICE_NULL);
        assert_string_equal(s, "{\"v\":null}\n");
        free(s);
        /* CSV and the table print the text as it is. */
        s = json_cell(ROW_CSV, ROW_JSON_VALUE, SLICE_STR("{\"a\":1}"));
        assert_string_equal(s, "v\n\"{\"\"a\"\":1}\"\n");
        free(s);
}

/* The strict reading that decides what is nested: anything else would break the output. */
static void test_json_is_valid(void **state) {
        static const char *const valid[] = {
                "0", "-1", "1.5", "1e10", "1E+2", "-0.0e-0", "true", "false", "null", "\"\"", "\"\\u00e9\\n\\/\"",
                "\"é€\"", "[]", "{}", " [ 1 , { \"a\" : [ ] } ] ", "{\"a\":{\"b\":{\"c\":[null]}}}",
        };
        static const char *const invalid[] = {
                "", " ", "01", "1.", ".5", "-", "+1", "1e", "0x10", "tru", "True", "nul", "NaN", "\"abc",
                "\"a\\x\"", "\"\\u12g4\"", "\"tab\there\"", "\"nl\nhere\"", "\"bad \xff utf8\"", "[1,]", "[,1]",
                "{\"a\"}", "{\"a\":}", "{a:1}", "{\"a\":1,}", "{\"a\" 1}", "[1 2]", "1 2", "[1]]", "{}x", "'s'",
        };
        for (size_t i = 0; i < ELEMENTSOF(valid); i++)
                if (!json_is_valid(valid[i], strlen(valid[i])))
                        fail_msg("valid JSON refused: '%s'", valid[i]);
        for (size_t i = 0; i < ELEMENTSOF(invalid); i++)
                if (json_is_valid(invalid[i], strlen(invalid[i])))
                        fail_msg("invalid JSON taken: '%s'", invalid[i]);
        /* A NUL inside the length is no JSON byte. */
        assert_false(json_is_valid("[1]\0", 4));
        /* Nesting: 256 levels are taken, deeper is refused (the checker recurses). */
        char deep[600];
        for (int depth = 256; depth <= 257; depth++) {
                memset(deep, '[', (size_t) depth);
                memset(deep + depth, ']', (size_t) depth);
                assert_int_equal(json_is_valid(deep, 2 * (size_t) depth), depth == 256);
        }
}

/* Tag kinds: "a,b" is ["a","b"], none is []. */
static void test_json_list(void **state) {
        static const struct {
                const char *text, *want;
        } cases[] = {
                { "corosync.token.lost", "{\"v\":[\"corosync.token.lost\"]}\n" },
                { "a,b", "{\"v\":[\"a\",\"b\"]}\n" },
                { ",a,,b,", "{\"v\":[\"a\",\"b\"]}\n" },
                { "q\"x", "{\"v\":[\"q\\\"x\"]}\n" },
                { "", "{\"v\":[]}\n" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *s = json_cell(ROW_JSON_LINES, ROW_LIST, SLICE_STR(cases[i].text));
                assert_string_equal(s, cases[i].want);
                free(s);
        }
        char *s = json_cell(ROW_JSON_LINES, ROW_LIST, SLICE_NULL);
        assert_string_equal(s, "{\"v\":[]}\n");
        free(s);
        s = json_cell(ROW_CSV, ROW_LIST, SLICE_STR("a,b"));
        assert_string_equal(s, "v\n\"a,b\"\n");
        free(s);
}

static void test_table_alignment(void **state) {
        const char *const names[] = { "id", "name", "last" };
        const char *const rows[][3] = {
                { "1", "alpha", "z" },
                { "22", NULL, "long last column" },
                { "333", "b\033[31mred\x7f", "" },
        };
        char *s = render(ROW_TABLE, names, 3, rows);
        /* The last column is not padded; control characters become '?'. */
        assert_string_equal(s, "id   name        last\n"
                               "1    alpha       z\n"
                               "22               long last column\n"
                               "333  b?[31mred?  \n");
        free(s);
}

static void test_table_width_cap_and_sets(void **state) {
        StrBuf out = STRBUF_INIT;
        RowWriter *w = NULL;
        const char *const names[] = { "w", "x" };
        char wide[200];
        memset(wide, 'w', sizeof wide - 1);
        wide[sizeof wide - 1] = '\0';
        assert_int_equal(row_writer_new(ROW_TABLE, NULL, &out, &w), 0);
        assert_int_equal(row_writer_columns(w, names, 2, NULL), 0);
        assert_int_equal(row_writer_add(w, (Slice[]){ SLICE_STR(wide), SLICE_STR("x") }), 0);
        /* A new result set prints the previous one, then measures its own columns. */
        const char *const names2[] = { "a", "b" };
        assert_int_equal(row_writer_columns(w, names2, 2, NULL), 0);
        assert_int_equal(row_writer_add(w, (Slice[]){ SLICE_STR("1"), SLICE_STR("2") }), 0);
        assert_int_equal(row_writer_finish(w), 0);
        row_writer_free(w);
        assert_int_equal(strbuf_error(&out), 0);
        StrBuf want = STRBUF_INIT;
        /* Columns are at most 120 wide; a longer cell still shows whole. */
        strbuf_addf(&want, "w%119s  x\n%s  x\na  b\n1  2\n", "", wide);
        assert_string_equal(out.buf, want.buf);
        strbuf_release(&want);
        strbuf_release(&out);
}

/* After the first 500 rows, rows are printed as they come, with the widths measured so far. */
static void test_table_streams_after_sample(void **state) {
        StrBuf out = STRBUF_INIT;
        RowWriter *w = NULL;
        const char *const names[] = { "n", "x" };
        assert_int_equal(row_writer_new(ROW_TABLE, NULL, &out, &w), 0);
        assert_int_equal(row_writer_columns(w, names, 2, NULL), 0);
        for (int i = 0; i < 500; i++)
                assert_int_equal(row_writer_add(w, (Slice[]){ SLICE_STR("1"), SLICE_STR("x") }), 0);
        size_t printed = out.len;
        assert_int_equal(printed, 501 * strlen("1  x\n"));
        assert_int_equal(row_writer_add(w, (Slice[]){ SLICE_STR("123"), SLICE_STR("x") }), 0);
        assert_string_equal(out.buf + printed, "123  x\n");
        assert_int_equal(row_writer_finish(w), 0);
        row_writer_free(w);
        strbuf_release(&out);
}

/* Log text decides node names and identifiers too: no escape sequence of theirs reaches a terminal. */
/* journalctl -o json: an object a line; json-seq: each after a 0x1E. No rows: nothing at all. */
static void test_json_lines_and_seq(void **state) {
        const char *const rows[][3] = {
                { "1", "x\ny", NULL },
                { "2", "", "z" },
        };
        char *s = render(ROW_JSON_LINES, abc, 2, rows);
        assert_string_equal(s, "{\"a\":\"1\",\"b\":\"x\\ny\",\"c\":null}\n{\"a\":\"2\",\"b\":\"\",\"c\":\"z\"}\n");
        free(s);
        s = render(ROW_JSON_SEQ, abc, 2, rows);
        assert_string_equal(s, "\x1e{\"a\":\"1\",\"b\":\"x\\ny\",\"c\":null}\n\x1e{\"a\":\"2\",\"b\":\"\",\"c\":\"z\"}\n");
        free(s);
        s = render(ROW_JSON_LINES, abc, 0, NULL);
        assert_string_equal(s, "");
        free(s);
        s = render(ROW_JSON_SEQ, abc, 0, NULL);
        assert_string_equal(s, "");
        free(s);
}

static void test_timeline_cat(void **state) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_non_null(f);
        TimelineRow row = { .node = "pve1", .ident = "corosync", .pid = 7, .priority = 3,
                            .message = SLICE_STR("link down\033[2J"), .kinds = "knet.link.down" };
        row_print_timeline_cat(f, &row);
        assert_int_equal(fclose(f), 0);
        assert_null(strchr(text, '\033'));
        assert_int_equal(strncmp(text, "link down", 9), 0);
        assert_null(strstr(text, "pve1"));
        assert_null(strstr(text, "knet"));
        assert_int_equal(text[strlen(text) - 1], '\n');
        free(text);
}

static void test_timeline_text_sanitized(void **state) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_non_null(f);
        TimelineRow row = { .node = "pve\0331", .ident = "evil\033[2J", .pid = 7, .priority = -1,
                            .message = SLICE_STR("hi\033]0;title\007"), .kinds = NULL };
        row_print_timeline_text(f, &row, "08:10:00", false);
        assert_int_equal(fclose(f), 0);
        assert_null(strchr(text, '\033'));
        assert_null(strchr(text, '\007'));
        assert_non_null(strstr(text, "evil"));
        free(text);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_csv_quoting),
                cmocka_unit_test(test_no_header),
                cmocka_unit_test(test_json_nested),
                cmocka_unit_test(test_json_is_valid),
                cmocka_unit_test(test_json_list),
                cmocka_unit_test(test_csv_to_file),
                cmocka_unit_test(test_json_escaping_and_nulls),
                cmocka_unit_test(test_json_types),
                cmocka_unit_test(test_table_alignment),
                cmocka_unit_test(test_table_width_cap_and_sets),
                cmocka_unit_test(test_table_streams_after_sample),
                cmocka_unit_test(test_timeline_text_sanitized),
                cmocka_unit_test(test_json_lines_and_seq),
                cmocka_unit_test(test_timeline_cat),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
