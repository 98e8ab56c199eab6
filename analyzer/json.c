/* json.c: the one JSON string escaper, used for captures, query output and analysis output. */
#include "json.h"
#include "utf8.h"

int json_append_string(StrBuf *out, const char *s, size_t len) {
        int r = strbuf_addch(out, '"');
        for (size_t i = 0; r >= 0 && i < len;) {
                unsigned char c = (unsigned char) s[i];
                if (c == '"' || c == '\\') {
                        char esc[2] = { '\\', (char) c };
                        r = strbuf_add(out, esc, 2);
                        i++;
                } else if (c < 0x20 || c == 0x7f) {
                        static const char named[] = { ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't' };
                        if (c < sizeof named && named[c])
                                r = strbuf_add(out, (char[]){ '\\', named[c] }, 2);
                        else
                                r = strbuf_addf(out, "\\u%04x", c);
                        i++;
                } else if (c < 0x80) {
                        size_t run = i;
                        while (run < len && (unsigned char) s[run] >= 0x20 && (unsigned char) s[run] < 0x7f &&
                               s[run] != '"' && s[run] != '\\')
                                run++;
                        r = strbuf_add(out, s + i, run - i);
                        i = run;
                } else {
                        size_t n = utf8_char_len(s + i, len - i);
                        if (n == 0) {
                                r = strbuf_add(out, "\xef\xbf\xbd", 3);
                                i++;
                        } else {
                                r = strbuf_add(out, s + i, n);
                                i += n;
                        }
                }
        }
        return r < 0 ? r : strbuf_addch(out, '"');
}
