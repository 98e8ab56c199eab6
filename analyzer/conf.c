/* conf.c: cascade.conf's [cascade] section, the settings every command shares (conf.h):
 *
 *   [cascade]
 *   patterns = /srv/cascade/rules   # repeatable: site rule directories, loaded in this order
 *                                   # after /etc/cascade/patterns.d (absolute paths)
 *   retain = 90d                    # a span as systemd.time(7) writes it: scan's and prune's retention
 *
 * The section may be split in several, each key but `patterns` once in all of them. The file's
 * syntax is conf_walk()'s, for every section: a typo in a header is an error for every command,
 * not only for collect. The keys of [collect] and [node NAME] are collect.c's. */
#include "conf.h"

typedef struct ConfParser {
        ConfSettings *settings;
        unsigned seen_retain;  /* the line of `retain`, 0 = not yet */
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

bool conf_has_control(const char *s) {
        for (const unsigned char *q = (const unsigned char *) s; *q; q++)
                if (*q < ' ' || *q == 0x7f)
                        return true;
        return false;
}

/* "[cascade]", "[collect]", "[node NAME]" (blanks around the name allowed). */
static int walk_section(char *s, const ConfHandler *h, ConfSection *ret, ConfError *err) {
        size_t len = strlen(s);
        if (s[len - 1] != ']')
                return conf_fail(err, "section header without ']'");
        s[len - 1] = '\0';
        const char *name = trim(s + 1), *node = NULL;
        if (streq(name, "cascade"))
                *ret = CONF_SECTION_CASCADE;
        else if (streq(name, "collect"))
                *ret = CONF_SECTION_COLLECT;
        else if (strncmp(name, "node", 4) == 0 && (name[4] == ' ' || name[4] == '\t')) {
                *ret = CONF_SECTION_NODE;
                node = name + 4 + strspn(name + 4, " \t");
        } else
                return conf_fail(err, "unknown section (use [cascade], [collect] or [node NAME])");
        return h->section ? h->section(h->userdata, *ret, node, err) : 0;
}

/* One line; *section is the current one, -1 before the first header. */
static int walk_line(char *raw, const ConfHandler *h, int *section, ConfError *err) {
        char *s = conf_strip_line(raw);
        if (!*s)
                return 0;
        if (*s == '[') {
                ConfSection next;
                int r = walk_section(s, h, &next, err);
                if (r >= 0)
                        *section = (int) next;
                return r;
        }
        char *eq = strchr(s, '=');
        if (!eq)
                return conf_fail(err, "expected 'key = value' or a [section]");
        if (*section < 0)
                return conf_fail(err, "key outside a section");
        *eq = '\0';
        const char *key = trim(s), *value = trim(eq + 1);
        if (!*value)
                return conf_fail(err, "empty value");
        return h->key ? h->key(h->userdata, (ConfSection) *section, key, value, err) : 0;
}

int conf_walk(FILE *f, const ConfHandler *h, ConfError *err) {
        _cleanup_free_ char *buf = NULL;
        size_t alloc = 0;
        ssize_t len;
        int section = -1;
        *err = (ConfError){ 0 };
        while ((len = getline(&buf, &alloc, f)) >= 0) {
                err->line++;
                int r = (size_t) len != strlen(buf) ? conf_fail(err, "NUL byte in line") : walk_line(buf, h, &section, err);
                if (r < 0)
                        return r;
        }
        /* getline() says why it stopped in errno (EISDIR for a directory). */
        if (ferror(f))
                return errno > 0 ? -errno : -EIO;
        return 0;
}

static int add_patterns_dir(ConfParser *p, const char *value, ConfError *err) {
        /* Relative to what? The working directory of whoever runs cascade is no answer. */
        if (value[0] != '/' || conf_has_control(value))
                return conf_fail(err, "patterns must be an absolute directory path");
        ConfSettings *s = p->settings;
        if (array_reserve(&s->patterns, &s->n_patterns_alloc, s->n_patterns + 1, sizeof *s->patterns, 4) < 0)
                return -ENOMEM;
        char *dir = strdup(value);
        if (!dir)
                return -ENOMEM;
        s->patterns[s->n_patterns++] = (ConfPatternDir){ .dir = dir, .line = err->line };
        return 0;
}

static int set_retain(ConfParser *p, const char *value, ConfError *err) {
        if (p->seen_retain)
                return conf_fail(err, "key given twice in [cascade]");
        p->seen_retain = err->line;
        usec_t span;
        if (time_parse_span(value, &span) < 0 || span <= 0)
                return conf_fail(err, "retain must be a time span above zero (e.g. 90d, 12w, 6M)");
        p->settings->retain = span;
        return 0;
}

/* Only [cascade] is this file's: the other sections are collect.c's. */
static int cascade_key(void *userdata, ConfSection section, const char *key, const char *value, ConfError *err) {
        ConfParser *p = userdata;
        if (section != CONF_SECTION_CASCADE)
                return 0;
        if (streq(key, "patterns"))
                return add_patterns_dir(p, value, err);
        if (streq(key, "retain"))
                return set_retain(p, value, err);
        return conf_fail(err, "unknown key in [cascade] (patterns, retain)");
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
        ConfError err;
        int r = conf_walk(f, &(ConfHandler){ .key = cascade_key, .userdata = &p }, &err);
        if (r == -EINVAL) {
                *reterr_line = err.line;
                *reterr_reason = err.reason;
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}
