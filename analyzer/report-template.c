/* report-template.c: recursive-descent renderer over a key/value tree. */
#include <stdarg.h>

#include "report-template.h"

typedef enum TDataType {
        TDATA_OBJECT,
        TDATA_LIST,
        TDATA_STRING,
} TDataType;

struct TData {
        TDataType type;
        char *key;             /* within the parent object */
        char *value;           /* TDATA_STRING */
        TData **items;         /* object members or list items */
        size_t n_items;
        size_t n_items_alloc;  /* capacity of items */
        TData *root;           /* the tree's top object, which keeps the error for all of it */
        int error;             /* in the root only: 0 or the first -errno building the tree */
};

static TData *tdata_alloc(TDataType type, const char *key, TData *root) {
        TData *d = calloc(1, sizeof *d);
        if (!d)
                return NULL;
        d->type = type;
        d->root = root ? root : d;
        if (key && !(d->key = strdup(key))) {
                free(d);
                return NULL;
        }
        return d;
}

TData *tdata_new(void) {
        return tdata_alloc(TDATA_OBJECT, NULL, NULL);
}

TData *tdata_free(TData *d) {
        if (!d)
                return NULL;
        for (size_t i = 0; i < d->n_items; i++)
                tdata_free(d->items[i]);
        free(d->items);
        free(d->key);
        free(d->value);
        free(d);
        return NULL;
}

int tdata_error(const TData *d) {
        return d->root->error;
}

void tdata_set_error(TData *d, int error) {
        if (d && !d->root->error)
                d->root->error = error;
}

/* NULL comes only from a call that failed and marked the tree; a marked tree is not rendered,
 * so adding to it would be wasted. */
static bool usable(const TData *d) {
        return d && !d->root->error;
}

static void *fail(TData *d, int error) {
        d->root->error = error;
        return NULL;
}

static TData *member(const TData *obj, const char *key, size_t len) {
        if (obj->type != TDATA_OBJECT)
                return NULL;
        for (size_t i = 0; i < obj->n_items; i++)
                if (strlen(obj->items[i]->key) == len && memcmp(obj->items[i]->key, key, len) == 0)
                        return obj->items[i];
        return NULL;
}

/* A new child at the end of parent's items, or NULL with the tree marked. */
static TData *add_child(TData *parent, TDataType type, const char *key) {
        TData *d = tdata_alloc(type, key, parent->root);
        if (!d || array_reserve(&parent->items, &parent->n_items_alloc, parent->n_items + 1, sizeof *parent->items, 8) < 0) {
                tdata_free(d);
                return fail(parent, -ENOMEM);
        }
        parent->items[parent->n_items++] = d;
        return d;
}

void tdata_set(TData *obj, const char *key, const char *value) {
        if (!usable(obj))
                return;
        TData *d = member(obj, key, strlen(key));
        if (d && d->type != TDATA_STRING) {
                fail(obj, -EINVAL);
                return;
        }
        char *v = strdup(value ? value : "");
        if (!v) {
                fail(obj, -ENOMEM);
                return;
        }
        if (!d && !(d = add_child(obj, TDATA_STRING, key))) {
                free(v);
                return;
        }
        free(d->value);
        d->value = v;
}

void tdata_setf(TData *obj, const char *key, const char *fmt, ...) {
        va_list ap;
        char *s;
        if (!usable(obj))
                return;
        va_start(ap, fmt);
        int n = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (n < 0) {
                fail(obj, -ENOMEM);
                return;
        }
        tdata_set(obj, key, s);
        free(s);
}

TData *tdata_list(TData *obj, const char *key) {
        if (!usable(obj))
                return NULL;
        TData *d = member(obj, key, strlen(key));
        if (d)
                return d->type == TDATA_LIST ? d : fail(obj, -EINVAL);
        return add_child(obj, TDATA_LIST, key);
}

TData *tdata_append(TData *list) {
        if (!usable(list))
                return NULL;
        return add_child(list, TDATA_OBJECT, "");
}

size_t tdata_list_len(const TData *list) {
        return list ? list->n_items : 0;
}

/* The context stack: innermost last. */
typedef struct Scope {
        const TData *stack[32];
        size_t depth;
} Scope;

