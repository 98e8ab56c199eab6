/* test-process-util.c: running children from an argv, their exit statuses, redirections, process
 * groups and polling, and what an interrupt does to them and to cascade (process-util.h). The
 * interrupt cases run in a child of the test, which the signal kills. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/prctl.h>
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

/* ---- interrupts ---- */

static void sleep_ms(long ms) {
        nanosleep(&(struct timespec){ .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000 * 1000 }, NULL);
}

/* In a child of the test cmocka's asserts would go on with the other tests there: a failed check
 * ends the child with status 99 instead, which the test sees. */
#define CHILD_CHECK(cond)                                                               \
        do {                                                                            \
                if (!(cond)) {                                                          \
                        dprintf(STDERR_FILENO, "%s:%d: %s failed\n", __FILE__, __LINE__, #cond); \
                        _exit(99);                                                      \
                }                                                                       \
        } while (0)

/* Run body in a child of the test with stderr to err; returns its wait status. */
static int in_child(void (*body)(int arg), int arg, int err) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                dup2(err, STDERR_FILENO);
                body(arg);
                _exit(0);
        }
        int ws;
        assert_int_equal(waitpid(pid, &ws, 0), pid);
        return ws;
}

/* The orphans of in_child() come to the test (a subreaper): reap them until pid's group is gone,
 * for at most 3 s. Returns whether it is gone. */
static bool group_gone(pid_t pgid) {
        for (int i = 0; i < 300; i++) {
                while (waitpid(-1, NULL, WNOHANG) > 0)
                        ;
                if (kill(-pgid, 0) < 0 && errno == ESRCH)
                        return true;
                sleep_ms(10);
        }
        return false;
}

static pid_t read_pid(int fd) {
        char text[32];
        spool_text(fd, text, sizeof text);
        return (pid_t) atoi(text);
}

/* The test child: an ssh-like job in its own group (its pid to the spool fd), then Ctrl-C. */
static void interrupted_with_group_child(int pid_fd) {
        CHILD_CHECK(process_interrupt_catch("cascade test: Interrupted\n") == 0);
        char *argv[] = { (char *) "sh", (char *) "-c", (char *) "sleep 30 & sleep 30", NULL };
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.new_group = o.stop_on_interrupt = true;
        pid_t pid;
        CHILD_CHECK(process_spawn("/bin/sh", argv, &o, &pid) == 0);
        dprintf(pid_fd, "%d", (int) pid);
        kill(getpid(), SIGINT);
        for (;;)
                pause();
}

/* collect's ssh run in groups of their own, which the terminal's Ctrl-C does not reach: the
 * interrupt kills them, says so once, and cascade dies of it (exit status 130 in a shell). */
static void interrupt_kills_group_and_dies(void **state) {
        int err = spool(), pid_fd = spool();
        int ws = in_child(interrupted_with_group_child, pid_fd, err);
        char text[128];
        spool_text(err, text, sizeof text);
        assert_string_equal(text, "cascade test: Interrupted\n");
        assert_true(WIFSIGNALED(ws));
        assert_int_equal(WTERMSIG(ws), SIGINT);
        assert_int_equal(process_exit_status(ws), 130);
        pid_t pid = read_pid(pid_fd);
        assert_true(pid > 0);
        assert_true(group_gone(pid));
        close(err);
        close(pid_fd);
}

/* The test child: a foreground child (scan's collect) that says when it got the signal. */
static void interrupted_with_foreground_child(int unused) {
        CHILD_CHECK(process_interrupt_catch("scan: Interrupted\n") == 0);
        int ready[2];
        CHILD_CHECK(pipe(ready) == 0);
        char *argv[] = { (char *) "sh", (char *) "-c",
                         (char *) "trap 'echo child: stopping >&2; exit 0' TERM; echo ready; "
                                  "while :; do sleep 0.05; done",
                         NULL };
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.stdout_fd = ready[1];
        o.stop_on_interrupt = true;
        pid_t pid;
        CHILD_CHECK(process_spawn("/bin/sh", argv, &o, &pid) == 0);
        close(ready[1]);
        char c;
        CHILD_CHECK(read(ready[0], &c, 1) == 1);
        kill(getpid(), SIGTERM);
        for (;;)
                pause();
}

