/* pager.h: colour and pager for terminal output (timeline text, query table), as journalctl does it.
 * A shared utility (libanalyzer, like process-util): it never logs; -errno for the caller to report.
 * The decisions are pure functions of the environment's values, so that tests can call them. */
#pragma once

#include "macro.h"

typedef enum ColorMode {
        COLOR_AUTO,            /* on a terminal, unless NO_COLOR or TERM=dumb */
        COLOR_NEVER,
        COLOR_ALWAYS,
} ColorMode;

/* "auto", "never", "always" (and the yes/no spellings of other tools); -EINVAL otherwise. */
int color_mode_from_string(const char *s);

/* Whether to colour: ALWAYS and NEVER say so; AUTO colours a terminal (or a pager, which shows on
 * one) unless no_color is non-empty or term is "dumb". no_color and term may be NULL. */
bool color_decide(ColorMode mode, const char *no_color, const char *term, bool terminal);

/* The pager command: cascade_pager, else pager, else "less"; NULL for none ("" or "cat"). */
const char *pager_pick(const char *cascade_pager, const char *pager);

/* Whether a pager is wanted at all: stdout a terminal that is not TERM=dumb. */
bool pager_wanted(const char *term, bool terminal);

/* Run cmd through 'sh -c' with our stdout redirected into a pipe to it (LESS=FRSXMK when LESS is
 * unset). Returns 0, or -errno when it could not be started (stdout is then unchanged). At most one
 * pager: a second call is a no-op. */
int pager_open(const char *cmd);
/* Whether pager_open() started one that still runs. */
bool pager_active(void);
/* Flush stdout, give the terminal back to stdout and wait for the pager; no-op without one. */
void pager_close(void);
