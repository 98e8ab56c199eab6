/* process-util.c: spawn, wait for and kill children (process-util.h). */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include "process-util.h"

/* In the child between fork() and exec: only async-signal-safe calls. */
_Noreturn static void child_exec(const char *path, char *const argv[], const ProcessOptions *o) {
        if (o->new_group)
                (void) setpgid(0, 0);
        /* A child inherits an ignored SIGPIPE; a writer to a closed pipe should die as usual. */
        signal(SIGPIPE, SIG_DFL);
        const int fds[] = { o->stdin_fd, o->stdout_fd, o->stderr_fd };
        for (int i = 0; i < (int) ELEMENTSOF(fds); i++) {
                if (fds[i] < 0)
                        continue;
                /* dup2() onto itself keeps close-on-exec: a descriptor that landed on 0-2 because
                 * cascade was started with one of them closed would be lost at exec. */
                int r = fds[i] == i ? fcntl(i, F_SETFD, 0) : dup2(fds[i], i);
                if (r < 0)
                        _exit(PROCESS_EXEC_FAILED);
        }
        if (o->search_path)
                execvp(argv[0], argv);
        else
                execv(path, argv);
        if (o->exec_failed)
                (void) !write(STDERR_FILENO, o->exec_failed, strlen(o->exec_failed));
        _exit(PROCESS_EXEC_FAILED);
}

int process_spawn(const char *path, char *const argv[], const ProcessOptions *o, pid_t *ret_pid) {
        static const ProcessOptions defaults = PROCESS_OPTIONS_INIT;
        if (!o)
                o = &defaults;
        /* What we printed so far comes before anything the child prints to the same file. */
        fflush(NULL);
        pid_t pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0)
                child_exec(path, argv, o);
        /* Also here, so the group exists before any kill(); the child may have exec'd already. */
        if (o->new_group)
                (void) setpgid(pid, pid);
        *ret_pid = pid;
        return 0;
}

int process_wait(pid_t pid, bool block, int *ret_wstatus) {
        int ws;
        pid_t r;
        while ((r = waitpid(pid, &ws, block ? 0 : WNOHANG)) < 0)
                if (errno != EINTR)
                        return -errno;
        if (r == 0)
                return 0;
        *ret_wstatus = ws;
        return 1;
}

int process_exit_status(int wstatus) {
        if (WIFSIGNALED(wstatus))
                return 128 + WTERMSIG(wstatus);
        return WEXITSTATUS(wstatus);
}

int process_run(const char *path, char *const argv[], const ProcessOptions *o) {
        pid_t pid;
        int ws;
        int r = process_spawn(path, argv, o, &pid);
        if (r >= 0)
                r = process_wait(pid, true, &ws);
        if (r < 0)
                return r;
        return process_exit_status(ws);
}

void process_kill_group(pid_t pid) {
        int ws;
        (void) kill(-pid, SIGKILL);
        (void) process_wait(pid, true, &ws);
}
