/* bench-util.c: helpers of the benchmark programs (bench-util.h). */
#include <time.h>

#include "bench-util.h"

double bench_seconds(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

int bench_read_file(const char *path, StrBuf *out) {
        FILE *f = fopen(path, "re");
        if (!f)
                return -errno;
        char buf[1 << 16];
        size_t n;
        while (!strbuf_error(out) && (n = fread(buf, 1, sizeof buf, f)) > 0)
                strbuf_add(out, buf, n);
        int r = ferror(f) ? -EIO : strbuf_error(out);
        fclose(f);
        return r;
}

int bench_next_event(TextParser *tp, const StrBuf *text, size_t *pos, LogRecord *rec) {
        while (*pos < text->len) {
                const char *p = text->buf + *pos;
                const char *nl = memchr(p, '\n', text->len - *pos);
                size_t len = nl ? (size_t) (nl - p) : text->len - *pos;
                *pos += len + 1;
                const char *reason;
                if (text_parse_line(tp, (Slice){ p, len }, rec, &reason) > 0 && rec->kind == RECORD_EVENT)
                        return 1;
        }
        return 0;
}
