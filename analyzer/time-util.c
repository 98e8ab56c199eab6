/* time-util.c: parsing and formatting of every stamp cascade meets, onto usec_t UTC. */
#include <assert.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#include "month-names.h"
#include "time-util.h"

static const char month_names[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static int parse_month(const char *s) {
        for (int i = 0; i < 12; i++)
                if (s[0] == month_names[i][0] && s[1] == month_names[i][1] && s[2] == month_names[i][2])
                        return i + 1;
        return 0;
}

static inline bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

/* ---- month names of other languages (month-names.txt) ---- */

#define MONTH_LOCALES_MAX 64          /* one bit each in MonthLocale.locales */
#define MONTH_NAMES_MAX 512           /* distinct names; the table has 330 */
#define MONTH_READINGS_MAX 4          /* months one name may mean in different locales; the table needs 2 */
#define MONTH_NAME_LEN_MAX 32         /* bytes; "de febr." is 8, "十二月" 9 */
#define MONTH_LOCALE_LEN_MAX 16
#define MONTH_KEYS 1024               /* buckets by the first two bytes: most lines without a stamp meet an empty one */

typedef struct MonthReading {
        uint64_t locales;      /* the rows where the name means `month` */
        int month;             /* 1..12 */
} MonthReading;

typedef struct MonthName {
        const char *p;         /* the name's bytes, inside text_month_names_txt (not NUL-terminated) */
        size_t len;
        uint64_t locales;      /* the rows that have the name, whatever month */
        unsigned n_readings;
        MonthReading readings[MONTH_READINGS_MAX];   /* in row order: the first is the preferred reading */
} MonthName;

/* Built once from the embedded file, read-only afterwards (the reading threads share it). */
static struct {
        MonthName names[MONTH_NAMES_MAX];
        unsigned n_names;
        uint16_t order[MONTH_NAMES_MAX];       /* indexes into names[], grouped by month_key() */
        uint16_t by_key[MONTH_KEYS + 1];       /* names of key k: order[by_key[k] .. by_key[k + 1]) */
        char locale[MONTH_LOCALES_MAX][MONTH_LOCALE_LEN_MAX];   /* row labels, "de_DE" */
        unsigned n_locales;
} month_table;
static pthread_once_t month_table_once = PTHREAD_ONCE_INIT;

/* The bucket of a name, or of a line that may start with one, from its first two bytes. */
static inline unsigned month_key(const char *s) {
        return ((unsigned char) s[0] * 67u + (unsigned char) s[1]) % MONTH_KEYS;
}

/* A broken table is a bug of the build, not bad input: asserted, and skipped in release builds. */
static void month_table_add(const char *name, size_t len, unsigned locale, int month) {
        assert(len >= 2 && len <= MONTH_NAME_LEN_MAX);
        if (len < 2 || len > MONTH_NAME_LEN_MAX)
                return;
        uint64_t bit = UINT64_C(1) << locale;
        MonthName *nm = NULL;
        for (unsigned i = 0; i < month_table.n_names && !nm; i++)
                if (month_table.names[i].len == len && memcmp(month_table.names[i].p, name, len) == 0)
                        nm = &month_table.names[i];
        if (!nm) {
                assert(month_table.n_names < MONTH_NAMES_MAX);
                if (month_table.n_names >= MONTH_NAMES_MAX)
                        return;
                nm = &month_table.names[month_table.n_names++];
                *nm = (MonthName){ .p = name, .len = len };
        }
        nm->locales |= bit;
        for (unsigned r = 0; r < nm->n_readings; r++)
                if (nm->readings[r].month == month) {
                        nm->readings[r].locales |= bit;
                        return;
                }
        assert(nm->n_readings < MONTH_READINGS_MAX);
        if (nm->n_readings < MONTH_READINGS_MAX)
                nm->readings[nm->n_readings++] = (MonthReading){ .locales = bit, .month = month };
}

static void month_table_load(void) {
        const char *p = text_month_names_txt;
        while (*p) {
                const char *eol = strchr(p, '\n');
                size_t len = eol ? (size_t) (eol - p) : strlen(p);
                const char *next = eol ? eol + 1 : p + len;
                if (len == 0 || p[0] == '#') {
                        p = next;
                        continue;
                }
                /* LOCALE|Jan|Feb|...|Dec */
                const char *bar = memchr(p, '|', len);
                assert(bar && month_table.n_locales < MONTH_LOCALES_MAX && (size_t) (bar - p) < MONTH_LOCALE_LEN_MAX);
                if (!bar || month_table.n_locales >= MONTH_LOCALES_MAX || (size_t) (bar - p) >= MONTH_LOCALE_LEN_MAX)
                        break;
                unsigned locale = month_table.n_locales++;
                memcpy(month_table.locale[locale], p, (size_t) (bar - p));
                const char *f = bar + 1, *end = p + len;
                int month = 0;
                for (;;) {
                        const char *sep = memchr(f, '|', (size_t) (end - f));
                        size_t flen = (size_t) ((sep ? sep : end) - f);
                        while (flen > 0 && f[flen - 1] == ' ')   /* et_EE's padding: blanks may follow any name */
                                flen--;
                        if (month < 12)
                                month_table_add(f, flen, locale, month + 1);
                        month++;
                        if (!sep)
                                break;
                        f = sep + 1;
                }
                assert(month == 12);
                p = next;
        }

        /* Group by key (counting sort). */
        unsigned count[MONTH_KEYS] = { 0 }, fill[MONTH_KEYS];
        for (unsigned i = 0; i < month_table.n_names; i++)
                count[month_key(month_table.names[i].p)]++;
        for (unsigned k = 0; k < MONTH_KEYS; k++)
                month_table.by_key[k + 1] = (uint16_t) (month_table.by_key[k] + count[k]);
        for (unsigned k = 0; k < MONTH_KEYS; k++)
                fill[k] = month_table.by_key[k];
        for (unsigned i = 0; i < month_table.n_names; i++)
                month_table.order[fill[month_key(month_table.names[i].p)]++] = (uint16_t) i;

#ifndef NDEBUG
        /* A stamp must start with at most one name: none may be another's followed by a blank. */
        for (unsigned i = 0; i < month_table.n_names; i++)
                for (unsigned j = 0; j < month_table.n_names; j++) {
                        const MonthName *a = &month_table.names[i], *b = &month_table.names[j];
                        assert(!(a->len < b->len && b->p[a->len] == ' ' && memcmp(a->p, b->p, a->len) == 0));
                }
#endif
}

static bool month_name_is_at(const MonthName *nm, const char *s, size_t n) {
        return nm->len < n && s[nm->len] == ' ' && memcmp(s, nm->p, nm->len) == 0;
}

/* The localized month name s starts with (followed by a blank), or NULL. */
static const MonthName *month_name_at(const char *s, size_t n, MonthLocale *lang) {
        if (n < 2)
                return NULL;
        pthread_once(&month_table_once, month_table_load);
        if (lang->last > 0 && lang->last <= month_table.n_names) {
                const MonthName *last = &month_table.names[lang->last - 1];
                if (month_name_is_at(last, s, n))
                        return last;
        }
        unsigned key = month_key(s);
        for (unsigned k = month_table.by_key[key]; k < month_table.by_key[key + 1]; k++)
                if (month_name_is_at(&month_table.names[month_table.order[k]], s, n)) {
                        lang->last = (uint16_t) (month_table.order[k] + 1);
                        return &month_table.names[month_table.order[k]];
                }
        return NULL;
}

/* The month nm means on day `day` in the file's language, narrowing the language (time-util.h). */
static int month_reading(const MonthName *nm, int day, MonthLocale *lang) {
        static const int days_max[13] = { 0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        uint64_t file = lang->locales ? lang->locales : UINT64_MAX;
        /* The rows that can have printed this stamp: those where the month has the day, if any. */
        uint64_t seen = 0;
        for (unsigned r = 0; r < nm->n_readings; r++)
                if (day <= days_max[nm->readings[r].month])
                        seen |= nm->readings[r].locales;
        if (!seen)
                seen = nm->locales;
        /* Read in the file's language when it has the name, else (another node's lines) in the name's own. */
        uint64_t within = (seen & file) ? seen & file : seen;
        int month = nm->readings[0].month;
        for (unsigned r = 0; r < nm->n_readings; r++)
                if (nm->readings[r].locales & within) {
                        month = nm->readings[r].month;
                        break;
                }
        if (seen & file)
                lang->locales = seen & file;
        return month;
}

/* "NAME dd " with a localized month name; returns the bytes up to the clock, or 0. */
static size_t parse_localized_date(const char *s, size_t n, MonthLocale *lang, TimeFields *tf) {
        const MonthName *nm = month_name_at(s, n, lang);
        if (!nm)
                return 0;
        size_t i = nm->len;
        for (size_t pad = 0; i < n && s[i] == ' ' && pad < 6; pad++)
                i++;
        size_t d0 = i;
        int day = 0;
        while (i < n && i - d0 < 2 && is_digit(s[i]))
                day = day * 10 + (s[i++] - '0');
        if (i == d0 || i >= n || s[i] != ' ' || day < 1 || day > 31)
                return 0;
        tf->day = day;
        tf->month = month_reading(nm, day, lang);
        return i + 1;
}

int time_month_locale(const char *name, MonthLocale *ret) {
        pthread_once(&month_table_once, month_table_load);
        for (unsigned i = 0; i < month_table.n_locales; i++)
                if (streq(month_table.locale[i], name)) {
                        *ret = (MonthLocale){ .locales = UINT64_C(1) << i };
                        return 1;
                }
        return 0;
}

/* Parse exactly `width` digits at s. */
static bool parse_fixed(const char *s, size_t avail, size_t width, int *ret) {
        int v = 0;
        if (avail < width)
                return false;
        for (size_t i = 0; i < width; i++) {
                if (!is_digit(s[i]))
                        return false;
                v = v * 10 + (s[i] - '0');
        }
        *ret = v;
        return true;
}

/* "HH:MM:SS[.frac]" at s; returns bytes consumed or 0. */
static size_t parse_clock(const char *s, size_t n, TimeFields *tf) {
        if (n < 8 || s[2] != ':' || s[5] != ':')
                return 0;
        if (!parse_fixed(s, n, 2, &tf->hour) || !parse_fixed(s + 3, n - 3, 2, &tf->minute) ||
            !parse_fixed(s + 6, n - 6, 2, &tf->second))
                return 0;
        if (tf->hour > 23 || tf->minute > 59 || tf->second > 60)
                return 0;
        size_t i = 8;
        tf->usec = 0;
        tf->precision = USEC_PER_SEC;
        if (i + 1 < n && (s[i] == '.' || s[i] == ',') && is_digit(s[i + 1])) {
                usec_t scale = USEC_PER_SEC;
                int usec = 0;
                i++;
                for (; i < n && is_digit(s[i]); i++)
                        if (scale > 1) {
                                scale /= 10;
                                usec += (s[i] - '0') * (int) scale;
                        }
                tf->usec = usec;
                tf->precision = scale;
        }
        return i;
}

static bool valid_date(int month, int day) {
        return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

size_t time_parse_bsd(const char *s, size_t n, TimeFields *ret) {
        return time_parse_bsd_in(s, n, NULL, ret);
}

size_t time_parse_bsd_in(const char *s, size_t n, MonthLocale *lc, TimeFields *ret) {
        TimeFields tf = { 0 };
        MonthLocale lang = lc ? *lc : (MonthLocale){ 0 };   /* committed to *lc only with a stamp */
        bool localized = false;
        size_t i;

        /* 14 bytes: the shortest stamp, "Feb 7 08:10:48"; a stamp may end the input (empty message). */
        if (n >= 14 && (tf.month = parse_month(s)) > 0 && s[3] == ' ') {
                /* "Feb  7" (rsyslog) or "Feb 07" (journalctl); tolerate "Feb 7". */
                i = 4;
                if (s[i] == ' ')
                        i++;
                if (!is_digit(s[i]))
                        return 0;
                tf.day = s[i++] - '0';
                if (is_digit(s[i]))
                        tf.day = tf.day * 10 + (s[i++] - '0');
                if (s[i++] != ' ')
                        return 0;
        } else if ((i = parse_localized_date(s, n, &lang, &tf)) > 0) {
                localized = true;      /* English failed: another language ("Dez 03", "déc. 03", " 1月 03") */
        } else {
                /* zh_CN journalctl: "9 月 16 日 19:31:41" ("月" and "日" are 3 bytes each in UTF-8). */
                static const char yue[] = "\xe6\x9c\x88", ri[] = "\xe6\x97\xa5";
                i = 0;
                while (i < n && i < 2 && is_digit(s[i]))
                        tf.month = tf.month * 10 + (s[i++] - '0');
                if (i == 0 || i + 4 > n || s[i] != ' ' || memcmp(s + i + 1, yue, 3) != 0)
                        return 0;
                i += 4;
                if (i < n && s[i] == ' ')
                        i++;
                size_t d0 = i;
                while (i < n && i - d0 < 2 && is_digit(s[i]))
                        tf.day = tf.day * 10 + (s[i++] - '0');
                if (i == d0 || i + 5 > n || s[i] != ' ' || memcmp(s + i + 1, ri, 3) != 0 || s[i + 4] != ' ')
                        return 0;
                i += 5;
        }
        if (!valid_date(tf.month, tf.day))
                return 0;
        size_t c = parse_clock(s + i, n - i, &tf);
        if (c == 0)
                return 0;
        *ret = tf;
        if (localized && lc)
                *lc = lang;
        return i + c;
}

size_t time_parse_iso(const char *s, size_t n, TimeFields *ret) {
        TimeFields tf = { 0 };

        if (n < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' '))
                return 0;
        if (!parse_fixed(s, n, 4, &tf.year) || !parse_fixed(s + 5, n - 5, 2, &tf.month) ||
            !parse_fixed(s + 8, n - 8, 2, &tf.day) || !valid_date(tf.month, tf.day))
                return 0;
        size_t i = 11;
        size_t c = parse_clock(s + i, n - i, &tf);
        if (c == 0)
                return 0;
        i += c;
        if (i < n && s[i] == 'Z') {
                tf.has_offset = true;
                i++;
        } else if (i + 3 <= n && (s[i] == '+' || s[i] == '-')) {
                int sign = s[i] == '-' ? -1 : 1, hh, mm = 0;
                size_t j = i + 1;
                if (!parse_fixed(s + j, n - j, 2, &hh))
                        goto done;
                j += 2;
                if (j < n && s[j] == ':')
                        j++;
                if (parse_fixed(s + j, n - j, 2, &mm))
                        j += 2;
                else if (s[j - 1] == ':')
                        goto done;
                if (hh > 23 || mm > 59)
                        goto done;
                tf.has_offset = true;
                tf.offset_sec = sign * (hh * 3600 + mm * 60);
                i = j;
        }
done:
        *ret = tf;
        return i;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
        y -= m <= 2;
        int64_t era = (y >= 0 ? y : y - 399) / 400;
        unsigned yoe = (unsigned) (y - era * 400);
        unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + (int64_t) doe - 719468;
}

static usec_t fields_naive_usec(const TimeFields *tf) {
        int64_t days = days_from_civil(tf->year, (unsigned) tf->month, (unsigned) tf->day);
        int64_t secs = days * 86400 + tf->hour * 3600 + tf->minute * 60 + tf->second;
        return secs * USEC_PER_SEC + tf->usec;
}

/* The zone's offset changes at most a few times a year, and mktime() is slow and takes a lock:
 * remember the offset of the last local hour asked for. */
static struct {
        int64_t hour_key;      /* naive local time / 1h of the cached entry, -1 = empty */
        int offset_sec;        /* local - UTC in that hour */
} zone_cache = { -1, 0 };

/* A POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3", "UTC0", "<+03>-3") starts with an abbreviation of
 * three or more letters (or one in <>) and an offset. Merely holding a digit is not enough: glibc
 * reads "Europe/Berlin1" as neither file nor rule and silently falls back to UTC. */
static bool looks_like_tz_rule(const char *s) {
        size_t i = 0;
        if (s[0] == '<') {
                const char *close = strchr(s, '>');
                if (!close || close - s < 4)
                        return false;
                i = (size_t) (close - s) + 1;
        } else {
                while ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))
                        i++;
                if (i < 3)
                        return false;
        }
        if (s[i] == '+' || s[i] == '-')
                i++;
        return is_digit(s[i]);
}

