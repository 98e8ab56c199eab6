/* log.c: stderr diagnostics with a level, and the terminal-safe copy of untrusted log text. */
#include <stdarg.h>

#include "log.h"
#include "utf8.h"

static LogLevel log_level = LOG_LEVEL_NOTICE;
static const char *log_verb;

void log_set_verb(const char *verb) {
        log_verb = verb;
}

void log_set_level(LogLevel level) {
        log_level = level;
}

LogLevel log_get_level(void) {
        return log_level;
}

int log_full_errno(LogLevel level, int r, const char *fmt, ...) {
        if (level > log_level)
                return r;

        int saved_errno = errno;
        va_list ap;
        if (log_verb)
                fprintf(stderr, "cascade %s: ", log_verb);
        else
                fputs("cascade: ", stderr);
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        if (r != 0)
                fprintf(stderr, ": %s", strerror(r < 0 ? -r : r));
        fputc('\n', stderr);
        errno = saved_errno;
        return r;
}

void log_sanitize(const char *in, size_t len, char *out, size_t max_out) {
        size_t o = 0;

        if (max_out == 0)
                return;
        for (size_t i = 0; i < len && o + 1 < max_out;) {
                unsigned char c = (unsigned char) in[i];
                if (c < 0x20 || c == 0x7f) {
                        out[o++] = c == '\t' ? ' ' : '?';
                        i++;
                        continue;
                }
                size_t n = utf8_char_len(in + i, len - i);
                /* C1 controls (U+0080..U+009F) are read by some terminals as CSI and friends. */
                bool bad = n == 0 || (n == 2 && c == 0xc2 && (unsigned char) in[i + 1] < 0xa0);
                if (bad || o + n >= max_out) {
                        out[o++] = '?';
                        i += n == 0 ? 1 : n;
                        continue;
                }
                memcpy(out + o, in + i, n);
                o += n;
                i += n;
        }
        out[o] = '\0';
}
