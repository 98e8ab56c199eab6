/* store-checkpoint.h: the background WAL checkpointer (store-checkpoint.c), as store.c drives it. */
#pragma once

#include "store.h"

typedef struct Checkpointer Checkpointer;

/* A pass per 8 MiB of WAL; the WAL starts over at 64 MiB, the interval of the foreground
 * checkpoint (store.c), so the database file is as current and the WAL as big either way. */
#define CHECKPOINT_PASS_BYTES (8 << 20)
#define CHECKPOINT_RESTART_BYTES (64 << 20)

/* Starts copying the WAL of the writer's database in a thread with its own connection, driven by
 * the writer's commits. The writer must stay open until checkpointer_stop(). */
int checkpointer_start(sqlite3 *writer, int page_size, int64_t pass_bytes, int64_t restart_bytes,
                       Checkpointer **ret);
int checkpointer_stop(Checkpointer *c);
