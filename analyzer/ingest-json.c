/* ingest-json.c: a strict, small JSON reader for journal objects; decodes into one buffer per line. */
#include "ingest-json.h"
#include "ingest-journal-fields.h"

typedef struct JsonFieldPos {
        size_t name_off, name_len, value_off, value_len;
} FieldPos;

typedef struct Cursor {
        const char *p, *end, *start;
        const char *reason;
} Cursor;

void json_parser_init(JsonParser *p) {
        *p = (JsonParser){ .values = STRBUF_INIT };
}

void json_parser_done(JsonParser *p) {
        strbuf_release(&p->values);
        free(p->fields);
        p->fields = NULL;
}

static void skip_ws(Cursor *c) {
        while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
                c->p++;
}

static int bad(Cursor *c, const char *why) {
        if (!c->reason)
                c->reason = why;
        return -EBADMSG;
}

static int hex4(Cursor *c, uint32_t *ret) {
        uint32_t v = 0;
        if (c->end - c->p < 4)
                return bad(c, "truncated \\u escape");
        for (int i = 0; i < 4; i++, c->p++) {   /* advance after the check: the column names the bad digit */
                char ch = *c->p;
                v <<= 4;
                if (ch >= '0' && ch <= '9')
                        v |= (uint32_t) (ch - '0');
                else if (ch >= 'a' && ch <= 'f')
                        v |= (uint32_t) (ch - 'a' + 10);
                else if (ch >= 'A' && ch <= 'F')
                        v |= (uint32_t) (ch - 'A' + 10);
                else
                        return bad(c, "bad hex digit in \\u escape");
        }
        *ret = v;
        return 0;
}

static void put_utf8(StrBuf *out, uint32_t cp) {
        char b[4];
        size_t n;
        if (cp < 0x80)
                b[0] = (char) cp, n = 1;
        else if (cp < 0x800)
                b[0] = (char) (0xc0 | cp >> 6), b[1] = (char) (0x80 | (cp & 0x3f)), n = 2;
        else if (cp < 0x10000)
                b[0] = (char) (0xe0 | cp >> 12), b[1] = (char) (0x80 | ((cp >> 6) & 0x3f)),
                b[2] = (char) (0x80 | (cp & 0x3f)), n = 3;
        else
                b[0] = (char) (0xf0 | cp >> 18), b[1] = (char) (0x80 | ((cp >> 12) & 0x3f)),
                b[2] = (char) (0x80 | ((cp >> 6) & 0x3f)), b[3] = (char) (0x80 | (cp & 0x3f)), n = 4;
        strbuf_add(out, b, n);
}

/* A string at c->p (opening quote included), decoded and appended to out. Here and below, out
 * keeps an allocation failure: json_parser_line() checks it once the line is parsed. */
static int parse_string(Cursor *c, StrBuf *out) {
        if (c->p >= c->end || *c->p != '"')
                return bad(c, "expected a string");
        c->p++;
        for (;;) {
                const char *run = c->p;
                while (c->p < c->end && *c->p != '"' && *c->p != '\\' && (unsigned char) *c->p >= 0x20)
                        c->p++;
                strbuf_add(out, run, (size_t) (c->p - run));
                if (c->p >= c->end)
                        return bad(c, "unterminated string");
                char ch = *c->p++;
                if (ch == '"')
                        return 0;
                if (ch != '\\') {
                        c->p--;        /* the column names the bad byte, as everywhere else */
                        return bad(c, "control character inside a string");
                }
                if (c->p >= c->end)
                        return bad(c, "unterminated escape");
                ch = *c->p++;
                const char *simple = strchr("\"\\/bfnrt", ch);
                if (simple && ch) {
                        static const char map[] = "\"\\/\b\f\n\r\t";
                        strbuf_addch(out, map[simple - "\"\\/bfnrt"]);
                        continue;
                }
                if (ch != 'u') {
                        c->p--;
                        return bad(c, "unknown escape");
                }
                uint32_t cp;
                if (hex4(c, &cp) < 0)
                        return -EBADMSG;
                if (cp >= 0xd800 && cp <= 0xdbff && c->end - c->p >= 6 && c->p[0] == '\\' && c->p[1] == 'u') {
                        const char *next = c->p;
                        uint32_t lo;
                        c->p += 2;
                        if (hex4(c, &lo) < 0)
                                return -EBADMSG;
                        if (lo >= 0xdc00 && lo <= 0xdfff)
                                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        else {
                                /* A lone high half: U+FFFD for it, and the escape after it is read again
                                 * as a character of its own ("\ud83d\u0041" is U+FFFD then "A"). */
                                cp = 0xfffd;
                                c->p = next;
                        }
                } else if (cp >= 0xd800 && cp <= 0xdfff)
                        cp = 0xfffd;   /* a lone surrogate has no UTF-8 form */
                put_utf8(out, cp);
        }
}

