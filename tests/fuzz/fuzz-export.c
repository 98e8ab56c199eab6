/* fuzz-export.c: the input as a journal export stream, read through the real (gzip-capable) reader;
 * each entry's cursor is compacted as ingest stores it. */
#include "fuzz.h"
#include "ingest-export.h"
#include "ingest-journal-fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Reader *rd = fuzz_reader(data, size);
        if (!rd)
                return 0;
        ExportParser ep;
        export_parser_init(&ep, rd);
        for (int i = 0; i < 100000; i++) {
                LogRecord rec;
                const char *reason;
                int r = export_parser_next(&ep, &rec, &reason);
                if (r == 0 || (r < 0 && r != -EBADMSG))
                        break;
                if (r > 0) {
                        char buf[JOURNAL_CURSOR_COMPACT_MAX];
                        Slice c = journal_cursor_compact(rec.cursor, rec.boot_id, rec.mono, rec.ts, buf);
                        fuzz_touch(c.p, c.n);
                        fuzz_touch(rec.message.p, rec.message.n);
                }
        }
        export_parser_done(&ep);
        reader_free(rd);
        return 0;
}
