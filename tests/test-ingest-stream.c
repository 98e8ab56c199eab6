/* test-ingest-stream.c: the buffered line/block reader over plain and gzip files (ingest-stream.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <zlib.h>

#include "ingest-stream.h"
#include "strbuf.h"

#define CHUNK (256u * 1024)    /* ingest-stream.c's READER_CHUNK: the buffer boundary */

/* A temporary file name per test; removed in the teardown. */
static int tmp_setup(void **state) {
        const char *dir = getenv("TMPDIR");
        char *path;
        assert_true(asprintf(&path, "%s/cascade-test-reader-XXXXXX", dir && *dir ? dir : "/tmp") > 0);
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        close(fd);
        *state = path;
        return 0;
}

static int tmp_teardown(void **state) {
        unlink(*state);
        free(*state);
        return 0;
}

static void write_file(const char *path, const void *data, size_t n) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        assert_true(fd >= 0);
        const char *p = data;
        while (n > 0) {
                ssize_t k = write(fd, p, n);
                assert_true(k > 0);
                p += k;
                n -= (size_t) k;
        }
}

static void write_gzip(const char *path, const void *data, size_t n) {
        gzFile gz = gzopen(path, "wb");
        assert_non_null(gz);
        const char *p = data;
        while (n > 0) {
                unsigned k = (unsigned) MIN(n, (size_t) 1 << 20);
                assert_int_equal(gzwrite(gz, p, k), (int) k);
                p += k;
                n -= k;
        }
        assert_int_equal(gzclose(gz), Z_OK);
}

static off_t file_size(const char *path) {
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        return st.st_size;
}

/* Line i of the generated inputs: its number and a pseudo-random filler (so gzip cannot squeeze
 * it to nothing), length varying with i. */
static void gen_line(StrBuf *sb, unsigned i, unsigned len) {
        uint32_t x = i * 2654435761u + 1;
        strbuf_addf(sb, "%08u ", i);
        for (unsigned k = 9; k < len; k++) {
                x ^= x << 13, x ^= x >> 17, x ^= x << 5;
                strbuf_addch(sb, (char) ('!' + x % 90));
        }
        strbuf_addch(sb, '\n');
        /* Checked here, not by the callers: their loops wait for sb->len to grow. */
        assert_int_equal(strbuf_error(sb), 0);
}

static unsigned line_len(unsigned i) {
        return 9 + (i * 7919u) % 3000;
}

/* Read back what gen_line() wrote; returns the number of lines. */
static unsigned check_lines(Reader *r, unsigned n_lines) {
        StrBuf want = STRBUF_INIT;
        uint64_t offset = 0;
        unsigned i;
        for (i = 0; i < n_lines; i++) {
                Slice line;
                bool complete, cut;
                strbuf_reset(&want);
                gen_line(&want, i, line_len(i));
                assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
                assert_true(complete);
                assert_false(cut);
                if (line.n != want.len - 1 || memcmp(line.p, want.buf, line.n) != 0)
                        fail_msg("line %u differs (%zu bytes, want %zu)", i, line.n, want.len - 1);
                offset += want.len;
                assert_int_equal(reader_offset(r), offset);
        }
        strbuf_release(&want);
        return i;
}

static void lines_across_buffer_boundary(void **state) {
        const char *path = *state;
        StrBuf data = STRBUF_INIT;
        unsigned n = 0;
        /* Well over four buffers, lines of every length, none aligned to the chunk. */
        while (data.len < 4 * CHUNK + 12345) {
                gen_line(&data, n, line_len(n));
                n++;
        }
        write_file(path, data.buf, data.len);

        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        assert_int_equal(check_lines(r, n), n);
        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(r, &line, &complete, &cut), 0);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 0);   /* EOF is sticky */
        assert_int_equal(reader_offset(r), data.len);
        assert_false(reader_is_compressed(r));
        strbuf_release(&data);
}

