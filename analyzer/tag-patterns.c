/* tag-patterns.c: the pattern-file reader. Line-oriented: KEY VALUE per line, `rule` starts a rule. */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "config.h"
#include "hash.h"
#include "strbuf.h"
#include "tag-patterns.h"
#include "patterns.h"


/* How common a byte is in log text, roughly (spaces and lower-case letters most, brackets least):
 * the prefilter searches for a literal's least common byte, so memchr() stops less often. */
static int byte_commonness(unsigned char c) {
        if (c == ' ')
                return 100;
        if (strchr("etaoinsr", c) && c)
                return 60;
        if (c >= 'a' && c <= 'z')
                return 40;
        if (c >= '0' && c <= '9')
                return 35;
        if (strchr(".:=/-_,", c) && c)
                return 30;
        if (c >= 'A' && c <= 'Z')
                return 15;
        return 10;
}

static size_t literal_anchor(const char *lit, size_t n) {
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
                if (byte_commonness((unsigned char) lit[i]) < byte_commonness((unsigned char) lit[best]))
                        best = i;
        return best;
}

static const char *const severity_names[_SEVERITY_MAX] = {
        "debug", "info", "notice", "warning", "error", "critical",
};

const char *severity_to_string(Severity s) {
        return s >= 0 && s < _SEVERITY_MAX ? severity_names[s] : NULL;
}

Severity severity_from_string(const char *s) {
        for (int i = 0; i < _SEVERITY_MAX; i++)
                if (streq(s, severity_names[i]))
                        return (Severity) i;
        return _SEVERITY_INVALID;
}

static void strv_free(char **v, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(v[i]);
        free(v);
}

static void rule_free(PatternRule *r) {
        if (!r)
                return;
        free(r->id), free(r->kind), free(r->match), free(r->summary), free(r->explain), free(r->advice);
        free(r->file);
        strv_free(r->idents, r->n_idents);
        strv_free(r->refs, r->n_refs);
        for (size_t i = 0; i < r->n_examples; i++) {
                free(r->examples[i].line);
                strv_free(r->examples[i].expect_names, r->examples[i].n_expect);
                strv_free(r->examples[i].expect_values, r->examples[i].n_expect);
        }
        free(r->examples);
        free(r->literal);
        if (r->names)
                strv_free(r->names, r->n_groups);
        pcre2_code_free(r->re);
        free(r);
}

PatternSet *pattern_set_new(void) {
        return calloc(1, sizeof(PatternSet));
}

PatternSet *pattern_set_free(PatternSet *set) {
        if (!set)
                return NULL;
        for (size_t i = 0; i < set->n_rules; i++)
                rule_free(set->rules[i]);
        free(set->rules);
        strv_free(set->files, set->n_files);
        free(set);
        return NULL;
}

const PatternRule *pattern_set_find(const PatternSet *set, const char *id) {
        for (size_t i = 0; i < set->n_rules; i++)
                if (streq(set->rules[i]->id, id))
                        return set->rules[i];
        return NULL;
}

static int fail(PatternError *err, const char *file, unsigned line, unsigned col, const char *fmt, ...) _printf_(5, 6);
static int fail(PatternError *err, const char *file, unsigned line, unsigned col, const char *fmt, ...) {
        va_list ap;
        snprintf(err->file, sizeof err->file, "%s", file);
        err->line = line;
        err->column = col;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        return -EINVAL;
}

static int strv_push(char ***v, size_t *n, size_t *alloc, const char *s, size_t len) {
        if (array_reserve(v, alloc, *n + 1, sizeof **v, 4) < 0)
                return -ENOMEM;
        (*v)[*n] = strndup(s, len);
        if (!(*v)[*n])
                return -ENOMEM;
        (*n)++;
        return 0;
}

/* Both arrays grow before either takes a string: n_expect counts complete pairs only, which is
 * what rule_free() frees. */
