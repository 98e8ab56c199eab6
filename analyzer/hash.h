/* hash.h: a fast 64-bit hash for event identity (dedup keys) and in-memory tables. Not cryptographic. */
#pragma once

#include "macro.h"

typedef struct Hasher {
        uint64_t h;            /* running state */
} Hasher;

void hasher_init(Hasher *hs, uint64_t seed);
void hasher_add(Hasher *hs, const void *data, size_t len);
void hasher_add_u64(Hasher *hs, uint64_t v);
uint64_t hasher_final(const Hasher *hs);

uint64_t hash64(const void *data, size_t len, uint64_t seed);
