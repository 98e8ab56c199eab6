/* ingest-stream.c: one buffer, refilled from zlib's gzread; lines are found with memchr. */
#include <fcntl.h>
#include <limits.h>
#include <zlib.h>

#include "ingest-stream.h"

#define READER_CHUNK (256u * 1024)

struct Reader {
        gzFile gz;             /* owns the fd */
        char *buf;             /* [start, end) holds unread bytes */
        size_t start, end;
        size_t alloc;
        uint64_t consumed;     /* stream offset of buf[start] */
        bool eof;
        int error;             /* sticky: -EBADMSG once a gzip stream turned out corrupt or cut short */
        bool compressed;
};

int reader_open(const char *path, Reader **ret) {
        int fd = streq(path, "-") ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;

        Reader *r = calloc(1, sizeof *r);
        if (!r) {
                close(fd);
                return -ENOMEM;
        }
        r->gz = gzdopen(fd, "rb");
        if (!r->gz) {
                close(fd);
                free(r);
                return -ENOMEM;
        }
        gzbuffer(r->gz, READER_CHUNK);
        r->alloc = READER_CHUNK;
        r->buf = malloc(r->alloc);
        if (!r->buf) {
                reader_free(r);
                return -ENOMEM;
        }
        *ret = r;
        return 0;
}

Reader *reader_free(Reader *r) {
        if (!r)
                return NULL;
        if (r->gz)
                gzclose(r->gz);
        free(r->buf);
        free(r);
        return NULL;
}

/* Read more bytes after `end`, growing the buffer if want more than fits. */
static int fill(Reader *r, size_t want) {
        if (r->eof)
                return r->error;
        if (r->start > 0 && (r->end == r->start || r->alloc - r->end < READER_CHUNK)) {
                memmove(r->buf, r->buf + r->start, r->end - r->start);
                r->end -= r->start;
                r->start = 0;
        }
        if (array_reserve(&r->buf, &r->alloc, r->end + MAX(want, (size_t) READER_CHUNK), 1, READER_CHUNK) < 0)
                return -ENOMEM;
        size_t room = r->alloc - r->end;
        if (room > INT_MAX / 2)
                room = INT_MAX / 2;
        int n = gzread(r->gz, r->buf + r->end, (unsigned) room);
        if (n < 0) {
                int errnum;
                gzerror(r->gz, &errnum);
                r->eof = true;
                r->error = errnum == Z_ERRNO ? -(errno ? errno : EIO) : -EBADMSG;
                return r->error;
        }
        if (r->consumed == 0 && r->start == 0 && r->end == 0)
                r->compressed = !gzdirect(r->gz);
        if (n == 0) {
                int errnum;
                gzerror(r->gz, &errnum);
                r->eof = true;
                /* A .gz cut short ends with Z_BUF_ERROR: say so rather than pass it as a clean end. */
                if (errnum == Z_BUF_ERROR || errnum == Z_DATA_ERROR)
                        r->error = -EBADMSG;
                return r->error;
        }
        r->end += (size_t) n;
        return n;
}

ssize_t reader_peek(Reader *r, size_t n, const char **ret) {
        while (r->end - r->start < n && !r->eof) {
                int k = fill(r, n);
                if (k < 0)
                        return k;
        }
        *ret = r->buf + r->start;
        return (ssize_t) MIN(n, r->end - r->start);
}

static void consume(Reader *r, size_t n) {
        r->start += n;
        r->consumed += n;
}

int reader_line(Reader *r, Slice *ret_line, bool *ret_complete, bool *ret_cut) {
        size_t scanned = 0;
        uint64_t dropped = 0;  /* bytes of an over-long line thrown away beyond READER_MAX_LINE */

        for (;;) {
                char *nl = memchr(r->buf + r->start + scanned, '\n', r->end - r->start - scanned);
                if (nl) {
                        size_t len = (size_t) (nl - (r->buf + r->start));
                        bool cut = dropped > 0 || len > READER_MAX_LINE;
                        *ret_line = (Slice){ r->buf + r->start, MIN(len, (size_t) READER_MAX_LINE) };
                        consume(r, len + 1);
                        r->consumed += dropped;
                        *ret_complete = true;
                        *ret_cut = cut;
                        return 1;
                }
                scanned = r->end - r->start;
                if (scanned > READER_MAX_LINE) {
                        dropped += scanned - READER_MAX_LINE;
                        r->end = r->start + READER_MAX_LINE;
                        scanned = READER_MAX_LINE;
                }
                int k = fill(r, 1);
                if (k < 0 && k != -EBADMSG)
                        return k;
                if (k <= 0) {
                        if (r->end == r->start)
                                return k;
                        size_t len = r->end - r->start;
                        *ret_line = (Slice){ r->buf + r->start, len };
                        consume(r, len);
                        r->consumed += dropped;
                        *ret_complete = false;
                        *ret_cut = dropped > 0;
                        return 1;
                }
        }
}

int reader_block(Reader *r, size_t n, Slice *ret) {
        while (r->end - r->start < n) {
                int k = fill(r, n - (r->end - r->start));
                if (k < 0)
                        return k;
                if (k == 0)
                        return 0;
        }
        *ret = (Slice){ r->buf + r->start, n };
        consume(r, n);
        return 1;
}

int reader_skip_to(Reader *r, uint64_t offset) {
        while (r->consumed < offset) {
                if (r->end == r->start) {
                        int k = fill(r, 1);
                        if (k < 0)
                                return k;
                        if (k == 0)
                                return 0;
                }
                size_t n = (size_t) MIN((uint64_t) (r->end - r->start), offset - r->consumed);
                consume(r, n);
        }
        return 1;
}

uint64_t reader_offset(const Reader *r) {
        return r->consumed;
}

uint64_t reader_raw_offset(const Reader *r) {
        return (uint64_t) gzoffset(r->gz);
}

bool reader_is_compressed(const Reader *r) {
        return r->compressed;
}
