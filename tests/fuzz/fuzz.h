/* fuzz.h: what every libFuzzer target shares: input as a string or as a readable file. */
#pragma once

#include <sys/mman.h>

#include "ingest-stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Keep the optimiser from dropping the parse: read every byte of the result. */
static inline void fuzz_touch(const void *p, size_t n) {
        volatile unsigned char sink = 0;
        for (size_t i = 0; p && i < n; i++)
                sink ^= ((const unsigned char *) p)[i];
        (void) sink;
}

/* The next line of [*p, end), without its newline, and *p past it; false at the end. */
static inline bool fuzz_next_line(const char **p, const char *end, Slice *ret) {
        if (*p >= end)
                return false;
        const char *nl = memchr(*p, '\n', (size_t) (end - *p));
        *ret = (Slice){ *p, nl ? (size_t) (nl - *p) : (size_t) (end - *p) };
        *p += ret->n + 1;
        return true;
}

/* A NUL-terminated copy (inputs may contain NUL: the copy stops there, like a C caller would). */
static inline char *fuzz_string(const uint8_t *data, size_t size) {
        char *s = malloc(size + 1);
        if (s) {
                memcpy(s, data, size);
                s[size] = '\0';
        }
        return s;
}

/* The input as a file, through the real reader (which also takes gzip). */
static inline Reader *fuzz_reader(const uint8_t *data, size_t size) {
        int fd = memfd_create("fuzz", MFD_CLOEXEC);
        if (fd < 0)
                return NULL;
        Reader *rd = NULL;
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        if (write(fd, data, size) == (ssize_t) size && reader_open(path, &rd) < 0)
                rd = NULL;
        close(fd);
        return rd;
}
