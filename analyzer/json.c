/* json.c: the one JSON string escaper, used for captures, query output and analysis output, and the
 * check that JSON text from elsewhere is valid before an output nests it. */
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

/* ---- validating JSON text from elsewhere (a stored column, SQL's json()) before it is nested ---- */

/* Containers nested deeper are refused: the checker recurses, and no JSON cascade stores comes near. */
#define JSON_MAX_DEPTH 256

typedef struct JsonCursor {
        const char *p, *end;
} JsonCursor;

static bool json_check_value(JsonCursor *c, unsigned depth);

static void skip_space(JsonCursor *c) {
        while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
                c->p++;
}

static bool take(JsonCursor *c, char ch) {
        skip_space(c);
        if (c->p >= c->end || *c->p != ch)
                return false;
        c->p++;
        return true;
}

static bool is_hex(char ch) {
        return (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f');
}

/* A string from its opening quote: UTF-8, no control character, only RFC 8259's escapes. */
static bool json_check_string(JsonCursor *c) {
        if (!take(c, '"'))
                return false;
        while (c->p < c->end) {
                unsigned char ch = (unsigned char) *c->p;
                if (ch == '"') {
                        c->p++;
                        return true;
                }
                if (ch < 0x20)
                        return false;
                if (ch == '\\') {
                        if (c->end - c->p < 2)
                                return false;
                        char e = c->p[1];
                        if (e == 'u') {
                                if (c->end - c->p < 6 || !is_hex(c->p[2]) || !is_hex(c->p[3]) || !is_hex(c->p[4]) ||
                                    !is_hex(c->p[5]))
                                        return false;
                                c->p += 6;
                        } else if (e && strchr("\"\\/bfnrt", e)) {
                                c->p += 2;
                        } else
                                return false;
                        continue;
                }
                size_t n = ch < 0x80 ? 1 : utf8_char_len(c->p, (size_t) (c->end - c->p));
                if (n == 0)
                        return false;
                c->p += n;
        }
        return false;
}

static size_t digits(JsonCursor *c) {
        const char *start = c->p;
        while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
                c->p++;
        return (size_t) (c->p - start);
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_check_number(JsonCursor *c) {
        if (c->p < c->end && *c->p == '-')
                c->p++;
        if (c->p < c->end && *c->p == '0')
                c->p++;
        else if (digits(c) == 0)
                return false;
        if (c->p < c->end && *c->p == '.') {
                c->p++;
                if (digits(c) == 0)
                        return false;
        }
        if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
                c->p++;
                if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
                        c->p++;
                if (digits(c) == 0)
                        return false;
        }
        return true;
}

static bool json_check_word(JsonCursor *c, const char *word) {
        size_t n = strlen(word);
        if ((size_t) (c->end - c->p) < n || memcmp(c->p, word, n) != 0)
                return false;
        c->p += n;
        return true;
}

/* An object or an array from its opening bracket: members (key ':' value) or values, ','-separated. */
static bool json_check_container(JsonCursor *c, unsigned depth, bool object) {
        if (depth >= JSON_MAX_DEPTH)
                return false;
        c->p++;
        if (take(c, object ? '}' : ']'))
                return true;
        do {
                if (object && (!json_check_string(c) || !take(c, ':')))
                        return false;
                if (!json_check_value(c, depth + 1))
                        return false;
        } while (take(c, ','));
        return take(c, object ? '}' : ']');
}

/* depth: the containers around the value. */
static bool json_check_value(JsonCursor *c, unsigned depth) {
        skip_space(c);
        if (c->p >= c->end)
                return false;
        switch (*c->p) {
        case '{': return json_check_container(c, depth, true);
        case '[': return json_check_container(c, depth, false);
        case '"': return json_check_string(c);
        case 't': return json_check_word(c, "true");
        case 'f': return json_check_word(c, "false");
        case 'n': return json_check_word(c, "null");
        default: return json_check_number(c);
        }
}

bool json_is_valid(const char *s, size_t len) {
        JsonCursor c = { s, s + len };
        if (!json_check_value(&c, 0))
                return false;
        skip_space(&c);
        return c.p == c.end;
}

void json_append_compact(StrBuf *out, const char *s, size_t len) {
        bool in_string = false;
        size_t run = 0;        /* start of the bytes not yet copied */
        for (size_t i = 0; i < len; i++) {
                char ch = s[i];
                if (in_string) {
                        if (ch == '\\')
                                i++;   /* the escaped byte cannot end the string */
                        else if (ch == '"')
                                in_string = false;
                } else if (ch == '"')
                        in_string = true;
                else if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
                        strbuf_add(out, s + run, i - run);
                        run = i + 1;
                }
        }
        strbuf_add(out, s + run, len - run);
}
