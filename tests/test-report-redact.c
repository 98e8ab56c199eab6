/* test-report-redact.c: masking reports for sharing (report-redact.h): stable tokens per key, IPv4
 * and IPv6 addresses where they stand (not version numbers or clock times), whole-word hosts and
 * users, SSH key fingerprints, and the directories of the analyst's source paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>

#include "report-redact.h"

static Redactor *redactor(const char *key) {
        Redactor *r = NULL;
        assert_int_equal(redactor_new(key, &r), 0);
        assert_non_null(r);
        return r;
}

/* The masked text (malloc'ed). */
static char *masked(const Redactor *r, const char *text) {
        StrBuf out = STRBUF_INIT;
        redactor_apply(r, text, strlen(text), &out);
        char *s = strbuf_detach(&out);
        assert_non_null(s);
        return s;
}

/* The text comes out as want, where each "#" in want stands for a token "KIND-xxxxxx" whose
 * prefix is given in want right before it, e.g. "ip-#:5405". The tokens found go to toks[]. */
static void masked_is(const Redactor *r, const char *text, const char *want, char toks[][24], size_t max_toks) {
        _cleanup_free_ char *got = masked(r, text);
        const char *g = got;
        size_t n = 0;
        for (const char *w = want; *w; w++) {
                if (*w != '#') {
                        if (*g != *w)
                                fail_msg("'%s' masked is '%s', want '%s'", text, got, want);
                        g++;
                        continue;
                }
                for (int i = 0; i < 6; i++)
                        if (!isxdigit((unsigned char) g[i]) || isupper((unsigned char) g[i]))
                                fail_msg("'%s' masked is '%s', want '%s' (6 hex digits)", text, got, want);
                if (n < max_toks) {
                        /* The whole token: back over the kind to the start of the word. */
                        const char *start = g - 1;
                        while (start > got && isalpha((unsigned char) start[-1]))
                                start--;
                        snprintf(toks[n], 24, "%.*s", (int) (g + 6 - start), start);
                }
                n++;
                g += 6;
        }
        if (*g)
                fail_msg("'%s' masked is '%s', want '%s'", text, got, want);
}

static void unchanged(const Redactor *r, const char *text) {
        _cleanup_free_ char *got = masked(r, text);
        assert_string_equal(got, text);
}

static void same_address_same_token(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k1");
        char t[3][24];
        masked_is(r, "from 10.0.0.1 to 10.0.0.2, again 10.0.0.1", "from ip-# to ip-#, again ip-#", t, 3);
        assert_string_equal(t[0], t[2]);
        assert_string_not_equal(t[0], t[1]);
        /* Another report with the same key: the same tokens. */
        _cleanup_(redactor_freep) Redactor *r2 = redactor("k1");
        char t2[1][24];
        masked_is(r2, "10.0.0.1", "ip-#", t2, 1);
        assert_string_equal(t2[0], t[0]);
}

static void other_key_other_token(void **state) {
        _cleanup_(redactor_freep) Redactor *a = redactor("key-a");
        _cleanup_(redactor_freep) Redactor *b = redactor("key-b");
        char ta[2][24], tb[2][24];
        assert_int_equal(redactor_add(a, "pve1", "host"), 0);
        assert_int_equal(redactor_add(b, "pve1", "host"), 0);
        masked_is(a, "10.0.0.1 pve1", "ip-# host-#", ta, 2);
        masked_is(b, "10.0.0.1 pve1", "ip-# host-#", tb, 2);
        assert_string_not_equal(ta[0], tb[0]);
        assert_string_not_equal(ta[1], tb[1]);
}

static void ipv4_with_port_and_punctuation(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        char t[5][24];
        masked_is(r, "10.0.0.1:5405 (10.0.0.1) addr=10.0.0.1, [10.0.0.1]. 10.0.0.1",
                  "ip-#:5405 (ip-#) addr=ip-#, [ip-#]. ip-#", t, 5);
        for (int i = 1; i < 5; i++)
                assert_string_equal(t[i], t[0]);
        masked_is(r, "ring0_addr:192.168.1.250/24", "ring0_addr:ip-#/24", t, 1);
        masked_is(r, "host-10.0.0.1 end.", "host-ip-# end.", t, 1);
}

