/* json.h: JSON text output: strings escaped so that any log bytes give valid JSON. */
#pragma once

#include "strbuf.h"

/* Append s as a quoted JSON string. Invalid UTF-8 becomes U+FFFD; control characters are escaped.
 * An allocation failure stays in out (strbuf_error()). */
void json_append_string(StrBuf *out, const char *s, size_t len);

/* In a flat JSON object of string values (what tag captures are), copy the decoded value of key
 * into buf (cut to size). false when the key is absent or the text is not such an object. */
bool json_object_get(const char *json, const char *key, char *buf, size_t size);
