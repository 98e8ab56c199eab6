/* json.c: the one JSON string escaper, used for captures, query output and analysis output. */
#include "json.h"
#include "utf8.h"

void json_append_string(StrBuf *out, const char *s, size_t len) {
        strbuf_addch(out, '"');
        for (size_t i = 0; i < len;) {
                unsigned char c = (unsigned char) s[i];
                if (c == '"' || c == '\\') {
                        char esc[2] = { '\\', (char) c };
                        strbuf_add(out, esc, 2);
                        i++;
                } else if (c < 0x20 || c == 0x7f) {
                        static const char named[] = { ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't' };
                        if (c < sizeof named && named[c])
                                strbuf_add(out, (char[]){ '\\', named[c] }, 2);
                        else
                                strbuf_addf(out, "\\u%04x", c);
                        i++;
                } else if (c < 0x80) {
                        size_t run = i;
                        while (run < len && (unsigned char) s[run] >= 0x20 && (unsigned char) s[run] < 0x7f &&
                               s[run] != '"' && s[run] != '\\')
                                run++;
                        strbuf_add(out, s + i, run - i);
                        i = run;
                } else {
                        size_t n = utf8_char_len(s + i, len - i);
                        if (n == 0) {
                                strbuf_add(out, "\xef\xbf\xbd", 3);
                                i++;
                        } else {
                                strbuf_add(out, s + i, n);
                                i += n;
                        }
                }
        }
        strbuf_addch(out, '"');
}

/* Decode the string starting after its opening quote at *p into buf; *p ends after the closing
 * quote. Only the escapes json_append_string() writes, plus \/ and \uXXXX below U+0800. */
static bool decode_string(const char **p, char *buf, size_t size) {
        size_t o = 0;
        const char *s = *p;
        while (*s && *s != '"') {
                char c = *s++;
                if (c == '\\') {
                        char e = *s++;
                        switch (e) {
                        case 'n': c = '\n'; break;
                        case 't': c = '\t'; break;
                        case 'r': c = '\r'; break;
                        case 'b': c = '\b'; break;
                        case 'f': c = '\f'; break;
                        case 'u': {
                                unsigned v = 0;
                                for (int i = 0; i < 4; i++, s++) {
                                        if (!*s)
                                                return false;
                                        v = v * 16 + (unsigned) (*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
                                }
                                if (v >= 0x80) {
                                        if (buf && o + 2 < size)
                                                buf[o++] = (char) (0xc0 | v >> 6), buf[o++] = (char) (0x80 | (v & 0x3f));
                                        continue;
                                }
                                c = (char) v;
                                break;
                        }
                        case '\0':
                                return false;
                        default: c = e; break;   /* \" \\ \/ */
                        }
                }
                if (buf && o + 1 < size)
                        buf[o++] = c;
        }
        if (*s != '"')
                return false;
        if (buf && size)
                buf[o] = '\0';
        *p = s + 1;
        return true;
}

bool json_object_get(const char *json, const char *key, char *buf, size_t size) {
        const char *p = json ? strchr(json, '{') : NULL;
        if (!p)
                return false;
        p++;
        size_t klen = strlen(key);
        char name[128];
        while (*p) {
                while (*p == ' ' || *p == ',')
                        p++;
                if (*p != '"')
                        return false;
                p++;
                if (!decode_string(&p, name, sizeof name))
                        return false;
                while (*p == ' ' || *p == ':')
                        p++;
                if (*p != '"')
                        return false;
                p++;
                bool want = strlen(name) == klen && memcmp(name, key, klen) == 0;
                if (!decode_string(&p, want ? buf : NULL, size))
                        return false;
                if (want)
                        return true;
        }
        return false;
}