static void ipv4_lookalikes_kept(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        unchanged(r, "corosync 3.1.7 and kernel 6.8.12-4-pve, libknet 1.28");
        unchanged(r, "ring 1.2.3 and OID 1.3.6.1.4.1.8072");          /* three and six parts */
        unchanged(r, "v10.0.0.1 a10.0.0.1");                           /* inside a word */
        unchanged(r, "10.0.0.1234 10.0.0.1a");                         /* longer than an address */
        unchanged(r, "1.2.3.4.5");
        unchanged(r, "1..2.3.4 1.2.3.");
}

static void ipv6_forms(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        char t[4][24];
        masked_is(r, "fe80::1 ::1 2001:db8::2:1 2001:0db8:0000:0000:0000:ff00:0042:8329",
                  "ip-# ip-# ip-# ip-#", t, 4);
        assert_string_not_equal(t[0], t[1]);
        masked_is(r, "[2001:db8::1]:5405 fe80::1%eth0", "[ip-#]:5405 ip-#%eth0", t, 2);
        masked_is(r, "at fe80::1, then", "at ip-#, then", t, 1);
        /* Case is part of the text: the token of the same spelling is the same. */
        char u[3][24];
        masked_is(r, "FE80::A fe80::a FE80::A", "ip-# ip-# ip-#", u, 3);
        masked_is(r, "FE80::A", "ip-#", t, 1);
        assert_string_equal(t[0], u[0]);
}

static void clock_times_are_not_ipv6(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        unchanged(r, "Nov 25 08:10:48 pve1 corosync[1234]: [TOTEM ] at 08:10:48.123");
        unchanged(r, "12:34:56:78 elapsed 1:02:03");
        unchanged(r, "a:b one colon only, std::vector, Foo::bar");
}

/* An IPv6 address that ends in an IPv4 one is masked whole: no octet is left in clear. */
static void ipv4_mapped_ipv6(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        char t[4][24];
        masked_is(r, "peer ::ffff:10.0.0.1 left", "peer ip-# left", t, 1);
        masked_is(r, "[::ffff:10.0.0.1]:5405, ::FFFF:10.0.0.1. 64:ff9b::192.0.2.33/96 ::10.0.0.1",
                  "[ip-#]:5405, ip-#. ip-#/96 ip-#", t, 4);
        /* Mapped or not, the same address is two spellings with two tokens. */
        char v4[1][24];
        masked_is(r, "10.0.0.1", "ip-#", v4, 1);
        masked_is(r, "::ffff:10.0.0.1", "ip-#", t, 1);
        assert_string_not_equal(t[0], v4[0]);
        /* Not an IPv4 address after all: the IPv6 part alone, the rest as it was. */
        masked_is(r, "::ffff:10.0.0 ::ffff:a0.0.0.1", "ip-#.0.0 ip-#.0.0.1", t, 2);
}

/* A colon right after an IPv6 address ("fe80::1: link down") is punctuation: the same address gets
 * the same token there as elsewhere in the report. Only "::" may end an address. */
static void ipv6_followed_by_colon(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        char t[2][24];
        masked_is(r, "fe80::1: link down, fe80::1 up", "ip-#: link down, ip-# up", t, 2);
        assert_string_equal(t[0], t[1]);
        masked_is(r, "2001:db8:0:0:0:0:0:a: x, 2001:db8:0:0:0:0:0:a", "ip-#: x, ip-#", t, 2);
        assert_string_equal(t[0], t[1]);
        /* "::" ends an address; a colon after it is punctuation again. */
        masked_is(r, "2001:db8:: and 2001:db8::: x", "ip-# and ip-#: x", t, 2);
        assert_string_equal(t[0], t[1]);
        unchanged(r, "ab:cd: x 12:34:56: y");
}

