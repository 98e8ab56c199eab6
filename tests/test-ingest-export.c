/* test-ingest-export.c: the journal export format parser (ingest-export.h) over ingest-stream.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <endian.h>
#include <fcntl.h>

#include "ingest-export.h"
#include "ingest-journal-fields.h"

#define assert_slice_equal(got, want)                                                           \
        do {                                                                                    \
                Slice _g = (got);                                                               \
                const char *_w = (want);                                                        \
                if (!slice_eq_str(_g, _w))                                                      \
                        fail_msg("%s is '%.*s', want '%s'", #got, (int) _g.n, _g.p ? _g.p : "", _w); \
        } while (0)

typedef struct Fixture {
        char *path;
        Reader *reader;
        ExportParser parser;
        bool parser_ready;
} Fixture;

static int setup(void **state) {
        Fixture *f = calloc(1, sizeof *f);
        assert_non_null(f);
        const char *dir = getenv("TMPDIR");
        assert_true(asprintf(&f->path, "%s/cascade-test-export-XXXXXX", dir && *dir ? dir : "/tmp") > 0);
        int fd = mkstemp(f->path);
        assert_true(fd >= 0);
        close(fd);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        Fixture *f = *state;
        if (f->parser_ready)
                export_parser_done(&f->parser);
        reader_free(f->reader);
        unlink(f->path);
        free(f->path);
        free(f);
        return 0;
}

/* Write the bytes to the fixture's file and start a parser over them. */
static ExportParser *open_bytes(void **state, const void *data, size_t n) {
        Fixture *f = *state;
        _cleanup_close_ int fd = open(f->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, data, n), (ssize_t) n);
        assert_int_equal(reader_open(f->path, &f->reader), 0);
        export_parser_init(&f->parser, f->reader);
        f->parser_ready = true;
        return &f->parser;
}

static ExportParser *open_str(void **state, const char *s) {
        return open_bytes(state, s, strlen(s));
}

/* The whole of sb, which must have taken every append. */
static ExportParser *open_buf(void **state, const StrBuf *sb) {
        assert_int_equal(strbuf_error(sb), 0);
        return open_bytes(state, sb->buf, sb->len);
}

/* "NAME\n<le64 size><bytes>\n" */
static void add_binary(StrBuf *sb, const char *name, const void *data, size_t n) {
        uint64_t le = htole64((uint64_t) n);
        strbuf_addf(sb, "%s\n", name);
        strbuf_add(sb, &le, 8);
        strbuf_add(sb, data, n);
        strbuf_addch(sb, '\n');
}

#define ENTRY_HEAD "__REALTIME_TIMESTAMP=1732518648123456\n"

static void text_fields(void **state) {
        ExportParser *p = open_str(state,
                "__CURSOR=s=6a3b;i=1f;b=0123456789abcdef0123456789abcdef;m=4c4b40;t=627b2a0b86a80;x=1\n"
                "__REALTIME_TIMESTAMP=1732518648123456\n"
                "__MONOTONIC_TIMESTAMP=5000000\n"
                "_BOOT_ID=0123456789abcdef0123456789abcdef\n"
                "_HOSTNAME=pve1\n"
                "PRIORITY=5\n"
                "_UID=0\n"
                "SYSLOG_FACILITY=3\n"
                "SYSLOG_IDENTIFIER=corosync\n"
                "_PID=1234\n"
                "_COMM=corosync\n"
                "_SYSTEMD_UNIT=corosync.service\n"
                "MESSAGE=[TOTEM ] A new membership (1.2d) was formed. Members joined: 2 = yes\n"
                "\n");
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.kind, RECORD_EVENT);
        assert_int_equal(r.ts, INT64_C(1732518648123456));
        assert_int_equal(r.ts_prec, 1);
        assert_int_equal(r.mono, 5000000);
        assert_int_equal(r.uptime, -1);
        assert_slice_equal(r.cursor, "s=6a3b;i=1f;b=0123456789abcdef0123456789abcdef;m=4c4b40;t=627b2a0b86a80;x=1");
        assert_slice_equal(r.boot_id, "0123456789abcdef0123456789abcdef");
        assert_slice_equal(r.node, "pve1");
        assert_slice_equal(r.ident, "corosync");
        assert_int_equal(r.pid, 1234);
        assert_int_equal(r.priority, 5);
        assert_slice_equal(r.unit, "corosync.service");
        assert_slice_equal(r.message, "[TOTEM ] A new membership (1.2d) was formed. Members joined: 2 = yes");
        assert_int_equal(r.line, 1);
        assert_int_equal(p->entry_no, 1);
        assert_int_equal(p->line_no, 14);
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
        assert_null(reason);
}

