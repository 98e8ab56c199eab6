/* log.h: diagnostics for program code (main.c, cli.c and verb-*.c). Stages return -errno and never log. */
#pragma once

#include "macro.h"

typedef enum LogLevel {
        LOG_LEVEL_ERROR,
        LOG_LEVEL_WARNING,
        LOG_LEVEL_NOTICE,
        LOG_LEVEL_INFO,
        LOG_LEVEL_DEBUG,
} LogLevel;

void log_set_level(LogLevel level);
LogLevel log_get_level(void);
/* The command being run (a static string), NULL before it is known: the prefix then names it. */
void log_set_verb(const char *verb);

/* Each writes "cascade VERB: <message>\n" ("cascade: " before a verb is known) to stderr when the level is enabled; the *_errno forms
 * append ": <strerror(-r)>" and return r (kept negative), so callers can `return log_error_errno(...)`. */
int log_full_errno(LogLevel level, int r, const char *fmt, ...) _printf_(3, 4);

#define log_error(...) log_full_errno(LOG_LEVEL_ERROR, 0, __VA_ARGS__)
#define log_warning(...) log_full_errno(LOG_LEVEL_WARNING, 0, __VA_ARGS__)
#define log_notice(...) log_full_errno(LOG_LEVEL_NOTICE, 0, __VA_ARGS__)
#define log_info(...) log_full_errno(LOG_LEVEL_INFO, 0, __VA_ARGS__)
#define log_debug(...) log_full_errno(LOG_LEVEL_DEBUG, 0, __VA_ARGS__)
#define log_error_errno(r, ...) log_full_errno(LOG_LEVEL_ERROR, (r), __VA_ARGS__)
#define log_warning_errno(r, ...) log_full_errno(LOG_LEVEL_WARNING, (r), __VA_ARGS__)
#define log_oom() log_full_errno(LOG_LEVEL_ERROR, -ENOMEM, "Out of memory")

/* Copy untrusted text for a terminal: control characters (C0, DEL, C1 as UTF-8) become '?',
 * invalid UTF-8 bytes become '?'. At most max_out-1 bytes; always NUL-terminated. */
void log_sanitize(const char *in, size_t len, char *out, size_t max_out);
