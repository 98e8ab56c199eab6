/* ingest-journal-fields.c: field selection and conversion to LogRecord for every journal-shaped input. */
#include "ingest-journal-fields.h"

static bool parse_u64(Slice s, uint64_t *ret) {
        uint64_t v = 0;
        if (s.n == 0 || s.n > 19)
                return false;
        for (size_t i = 0; i < s.n; i++) {
                if (s.p[i] < '0' || s.p[i] > '9')
                        return false;
                v = v * 10 + (uint64_t) (s.p[i] - '0');
        }
        *ret = v;
        return true;
}

/* v as sd-journal and SQLite's printf('%x') write it: lowercase, no leading zeros. */
static size_t format_hex(char out[static 16], uint64_t v) {
        char tmp[16];
        size_t n = 0;
        do
                tmp[n++] = "0123456789abcdef"[v & 0xf];
        while ((v >>= 4) != 0);
        for (size_t i = 0; i < n; i++)
                out[i] = tmp[n - 1 - i];
        return n;
}

static bool equals_hex(Slice s, usec_t v) {
        char hex[16];
        return v >= 0 && s.n == format_hex(hex, (uint64_t) v) && memcmp(s.p, hex, s.n) == 0;
}

Slice journal_cursor_compact(Slice cursor, Slice boot_id, usec_t mono, usec_t ts,
                             char buf[static JOURNAL_CURSOR_COMPACT_MAX]) {
        static const char keys[] = "sibmtx";
        Slice part[6];
        if (!cursor.p)         /* an entry without a cursor: NULL + 0 is undefined behaviour */
                return cursor;
        const char *p = cursor.p, *end = cursor.p + cursor.n;
        for (size_t k = 0; k < 6; k++) {
                if (end - p < 2 || p[0] != keys[k] || p[1] != '=')
                        return cursor;
                const char *stop = memchr(p, ';', (size_t) (end - p));
                if ((k < 5) != (stop != NULL))
                        return cursor;
                /* Values hold no ';': the stored form has one ";x=", where the view puts b, m, t back. */
                part[k] = (Slice){ p + 2, (size_t) ((stop ? stop : end) - p - 2) };
                if (part[k].n == 0)
                        return cursor;
                p = stop ? stop + 1 : end;
        }
        if (!slice_eq(part[2], boot_id) || !equals_hex(part[3], mono) || !equals_hex(part[4], ts))
                return cursor;
        /* Assembled by hand: it runs for every journal event, and printf showed in profiles. */
        if (part[0].n + part[1].n + part[5].n + 8 > JOURNAL_CURSOR_COMPACT_MAX)
                return cursor;
        size_t n = 0;
        const struct { const char *key; Slice value; } out[] = {
                { "s=", part[0] }, { ";i=", part[1] }, { ";x=", part[5] } };
        for (size_t k = 0; k < ELEMENTSOF(out); k++) {
                size_t kl = strlen(out[k].key);
                memcpy(buf + n, out[k].key, kl);
                memcpy(buf + n + kl, out[k].value.p, out[k].value.n);
                n += kl + out[k].value.n;
        }
        return (Slice){ buf, n };
}

Slice journal_cursor_expand(Slice cursor, Slice boot_id, usec_t mono, usec_t ts,
                            char buf[static JOURNAL_CURSOR_MAX]) {
        const char *x = cursor.n > 0 ? memmem(cursor.p, cursor.n, ";x=", 3) : NULL;
        if (!x || memmem(cursor.p, cursor.n, ";b=", 3) || boot_id.n == 0 || mono < 0 || ts < 0 ||
            cursor.n + boot_id.n + 2 * 16 + 9 > JOURNAL_CURSOR_MAX)
                return cursor;
        size_t head = (size_t) (x - cursor.p), n = head;
        memcpy(buf, cursor.p, head);
        memcpy(buf + n, ";b=", 3);
        memcpy(buf + n + 3, boot_id.p, boot_id.n);
        n += 3 + boot_id.n;
        memcpy(buf + n, ";m=", 3);
        n += 3 + format_hex(buf + n + 3, (uint64_t) mono);
        memcpy(buf + n, ";t=", 3);
        n += 3 + format_hex(buf + n + 3, (uint64_t) ts);
        memcpy(buf + n, x, cursor.n - head);
        return (Slice){ buf, n + cursor.n - head };
}

