/* json.h: JSON text output: strings escaped so that any log bytes give valid JSON. */
#pragma once

#include "strbuf.h"

/* Append s as a quoted JSON string. Invalid UTF-8 becomes U+FFFD; control characters are escaped.
 * An allocation failure stays in out (strbuf_error()). */
void json_append_string(StrBuf *out, const char *s, size_t len);

/* In a flat JSON object of string values (what tag captures are), copy the decoded value of key
 * into buf (cut to size). false when the key is absent or the text is not such an object. */
bool json_object_get(const char *json, const char *key, char *buf, size_t size);

/* Whether len bytes of s are one JSON value, read strictly (RFC 8259): UTF-8, no control character
 * in a string, nesting at most 256 deep. Text that passes may be written into JSON output as is. */
bool json_is_valid(const char *s, size_t len);
/* Append valid JSON text (json_is_valid()) without the whitespace between its tokens: nested in a
 * JSON line, it keeps the line one line. */
void json_append_compact(StrBuf *out, const char *s, size_t len);
