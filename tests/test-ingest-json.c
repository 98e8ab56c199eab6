/* test-ingest-json.c: `journalctl -o json` lines (ingest-json.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ingest-json.h"

#define assert_slice_equal(got, want)                                                           \
        do {                                                                                    \
                Slice _g = (got);                                                               \
                const char *_w = (want);                                                        \
                if (!slice_eq_str(_g, _w))                                                      \
                        fail_msg("%s is '%.*s', want '%s'", #got, (int) _g.n, _g.p ? _g.p : "", _w); \
        } while (0)

static int setup(void **state) {
        JsonParser *p = malloc(sizeof *p);
        assert_non_null(p);
        json_parser_init(p);
        *state = p;
        return 0;
}

static int teardown(void **state) {
        json_parser_done(*state);
        free(*state);
        return 0;
}

static void parse_ok(JsonParser *p, const char *line, LogRecord *r) {
        const char *reason = NULL;
        size_t column = 99;
        int k = json_parser_line(p, SLICE_STR(line), r, &reason, &column);
        if (k != 1)
                fail_msg("rejected (%d) at column %zu: %s", k, column, strempty(reason));
        assert_int_equal(column, 0);
}

static void full_entry(void **state) {
        LogRecord r;
        parse_ok(*state,
                 "{\"__CURSOR\":\"s=6a3b;i=1f\",\"__REALTIME_TIMESTAMP\":\"1732518648123456\","
                 "\"__MONOTONIC_TIMESTAMP\":\"5000000\",\"_BOOT_ID\":\"0123456789abcdef0123456789abcdef\","
                 "\"_HOSTNAME\":\"pve1\",\"PRIORITY\":\"3\",\"SYSLOG_IDENTIFIER\":\"pmxcfs\",\"_PID\":\"1000\","
                 "\"_SYSTEMD_UNIT\":\"pve-cluster.service\",\"MESSAGE\":\"[dcdb] crit: cpg_send_message failed: 9\","
                 "\"_UID\":\"0\",\"_CAP_EFFECTIVE\":\"1ffffffffff\"}",
                 &r);
        assert_int_equal(r.kind, RECORD_EVENT);
        assert_int_equal(r.ts, INT64_C(1732518648123456));
        assert_int_equal(r.ts_prec, 1);
        assert_int_equal(r.mono, 5000000);
        assert_slice_equal(r.cursor, "s=6a3b;i=1f");
        assert_slice_equal(r.boot_id, "0123456789abcdef0123456789abcdef");
        assert_slice_equal(r.node, "pve1");
        assert_int_equal(r.priority, 3);
        assert_slice_equal(r.ident, "pmxcfs");
        assert_int_equal(r.pid, 1000);
        assert_slice_equal(r.unit, "pve-cluster.service");
        assert_slice_equal(r.message, "[dcdb] crit: cpg_send_message failed: 9");
}

static void string_escapes(void **state) {
        LogRecord r;
        parse_ok(*state,
                 "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":"
                 "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t caf\\u00e9 \\u20AC \\ud83d\\ude00 \\u0041\"}",
                 &r);
        assert_slice_equal(r.message, "q\" b\\ s/ \b\f\n\r\t caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 A");

        /* UTF-8 passes through as is. */
        parse_ok(*state, "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"caf\xc3\xa9 \xe2\x82\xac\"}", &r);
        assert_slice_equal(r.message, "caf\xc3\xa9 \xe2\x82\xac");

        /* \u0000 is a NUL byte inside the value. */
        parse_ok(*state, "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"a\\u0000b\"}", &r);
        assert_int_equal(r.message.n, 3);
        assert_memory_equal(r.message.p, "a\0b", 3);
}

