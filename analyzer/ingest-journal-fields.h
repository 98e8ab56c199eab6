/* ingest-journal-fields.h: the journal fields cascade keeps, and how they become a LogRecord. Shared by the
 * export-stream, JSON and sd-journal readers so all three agree on identifier, pid and node. */
#pragma once

#include "ingest-record.h"

typedef struct JournalFields {
        Slice realtime;        /* __REALTIME_TIMESTAMP, decimal µs */
        Slice monotonic;       /* __MONOTONIC_TIMESTAMP */
        Slice cursor;          /* __CURSOR */
        Slice boot_id;         /* _BOOT_ID */
        Slice hostname;        /* _HOSTNAME */
        Slice ident;           /* SYSLOG_IDENTIFIER */
        Slice comm;            /* _COMM, the fallback identifier */
        Slice syslog_pid;      /* SYSLOG_PID, what the program said its pid was */
        Slice pid;             /* _PID, the fallback */
        Slice priority;        /* PRIORITY */
        Slice unit;            /* _SYSTEMD_UNIT */
        Slice message;         /* MESSAGE */
        Slice source_realtime; /* _SOURCE_REALTIME_TIMESTAMP: when the program logged, if it said */
} JournalFields;

/* Remember value if name is a field we keep; the first value of a multi-valued field wins. */
void journal_fields_set(JournalFields *f, Slice name, Slice value);

/* -EBADMSG with *ret_reason when a field we need is missing or malformed. */
int journal_fields_to_record(const JournalFields *f, LogRecord *r, const char **ret_reason);
/* The same for a reader that has the two times as numbers (sd-journal) rather than as the fields'
 * text: f's realtime and monotonic are not read. UINT64_MAX: no monotonic time. */
int journal_fields_to_record_at(const JournalFields *f, uint64_t realtime, uint64_t monotonic, LogRecord *r,
                                const char **ret_reason);

/* A journal cursor is s=SEQNUM_ID;i=SEQNUM;b=BOOT_ID;m=MONOTONIC;t=REALTIME;x=XOR_HASH, numbers in
 * hex. When its b, m and t are the event's own boot id, mono and ts, the stored cursor leaves them
 * out (s=..;i=..;x=..: 70 bytes less per journal event); the event_cursor view (schema/009) puts
 * them back. Returns the compact form, written into buf, or cursor itself when it does not have
 * that shape or its parts are not the event's. */
#define JOURNAL_CURSOR_COMPACT_MAX 128
Slice journal_cursor_compact(Slice cursor, Slice boot_id, usec_t mono, usec_t ts,
                             char buf[static JOURNAL_CURSOR_COMPACT_MAX]);
/* journal_cursor_compact() undone (as the view does in SQL), into buf; a whole cursor, or anything
 * not compact, is returned as it is. */
#define JOURNAL_CURSOR_MAX 256
Slice journal_cursor_expand(Slice cursor, Slice boot_id, usec_t mono, usec_t ts, char buf[static JOURNAL_CURSOR_MAX]);

/* Journal field names: [A-Z0-9_], not starting with a digit, at most 64 bytes. */
bool journal_field_name_valid(Slice name);
