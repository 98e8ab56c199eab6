/* process-util.h: starting a child from an argv (never a shell command line built here), waiting
 * for it and stopping it, also when cascade is interrupted. Used by scan (collect and --exec) and
 * by collect's ssh jobs (their own process group, spool files as stdout/stderr, a poll instead of
 * a wait). Nothing here logs: -errno, exit statuses and wait statuses for the caller to report;
 * the one line written on an interrupt is the verb's own text (process_interrupt_catch()). */
#pragma once

#include <sys/types.h>

#include "macro.h"

typedef struct ProcessOptions {
        int stdin_fd;          /* becomes the child's stdin; -1: inherited */
        int stdout_fd;         /* ... stdout; -1: inherited */
        int stderr_fd;         /* ... stderr; -1: inherited */
        bool new_group;        /* a process group of its own: process_kill_group() then reaches
                                * whatever it starts (ssh's ProxyCommand) */
        bool search_path;      /* argv[0] looked up in $PATH (execvp); else path is used as is */
        const char *exec_failed; /* written to the child's stderr when exec fails; NULL: nothing */
        bool stop_on_interrupt; /* stopped when cascade is interrupted (process_interrupt_catch()): with
                                 * new_group its group is killed, else it is passed the signal and
                                 * waited for. With new_group it also dies with cascade, of a
                                 * kill -9 too (PR_SET_PDEATHSIG) */
} ProcessOptions;

#define PROCESS_OPTIONS_INIT { .stdin_fd = -1, .stdout_fd = -1, .stderr_fd = -1 }

/* The exit status a child that could not be executed ends with (as a shell does). */
#define PROCESS_EXEC_FAILED 127

/* Fork and exec path (or argv[0] with search_path) with argv. Our stdio buffers are flushed first.
 * A failed exec shows as exit status PROCESS_EXEC_FAILED. Returns 0 and *ret_pid, or -errno when no
 * child could be made. */
int process_spawn(const char *path, char *const argv[], const ProcessOptions *o, pid_t *ret_pid);

/* Wait for pid. block false: 0 while it still runs. 1 when it ended, with its wait status
 * (waitpid()'s, for WIFEXITED() and friends) in *ret_wstatus; -errno when it cannot be waited for
 * (-ECHILD: not our child, or reaped already). EINTR is retried. */
int process_wait(pid_t pid, bool block, int *ret_wstatus);

/* A wait status as one number, as a shell shows it: the exit status, or 128 + the signal. */
int process_exit_status(int wstatus);

/* Spawn, wait, and return process_exit_status() (>= 0), or -errno when it could not start. */
int process_run(const char *path, char *const argv[], const ProcessOptions *o);

/* SIGKILL pid's process group (process_spawn() with new_group) and reap pid. */
void process_kill_group(pid_t pid);

/* How many children with stop_on_interrupt may run at once (collect: two ssh per node); one more
 * is refused with -ENOBUFS. */
#define PROCESS_STOP_MAX 512

/* From now on SIGINT, SIGTERM and SIGHUP stop the children started with stop_on_interrupt, write
 * line to stderr (copied, at most 510 bytes; on a terminal, after a line break: not behind the
 * "^C" it echoed) and kill cascade with the same signal, so that the exit status a shell shows is
 * 128 + the signal (130, 143, 129) and a calling shell loop stops as well (which an exit(130)
 * would not tell it). Dying there is safe for the database: SQLite rolls the transaction under
 * way back at the next open, and each committed batch holds its source's resume point. A signal
 * that was ignored when cascade started (nohup, a background job of a script) stays ignored, for
 * cascade and its children. For verbs that write the database; -errno if sigaction() fails. */
int process_interrupt_catch(const char *line);
