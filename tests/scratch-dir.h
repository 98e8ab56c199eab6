/* scratch-dir.h: a fresh directory per unit test, under $TMPDIR (else /tmp), and its removal with
 * everything in it. Include after <cmocka.h>: failures are test failures. */
#pragma once

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

/* dir (size bytes) becomes $TMPDIR/cascade-test-NAME-XXXXXX, created mode 0700. */
static inline void scratch_dir_make(char *dir, size_t size, const char *name) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, size, "%s/cascade-test-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
        assert_non_null(mkdtemp(dir));
}

static inline int scratch_remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st, (void) flag, (void) ftw;
        return remove(path);
}

static inline void scratch_dir_remove(const char *dir) {
        assert_int_equal(nftw(dir, scratch_remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}