int time_set_zone(const char *zone) {
        zone_cache.hour_key = -1;
        if (!zone || !*zone) {
                tzset();       /* the machine's zone: $TZ when set, else /etc/localtime */
                return 0;
        }
        /* A name must exist in the zone database; anything else must be a POSIX rule. */
        if (!streq(zone, "UTC") && !streq(zone, "GMT")) {
                char path[512];
                if (zone[0] == '/' || strstr(zone, ".."))
                        return -EINVAL;
                snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
                if (access(path, R_OK) < 0 && !looks_like_tz_rule(zone))
                        return -EINVAL;
        }
        if (setenv("TZ", zone, 1) < 0)
                return -errno;
        tzset();
        return 0;
}

static int zone_offset_for_local(usec_t naive) {
        int64_t key = naive / USEC_PER_HOUR;
        if (key == zone_cache.hour_key)
                return zone_cache.offset_sec;

        time_t t = (time_t) (naive / USEC_PER_SEC);
        struct tm tm;
        gmtime_r(&t, &tm);       /* the naive local fields, as if they were UTC */
        tm.tm_isdst = -1;
        time_t utc = mktime(&tm);
        int off = utc == (time_t) -1 ? 0 : (int) (t - utc);
        zone_cache.hour_key = key;
        zone_cache.offset_sec = off;
        return off;
}

