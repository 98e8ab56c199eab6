/* hash.c: 64-bit multiply-xorshift hash over 8-byte words (wyhash-like mixing, written here).
 * The dedup key of every event is a hash, so its output must never change between versions. */
#include <endian.h>

#include "hash.h"

#define K1 UINT64_C(0x9e3779b97f4a7c15)
#define K2 UINT64_C(0xbf58476d1ce4e5b9)
#define K3 UINT64_C(0x94d049bb133111eb)

static inline uint64_t mix(uint64_t x) {
        x ^= x >> 30;
        x *= K2;
        x ^= x >> 27;
        x *= K3;
        x ^= x >> 31;
        return x;
}

/* Little-endian on every host: dedup keys are stored, so a database must mean the same everywhere. */
static inline uint64_t load64(const unsigned char *p) {
        uint64_t v;
        memcpy(&v, p, 8);
        return le64toh(v);
}

void hasher_init(Hasher *hs, uint64_t seed) {
        hs->h = mix(seed ^ K1);
}

void hasher_add(Hasher *hs, const void *data, size_t len) {
        const unsigned char *p = data;
        uint64_t h = hs->h ^ (len * K1);

        while (len >= 8) {
                h = mix(h ^ load64(p)) * K1;
                p += 8;
                len -= 8;
        }
        uint64_t tail = 0;
        for (size_t i = 0; i < len; i++)
                tail |= (uint64_t) p[i] << (8 * i);
        hs->h = mix(h ^ tail ^ (len << 56));
}

void hasher_add_u64(Hasher *hs, uint64_t v) {
        hs->h = mix(hs->h ^ v) * K1;
}

uint64_t hasher_final(const Hasher *hs) {
        return mix(hs->h);
}

uint64_t hash64(const void *data, size_t len, uint64_t seed) {
        Hasher hs;
        hasher_init(&hs, seed);
        hasher_add(&hs, data, len);
        return hasher_final(&hs);
}