static void lone_surrogates(void **state) {
        LogRecord r;
        /* A lone low surrogate, a high one at the end, and a high one followed by a character that
         * is not its pair: each lone half is U+FFFD, and the character after it survives. */
        parse_ok(*state, "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"a\\udc00b\\ud83d\"}", &r);
        assert_slice_equal(r.message, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
        parse_ok(*state, "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"\\ud83d\\u0041x\"}", &r);
        assert_slice_equal(r.message, "\xef\xbf\xbd" "Ax");
        parse_ok(*state, "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"\\ud83d\\ud83d\\ude00\"}", &r);
        assert_slice_equal(r.message, "\xef\xbf\xbd\xf0\x9f\x98\x80");
}

static void binary_field(void **state) {
        LogRecord r;
        /* journalctl prints values that are not valid UTF-8 (or hold control bytes) as byte arrays. */
        parse_ok(*state, "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":[104,105,0,10,255],\"_COMM\":\"x\"}", &r);
        assert_int_equal(r.message.n, 5);
        assert_memory_equal(r.message.p, "hi\0\n\xff", 5);
        assert_slice_equal(r.ident, "x");
        parse_ok(*state, "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":[ 104 , 105 ]}", &r);
        assert_slice_equal(r.message, "hi");
        parse_ok(*state, "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":[]}", &r);
        assert_int_equal(r.message.n, 0);
}

static void multi_valued_field(void **state) {
        LogRecord r;
        parse_ok(*state,
                 "{\"__REALTIME_TIMESTAMP\":\"1\",\"SYSLOG_IDENTIFIER\":[\"first\",\"second\"],"
                 "\"MESSAGE\":[[104,105],[120]],\"_HOSTNAME\":[\"h1\",[1,2]],\"_SYSTEMD_UNIT\":[]}",
                 &r);
        assert_slice_equal(r.ident, "first");
        assert_slice_equal(r.message, "hi");
        assert_slice_equal(r.node, "h1");
        assert_int_equal(r.unit.n, 0);
        /* A binary value first, then a string. */
        parse_ok(*state, "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":[[65,66], \"text\"]}", &r);
        assert_slice_equal(r.message, "AB");
}

static void null_and_numbers(void **state) {
        LogRecord r;
        parse_ok(*state,
                 "{\"__REALTIME_TIMESTAMP\":1732518648123456,\"PRIORITY\":4,\"_PID\":77,\"MESSAGE\":null,"
                 "\"_SYSTEMD_UNIT\":null,\"X\":-1.5e3}",
                 &r);
        assert_int_equal(r.ts, INT64_C(1732518648123456));
        assert_int_equal(r.priority, 4);
        assert_int_equal(r.pid, 77);
        assert_int_equal(r.message.n, 0);
        assert_int_equal(r.unit.n, 0);
        /* Whitespace between tokens. */
        parse_ok(*state, " { \"__REALTIME_TIMESTAMP\" : \"2\" , \"MESSAGE\" : \"m\" } \r", &r);
        assert_int_equal(r.ts, 2);
        assert_slice_equal(r.message, "m");
}

static void empty_object_has_no_time(void **state) {
        LogRecord r;
        const char *reason = NULL;
        size_t column = 99;
        assert_int_equal(json_parser_line(*state, SLICE_STR("{}"), &r, &reason, &column), -EBADMSG);
        assert_string_equal(reason, "entry has no __REALTIME_TIMESTAMP");
        assert_int_equal(column, 0);
        assert_int_equal(json_parser_line(*state, SLICE_STR("{\"__REALTIME_TIMESTAMP\":\"x1\"}"), &r, &reason,
                                          &column), -EBADMSG);
        assert_string_equal(reason, "__REALTIME_TIMESTAMP is not a number");
}

static void malformed(void **state) {
        static const struct {
                const char *line;
                const char *reason;
                size_t column;
        } cases[] = {       /* column: 1-based, of the byte where the line stops making sense */
                { "", "line is not a JSON object", 1 },
                { "[1,2]", "line is not a JSON object", 1 },
                { "  x", "line is not a JSON object", 3 },
                { "{\"MESSAGE\":\"x\"", "expected ',' or '}'", 15 },
                { "{\"MESSAGE\" \"x\"}", "expected ':' after a field name", 12 },
                { "{MESSAGE:\"x\"}", "expected a string", 2 },
                { "{\"MESSAGE\":\"x\",}", "expected a string", 16 },
                { "{\"MESSAGE\":\"abc", "unterminated string", 16 },
                { "{\"MESSAGE\":\"a\tb\"}", "control character inside a string", 14 },
                { "{\"MESSAGE\":\"\\q\"}", "unknown escape", 14 },
                { "{\"MESSAGE\":\"\\u12G4\"}", "bad hex digit in \\u escape", 17 },
                { "{\"MESSAGE\":\"\\u12\"}", "bad hex digit in \\u escape", 17 },
                { "{\"MESSAGE\":\"\\u1", "truncated \\u escape", 15 },
                { "{\"MESSAGE\":\"\\", "unterminated escape", 14 },
                { "{\"MESSAGE\":}", "expected a value", 12 },
                { "{\"MESSAGE\":tru}", "expected a value", 12 },
                { "{\"MESSAGE\":", "expected a value", 12 },
                { "{\"MESSAGE\":[1,256]}", "binary field value is not a byte", 15 },
                { "{\"MESSAGE\":[1,x]}", "binary field value is not a byte", 15 },
                { "{\"MESSAGE\":[1 2]}", "expected ',' or ']' in a binary field", 15 },
                { "{\"MESSAGE\":[\"a\" \"b\"]}", "expected ',' or ']'", 17 },
                { "{\"MESSAGE\":\"x\"} trailing", "trailing bytes after the object", 17 },
                { "{\"MESSAGE\":\"x\"}{}", "trailing bytes after the object", 16 },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                LogRecord r;
                const char *reason = NULL;
                size_t column = 0;
                int k = json_parser_line(*state, SLICE_STR(cases[i].line), &r, &reason, &column);
                if (k != -EBADMSG)
                        fail_msg("'%s' gave %d, want -EBADMSG", cases[i].line, k);
                if (!reason || !streq(reason, cases[i].reason) || column != cases[i].column)
                        fail_msg("'%s': '%s' at column %zu, want '%s' at column %zu", cases[i].line,
                                 strempty(reason), column, cases[i].reason, cases[i].column);
        }
}

static void parser_is_reusable(void **state) {
        JsonParser *p = *state;
        LogRecord r;
        const char *reason;
        size_t column;
        /* A failed line leaves nothing behind for the next one. */
        assert_int_equal(json_parser_line(p, SLICE_STR("{\"MESSAGE\":\"half"), &r, &reason, &column), -EBADMSG);
        parse_ok(p, "{\"__REALTIME_TIMESTAMP\":\"7\",\"MESSAGE\":\"whole\"}", &r);
        assert_int_equal(r.ts, 7);
        assert_slice_equal(r.message, "whole");
        /* Many fields: the field table grows. */
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, "{\"__REALTIME_TIMESTAMP\":\"8\"");
        for (int i = 0; i < 300; i++)
                strbuf_addf(&sb, ",\"F%d\":\"%d\"", i, i);
        strbuf_addstr(&sb, ",\"MESSAGE\":\"last\"}");
        assert_int_equal(strbuf_error(&sb), 0);
        parse_ok(p, sb.buf, &r);
        assert_int_equal(r.ts, 8);
        assert_slice_equal(r.message, "last");
        strbuf_release(&sb);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(full_entry, setup, teardown),
                cmocka_unit_test_setup_teardown(string_escapes, setup, teardown),
                cmocka_unit_test_setup_teardown(lone_surrogates, setup, teardown),
                cmocka_unit_test_setup_teardown(binary_field, setup, teardown),
                cmocka_unit_test_setup_teardown(multi_valued_field, setup, teardown),
                cmocka_unit_test_setup_teardown(null_and_numbers, setup, teardown),
                cmocka_unit_test_setup_teardown(empty_object_has_no_time, setup, teardown),
                cmocka_unit_test_setup_teardown(malformed, setup, teardown),
                cmocka_unit_test_setup_teardown(parser_is_reusable, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
