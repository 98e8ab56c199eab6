/* ingest-text.h: one line of text log into a LogRecord. Knows RFC 3164 (zero- or space-padded day,
 * journalctl short/short-precise, month names in English or in the language of the journalctl that
 * wrote them: "Dez 03 08:10:48"), ISO stamps (short-iso, rsyslog high precision), RFC 5424,
 * corosync's own logfile format (3.x and 1.x), and journalctl's "-- ... --" separator lines. */
#pragma once

#include "ingest-record.h"

typedef struct TextParser {
        YearGuess year;        /* for stamps without a year */
        bool have_year;        /* false: the caller must init `year` before the first year-less line */
        bool year_used;        /* a year-less stamp was read */
        MonthLocale months;    /* the language of the file's month names, decided as it is read (time-util.h) */
} TextParser;

/* Returns 1 with *ret filled (kind EVENT, BOOT_MARK or SKIP), or -EBADMSG with *ret_reason set to a
 * static explanation when the line has no recognisable stamp/shape. Never fails otherwise. */
int text_parse_line(TextParser *p, Slice line, LogRecord *ret, const char **ret_reason);

/* Priority a text message states itself (pmxcfs "[dcdb] crit: ", Perl daemons' "ERROR: "), or -1. */
int text_priority_from_message(Slice ident, Slice message);

/* Syslog/libqb priority names ("crit", "err", "error", "warning", "notice"...) to 0..7, or -1. */
int priority_from_name(Slice name);
