/* time-util.h: one time unit (usec_t, µs since the epoch, UTC) and every conversion into it:
 * syslog stamps without a year or zone, ISO 8601 / RFC 3339, user input (--since), and output. */
#pragma once

#include "macro.h"

typedef int64_t usec_t;

#define USEC_PER_SEC INT64_C(1000000)
#define USEC_PER_MSEC INT64_C(1000)
#define USEC_PER_MINUTE (60 * USEC_PER_SEC)
#define USEC_PER_HOUR (60 * USEC_PER_MINUTE)
#define USEC_PER_DAY (24 * USEC_PER_HOUR)
#define USEC_INVALID INT64_MIN

/* A parsed stamp before it is placed on the UTC axis. */
typedef struct TimeFields {
        int year;              /* 0 when the stamp has none (RFC 3164) */
        int month;             /* 1..12 */
        int day;               /* 1..31 */
        int hour, minute, second;
        int usec;              /* fraction of the second, µs */
        usec_t precision;      /* µs resolution the stamp carried: 1e6 for seconds, 1e3 for ms... */
        bool has_offset;       /* an explicit UTC offset (or Z) was given */
        int offset_sec;        /* east of UTC, seconds */
} TimeFields;

/* The language of a file's month names. journalctl's short output prints "%b %d %H:%M:%S" in the
 * language of LC_TIME ("Dez 03 08:10:48" in German, "déc. 03" in French, "дек 03", "12月 03"), so
 * besides English (the first check, as cheap as ever) the stamp parser knows the names glibc's
 * locales print, listed in analyzer/month-names.txt (one row per locale, compiled in).
 *
 * All but three of those names mean one month wherever they occur ("Dez", "déc.", "дек", "12月"),
 * and are read so in any file. "lip", "lis" and "srp" mean one month in Polish/Czech and the one
 * before in Croatian: they are read in the file's language, the locales (rows) that can have
 * printed every localized stamp seen so far. Each stamp narrows it: "paź" leaves Polish, "stu"
 * Croatian, and so does "lis 31" (Polish/Czech November has no 31st). So from the first stamp that
 * tells the languages apart on, every line of the file reads these names the same way. Before it
 * (a file that starts with one of the three), the reading of the row listed first in
 * month-names.txt wins, Polish/Czech (ten times the speakers of Croatian), the same on each such
 * line; that guess does not fix the language, so the first deciding stamp still decides. A stamp
 * none of the file's locales can have printed (logs of two nodes in one file) is read in its own
 * locales and leaves the language as it is.
 *
 * Zero-initialised = nothing seen yet. A parser keeps one per file (TextParser): a file read again
 * from a resume point starts undecided. */
typedef struct MonthLocale {
        uint64_t locales;      /* bit i: row i of month-names.txt can have printed every stamp seen; 0 = none seen */
        uint16_t last;         /* 1 + index of the name matched last (consecutive lines repeat it), 0 = none */
} MonthLocale;

/* Parse "Mmm dd HH:MM:SS[.frac]" (day zero- or space-padded; also the zh_CN "9 月 16 日 HH:MM:SS"),
 * the month name in English or, failing that, in any language of month-names.txt ("Dez", "déc.",
 * "de gen.", " 1月"; 1 to 6 blanks between name and day). Each line on its own: an ambiguous name
 * takes the first row's reading, unless only another's month has the day. Returns bytes consumed
 * (> 0) or 0 when s does not start with such a stamp. */
size_t time_parse_bsd(const char *s, size_t n, TimeFields *ret);

/* The same, reading localized names in the file's language *lc and narrowing it; *lc changes only
 * when a stamp is returned. lc = NULL is time_parse_bsd(). */
size_t time_parse_bsd_in(const char *s, size_t n, MonthLocale *lc, TimeFields *ret);

/* The language of one row of month-names.txt ("de_DE", "hr_HR/2.24"): to pin a file's language.
 * Returns 1 with *ret set, or 0 when there is no such row. */
