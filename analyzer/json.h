/* json.h: JSON text output: strings escaped so that any log bytes give valid JSON. */
#pragma once

#include "strbuf.h"

/* Append s as a quoted JSON string. Invalid UTF-8 becomes U+FFFD; control characters are escaped. */
int json_append_string(StrBuf *out, const char *s, size_t len);
