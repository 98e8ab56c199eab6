/* correlate-model.h: an empty Analysis of named nodes for the correlator's and the reports' unit
 * tests to fill by hand (included by those tests only; cmocka's headers come first). */
#pragma once

#include "correlate.h"

/* n nodes named names[i] (NULL: "pve1", "pve2"...), node rows 1..n, each with logs of its own;
 * nothing else known. */
static inline Analysis *model_of(const char *const *names, int n_nodes) {
        Analysis *a = calloc(1, sizeof *a);
        assert_non_null(a);
        a->since = a->until = USEC_INVALID;
        a->reference_node = -1;
        a->nodes = calloc((size_t) n_nodes, sizeof *a->nodes);
        assert_non_null(a->nodes);
        a->n_nodes = a->n_nodes_alloc = (size_t) n_nodes;
        for (int i = 0; i < n_nodes; i++) {
                char name[16];
                snprintf(name, sizeof name, "pve%d", i + 1);
                a->nodes[i].name = strdup(names ? names[i] : name);
                a->nodes[i].node_id = i + 1;
                a->nodes[i].has_logs = true;
        }
        return a;
}
