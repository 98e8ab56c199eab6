/* store-checkpoint.c: copies the WAL back into the database file in a thread of its own, so a
 * long ingest does not stop storing while SQLite's automatic checkpoint rewrites 64 MiB of pages.
 *
 * The writer's connection reports each commit's WAL size through SQLite's WAL hook (which also
 * turns the automatic checkpoint off). Every pass_bytes of new WAL the thread runs a passive
 * checkpoint on a connection of its own. SQLite only starts the WAL over when a write transaction
 * begins with every frame copied, so once the WAL reaches restart_bytes the writer waits for one
 * last pass: what it waits for is the tail written since the previous pass, not the whole WAL. */
#include <pthread.h>

#include "store-checkpoint.h"

struct Checkpointer {
        pthread_t thread;
        pthread_mutex_t lock;
        pthread_cond_t wake;      /* a pass was asked for, or stop */
        pthread_cond_t done;      /* a pass ended */
        sqlite3 *writer;          /* the writer's connection, whose hook this is */
        sqlite3 *db;              /* the thread's own connection */
        int64_t pass_frames, restart_frames;
        int asked_frames;         /* WAL size (frames) when the last pass was asked for */
        int copied_frames;        /* frames the last finished pass had copied (from the start) */
        unsigned passes_asked, passes_done;
        int error;                /* first failure (SQLite result code), reported at stop */
        bool stop;
};

static void *checkpoint_thread(void *userdata) {
        Checkpointer *c = userdata;
        pthread_mutex_lock(&c->lock);
        for (;;) {
                while (!c->stop && c->passes_done == c->passes_asked)
                        pthread_cond_wait(&c->wake, &c->lock);
                if (c->passes_done == c->passes_asked)
                        break;
                unsigned pass = c->passes_asked;
                pthread_mutex_unlock(&c->lock);

                /* Passive: never waits for readers or the writer; a reader holding an old snapshot
                 * only limits how far this pass gets, as it would limit SQLite's own checkpoint. */
                int copied = 0;
                int rc = sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, &copied);

                pthread_mutex_lock(&c->lock);
                if (rc != SQLITE_OK && rc != SQLITE_BUSY && c->error == SQLITE_OK)
                        c->error = rc;
                c->passes_done = pass;
                c->copied_frames = copied;
                pthread_cond_broadcast(&c->done);
        }
        pthread_mutex_unlock(&c->lock);
        return NULL;
}

/* Called by SQLite in the writer's thread after each commit, with the WAL's size in frames. */
static int wal_committed(void *userdata, sqlite3 *db, const char *schema, int frames) {
        Checkpointer *c = userdata;
        pthread_mutex_lock(&c->lock);
        if (frames < c->asked_frames)           /* the WAL started over */
                c->copied_frames = c->asked_frames = 0;
        bool restart = frames >= c->restart_frames;
        if (restart || frames - c->asked_frames >= c->pass_frames) {
                c->asked_frames = frames;
                c->passes_asked++;
                pthread_cond_signal(&c->wake);
        }
        if (restart && c->copied_frames < frames) {
                unsigned pass = c->passes_asked;
                while (c->passes_done != pass)
                        pthread_cond_wait(&c->done, &c->lock);
        }
        pthread_mutex_unlock(&c->lock);
        return SQLITE_OK;
}

static void checkpointer_free(Checkpointer *c) {
        sqlite3_close(c->db);
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->wake);
        pthread_cond_destroy(&c->done);
        free(c);
}

int checkpointer_start(sqlite3 *writer, int page_size, int64_t pass_bytes, int64_t restart_bytes,
                       Checkpointer **ret) {
        const char *path = sqlite3_db_filename(writer, "main");
        if (!path || !*path || page_size <= 0)
                return -EINVAL;         /* in-memory databases have no WAL */
        Checkpointer *c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        c->writer = writer;
        c->pass_frames = MAX(pass_bytes / page_size, (int64_t) 1);
        c->restart_frames = MAX(restart_bytes / page_size, (int64_t) 1);
        pthread_mutex_init(&c->lock, NULL);
        pthread_cond_init(&c->wake, NULL);
        pthread_cond_init(&c->done, NULL);
        int rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
        /* A connection finds the database in WAL mode on its first read; until then a
         * checkpoint is a no-op. */
        if (rc == SQLITE_OK)
                rc = sqlite3_exec(c->db, "PRAGMA schema_version", NULL, NULL, NULL);
        int r = rc != SQLITE_OK ? store_errno(rc) : -pthread_create(&c->thread, NULL, checkpoint_thread, c);
        if (r < 0) {
                checkpointer_free(c);
                return r;
        }
        sqlite3_wal_hook(writer, wal_committed, c);
        *ret = c;
        return 0;
}

/* Ends the thread after the pass it may be running; the writer's connection gets no hook (the
 * caller sets its automatic checkpoint again). Returns the first pass's failure, if any. */
int checkpointer_stop(Checkpointer *c) {
        if (!c)
                return 0;
        sqlite3_wal_hook(c->writer, NULL, NULL);
        pthread_mutex_lock(&c->lock);
        c->stop = true;
        pthread_cond_signal(&c->wake);
        pthread_mutex_unlock(&c->lock);
        pthread_join(c->thread, NULL);
        int r = store_errno(c->error);
        checkpointer_free(c);
        return r;
}
