/* test-fs-util.c: private directories and files, atomic replacement and scratch files (fs-util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "fs-util.h"
#include "scratch-dir.h"

typedef struct Fixture {
        char dir[256];         /* a fresh directory per test */
        mode_t umask;          /* the umask before the test */
} Fixture;

static int setup(void **state) {
        Fixture *f = calloc(1, sizeof *f);
        assert_non_null(f);
        scratch_dir_make(f->dir, sizeof f->dir, "fs-util");
        /* A permissive umask: the modes asserted are the ones asked for, not the umask's. */
        f->umask = umask(0);
        *state = f;
        return 0;
}

static int teardown(void **state) {
        Fixture *f = *state;
        umask(f->umask);
        scratch_dir_remove(f->dir);
        free(f);
        return 0;
}

static mode_t mode_of(const char *path) {
        struct stat st;
        if (lstat(path, &st) < 0)
                fail_msg("stat '%s': %s", path, strerror(errno));
        return st.st_mode & 07777;
}

static void read_text(const char *path, char *buf, size_t size) {
        FILE *in = fopen(path, "re");
        assert_non_null(in);
        size_t n = fread(buf, 1, size - 1, in);
        buf[n] = '\0';
        fclose(in);
}

static size_t n_entries(const char *dir) {
        DIR *d = opendir(dir);
        assert_non_null(d);
        size_t n = 0;
        for (struct dirent *e; (e = readdir(d));)
                n += !streq(e->d_name, ".") && !streq(e->d_name, "..");
        closedir(d);
        return n;
}

static void mkdir_private_creates_parents(void **state) {
        Fixture *f = *state;
        char path[320], parent[320];
        snprintf(path, sizeof path, "%s/a/b/c", f->dir);
        snprintf(parent, sizeof parent, "%s/a", f->dir);
        assert_int_equal(mkdir_private(path), 0);
        assert_int_equal(mode_of(path), 0700);
        assert_int_equal(mode_of(parent), 0700);
        /* Again: what exists is fine, and keeps its mode. */
        assert_int_equal(chmod(parent, 0755), 0);
        assert_int_equal(mkdir_private(path), 0);
        assert_int_equal(mode_of(parent), 0755);
        /* A trailing slash names the same directory. */
        strcat(path, "/");
        assert_int_equal(mkdir_private(path), 0);
}

static void mkdir_private_fails_under_a_file(void **state) {
        Fixture *f = *state;
        char file[320], path[330];
        snprintf(file, sizeof file, "%s/file", f->dir);
        FILE *out = fopen(file, "we");
        assert_non_null(out);
        fclose(out);
        snprintf(path, sizeof path, "%s/sub", file);
        assert_int_equal(mkdir_private(path), -ENOTDIR);
}

static void write_atomic_replaces(void **state) {
        Fixture *f = *state;
        char path[320], text[64];
        snprintf(path, sizeof path, "%s/metrics.prom", f->dir);
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, "first\n");
        assert_int_equal(write_atomic(path, &sb, 0644), 0);
        assert_int_equal(mode_of(path), 0644);
        read_text(path, text, sizeof text);
        assert_string_equal(text, "first\n");
        strbuf_reset(&sb);
        strbuf_addstr(&sb, "second\n");
        assert_int_equal(write_atomic(path, &sb, 0600), 0);
        assert_int_equal(mode_of(path), 0600);
        read_text(path, text, sizeof text);
        assert_string_equal(text, "second\n");
        /* No temporary file is left behind. */
        assert_int_equal(n_entries(f->dir), 1);
        strbuf_release(&sb);
}

/* A text that lost an append never replaces the file it was meant to replace. */
static void write_atomic_refuses_a_broken_text(void **state) {
        Fixture *f = *state;
        char path[320], text[64];
        snprintf(path, sizeof path, "%s/report.md", f->dir);
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, "good\n");
        assert_int_equal(write_atomic(path, &sb, 0600), 0);
        sb.error = -ENOMEM;    /* as an append that could not allocate leaves it */
        assert_int_equal(write_atomic(path, &sb, 0600), -ENOMEM);
        assert_int_equal(write_private(path, &sb), -ENOMEM);
        read_text(path, text, sizeof text);
        assert_string_equal(text, "good\n");
        assert_int_equal(n_entries(f->dir), 1);
        strbuf_release(&sb);
}