static int expect_add(PatternExample *ex, const char *name, size_t name_len, const char *value, size_t value_len) {
        if (array_reserve(&ex->expect_names, &ex->n_expect_names_alloc, ex->n_expect + 1, sizeof *ex->expect_names, 4) < 0 ||
            array_reserve(&ex->expect_values, &ex->n_expect_values_alloc, ex->n_expect + 1, sizeof *ex->expect_values, 4) < 0)
                return -ENOMEM;
        _cleanup_free_ char *n = strndup(name, name_len), *v = strndup(value, value_len);
        if (!n || !v)
                return -ENOMEM;
        ex->expect_names[ex->n_expect] = TAKE_PTR(n);
        ex->expect_values[ex->n_expect++] = TAKE_PTR(v);
        return 0;
}

static bool valid_id(const char *s) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
                        return false;
        return true;
}

/* The parse state of one file. */
typedef struct Parser {
        PatternSet *set;
        const char *file;
        unsigned line;
        bool override;
        bool have_version;
        PatternRule *rule;     /* being built, owned until committed */
        PatternError *err;
} Parser;

static int set_once(Parser *p, char **slot, const char *key, const char *value, unsigned col) {
        if (*slot)
                return fail(p->err, p->file, p->line, 1, "'%s' given twice in rule '%s'", key, p->rule->id);
        if (!*value)
                return fail(p->err, p->file, p->line, col, "'%s' needs a value", key);
        *slot = strdup(value);
        return *slot ? 0 : -ENOMEM;
}

static int parse_idents(Parser *p, const char *value) {
        PatternRule *r = p->rule;
        if (r->n_idents || r->any_ident)
                return fail(p->err, p->file, p->line, 1, "'ident' given twice in rule '%s'", r->id);
        for (const char *s = value; *s;) {
                size_t n = strcspn(s, " \t");
                if (n == 1 && *s == '*')
                        r->any_ident = true;
                else if (n > 0 && strv_push(&r->idents, &r->n_idents, &r->n_idents_alloc, s, n) < 0)
                        return -ENOMEM;
                s += n;
                s += strspn(s, " \t");
        }
        if (!r->any_ident && r->n_idents == 0)
                return fail(p->err, p->file, p->line, 7, "'ident' needs at least one identifier or '*'");
        return 0;
}

static bool is_pair_start(const char *s) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
                return false;
        while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')
                s++;
        return *s == '=';
}

/* "a=1 b=2", or one pair whose value runs to the end of the line (and may hold blanks). */
static int parse_expect(Parser *p, const char *value, unsigned col) {
        PatternRule *r = p->rule;
        if (r->n_examples == 0 || r->examples[r->n_examples - 1].counter)
                return fail(p->err, p->file, p->line, 1, "'expect' must follow an 'example'");
        PatternExample *ex = &r->examples[r->n_examples - 1];
        bool several = false;
        for (const char *s = value; *s; s++)
                if ((*s == ' ' || *s == '\t') && is_pair_start(s + strspn(s, " \t")))
                        several = true;
        const char *s = value;
        while (*s) {
                if (!is_pair_start(s))
                        return fail(p->err, p->file, p->line, col + (unsigned) (s - value),
                                    "expected name=value");
                const char *eq = strchr(s, '=');
                size_t vlen = several ? strcspn(eq + 1, " \t") : strlen(eq + 1);
                if (expect_add(ex, s, (size_t) (eq - s), eq + 1, vlen) < 0)
                        return -ENOMEM;
                s = eq + 1 + vlen;
                s += strspn(s, " \t");
        }
        return 0;
}

static int add_example(Parser *p, const char *value, bool counter, unsigned col) {
        PatternRule *r = p->rule;
        if (!*value)
                return fail(p->err, p->file, p->line, col, "'%s' needs a log line", counter ? "counter" : "example");
        if (array_reserve(&r->examples, &r->n_examples_alloc, r->n_examples + 1, sizeof *r->examples, 4) < 0)
                return -ENOMEM;
        PatternExample *e = &r->examples[r->n_examples];
        *e = (PatternExample){ .line = strdup(value), .src_line = p->line, .counter = counter };
        if (!e->line)
                return -ENOMEM;
        r->n_examples++;
        return 0;
}