usec_t time_fields_to_usec(const TimeFields *tf) {
        usec_t naive = fields_naive_usec(tf);
        if (tf->has_offset)
                return naive - (usec_t) tf->offset_sec * USEC_PER_SEC;
        return naive - (usec_t) zone_offset_for_local(naive) * USEC_PER_SEC;
}

void year_guess_init_fixed(YearGuess *g, int year) {
        *g = (YearGuess){ .fixed_year = year, .year = year };
}

void year_guess_init_reference(YearGuess *g, usec_t reference) {
        time_t t = (time_t) (reference / USEC_PER_SEC);
        struct tm tm;
        localtime_r(&t, &tm);
        *g = (YearGuess){ .ref_year = tm.tm_year + 1900, .ref_month = tm.tm_mon + 1, .ref_day = tm.tm_mday };
}

int year_guess_next(YearGuess *g, int month, int day) {
        if (g->fixed_year) {
                if (g->last_month && month < g->last_month - 6)
                        g->year++;
                else if (g->last_month && month > g->last_month + 6)
                        g->year--;      /* a stray December line right after the rollover */
                g->last_month = month;
                return g->year;
        }
        /* One day of slack: the reference is an mtime in the machine's zone, the stamp maybe not. */
        if (month > g->ref_month || (month == g->ref_month && day > g->ref_day + 1))
                return g->ref_year - 1;
        return g->ref_year;
}