static void identifier_and_pid_fallbacks(void **state) {
        ExportParser *p = open_str(state,
                ENTRY_HEAD "_COMM=kworker\n_PID=77\nMESSAGE=a\n\n"
                ENTRY_HEAD "SYSLOG_IDENTIFIER=app\nSYSLOG_PID=5\n_PID=6\nMESSAGE=b\nPRIORITY=9\n_BOOT_ID=short\n\n"
                ENTRY_HEAD "MESSAGE=\n\n");
        LogRecord r;
        const char *reason;
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.ident, "kworker");
        assert_int_equal(r.pid, 77);
        assert_int_equal(r.priority, -1);
        assert_int_equal(r.mono, -1);
        assert_int_equal(r.node.n, 0);
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.ident, "app");
        assert_int_equal(r.pid, 5);                    /* SYSLOG_PID over _PID */
        assert_int_equal(r.priority, -1);              /* 9 is no priority */
        assert_int_equal(r.boot_id.n, 0);              /* not 32 hex: dropped */
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.ident.n, 0);
        assert_int_equal(r.pid, -1);
        assert_int_equal(r.message.n, 0);
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
}

static void binary_fields(void **state) {
        static const char msg[] = "line one\nline two\0after NUL\n";
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, ENTRY_HEAD "_HOSTNAME=pve1\n");
        add_binary(&sb, "MESSAGE", msg, sizeof msg - 1);
        add_binary(&sb, "SYSLOG_IDENTIFIER", "bin", 3);
        add_binary(&sb, "_SYSTEMD_UNIT", "", 0);
        strbuf_addstr(&sb, "_PID=42\n\n");
        strbuf_addstr(&sb, ENTRY_HEAD "MESSAGE=next\n\n");
        ExportParser *p = open_buf(state, &sb);

        LogRecord r;
        const char *reason;
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.message.n, sizeof msg - 1);
        assert_memory_equal(r.message.p, msg, sizeof msg - 1);
        assert_slice_equal(r.ident, "bin");
        assert_int_equal(r.unit.n, 0);
        assert_int_equal(r.pid, 42);
        assert_slice_equal(r.node, "pve1");
        /* Two text fields; MESSAGE's name, two newlines inside its data and its end; identifier and
         * unit (name and end each); _PID; the blank line. */
        assert_int_equal(p->line_no, 2 + 4 + 2 + 2 + 1 + 1);
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.message, "next");
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
        strbuf_release(&sb);
}

static void binary_field_larger_than_buffer(void **state) {
        const size_t big = 600u * 1024;
        char *data = malloc(big);
        assert_non_null(data);
        for (size_t i = 0; i < big; i++)
                data[i] = (char) (i % 251);
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, ENTRY_HEAD);
        add_binary(&sb, "MESSAGE", data, big);
        strbuf_addstr(&sb, "SYSLOG_IDENTIFIER=big\n\n");
        ExportParser *p = open_buf(state, &sb);
        LogRecord r;
        const char *reason;
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.message.n, big);
        assert_memory_equal(r.message.p, data, big);
        assert_slice_equal(r.ident, "big");
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
        strbuf_release(&sb);
        free(data);
}

