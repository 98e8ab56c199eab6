/* test-time-util.c: stamp parsing, zones, year inference, user times and formatting (time-util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "time-util.h"

#define SEC(x) ((usec_t) (x) * USEC_PER_SEC)
/* 2024-11-25T07:10:48Z, the instant most cases below are built around. */
#define T_20241125_071048 SEC(1732518648)

static int zone_utc(void **state) {
        return time_set_zone("UTC");
}

static size_t bsd(const char *s, TimeFields *tf) {
        return time_parse_bsd(s, strlen(s), tf);
}

static size_t iso(const char *s, TimeFields *tf) {
        return time_parse_iso(s, strlen(s), tf);
}

static void bsd_space_padded_day(void **state) {
        TimeFields tf;
        assert_int_equal(bsd("Feb  7 08:10:48 pve1 kernel: x", &tf), 15);
        assert_int_equal(tf.year, 0);
        assert_int_equal(tf.month, 2);
        assert_int_equal(tf.day, 7);
        assert_int_equal(tf.hour, 8);
        assert_int_equal(tf.minute, 10);
        assert_int_equal(tf.second, 48);
        assert_int_equal(tf.usec, 0);
        assert_int_equal(tf.precision, USEC_PER_SEC);
        assert_false(tf.has_offset);
}

static void bsd_zero_padded_and_unpadded_day(void **state) {
        TimeFields tf;
        assert_int_equal(bsd("Feb 07 08:10:48 pve1", &tf), 15);
        assert_int_equal(tf.month, 2);
        assert_int_equal(tf.day, 7);
        assert_int_equal(bsd("Dec 31 23:59:59 h", &tf), 15);
        assert_int_equal(tf.month, 12);
        assert_int_equal(tf.day, 31);
        assert_int_equal(tf.second, 59);
        assert_int_equal(bsd("Feb 7 08:10:48 pve1", &tf), 14);
        assert_int_equal(tf.day, 7);
        assert_int_equal(tf.hour, 8);
}

static void bsd_stamp_alone(void **state) {
        /* A stamp with nothing after it is still a stamp (a line whose message is empty). */
        TimeFields tf;
        assert_int_equal(bsd("Feb  7 08:10:48", &tf), 15);
        assert_int_equal(tf.day, 7);
        assert_int_equal(tf.second, 48);
        assert_int_equal(bsd("Feb 7 08:10:48", &tf), 14);
        assert_int_equal(bsd("Feb 7 08:10:4", &tf), 0);
}

static void bsd_fraction_precision(void **state) {
        TimeFields tf;
        assert_int_equal(bsd("Nov 25 08:10:48.1 h", &tf), 17);
        assert_int_equal(tf.usec, 100000);
        assert_int_equal(tf.precision, 100000);
        assert_int_equal(bsd("Nov 25 08:10:48.123 h", &tf), 19);
        assert_int_equal(tf.usec, 123000);
        assert_int_equal(tf.precision, 1000);
        assert_int_equal(bsd("Nov 25 08:10:48.123456 h", &tf), 22);
        assert_int_equal(tf.usec, 123456);
        assert_int_equal(tf.precision, 1);
        /* Beyond µs the digits are consumed but cannot add precision. */
        assert_int_equal(bsd("Nov 25 08:10:48.123456789 h", &tf), 25);
        assert_int_equal(tf.usec, 123456);
        assert_int_equal(tf.precision, 1);
        /* A dot not followed by a digit is not a fraction. */
        assert_int_equal(bsd("Nov 25 08:10:48. h", &tf), 15);
        assert_int_equal(tf.precision, USEC_PER_SEC);
}

static void bsd_zh_cn(void **state) {
        TimeFields tf;
        const char *s = "9 月 16 日 19:31:41 pve1 corosync[1]: x";
        assert_int_equal(bsd(s, &tf), strlen("9 月 16 日 19:31:41"));
        assert_int_equal(tf.month, 9);
        assert_int_equal(tf.day, 16);
        assert_int_equal(tf.hour, 19);
        assert_int_equal(tf.minute, 31);
        assert_int_equal(tf.second, 41);
        assert_int_equal(bsd("12 月 01 日 01:02:03 h", &tf), strlen("12 月 01 日 01:02:03"));
        assert_int_equal(tf.month, 12);
        assert_int_equal(tf.day, 1);
        assert_int_equal(tf.hour, 1);
}

static void bsd_rejects(void **state) {
        TimeFields tf = { .month = 99 };
        const char *bad[] = {
                "",
                "Foo 12 08:10:48 h",           /* no such month */
                "FEB 12 08:10:48 h",           /* names as printed: English capitalised, "feb" is Swedish... */
                "Feb 32 08:10:48 h",           /* day out of range */
                "Feb  0 08:10:48 h",
                "Feb 12 24:10:48 h",           /* hour out of range */
                "Feb 12 08:60:48 h",
                "Feb 12 08:10:61 h",
                "Feb 12 08:10 host",           /* no seconds */
                "Feb12 08:10:48 h",
                "Feb 123 08:10:48 h",
                "Feb 12 8:10:48 host x",
                "2024-11-25T08:10:48Z",
                "13 月 16 日 19:31:41 h",
                "9 月 16 19:31:41 host",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                if (bsd(bad[i], &tf) != 0)
                        fail_msg("accepted '%s'", bad[i]);
        }
        assert_int_equal(tf.month, 99);   /* *ret untouched on failure */
}

/* ---- month names of other languages (analyzer/month-names.txt) ---- */

/* The month of a localized stamp "NAME dd 08:10:48", read within the language *lc (NULL: none). */
static int month_in(MonthLocale *lc, const char *name, int day) {
        char line[96];
        TimeFields tf = { 0 };
        int n = snprintf(line, sizeof line, "%s %02d 08:10:48 pve1 corosync[1]: x", name, day);
        size_t want = (size_t) n - strlen(" pve1 corosync[1]: x");
        size_t used = time_parse_bsd_in(line, (size_t) n, lc, &tf);
        if (used == 0)
                return 0;
        if (used != want)
                fail_msg("'%s': %zu bytes consumed, want %zu", line, used, want);
        assert_int_equal(tf.day, day);
        assert_int_equal(tf.hour, 8);
        assert_int_equal(tf.second, 48);
        return tf.month;
}