usec_t now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (usec_t) ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* ---- user time input: systemd.time(7) "PARSING TIMESTAMPS", read as systemd's parse_timestamp() ---- */

/* systemd's latest timestamp, 9999-12-30T23:59:59Z (a day short of what every zone can print);
 * later is out of range, and so is anything before 1970. */
#define USER_TIME_MAX INT64_C(253402214399000000)
#define USEC_PER_WEEK (7 * USEC_PER_DAY)
#define USEC_PER_MONTH INT64_C(2629800000000)      /* 30.44 days, as systemd */
#define USEC_PER_YEAR INT64_C(31557600000000)      /* 365.25 days */

/* How the stamp part of an input is placed on the axis, after a zone suffix was split off. */
typedef struct UserZone {
        bool utc;              /* in UTC shifted by gmtoff, not in the zone */
        int isdst;             /* mktime()'s tm_isdst: -1, or forced by a "CEST" suffix */
        long gmtoff;           /* east of UTC, seconds (a "+01:00" suffix) */
} UserZone;

/* systemd's WHITESPACE, between the terms of a span. */
static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* isspace() in the C locale, what strptime() skips. */
static bool is_space(char c) {
        return is_blank(c) || c == '\v' || c == '\f';
}

static int usec_checked(int64_t t, usec_t *ret) {
        if (t < 0 || t > USER_TIME_MAX)
                return -ERANGE;
        *ret = t;
        return 0;
}

/* The unit at p, or p itself (and *ret untouched) when there is none. systemd's order: a name that
 * starts another ("m", "min", "month", "ms") comes after it. */
