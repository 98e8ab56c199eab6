/* report-redact.c: a word list (longest first) and address scanners over the finished report text. */
#include <ctype.h>

#include "hash.h"
#include "report-redact.h"

typedef struct Word {
        char *text;
        size_t len;
        char token[24];
} Word;

struct Redactor {
        uint64_t key;
        Word *words;           /* longest first */
        size_t n_words;
        size_t n_words_alloc;  /* capacity of words */
};

static void token_for(const Redactor *r, const char *kind, const char *s, size_t n, char buf[static 24]) {
        snprintf(buf, 24, "%s-%06" PRIx64, kind, hash64(s, n, r->key) & 0xffffff);
}

int redactor_random_key(char buf[static 33]) {
        _cleanup_fclose_ FILE *f = fopen("/dev/urandom", "re");
        if (!f)
                return -errno;
        unsigned char b[16];
        if (fread(b, 1, sizeof b, f) != sizeof b)
                return -EIO;
        for (size_t i = 0; i < sizeof b; i++)
                snprintf(buf + 2 * i, 3, "%02x", b[i]);
        return 0;
}

int redactor_new(const char *key, Redactor **ret) {
        Redactor *r = calloc(1, sizeof *r);
        if (!r)
                return -ENOMEM;
        r->key = hash64(key, strlen(key), 0x72656461637421ULL);
        *ret = r;
        return 0;
}

Redactor *redactor_free(Redactor *r) {
        if (!r)
                return NULL;
        for (size_t i = 0; i < r->n_words; i++)
                free(r->words[i].text);
        free(r->words);
        free(r);
        return NULL;
}

static int compare_longest_first(const void *a, const void *b) {
        const Word *x = a, *y = b;
        return x->len < y->len ? 1 : x->len > y->len ? -1 : strcmp(x->text, y->text);
}

int redactor_add_spelling(Redactor *r, const char *spelling, const char *word, const char *kind) {
        size_t n = strlen(spelling);
        if (strlen(word) < 2 || n == 0)
                return 0;      /* one letter would mask half the report */
        for (size_t i = 0; i < r->n_words; i++)
                if (streq(r->words[i].text, spelling))
                        return 0;
        if (array_reserve(&r->words, &r->n_words_alloc, r->n_words + 1, sizeof *r->words, 16) < 0)
                return -ENOMEM;
        Word *w = r->words;
        w[r->n_words] = (Word){ .text = strdup(spelling), .len = n };
        if (!w[r->n_words].text)
                return -ENOMEM;
        token_for(r, kind, word, strlen(word), w[r->n_words].token);
        r->n_words++;
        qsort(r->words, r->n_words, sizeof *r->words, compare_longest_first);
        return 0;
}

int redactor_add(Redactor *r, const char *word, const char *kind) {
        return redactor_add_spelling(r, word, word, kind);
}

static bool word_char(char c) {
        return isalnum((unsigned char) c) || c == '_' || c == '-';
}

/* Length of an IPv4 address at s (with word boundaries), or 0. */
static size_t ipv4_at(const char *s, size_t n, size_t i) {
        if (i > 0 && (isalnum((unsigned char) s[i - 1]) || s[i - 1] == '.'))
                return 0;
        size_t j = i;
        for (int part = 0; part < 4; part++) {
                size_t d = j;
                while (j < n && j - d < 3 && isdigit((unsigned char) s[j]))
                        j++;
                if (j == d || (part < 3 && (j >= n || s[j++] != '.')))
                        return 0;
        }
        if (j < n && (isalnum((unsigned char) s[j]) || (s[j] == '.' && j + 1 < n && isdigit((unsigned char) s[j + 1]))))
                return 0;
        return j - i;
}

/* Length of an IPv6 address at s, or 0: hex groups and colons with "::" or a hex letter, so that
 * clock times (08:10:48) never qualify. A single ':' after it is punctuation ("fe80::1: down"),
 * only "::" may end it; an IPv4 address may end it ("::ffff:10.0.0.1", masked whole). */
static size_t ipv6_at(const char *s, size_t n, size_t i) {
        if (i > 0 && (isalnum((unsigned char) s[i - 1]) || s[i - 1] == ':'))
                return 0;
        size_t j = i, colons = 0, group = i;   /* group: where the last hex group starts */
        bool letter = false, double_colon = false;
        while (j < n && (isxdigit((unsigned char) s[j]) || s[j] == ':')) {
                if (s[j] == ':') {
                        colons++;
                        double_colon |= j + 1 < n && s[j + 1] == ':';
                        group = j + 1;
                } else
                        letter |= isalpha((unsigned char) s[j]);
                j++;
        }
        size_t trailing = 0;
        while (trailing < j - i && s[j - 1 - trailing] == ':')
                trailing++;
        if (trailing == 1 || trailing > 2) {    /* keep "::" at most */
                size_t cut = trailing == 1 ? 1 : trailing - 2;
                j -= cut;
                colons -= cut;
                group = j;
        }
        if (colons < 2 || !(letter || double_colon))
                return 0;
        size_t v4;
        if (j < n && s[j] == '.' && group > i && s[group - 1] == ':' && (v4 = ipv4_at(s, n, group)) > 0)
                return group + v4 - i;
        if (j < n && isalnum((unsigned char) s[j]))
                return 0;
        return j - i;
}

void redactor_apply(const Redactor *r, const char *text, size_t len, StrBuf *out) {
        char token[24];
        for (size_t i = 0; i < len;) {
                size_t m;
                if ((m = ipv4_at(text, len, i)) > 0 || (m = ipv6_at(text, len, i)) > 0) {
                        token_for(r, "ip", text + i, m, token);
                        strbuf_addstr(out, token);
                        i += m;
                        continue;
                }
                const Word *hit = NULL;
                if (i == 0 || !word_char(text[i - 1]))
                        for (size_t k = 0; k < r->n_words && !hit; k++) {
                                const Word *w = &r->words[k];
                                if (w->len <= len - i && memcmp(text + i, w->text, w->len) == 0 &&
                                    (i + w->len == len || !word_char(text[i + w->len])))
                                        hit = w;
                        }
                if (hit) {
                        strbuf_addstr(out, hit->token);
                        i += hit->len;
                        continue;
                }
                strbuf_addch(out, text[i++]);
        }
}
