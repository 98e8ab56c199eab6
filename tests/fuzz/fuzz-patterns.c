/* fuzz-patterns.c: the input as a pattern file; what loads is matched against its own examples. */
#include "fuzz.h"
#include "tag-examples.h"
#include "tag-patterns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *text = fuzz_string(data, size);
        PatternSet *set = pattern_set_new();
        PatternError err;
        if (text && set && pattern_set_load_string(set, "fuzz.patterns", text, false, &err) >= 0)
                (void) pattern_set_check_examples(set, NULL, NULL, NULL);
        pattern_set_free(set);
        free(text);
        return 0;
}
