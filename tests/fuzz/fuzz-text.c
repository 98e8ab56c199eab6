/* fuzz-text.c: every line of the input through the text-log parser (all formats). */
#include "fuzz.h"
#include "ingest-text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        TextParser tp = { .have_year = true };
        year_guess_init_fixed(&tp.year, 2025);
        const char *p = (const char *) data, *end = p + size;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t len = nl ? (size_t) (nl - p) : (size_t) (end - p);
                LogRecord rec;
                const char *reason;
                if (text_parse_line(&tp, (Slice){ p, len }, &rec, &reason) > 0 && rec.kind == RECORD_EVENT)
                        fuzz_touch(rec.message.p, rec.message.n);
                p += len + 1;
        }
        return 0;
}
