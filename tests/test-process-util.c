/* test-process-util.c: running children from an argv, their exit statuses, redirections, process
 * groups and polling (process-util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "process-util.h"

static int sh(const char *script, const ProcessOptions *o) {
        char *argv[] = { (char *) "sh", (char *) "-c", (char *) script, NULL };
        return process_run("/bin/sh", argv, o);
}

/* A private temporary file, unlinked: the child writes to it, the test reads it back. */
static int spool(void) {
        FILE *f = tmpfile();
        assert_non_null(f);
        int fd = dup(fileno(f));
        fclose(f);
        assert_true(fd >= 0);
        return fd;
}

static void spool_text(int fd, char *buf, size_t size) {
        ssize_t n = pread(fd, buf, size - 1, 0);
        assert_true(n >= 0);
        buf[n] = '\0';
}

static void exit_statuses(void **state) {
        assert_int_equal(sh("exit 0", NULL), 0);
        assert_int_equal(sh("exit 3", NULL), 3);
        /* As a shell shows it: 128 + the signal. */
        assert_int_equal(sh("kill -TERM $$", NULL), 128 + SIGTERM);
}

static void exec_failure(void **state) {
        char *argv[] = { (char *) "no-such-program-cascade", NULL };
        int err = spool();
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.stderr_fd = err;
        o.exec_failed = "cannot execute it\n";
        assert_int_equal(process_run("/nonexistent/program", argv, &o), PROCESS_EXEC_FAILED);
        /* Looked up in $PATH, with the same outcome. */
        o.search_path = true;
        assert_int_equal(process_run(NULL, argv, &o), PROCESS_EXEC_FAILED);
        char text[128];
        spool_text(err, text, sizeof text);
        assert_string_equal(text, "cannot execute it\ncannot execute it\n");
        close(err);
}

/* scan sends a child's stdout to its own stderr: stdout stays one line per incident. */
static void redirections(void **state) {
        int in = spool(), out = spool(), err = spool();
        assert_int_equal(pwrite(in, "hello\n", 6, 0), 6);
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.stdin_fd = in;
        o.stdout_fd = out;
        o.stderr_fd = err;
        assert_int_equal(sh("read x; echo \"read $x\"; echo to-err >&2", &o), 0);
        char text[128];
        spool_text(out, text, sizeof text);
        assert_string_equal(text, "read hello\n");
        spool_text(err, text, sizeof text);
        assert_string_equal(text, "to-err\n");
        close(in);
        close(out);
        close(err);
}

static void search_path(void **state) {
        char *argv[] = { (char *) "sh", (char *) "-c", (char *) "exit 7", NULL };
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.search_path = true;
        assert_int_equal(process_run(NULL, argv, &o), 7);
}

/* collect's ssh: polled while it runs, then its whole group killed at the deadline. */
static void poll_and_kill_group(void **state) {
        char *argv[] = { (char *) "sh", (char *) "-c", (char *) "sleep 30 & sleep 30; exit 0", NULL };
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.new_group = true;
        pid_t pid;
        int ws = 0;
        assert_int_equal(process_spawn("/bin/sh", argv, &o, &pid), 0);
        assert_int_equal(getpgid(pid), pid);
        assert_int_equal(process_wait(pid, false, &ws), 0);
        process_kill_group(pid);
        /* Reaped: nothing is left to wait for, and the group is gone with the background sleep. */
        assert_int_equal(process_wait(pid, false, &ws), -ECHILD);
        for (int i = 0; i < 100 && kill(-pid, 0) == 0; i++)
                nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
        assert_int_equal(kill(-pid, 0), -1);
        assert_int_equal(errno, ESRCH);
}

static void wait_status(void **state) {
        char *argv[] = { (char *) "sh", (char *) "-c", (char *) "exit 5", NULL };
        pid_t pid;
        int ws = 0;
        assert_int_equal(process_spawn("/bin/sh", argv, NULL, &pid), 0);
        assert_int_equal(process_wait(pid, true, &ws), 1);
        assert_true(WIFEXITED(ws));
        assert_int_equal(WEXITSTATUS(ws), 5);
        assert_int_equal(process_exit_status(ws), 5);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(exit_statuses),
                cmocka_unit_test(exec_failure),
                cmocka_unit_test(redirections),
                cmocka_unit_test(search_path),
                cmocka_unit_test(poll_and_kill_group),
                cmocka_unit_test(wait_status),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