/* Another spelling of a word gets the word's own token. */
static void spellings_share_the_token(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        assert_int_equal(redactor_add(r, "john_doe", "user"), 0);
        assert_int_equal(redactor_add_spelling(r, "john\\_doe", "john_doe", "user"), 0);
        char t[2][24];
        masked_is(r, "`john_doe` logged in: john\\_doe", "`user-#` logged in: user-#", t, 2);
        assert_string_equal(t[0], t[1]);
        /* A spelling of a one-letter word is ignored like the word. */
        assert_int_equal(redactor_add_spelling(r, "\\_", "_", "user"), 0);
        unchanged(r, "a \\_ b");
}

static void host_masked_as_whole_word(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        assert_int_equal(redactor_add(r, "pve1", "host"), 0);
        char t[6][24];
        masked_is(r, "pve1 left; (pve1) pve1: \"pve1\" pve1.example.com pve1",
                  "host-# left; (host-#) host-#: \"host-#\" host-#.example.com host-#", t, 6);
        for (int i = 1; i < 6; i++)
                assert_string_equal(t[i], t[0]);
        unchanged(r, "pve10 xpve1 pve1x pve1-backup pve1_old _pve1 -pve1 PVE1");
}

static void longest_word_first(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        assert_int_equal(redactor_add(r, "pve1", "host"), 0);
        assert_int_equal(redactor_add(r, "pve1.example.com", "host"), 0);
        char t[2][24];
        masked_is(r, "pve1.example.com pve1", "host-# host-#", t, 2);
        assert_string_not_equal(t[0], t[1]);
}

static void users_masked(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        assert_int_equal(redactor_add(r, "alice", "user"), 0);
        assert_int_equal(redactor_add(r, "pve2", "host"), 0);
        char t[3][24];
        masked_is(r, "login of alice@pam on pve2 by alice", "login of user-#@pam on host-# by user-#", t, 3);
        assert_string_equal(t[0], t[2]);
        unchanged(r, "malice alices alice_1");
}

static void short_and_repeated_words_ignored(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        assert_int_equal(redactor_add(r, "a", "host"), 0);
        assert_int_equal(redactor_add(r, "", "user"), 0);
        unchanged(r, "a cluster of a few nodes");
        assert_int_equal(redactor_add(r, "db", "host"), 0);
        assert_int_equal(redactor_add(r, "db", "user"), 0);         /* the first kind stays */
        char t[1][24];
        masked_is(r, "db down", "host-# down", t, 1);
}

static void no_match_copied_verbatim(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        assert_int_equal(redactor_add(r, "pve1", "host"), 0);
        unchanged(r, "");
        unchanged(r, "| Time | Node | Event |\n|---|---|---|\n");
        unchanged(r, "n\xc5\x93ud \xe2\x80\x94 caf\xc3\xa9 \xf0\x9f\x94\xa5 pve2 `code` **bold**");
        /* Only len bytes are read: the rest of the string is not copied. */
        StrBuf out = STRBUF_INIT;
        redactor_apply(r, "pve1 tail", 4, &out);
        assert_int_equal(out.len, strlen("host-") + 6);
        assert_memory_equal(out.buf, "host-", 5);
        strbuf_release(&out);
}

#define SHA_A "9VYxk+O9wW1NPJbddVX0KKgiOKT9BcENf06v1BFJBag"
#define SHA_B "NNAwtx+62CQA7y4IZx/8tglOoD3xu2BYY9HE6atq+Og"
#define MD5_A "4f:2a:91:0c:de:77:13:5b:a8:e6:10:9d:c2:3f:88:01"

/* sshd's "Accepted publickey ... ssh2: RSA SHA256:..." names the key: the same key keeps one
 * token, so a reader still sees one key used on every node. */