static void multiple_entries_and_blank_lines(void **state) {
        ExportParser *p = open_str(state,
                "\n\n"
                "__REALTIME_TIMESTAMP=1\nMESSAGE=one\n"
                "\n\n\n"
                "__REALTIME_TIMESTAMP=2\nMESSAGE=two\n"
                "\n"
                "__REALTIME_TIMESTAMP=3\nMESSAGE=three\n"
                "\n\n");
        LogRecord r;
        const char *reason;
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.ts, 1);
        assert_slice_equal(r.message, "one");
        assert_int_equal(r.line, 1);
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.ts, 2);
        assert_slice_equal(r.message, "two");
        assert_int_equal(r.line, 2);
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.ts, 3);
        assert_slice_equal(r.message, "three");
        assert_int_equal(r.line, 3);
        assert_int_equal(p->line_no, 13);
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
        assert_int_equal(p->line_no, 14);
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
}

static void last_entry_without_blank_line(void **state) {
        ExportParser *p = open_str(state, "__REALTIME_TIMESTAMP=1\nMESSAGE=one\n\n__REALTIME_TIMESTAMP=2\nMESSAGE=two");
        LogRecord r;
        const char *reason;
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.ts, 2);
        assert_slice_equal(r.message, "two");
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
}

static void truncated_binary_field(void **state) {
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, ENTRY_HEAD "MESSAGE=ok\n\n" ENTRY_HEAD);
        uint64_t le = htole64(100);
        strbuf_addstr(&sb, "MESSAGE\n");
        strbuf_add(&sb, &le, 8);
        strbuf_addstr(&sb, "only 20 bytes here..");
        ExportParser *p = open_buf(state, &sb);
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.message, "ok");
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_string_equal(reason, "stream ends inside a binary field");
        assert_int_equal(p->error_line, 5);
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
        strbuf_release(&sb);
}

static void truncated_binary_size(void **state) {
        ExportParser *p = open_bytes(state, ENTRY_HEAD "MESSAGE\n\x05\x00\x00", strlen(ENTRY_HEAD) + 11);
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_string_equal(reason, "stream ends inside a binary field's size");
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
}

static void binary_field_without_newline(void **state) {
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, ENTRY_HEAD);
        uint64_t le = htole64(3);
        strbuf_addstr(&sb, "MESSAGE\n");
        strbuf_add(&sb, &le, 8);
        strbuf_addstr(&sb, "abcX\n\n" ENTRY_HEAD "MESSAGE=after\n\n");
        ExportParser *p = open_buf(state, &sb);
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_string_equal(reason, "binary field not followed by a newline");
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.message, "after");
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
        strbuf_release(&sb);
}

static void binary_field_too_large(void **state) {
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, ENTRY_HEAD);
        uint64_t le = htole64(UINT64_C(1) << 40);
        strbuf_addstr(&sb, "MESSAGE\n");
        strbuf_add(&sb, &le, 8);
        strbuf_addstr(&sb, "xyz\n\n" ENTRY_HEAD "MESSAGE=after\n\n");
        ExportParser *p = open_buf(state, &sb);
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_string_equal(reason, "binary field larger than 64 MiB");
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.message, "after");
        strbuf_release(&sb);
}

static void invalid_field_name_resyncs(void **state) {
        ExportParser *p = open_str(state,
                "__REALTIME_TIMESTAMP=1\nMESSAGE=one\n\n"
                "__REALTIME_TIMESTAMP=2\nbad-name=x\nMESSAGE=lost\n_PID=3\n\n"
                "__REALTIME_TIMESTAMP=3\nMESSAGE=three\n\n"
                "message=lower case\n\n"
                "1ABC=starts with a digit\n\n"
                "__REALTIME_TIMESTAMP=4\nMESSAGE=four\n\n");
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.message, "one");
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_string_equal(reason, "field name is not a journal field name");
        assert_int_equal(p->error_line, 5);
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.ts, 3);
        assert_slice_equal(r.message, "three");
        assert_int_equal(r.line, 3);                   /* the bad entry still counts */
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_int_equal(p->error_line, 12);
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_int_equal(p->error_line, 14);
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.ts, 4);
        assert_slice_equal(r.message, "four");
        assert_int_equal(r.line, 6);
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
}