int time_month_locale(const char *name, MonthLocale *ret);

/* Parse "YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|±HH:MM|±HHMM|±HH]". Returns bytes consumed or 0. */
size_t time_parse_iso(const char *s, size_t n, TimeFields *ret);

/* Select the zone that offset-less stamps are in: NULL or "" = the machine's zone.
 * -EINVAL when the zone is unknown (tzset() would otherwise fall back to UTC silently). */
int time_set_zone(const char *zone);

/* Place fields with a year on the UTC axis: their own offset if they carry one, else the zone. */
usec_t time_fields_to_usec(const TimeFields *tf);

/* Year inference for year-less stamps, streaming. With a fixed year (--year) that year is the first
 * line's, and a month going backwards by more than half a year (Dec -> Jan) moves to the next year.
 * With a reference time (the file's mtime), no line may lie after it: a date that would, belongs to
 * the year before (a file that ends in January keeps its December lines in the old year). */
typedef struct YearGuess {
        int fixed_year;        /* --year, 0 when unset */
        int year;              /* fixed mode: the year of the previous line */
        int last_month;        /* fixed mode: month of the previous line, 0 before the first */
        int ref_year;          /* reference mode: year of the reference time (in the zone) */
        int ref_month, ref_day;
} YearGuess;

void year_guess_init_fixed(YearGuess *g, int year);
void year_guess_init_reference(YearGuess *g, usec_t reference);
int year_guess_next(YearGuess *g, int month, int day);

/* --since/--until and every other time a user types: systemd.time(7)'s timestamps, read as
 * journalctl reads them (systemd's parse_timestamp()):
 *   [WEEKDAY ]DATE[ TIME][ ZONE]   DATE "2025-11-25" or "25-11-25", TIME "08:10[:48[.123456]]",
 *                                  or with T: "2025-11-25T08:10:48"; ZONE "UTC", "+01:00", "+0100",
 *                                  "+01", "Z", a zone of the database ("Europe/Berlin") or the
 *                                  zone's abbreviation ("CEST"); WEEKDAY must be the date's
 *   "2025-11-25T08:10:48Z", "2025-11-25T08:10:48+01:00"   RFC 3339, offset welded on
 *   TIME alone, "Nov 25 08:10:48"  today / this year
 *   now, today, yesterday, tomorrow (midnight), with a ZONE too ("today UTC")
 *   +SPAN, -SPAN, "SPAN ago", "SPAN left"   relative to now; SPAN "1h 30min", "1h30min", "1.5h"
 *   @SPAN                          since the epoch: "@1764059400.5"
 * Local times are in the zone of time_set_zone(). -EINVAL for what is not a time, -ERANGE for a
 * time before 1970 or after 9999-12-30. */
int time_parse_user(const char *s, usec_t now, usec_t *ret);

/* A time span as systemd.time(7) writes it ("90d", "1h 30min", "1.5h", "90" seconds): µs, or
 * -EINVAL / -ERANGE. */
int time_parse_span(const char *s, usec_t *ret);

usec_t now_usec(void);

/* "2025-11-25T08:10:48.123456Z" (fraction only when non-zero, trimmed to ms when it is whole ms). */
#define RFC3339_MAX 40
char *time_format_rfc3339(usec_t t, char buf[static RFC3339_MAX]);
/* The JSON and CSV outputs' time, always to the µs: "2025-11-25T08:10:48.123456Z", or with in_zone
 * in the zone of time_set_zone() with its offset, "2025-11-25T09:10:48.123456+01:00" (an offset of
 * zero is written Z, so --tz UTC changes nothing). */
char *time_format_rfc3339_usec(usec_t t, bool in_zone, char buf[static RFC3339_MAX]);
/* Local time in the zone: "2025-11-25 08:10:48" (+ ".mmm" when with_ms). */
char *time_format_local(usec_t t, bool with_ms, char buf[static RFC3339_MAX]);