bool journal_field_name_valid(Slice name) {
        if (name.n == 0 || name.n > 64 || (name.p[0] >= '0' && name.p[0] <= '9'))
                return false;
        for (size_t i = 0; i < name.n; i++) {
                char c = name.p[i];
                if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
                        return false;
        }
        return true;
}

void journal_fields_set(JournalFields *f, Slice name, Slice value) {
        static const struct {
                const char *name;
                size_t offset;
        } wanted[] = {
                { "MESSAGE", offsetof(JournalFields, message) },
                { "PRIORITY", offsetof(JournalFields, priority) },
                { "SYSLOG_IDENTIFIER", offsetof(JournalFields, ident) },
                { "SYSLOG_PID", offsetof(JournalFields, syslog_pid) },
                { "_PID", offsetof(JournalFields, pid) },
                { "_COMM", offsetof(JournalFields, comm) },
                { "_HOSTNAME", offsetof(JournalFields, hostname) },
                { "_BOOT_ID", offsetof(JournalFields, boot_id) },
                { "_SYSTEMD_UNIT", offsetof(JournalFields, unit) },
                { "__REALTIME_TIMESTAMP", offsetof(JournalFields, realtime) },
                { "__MONOTONIC_TIMESTAMP", offsetof(JournalFields, monotonic) },
                { "__CURSOR", offsetof(JournalFields, cursor) },
                { "_SOURCE_REALTIME_TIMESTAMP", offsetof(JournalFields, source_realtime) },
        };
        for (size_t i = 0; i < ELEMENTSOF(wanted); i++)
                if (slice_eq_str(name, wanted[i].name)) {
                        Slice *slot = (Slice *) ((char *) f + wanted[i].offset);
                        if (!slot->p)
                                *slot = value;
                        return;
                }
}

int journal_fields_to_record(const JournalFields *f, LogRecord *r, const char **ret_reason) {
        uint64_t realtime, monotonic;
        if (!parse_u64(f->realtime, &realtime)) {
                *ret_reason = f->realtime.p ? "__REALTIME_TIMESTAMP is not a number" : "entry has no __REALTIME_TIMESTAMP";
                return -EBADMSG;
        }
        if (!parse_u64(f->monotonic, &monotonic))
                monotonic = UINT64_MAX;
        return journal_fields_to_record_at(f, realtime, monotonic, r, ret_reason);
}

int journal_fields_to_record_at(const JournalFields *f, uint64_t realtime, uint64_t monotonic, LogRecord *r,
                                const char **ret_reason) {
        uint64_t v;

        log_record_reset(r);
        if (realtime > (uint64_t) INT64_MAX) {
                *ret_reason = "__REALTIME_TIMESTAMP is not a number";
                return -EBADMSG;
        }
        r->ts = (usec_t) realtime;
        r->ts_prec = 1;
        if (monotonic <= (uint64_t) INT64_MAX)
                r->mono = (usec_t) monotonic;
        r->cursor = f->cursor;
        if (f->boot_id.n == 32)
                r->boot_id = f->boot_id;
        r->node = f->hostname;
        r->ident = f->ident.n > 0 ? f->ident : f->comm;
        if (parse_u64(f->syslog_pid.n > 0 ? f->syslog_pid : f->pid, &v) && v <= INT32_MAX)
                r->pid = (int64_t) v;
        if (f->priority.n == 1 && f->priority.p[0] >= '0' && f->priority.p[0] <= '7')
                r->priority = f->priority.p[0] - '0';
        r->unit = f->unit;
        r->message = f->message;
        return 1;
}