static const TData *lookup(const Scope *sc, const char *name, size_t len) {
        for (size_t i = sc->depth; i-- > 0;) {
                const TData *d = member(sc->stack[i], name, len);
                if (d)
                        return d;
        }
        return NULL;
}

/* "name=text" tests a value instead of naming one: true when name is set to exactly text. It is
 * how wording agrees with a number ("{{count}} notification{{^count=1}}s{{/count=1}}"). */
static bool value_test(const Scope *sc, const char *name, size_t len, bool *ret) {
        const char *eq = memchr(name, '=', len);
        if (!eq)
                return false;
        const TData *d = lookup(sc, name, (size_t) (eq - name));
        size_t want = len - (size_t) (eq + 1 - name);
        *ret = d && d->type == TDATA_STRING && d->value && strlen(d->value) == want &&
               memcmp(d->value, eq + 1, want) == 0;
        return true;
}

static bool truthy(const TData *d) {
        if (!d)
                return false;
        if (d->type == TDATA_STRING)
                return d->value && d->value[0];
        return d->n_items > 0;
}

typedef struct Renderer {
        const char *tmpl;      /* the template as given, for line numbers */
        const char *start;     /* the template rendered: tmpl without its standalone lines' breaks */
        StrBuf *out;
        TemplateError *err;
} Renderer;

static unsigned template_line(const char *tmpl, size_t offset);

static int fail_at(Renderer *rd, const char *at, const char *fmt, const char *name, size_t len) {
        rd->err->line = template_line(rd->tmpl, (size_t) (at - rd->start));
        snprintf(rd->err->message, sizeof rd->err->message, fmt, (int) len, name);
        return -EINVAL;
}

/* Find the {{/name}} closing the section that starts at s (nested same-name sections counted). */
static const char *section_end(const char *s, const char *name, size_t len, const char **ret_after) {
        int depth = 1;
        for (const char *p = s; (p = strstr(p, "{{"));) {
                char sigil = p[2];
                const char *close = strstr(p, "}}");
                if (!close)
                        return NULL;
                size_t n = (size_t) (close - p - 3);
                if ((sigil == '#' || sigil == '^' || sigil == '/') && n == len && memcmp(p + 3, name, len) == 0) {
                        depth += sigil == '/' ? -1 : 1;
                        if (depth == 0) {
                                *ret_after = close + 2;
                                return p;
                        }
                }
                p = close + 2;
        }
        return NULL;
}

static int render(Renderer *rd, const char *s, const char *end, Scope *sc) {
        while (s < end) {
                const char *open = strstr(s, "{{");
                if (!open || open >= end) {
                        strbuf_add(rd->out, s, (size_t) (end - s));
                        return 0;
                }
                strbuf_add(rd->out, s, (size_t) (open - s));
                const char *close = strstr(open, "}}");
                if (!close || close > end)
                        return fail_at(rd, open, "unclosed '{{%.*s'", "", 0);
                char sigil = open[2];
                bool section = sigil == '#' || sigil == '^';
                const char *name = open + 2 + (section || sigil == '/');
                size_t len = (size_t) (close - name);
                if (sigil == '/')
                        return fail_at(rd, open, "'{{/%.*s}}' without its section", name, len);
                if (!section) {
                        const TData *d = lookup(sc, name, len);
                        if (d && d->type == TDATA_STRING)
                                strbuf_addstr(rd->out, d->value);
                        s = close + 2;
                        continue;
                }
                const char *after;
                const char *inner_end = section_end(close + 2, name, len, &after);
                if (!inner_end || inner_end > end)
                        return fail_at(rd, open, "section '%.*s' is not closed", name, len);
                bool test;
                if (value_test(sc, name, len, &test)) {
                        int r = test == (sigil == '#') ? render(rd, close + 2, inner_end, sc) : 0;
                        if (r < 0)
                                return r;
                        s = after;
                        continue;
                }
                const TData *d = lookup(sc, name, len);
                int r;
                if (sigil == '^') {
                        if (!truthy(d) && (r = render(rd, close + 2, inner_end, sc)) < 0)
                                return r;
                } else if (d && d->type == TDATA_LIST) {
                        for (size_t i = 0; i < d->n_items; i++) {
                                if (sc->depth == ELEMENTSOF(sc->stack))
                                        return fail_at(rd, open, "sections nested too deep at '%.*s'", name, len);
                                sc->stack[sc->depth++] = d->items[i];
                                r = render(rd, close + 2, inner_end, sc);
                                sc->depth--;
                                if (r < 0)
                                        return r;
                        }
                } else if (truthy(d) && (r = render(rd, close + 2, inner_end, sc)) < 0)
                        return r;
                s = after;
        }
        return 0;
}

