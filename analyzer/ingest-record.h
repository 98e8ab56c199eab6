/* ingest-record.h: LogRecord, what every parser (text, export, json, sd-journal) hands to ingest.
 * Fields are borrowed slices, valid until the parser's next call. */
#pragma once

#include "macro.h"
#include "time-util.h"

typedef enum RecordKind {
        RECORD_EVENT,          /* a log event */
        RECORD_BOOT_MARK,      /* journalctl "-- Reboot --" / "-- Boot <id> --": the next events are a new boot */
        RECORD_SKIP,           /* not an event and nothing to keep ("-- No entries --", blank line) */
} RecordKind;

typedef struct LogRecord {
        RecordKind kind;
        usec_t ts;             /* µs UTC by the node's clock */
        usec_t ts_prec;        /* resolution of ts in µs (1, 1000, 1000000) */
        usec_t mono;           /* monotonic µs since boot; -1 when unknown */
        usec_t uptime;         /* kernel printk stamp of a text kernel line, µs; -1 when none */
        Slice node;            /* _HOSTNAME or the syslog host field; empty when the line has none */
        Slice boot_id;         /* _BOOT_ID (32 hex) or the id of a "-- Boot <id> --" mark; may be empty */
        Slice ident;           /* SYSLOG_IDENTIFIER, else _COMM; empty when none */
        int64_t pid;           /* -1 when none */
        int priority;          /* 0..7, -1 when the source does not say */
        Slice unit;            /* _SYSTEMD_UNIT; empty when none */
        Slice message;
        Slice cursor;          /* journal cursor; empty when none */
        uint64_t line;         /* 1-based line (text) or entry (export/json) number; 0 for sd-journal */
} LogRecord;

static inline void log_record_reset(LogRecord *r) {
        *r = (LogRecord){ .kind = RECORD_EVENT, .ts = USEC_INVALID, .ts_prec = 1, .mono = -1,
                          .uptime = -1, .pid = -1, .priority = -1 };
}
