/* macro.h: scope-bound cleanup, ownership hand-over and small helpers shared by every stage. */
#pragma once

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _likely_(x) __builtin_expect(!!(x), 1)
#define _unlikely_(x) __builtin_expect(!!(x), 0)

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Room for `need` elements of `size` bytes in the array *array_ptr (a pointer to the array's
 * pointer) whose capacity is *alloc: the capacity doubles, from `first`. On -ENOMEM the array
 * and *alloc stay as they were. */
static inline int array_reserve(void *array_ptr, size_t *alloc, size_t need, size_t size, size_t first) {
        if (need <= *alloc)
                return 0;
        size_t n = *alloc ? *alloc : first;
        while (n < need) {
                if (n > SIZE_MAX / 2)
                        return -ENOMEM;
                n *= 2;
        }
        void *p;
        memcpy(&p, array_ptr, sizeof p);
        if ((size && n > SIZE_MAX / size) || !(p = realloc(p, n * size)))
                return -ENOMEM;
        memcpy(array_ptr, &p, sizeof p);
        *alloc = n;
        return 0;
}

/* Take ownership out of a cleanup-managed variable: the cleanup then sees NULL. */
#define TAKE_PTR(p)                                   \
        __extension__({                               \
                __typeof__(p) _taken = (p);           \
                (p) = NULL;                           \
                _taken;                               \
        })

#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)       \
        static inline void func##p(type *p) {         \
                if (*p)                               \
                        func(*p);                     \
        }

static inline void freep(void *p) {
        free(*(void **) p);
}
#define _cleanup_free_ _cleanup_(freep)

static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

static inline void closep(int *fd) {
        if (*fd >= 0)
                close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

static inline bool streq(const char *a, const char *b) {
        return strcmp(a, b) == 0;
}

static inline bool streq_ptr(const char *a, const char *b) {
        if (!a || !b)
                return a == b;
        return strcmp(a, b) == 0;
}

static inline const char *strempty(const char *s) {
        return s ? s : "";
}

/* A borrowed byte range: log fields carry a length and may hold any byte. */
typedef struct Slice {
        const char *p;         /* first byte; may be NULL when n == 0 */
        size_t n;              /* length in bytes, no terminating NUL implied */
} Slice;

#define SLICE_NULL ((Slice){ NULL, 0 })
#define SLICE_STR(s) ((Slice){ (s), strlen(s) })

static inline bool slice_eq(Slice a, Slice b) {
        return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static inline bool slice_eq_str(Slice s, const char *str) {
        size_t n = strlen(str);
        return s.n == n && (n == 0 || memcmp(s.p, str, n) == 0);
}

static inline bool slice_startswith(Slice s, const char *prefix) {
        size_t n = strlen(prefix);
        return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static inline Slice slice_trim(Slice s) {
        while (s.n > 0 && (s.p[0] == ' ' || s.p[0] == '\t'))
                s.p++, s.n--;
        while (s.n > 0 && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' || s.p[s.n - 1] == '\r'))
                s.n--;
        return s;
}

/* A malloc'ed NUL-terminated copy of a slice, or NULL on OOM. */
char *slice_strdup(Slice s);