static void newline_exactly_at_boundary(void **state) {
        const char *path = *state;
        /* Lines of 4096 bytes: every 64th newline is the last byte of a chunk; and one line that
         * ends exactly at the first chunk's end with its newline as the first byte of the next. */
        StrBuf data = STRBUF_INIT;
        for (unsigned i = 0; i < 3 * 64; i++) {
                char head[16];
                snprintf(head, sizeof head, "%06u", i);
                strbuf_addstr(&data, head);
                for (unsigned k = 6; k < 4095; k++)
                        strbuf_addch(&data, 'x');
                strbuf_addch(&data, '\n');
        }
        size_t first = data.len;
        assert_int_equal(first, 3 * CHUNK);
        for (unsigned k = 0; k < CHUNK; k++)
                strbuf_addch(&data, 'y');
        strbuf_addstr(&data, "\nz\n");
        assert_int_equal(strbuf_error(&data), 0);
        write_file(path, data.buf, data.len);

        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        Slice line;
        bool complete, cut;
        for (unsigned i = 0; i < 3 * 64; i++) {
                char head[16];
                snprintf(head, sizeof head, "%06u", i);
                assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
                assert_int_equal(line.n, 4095);
                assert_memory_equal(line.p, head, 6);
                assert_int_equal(line.p[4094], 'x');
                assert_true(complete);
        }
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_int_equal(line.n, CHUNK);
        assert_int_equal(line.p[0], 'y');
        assert_int_equal(line.p[CHUNK - 1], 'y');
        assert_true(complete);
        assert_false(cut);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_int_equal(line.n, 1);
        assert_int_equal(line.p[0], 'z');
        assert_int_equal(reader_line(r, &line, &complete, &cut), 0);
        strbuf_release(&data);
}

static void last_line_without_newline(void **state) {
        const char *path = *state;
        write_file(path, "one\ntwo\r\nthree", 14);
        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "one"));
        assert_true(complete);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "two\r"));         /* '\r' is kept: parsers decide */
        assert_true(complete);
        assert_int_equal(reader_offset(r), 9);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "three"));
        assert_false(complete);
        assert_false(cut);
        assert_int_equal(reader_offset(r), 14);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 0);
}

static void empty_file_and_empty_lines(void **state) {
        const char *path = *state;
        Slice line;
        bool complete, cut;
        {
                _cleanup_(reader_freep) Reader *r = NULL;
                assert_int_equal(reader_open(path, &r), 0);
                assert_int_equal(reader_line(r, &line, &complete, &cut), 0);
                const char *p;
                assert_int_equal(reader_peek(r, 10, &p), 0);
        }
        write_file(path, "\n\na\n", 4);
        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_int_equal(line.n, 0);
        assert_true(complete);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_int_equal(line.n, 0);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "a"));
        assert_int_equal(reader_line(r, &line, &complete, &cut), 0);
}

static void gzip_transparent(void **state) {
        const char *path = *state;
        StrBuf data = STRBUF_INIT;
        unsigned n = 0;
        while (data.len < 3 * CHUNK) {
                gen_line(&data, n, line_len(n));
                n++;
        }
        write_gzip(path, data.buf, data.len);
        assert_true(file_size(path) < (off_t) data.len);

        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        const char *p;
        assert_int_equal(reader_peek(r, 9, &p), 9);
        assert_memory_equal(p, "00000000 ", 9);       /* peeking sees decompressed bytes */
        assert_true(reader_is_compressed(r));
        assert_int_equal(check_lines(r, n), n);
        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(r, &line, &complete, &cut), 0);
        assert_int_equal(reader_offset(r), data.len);
        assert_int_equal(reader_raw_offset(r), file_size(path));
        strbuf_release(&data);
}

/* A .gz cut short: every line that was there comes back, then -EBADMSG rather than a clean end. */
static void gzip_truncated(void **state) {
        const char *path = *state;
        StrBuf data = STRBUF_INIT;
        unsigned n = 0;
        while (data.len < 2 * CHUNK) {
                gen_line(&data, n, line_len(n));
                n++;
        }
        write_gzip(path, data.buf, data.len);
        off_t full = file_size(path);
        assert_int_equal(truncate(path, full - 200), 0);

        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        StrBuf want = STRBUF_INIT;
        unsigned good = 0;
        int k;
        for (;;) {
                Slice line;
                bool complete, cut;
                k = reader_line(r, &line, &complete, &cut);
                if (k <= 0)
                        break;
                strbuf_reset(&want);
                gen_line(&want, good, line_len(good));
                if (!complete) {
                        /* The piece of the line that was decompressed before the cut. */
                        assert_true(line.n < want.len - 1);
                        assert_memory_equal(line.p, want.buf, line.n);
                        continue;
                }
                assert_int_equal(line.n, want.len - 1);
                assert_memory_equal(line.p, want.buf, line.n);
                good++;
        }
        assert_int_equal(k, -EBADMSG);
        assert_true(good > n / 2);
        assert_true(good < n);
        /* The error is sticky. */
        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(r, &line, &complete, &cut), -EBADMSG);
        strbuf_release(&want);
        strbuf_release(&data);
}

