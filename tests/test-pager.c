/* test-pager.c: the colour and pager decisions (pager.c), and a pager that gets our stdout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>

#include "pager.h"
#include "scratch-dir.h"

static void color(void **state) {
        assert_int_equal(color_mode_from_string("auto"), COLOR_AUTO);
        assert_int_equal(color_mode_from_string("always"), COLOR_ALWAYS);
        assert_int_equal(color_mode_from_string("never"), COLOR_NEVER);
        assert_int_equal(color_mode_from_string("Always"), -EINVAL);
        assert_int_equal(color_mode_from_string(""), -EINVAL);
        assert_true(color_decide(COLOR_AUTO, NULL, "xterm", true));
        assert_false(color_decide(COLOR_AUTO, NULL, "xterm", false));
        /* NO_COLOR: any non-empty value; an empty one does not count. */
        assert_false(color_decide(COLOR_AUTO, "1", "xterm", true));
        assert_true(color_decide(COLOR_AUTO, "", "xterm", true));
        assert_false(color_decide(COLOR_AUTO, NULL, "dumb", true));
        assert_true(color_decide(COLOR_AUTO, NULL, NULL, true));
        /* Asked for, it is what the user gets. */
        assert_true(color_decide(COLOR_ALWAYS, "1", "dumb", false));
        assert_false(color_decide(COLOR_NEVER, NULL, "xterm", true));
}

static void pick(void **state) {
        assert_string_equal(pager_pick(NULL, NULL), "less");
        assert_string_equal(pager_pick(NULL, "more"), "more");
        assert_string_equal(pager_pick("most", "more"), "most");
        /* An empty $CASCADE_PAGER says none, whatever $PAGER says. */
        assert_null(pager_pick("", "more"));
        assert_null(pager_pick(NULL, "cat"));
        assert_null(pager_pick(NULL, ""));
        assert_true(pager_wanted("xterm", true));
        assert_true(pager_wanted(NULL, true));
        assert_false(pager_wanted("dumb", true));
        assert_false(pager_wanted("xterm", false));
}

/* What we print while the pager runs reaches it; afterwards stdout is ours again. */
static void through_pager(void **state) {
        char dir[256], cmd[352], path[272];
        scratch_dir_make(dir, sizeof dir, "pager");
        snprintf(path, sizeof path, "%s/out", dir);
        snprintf(cmd, sizeof cmd, "cat > %s", path);
        int before = fcntl(STDOUT_FILENO, F_GETFL);
        assert_int_equal(pager_open(cmd), 0);
        assert_true(pager_active());
        assert_int_equal(pager_open(cmd), 0);  /* one pager */
        printf("paged line\n");
        pager_close();
        assert_false(pager_active());
        assert_int_equal(fcntl(STDOUT_FILENO, F_GETFL), before);
        FILE *f = fopen(path, "re");
        assert_non_null(f);
        char line[64] = "";
        assert_non_null(fgets(line, sizeof line, f));
        assert_string_equal(line, "paged line\n");
        fclose(f);
        scratch_dir_remove(dir);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(color),
                cmocka_unit_test(pick),
                cmocka_unit_test(through_pager),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
