/* fuzz-json.c: every line of the input as a `journalctl -o json` object. */
#include "fuzz.h"
#include "ingest-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        JsonParser jp;
        json_parser_init(&jp);
        const char *p = (const char *) data, *end = p + size;
        Slice line;
        while (fuzz_next_line(&p, end, &line)) {
                LogRecord rec;
                const char *reason;
                size_t column;
                if (json_parser_line(&jp, line, &rec, &reason, &column) > 0)
                        fuzz_touch(rec.message.p, rec.message.n);
        }
        json_parser_done(&jp);
        return 0;
}
