/* fuzz-corosync-conf.c: the input as a corosync.conf, parsed into an in-memory store. */
#include "fuzz.h"
#include "ingest-corosync-conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static Store *store;
        if (!store && store_open(":memory:", STORE_READ_WRITE, &store) < 0)
                abort();
        Reader *rd = fuzz_reader(data, size);
        if (!rd)
                return 0;
        unsigned line;
        const char *reason;
        if (store_begin(store) < 0)
                abort();
        (void) corosync_conf_ingest(store, rd, 1, &line, &reason);
        store_rollback(store);
        reader_free(rd);
        return 0;
}