static void field_name_too_long(void **state) {
        char name[70];
        memset(name, 'A', 65);
        name[65] = '\0';
        StrBuf sb = STRBUF_INIT;
        strbuf_addf(&sb, ENTRY_HEAD "%s=x\n\n" ENTRY_HEAD "%.64s=ok\nMESSAGE=m\n\n", name, name);
        ExportParser *p = open_buf(state, &sb);
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_string_equal(reason, "field name is not a journal field name");
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.message, "m");
        strbuf_release(&sb);
}

static void too_many_fields(void **state) {
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, ENTRY_HEAD);
        for (unsigned i = 0; i < 1024; i++)
                strbuf_addf(&sb, "F%u=x\n", i);
        strbuf_addstr(&sb, "\n" ENTRY_HEAD "MESSAGE=after\n\n");
        ExportParser *p = open_buf(state, &sb);
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_string_equal(reason, "entry has more than 1024 fields");
        assert_int_equal(p->error_line, 1025);
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.message, "after");
        assert_int_equal(r.line, 2);
        strbuf_release(&sb);
}

static void text_field_too_long(void **state) {
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, ENTRY_HEAD "MESSAGE=");
        strbuf_grow(&sb, READER_MAX_LINE + 64);
        assert_int_equal(strbuf_error(&sb), 0);        /* the room is written below */
        memset(sb.buf + sb.len, 'x', READER_MAX_LINE);
        sb.len += READER_MAX_LINE;
        sb.buf[sb.len] = '\0';
        strbuf_addstr(&sb, "\n\n" ENTRY_HEAD "MESSAGE=after\n\n");
        ExportParser *p = open_buf(state, &sb);
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_string_equal(reason, "field longer than 16 MiB");
        assert_int_equal(p->error_line, 2);
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.message, "after");
        strbuf_release(&sb);
}

static void entry_without_realtime(void **state) {
        ExportParser *p = open_str(state,
                "__REALTIME_TIMESTAMP=1\nMESSAGE=one\n\n"
                "__MONOTONIC_TIMESTAMP=5\nMESSAGE=no time\n\n"
                "__REALTIME_TIMESTAMP=12x\nMESSAGE=bad time\n\n"
                "__REALTIME_TIMESTAMP=2\nMESSAGE=two\n\n");
        LogRecord r;
        const char *reason = NULL;
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_string_equal(reason, "entry has no __REALTIME_TIMESTAMP");
        assert_int_equal(p->error_line, 4);
        assert_int_equal(export_parser_next(p, &r, &reason), -EBADMSG);
        assert_string_equal(reason, "__REALTIME_TIMESTAMP is not a number");
        assert_int_equal(p->error_line, 7);
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_int_equal(r.ts, 2);
        assert_slice_equal(r.message, "two");
        assert_int_equal(r.line, 4);
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
}

static void first_value_of_repeated_field_wins(void **state) {
        ExportParser *p = open_str(state, ENTRY_HEAD "MESSAGE=first\nMESSAGE=second\n_HOSTNAME=a\n_HOSTNAME=b\n\n");
        LogRecord r;
        const char *reason;
        assert_int_equal(export_parser_next(p, &r, &reason), 1);
        assert_slice_equal(r.message, "first");
        assert_slice_equal(r.node, "a");
}

