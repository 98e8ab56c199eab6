/* report-redact.c: a word list (longest first) and address and fingerprint scanners over the
 * finished report text. */
#include <ctype.h>

#include "hash.h"
#include "report-redact.h"

typedef struct Word {
        char *text;
        size_t len;
        char token[24];
        bool path;             /* a directory: bounded as a path, not as a word */
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

static int add_word(Redactor *r, const char *spelling, size_t n, const char *word, size_t word_len, const char *kind,
                    bool path) {
        if (word_len < 2 || n == 0)
                return 0;      /* one letter would mask half the report */
        for (size_t i = 0; i < r->n_words; i++)
                if (r->words[i].len == n && memcmp(r->words[i].text, spelling, n) == 0)
                        return 0;
        if (array_reserve(&r->words, &r->n_words_alloc, r->n_words + 1, sizeof *r->words, 16) < 0)
                return -ENOMEM;
        Word *w = r->words;
        w[r->n_words] = (Word){ .text = strndup(spelling, n), .len = n, .path = path };
        if (!w[r->n_words].text)
                return -ENOMEM;
        token_for(r, kind, word, word_len, w[r->n_words].token);
        r->n_words++;
        qsort(r->words, r->n_words, sizeof *r->words, compare_longest_first);
        return 0;
}

int redactor_add_spelling(Redactor *r, const char *spelling, const char *word, const char *kind) {
        return add_word(r, spelling, strlen(spelling), word, strlen(word), kind, false);
}

int redactor_add_path(Redactor *r, const char *spelling, const char *path) {
        const char *slash = strrchr(path, '/'), *spelled = strrchr(spelling, '/');
        /* "/x.log": "/" alone would mask every slash of the report, and says nothing. */
        if (path[0] != '/' || !slash || slash == path || !spelled)
                return 0;
        return add_word(r, spelling, (size_t) (spelled - spelling), path, (size_t) (slash - path), "path", true);
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

static bool base64_char(char c) {
        return isalnum((unsigned char) c) || c == '+' || c == '/';
}

/* Length of a SHA256 fingerprint at s ("SHA256:" and 43 base64 digits, ssh's default form
 * without padding), or 0. */
static size_t sha256_fingerprint_at(const char *s, size_t n, size_t i) {
        static const char prefix[] = "SHA256:";
        const size_t p = sizeof prefix - 1, digits = 43;
        if ((i > 0 && base64_char(s[i - 1])) || n - i < p + digits || memcmp(s + i, prefix, p) != 0)
                return 0;
        for (size_t k = i + p; k < i + p + digits; k++)
                if (!base64_char(s[k]))
                        return 0;
        size_t end = i + p + digits;
        return end < n && (base64_char(s[end]) || s[end] == '=') ? 0 : p + digits;
}

/* Length of an MD5 fingerprint at s (16 hex pairs joined by ':', as ssh showed keys before
 * SHA256, with or without "MD5:" in front), or 0; *ret_skip: the length of that prefix. Never an
 * IPv6 address, which has at most eight groups. */
static size_t md5_fingerprint_at(const char *s, size_t n, size_t i, size_t *ret_skip) {
        size_t skip = n - i >= 4 && memcmp(s + i, "MD5:", 4) == 0 ? 4 : 0;
        if (i > 0 && (isalnum((unsigned char) s[i - 1]) || s[i - 1] == ':'))
                return 0;
        size_t j = i + skip;
        for (int pair = 0; pair < 16; pair++) {
                if (pair > 0 && (j >= n || s[j++] != ':'))
                        return 0;
                if (n - j < 2 || !isxdigit((unsigned char) s[j]) || !isxdigit((unsigned char) s[j + 1]))
                        return 0;
                j += 2;
        }
        if (j < n && (isalnum((unsigned char) s[j]) || (s[j] == ':' && j + 1 < n && isxdigit((unsigned char) s[j + 1]))))
                return 0;
        *ret_skip = skip;
        return j - i;
}

/* The fingerprint at text + i as its token: the same key gets the same token in either MD5
 * spelling. Returns the length masked, or 0. */
static size_t fingerprint_token(const Redactor *r, const char *text, size_t len, size_t i, char token[static 24]) {
        size_t skip = 0, m = sha256_fingerprint_at(text, len, i);
        if (m == 0)
                m = md5_fingerprint_at(text, len, i, &skip);
        if (m > 0)
                token_for(r, "key", text + i + skip, m - skip, token);
        return m;
}

/* Whether w stands at text + i as a whole: a word between non-word characters; a directory not
 * inside a longer path ("/a/tmp/x", "/tmp/x.old", "/tmp/x-2") nor a relative one ("./tmp/x"). */
static bool word_at(const Word *w, const char *text, size_t len, size_t i) {
        if (w->len > len - i || memcmp(text + i, w->text, w->len) != 0)
                return false;
        size_t end = i + w->len;
        if (!w->path)
                return end == len || !word_char(text[end]);
        if (i > 0 && (word_char(text[i - 1]) || text[i - 1] == '.' || text[i - 1] == '/'))
                return false;
        return end == len || (!word_char(text[end]) && text[end] != '.');
}

void redactor_apply(const Redactor *r, const char *text, size_t len, StrBuf *out) {
        char token[24];
        for (size_t i = 0; i < len;) {
                size_t m;
                /* Before addresses: an MD5 fingerprint is hex and colons, too. */
                if ((m = fingerprint_token(r, text, len, i, token)) > 0) {
                        strbuf_addstr(out, token);
                        i += m;
                        continue;
                }
                if ((m = ipv4_at(text, len, i)) > 0 || (m = ipv6_at(text, len, i)) > 0) {
                        token_for(r, "ip", text + i, m, token);
                        strbuf_addstr(out, token);
                        i += m;
                        continue;
                }
                const Word *hit = NULL;
                /* A path word checks what stands before it itself: '/' may end a word, not a path. */
                for (size_t k = 0; k < r->n_words && !hit; k++)
                        if ((r->words[k].path || i == 0 || !word_char(text[i - 1])) && word_at(&r->words[k], text, len, i))
                                hit = &r->words[k];
                if (hit) {
                        strbuf_addstr(out, hit->token);
                        i += hit->len;
                        continue;
                }
                strbuf_addch(out, text[i++]);
        }
}
