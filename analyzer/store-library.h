/* store-library.h: the pattern libraries that tagged the store (schema/010-library.sql): one row
 * per library, found by its content hash, which each tag row names by id. */
#pragma once

#include "store.h"

/* The schema step that added the library rows: older databases (read without migrating them)
 * have none, and their tags all come from meta 'tags_hash'. */
#define STORE_LIBRARY_SCHEMA 10

typedef struct LibraryRow {
        int64_t id;
        char *hash;            /* owned; 16 hex digits */
        char *sources;         /* owned; NULL: not recorded (tags made before schema 10) */
        int64_t rules;         /* -1: not recorded */
        usec_t first_used;     /* when it first tagged this store; USEC_INVALID: not recorded */
} LibraryRow;

void library_row_done(LibraryRow *r);

/* The id of the library hash, its row added (first used now) when the store has not seen it:
 * inside the caller's transaction. */
int store_library_ensure(Store *s, const char *hash, const char *sources, int64_t rules, int64_t *ret_id);
/* The row of hash: 1 with *ret filled, 0 when the store has none (or predates library rows). */
int store_library_find(Store *s, const char *hash, LibraryRow *ret);
/* The hash of the library row id (malloc'ed): 1, or 0 when there is no such row. */
int store_library_hash(Store *s, int64_t id, char **ret);
