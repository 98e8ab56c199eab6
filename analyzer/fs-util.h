/* fs-util.h: files and directories that hold log text: created private to their owner, and
 * replaced whole or not at all. Used by the store (its database directory), scan (reports and
 * metrics), report (-o FILE) and collect (its spool files). Nothing here logs: -errno for the
 * caller to say what failed. */
#pragma once

#include <sys/types.h>

#include "strbuf.h"

/* Create dir and every missing parent, each mode 0700 (whatever the umask allows). A directory that
 * exists already is left as it is. */
int mkdir_private(const char *dir);

/* Replace path with text through a temporary file in the same directory (mode, fsync, rename): a
 * reader, or a kill half-way, sees the old file or the new one, never a part. A text in error
 * (strbuf_error()) is refused with its error and the old file stays. */
int write_atomic(const char *path, const StrBuf *text, mode_t mode);

/* Write text to path, created mode 0600 or truncated; a symlink is refused (-ELOOP). A text in error
 * is refused before the file is touched. */
int write_private(const char *path, const StrBuf *text);

/* A lock file next to what it guards: opened (created mode 0600, never through a symlink) for
 * lock_file_try(). Returns the fd (O_CLOEXEC) or -errno. */
int lock_file_open(const char *path);
/* Take fd's exclusive lock (flock(), released when every copy of the fd is closed) without waiting:
 * 1 taken, 0 held by someone else for now (or interrupted: try again), -errno. */
int lock_file_try(int fd);

/* A private scratch file (collect's ssh spools): $TMPDIR (or /tmp)/NAME.XXXXXX, created mode 0600
 * and unlinked at once, so that nothing is left behind whatever happens to us. Returns the fd
 * (O_CLOEXEC, open for reading and writing) or -errno. */
int tmpfile_private(const char *name);