static void bsd_localized_journalctl(void **state) {
        static const struct {
                const char *stamp;     /* as journalctl -o short printed it under LC_TIME=<locale> */
                int month, day;
        } cases[] = {
                { "Dez 03 08:10:48", 12, 3 },          /* de_DE */
                { "Mär 01 08:10:48", 3, 1 },
                { "Jän 07 08:10:48", 1, 7 },           /* de_AT */
                { "déc. 03 08:10:48", 12, 3 },         /* fr_FR */
                { "févr. 28 08:10:48", 2, 28 },
                { "mars 12 08:10:48", 3, 12 },
                { "août 15 08:10:48", 8, 15 },
                { "dic 03 08:10:48", 12, 3 },          /* es_ES, it_IT */
                { "mar 12 08:10:48", 3, 12 },          /* es, it, pt, pl, sv, da... all March */
                { "mag 02 08:10:48", 5, 2 },           /* it_IT */
                { "out 09 08:10:48", 10, 9 },          /* pt_BR */
                { "mrt 12 08:10:48", 3, 12 },          /* nl_NL */
                { "paź 15 08:10:48", 10, 15 },         /* pl_PL */
                { "kvě 02 08:10:48", 5, 2 },           /* cs_CZ */
                { "maj 02 08:10:48", 5, 2 },           /* sv_SE, da_DK, pl_PL */
                { "des. 24 08:10:48", 12, 24 },        /* nb_NO */
                { "joulu 06 08:10:48", 12, 6 },        /* fi_FI */
                { "дек 03 08:10:48", 12, 3 },          /* ru_RU */
                { "мая 09 08:10:48", 5, 9 },           /* ru_RU since glibc 2.27, genitive */
                { "май 09 08:10:48", 5, 9 },           /* ru_RU of glibc 2.24, bg_BG */
                { "гру 25 08:10:48", 12, 25 },         /* uk_UA */
                { " 1月 03 08:10:48", 1, 3 },          /* ja_JP, zh_TW: padded to two columns */
                { "12月 03 08:10:48", 12, 3 },         /* ja_JP, zh_CN */
                { "1月 03 08:10:48", 1, 3 },           /* zh_CN */
                { "十一月 11 08:10:48", 11, 11 },      /* zh_SG */
                { " 9월 16 08:10:48", 9, 16 },         /* ko_KR */
                { "de gen. 07 08:10:48", 1, 7 },       /* ca_ES: a name with a blank */
                { "d’abr. 07 08:10:48", 4, 7 },
                { "apr   03 08:10:48", 4, 3 },         /* et_EE pads its names to five columns */
                { "Oca 05 08:10:48", 1, 5 },           /* tr_TR */
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char line[96];
                TimeFields tf = { 0 };
                snprintf(line, sizeof line, "%s pve1 corosync[1234]: x", cases[i].stamp);
                size_t used = bsd(line, &tf);
                if (used != strlen(cases[i].stamp) || tf.month != cases[i].month || tf.day != cases[i].day)
                        fail_msg("'%s': %zu bytes, month %d day %d", cases[i].stamp, used, tf.month, tf.day);
                assert_int_equal(tf.year, 0);
                assert_int_equal(tf.hour, 8);
                assert_int_equal(tf.minute, 10);
                assert_int_equal(tf.second, 48);
        }
        /* short-precise, and a stamp that ends the input. */
        TimeFields tf;
        assert_int_equal(bsd("déc. 03 08:10:48.123456 pve1 x: y", &tf), strlen("déc. 03 08:10:48.123456"));
        assert_int_equal(tf.usec, 123456);
        assert_int_equal(tf.precision, 1);
        assert_int_equal(bsd("Dez 3 08:10:48", &tf), 14);
        assert_int_equal(tf.month, 12);
        assert_int_equal(tf.day, 3);
}

/* Every row of the table: each of its 12 names is its month, in its own language and in none. */
static void bsd_localized_table(void **state) {
        /* The only names meaning different months in different rows, and the row they are not
         * read by when nothing else is known. A new ambiguous name must be added here knowingly. */
        static const char *const ambiguous[] = { "lip", "lis", "srp" };
        static const char *const required[] = { "de_DE", "fr_FR", "es_ES", "it_IT", "pt_BR", "nl_NL",
                                                "pl_PL", "cs_CZ", "sv_SE", "da_DK", "nb_NO", "fi_FI",
                                                "ru_RU", "uk_UA", "ja_JP", "zh_CN" };
        const char *root = getenv("CASCADE_SOURCE_ROOT");
        if (!root)
                fail_msg("CASCADE_SOURCE_ROOT is not set (run through meson test)");
        _cleanup_free_ char *path = NULL;
        assert_true(asprintf(&path, "%s/analyzer/month-names.txt", root) > 0);
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        if (!f)
                fail_msg("cannot open '%s': %s", path, strerror(errno));

        _cleanup_free_ char *line = NULL;
        size_t alloc = 0, rows = 0, n_ambiguous = 0;
        uint64_t all = 0;
        ssize_t len;
        while ((len = getline(&line, &alloc, f)) > 0) {
                if (line[len - 1] == '\n')
                        line[--len] = '\0';
                if (len == 0 || line[0] == '#')
                        continue;
                char *fields[14];
                size_t n_fields = 0;
                for (char *p = line, *bar; n_fields < ELEMENTSOF(fields); p = bar + 1) {
                        fields[n_fields++] = p;
                        if (!(bar = strchr(p, '|')))
                                break;
                        *bar = '\0';
                }
                if (n_fields != 13)
                        fail_msg("row '%s' has %zu names, want 12", fields[0], n_fields - 1);
                MonthLocale pinned;
                if (time_month_locale(fields[0], &pinned) != 1)
                        fail_msg("row '%s' is not a locale of the table", fields[0]);
                assert_int_equal(pinned.locales & all, 0);      /* one bit per row */
                all |= pinned.locales;
                rows++;
                for (int m = 1; m <= 12; m++) {
                        char name[64];
                        snprintf(name, sizeof name, "%s", fields[m]);
                        for (size_t k = strlen(name); k > 0 && name[k - 1] == ' '; k--)
                                name[k - 1] = '\0';
                        MonthLocale lc = pinned;
                        int got = month_in(&lc, name, 3);
                        if (got != m)
                                fail_msg("%s: '%s' read as month %d in its own language, want %d", fields[0], name,
                                         got, m);
                        assert_int_equal(lc.locales & pinned.locales, pinned.locales);
                        got = month_in(NULL, name, 3);
                        bool is_ambiguous = false;
                        for (size_t a = 0; a < ELEMENTSOF(ambiguous); a++)
                                is_ambiguous |= streq(name, ambiguous[a]);
                        if (is_ambiguous && streq(fields[0], "hr_HR")) {
                                assert_int_equal(got, m + 1);          /* Polish/Czech preferred */
                                n_ambiguous++;
                        } else if (got != m)
                                fail_msg("%s: '%s' read as month %d without a language, want %d: a new ambiguous name?",
                                         fields[0], name, got, m);
                }
        }
        assert_int_equal(n_ambiguous, ELEMENTSOF(ambiguous));
        assert_in_range(rows, 40, 64);
        for (size_t i = 0; i < ELEMENTSOF(required); i++) {
                MonthLocale lc;
                if (time_month_locale(required[i], &lc) != 1)
                        fail_msg("no row for %s", required[i]);
        }
        MonthLocale lc = { .locales = 42 };
        assert_int_equal(time_month_locale("xx_XX", &lc), 0);
        assert_int_equal(lc.locales, 42);
}