/* A line holding nothing but one section tag leaves no trace in the output (mustache's
 * "standalone" rule): tables and lists can be written one row per line around their sections.
 * What is kept of the line at p (len bytes before its break, eol whether it has one): the tag
 * alone without indentation nor break when it is standalone, else all of it. */
static const char *line_kept(const char *p, size_t len, bool eol, size_t *ret_len) {
        const char *t = p + strspn(p, " \t");
        bool standalone = (size_t) (t - p) < len && t[0] == '{' && t[1] == '{' && strchr("#^/", t[2]) &&
                          len >= 5 && p[len - 1] == '}' && p[len - 2] == '}' &&
                          !memchr(t + 2, '{', (size_t) (p + len - t - 2));
        *ret_len = standalone ? (size_t) (p + len - t) : len + eol;
        return standalone ? t : p;
}

static void strip_standalone(const char *tmpl, StrBuf *out) {
        for (const char *p = tmpl; *p;) {
                const char *eol = strchr(p, '\n');
                size_t len = eol ? (size_t) (eol - p) : strlen(p), n;
                const char *kept = line_kept(p, len, eol != NULL, &n);
                strbuf_add(out, kept, n);
                p += len + (eol ? 1 : 0);
        }
}

/* The 1-based line of tmpl that holds offset of the text strip_standalone() made of it: errors
 * are found in that text, but the lines that matter are the template's. */
static unsigned template_line(const char *tmpl, size_t offset) {
        unsigned line = 1;
        size_t pos = 0;
        for (const char *p = tmpl; *p; line++) {
                const char *eol = strchr(p, '\n');
                size_t len = eol ? (size_t) (eol - p) : strlen(p), n;
                line_kept(p, len, eol != NULL, &n);
                if (offset < pos + n || !eol)
                        break;
                pos += n;
                p = eol + 1;
        }
        return line;
}

int template_render(const char *tmpl, const TData *root, StrBuf *out, TemplateError *err) {
        /* A tree that lost a value would render a report with a hole in it. */
        int r = tdata_error(root);
        if (r < 0)
                return r;
        StrBuf clean = STRBUF_INIT;
        strip_standalone(tmpl, &clean);
        r = strbuf_error(&clean);
        if (r >= 0) {
                Renderer rd = { tmpl, clean.buf, out, err };
                Scope sc = { .stack = { root }, .depth = 1 };
                r = render(&rd, clean.buf, clean.buf + clean.len, &sc);
        }
        strbuf_release(&clean);
        return r;
}

const char *phrase_lookup(const char *table, const char *key, StrBuf *scratch) {
        size_t klen = strlen(key);
        for (const char *p = table; p && *p;) {
                const char *eol = strchr(p, '\n');
                size_t len = eol ? (size_t) (eol - p) : strlen(p);
                if (len == klen + 2 && p[0] == '[' && p[len - 1] == ']' && memcmp(p + 1, key, klen) == 0) {
                        const char *body = eol ? eol + 1 : p + len;
                        const char *stop = body;
                        while (*stop && *stop != '[') {
                                const char *nl = strchr(stop, '\n');
                                stop = nl ? nl + 1 : stop + strlen(stop);
                        }
                        size_t n = (size_t) (stop - body);
                        while (n > 0 && body[n - 1] == '\n')
                                n--;
                        strbuf_reset(scratch);
                        strbuf_add(scratch, body, n);
                        return strbuf_error(scratch) < 0 ? NULL : scratch->buf;
                }
                p = eol ? eol + 1 : NULL;
        }
        return NULL;
}
