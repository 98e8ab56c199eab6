/* ingest-stream.h: buffered byte stream over a file, stdin or a gzip file (zlib reads plain files as is).
 * Lines and counted blocks come back as borrowed slices valid until the next call. Memory is
 * bounded by the longest line or block, never by the stream. */
#pragma once

#include "macro.h"

typedef struct Reader Reader;

/* path "-" means stdin. */
int reader_open(const char *path, Reader **ret);
Reader *reader_free(Reader *r);
DEFINE_TRIVIAL_CLEANUP_FUNC(Reader *, reader_free);

/* Peek at up to n bytes without consuming them (for format detection). Returns bytes available. */
ssize_t reader_peek(Reader *r, size_t n, const char **ret);

/* Next line without its '\n' (a trailing '\r' is kept). Returns 1 and sets *ret_line, 0 at EOF,
 * -errno on a read error, -EBADMSG on a corrupt gzip stream. *ret_complete is false for a last line
 * that had no newline (a file still being written). Lines longer than max_line are cut, the rest
 * skipped, and *ret_cut set. */
int reader_line(Reader *r, Slice *ret_line, bool *ret_complete, bool *ret_cut);

/* Exactly n bytes (an export-format binary field). 1 on success, 0 on EOF before n, <0 on error. */
int reader_block(Reader *r, size_t n, Slice *ret);

/* Skip forward to a byte offset of the (decompressed) stream. */
int reader_skip_to(Reader *r, uint64_t offset);

/* Offset of the next unread byte of the (decompressed) stream. */
uint64_t reader_offset(const Reader *r);
/* Compressed bytes read so far (for progress against the file size). */
uint64_t reader_raw_offset(const Reader *r);
bool reader_is_compressed(const Reader *r);

#define READER_MAX_LINE (16u * 1024 * 1024)
