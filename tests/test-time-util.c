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
                "feb 12 08:10:48 h",           /* month names are capitalised */
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
                "", "garbage", "-", "-2", "-2x", "-h", "+", "--2h", "@", "@12x", "@-", "2025-13-01",
                "2025-11-32", "2025-11-25 08", "2025-11-25 08:10:48 trailing", "2025-11-25T25:00:00",
                "Nov 25 08:10:48", "tomorrow", "today ", "1700000000",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                int r = time_parse_user(bad[i], T_20241125_071048, &t);
                if (r != -EINVAL)
                        fail_msg("'%s' gave %d, want -EINVAL", bad[i], r);
        }
        assert_int_equal(time_parse_user(NULL, 0, &t), -EINVAL);
        assert_int_equal(t, 42);
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
                cmocka_unit_test_setup(iso_forms, zone_utc),
                cmocka_unit_test_setup(iso_bad_offset_is_not_consumed, zone_utc),
                cmocka_unit_test_setup(iso_rejects, zone_utc),
                cmocka_unit_test_setup(fields_to_usec, zone_utc),
                cmocka_unit_test_setup(zone_utc_and_berlin_dst, zone_utc),
                cmocka_unit_test_setup(zone_unknown, zone_utc),
                cmocka_unit_test_setup(year_fixed_rollover, zone_utc),
                cmocka_unit_test_setup(year_reference_mtime, zone_utc),
                cmocka_unit_test_setup(year_reference_uses_zone, zone_utc),
                cmocka_unit_test_setup(user_absolute, zone_utc),
                cmocka_unit_test_setup(user_epoch_and_relative, zone_utc),
                cmocka_unit_test_setup(user_today_yesterday, zone_utc),
                cmocka_unit_test_setup(user_garbage, zone_utc),
                cmocka_unit_test_setup(format_rfc3339, zone_utc),
                cmocka_unit_test_setup(parse_then_format_round_trip, zone_utc),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
