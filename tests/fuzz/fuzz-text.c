/* fuzz-text.c: every line of the input through the text-log parser (all formats). */
#include "fuzz.h"
#include "ingest-text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        TextParser tp = { .have_year = true };
        year_guess_init_fixed(&tp.year, 2025);
        const char *p = (const char *) data, *end = p + size;
        Slice line;
        while (fuzz_next_line(&p, end, &line)) {
                LogRecord rec;
                const char *reason;
                if (text_parse_line(&tp, line, &rec, &reason) > 0 && rec.kind == RECORD_EVENT)
                        fuzz_touch(rec.message.p, rec.message.n);
        }
        return 0;
}
