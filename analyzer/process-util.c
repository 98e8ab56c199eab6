/* process-util.c: spawn, wait for and kill children, and stop them when cascade is interrupted
 * (process-util.h). */
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "process-util.h"

/* Ctrl-C, a service stop, a closed terminal. */
static const int interrupt_signals[] = { SIGINT, SIGTERM, SIGHUP };

_Static_assert(sizeof(pid_t) <= sizeof(sig_atomic_t), "a pid must fit one atomic store");

/* The children an interrupt stops, as the signal handler reads them: 0 a free slot, -pgid a
 * process group to kill, pid a child to pass the signal to and wait for. A slot is one atomic
 * store: a handler running in another thread (SQLite's checkpointer) sees a child or not. Only
 * process_spawn() and the waits change slots, from the thread that spawned. */
static volatile sig_atomic_t stop_targets[PROCESS_STOP_MAX];
static char interrupt_line[512];
static size_t interrupt_line_len;
static bool interrupt_installed[ELEMENTSOF(interrupt_signals)]; /* our handler is set (not ignored at start) */
static volatile sig_atomic_t interrupt_seen; /* a handler is at work: another thread's signal waits for it */

static void interrupt_sigset(sigset_t *set) {
        sigemptyset(set);
        for (size_t i = 0; i < ELEMENTSOF(interrupt_signals); i++)
                sigaddset(set, interrupt_signals[i]);
}

/* In the child between fork() and exec: only async-signal-safe calls. The interrupt signals are
 * blocked on entry (process_spawn()); *mask is what to restore. */
_Noreturn static void child_exec(const char *path, char *const argv[], const ProcessOptions *o, pid_t parent,
                                 const sigset_t *mask) {
        /* Our handler would stop the parent's children: the child gets what it would have had. */
        for (size_t i = 0; i < ELEMENTSOF(interrupt_signals); i++)
                if (interrupt_installed[i])
                        signal(interrupt_signals[i], SIG_DFL);
        (void) sigprocmask(SIG_SETMASK, mask, NULL);
        if (o->new_group)
                (void) setpgid(0, 0);
        /* Its own group keeps the terminal's Ctrl-C from it: it dies with us instead, whatever
         * kills us. The parent may have died before the prctl(). */
        if (o->new_group && o->stop_on_interrupt &&
            (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent))
                _exit(PROCESS_EXEC_FAILED);
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

static ssize_t stop_slot_free(void) {
        for (size_t i = 0; i < PROCESS_STOP_MAX; i++)
                if (stop_targets[i] == 0)
                        return (ssize_t) i;
        return -ENOBUFS;
}

static void stop_forget(pid_t pid) {
        for (size_t i = 0; i < PROCESS_STOP_MAX; i++)
                if (stop_targets[i] == pid || stop_targets[i] == -pid)
                        stop_targets[i] = 0;
}

int process_spawn(const char *path, char *const argv[], const ProcessOptions *o, pid_t *ret_pid) {
        static const ProcessOptions defaults = PROCESS_OPTIONS_INIT;
        if (!o)
                o = &defaults;
        ssize_t slot = o->stop_on_interrupt ? stop_slot_free() : 0;
        if (slot < 0)
                return (int) slot;
        /* What we printed so far comes before anything the child prints to the same file. */
        fflush(NULL);
        /* Until the handler knows the child (and in the child until our handler is gone), an
         * interrupt waits. */
        sigset_t block, saved;
        interrupt_sigset(&block);
        (void) pthread_sigmask(SIG_BLOCK, &block, &saved);
        pid_t parent = getpid();
        pid_t pid = fork();
        if (pid == 0)
                child_exec(path, argv, o, parent, &saved);
        int r = pid < 0 ? -errno : 0;
        if (pid > 0) {
                /* Also here, so the group exists before any kill(); the child may have exec'd already. */
                if (o->new_group)
                        (void) setpgid(pid, pid);
                if (o->stop_on_interrupt)
                        stop_targets[slot] = o->new_group ? -pid : pid;
                *ret_pid = pid;
        }
        (void) pthread_sigmask(SIG_SETMASK, &saved, NULL);
        return r;
}

int process_wait(pid_t pid, bool block, int *ret_wstatus) {
        int ws;
        pid_t r;
        while ((r = waitpid(pid, &ws, block ? 0 : WNOHANG)) < 0)
                if (errno != EINTR)
                        return -errno;
        if (r == 0)
                return 0;
        stop_forget(pid);
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

/* ---- interrupts ---- */

/* In a signal handler: only async-signal-safe calls. */
static void stop_children(int sig) {
        for (size_t i = 0; i < PROCESS_STOP_MAX; i++) {
                pid_t target = stop_targets[i];
                if (target != 0)
                        (void) kill(target, target < 0 ? SIGKILL : sig);
        }
        /* As a shell waits for its foreground command: the child has its last word before ours. */
        for (size_t i = 0; i < PROCESS_STOP_MAX; i++) {
                pid_t target = stop_targets[i];
                if (target > 0)
                        while (waitpid(target, NULL, 0) < 0 && errno == EINTR)
                                ;
        }
}

static void on_interrupt(int sig) {
        /* Two signals at once in two threads: the first one speaks, and kills us. */
        if (__atomic_exchange_n(&interrupt_seen, 1, __ATOMIC_SEQ_CST))
                return;
        stop_children(sig);
        (void) !write(STDERR_FILENO, interrupt_line, interrupt_line_len);
        /* Blocked until this handler returns, then the default action: we die of the signal. */
        (void) signal(sig, SIG_DFL);
        (void) raise(sig);
}

int process_interrupt_catch(const char *line) {
        /* On a terminal, a line of its own: not after the "^C" it echoed, nor after a progress line. */
        size_t at = isatty(STDERR_FILENO) ? 1 : 0;
        interrupt_line[0] = '\n';
        interrupt_line_len = at + MIN(strlen(line), sizeof interrupt_line - 1 - at);
        memcpy(interrupt_line + at, line, interrupt_line_len - at);
        struct sigaction sa = { .sa_handler = on_interrupt, .sa_flags = SA_RESTART };
        interrupt_sigset(&sa.sa_mask);
        for (size_t i = 0; i < ELEMENTSOF(interrupt_signals); i++) {
                struct sigaction old;
                if (sigaction(interrupt_signals[i], NULL, &old) < 0)
                        return -errno;
                /* nohup, or a background job of a script: whoever started us wants it ignored. */
                if (old.sa_handler == SIG_IGN && !interrupt_installed[i])
                        continue;
                if (sigaction(interrupt_signals[i], &sa, NULL) < 0)
                        return -errno;
                interrupt_installed[i] = true;
        }
        return 0;
}