static void many_entries_across_buffers(void **state) {
        StrBuf sb = STRBUF_INIT;
        const unsigned n = 5000;
        for (unsigned i = 0; i < n; i++) {
                strbuf_addf(&sb, "__REALTIME_TIMESTAMP=%u\n_PID=%u\n", 1000 + i, i);
                if (i % 3 == 0)
                        strbuf_addf(&sb, "MESSAGE=text %u with some padding to cross buffers\n", i);
                else {
                        char msg[64];
                        int len = snprintf(msg, sizeof msg, "bin\n%u\n", i);
                        add_binary(&sb, "MESSAGE", msg, (size_t) len);
                }
                strbuf_addch(&sb, '\n');
        }
        ExportParser *p = open_buf(state, &sb);
        for (unsigned i = 0; i < n; i++) {
                LogRecord r;
                const char *reason;
                char want[80];
                assert_int_equal(export_parser_next(p, &r, &reason), 1);
                assert_int_equal(r.ts, 1000 + i);
                assert_int_equal(r.pid, i);
                if (i % 3 == 0)
                        snprintf(want, sizeof want, "text %u with some padding to cross buffers", i);
                else
                        snprintf(want, sizeof want, "bin\n%u\n", i);
                assert_slice_equal(r.message, want);
        }
        LogRecord r;
        const char *reason;
        assert_int_equal(export_parser_next(p, &r, &reason), 0);
        assert_int_equal(p->entry_no, n);
        strbuf_release(&sb);
}

static void looks_like(void **state) {
        static const char bin[] = "MESSAGE\n\x05\0\0\0\0\0\0\0hello\n";
        assert_true(export_looks_like("__CURSOR=s=1;i=2\n__REALTIME_TIMESTAMP=1\n", 40));
        assert_true(export_looks_like("_BOOT_ID=0123", 13));
        assert_true(export_looks_like(bin, sizeof bin - 1));
        assert_false(export_looks_like("Nov 25 08:10:48 pve1 x: y\n", 26));
        assert_false(export_looks_like("{\"MESSAGE\":\"x\"}\n", 16));
        assert_false(export_looks_like("message=x\n", 10));
        assert_false(export_looks_like("A=x\n", 4));            /* one-letter names: too weak a sign */
        assert_false(export_looks_like("MESSAGE", 7));          /* neither '=' nor a line end */
        assert_false(export_looks_like("HELLO WORLD\n", 12));
        assert_false(export_looks_like("-- Reboot --\n", 13));
        assert_false(export_looks_like("", 0));
        assert_false(export_looks_like("=x\n", 3));
}

