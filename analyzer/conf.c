/* conf.c: cascade.conf's [cascade] section, the settings every command shares (conf.h):
 *
 *   [cascade]
 *   patterns = /srv/cascade/rules   # repeatable: site rule directories, loaded in this order
 *                                   # after /etc/cascade/patterns.d (absolute paths)
 *   retain = 90d                    # a span as systemd.time(7) writes it; read and checked only
 *
 * The section may be split in several, each key but `patterns` once in all of them. Every section
 * header is checked here too ([cascade], [collect], [node NAME]): a typo in one is an error for
 * every command, not only for collect. The keys of [collect] and [node NAME] are collect.c's. */
#include "conf.h"

typedef enum ConfSection {
        CONF_SECTION_NONE,     /* before the first header */
        CONF_SECTION_CASCADE,
        CONF_SECTION_OTHER,    /* [collect] or [node NAME]: collect.c's keys */
} ConfSection;

typedef struct ConfParser {
        ConfSettings *settings;
        ConfSection section;
        unsigned line;         /* the line being parsed */
        unsigned seen_retain;  /* the line of `retain`, 0 = not yet */
        const char *reason;    /* static text of the error */
} ConfParser;

ConfSettings *conf_settings_free(ConfSettings *s) {
        if (!s)
                return NULL;
        free(s->path);
        for (size_t i = 0; i < s->n_patterns; i++)
                free(s->patterns[i].dir);
        free(s->patterns);
        free(s);
        return NULL;
}

static int fail(ConfParser *p, const char *reason) {
        p->reason = reason;
        return -EINVAL;
}

static char *trim(char *s) {
        s += strspn(s, " \t");
        size_t n = strlen(s);
        while (n > 0 && strchr(" \t\r\n", s[n - 1]))
                s[--n] = '\0';
        return s;
}

char *conf_strip_line(char *s) {
        for (char *q = s; *q; q++)
                if (*q == '#' && (q == s || q[-1] == ' ' || q[-1] == '\t')) {
                        *q = '\0';
                        break;
                }
        return trim(s);
}

static bool has_control(const char *s) {
        for (const unsigned char *q = (const unsigned char *) s; *q; q++)
                if (*q < ' ' || *q == 0x7f)
                        return true;
        return false;
}

static int section(ConfParser *p, char *s) {
        size_t len = strlen(s);
        if (s[len - 1] != ']')
                return fail(p, "section header without ']'");
        s[len - 1] = '\0';
        const char *name = trim(s + 1);
        if (streq(name, "cascade"))
                p->section = CONF_SECTION_CASCADE;
        else if (streq(name, "collect") || (strncmp(name, "node", 4) == 0 && (name[4] == ' ' || name[4] == '\t')))
                p->section = CONF_SECTION_OTHER;
        else
                return fail(p, "unknown section (use [cascade], [collect] or [node NAME])");
        return 0;
}

static int add_patterns_dir(ConfParser *p, const char *value) {
        /* Relative to what? The working directory of whoever runs cascade is no answer. */
        if (value[0] != '/' || has_control(value))
                return fail(p, "patterns must be an absolute directory path");
        ConfSettings *s = p->settings;
        if (array_reserve(&s->patterns, &s->n_patterns_alloc, s->n_patterns + 1, sizeof *s->patterns, 4) < 0)
                return -ENOMEM;
        char *dir = strdup(value);
        if (!dir)
                return -ENOMEM;
        s->patterns[s->n_patterns++] = (ConfPatternDir){ .dir = dir, .line = p->line };
        return 0;
}

static int set_retain(ConfParser *p, const char *value) {
        if (p->seen_retain)
                return fail(p, "key given twice in [cascade]");
        p->seen_retain = p->line;
        usec_t span;
        if (time_parse_span(value, &span) < 0 || span <= 0)
                return fail(p, "retain must be a time span above zero (e.g. 90d, 12w, 6M)");
        p->settings->retain = span;
        return 0;
}

static int cascade_key(ConfParser *p, const char *key, const char *value) {
        if (streq(key, "patterns"))
                return add_patterns_dir(p, value);
        if (streq(key, "retain"))
                return set_retain(p, value);
        return fail(p, "unknown key in [cascade] (patterns, retain)");
}

static int parse_line(ConfParser *p, char *raw) {
        char *s = conf_strip_line(raw);
        if (!*s)
                return 0;
        if (*s == '[')
                return section(p, s);
        char *eq = strchr(s, '=');
        if (!eq)
                return fail(p, "expected 'key = value' or a [section]");
        if (p->section == CONF_SECTION_NONE)
                return fail(p, "key outside a section");
        if (p->section == CONF_SECTION_OTHER)
                return 0;
        *eq = '\0';
        const char *key = trim(s), *value = trim(eq + 1);
        if (!*value)
                return fail(p, "empty value");
        return cascade_key(p, key, value);
}

static int parse_file(ConfParser *p, FILE *f) {
        _cleanup_free_ char *buf = NULL;
        size_t alloc = 0;
        ssize_t len;
        while ((len = getline(&buf, &alloc, f)) >= 0) {
                p->line++;
                int r = (size_t) len != strlen(buf) ? fail(p, "NUL byte in line") : parse_line(p, buf);
                if (r < 0)
                        return r;
        }
        /* getline() says why it stopped in errno (EISDIR for a directory). */
        if (ferror(f))
                return errno > 0 ? -errno : -EIO;
        return 0;
}

int conf_settings_load(const char *path, bool must_exist, ConfSettings **ret, unsigned *reterr_line,
                       const char **reterr_reason) {
        _cleanup_(conf_settings_freep) ConfSettings *s = calloc(1, sizeof *s);
        if (!s)
                return -ENOMEM;
        s->retain = USEC_INVALID;
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        if (!f) {
                int r = -errno;
                if (r != -ENOENT || must_exist)
                        return r;
                *ret = TAKE_PTR(s);    /* no configuration: nothing set */
                return 0;
        }
        s->path = strdup(path);
        if (!s->path)
                return -ENOMEM;
        ConfParser p = { .settings = s };
        int r = parse_file(&p, f);
        if (r == -EINVAL) {
                *reterr_line = p.line;
                *reterr_reason = p.reason;
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}