static int compile_rule(Parser *p, PatternRule *r, unsigned match_line) {
        int code;
        PCRE2_SIZE offset;
        /* Byte mode, not UTF: log text is untrusted and may hold invalid UTF-8, which a UTF-mode
         * regex never matches; every rule is ASCII-driven anyway, and bytes are faster. */
        r->re = pcre2_compile((PCRE2_SPTR) r->match, PCRE2_ZERO_TERMINATED, 0, &code, &offset, NULL);
        if (!r->re) {
                PCRE2_UCHAR msg[256];
                pcre2_get_error_message(code, msg, sizeof msg);
                /* "match" + blanks precede the regex on its line. */
                return fail(p->err, p->file, match_line, 7 + (unsigned) offset, "bad regex in rule '%s': %s",
                            r->id, (const char *) msg);
        }
        /* JIT is a speed-up only: a machine without it still matches, slower. $CASCADE_NO_JIT turns
         * it off for valgrind, which cannot see into JIT-generated code and reports it. */
        r->jit = !getenv("CASCADE_NO_JIT") && pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE) == 0;
        r->literal = pattern_required_literal(r->match, 4);
        r->literal_len = r->literal ? strlen(r->literal) : 0;
        r->literal_anchor = literal_anchor(r->literal, r->literal_len);

        pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &r->n_groups);
        pcre2_pattern_info(r->re, PCRE2_INFO_NAMECOUNT, &r->n_names);
        if (r->n_groups > 0) {
                r->names = calloc(r->n_groups, sizeof *r->names);
                if (!r->names)
                        return -ENOMEM;
        }
        PCRE2_SPTR table;
        uint32_t entry_size;
        pcre2_pattern_info(r->re, PCRE2_INFO_NAMETABLE, &table);
        pcre2_pattern_info(r->re, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
        for (uint32_t i = 0; i < r->n_names; i++) {
                const unsigned char *e = table + i * entry_size;
                unsigned group = (unsigned) (e[0] << 8 | e[1]);
                if (group >= 1 && group <= r->n_groups && !r->names[group - 1] &&
                    !(r->names[group - 1] = strdup((const char *) e + 2)))
                        return -ENOMEM;
        }
        return 0;
}

/* Skip a group or class starting at p (at '(' or '['); returns the position after it, or NULL. */
static const char *skip_nested(const char *p) {
        char open = *p, close = open == '(' ? ')' : ']';
        int depth = 0;
        bool in_class = false;
        for (; *p; p++) {
                if (*p == '\\') {
                        if (!*++p)
                                return NULL;
                        continue;
                }
                if (open == '(' && in_class) {
                        if (*p == ']')
                                in_class = false;
                        continue;
                }
                if (open == '(' && *p == '[') {
                        in_class = true;
                        if (p[1] == ']')      /* "[]...]": ']' first is literal */
                                p++;
                        continue;
                }
                if (*p == open)
                        depth++;
                else if (*p == close && --depth == 0)
                        return p + 1;
                if (open == '[' && depth == 1 && p[0] == '[' && p[1] == ']')
                        p++;
        }
        return NULL;
}

char *pattern_required_literal(const char *regex, size_t min_len) {
        char best[256] = "", run[256] = "";
        size_t best_len = 0, run_len = 0;

        /* Inline options ((?i) and friends) change what a literal means: no prefilter then. */
        if (strncmp(regex, "(?", 2) == 0 && regex[2] != ':' && regex[2] != 'P' && regex[2] != '<' && regex[2] != '=' &&
            regex[2] != '!')
                return NULL;
        for (const char *p = regex; *p;) {
                char c = *p;
                bool literal = false;
                char lit = 0;
                if (c == '|')
                        return NULL;   /* a top-level alternative needs none of the others' text */
                if (c == '\\') {
                        char e = p[1];
                        if (!e)
                                return NULL;
                        if (!isalnum((unsigned char) e)) {
                                literal = true;
                                lit = e;
                        }
                        p += 2;
                } else if (c == '(' || c == '[') {
                        p = skip_nested(p);
                        if (!p)
                                return NULL;
                } else {
                        if (!strchr(".^$*+?{}", c)) {
                                literal = true;
                                lit = c;
                        }
                        p++;
                }
                /* A quantifier after this item: '?', '*', '{0' make it optional; '+' keeps one. */
                bool optional = *p == '?' || *p == '*' || (*p == '{' && p[1] == '0');
                bool repeated = *p == '+' || *p == '{';
                if (literal && !optional && run_len + 1 < sizeof run) {
                        run[run_len++] = lit;
                        run[run_len] = '\0';
                }
                if (!literal || optional || repeated) {
                        if (run_len > best_len) {
                                memcpy(best, run, run_len + 1);
                                best_len = run_len;
                        }
                        run_len = 0;
                        run[0] = '\0';
                }
                if (optional || repeated) {    /* skip the quantifier itself */
                        if (*p == '{')
                                while (*p && *p != '}')
                                        p++;
                        if (*p)
                                p++;
                        if (*p == '?' || *p == '+')   /* lazy or possessive */
                                p++;
                }
        }
        if (run_len > best_len) {
                memcpy(best, run, run_len + 1);
                best_len = run_len;
        }
        return best_len >= min_len ? strdup(best) : NULL;
}