static void sha256_fingerprints(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        char t[4][24];
        masked_is(r, "Accepted publickey for root from 10.0.0.5 port 22 ssh2: RSA SHA256:" SHA_A,
                  "Accepted publickey for root from ip-# port 22 ssh2: RSA key-#", t, 2);
        masked_is(r, "SHA256:" SHA_A ", (SHA256:" SHA_B ") `SHA256:" SHA_A "`.", "key-#, (key-#) `key-#`.", t + 1, 3);
        assert_string_equal(t[1], t[3]);
        assert_string_not_equal(t[1], t[2]);
        char u[1][24];
        masked_is(r, "ED25519 SHA256:" SHA_A, "ED25519 key-#", u, 1);
        assert_string_equal(u[0], t[1]);
        /* Another key, other tokens. */
        _cleanup_(redactor_freep) Redactor *r2 = redactor("k2");
        masked_is(r2, "SHA256:" SHA_A, "key-#", u, 1);
        assert_string_not_equal(u[0], t[1]);
}

static void sha256_lookalikes_kept(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        unchanged(r, "SHA256:short SHA256: sha256:" SHA_A);
        unchanged(r, "SHA256:" SHA_A "x");             /* 44 digits: not ssh's fingerprint */
        unchanged(r, "SHA256:" SHA_A "=");
        unchanged(r, "xSHA256:" SHA_A " /SHA256:" SHA_A);
        unchanged(r, "SHA256:9VYxk+O9wW1NPJbddVX0KKgiOKT9BcENf06v1BF-Bag");
}

/* The older form: 16 hex pairs, with or without "MD5:", one token for both spellings. Not an
 * IPv6 address (at most 8 groups), nor a clock time. */
static void md5_fingerprints(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        char t[3][24];
        masked_is(r, "ssh2: RSA MD5:" MD5_A ", RSA " MD5_A ".", "ssh2: RSA key-#, RSA key-#.", t, 2);
        assert_string_equal(t[0], t[1]);
        masked_is(r, "(MD5:" MD5_A ")", "(key-#)", t + 2, 1);
        assert_string_equal(t[2], t[0]);
        /* Not 16 pairs standing alone: not a key (hex and colons may still be an address). */
        unchanged(r, "12:34:56:78:90:12:34:56:78:90:12:34:56:78:90:12:34 x" MD5_A);
        unchanged(r, "MD5:12:34 08:10:48");
}

/* The directory of a source is masked, its file name stays: sources stay apart, and what the
 * directory says about the analyst (a customer, a case, a user name) does not leave. */
static void source_directory_masked(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        assert_int_equal(redactor_add_path(r, "/home/jdoe/acme-case-42/journal/pve1*.journal",
                                           "/home/jdoe/acme-case-42/journal/pve1*.journal"), 0);
        assert_int_equal(redactor_add_path(r, "/home/jdoe/acme-case-42/syslog/pve1.log",
                                           "/home/jdoe/acme-case-42/syslog/pve1.log"), 0);
        char t[4][24];
        masked_is(r, "- `/home/jdoe/acme-case-42/journal/pve1*.journal`\n"
                     "| ` /home/jdoe/acme-case-42/journal/pve2*.journal (cursor s=1) ` |\n"
                     "/home/jdoe/acme-case-42/syslog/pve1.log:12 /home/jdoe/acme-case-42/syslog",
                  "- `path-#/pve1*.journal`\n| ` path-#/pve2*.journal (cursor s=1) ` |\npath-#/pve1.log:12 path-#", t, 4);
        assert_string_equal(t[0], t[1]);
        assert_string_not_equal(t[0], t[2]);
        assert_string_equal(t[2], t[3]);
        /* Only that directory, as a whole: not a longer one, not one inside another path. */
        unchanged(r, "/home/jdoe/acme-case-42/journal2/x /home/jdoe/acme-case-42/journal.old/x "
                     "/home/jdoe/acme-case-42/journal-x /mnt/home/jdoe/acme-case-42/journal/x "
                     "./home/jdoe/acme-case-42/journal/x /home/jdoe/acme-case-42/x");
}

