/* time-util.c: parsing and formatting of every stamp cascade meets, onto usec_t UTC. */
#include <assert.h>
#include <pthread.h>
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

static int parse_relative(const char *s, usec_t now, usec_t *ret) {
        int sign = s[0] == '-' ? -1 : 1;
        char *end;
        errno = 0;
        long long v = strtoll(s + 1, &end, 10);
        if (errno || end == s + 1 || v < 0 || v > 100000000)
                return -EINVAL;
        static const struct {
                const char *suffix;
                usec_t unit;
        } units[] = {
                { "s", USEC_PER_SEC },       { "sec", USEC_PER_SEC },  { "m", USEC_PER_MINUTE },
                { "min", USEC_PER_MINUTE },  { "h", USEC_PER_HOUR },   { "hour", USEC_PER_HOUR },
                { "hours", USEC_PER_HOUR },  { "d", USEC_PER_DAY },    { "day", USEC_PER_DAY },
                { "days", USEC_PER_DAY },    { "w", 7 * USEC_PER_DAY }, { "week", 7 * USEC_PER_DAY },
                { "weeks", 7 * USEC_PER_DAY },
        };
        for (size_t i = 0; i < ELEMENTSOF(units); i++)
                if (streq(end, units[i].suffix)) {
                        usec_t delta, t;
                        /* "-100000000w" is centuries beyond what µs since 1970 can hold. */
                        if (__builtin_mul_overflow(sign * (usec_t) v, units[i].unit, &delta) ||
                            __builtin_add_overflow(now, delta, &t))
                                return -ERANGE;
                        *ret = t;
                        return 0;
                }
        return -EINVAL;
}

static usec_t local_midnight(usec_t now, int days_back) {
        time_t t = (time_t) (now / USEC_PER_SEC);
        struct tm tm;
        localtime_r(&t, &tm);
        /* Step back calendar days, not 24 h each: a day with a DST change has 23 or 25 hours.
         * timegm() only normalises the date here ("March 0" is February's last day). */
        tm.tm_mday -= days_back;
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        t = timegm(&tm);
        gmtime_r(&t, &tm);
        TimeFields tf = { .year = tm.tm_year + 1900, .month = tm.tm_mon + 1, .day = tm.tm_mday };
        return time_fields_to_usec(&tf);
}

int time_parse_user(const char *s, usec_t now, usec_t *ret) {
        if (!s || !*s)
                return -EINVAL;
        if (streq(s, "now")) {
                *ret = now;
                return 0;
        }
        if (streq(s, "today") || streq(s, "yesterday")) {
                *ret = local_midnight(now, streq(s, "yesterday"));
                return 0;
        }
        if (s[0] == '-' || s[0] == '+')
                return parse_relative(s, now, ret);
        if (s[0] == '@') {
                char *end;
                errno = 0;
                long long v = strtoll(s + 1, &end, 10);
                if (errno || *end || end == s + 1)
                        return -EINVAL;
                usec_t t;
                if (__builtin_mul_overflow((usec_t) v, USEC_PER_SEC, &t))
                        return -ERANGE;        /* beyond what µs since 1970 can hold */
                *ret = t;
                return 0;
        }

        size_t n = strlen(s);
        TimeFields tf = { 0 };
        if (n == 10 && parse_fixed(s, n, 4, &tf.year) && s[4] == '-' && parse_fixed(s + 5, 5, 2, &tf.month) &&
            s[7] == '-' && parse_fixed(s + 8, 2, 2, &tf.day) && valid_date(tf.month, tf.day)) {
                *ret = time_fields_to_usec(&tf);
                return 0;
        }
        /* "YYYY-MM-DD HH:MM" without seconds: add them. */
        char buf[64];
        if (n == 16 && s[13] == ':') {
                snprintf(buf, sizeof buf, "%s:00", s);
                s = buf;
                n = strlen(s);
        }
        size_t used = time_parse_iso(s, n, &tf);
        if (used == 0 || used != n)
                return -EINVAL;
        *ret = time_fields_to_usec(&tf);
        return 0;
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