static bool has_capture(const PatternRule *r, const char *name, size_t len) {
        for (uint32_t i = 0; i < r->n_groups; i++)
                if (r->names[i] && strlen(r->names[i]) == len && memcmp(r->names[i], name, len) == 0)
                        return true;
        return false;
}

static int check_summary(Parser *p, PatternRule *r) {
        for (const char *s = r->summary; (s = strchr(s, '{'));) {
                const char *close = strchr(s, '}');
                if (!close)
                        return fail(p->err, p->file, r->line, 1, "rule '%s': unclosed '{' in summary", r->id);
                size_t len = (size_t) (close - s - 1);
                bool builtin = (len == 4 && memcmp(s + 1, "node", 4) == 0) || (len == 5 && memcmp(s + 1, "ident", 5) == 0);
                if (!builtin && !has_capture(r, s + 1, len))
                        return fail(p->err, p->file, r->line, 1, "rule '%s': summary names '{%.*s}', which is no capture",
                                    r->id, (int) len, s + 1);
                s = close + 1;
        }
        return 0;
}

/* A rule is complete at the next `rule` or at the end of the file. */
static int finish_rule(Parser *p, unsigned match_line) {
        PatternRule *r = p->rule;
        if (!r)
                return 0;
        static const char *const required[] = { "kind", "severity", "ident", "match", "summary", "explain", "example" };
        bool present[] = { r->kind, r->severity >= 0, r->n_idents || r->any_ident, r->match, r->summary, r->explain, false };
        for (size_t i = 0; i < r->n_examples; i++)
                present[6] |= !r->examples[i].counter;
        for (size_t i = 0; i < ELEMENTSOF(required); i++)
                if (!present[i])
                        return fail(p->err, p->file, r->line, 1, "rule '%s' has no '%s'", r->id, required[i]);
        int k = compile_rule(p, r, match_line);
        if (k < 0)
                return k;
        k = check_summary(p, r);
        if (k < 0)
                return k;

        PatternSet *set = p->set;
        for (size_t i = 0; i < set->n_rules; i++)
                if (streq(set->rules[i]->id, r->id)) {
                        if (!p->override || streq(set->rules[i]->file, r->file))
                                return fail(p->err, p->file, r->line, 6, "rule id '%s' already defined at %s:%u", r->id,
                                            set->rules[i]->file, set->rules[i]->line);
                        rule_free(set->rules[i]);
                        set->rules[i] = TAKE_PTR(p->rule);
                        return 0;
                }
        if (array_reserve(&set->rules, &set->n_rules_alloc, set->n_rules + 1, sizeof *set->rules, 32) < 0)
                return -ENOMEM;
        set->rules[set->n_rules++] = TAKE_PTR(p->rule);
        return 0;
}