/* A host name in the file name is masked as a host; in the directory the path's token hides it. */
static void source_file_name_keeps_host_masking(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        assert_int_equal(redactor_add(r, "pve1", "host"), 0);
        assert_int_equal(redactor_add_path(r, "/srv/pve1/logs/pve1.log", "/srv/pve1/logs/pve1.log"), 0);
        char t[3][24];
        masked_is(r, "/srv/pve1/logs/pve1.log and pve1", "path-#/host-#.log and host-#", t, 3);
        assert_string_equal(t[1], t[2]);
}

/* A spelling of the path (a table cell escapes its pipes) gets the path's own token. */
static void source_path_spellings(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        assert_int_equal(redactor_add_path(r, "/tmp/a|b/x.log", "/tmp/a|b/x.log"), 0);
        assert_int_equal(redactor_add_path(r, "/tmp/a\\|b/x.log", "/tmp/a|b/x.log"), 0);
        char t[2][24];
        masked_is(r, "`/tmp/a|b/x.log` | `/tmp/a\\|b/x.log` |", "`path-#/x.log` | `path-#/x.log` |", t, 2);
        assert_string_equal(t[0], t[1]);
}

/* No directory to mask: relative paths, files in "/", collect's source keys. */
static void paths_without_directory_ignored(void **state) {
        _cleanup_(redactor_freep) Redactor *r = redactor("k");
        assert_int_equal(redactor_add_path(r, "logs/pve1.log", "logs/pve1.log"), 0);
        assert_int_equal(redactor_add_path(r, "/pve1.log", "/pve1.log"), 0);
        assert_int_equal(redactor_add_path(r, "collect:pve1", "collect:pve1"), 0);
        assert_int_equal(redactor_add_path(r, "-", "-"), 0);
        unchanged(r, "logs/pve1.log /pve1.log collect:pve1 / a/b - /etc/pve/corosync.conf");
}

/* report --redact without $CASCADE_REDACT_KEY: a key of its own per report. */
static void random_key(void **state) {
        char k1[33], k2[33];
        memset(k1, 'X', sizeof k1);
        memset(k2, 'X', sizeof k2);
        assert_int_equal(redactor_random_key(k1), 0);
        assert_int_equal(redactor_random_key(k2), 0);
        assert_int_equal(strlen(k1), 32);
        assert_int_equal(strlen(k2), 32);
        for (size_t i = 0; i < 32; i++)
                assert_true(isxdigit((unsigned char) k1[i]) && !isupper((unsigned char) k1[i]));
        /* 128 random bits: equal only if /dev/urandom is not random. */
        assert_string_not_equal(k1, k2);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(same_address_same_token),
                cmocka_unit_test(other_key_other_token),
                cmocka_unit_test(ipv4_with_port_and_punctuation),
                cmocka_unit_test(ipv4_lookalikes_kept),
                cmocka_unit_test(ipv6_forms),
                cmocka_unit_test(clock_times_are_not_ipv6),
                cmocka_unit_test(ipv4_mapped_ipv6),
                cmocka_unit_test(ipv6_followed_by_colon),
                cmocka_unit_test(spellings_share_the_token),
                cmocka_unit_test(host_masked_as_whole_word),
                cmocka_unit_test(longest_word_first),
                cmocka_unit_test(users_masked),
                cmocka_unit_test(short_and_repeated_words_ignored),
                cmocka_unit_test(no_match_copied_verbatim),
                cmocka_unit_test(random_key),
                cmocka_unit_test(sha256_fingerprints),
                cmocka_unit_test(sha256_lookalikes_kept),
                cmocka_unit_test(md5_fingerprints),
                cmocka_unit_test(source_directory_masked),
                cmocka_unit_test(source_file_name_keeps_host_masking),
                cmocka_unit_test(source_path_spellings),
                cmocka_unit_test(paths_without_directory_ignored),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
