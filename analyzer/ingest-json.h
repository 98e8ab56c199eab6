/* ingest-json.h: `journalctl -o json` lines: one flat object per line, values a string, null, a
 * number, an array of byte values (binary field) or an array of those (multi-valued field). */
#pragma once

#include "ingest-record.h"
#include "strbuf.h"

typedef struct JsonParser {
        StrBuf values;         /* decoded names and values of the current line */
        struct JsonFieldPos *fields; /* where each decoded field sits in `values` */
        size_t n_fields_alloc;
} JsonParser;

void json_parser_init(JsonParser *p);
void json_parser_done(JsonParser *p);

/* 1 and *ret (slices into p) for an entry; -EBADMSG with *ret_reason and *ret_column (1-based) for
 * a malformed line. */
int json_parser_line(JsonParser *p, Slice line, LogRecord *ret, const char **ret_reason, size_t *ret_column);