static void bsd_localized_ambiguous(void **state) {
        MonthLocale pl, cs, hr, de, lc;
        assert_int_equal(time_month_locale("pl_PL", &pl), 1);
        assert_int_equal(time_month_locale("cs_CZ", &cs), 1);
        assert_int_equal(time_month_locale("hr_HR", &hr), 1);
        assert_int_equal(time_month_locale("de_DE", &de), 1);

        /* Each line on its own: Polish/Czech first, unless only the Croatian month has the day. */
        assert_int_equal(month_in(NULL, "lis", 3), 11);
        assert_int_equal(month_in(NULL, "lis", 31), 10);
        assert_int_equal(month_in(NULL, "lip", 3), 7);
        assert_int_equal(month_in(NULL, "srp", 3), 8);
        /* A pinned language. */
        lc = hr;
        assert_int_equal(month_in(&lc, "lis", 3), 10);
        assert_int_equal(month_in(&lc, "lip", 3), 6);
        assert_int_equal(month_in(&lc, "srp", 3), 7);
        lc = cs;
        assert_int_equal(month_in(&lc, "srp", 3), 8);

        /* A Croatian file: "stu" (November) is Croatian only, and from then on "lis" is October. */
        lc = (MonthLocale){ 0 };
        assert_int_equal(month_in(&lc, "stu", 2), 11);
        assert_int_equal(lc.locales & ~(hr.locales), 0);
        assert_int_equal(month_in(&lc, "lis", 3), 10);
        /* A Polish file: "paź" decides, "lis" is November. */
        lc = (MonthLocale){ 0 };
        assert_int_equal(month_in(&lc, "paź", 30), 10);
        assert_int_equal(month_in(&lc, "lis", 3), 11);
        assert_true(lc.locales & pl.locales);
        assert_false(lc.locales & hr.locales);

        /* A file that starts with an ambiguous name: the first row's reading, the same on every such
         * line, and the language stays open for the first stamp that tells (here "lis 31"). */
        lc = (MonthLocale){ 0 };
        assert_int_equal(month_in(&lc, "lis", 30), 11);
        assert_int_equal(lc.locales, pl.locales | cs.locales | hr.locales);
        assert_int_equal(month_in(&lc, "lis", 30), 11);
        assert_int_equal(month_in(&lc, "lis", 31), 10);     /* November has no 31st: Croatian */
        assert_int_equal(lc.locales, hr.locales);
        assert_int_equal(month_in(&lc, "lis", 30), 10);     /* the file is Croatian now */

        /* Names every language reads alike still narrow the language, and nothing is undone by a
         * line the file's language cannot have printed (another node's lines in the same file). */
        lc = (MonthLocale){ 0 };
        assert_int_equal(month_in(&lc, "Dez", 3), 12);
        assert_true(lc.locales & de.locales);
        uint64_t german = lc.locales;
        assert_int_equal(month_in(&lc, "lis", 3), 11);
        assert_int_equal(lc.locales, german);
        assert_int_equal(month_in(&lc, "stu", 3), 11);
        assert_int_equal(lc.locales, german);
        assert_int_equal(month_in(&lc, "Okt", 3), 10);

        /* No stamp, no change. */
        lc = (MonthLocale){ 0 };
        TimeFields tf = { .month = 99 };
        assert_int_equal(time_parse_bsd_in("lis 31 08:10 pve1", strlen("lis 31 08:10 pve1"), &lc, &tf), 0);
        assert_int_equal(lc.locales, 0);
        assert_int_equal(lc.last, 0);
        assert_int_equal(tf.month, 99);
        /* A bogus remembered name is ignored. */
        lc = (MonthLocale){ .last = 65535 };
        assert_int_equal(month_in(&lc, "Dez", 3), 12);
}

static void bsd_localized_rejects(void **state) {
        TimeFields tf = { .month = 99 };
        const char *bad[] = {
                "Dezember 03 08:10:48 h",      /* %B, not %b */
                "DEZ 03 08:10:48 h",           /* names as printed */
                "dEz 03 08:10:48 h",
                "janv 03 08:10:48 h",          /* fr_FR has the dot */
                "mar. 12 08:10:48 h",          /* no glibc month is "mar." (French mardi is a weekday) */
                "Dez03 08:10:48 h",
                "Dez 32 08:10:48 h",
                "Dez 00 08:10:48 h",
                "Dez 123 08:10:48 h",
                "Dez 03 8:10:48 h",
                "Dez 03 08:10 h",
                "Dez 03 24:10:48 h",
                "Dez 03",
                "Dez ",
                "Dez",
                "M\xc3",                      /* "Mär" cut inside its UTF-8 */
                "M\xc3\xa4r 03 08:10:4",      /* "Mär", its seconds cut */
                "apr        03 08:10:48 h",    /* more blanks than any padding */
                "1月03 08:10:48 h",
                "13月 03 08:10:48 h",
                "   Dez 03 08:10:48 h",        /* indented: a continuation line */
                "\xe6\x9c\x88 03 08:10:48 h",  /* "月" alone */
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                MonthLocale lc = { 0 };
                if (time_parse_bsd_in(bad[i], strlen(bad[i]), &lc, &tf) != 0)
                        fail_msg("accepted '%s'", bad[i]);
                assert_int_equal(lc.locales, 0);
        }
        assert_int_equal(tf.month, 99);
        /* Cut short: no byte past n is read ("Dez 03 08:10:48" without its last digit). */
        assert_int_equal(time_parse_bsd("Dez 03 08:10:48", 14, &tf), 0);
        assert_int_equal(time_parse_bsd(" 1月 03 08:10:48", 3, &tf), 0);
}