/* Only the gzip trailer (CRC and size) missing: all data, then still -EBADMSG. */
static void gzip_trailer_missing(void **state) {
        const char *path = *state;
        write_gzip(path, "alpha\nbeta\n", 11);
        assert_int_equal(truncate(path, file_size(path) - 4), 0);
        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "alpha"));
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "beta"));
        assert_int_equal(reader_line(r, &line, &complete, &cut), -EBADMSG);
}

static void gzip_corrupt_data(void **state) {
        const char *path = *state;
        StrBuf data = STRBUF_INIT;
        unsigned n = 0;
        while (data.len < 4 * CHUNK) {
                gen_line(&data, n, line_len(n));
                n++;
        }
        write_gzip(path, data.buf, data.len);
        /* Flip bytes in the middle of the deflate stream. zlib's gzread() drops what the failing
         * call decompressed, so only the buffers before that one come back: hence 4 chunks. */
        _cleanup_close_ int fd = open(path, O_RDWR | O_CLOEXEC);
        assert_true(fd >= 0);
        off_t mid = file_size(path) / 2;
        assert_int_equal(pwrite(fd, "\xff\x00\xff\x00\xff\x00\xff\x00", 8, mid), 8);

        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        Slice line;
        bool complete, cut;
        int k;
        unsigned lines = 0;
        while ((k = reader_line(r, &line, &complete, &cut)) > 0)
                lines++;
        assert_int_equal(k, -EBADMSG);
        assert_true(lines > 0);
        strbuf_release(&data);
}

static void long_line_is_cut(void **state) {
        const char *path = *state;
        const size_t big = 20u * 1024 * 1024;
        char *data = malloc(big + 32);
        assert_non_null(data);
        memset(data, 'L', big);
        data[0] = '<';
        data[READER_MAX_LINE - 1] = '|';
        data[big] = '\n';
        memcpy(data + big + 1, "after\nlast\n", 11);
        write_file(path, data, big + 12);
        free(data);

        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_int_equal(line.n, READER_MAX_LINE);
        assert_int_equal(line.p[0], '<');
        assert_int_equal(line.p[READER_MAX_LINE - 1], '|');
        assert_true(cut);
        assert_true(complete);
        assert_int_equal(reader_offset(r), big + 1);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "after"));
        assert_false(cut);
        assert_int_equal(reader_offset(r), big + 7);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "last"));
        assert_int_equal(reader_line(r, &line, &complete, &cut), 0);
}

static void long_last_line_without_newline(void **state) {
        const char *path = *state;
        const size_t big = 17u * 1024 * 1024;
        char *data = malloc(big + 8);
        assert_non_null(data);
        memcpy(data, "first\n", 6);
        memset(data + 6, 'M', big);
        write_file(path, data, big + 6);
        free(data);

        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "first"));
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_int_equal(line.n, READER_MAX_LINE);
        assert_false(complete);
        assert_true(cut);
        assert_int_equal(reader_offset(r), big + 6);
        assert_int_equal(reader_line(r, &line, &complete, &cut), 0);
}

static void skip_to_offset(void **state) {
        const char *path = *state;
        StrBuf data = STRBUF_INIT;
        uint64_t offset_of[2000];
        unsigned n = 0;
        while (n < ELEMENTSOF(offset_of)) {
                offset_of[n] = data.len;
                gen_line(&data, n, line_len(n));
                n++;
        }
        for (int gz = 0; gz < 2; gz++) {
                if (gz)
                        write_gzip(path, data.buf, data.len);
                else
                        write_file(path, data.buf, data.len);
                _cleanup_(reader_freep) Reader *r = NULL;
                assert_int_equal(reader_open(path, &r), 0);
                Slice line;
                bool complete, cut;
                /* From the start, and then forward again from a position inside the stream. */
                assert_int_equal(reader_skip_to(r, offset_of[1500]), 1);
                assert_int_equal(reader_offset(r), offset_of[1500]);
                assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
                assert_memory_equal(line.p, "00001500 ", 9);
                assert_int_equal(reader_skip_to(r, offset_of[1700] + 3), 1);
                assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
                assert_memory_equal(line.p, "01700 ", 6);
                /* Backwards is a no-op. */
                assert_int_equal(reader_skip_to(r, 10), 1);
                assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
                assert_memory_equal(line.p, "00001701 ", 9);
                /* Exactly the end, then past it. */
                assert_int_equal(reader_skip_to(r, data.len), 1);
                assert_int_equal(reader_line(r, &line, &complete, &cut), 0);
                assert_int_equal(reader_skip_to(r, data.len + 100), 0);
                assert_int_equal(reader_offset(r), data.len);
        }
        strbuf_release(&data);
}

