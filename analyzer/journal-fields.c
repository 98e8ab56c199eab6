/* journal-fields.c: field selection and conversion to LogRecord for every journal-shaped input. */
#include "journal-fields.h"

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
        uint64_t v;

        log_record_reset(r);
        if (!parse_u64(f->realtime, &v) || v > (uint64_t) INT64_MAX) {
                *ret_reason = f->realtime.p ? "__REALTIME_TIMESTAMP is not a number" : "entry has no __REALTIME_TIMESTAMP";
                return -EBADMSG;
        }
        r->ts = (usec_t) v;
        r->ts_prec = 1;
        if (parse_u64(f->monotonic, &v) && v <= (uint64_t) INT64_MAX)
                r->mono = (usec_t) v;
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