static const char *span_unit(const char *p, uint64_t *ret) {
        static const struct {
                const char *name;
                uint64_t usec;
        } units[] = {
                { "seconds", USEC_PER_SEC },    { "second", USEC_PER_SEC },     { "sec", USEC_PER_SEC },
                { "s", USEC_PER_SEC },          { "minutes", USEC_PER_MINUTE }, { "minute", USEC_PER_MINUTE },
                { "min", USEC_PER_MINUTE },     { "months", USEC_PER_MONTH },   { "month", USEC_PER_MONTH },
                { "M", USEC_PER_MONTH },        { "msec", USEC_PER_MSEC },      { "ms", USEC_PER_MSEC },
                { "m", USEC_PER_MINUTE },       { "hours", USEC_PER_HOUR },     { "hour", USEC_PER_HOUR },
                { "hr", USEC_PER_HOUR },        { "h", USEC_PER_HOUR },         { "days", USEC_PER_DAY },
                { "day", USEC_PER_DAY },        { "d", USEC_PER_DAY },          { "weeks", USEC_PER_WEEK },
                { "week", USEC_PER_WEEK },      { "w", USEC_PER_WEEK },         { "years", USEC_PER_YEAR },
                { "year", USEC_PER_YEAR },      { "y", USEC_PER_YEAR },         { "usec", 1 },
                { "us", 1 },                    { "\xce\xbcs", 1 },             { "\xc2\xb5s", 1 },
        };
        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                size_t len = strlen(units[i].name);
                if (strncmp(p, units[i].name, len) == 0) {
                        *ret = units[i].usec;
                        return p + len;
                }
        }
        return p;
}

/* The ".25" of "1.25h": each digit a tenth of the one before, beyond 1 µs dropped. */
static int span_fraction(const char *digits, uint64_t unit, uint64_t *sum) {
        const char *d = digits;
        for (uint64_t m = unit / 10; is_digit(*d); d++, m /= 10)
                if (__builtin_add_overflow(*sum, (uint64_t) (*d - '0') * m, sum))
                        return -ERANGE;
        return d == digits ? -EINVAL : 0;   /* "3.", "3.s" */
}

/* One "NUMBER[.FRACTION][ ]UNIT" term of a span at *p (no unit: seconds), added to *sum. */
static int span_term(const char **p, uint64_t *sum) {
        if (**p == '-')
                return -ERANGE;        /* as systemd: no negative terms, not even "-0" */
        char *e;
        errno = 0;
        long long v = strtoll(*p, &e, 10);
        if (errno > 0)
                return -errno;
        if (v < 0)
                return -ERANGE;
        const char *q = e;
        if (*e == '.')
                for (q = e + 1; is_digit(*q); q++)
                        ;
        else if (e == *p)
                return -EINVAL;
        const char *u = q;
        while (is_blank(*u))
                u++;
        uint64_t unit = USEC_PER_SEC, k;
        const char *after = span_unit(u, &unit);
        if (after == q && *after)
                return -EINVAL;        /* "12.34.56": a term must end in a unit, a blank or the end */
        if (__builtin_mul_overflow((uint64_t) v, unit, &k) || __builtin_add_overflow(*sum, k, sum))
                return -ERANGE;
        if (*e == '.') {
                int r = span_fraction(e + 1, unit, sum);
                if (r < 0)
                        return r;
        }
        *p = after;
        return 0;
}

/* A time span as systemd's parse_sec() reads it: "5min", "1h 30min", "1h30min", "1.5h", "90". */
static int parse_span(const char *p, uint64_t *ret) {
        uint64_t sum = 0;
        bool something = false;
        for (;;) {
                while (is_blank(*p))
                        p++;
                if (!*p)
                        break;
                int r = span_term(&p, &sum);
                if (r < 0)
                        return r;
                something = true;
        }
        if (!something)
                return -EINVAL;
        *ret = sum;
        return 0;
}

int time_parse_span(const char *s, usec_t *ret) {
        uint64_t d;
        int r = parse_span(s, &d);
        if (r < 0)
                return r;
        if (d > (uint64_t) INT64_MAX)
                return -ERANGE;
        *ret = (usec_t) d;
        return 0;
}

/* now ± a span, the span being the first len bytes of s. */
static int parse_offset_from(usec_t now, int sign, const char *s, size_t len, usec_t *ret) {
        _cleanup_free_ char *span = strndup(s, len);
        uint64_t d;
        usec_t t;
        if (!span)
                return -ENOMEM;
        int r = parse_span(span, &d);
        if (r < 0)
                return r;
        if (d > (uint64_t) INT64_MAX || __builtin_add_overflow(now, sign * (int64_t) d, &t))
                return -ERANGE;
        return usec_checked(t, ret);
}

static bool has_suffix(const char *s, const char *suffix, size_t *ret_len) {
        size_t n = strlen(s), k = strlen(suffix);
        if (n < k || !streq(s + n - k, suffix))
                return false;
        *ret_len = n - k;
        return true;
}

/* "@EPOCH", "now", "+SPAN", "-SPAN", "SPAN ago", "SPAN left": 0 with *ret, -errno, or 1 when s is
 * none of them (a stamp, then). */
static int parse_relative(const char *s, usec_t now, usec_t *ret) {
        size_t len;
        if (s[0] == '@')
                return parse_offset_from(0, 1, s + 1, strlen(s + 1), ret);
        if (streq(s, "now"))
                return usec_checked(now, ret);
        if (s[0] == '+' || s[0] == '-')
                return parse_offset_from(now, s[0] == '-' ? -1 : 1, s + 1, strlen(s + 1), ret);
        if (has_suffix(s, " ago", &len))
                return parse_offset_from(now, -1, s, len, ret);
        if (has_suffix(s, " left", &len))
                return parse_offset_from(now, 1, s, len, ret);
        return 1;
}

/* strptime()'s number: blanks skipped, up to `width` digits while the value can still grow within
 * `to` ("45" as a day is 4, then "5"), and from..to. */
static const char *scan_number(const char *p, int from, int to, int width, int *ret) {
        int v = 0;
        while (is_space(*p))
                p++;
        if (!is_digit(*p))
                return NULL;
        do
                v = v * 10 + (*p++ - '0');
        while (--width > 0 && v * 10 <= to && is_digit(*p));
        if (v < from || v > to)
                return NULL;
        *ret = v;
        return p;
}