static void iso_forms(void **state) {
        TimeFields tf;

        assert_int_equal(iso("2024-11-25T08:10:48 host", &tf), 19);
        assert_int_equal(tf.year, 2024);
        assert_int_equal(tf.month, 11);
        assert_int_equal(tf.day, 25);
        assert_int_equal(tf.hour, 8);
        assert_int_equal(tf.minute, 10);
        assert_int_equal(tf.second, 48);
        assert_false(tf.has_offset);
        assert_int_equal(tf.precision, USEC_PER_SEC);

        assert_int_equal(iso("2021-11-25 03:19:32 node1", &tf), 19);
        assert_int_equal(tf.year, 2021);
        assert_int_equal(tf.hour, 3);
        assert_false(tf.has_offset);

        assert_int_equal(iso("2024-11-25T08:10:48Z", &tf), 20);
        assert_true(tf.has_offset);
        assert_int_equal(tf.offset_sec, 0);

        assert_int_equal(iso("2024-11-25T08:10:48+01:00 h", &tf), 25);
        assert_true(tf.has_offset);
        assert_int_equal(tf.offset_sec, 3600);

        assert_int_equal(iso("2024-11-25T08:10:48+0100 h", &tf), 24);
        assert_true(tf.has_offset);
        assert_int_equal(tf.offset_sec, 3600);

        assert_int_equal(iso("2024-11-25T08:10:48+01 h", &tf), 22);
        assert_true(tf.has_offset);
        assert_int_equal(tf.offset_sec, 3600);

        assert_int_equal(iso("2024-11-25T08:10:48-05:30", &tf), 25);
        assert_int_equal(tf.offset_sec, -(5 * 3600 + 30 * 60));

        assert_int_equal(iso("2024-11-25T08:10:48.123456+01:00", &tf), 32);
        assert_int_equal(tf.usec, 123456);
        assert_int_equal(tf.precision, 1);
        assert_int_equal(tf.offset_sec, 3600);

        assert_int_equal(iso("2003-10-11T22:14:15.003Z", &tf), 24);
        assert_int_equal(tf.usec, 3000);
        assert_int_equal(tf.precision, 1000);
        assert_true(tf.has_offset);

        assert_int_equal(iso("2024-11-25 08:10:48,5 h", &tf), 21);
        assert_int_equal(tf.usec, 500000);
        assert_int_equal(tf.precision, 100000);
}

static void iso_bad_offset_is_not_consumed(void **state) {
        TimeFields tf;
        /* "+01:" without minutes, or an hour out of range: the stamp ends before the sign. */
        assert_int_equal(iso("2024-11-25T08:10:48+01:xx", &tf), 19);
        assert_false(tf.has_offset);
        assert_int_equal(iso("2024-11-25T08:10:48+25:00", &tf), 19);
        assert_false(tf.has_offset);
        assert_int_equal(iso("2024-11-25T08:10:48+1", &tf), 19);
        assert_false(tf.has_offset);
}

