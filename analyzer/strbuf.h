/* strbuf.h: growable byte buffer (git's invariants: buf is never NULL, buf[len] == '\0'). */
#pragma once

#include "macro.h"

typedef struct StrBuf {
        char *buf;             /* len + 1 valid bytes; points at a static "" until the first append */
        size_t len;            /* bytes in use, excluding the terminating NUL */
        size_t alloc;          /* bytes allocated; 0 while buf is the static "" */
} StrBuf;

#define STRBUF_INIT { strbuf_empty, 0, 0 }
extern char strbuf_empty[];

int strbuf_grow(StrBuf *sb, size_t extra);
int strbuf_add(StrBuf *sb, const void *data, size_t len);
int strbuf_addstr(StrBuf *sb, const char *s);
int strbuf_addch(StrBuf *sb, char c);
int strbuf_addf(StrBuf *sb, const char *fmt, ...) _printf_(2, 3);
void strbuf_reset(StrBuf *sb);
void strbuf_release(StrBuf *sb);
/* Write all of sb to fd, resuming short writes: 0 or -errno. */
int strbuf_write_fd(const StrBuf *sb, int fd);
/* Hand the buffer to the caller (always malloc'ed, NUL-terminated); sb is reset. NULL on OOM. */
char *strbuf_detach(StrBuf *sb);