static void peek_does_not_consume(void **state) {
        const char *path = *state;
        write_file(path, "__CURSOR=x\nMESSAGE=y\n", 21);
        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        const char *p;
        assert_int_equal(reader_peek(r, 8, &p), 8);
        assert_memory_equal(p, "__CURSOR", 8);
        assert_int_equal(reader_peek(r, 4096, &p), 21);
        assert_int_equal(reader_offset(r), 0);
        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "__CURSOR=x"));
}

static void block_reads(void **state) {
        const char *path = *state;
        write_file(path, "MESSAGE\n\x05\0\0\0\0\0\0\0a\nb\0c\nX", 23);
        _cleanup_(reader_freep) Reader *r = NULL;
        assert_int_equal(reader_open(path, &r), 0);
        Slice line, b;
        bool complete, cut;
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "MESSAGE"));
        assert_int_equal(reader_block(r, 8, &b), 1);
        assert_memory_equal(b.p, "\x05\0\0\0\0\0\0\0", 8);
        assert_int_equal(reader_block(r, 6, &b), 1);
        assert_memory_equal(b.p, "a\nb\0c\n", 6);
        assert_int_equal(reader_offset(r), 22);
        assert_int_equal(reader_block(r, 2, &b), 0);          /* only one byte left */
        assert_int_equal(reader_block(r, 1, &b), 1);
        assert_int_equal(b.p[0], 'X');
        assert_int_equal(reader_block(r, 0, &b), 1);

        /* A block larger than the buffer. */
        const size_t big = 3 * CHUNK + 17;
        char *data = malloc(big);
        assert_non_null(data);
        for (size_t i = 0; i < big; i++)
                data[i] = (char) (i * 31);
        write_file(path, data, big);
        _cleanup_(reader_freep) Reader *r2 = NULL;
        assert_int_equal(reader_open(path, &r2), 0);
        assert_int_equal(reader_block(r2, 5, &b), 1);
        assert_int_equal(reader_block(r2, big - 5, &b), 1);
        assert_memory_equal(b.p, data + 5, big - 5);
        free(data);
}

static void stdin_dash(void **state) {
        const char *path = *state;
        write_gzip(path, "from\nstdin\n", 11);
        int saved = dup(STDIN_FILENO);
        assert_true(saved >= 0);
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
        Reader *r = NULL;
        int k = reader_open("-", &r);
        /* Put stdin back before asserting: the reader holds its own duplicate. */
        assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
        close(saved);
        assert_int_equal(k, 0);
        Slice line;
        bool complete, cut;
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "from"));
        assert_true(reader_is_compressed(r));
        assert_int_equal(reader_line(r, &line, &complete, &cut), 1);
        assert_true(slice_eq_str(line, "stdin"));
        assert_int_equal(reader_line(r, &line, &complete, &cut), 0);
        reader_free(r);
}

static void open_errors(void **state) {
        Reader *r = NULL;
        assert_int_equal(reader_open("/nonexistent/cascade/file", &r), -ENOENT);
        assert_null(r);
        assert_null(reader_free(NULL));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(lines_across_buffer_boundary, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(newline_exactly_at_boundary, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(last_line_without_newline, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(empty_file_and_empty_lines, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(gzip_transparent, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(gzip_truncated, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(gzip_trailer_missing, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(gzip_corrupt_data, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(long_line_is_cut, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(long_last_line_without_newline, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(skip_to_offset, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(peek_does_not_consume, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(block_reads, tmp_setup, tmp_teardown),
                cmocka_unit_test_setup_teardown(stdin_dash, tmp_setup, tmp_teardown),
                cmocka_unit_test(open_errors),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
