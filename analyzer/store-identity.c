/* store-identity.c: the in-memory identity tables behind store_event_add(). */
#include "hash.h"
#include "store-identity.h"

/* After a burst second the table is big: clearing it for every later second would cost more
 * than starting small again. */
#define KEEP_SLOTS 4096

static void forget_second(Identities *ids) {
        ids->have_second = false;
        ids->n_nodes = 0;
        if (ids->cap > KEEP_SLOTS) {
                free(ids->slots);
                ids->slots = NULL;
                ids->cap = 0;
        } else if (ids->used > 0)
                memset(ids->slots, 0, ids->cap * sizeof *ids->slots);
        ids->used = 0;
}

void identities_clear(Identities *ids) {
        ids->n_ranges = 0;
        forget_second(ids);
}

void identities_done(Identities *ids) {
        free(ids->ranges);
        free(ids->nodes);
        free(ids->slots);
        *ids = (Identities){ 0 };
}

NodeRange *identities_range(Identities *ids, int64_t node_id) {
        for (size_t i = 0; i < ids->n_ranges; i++)
                if (ids->ranges[i].node_id == node_id)
                        return &ids->ranges[i];
        return NULL;
}

int identities_add_range(Identities *ids, int64_t node_id, usec_t first, usec_t last, NodeRange **ret) {
        if (array_reserve(&ids->ranges, &ids->cap_ranges, ids->n_ranges + 1, sizeof *ids->ranges, 8) < 0)
                return -ENOMEM;
        NodeRange *r = &ids->ranges[ids->n_ranges++];
        *r = (NodeRange){ .node_id = node_id, .first = first, .last = last };
        *ret = r;
        return 0;
}

/* Integer division truncates in C as in SQL, and truncation never reorders: the stored seconds
 * are exactly first / USEC_PER_SEC .. last / USEC_PER_SEC. */
bool node_range_covers(const NodeRange *r, int64_t second) {
        return r->first != USEC_INVALID && second >= r->first / USEC_PER_SEC && second <= r->last / USEC_PER_SEC;
}

void node_range_widen(NodeRange *r, usec_t ts) {
        if (r->first == USEC_INVALID || ts < r->first)
                r->first = ts, r->dirty = true;
        if (r->last == USEC_INVALID || ts > r->last)
                r->last = ts, r->dirty = true;
}

bool identities_loaded(Identities *ids, int64_t second, int64_t node_id) {
        if (!ids->have_second || ids->second != second) {
                forget_second(ids);
                ids->have_second = true;
                ids->second = second;
                return false;
        }
        for (size_t i = 0; i < ids->n_nodes; i++)
                if (ids->nodes[i] == node_id)
                        return true;
        return false;
}

int identities_mark_loaded(Identities *ids, int64_t node_id) {
        if (array_reserve(&ids->nodes, &ids->cap_nodes, ids->n_nodes + 1, sizeof *ids->nodes, 4) < 0)
                return -ENOMEM;
        ids->nodes[ids->n_nodes++] = node_id;
        return 0;
}

static KnownEvent *slot_of(const Identities *ids, int64_t dedup) {
        size_t mask = ids->cap - 1;
        for (size_t i = hash64(&dedup, sizeof dedup, 0) & mask;; i = (i + 1) & mask)
                if (ids->slots[i].id == 0 || ids->slots[i].dedup == dedup)
                        return &ids->slots[i];
}

static int grow(Identities *ids) {
        size_t cap = MAX(ids->cap * 2, (size_t) 16);
        KnownEvent *old = ids->slots;
        size_t old_cap = ids->cap;
        ids->slots = calloc(cap, sizeof *ids->slots);
        if (!ids->slots) {
                ids->slots = old;
                return -ENOMEM;
        }
        ids->cap = cap;
        for (size_t i = 0; i < old_cap; i++)
                if (old[i].id != 0)
                        *slot_of(ids, old[i].dedup) = old[i];
        free(old);
        return 0;
}

int identities_add(Identities *ids, const KnownEvent *e) {
        if ((ids->used + 1) * 2 > ids->cap) {
                int r = grow(ids);
                if (r < 0)
                        return r;
        }
        KnownEvent *slot = slot_of(ids, e->dedup);
        if (slot->id == 0)
                ids->used++;
        *slot = *e;
        return 0;
}

KnownEvent *identities_find(Identities *ids, int64_t dedup) {
        if (ids->used == 0)
                return NULL;
        KnownEvent *slot = slot_of(ids, dedup);
        return slot->id != 0 ? slot : NULL;
}