static void iso_rejects(void **state) {
        TimeFields tf;
        const char *bad[] = {
                "",
                "2024-11-25",
                "2024-11-25T08:10",
                "2024-13-25T08:10:48Z",
                "2024-11-32T08:10:48Z",
                "2024-11-25X08:10:48Z",
                "2024/11/25 08:10:48",
                "24-11-25T08:10:48Z",
                "2024-11-25T25:10:48Z",
                "Nov 25 08:10:48 host",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                if (iso(bad[i], &tf) != 0)
                        fail_msg("accepted '%s'", bad[i]);
}

static usec_t local(int y, int mo, int d, int h, int mi, int s) {
        TimeFields tf = { .year = y, .month = mo, .day = d, .hour = h, .minute = mi, .second = s };
        return time_fields_to_usec(&tf);
}

static void fields_to_usec(void **state) {
        TimeFields tf = { .year = 2024, .month = 11, .day = 25, .hour = 8, .minute = 10, .second = 48,
                          .usec = 123456, .has_offset = true, .offset_sec = 3600 };
        assert_int_equal(time_fields_to_usec(&tf), T_20241125_071048 + 123456);
        tf.offset_sec = -3600;
        assert_int_equal(time_fields_to_usec(&tf), T_20241125_071048 + 2 * USEC_PER_HOUR + 123456);

        /* Without an offset the zone decides; the zone is ignored when there is one. */
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        assert_int_equal(local(2024, 11, 25, 8, 10, 48), T_20241125_071048);
        tf.offset_sec = 0;
        tf.usec = 0;
        assert_int_equal(time_fields_to_usec(&tf), T_20241125_071048 + USEC_PER_HOUR);
        assert_int_equal(time_set_zone("UTC"), 0);
        assert_int_equal(local(2024, 11, 25, 8, 10, 48), T_20241125_071048 + USEC_PER_HOUR);
        assert_int_equal(local(1970, 1, 1, 0, 0, 0), 0);
        assert_int_equal(local(2000, 2, 29, 12, 0, 0), SEC(951825600));
        /* A leap second stamp lands on the next second rather than failing. */
        assert_int_equal(local(2016, 12, 31, 23, 59, 60), SEC(1483228800));
}

static void zone_utc_and_berlin_dst(void **state) {
        assert_int_equal(time_set_zone("UTC"), 0);
        assert_int_equal(local(2024, 3, 31, 1, 30, 0), SEC(1711848600));

        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        /* 2024-03-31: 02:00 CET becomes 03:00 CEST. */
        assert_int_equal(local(2024, 3, 31, 1, 30, 0), SEC(1711845000));   /* 00:30Z */
        assert_int_equal(local(2024, 3, 31, 3, 30, 0), SEC(1711848600));   /* 01:30Z */
        /* Same hour of the day before and after: the per-hour offset cache must not mix them up. */
        assert_int_equal(local(2024, 3, 30, 3, 30, 0), SEC(1711848600 - 86400 + 3600));
        assert_int_equal(local(2024, 3, 31, 3, 30, 0), SEC(1711848600));
        /* 2024-10-27: 03:00 CEST becomes 02:00 CET. */
        assert_int_equal(local(2024, 10, 27, 1, 30, 0), SEC(1729985400));  /* 23:30Z the day before */
        assert_int_equal(local(2024, 10, 27, 3, 30, 0), SEC(1729996200));  /* 02:30Z */

        char buf[RFC3339_MAX];
        assert_string_equal(time_format_local(SEC(1711848600), false, buf), "2024-03-31 03:30:00");
        assert_string_equal(time_format_local(SEC(1711848600) + 42000, true, buf),
                            "2024-03-31 03:30:00.042");
        assert_int_equal(time_set_zone("UTC"), 0);
        assert_string_equal(time_format_local(SEC(1711848600), false, buf), "2024-03-31 01:30:00");
}

static void zone_unknown(void **state) {
        assert_int_equal(time_set_zone("Mars/Olympus_Mons"), -EINVAL);
        assert_int_equal(time_set_zone("../../etc/passwd"), -EINVAL);
        assert_int_equal(time_set_zone("/usr/share/zoneinfo/UTC"), -EINVAL);
        /* A refused zone leaves the one selected before in place. */
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        assert_int_equal(time_set_zone("Nowhere/Special"), -EINVAL);
        assert_int_equal(local(2024, 11, 25, 8, 10, 48), T_20241125_071048);
        /* A digit does not make a rule: glibc would silently run this one as UTC. */
        assert_int_equal(time_set_zone("Europe/Berlin1"), -EINVAL);
        assert_int_equal(time_set_zone("12"), -EINVAL);
        assert_int_equal(time_set_zone("<+0>"), -EINVAL);
        assert_int_equal(local(2024, 11, 25, 8, 10, 48), T_20241125_071048);
        /* POSIX rules are accepted as they are, and zone names with digits are names. */
        assert_int_equal(time_set_zone("EST5"), 0);
        assert_int_equal(local(2024, 11, 25, 2, 10, 48), T_20241125_071048);
        assert_int_equal(time_set_zone("CET-1CEST,M3.5.0,M10.5.0/3"), 0);
        assert_int_equal(local(2024, 3, 31, 3, 30, 0), SEC(1711848600));
        assert_int_equal(time_set_zone("<+03>-3"), 0);
        assert_int_equal(local(2024, 11, 25, 10, 10, 48), T_20241125_071048);
        assert_int_equal(time_set_zone("Etc/GMT-1"), 0);
        assert_int_equal(local(2024, 11, 25, 8, 10, 48), T_20241125_071048);
        assert_int_equal(time_set_zone("UTC"), 0);
}

static void year_fixed_rollover(void **state) {
        YearGuess g;
        year_guess_init_fixed(&g, 2023);
        assert_int_equal(year_guess_next(&g, 12, 30), 2023);
        assert_int_equal(year_guess_next(&g, 12, 31), 2023);
        assert_int_equal(year_guess_next(&g, 1, 1), 2024);
        /* A stray late December line right after the rollover stays in the old year... */
        assert_int_equal(year_guess_next(&g, 12, 31), 2023);
        /* ...and January comes back to the new one. */
        assert_int_equal(year_guess_next(&g, 1, 1), 2024);
        assert_int_equal(year_guess_next(&g, 3, 5), 2024);
        assert_int_equal(year_guess_next(&g, 9, 5), 2024);   /* forward by six months is no rollover */
        assert_int_equal(year_guess_next(&g, 12, 31), 2024);
        assert_int_equal(year_guess_next(&g, 1, 2), 2025);

        /* The first line fixes the year, whatever month it is. */
        year_guess_init_fixed(&g, 2005);
        assert_int_equal(year_guess_next(&g, 6, 14), 2005);
        assert_int_equal(year_guess_next(&g, 7, 27), 2005);
}

static void year_reference_mtime(void **state) {
        YearGuess g;
        /* A file whose mtime is 2024-01-05 10:00 UTC. */
        year_guess_init_reference(&g, SEC(1704448800));
        assert_int_equal(year_guess_next(&g, 12, 30), 2023);
        assert_int_equal(year_guess_next(&g, 12, 31), 2023);
        assert_int_equal(year_guess_next(&g, 1, 1), 2024);
        assert_int_equal(year_guess_next(&g, 1, 5), 2024);
        assert_int_equal(year_guess_next(&g, 1, 6), 2024);    /* one day of slack for zones */
        assert_int_equal(year_guess_next(&g, 1, 7), 2023);    /* after the mtime: last year's */
        assert_int_equal(year_guess_next(&g, 6, 1), 2023);
        /* Streaming does not matter in reference mode: December after January is still 2023. */
        assert_int_equal(year_guess_next(&g, 12, 31), 2023);

        /* mtime in mid-year: everything up to it is this year. */
        year_guess_init_reference(&g, T_20241125_071048);
        assert_int_equal(year_guess_next(&g, 1, 1), 2024);
        assert_int_equal(year_guess_next(&g, 11, 25), 2024);
        assert_int_equal(year_guess_next(&g, 11, 26), 2024);
        assert_int_equal(year_guess_next(&g, 11, 27), 2023);
        assert_int_equal(year_guess_next(&g, 12, 1), 2023);
}

static void year_reference_uses_zone(void **state) {
        YearGuess g;
        /* 2023-12-31T23:30Z is already 2024-01-01 in Berlin. */
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        year_guess_init_reference(&g, SEC(1704065400));
        assert_int_equal(g.ref_year, 2024);
        assert_int_equal(g.ref_month, 1);
        assert_int_equal(g.ref_day, 1);
        assert_int_equal(year_guess_next(&g, 12, 31), 2023);
        assert_int_equal(time_set_zone("UTC"), 0);
        year_guess_init_reference(&g, SEC(1704065400));
        assert_int_equal(g.ref_year, 2023);
        assert_int_equal(year_guess_next(&g, 12, 31), 2023);
}

/* Times beyond what µs since 1970 can hold are refused, not wrapped (UBSan found both). */
static void user_out_of_range(void **state) {
        usec_t t = 0;
        const usec_t now = T_20241125_071048;
        assert_int_equal(time_parse_user("@76405818858188", now, &t), -ERANGE);
        assert_int_equal(time_parse_user("-22222422w", now, &t), -ERANGE);
        assert_int_equal(time_parse_user("+100000000weeks", now, &t), -ERANGE);
        assert_int_equal(time_parse_user("@1764057600", now, &t), 0);
        assert_int_equal(t, INT64_C(1764057600) * USEC_PER_SEC);
}

static void user_absolute(void **state) {
        usec_t t = 0;
        const usec_t now = T_20241125_071048;
        assert_int_equal(time_parse_user("2025-11-25", now, &t), 0);
        assert_int_equal(t, SEC(1764028800));
        assert_int_equal(time_parse_user("2025-11-25 08:10", now, &t), 0);
        assert_int_equal(t, SEC(1764058200));
        assert_int_equal(time_parse_user("2025-11-25 08:10:48", now, &t), 0);
        assert_int_equal(t, SEC(1764058248));
        assert_int_equal(time_parse_user("2025-11-25T08:10:48.5Z", now, &t), 0);
        assert_int_equal(t, SEC(1764058248) + 500000);
        assert_int_equal(time_parse_user("2024-11-25T08:10:48+01:00", now, &t), 0);
        assert_int_equal(t, T_20241125_071048);
        assert_int_equal(time_parse_user("now", now, &t), 0);
        assert_int_equal(t, now);

        /* Local times follow the zone. */
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        assert_int_equal(time_parse_user("2024-11-25 08:10:48", now, &t), 0);
        assert_int_equal(t, T_20241125_071048);
        assert_int_equal(time_parse_user("2024-11-25", now, &t), 0);
        assert_int_equal(t, SEC(1732489200));   /* 2024-11-24T23:00Z */
        assert_int_equal(time_set_zone("UTC"), 0);
}

static void user_epoch_and_relative(void **state) {
        usec_t t = 0;
        const usec_t now = T_20241125_071048 + 123;
        assert_int_equal(time_parse_user("@1700000000", now, &t), 0);
        assert_int_equal(t, SEC(1700000000));
        assert_int_equal(time_parse_user("@0", now, &t), 0);
        assert_int_equal(t, 0);
        assert_int_equal(time_parse_user("-2h", now, &t), 0);
        assert_int_equal(t, now - 2 * USEC_PER_HOUR);
        assert_int_equal(time_parse_user("-30min", now, &t), 0);
        assert_int_equal(t, now - 30 * USEC_PER_MINUTE);
        assert_int_equal(time_parse_user("-1d", now, &t), 0);
        assert_int_equal(t, now - USEC_PER_DAY);
        assert_int_equal(time_parse_user("+15m", now, &t), 0);
        assert_int_equal(t, now + 15 * USEC_PER_MINUTE);
        assert_int_equal(time_parse_user("-45s", now, &t), 0);
        assert_int_equal(t, now - 45 * USEC_PER_SEC);
        assert_int_equal(time_parse_user("-2weeks", now, &t), 0);
        assert_int_equal(t, now - 14 * USEC_PER_DAY);
}

static void user_today_yesterday(void **state) {
        usec_t t = 0;
        assert_int_equal(time_parse_user("today", T_20241125_071048, &t), 0);
        assert_int_equal(t, SEC(1732492800));          /* 2024-11-25T00:00Z */
        assert_int_equal(time_parse_user("yesterday", T_20241125_071048, &t), 0);
        assert_int_equal(t, SEC(1732492800 - 86400));

        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        /* 2024-11-25T23:30Z is already the 26th in Berlin. */
        usec_t late = SEC(1732577400);
        assert_int_equal(time_parse_user("today", late, &t), 0);
        assert_int_equal(t, SEC(1732575600));          /* 2024-11-25T23:00Z */
        /* The day after the spring DST change: today began at 22:00Z, yesterday (23 h long) at 23:00Z
         * two days before; "24 h before today" would be wrong by an hour. */
        usec_t after_dst = SEC(1711972800);              /* 2024-04-01T12:00Z */
        assert_int_equal(time_parse_user("today", after_dst, &t), 0);
        assert_int_equal(t, SEC(1711922400));          /* 2024-03-31T22:00Z */
        assert_int_equal(time_parse_user("yesterday", after_dst, &t), 0);
        assert_int_equal(t, SEC(1711839600));          /* 2024-03-30T23:00Z */
        /* Yesterday across a month boundary. */
        usec_t first = SEC(1711972800 - 6 * 86400) + 20 * USEC_PER_HOUR;  /* 2024-03-27T08:00Z */
        assert_int_equal(time_parse_user("yesterday", first, &t), 0);
        assert_int_equal(t, SEC(1711407600));          /* 2024-03-25T23:00Z: the 26th in Berlin */
        assert_int_equal(time_set_zone("UTC"), 0);
        usec_t march1 = SEC(1709294400);                 /* 2024-03-01T12:00Z */
        assert_int_equal(time_parse_user("yesterday", march1, &t), 0);
        assert_int_equal(t, SEC(1709164800));          /* 2024-02-29T00:00Z */
}

static void user_garbage(void **state) {
        usec_t t = 42;
        const char *bad[] = {
                "", "garbage", "-", "-2x", "-h", "+", "@", "@12x", "2025-13-01",
                "2025-11-32", "2025-11-25 08", "2025-11-25 08:10:48 trailing", "2025-11-25T25:00:00",
                "today ", "1700000000", " now", "now ", "ago", "1h ago ", "5mins ago", "1.5.5 ago",
                "-1h ago", "2025-11-25 08:10:48.", "2025-11-25 08:10:48,5", "2025-11-25 08:10:48 .5",
                "Sund 2025-11-23", "Nov 25 08:10", " Nov 25 08:10:48", "2025-11-25 24:00", "2025-11-25 08:60",
                "2025-11-25 08:10:62", "10000-01-01", "@1e3", "-1h UTC", "now UTC", "2025-11-25 08:10 utc",
                "2025-11-25 08:10 Nowhere/Zone", "2025-11-25 08:10 +25:00", "2025-11-25 08:10 +01:60",
                "2025-11-25T08:10:48+0100", "2025-11-25 08:10 ../../etc/passwd", "08:10 /etc/localtime",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                int r = time_parse_user(bad[i], T_20241125_071048, &t);
                if (r != -EINVAL)
                        fail_msg("'%s' gave %d, want -EINVAL", bad[i], r);
        }
        assert_int_equal(time_parse_user(NULL, 0, &t), -EINVAL);
        assert_int_equal(t, 42);
}

/* systemd.time(7)'s timestamps (systemd's parse_timestamp() is the reference; tests/cli-time-systemd.sh
 * holds cascade against it). now is 2024-11-25T07:10:48.000123Z, a Monday. */
#define NOW (T_20241125_071048 + 123)

static usec_t user(const char *s) {
        usec_t t = -42;
        int r = time_parse_user(s, NOW, &t);
        if (r < 0)
                fail_msg("'%s' refused: %d", s, r);
        return t;
}

static int user_error(const char *s) {
        usec_t t = -42;
        int r = time_parse_user(s, NOW, &t);
        assert_int_equal(t, -42);      /* untouched on error */
        return r;
}

static void user_systemd_dates(void **state) {
        assert_int_equal(user("25-11-25"), SEC(1764028800));
        assert_int_equal(user("25-11-25 08:10"), SEC(1764058200));
        assert_int_equal(user("25-11-25 08:10:48.25"), SEC(1764058248) + 250000);
        assert_int_equal(user("99-01-01"), SEC(915148800));             /* 69..99 are the 1900s */
        assert_int_equal(user("70-01-01"), 0);
        assert_int_equal(user("2025-1-5"), SEC(1736035200));
        assert_int_equal(user("2025-11-25 8:10"), SEC(1764058200));
        assert_int_equal(user("2025-11-25T08:10"), SEC(1764058200));
        assert_int_equal(user("2025-11-25T08:10:48"), SEC(1764058248));
        assert_int_equal(user("2025-11-25 08:10:48.123456"), SEC(1764058248) + 123456);
        assert_int_equal(user("2025-11-25 08:10:48.1234567"), SEC(1764058248) + 123457);   /* rounded */
        assert_int_equal(user("2025-11-25 08:10:48.9999996"), SEC(1764058249));
        /* Normalized as mktime() does: a 30th of February is March 2nd. */
        assert_int_equal(user("2025-02-30"), SEC(1740873600));
        assert_int_equal(user("9999-12-30 23:59:59"), SEC(INT64_C(253402214399)));
        assert_int_equal(user_error("9999-12-31"), -ERANGE);
        assert_int_equal(user_error("1969-12-31"), -ERANGE);
        assert_int_equal(user_error("69-12-31"), -ERANGE);
}

static void user_systemd_clock_only(void **state) {
        assert_int_equal(user("08:10"), SEC(1732522200));                /* 2024-11-25T08:10Z */
        assert_int_equal(user("08:10:48"), SEC(1732522248));
        assert_int_equal(user("08:10:48.123456"), SEC(1732522248) + 123456);
        assert_int_equal(user("8:1"), SEC(1732521660));
        assert_int_equal(user("Nov 25 08:10:48"), SEC(1732522248));      /* this year */
        assert_int_equal(user("november 25 08:10:48.5"), SEC(1732522248) + 500000);
        assert_int_equal(user("Mar 1 00:00:00"), SEC(1709251200));
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        assert_int_equal(user("08:10"), SEC(1732518600));                /* 07:10Z */
        /* 2024-11-25T23:30Z is the 26th in Berlin: "08:10" is that day's. */
        usec_t t;
        assert_int_equal(time_parse_user("08:10", SEC(1732577400), &t), 0);
        assert_int_equal(t, SEC(1732605000));                           /* 2024-11-26T07:10Z */
}

static void user_systemd_weekday(void **state) {
        assert_int_equal(user("Tue 2025-11-25 08:10"), SEC(1764058200));
        assert_int_equal(user("tuesday 2025-11-25"), SEC(1764028800));
        assert_int_equal(user("Sunday  2025-11-23"), SEC(1763856000));
        assert_int_equal(user("Mon 08:10"), SEC(1732522200));           /* now is a Monday */
        assert_int_equal(user("Mon 2024-11-25T08:10:48Z"), SEC(1732522248));
        assert_int_equal(user_error("Mon 2025-11-25 08:10"), -EINVAL);
        assert_int_equal(user_error("Tue 08:10"), -EINVAL);
        assert_int_equal(user_error("Wed 2025-11-25 08:10 Europe/Berlin"), -EINVAL);
        assert_int_equal(user_error("Tue today"), -EINVAL);
}

static void user_systemd_zones(void **state) {
        /* "UTC", offsets, welded or after a blank. */
        assert_int_equal(user("2025-11-25 08:10 UTC"), SEC(1764058200));
        assert_int_equal(user("2025-11-25 08:10 +01:00"), SEC(1764054600));
        assert_int_equal(user("2025-11-25 08:10 +0100"), SEC(1764054600));
        assert_int_equal(user("2025-11-25 08:10 +01"), SEC(1764054600));
        assert_int_equal(user("2025-11-25 08:10 -0330"), SEC(1764070800));
        assert_int_equal(user("2025-11-25 08:10 Z"), SEC(1764058200));
        assert_int_equal(user("2025-11-25T08:10:48Z"), SEC(1764058248));
        assert_int_equal(user("2025-11-25T08:10:48.5Z"), SEC(1764058248) + 500000);
        assert_int_equal(user("2025-11-25T08:10:48+01:00"), SEC(1764054648));
        assert_int_equal(user("2025-11-25T08:10:48-05:30"), SEC(1764078048));
        assert_int_equal(user("1969-12-31 23:00 -06:00"), SEC(5 * 3600));
        /* A zone of the database, winter and summer; the --tz zone is untouched. */
        assert_int_equal(user("2025-11-25 08:10 Europe/Berlin"), SEC(1764054600));
        assert_int_equal(user("2025-07-25 08:10 Europe/Berlin"), SEC(1753423800));
        assert_int_equal(user("2025-11-25 08:10"), SEC(1764058200));
        assert_int_equal(user("today Europe/Berlin"), SEC(1732489200));  /* 2024-11-24T23:00Z */
        assert_int_equal(user("today UTC"), SEC(1732492800));
        assert_int_equal(user("tomorrow Pacific/Auckland"), SEC(1732532400));
        /* With --tz Europe/Berlin: its abbreviations pick standard or summer time, as systemd. */
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        assert_int_equal(user("2025-07-25 08:10 CEST"), SEC(1753423800));
        assert_int_equal(user("2025-11-25 08:10 CET"), SEC(1764054600));
        assert_int_equal(user("2025-11-25 08:10 America/New_York"), SEC(1764076200));
        assert_int_equal(user("2025-11-25 08:10"), SEC(1764054600));      /* back in Berlin */
        assert_int_equal(user_error("2025-11-25 08:10 Nowhere/Zone"), -EINVAL);
        assert_int_equal(user_error("2025-11-25 08:10 +25:00"), -EINVAL);
}

/* Berlin's DST changes: the gap (02:30 on 2025-03-30 does not exist) and the fold (02:30 on
 * 2025-10-26 happens twice) are read as mktime() reads them, as systemd does. */
static void user_systemd_dst(void **state) {
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        assert_int_equal(user("2025-03-29 12:00"), SEC(1743246000));     /* +01:00 */
        assert_int_equal(user("2025-03-31 12:00"), SEC(1743415200));     /* +02:00 */
        usec_t gap = user("2025-03-30 02:30"), fold = user("2025-10-26 02:30");
        assert_true(gap == SEC(1743294600) || gap == SEC(1743298200));
        assert_true(fold == SEC(1761438600) || fold == SEC(1761442200));
        /* "tomorrow" on the day of the spring change: a calendar day ahead, 23 h later. */
        usec_t t, early = SEC(1743291000);                              /* 2025-03-29T23:30Z, the 30th */
        assert_int_equal(time_parse_user("today", early, &t), 0);
        assert_int_equal(t, SEC(1743289200));                           /* 2025-03-29T23:00Z */
        assert_int_equal(time_parse_user("tomorrow", early, &t), 0);
        assert_int_equal(t, SEC(1743372000));                           /* 2025-03-30T22:00Z */
}

static void user_systemd_relative(void **state) {
        assert_int_equal(user("1h ago"), NOW - USEC_PER_HOUR);
        assert_int_equal(user("2 hours ago"), NOW - 2 * USEC_PER_HOUR);
        assert_int_equal(user("1h30min ago"), NOW - 90 * USEC_PER_MINUTE);
        assert_int_equal(user("5 min left"), NOW + 5 * USEC_PER_MINUTE);
        assert_int_equal(user("5 minutes left"), NOW + 5 * USEC_PER_MINUTE);
        assert_int_equal(user("-5h 30min"), NOW - 330 * USEC_PER_MINUTE);
        assert_int_equal(user("-1h30min"), NOW - 90 * USEC_PER_MINUTE);
        assert_int_equal(user("+5min"), NOW + 5 * USEC_PER_MINUTE);
        assert_int_equal(user("- 1h"), NOW - USEC_PER_HOUR);
        assert_int_equal(user("-1.5h"), NOW - 90 * USEC_PER_MINUTE);
        assert_int_equal(user(".5h ago"), NOW - 30 * USEC_PER_MINUTE);
        assert_int_equal(user("-2"), NOW - 2 * USEC_PER_SEC);
        assert_int_equal(user("-0"), NOW);
        assert_int_equal(user("-500ms"), NOW - 500 * USEC_PER_MSEC);
        assert_int_equal(user("-10us"), NOW - 10);
        assert_int_equal(user("+1\xc2\xb5s"), NOW + 1);
        assert_int_equal(user("-20 seconds"), NOW - 20 * USEC_PER_SEC);
        assert_int_equal(user("-3 weeks"), NOW - 21 * USEC_PER_DAY);
        assert_int_equal(user("-1M"), NOW - INT64_C(2629800) * USEC_PER_SEC);
        assert_int_equal(user("-2 months"), NOW - INT64_C(5259600) * USEC_PER_SEC);
        assert_int_equal(user("-1y"), NOW - INT64_C(31557600) * USEC_PER_SEC);
        assert_int_equal(user("1 year 2 days ago"), NOW - INT64_C(31730400) * USEC_PER_SEC);
        assert_int_equal(user("2hr ago"), NOW - 2 * USEC_PER_HOUR);
        assert_int_equal(user("1h +5min ago"), NOW - 65 * USEC_PER_MINUTE);
        assert_int_equal(user("tomorrow"), SEC(1732579200));
        assert_int_equal(user("@1764059400.5"), SEC(1764059400) + 500000);
        assert_int_equal(user("@1h"), USEC_PER_HOUR);
        assert_int_equal(user("@ 5"), SEC(5));
        assert_int_equal(user_error("--1h"), -ERANGE);
        assert_int_equal(user_error("@-1"), -ERANGE);
        assert_int_equal(user_error("99999999999y ago"), -ERANGE);
        assert_int_equal(user_error("+100000000000000000000s"), -ERANGE);
        assert_int_equal(user_error("+18446744073709551615us"), -ERANGE);
        assert_int_equal(user_error("9223372036854775807us 9223372036854775807us left"), -ERANGE);
        assert_int_equal(user_error("-60y"), -ERANGE);                  /* before 1970 */
        assert_int_equal(user_error("+8000y"), -ERANGE);                /* after 9999 */
        assert_int_equal(user_error("@300000000000"), -ERANGE);
}

static void format_rfc3339(void **state) {
        char buf[RFC3339_MAX];
        assert_string_equal(time_format_rfc3339(0, buf), "1970-01-01T00:00:00Z");
        assert_string_equal(time_format_rfc3339(T_20241125_071048, buf), "2024-11-25T07:10:48Z");
        assert_string_equal(time_format_rfc3339(T_20241125_071048 + 123000, buf), "2024-11-25T07:10:48.123Z");
        assert_string_equal(time_format_rfc3339(T_20241125_071048 + 123456, buf), "2024-11-25T07:10:48.123456Z");
        assert_string_equal(time_format_rfc3339(T_20241125_071048 + 1, buf), "2024-11-25T07:10:48.000001Z");
        assert_string_equal(time_format_rfc3339(-1, buf), "1969-12-31T23:59:59.999999Z");
        assert_string_equal(time_format_rfc3339(-USEC_PER_SEC, buf), "1969-12-31T23:59:59Z");
        /* The format is UTC whatever the zone. */
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        assert_string_equal(time_format_rfc3339(T_20241125_071048, buf), "2024-11-25T07:10:48Z");
        assert_int_equal(time_set_zone("UTC"), 0);
}

/* The CSV and JSON time: always 6 digits; in the zone only when asked, with its offset (Z for 0). */
static void format_rfc3339_usec(void **state) {
        char buf[RFC3339_MAX];
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        assert_string_equal(time_format_rfc3339_usec(T_20241125_071048, false, buf), "2024-11-25T07:10:48.000000Z");
        assert_string_equal(time_format_rfc3339_usec(T_20241125_071048 + 123000, false, buf), "2024-11-25T07:10:48.123000Z");
        assert_string_equal(time_format_rfc3339_usec(T_20241125_071048 + 1, true, buf), "2024-11-25T08:10:48.000001+01:00");
        assert_string_equal(time_format_rfc3339_usec(SEC(1711848600), true, buf), "2024-03-31T03:30:00.000000+02:00");
        assert_string_equal(time_format_rfc3339_usec(-1, false, buf), "1969-12-31T23:59:59.999999Z");
        assert_int_equal(time_set_zone("America/St_Johns"), 0);
        assert_string_equal(time_format_rfc3339_usec(T_20241125_071048, true, buf), "2024-11-25T03:40:48.000000-03:30");
        assert_int_equal(time_set_zone("UTC"), 0);
        assert_string_equal(time_format_rfc3339_usec(T_20241125_071048 + 391173, true, buf), "2024-11-25T07:10:48.391173Z");
}

static void parse_then_format_round_trip(void **state) {
        const char *in[] = { "2024-11-25T07:10:48Z", "2024-11-25T07:10:48.123Z", "2003-10-11T22:14:15.003Z",
                             "2024-02-29T23:59:59.999999Z" };
        for (size_t i = 0; i < ELEMENTSOF(in); i++) {
                TimeFields tf;
                char buf[RFC3339_MAX];
                assert_int_equal(iso(in[i], &tf), strlen(in[i]));
                assert_string_equal(time_format_rfc3339(time_fields_to_usec(&tf), buf), in[i]);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup(bsd_space_padded_day, zone_utc),
                cmocka_unit_test_setup(bsd_zero_padded_and_unpadded_day, zone_utc),
                cmocka_unit_test_setup(bsd_stamp_alone, zone_utc),
                cmocka_unit_test_setup(bsd_fraction_precision, zone_utc),
                cmocka_unit_test_setup(bsd_zh_cn, zone_utc),
                cmocka_unit_test_setup(bsd_rejects, zone_utc),
                cmocka_unit_test_setup(bsd_localized_journalctl, zone_utc),
                cmocka_unit_test_setup(bsd_localized_table, zone_utc),
                cmocka_unit_test_setup(bsd_localized_ambiguous, zone_utc),
                cmocka_unit_test_setup(bsd_localized_rejects, zone_utc),
                cmocka_unit_test_setup(iso_forms, zone_utc),
                cmocka_unit_test_setup(iso_bad_offset_is_not_consumed, zone_utc),
                cmocka_unit_test_setup(iso_rejects, zone_utc),
                cmocka_unit_test_setup(fields_to_usec, zone_utc),
                cmocka_unit_test_setup(zone_utc_and_berlin_dst, zone_utc),
                cmocka_unit_test_setup(zone_unknown, zone_utc),
                cmocka_unit_test_setup(year_fixed_rollover, zone_utc),
                cmocka_unit_test_setup(year_reference_mtime, zone_utc),
                cmocka_unit_test_setup(year_reference_uses_zone, zone_utc),
                cmocka_unit_test_setup(user_out_of_range, zone_utc),
                cmocka_unit_test_setup(user_absolute, zone_utc),
                cmocka_unit_test_setup(user_epoch_and_relative, zone_utc),
                cmocka_unit_test_setup(user_today_yesterday, zone_utc),
                cmocka_unit_test_setup(user_garbage, zone_utc),
                cmocka_unit_test_setup(user_systemd_dates, zone_utc),
                cmocka_unit_test_setup(user_systemd_clock_only, zone_utc),
                cmocka_unit_test_setup(user_systemd_weekday, zone_utc),
                cmocka_unit_test_setup(user_systemd_zones, zone_utc),
                cmocka_unit_test_setup(user_systemd_dst, zone_utc),
                cmocka_unit_test_setup(user_systemd_relative, zone_utc),
                cmocka_unit_test_setup(format_rfc3339, zone_utc),
                cmocka_unit_test_setup(format_rfc3339_usec, zone_utc),
                cmocka_unit_test_setup(parse_then_format_round_trip, zone_utc),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