static void compact_cursor(void **state) {
        const char *whole = "s=6a3b;i=1f;b=0123456789abcdef0123456789abcdef;m=4c4b40;t=627b2a0b86a80;x=91";
        Slice boot = SLICE_STR("0123456789abcdef0123456789abcdef");
        usec_t mono = 0x4c4b40, ts = INT64_C(0x627b2a0b86a80);
        char buf[JOURNAL_CURSOR_COMPACT_MAX];
        /* b, m and t are the event's own: left out. */
        assert_slice_equal(journal_cursor_compact(SLICE_STR(whole), boot, mono, ts, buf), "s=6a3b;i=1f;x=91");
        /* Anything else is kept whole: another boot, mono or time (a kernel line's moved stamp)... */
        Slice other_boot = SLICE_STR("f123456789abcdef0123456789abcdef");
        assert_slice_equal(journal_cursor_compact(SLICE_STR(whole), other_boot, mono, ts, buf), whole);
        assert_slice_equal(journal_cursor_compact(SLICE_STR(whole), boot, mono + 1, ts, buf), whole);
        assert_slice_equal(journal_cursor_compact(SLICE_STR(whole), boot, -1, ts, buf), whole);
        assert_slice_equal(journal_cursor_compact(SLICE_STR(whole), boot, mono, ts - 1, buf), whole);
        assert_slice_equal(journal_cursor_compact(SLICE_STR(whole), SLICE_NULL, mono, ts, buf), whole);
        /* ... and cursors not in sd-journal's own spelling, which SQL could not rebuild exactly. */
        const char *odd[] = {
                "s=6a3b;i=1f;b=0123456789abcdef0123456789abcdef;m=04c4b40;t=627b2a0b86a80;x=91",
                "s=6a3b;i=1f;b=0123456789abcdef0123456789abcdef;m=4C4B40;t=627b2a0b86a80;x=91",
                "s=6a3b;i=1f;b=0123456789abcdef0123456789abcdef;m=4c4b40;t=627b2a0b86a80;x=91;",
                "s=6a3b;i=1f;b=0123456789abcdef0123456789abcdef;m=4c4b40;t=627b2a0b86a80",
                "s=6a3b;i=1f;b=0123456789abcdef0123456789abcdef;t=627b2a0b86a80;m=4c4b40;x=91",
                "s=6a3b;i=;b=0123456789abcdef0123456789abcdef;m=4c4b40;t=627b2a0b86a80;x=91",
                "s=6a3b;i=1f",
                "",
        };
        for (size_t i = 0; i < ELEMENTSOF(odd); i++)
                assert_slice_equal(journal_cursor_compact(SLICE_STR(odd[i]), boot, mono, ts, buf), odd[i]);
        /* Time 0 and the largest values still round-trip as SQLite's printf('%x') writes them. */
        const char *extremes = "s=1;i=2;b=0123456789abcdef0123456789abcdef;m=0;t=7fffffffffffffff;x=3";
        assert_slice_equal(journal_cursor_compact(SLICE_STR(extremes), boot, 0, INT64_MAX, buf), "s=1;i=2;x=3");

        /* Expanding gives the whole cursor back; a whole one or anything else is left as it is. */
        char whole_buf[JOURNAL_CURSOR_MAX];
        Slice c = journal_cursor_compact(SLICE_STR(whole), boot, mono, ts, buf);
        assert_slice_equal(journal_cursor_expand(c, boot, mono, ts, whole_buf), whole);
        assert_slice_equal(journal_cursor_expand(SLICE_STR("s=1;i=2;x=3"), boot, 0, INT64_MAX, whole_buf), extremes);
        assert_slice_equal(journal_cursor_expand(SLICE_STR(whole), boot, mono, ts, whole_buf), whole);
        for (size_t i = 0; i < ELEMENTSOF(odd); i++)
                if (!strstr(odd[i], ";x=") || strstr(odd[i], ";b="))
                        assert_slice_equal(journal_cursor_expand(SLICE_STR(odd[i]), boot, mono, ts, whole_buf), odd[i]);
        assert_slice_equal(journal_cursor_expand(c, SLICE_NULL, mono, ts, whole_buf), "s=6a3b;i=1f;x=91");
        assert_slice_equal(journal_cursor_expand(c, boot, -1, ts, whole_buf), "s=6a3b;i=1f;x=91");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(text_fields, setup, teardown),
                cmocka_unit_test_setup_teardown(identifier_and_pid_fallbacks, setup, teardown),
                cmocka_unit_test_setup_teardown(binary_fields, setup, teardown),
                cmocka_unit_test_setup_teardown(binary_field_larger_than_buffer, setup, teardown),
                cmocka_unit_test_setup_teardown(multiple_entries_and_blank_lines, setup, teardown),
                cmocka_unit_test_setup_teardown(last_entry_without_blank_line, setup, teardown),
                cmocka_unit_test_setup_teardown(truncated_binary_field, setup, teardown),
                cmocka_unit_test_setup_teardown(truncated_binary_size, setup, teardown),
                cmocka_unit_test_setup_teardown(binary_field_without_newline, setup, teardown),
                cmocka_unit_test_setup_teardown(binary_field_too_large, setup, teardown),
                cmocka_unit_test_setup_teardown(invalid_field_name_resyncs, setup, teardown),
                cmocka_unit_test_setup_teardown(field_name_too_long, setup, teardown),
                cmocka_unit_test_setup_teardown(too_many_fields, setup, teardown),
                cmocka_unit_test_setup_teardown(text_field_too_long, setup, teardown),
                cmocka_unit_test_setup_teardown(entry_without_realtime, setup, teardown),
                cmocka_unit_test_setup_teardown(first_value_of_repeated_field_wins, setup, teardown),
                cmocka_unit_test_setup_teardown(many_entries_across_buffers, setup, teardown),
                cmocka_unit_test(looks_like),
                cmocka_unit_test(compact_cursor),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
