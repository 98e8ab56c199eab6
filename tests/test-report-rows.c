/* test-report-rows.c: the row writer of query and timeline (report-rows.h): CSV quoting, JSON
 * escaping, types and NULLs, the aligned table with its sampled widths and sanitized cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

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

static void test_csv_quoting(void **state) {
        const char *const rows[][3] = {
                { "x,y", "say \"hi\"", "l1\nl2\r\n" },
                { NULL, "", "plain" },
        };
        char *s = render(ROW_CSV, abc, 2, rows);
        assert_string_equal(s, "\"a\",\"b\",\"c\"\r\n"
                               "\"x,y\",\"say \"\"hi\"\"\",\"l1\nl2\r\n\"\r\n"
                               ",\"\",\"plain\"\r\n");
        free(s);
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
        assert_string_equal(text, "\"n\"\r\n\"\"\"\"\r\n");
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
