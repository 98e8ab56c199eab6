/* bench-util.h: what the benchmark programs share: a monotonic clock, whole logs read into
 * memory, and the text parser run over them line by line. */
#pragma once

#include "ingest-text.h"
#include "strbuf.h"

/* Seconds on the monotonic clock. */
double bench_seconds(void);

/* Append the whole file at path to out; a negative errno when it cannot be read or out is in
 * error (strbuf_error()), so a 0 means out holds all of it. */
int bench_read_file(const char *path, StrBuf *out);

/* The next event in text from *pos on, parsed by tp: 1 with *rec (slices into text) and *pos past
 * its line, 0 at the end. Lines that are no event are passed over. */
int bench_next_event(TextParser *tp, const StrBuf *text, size_t *pos, LogRecord *rec);
