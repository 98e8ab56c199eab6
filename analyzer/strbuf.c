/* strbuf.c: growable byte buffer. A failed append marks the buffer (strbuf_error()) and leaves
 * its text valid; the next appends do nothing. */
#include <stdarg.h>
#include <unistd.h>

#include "strbuf.h"

char strbuf_empty[1];

char *slice_strdup(Slice s) {
        char *p = malloc(s.n + 1);
        if (!p)
                return NULL;
        if (s.n > 0)
                memcpy(p, s.p, s.n);
        p[s.n] = '\0';
        return p;
}

static int grow(StrBuf *sb, size_t extra) {
        if (extra > SIZE_MAX / 2 - sb->len)
                return -ENOMEM;
        size_t need = sb->len + extra + 1;
        if (need <= sb->alloc)
                return 0;
        size_t alloc = sb->alloc ? sb->alloc : 64;
        while (alloc < need)
                alloc *= 2;
        char *p = realloc(sb->alloc ? sb->buf : NULL, alloc);
        if (!p)
                return -ENOMEM;
        if (!sb->alloc)
                p[0] = '\0';
        sb->buf = p;
        sb->alloc = alloc;
        return 0;
}

/* false, and sb marked, when the append cannot happen. */
static bool reserve(StrBuf *sb, size_t extra) {
        if (sb->error)
                return false;
        sb->error = grow(sb, extra);
        return sb->error == 0;
}

void strbuf_grow(StrBuf *sb, size_t extra) {
        (void) reserve(sb, extra);
}

void strbuf_add(StrBuf *sb, const void *data, size_t len) {
        if (!reserve(sb, len))
                return;
        if (len > 0)
                memcpy(sb->buf + sb->len, data, len);
        sb->len += len;
        sb->buf[sb->len] = '\0';
}

void strbuf_addstr(StrBuf *sb, const char *s) {
        strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(StrBuf *sb, char c) {
        strbuf_add(sb, &c, 1);
}

void strbuf_addf(StrBuf *sb, const char *fmt, ...) {
        va_list ap;

        if (sb->error)
                return;
        va_start(ap, fmt);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
                sb->error = -EINVAL;
                return;
        }
        if (!reserve(sb, (size_t) n))
                return;
        va_start(ap, fmt);
        vsnprintf(sb->buf + sb->len, (size_t) n + 1, fmt, ap);
        va_end(ap);
        sb->len += (size_t) n;
}

void strbuf_reset(StrBuf *sb) {
        sb->len = 0;
        sb->error = 0;
        /* Never written while shared: buffers of several threads may still point at it. */
        if (sb->alloc)
                sb->buf[0] = '\0';
}

void strbuf_release(StrBuf *sb) {
        if (sb->alloc)
                free(sb->buf);
        *sb = (StrBuf) STRBUF_INIT;
}

int strbuf_write_fd(const StrBuf *sb, int fd) {
        if (sb->error)
                return sb->error;
        for (size_t done = 0; done < sb->len;) {
                ssize_t n = write(fd, sb->buf + done, sb->len - done);
                if (n < 0)
                        return -errno;
                done += (size_t) n;
        }
        return 0;
}

char *strbuf_detach(StrBuf *sb) {
        char *p;

        if (sb->error)
                p = NULL;
        else if (!sb->alloc)
                p = strdup("");
        else
                p = TAKE_PTR(sb->buf);
        strbuf_release(sb);
        return p;
}
