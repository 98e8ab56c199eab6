/* fs-util.c: private directories, atomic and private file writes, scratch files (fs-util.h). */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "fs-util.h"

int mkdir_private(const char *dir) {
        _cleanup_free_ char *copy = strdup(dir);
        if (!copy)
                return -ENOMEM;
        /* Each parent in turn (mkdir -p): the first character is skipped, so "/" is never created. */
        for (char *p = copy + 1; *p; p++)
                if (*p == '/') {
                        *p = '\0';
                        if (mkdir(copy, 0700) < 0 && errno != EEXIST)
                                return -errno;
                        *p = '/';
                }
        if (mkdir(copy, 0700) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

/* Fill and close fd, the temporary file; the fd is closed whatever happens. */
static int write_tmp(int fd, const StrBuf *text, mode_t mode) {
        /* mkostemp() creates 0600; the final mode is set before any byte is written. */
        int r = fchmod(fd, mode) < 0 ? -errno : 0;
        if (r >= 0)
                r = strbuf_write_fd(text, fd);
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        return r;
}

int write_atomic(const char *path, const StrBuf *text, mode_t mode) {
        /* A text that lost part of itself must not replace the previous file. */
        int r = strbuf_error(text);
        if (r < 0)
                return r;
        _cleanup_free_ char *tmp = NULL;
        if (asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0)
                return -ENOMEM;
        int fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = write_tmp(fd, text, mode);
        if (r >= 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                unlink(tmp);
        return r;
}

int write_private(const char *path, const StrBuf *text) {
        int r = strbuf_error(text);
        if (r < 0)
                return r;
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return -errno;
        r = strbuf_write_fd(text, fd);
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        return r;
}

int lock_file_open(const char *path) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        return fd < 0 ? -errno : fd;
}

int lock_file_try(int fd) {
        if (flock(fd, LOCK_EX | LOCK_NB) >= 0)
                return 1;
        return errno == EWOULDBLOCK || errno == EINTR ? 0 : -errno;
}

int tmpfile_private(const char *name) {
        const char *dir = getenv("TMPDIR");
        _cleanup_free_ char *path = NULL;
        if (asprintf(&path, "%s/%s.XXXXXX", dir && *dir ? dir : "/tmp", name) < 0)
                return -ENOMEM;
        /* Logs hold secrets: mkostemp() creates the file 0600, fchmod() says so whatever the libc. */
        int fd = mkostemp(path, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fchmod(fd, 0600) < 0 || unlink(path) < 0) {
                int r = -errno;
                unlink(path);
                close(fd);
                return r;
        }
        return fd;
}