static int directive(Parser *p, const char *key, const char *value, unsigned value_col, unsigned *match_line) {
        if (!p->have_version) {
                if (!streq(key, "version"))
                        return fail(p->err, p->file, p->line, 1, "the first directive must be 'version %d'",
                                    PATTERN_FORMAT_VERSION);
                char *end;
                long v = strtol(value, &end, 10);
                if (*end || end == value || v != PATTERN_FORMAT_VERSION)
                        return fail(p->err, p->file, p->line, value_col,
                                    "pattern format version '%s' is not supported (this cascade reads version %d)",
                                    value, PATTERN_FORMAT_VERSION);
                p->have_version = true;
                return 0;
        }
        if (streq(key, "rule")) {
                int r = finish_rule(p, *match_line);
                if (r < 0)
                        return r;
                if (!valid_id(value))
                        return fail(p->err, p->file, p->line, value_col, "rule id '%s' must be [a-z0-9_.-]+", value);
                p->rule = calloc(1, sizeof *p->rule);
                if (!p->rule)
                        return -ENOMEM;
                p->rule->severity = _SEVERITY_INVALID;
                p->rule->line = p->line;
                p->rule->id = strdup(value);
                p->rule->file = strdup(p->file);
                return p->rule->id && p->rule->file ? 0 : -ENOMEM;
        }
        if (!p->rule)
                return fail(p->err, p->file, p->line, 1, "'%s' outside a rule", key);
        PatternRule *r = p->rule;
        if (streq(key, "kind")) {
                if (!valid_id(value))
                        return fail(p->err, p->file, p->line, value_col, "kind '%s' must be [a-z0-9_.-]+", value);
                return set_once(p, &r->kind, key, value, value_col);
        }
        if (streq(key, "severity")) {
                r->severity = severity_from_string(value);
                if (r->severity < 0)
                        return fail(p->err, p->file, p->line, value_col,
                                    "unknown severity '%s' (debug, info, notice, warning, error, critical)", value);
                return 0;
        }
        if (streq(key, "ident"))
                return parse_idents(p, value);
        if (streq(key, "match")) {
                *match_line = p->line;
                return set_once(p, &r->match, key, value, value_col);
        }
        if (streq(key, "summary"))
                return set_once(p, &r->summary, key, value, value_col);
        if (streq(key, "explain"))
                return set_once(p, &r->explain, key, value, value_col);
        if (streq(key, "advice"))
                return set_once(p, &r->advice, key, value, value_col);
        if (streq(key, "ref"))
                return strv_push(&r->refs, &r->n_refs, &r->n_refs_alloc, value, strlen(value));
        if (streq(key, "example"))
                return add_example(p, value, false, value_col);
        if (streq(key, "counter"))
                return add_example(p, value, true, value_col);
        if (streq(key, "expect"))
                return parse_expect(p, value, value_col);
        return fail(p->err, p->file, p->line, 1, "unknown directive '%s'", key);
}

