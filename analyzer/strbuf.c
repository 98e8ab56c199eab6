/* strbuf.c: growable byte buffer. Every append returns 0 or -ENOMEM and leaves sb valid. */
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

int strbuf_grow(StrBuf *sb, size_t extra) {
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

int strbuf_add(StrBuf *sb, const void *data, size_t len) {
        int r = strbuf_grow(sb, len);
        if (r < 0)
                return r;
        if (len > 0)
                memcpy(sb->buf + sb->len, data, len);
        sb->len += len;
        sb->buf[sb->len] = '\0';
        return 0;
}

int strbuf_addstr(StrBuf *sb, const char *s) {
        return strbuf_add(sb, s, strlen(s));
}

int strbuf_addch(StrBuf *sb, char c) {
        return strbuf_add(sb, &c, 1);
}

int strbuf_addf(StrBuf *sb, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -EINVAL;
        int r = strbuf_grow(sb, (size_t) n);
        if (r < 0)
                return r;
        va_start(ap, fmt);
        vsnprintf(sb->buf + sb->len, (size_t) n + 1, fmt, ap);
        va_end(ap);
        sb->len += (size_t) n;
        return 0;
}

void strbuf_reset(StrBuf *sb) {
        sb->len = 0;
        /* Never written while shared: buffers of several threads may still point at it. */
        if (sb->alloc)
                sb->buf[0] = '\0';
}

void strbuf_release(StrBuf *sb) {
        if (sb->alloc)
                free(sb->buf);
        sb->buf = strbuf_empty;
        sb->len = sb->alloc = 0;
}

int strbuf_write_fd(const StrBuf *sb, int fd) {
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

        if (!sb->alloc)
                p = strdup("");
        else
                p = sb->buf;
        sb->buf = strbuf_empty;
        sb->len = sb->alloc = 0;
        return p;
}