static void write_atomic_fails_cleanly(void **state) {
        Fixture *f = *state;
        char path[320];
        snprintf(path, sizeof path, "%s/missing/metrics.prom", f->dir);
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, "x\n");
        assert_int_equal(write_atomic(path, &sb, 0644), -ENOENT);
        /* The target is a directory: the rename fails and the temporary file goes. */
        snprintf(path, sizeof path, "%s/dir", f->dir);
        assert_int_equal(mkdir_private(path), 0);
        assert_int_equal(write_atomic(path, &sb, 0644), -EISDIR);
        assert_int_equal(n_entries(f->dir), 1);
        strbuf_release(&sb);
}

static void write_private_truncates_and_refuses_links(void **state) {
        Fixture *f = *state;
        char path[320], link[320], text[64];
        snprintf(path, sizeof path, "%s/report.md", f->dir);
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, "a longer first text\n");
        assert_int_equal(write_private(path, &sb), 0);
        assert_int_equal(mode_of(path), 0600);
        strbuf_reset(&sb);
        strbuf_addstr(&sb, "short\n");
        assert_int_equal(write_private(path, &sb), 0);
        read_text(path, text, sizeof text);
        assert_string_equal(text, "short\n");
        /* A link planted where the report goes does not redirect it. */
        snprintf(link, sizeof link, "%s/link.md", f->dir);
        assert_int_equal(symlink(path, link), 0);
        assert_int_equal(write_private(link, &sb), -ELOOP);
        strbuf_release(&sb);
}

/* A second holder (another open of the file, as another scan would) does not get the lock. */
static void lock_files(void **state) {
        Fixture *f = *state;
        char path[320];
        snprintf(path, sizeof path, "%s/cascade.db.lock", f->dir);
        int a = lock_file_open(path), b = lock_file_open(path);
        assert_true(a >= 0 && b >= 0);
        assert_int_equal(mode_of(path), 0600);
        assert_int_equal(lock_file_try(a), 1);
        assert_int_equal(lock_file_try(a), 1);   /* the holder again: still its own */
        assert_int_equal(lock_file_try(b), 0);
        close(a);
        assert_int_equal(lock_file_try(b), 1);
        close(b);
        /* Never through a symlink planted at the lock's path. */
        char link[330];
        snprintf(link, sizeof link, "%s/other.lock", f->dir);
        assert_int_equal(symlink(path, link), 0);
        assert_int_equal(lock_file_open(link), -ELOOP);
        assert_int_equal(lock_file_try(-1), -EBADF);
}

static size_t entries(const char *dir) {
        DIR *d = opendir(dir);
        assert_non_null(d);
        size_t n = 0;
        for (struct dirent *e; (e = readdir(d));)
                n += !streq(e->d_name, ".") && !streq(e->d_name, "..");
        closedir(d);
        return n;
}

/* collect's spools: private, gone from the directory at once, readable back through the fd. */
static void tmpfile_private_unlinked(void **state) {
        Fixture *f = *state;
        _cleanup_free_ char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
        assert_int_equal(setenv("TMPDIR", f->dir, 1), 0);
        int fd = tmpfile_private("cascade-collect");
        assert_true(fd >= 0);
        assert_int_equal(entries(f->dir), 0);
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_int_equal(st.st_mode & 07777, 0600);
        assert_int_equal(st.st_nlink, 0);
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        assert_int_equal(write(fd, "spooled", 7), 7);
        char buf[8] = "";
        assert_int_equal(pread(fd, buf, sizeof buf - 1, 0), 7);
        assert_string_equal(buf, "spooled");
        close(fd);
        /* A $TMPDIR that is not there: its error, nothing made elsewhere. */
        char missing[300];
        snprintf(missing, sizeof missing, "%s/missing", f->dir);
        assert_int_equal(setenv("TMPDIR", missing, 1), 0);
        assert_int_equal(tmpfile_private("cascade-collect"), -ENOENT);
        if (old)
                assert_int_equal(setenv("TMPDIR", old, 1), 0);
        else
                assert_int_equal(unsetenv("TMPDIR"), 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(mkdir_private_creates_parents, setup, teardown),
                cmocka_unit_test_setup_teardown(mkdir_private_fails_under_a_file, setup, teardown),
                cmocka_unit_test_setup_teardown(write_atomic_replaces, setup, teardown),
                cmocka_unit_test_setup_teardown(write_atomic_refuses_a_broken_text, setup, teardown),
                cmocka_unit_test_setup_teardown(write_atomic_fails_cleanly, setup, teardown),
                cmocka_unit_test_setup_teardown(write_private_truncates_and_refuses_links, setup, teardown),
                cmocka_unit_test_setup_teardown(lock_files, setup, teardown),
                cmocka_unit_test_setup_teardown(tmpfile_private_unlinked, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