/* strptime()'s %b in the C locale: a full or abbreviated English month name, any case. */
static const char *scan_month(const char *p, int *ret) {
        static const char *const full[12] = { "January", "February", "March", "April", "May", "June", "July",
                                              "August", "September", "October", "November", "December" };
        for (int i = 0; i < 12; i++)
                for (size_t len = strlen(full[i]); len >= 3; len = len > 3 ? 3 : 0)
                        if (strncasecmp(p, full[i], len) == 0) {
                                *ret = i;
                                return p + len;
                        }
        return NULL;
}

/* One conversion of scan_format() into *tm. */
static const char *scan_field(const char *p, char conv, struct tm *tm) {
        int v = 0;     /* read below even when a scan fails (its result is then thrown away) */
        switch (conv) {
        case 'Y':
                p = scan_number(p, 0, 9999, 4, &v);
                tm->tm_year = v - 1900;
                return p;
        case 'y':              /* 69..99 are the 1900s, as POSIX says */
                p = scan_number(p, 0, 99, 2, &v);
                tm->tm_year = v >= 69 ? v : v + 100;
                return p;
        case 'm':
                p = scan_number(p, 1, 12, 2, &v);
                tm->tm_mon = v - 1;
                return p;
        case 'd':
                return scan_number(p, 1, 31, 2, &tm->tm_mday);
        case 'H':
                return scan_number(p, 0, 23, 2, &tm->tm_hour);
        case 'M':
                return scan_number(p, 0, 59, 2, &tm->tm_min);
        case 'S':              /* leap seconds, as glibc */
                return scan_number(p, 0, 61, 2, &tm->tm_sec);
        case 'b':
                return scan_month(p, &tm->tm_mon);
        default:
                assert(!"unknown conversion");
                return NULL;
        }
}

/* glibc's strptime() for the few conversions systemd's formats use: a blank in the format skips
 * any blanks, other characters match themselves. Returns where the input stopped, or NULL. */
static const char *scan_format(const char *p, const char *format, struct tm *tm) {
        for (const char *f = format; *f && p; f++) {
                if (*f == ' ')
                        while (is_space(*p))
                                p++;
                else if (*f == '%')
                        p = scan_field(p, *++f, tm);
                else if (*p == *f)
                        p++;
                else
                        return NULL;
        }
        return p;
}

/* "Tue " or "tuesday " at *p (any case): its day of the week (0 = Sunday), *p moved past; or -1. */
static int parse_weekday(const char **p) {
        static const char *const names[7] = { "Sunday", "Monday", "Tuesday", "Wednesday",
                                              "Thursday", "Friday", "Saturday" };
        for (int i = 0; i < 7; i++)
                for (size_t len = strlen(names[i]); len >= 3; len = len > 3 ? 3 : 0)
                        if (strncasecmp(*p, names[i], len) == 0 && (*p)[len] == ' ') {
                                *p += len + 1;
                                return i;
                        }
        return -1;
}

/* ".123456" after the seconds, as systemd: 6 digits, rounded on the 7th, more ignored; nothing
 * may follow. */
static int parse_usec(const char *p, unsigned *ret) {
        unsigned v = 0;
        int i = 0;
        for (; i < 6 && is_digit(*p); i++)
                v = v * 10 + (unsigned) (*p++ - '0');
        if (i == 0)
                return -EINVAL;
        for (; i < 6; i++)
                v *= 10;
        if (*p >= '5' && *p <= '9')
                v++;
        while (is_digit(*p))
                p++;
        if (*p)
                return -EINVAL;
        *ret = v;
        return 0;
}

/* The date and clock at s into *tm (which holds today, for what s leaves out), and the fraction
 * of the second. systemd's forms, tried in its order: 2-digit years before 4. */
static int parse_clock_forms(const char *s, struct tm *tm, unsigned *ret_usec) {
        static const struct {
                const char *format;
                bool seconds;          /* may go on with ".FRACTION" */
                bool clock;            /* has a time of day (else midnight) */
        } forms[] = {
                { "%y-%m-%d %H:%M:%S", true, true },  { "%Y-%m-%d %H:%M:%S", true, true },
                { "%Y-%m-%dT%H:%M:%S", true, true },  { "%b %d %H:%M:%S", true, true },
                { "%y-%m-%d %H:%M", false, true },    { "%Y-%m-%d %H:%M", false, true },
                { "%Y-%m-%dT%H:%M", false, true },    { "%y-%m-%d", false, false },
                { "%Y-%m-%d", false, false },         { "%H:%M:%S", true, true },
                { "%H:%M", false, true },
        };
        const struct tm today = *tm;
        for (size_t i = 0; i < ELEMENTSOF(forms); i++) {
                *tm = today;
                const char *k = scan_format(s, forms[i].format, tm);
                if (!k)
                        continue;
                if (forms[i].seconds && *k == '.')
                        return parse_usec(k + 1, ret_usec);
                if (*k)
                        continue;
                if (!forms[i].seconds)
                        tm->tm_sec = 0;
                if (!forms[i].clock)
                        tm->tm_hour = tm->tm_min = 0;
                *ret_usec = 0;
                return 0;
        }
        return -EINVAL;
}

