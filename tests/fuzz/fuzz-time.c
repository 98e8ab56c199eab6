/* fuzz-time.c: the input as every kind of time cascade parses (stamps, user times, formatting back). */
#include "fuzz.h"
#include "time-util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *s = fuzz_string(data, size);
        if (!s)
                return 0;
        TimeFields tf;
        char buf[RFC3339_MAX];
        if (time_parse_bsd(s, size, &tf) > 0 || time_parse_iso(s, size, &tf) > 0) {
                if (!tf.year)
                        tf.year = 2025;
                fuzz_touch(time_format_rfc3339(time_fields_to_usec(&tf), buf), 1);
        }
        usec_t t;
        if (time_parse_user(s, INT64_C(1764057600000000), &t) == 0)
                fuzz_touch(time_format_rfc3339(t, buf), 1);
        free(s);
        return 0;
}
