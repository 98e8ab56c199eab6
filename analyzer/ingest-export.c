/* ingest-export.c: export-stream reader. Field bytes are copied into one growing buffer per entry
 * and indexed by offsets, because the reader's slices die at its next call. */
#include <endian.h>

#include "ingest-export.h"
#include "ingest-journal-fields.h"

#define EXPORT_MAX_FIELD (64u * 1024 * 1024)
#define EXPORT_MAX_FIELDS 1024

typedef struct ExportFieldPos {
        size_t name_off, name_len, value_off, value_len;   /* offsets into ExportParser.entry */
} FieldPos;

void export_parser_init(ExportParser *p, Reader *reader) {
        *p = (ExportParser){ .reader = reader, .entry = STRBUF_INIT };
}

void export_parser_done(ExportParser *p) {
        strbuf_release(&p->entry);
        free(p->fields);
        p->fields = NULL;
}

bool export_looks_like(const char *buf, size_t n) {
        /* A first line NAME=... or NAME\n<binary> where NAME is a journal field name. */
        const char *end = memchr(buf, '\n', n);
        size_t len = end ? (size_t) (end - buf) : n;
        const char *eq = memchr(buf, '=', len);
        Slice name = { buf, eq ? (size_t) (eq - buf) : len };
        return (eq || end) && name.n >= 2 && journal_field_name_valid(name);
}

/* Skip to just after the next empty line, so one broken entry costs only itself. */
static int resync(ExportParser *p) {
        for (;;) {
                Slice line;
                bool complete, cut;
                int r = reader_line(p->reader, &line, &complete, &cut);
                if (r <= 0)
                        return r;
                p->line_no++;
                if (line.n == 0)
                        return 1;
        }
}

static int fail(ExportParser *p, const char *why, const char **ret_reason) {
        *ret_reason = why;
        p->error_line = p->line_no;
        /* A broken entry is still an entry: the numbers of the ones after it stay their positions,
         * as they do after an entry that only lacks its timestamp. */
        p->entry_no++;
        int r = resync(p);
        return r < 0 ? r : -EBADMSG;
}

static int read_binary_field(ExportParser *p, Slice name, FieldPos *pos, const char **ret_reason) {
        Slice sz;
        int r = reader_block(p->reader, 8, &sz);
        if (r <= 0)
                return r < 0 ? r : fail(p, "stream ends inside a binary field's size", ret_reason);
        uint64_t n;
        memcpy(&n, sz.p, 8);
        n = le64toh(n);
        if (n > EXPORT_MAX_FIELD)
                return fail(p, "binary field larger than 64 MiB", ret_reason);
        Slice data;
        r = reader_block(p->reader, (size_t) n + 1, &data);
        if (r <= 0)
                return r < 0 ? r : fail(p, "stream ends inside a binary field", ret_reason);
        if (data.p[n] != '\n')
                return fail(p, "binary field not followed by a newline", ret_reason);
        /* The data may contain newlines; count them so later line numbers stay right. */
        for (size_t i = 0; i < n; i++)
                p->line_no += data.p[i] == '\n';
        p->line_no++;
        pos->name_off = p->entry.len;
        pos->name_len = name.n;
        strbuf_add(&p->entry, name.p, name.n);
        pos->value_off = p->entry.len;
        pos->value_len = (size_t) n;
        strbuf_add(&p->entry, data.p, (size_t) n);
        return 1;
}

int export_parser_next(ExportParser *p, LogRecord *ret, const char **ret_reason) {
        size_t n_fields = 0;
        uint64_t start_line = 0;

        strbuf_reset(&p->entry);
        for (;;) {
                Slice line;
                bool complete, cut;
                int r = reader_line(p->reader, &line, &complete, &cut);
                if (r < 0)
                        return r;
                if (r == 0 || line.n == 0) {
                        if (r > 0)
                                p->line_no++;
                        if (n_fields == 0) {
                                if (r == 0)
                                        return 0;
                                continue;   /* extra blank lines between entries */
                        }
                        break;
                }
                p->line_no++;
                if (start_line == 0)
                        start_line = p->line_no;
                if (n_fields == EXPORT_MAX_FIELDS)
                        return fail(p, "entry has more than 1024 fields", ret_reason);
                if (array_reserve(&p->fields, &p->n_fields_alloc, n_fields + 1, sizeof *p->fields, 64) < 0)
                        return -ENOMEM;
                FieldPos *pos = &p->fields[n_fields];
                const char *eq = memchr(line.p, '=', line.n);
                Slice name = { line.p, eq ? (size_t) (eq - line.p) : line.n };
                if (!journal_field_name_valid(name))
                        return fail(p, "field name is not a journal field name", ret_reason);
                if (!eq) {
                        /* reader_block() may move the buffer: copy the name first. */
                        char name_copy[65];
                        memcpy(name_copy, name.p, name.n);
                        r = read_binary_field(p, (Slice){ name_copy, name.n }, pos, ret_reason);
                        if (r <= 0)
                                return r == 0 ? 0 : r;
                } else {
                        if (cut)
                                return fail(p, "field longer than 16 MiB", ret_reason);
                        pos->name_off = p->entry.len;
                        pos->name_len = name.n;
                        pos->value_off = p->entry.len + name.n;
                        pos->value_len = line.n - name.n - 1;
                        strbuf_add(&p->entry, line.p, name.n);
                        strbuf_add(&p->entry, eq + 1, pos->value_len);
                }
                n_fields++;
        }
        /* The offsets above are only right if every field made it into the buffer. */
        int r = strbuf_error(&p->entry);
        if (r < 0)
                return r;

        JournalFields jf = { 0 };
        for (size_t i = 0; i < n_fields; i++)
                journal_fields_set(&jf, (Slice){ p->entry.buf + p->fields[i].name_off, p->fields[i].name_len },
                                   (Slice){ p->entry.buf + p->fields[i].value_off, p->fields[i].value_len });
        p->entry_no++;
        r = journal_fields_to_record(&jf, ret, ret_reason);
        if (r < 0) {
                p->error_line = start_line;
                return r;
        }
        ret->line = p->entry_no;
        return 1;
}
