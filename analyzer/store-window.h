/* store-window.h: index-backed time windows on the timeline and tagged views (store-window.c). */
#pragma once

#include <sqlite3.h>

/* Shadow the timeline and tagged views of db's main schema with virtual tables of the same name
 * in its temp schema, which turn comparisons of ts with text into ranges of the event_node_ts
 * index. For read-only connections (`cascade query`); a failure leaves the plain views. */
void store_window_install(sqlite3 *db);
