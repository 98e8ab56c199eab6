/* strbuf.h: growable byte buffer (git's invariants: buf is never NULL, buf[len] == '\0').
 *
 * Errors are sticky, as in SQLite's sqlite3_str: an append that cannot allocate leaves the text as
 * it was and marks the buffer; every later append does nothing. Builders append without checking
 * and the owner asks strbuf_error() once, where it uses the text. strbuf_write_fd() and
 * strbuf_detach() check it themselves. strbuf_reset() and strbuf_release() forget the error: the
 * buffer starts a new, complete text, so a reused scratch buffer survives one failed record. */
#pragma once

#include "macro.h"

typedef struct StrBuf {
        char *buf;             /* len + 1 valid bytes; points at a static "" until the first append */
        size_t len;            /* bytes in use, excluding the terminating NUL */
        size_t alloc;          /* bytes allocated; 0 while buf is the static "" */
        int error;             /* 0, or the -errno of the first failed append since the last reset */
} StrBuf;

#define STRBUF_INIT { strbuf_empty, 0, 0, 0 }
extern char strbuf_empty[];

/* Room for extra more bytes (and the NUL) without another allocation. */
void strbuf_grow(StrBuf *sb, size_t extra);
void strbuf_add(StrBuf *sb, const void *data, size_t len);
void strbuf_addstr(StrBuf *sb, const char *s);
void strbuf_addch(StrBuf *sb, char c);
void strbuf_addf(StrBuf *sb, const char *fmt, ...) _printf_(2, 3);
/* 0, or why an append since the last reset was lost (-ENOMEM; -EINVAL for a bad format). */
static inline int strbuf_error(const StrBuf *sb) {
        return sb->error;
}
/* Empty the text and forget an error; the memory stays for the next text. */
void strbuf_reset(StrBuf *sb);
void strbuf_release(StrBuf *sb);
/* Write all of sb to fd, resuming short writes: 0 or -errno. Writes nothing when sb is in error. */
int strbuf_write_fd(const StrBuf *sb, int fd);
/* Hand the buffer to the caller (always malloc'ed, NUL-terminated); sb is released. NULL when sb is
 * in error (the incomplete text is freed) or on OOM. */
char *strbuf_detach(StrBuf *sb);
