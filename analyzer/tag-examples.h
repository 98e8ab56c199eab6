/* tag-examples.h: replaying the library's own examples and counter-examples (`cascade patterns
 * test`, and the test suite): every example must match its rule with the expected captures, every
 * counter must not. */
#pragma once

#include "tag-patterns.h"

typedef void (*ExampleFailFn)(void *userdata, const char *file, unsigned line, const char *rule_id, const char *what);

/* Returns the number of failures (0: all good) or -errno. Checks examples of every rule in set. */
int pattern_set_check_examples(const PatternSet *set, ExampleFailFn fail, void *userdata, unsigned *ret_checked);
