/* pager.c: colour decision and the pager (pager.h). */
#include <fcntl.h>
#include <signal.h>

#include "pager.h"
#include "process-util.h"

static pid_t pager_pid;
static int saved_stdout = -1;  /* the terminal, given back by pager_close() */

int color_mode_from_string(const char *s) {
        if (streq(s, "auto"))
                return COLOR_AUTO;
        if (streq(s, "never") || streq(s, "no") || streq(s, "none"))
                return COLOR_NEVER;
        if (streq(s, "always") || streq(s, "yes") || streq(s, "force"))
                return COLOR_ALWAYS;
        return -EINVAL;
}

/* TERM=dumb: a terminal that takes neither colour nor a pager's screen control. */
static bool term_dumb(const char *term) {
        return term && streq(term, "dumb");
}

bool color_decide(ColorMode mode, const char *no_color, const char *term, bool terminal) {
        if (mode != COLOR_AUTO)
                return mode == COLOR_ALWAYS;
        /* https://no-color.org: any non-empty value. */
        if (no_color && *no_color)
                return false;
        if (term_dumb(term))
                return false;
        return terminal;
}

const char *pager_pick(const char *cascade_pager, const char *pager) {
        const char *cmd = cascade_pager ? cascade_pager : pager ? pager : "less";
        /* "" and "cat" are how users say "no pager" (git, systemd). */
        if (!*cmd || streq(cmd, "cat"))
                return NULL;
        return cmd;
}

bool pager_wanted(const char *term, bool terminal) {
        return terminal && !term_dumb(term);
}

/* The pipe's write end becomes our stdout; the terminal is kept for pager_close(). */
static int redirect_stdout(int write_fd) {
        saved_stdout = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
        if (saved_stdout < 0)
                return -errno;
        if (dup2(write_fd, STDOUT_FILENO) < 0) {
                int r = -errno;
                close(saved_stdout);
                saved_stdout = -1;
                return r;
        }
        return 0;
}

int pager_open(const char *cmd) {
        if (pager_pid > 0)
                return 0;
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) < 0)
                return -errno;
        /* journalctl's less: quit if one screen (F), raw colours (R), chop long lines (S), keep the
         * screen (X), long prompt (M), quit on Ctrl-C (K). */
        (void) setenv("LESS", "FRSXMK", 0);
        char *argv[] = { (char *) "sh", (char *) "-c", (char *) cmd, NULL };
        ProcessOptions o = PROCESS_OPTIONS_INIT;
        o.stdin_fd = fds[0];
        o.search_path = true;
        pid_t pid;
        int r = process_spawn("sh", argv, &o, &pid);
        close(fds[0]);
        if (r >= 0 && (r = redirect_stdout(fds[1])) < 0) {
                close(fds[1]);
                kill(pid, SIGTERM);
                (void) process_wait(pid, true, &(int){ 0 });
                return r;
        }
        close(fds[1]);
        if (r < 0)
                return r;
        pager_pid = pid;
        return 0;
}

bool pager_active(void) {
        return pager_pid > 0;
}

void pager_close(void) {
        if (pager_pid <= 0)
                return;
        fflush(stdout);
        /* Closing our end of the pipe is the pager's end of file. */
        (void) dup2(saved_stdout, STDOUT_FILENO);
        close(saved_stdout);
        saved_stdout = -1;
        int ws;
        (void) process_wait(pager_pid, true, &ws);
        pager_pid = 0;
}
