/* utf8.h: UTF-8 validation, used to decide how a message is stored and how it is shown. */
#pragma once

#include "macro.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there are not valid UTF-8
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
size_t utf8_char_len(const char *s, size_t avail);

/* True when all len bytes are valid UTF-8 and none is NUL. */
bool utf8_is_clean_text(const char *s, size_t len);