int pattern_set_load_string(PatternSet *set, const char *name, const char *text, bool override, PatternError *err) {
        Parser p = { .set = set, .file = name, .override = override, .err = err };
        unsigned match_line = 0;
        int r = 0;

        for (const char *s = text; r >= 0 && *s;) {
                size_t len = strcspn(s, "\n");
                p.line++;
                _cleanup_free_ char *line = strndup(s, len);
                s += len + (s[len] == '\n');
                if (!line)
                        return -ENOMEM;
                size_t lead = strspn(line, " \t");
                if (line[lead] == '\0' || line[lead] == '#')
                        continue;
                if (lead > 0) {
                        r = fail(err, name, p.line, 1, "directives start at column 1");
                        break;
                }
                size_t klen = strcspn(line, " \t");
                line[klen] = '\0';
                char *value = line + klen + 1;
                if (klen == len)
                        value = line + klen;
                else
                        value += strspn(value, " \t");
                bool keep_trailing = streq(line, "example") || streq(line, "counter");
                if (!keep_trailing) {
                        size_t vlen = strlen(value);
                        while (vlen > 0 && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t' || value[vlen - 1] == '\r'))
                                value[--vlen] = '\0';
                }
                r = directive(&p, line, value, (unsigned) (value - line) + 1, &match_line);
        }
        if (r >= 0 && !p.have_version)
                r = fail(err, name, p.line ? p.line : 1, 1, "no 'version %d' line", PATTERN_FORMAT_VERSION);
        if (r >= 0)
                r = finish_rule(&p, match_line);
        rule_free(p.rule);
        if (r < 0)
                return r;

        Hasher hs;
        hasher_init(&hs, set->content_hash);
        /* By base name: the same library hashes the same from the source tree, an installed
         * directory or the copy compiled in. */
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        hasher_add(&hs, base, strlen(base));
        hasher_add(&hs, text, strlen(text));
        set->content_hash = hasher_final(&hs);
        return strv_push(&set->files, &set->n_files, &set->n_files_alloc, name, strlen(name));
}

int pattern_set_load_file(PatternSet *set, const char *path, bool override, PatternError *err) {
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        if (!f) {
                int r = -errno;
                fail(err, path, 0, 0, "cannot open: %s", strerror(errno));
                return r;
        }
        StrBuf sb = STRBUF_INIT;
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                strbuf_add(&sb, buf, n);
        int r = strbuf_error(&sb);
        if (r >= 0 && (ferror(f) || memchr(sb.buf, '\0', sb.len)))
                r = fail(err, path, 0, 0, "cannot read as text");
        if (r >= 0)
                r = pattern_set_load_string(set, path, sb.buf, override, err);
        strbuf_release(&sb);
        return r;
}

static int compare_names(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

int pattern_set_load_dir(PatternSet *set, const char *dir, bool override, PatternError *err) {
        DIR *d = opendir(dir);
        if (!d)
                return -errno;
        char **names = NULL;
        size_t n = 0, alloc = 0;
        struct dirent *de;
        int r = 0;
        while (r >= 0 && (de = readdir(d))) {
                size_t len = strlen(de->d_name);
                if (de->d_name[0] != '.' && len > 9 && streq(de->d_name + len - 9, ".patterns"))
                        r = strv_push(&names, &n, &alloc, de->d_name, len);
        }
        closedir(d);
        if (n > 1)
                qsort(names, n, sizeof *names, compare_names);
        for (size_t i = 0; r >= 0 && i < n; i++) {
                char path[PATH_MAX];
                snprintf(path, sizeof path, "%s/%s", dir, names[i]);
                /* Files of one directory must not define an id twice; a later directory may. */
                r = pattern_set_load_file(set, path, override, err);
        }
        strv_free(names, n);
        return r;
}

char *pattern_set_hash(const PatternSet *set, char buf[static PATTERN_HASH_MAX]) {
        snprintf(buf, PATTERN_HASH_MAX, "%016" PRIx64, set->content_hash);
        return buf;
}

/* The directory part of a loaded file's name, 0 bytes for a shipped one (loaded by base name). */
static size_t dir_len(const char *file) {
        const char *slash = strrchr(file, '/');
        return slash ? (size_t) (slash - file) : 0;
}

int pattern_set_sources(const PatternSet *set, char **ret) {
        StrBuf sb = STRBUF_INIT;
        for (size_t i = 0; i < set->n_files; i++) {
                const char *f = set->files[i];
                size_t n = dir_len(f);
                bool same_dir = i > 0 && dir_len(set->files[i - 1]) == n && strncmp(set->files[i - 1], f, n) == 0;
                if (same_dir && n == 0)
                        continue;      /* the shipped files go by the version */
                if (same_dir)
                        strbuf_addstr(&sb, ", ");
                else if (i > 0)
                        strbuf_addstr(&sb, "; ");
                if (!same_dir && n == 0)
                        strbuf_addstr(&sb, "shipped " PACKAGE_VERSION);
                else if (!same_dir)
                        strbuf_addf(&sb, "%.*s: ", (int) n, f);
                if (n > 0)
                        strbuf_addstr(&sb, f + n + 1);
        }
        if (set->n_files == 0)
                strbuf_addstr(&sb, "empty");
        int r = strbuf_error(&sb);
        if (r < 0) {
                strbuf_release(&sb);
                return r;
        }
        *ret = strbuf_detach(&sb);
        return *ret ? 0 : -ENOMEM;
}

int pattern_set_load_shipped(PatternSet *set, PatternError *err) {
        for (size_t i = 0; shipped_patterns[i].name; i++) {
                int r = pattern_set_load_string(set, shipped_patterns[i].name, shipped_patterns[i].text, false, err);
                if (r < 0)
                        return r;
        }
        return 0;
}