/* scan's collect: passed the signal, and waited for, so that its last word comes first. */
static void interrupt_passed_to_child_and_waited(void **state) {
        int err = spool();
        int ws = in_child(interrupted_with_foreground_child, 0, err);
        char text[128];
        spool_text(err, text, sizeof text);
        assert_string_equal(text, "child: stopping\nscan: Interrupted\n");
        assert_true(WIFSIGNALED(ws));
        assert_int_equal(process_exit_status(ws), 143);
        close(err);
}

/* The test child: SIGINT ignored when it started, as for a background job of a script. */
static void ignored_at_start(int unused) {
        signal(SIGINT, SIG_IGN);
        CHILD_CHECK(process_interrupt_catch("Interrupted\n") == 0);
        kill(getpid(), SIGINT);
        char *argv[] = { (char *) "sh", (char *) "-c", (char *) "kill -INT $$; exit 4", NULL };
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.stop_on_interrupt = true;
        _exit(process_run("/bin/sh", argv, &o));
}

/* nohup, or a background job of a script: an ignored signal stays ignored, in the children too. */
static void interrupt_ignored_at_start_stays_ignored(void **state) {
        int err = spool();
        int ws = in_child(ignored_at_start, 0, err);
        char text[128];
        spool_text(err, text, sizeof text);
        assert_string_equal(text, "");
        assert_true(WIFEXITED(ws));
        assert_int_equal(WEXITSTATUS(ws), 4);
        close(err);
}

/* The test child: a job in its own group, then a kill -9, which no handler sees. */
static void killed_with_group_child(int pid_fd) {
        char *argv[] = { (char *) "sleep", (char *) "30", NULL };
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.new_group = o.stop_on_interrupt = o.search_path = true;
        pid_t pid;
        CHILD_CHECK(process_spawn(NULL, argv, &o, &pid) == 0);
        dprintf(pid_fd, "%d", (int) pid);
        raise(SIGKILL);
}

/* Even killed with -9, cascade takes the children of their own group with it. */
static void group_child_dies_with_parent(void **state) {
        int err = spool(), pid_fd = spool();
        int ws = in_child(killed_with_group_child, pid_fd, err);
        assert_true(WIFSIGNALED(ws));
        assert_int_equal(WTERMSIG(ws), SIGKILL);
        pid_t pid = read_pid(pid_fd);
        assert_true(pid > 0);
        assert_true(group_gone(pid));
        close(err);
        close(pid_fd);
}

/* The test child: more children than there are slots, one after the other. */
static void many_children_in_turn(int unused) {
        CHILD_CHECK(process_interrupt_catch("Interrupted\n") == 0);
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.stop_on_interrupt = true;
        char *argv[] = { (char *) "true", NULL };
        o.search_path = true;
        for (int i = 0; i < PROCESS_STOP_MAX + 10; i++)
                CHILD_CHECK(process_run(NULL, argv, &o) == 0);
        o.new_group = true;
        for (int i = 0; i < PROCESS_STOP_MAX + 10; i++) {
                pid_t pid;
                CHILD_CHECK(process_spawn(NULL, argv, &o, &pid) == 0);
                process_kill_group(pid);
        }
}

/* A child reaped or killed is forgotten: its slot is free again, and a later interrupt cannot
 * signal its pid, which another process may have by then. */
static void interrupt_slots_freed(void **state) {
        int err = spool();
        int ws = in_child(many_children_in_turn, 0, err);
        char text[256];
        spool_text(err, text, sizeof text);
        assert_string_equal(text, "");
        assert_true(WIFEXITED(ws));
        assert_int_equal(WEXITSTATUS(ws), 0);
        close(err);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(exit_statuses),
                cmocka_unit_test(exec_failure),
                cmocka_unit_test(redirections),
                cmocka_unit_test(search_path),
                cmocka_unit_test(poll_and_kill_group),
                cmocka_unit_test(wait_status),
                cmocka_unit_test(interrupt_kills_group_and_dies),
                cmocka_unit_test(interrupt_passed_to_child_and_waited),
                cmocka_unit_test(interrupt_ignored_at_start_stays_ignored),
                cmocka_unit_test(group_child_dies_with_parent),
                cmocka_unit_test(interrupt_slots_freed),
        };
        /* Orphans of the interrupted test children come here, to be reaped and checked. */
        (void) prctl(PR_SET_CHILD_SUBREAPER, 1);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
