/* store-event.h: the store's event writer (store-event.c), as store.c drives it. The public
 * event calls (store_event_add(), store_last_event_id()) are in store.h. */
#pragma once

#include "store.h"

typedef struct EventWriter EventWriter;

EventWriter *event_writer_new(void);
void event_writer_free(EventWriter *ew);
/* At every transaction boundary: what the writer knows in memory and its unwritten events. */
void event_writer_forget(EventWriter *ew);
/* Before COMMIT: write the pending events and the widened node ranges. */
int store_events_flush(Store *s);
EventWriter *store_event_writer(Store *s);

static inline void bind_slice(sqlite3_stmt *st, int i, Slice v) {
        if (v.n == 0)
                sqlite3_bind_null(st, i);
        else
                sqlite3_bind_text(st, i, v.p, (int) v.n, SQLITE_STATIC);
}