static int parse_number_text(Cursor *c, StrBuf *out) {
        const char *s = c->p;
        while (c->p < c->end && (strchr("+-.eE", *c->p) || (*c->p >= '0' && *c->p <= '9')) && *c->p)
                c->p++;
        if (c->p == s)
                return bad(c, "expected a value");
        strbuf_add(out, s, (size_t) (c->p - s));
        return 0;
}

static int parse_byte_array(Cursor *c, StrBuf *out) {
        /* [1,2,3]: a binary field. */
        c->p++;
        skip_ws(c);
        if (c->p < c->end && *c->p == ']') {
                c->p++;
                return 0;
        }
        for (;;) {
                skip_ws(c);
                unsigned v = 0;
                const char *s = c->p;
                while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && v < 256)
                        v = v * 10 + (unsigned) (*c->p++ - '0');
                if (c->p == s || v > 255) {
                        c->p = s;      /* the column names the value, not what follows it */
                        return bad(c, "binary field value is not a byte");
                }
                strbuf_addch(out, (char) v);
                skip_ws(c);
                if (c->p < c->end && *c->p == ',') {
                        c->p++;
                        continue;
                }
                if (c->p < c->end && *c->p == ']') {
                        c->p++;
                        return 0;
                }
                return bad(c, "expected ',' or ']' in a binary field");
        }
}

/* One value into out. Multi-valued fields ([value, value]) keep their first value. */
static int parse_value(Cursor *c, StrBuf *out, int depth) {
        skip_ws(c);
        if (c->p >= c->end)
                return bad(c, "expected a value");
        if (*c->p == '"')
                return parse_string(c, out);
        if (c->end - c->p >= 4 && memcmp(c->p, "null", 4) == 0) {
                c->p += 4;
                return 0;
        }
        if (*c->p != '[')
                return parse_number_text(c, out);
        if (depth > 0)
                return parse_byte_array(c, out);
        const char *after = c->p + 1;
        while (after < c->end && (*after == ' ' || *after == '\t'))
                after++;
        if (after < c->end && *after >= '0' && *after <= '9')
                return parse_byte_array(c, out);
        c->p++;
        for (bool first = true;; first = false) {
                skip_ws(c);
                if (c->p < c->end && *c->p == ']') {
                        c->p++;
                        return 0;
                }
                StrBuf scratch = STRBUF_INIT;    /* later values are dropped, and so is its error */
                int r = parse_value(c, first ? out : &scratch, depth + 1);
                strbuf_release(&scratch);
                if (r < 0)
                        return r;
                skip_ws(c);
                if (c->p < c->end && *c->p == ',')
                        c->p++;
                else if (c->p >= c->end || *c->p != ']')
                        return bad(c, "expected ',' or ']'");
        }
}

static int parse_object(JsonParser *p, Cursor *c, size_t *ret_n) {
        size_t n = 0;
        skip_ws(c);
        if (c->p >= c->end || *c->p != '{')
                return bad(c, "line is not a JSON object");
        c->p++;
        skip_ws(c);
        if (c->p < c->end && *c->p == '}') {
                c->p++;
                *ret_n = 0;
                return 0;
        }
        for (;;) {
                if (array_reserve(&p->fields, &p->n_fields_alloc, n + 1, sizeof *p->fields, 64) < 0)
                        return -ENOMEM;
                FieldPos *f = &p->fields[n];
                skip_ws(c);
                f->name_off = p->values.len;
                int r = parse_string(c, &p->values);
                if (r < 0)
                        return r;
                f->name_len = p->values.len - f->name_off;
                skip_ws(c);
                if (c->p >= c->end || *c->p != ':')
                        return bad(c, "expected ':' after a field name");
                c->p++;
                f->value_off = p->values.len;
                r = parse_value(c, &p->values, 0);
                if (r < 0)
                        return r;
                f->value_len = p->values.len - f->value_off;
                n++;
                skip_ws(c);
                if (c->p < c->end && *c->p == ',') {
                        c->p++;
                        continue;
                }
                if (c->p < c->end && *c->p == '}') {
                        c->p++;
                        break;
                }
                return bad(c, "expected ',' or '}'");
        }
        skip_ws(c);
        if (c->p != c->end)
                return bad(c, "trailing bytes after the object");
        *ret_n = n;
        return 0;
}

int json_parser_line(JsonParser *p, Slice line, LogRecord *ret, const char **ret_reason, size_t *ret_column) {
        Cursor c = { line.p, line.p + line.n, line.p, NULL };
        size_t n;

        strbuf_reset(&p->values);
        int r = parse_object(p, &c, &n);
        if (r >= 0)
                r = strbuf_error(&p->values);
        if (r < 0) {
                *ret_reason = c.reason ? c.reason : "out of memory";
                *ret_column = (size_t) (c.p - c.start) + 1;
                return r;
        }
        JournalFields jf = { 0 };
        for (size_t i = 0; i < n; i++)
                journal_fields_set(&jf, (Slice){ p->values.buf + p->fields[i].name_off, p->fields[i].name_len },
                                   (Slice){ p->values.buf + p->fields[i].value_off, p->fields[i].value_len });
        *ret_column = 0;
        return journal_fields_to_record(&jf, ret, ret_reason);
}