/* Days since 1970 of tm's date, a day of month past the month's end (or 0) rolling over. */
static int64_t tm_days(const struct tm *tm) {
        int64_t y = (int64_t) tm->tm_year + 1900 + tm->tm_mon / 12;
        int m = tm->tm_mon % 12;
        if (m < 0) {
                m += 12;
                y--;
        }
        return days_from_civil(y, (unsigned) m + 1, 1) + tm->tm_mday - 1;
}

/* *tm (with a fraction of its second) on the axis: in UTC less gmtoff, or in the zone. A weekday
 * given (>= 0) must be the date's, as systemd wants. */
static int tm_to_usec(struct tm *tm, int weekday, unsigned usec, const UserZone *z, usec_t *ret) {
        int64_t days = tm_days(tm), secs;
        if (weekday >= 0 && ((days % 7 + 11) % 7) != weekday)     /* 1970-01-01 was a Thursday (4) */
                return -EINVAL;
        if (z->utc)
                secs = days * 86400 + tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec - z->gmtoff;
        else {
                tm->tm_isdst = z->isdst;
                secs = mktime(tm);     /* -1 on error: before 1970 all the same */
        }
        if (secs < 0 || secs > USER_TIME_MAX / USEC_PER_SEC)
                return -ERANGE;
        return usec_checked(secs * USEC_PER_SEC + usec, ret);
}

/* "today" 0, "yesterday" -1, "tomorrow" 1, anything else INT_MIN. */
static int day_keyword(const char *s) {
        return streq(s, "today") ? 0 : streq(s, "yesterday") ? -1 : streq(s, "tomorrow") ? 1 : INT_MIN;
}

/* Everything but the zone suffix: len bytes of s (SIZE_MAX: all of s, and no suffix was split off,
 * so the relative forms are allowed too). */
static int parse_stamp(const char *s, size_t len, const UserZone *z, usec_t now, usec_t *ret) {
        _cleanup_free_ char *copy = NULL;
        if (len != SIZE_MAX) {
                if (len == 0 || !(copy = strndup(s, len)))
                        return len == 0 ? -EINVAL : -ENOMEM;
                s = copy;
        } else {
                int r = parse_relative(s, now, ret);
                if (r <= 0)
                        return r;
        }
        if (z->utc && labs(z->gmtoff) > 86400)
                return -EINVAL;
        /* Today's date (in UTC, or in the zone) for what s leaves out. */
        time_t t = (time_t) (now >= 0 ? now / USEC_PER_SEC : (now - USEC_PER_SEC + 1) / USEC_PER_SEC);
        struct tm tm;
        if (!(z->utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)))
                return -ERANGE;
        int days = day_keyword(s);
        if (days != INT_MIN) {
                /* Calendar days, not 24 h: a day with a DST change has 23 or 25 hours. */
                tm.tm_mday += days;
                tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
                return tm_to_usec(&tm, -1, 0, z, ret);
        }
        int weekday = parse_weekday(&s);
        unsigned usec;
        int r = parse_clock_forms(s, &tm, &usec);
        if (r < 0)
                return r;
        return tm_to_usec(&tm, weekday, usec, z, ret);
}

/* strptime()'s %z: "Z", "+HH", "+HHMM", "+HH:MM" (or -); returns the end, or NULL. */
static const char *scan_utc_offset(const char *p, long *ret) {
        while (is_space(*p))
                p++;
        if (*p == 'Z') {
                *ret = 0;
                return p + 1;
        }
        if (*p != '+' && *p != '-')
                return NULL;
        bool neg = *p++ == '-';
        int v = 0, n = 0;
        while (n < 4 && is_digit(*p)) {
                v = v * 10 + (*p++ - '0');
                if (++n == 2 && *p == ':' && is_digit(p[1]))
                        p++;
        }
        if (n == 2)
                v *= 100;
        else if (n != 4 || v % 100 >= 60)
                return NULL;
        *ret = (neg ? -1 : 1) * ((long) (v / 100) * 3600 + (v % 100) * 60);
        return p;
}

/* A zone of the database, as systemd's timezone_is_valid() wants it: a plain relative name whose
 * file is a TZif file. */
static bool zone_name_valid(const char *name) {
        if (!*name || name[0] == '/' || strlen(name) > 255)
                return false;
        for (const char *p = name; *p; p++) {
                bool ok = is_digit(*p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                          *p == '-' || *p == '_' || *p == '+' || *p == '/';
                if (!ok || (*p == '/' && (p[1] == '/' || !p[1])))
                        return false;
        }
        char path[300], magic[4];
        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
                return false;
        struct stat st;
        bool valid = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, magic, 4) == 4 &&
                     memcmp(magic, "TZif", 4) == 0;
        close(fd);
        return valid;
}

/* isdst for a suffix naming the zone's own abbreviation ("CET" 0, "CEST" 1), else -1. */
static int zone_abbreviation(const char *name) {
        tzset();
        for (int j = 0; j <= 1; j++)
                if (tzname[j] && tzname[j][0] && streq(name, tzname[j]))
                        return j;
        return -1;
}

/* The first len bytes of s in the database's zone `zone` ("... Europe/Berlin"): $TZ is switched for
 * the call and put back (the command line is parsed before any thread starts). */
static int parse_in_zone(const char *s, size_t len, const char *zone, usec_t now, usec_t *ret) {
        _cleanup_free_ char *saved = NULL, *tz = NULL;
        const char *old = getenv("TZ");
        if ((old && !(saved = strdup(old))) || asprintf(&tz, ":%s", zone) < 0)
                return -ENOMEM;
        if (setenv("TZ", tz, 1) < 0)
                return -errno;
        UserZone z = { .isdst = zone_abbreviation(zone) };   /* "CET" is a zone and its winter name */
        int r = parse_stamp(s, len, &z, now, ret);
        if ((saved ? setenv("TZ", saved, 1) : unsetenv("TZ")) < 0)
                r = -errno;
        tzset();
        return r;
}

/* After the last blank: "UTC", an offset, a zone of the database, the zone's own abbreviation, or
 * (none of them) part of the input itself ("1h ago"). */
static int parse_with_suffix(const char *s, const char *blank, usec_t now, usec_t *ret) {
        const char *suffix = blank + 1, *end;
        size_t len = (size_t) (blank - s);
        long off;
        if (streq(suffix, "UTC"))
                return parse_stamp(s, len, &(UserZone){ .utc = true, .isdst = -1 }, now, ret);
        if ((end = scan_utc_offset(suffix, &off)) && !*end)
                return parse_stamp(s, len, &(UserZone){ .utc = true, .isdst = -1, .gmtoff = off }, now, ret);
        if (zone_name_valid(suffix))
                return parse_in_zone(s, len, suffix, now, ret);
        int isdst = zone_abbreviation(suffix);
        if (isdst >= 0)
                return parse_stamp(s, len, &(UserZone){ .isdst = isdst }, now, ret);
        return parse_stamp(s, SIZE_MAX, &(UserZone){ .isdst = -1 }, now, ret);
}

int time_parse_user(const char *s, usec_t now, usec_t *ret) {
        if (!s)
                return -EINVAL;
        size_t n = strlen(s);
        long off;
        const char *end;
        /* "2025-11-25T08:10:48Z": when what precedes the Z is no stamp, s is read on as below (an
         * out-of-range stamp could not be anything else). */
        if (n > 2 && s[n - 1] == 'Z') {
                int r = parse_stamp(s, n - 1, &(UserZone){ .utc = true, .isdst = -1 }, now, ret);
                if (r >= 0 || r == -ERANGE || r == -ENOMEM)
                        return r;
        }
        /* "...08:10:48+01:00", the offset welded on (with a blank before it, it is a suffix). */
        if (n > 7 && (s[n - 6] == '+' || s[n - 6] == '-') && s[n - 7] != ' ' &&
            (end = scan_utc_offset(s + n - 6, &off)) && !*end)
                return parse_stamp(s, n - 6, &(UserZone){ .utc = true, .isdst = -1, .gmtoff = off }, now, ret);
        const char *blank = strrchr(s, ' ');
        if (blank)
                return parse_with_suffix(s, blank, now, ret);
        return parse_stamp(s, SIZE_MAX, &(UserZone){ .isdst = -1 }, now, ret);
}

char *time_format_rfc3339(usec_t t, char buf[static RFC3339_MAX]) {
        time_t secs = (time_t) (t >= 0 ? t / USEC_PER_SEC : (t - USEC_PER_SEC + 1) / USEC_PER_SEC);
        int usec = (int) (t - (usec_t) secs * USEC_PER_SEC);
        struct tm tm;
        if (!gmtime_r(&secs, &tm)) {
                snprintf(buf, RFC3339_MAX, "invalid");
                return buf;
        }
        size_t n = strftime(buf, RFC3339_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
        if (usec != 0 && usec % 1000 == 0)
                snprintf(buf + n, RFC3339_MAX - n, ".%03dZ", usec / 1000);
        else if (usec != 0)
                snprintf(buf + n, RFC3339_MAX - n, ".%06dZ", usec);
        else
                snprintf(buf + n, RFC3339_MAX - n, "Z");
        return buf;
}

char *time_format_rfc3339_usec(usec_t t, bool in_zone, char buf[static RFC3339_MAX]) {
        time_t secs = (time_t) (t >= 0 ? t / USEC_PER_SEC : (t - USEC_PER_SEC + 1) / USEC_PER_SEC);
        struct tm tm;
        if (!(in_zone ? localtime_r(&secs, &tm) : gmtime_r(&secs, &tm))) {
                snprintf(buf, RFC3339_MAX, "invalid");
                return buf;
        }
        size_t n = strftime(buf, RFC3339_MAX, "%Y-%m-%dT%H:%M:%S", &tm);
        n += (size_t) snprintf(buf + n, RFC3339_MAX - n, ".%06d", (int) (t - (usec_t) secs * USEC_PER_SEC));
        long off = in_zone ? tm.tm_gmtoff / 60 : 0;
        if (off == 0)
                snprintf(buf + n, RFC3339_MAX - n, "Z");
        else
                snprintf(buf + n, RFC3339_MAX - n, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
        return buf;
}

char *time_format_local(usec_t t, bool with_ms, char buf[static RFC3339_MAX]) {
        time_t secs = (time_t) (t >= 0 ? t / USEC_PER_SEC : (t - USEC_PER_SEC + 1) / USEC_PER_SEC);
        struct tm tm;
        if (!localtime_r(&secs, &tm)) {
                snprintf(buf, RFC3339_MAX, "invalid");
                return buf;
        }
        size_t n = strftime(buf, RFC3339_MAX, "%Y-%m-%d %H:%M:%S", &tm);
        if (with_ms)
                snprintf(buf + n, RFC3339_MAX - n, ".%03d", (int) ((t - (usec_t) secs * USEC_PER_SEC) / 1000));
        return buf;
}
