/* conf.h: cascade.conf, the one configuration file of a machine. Its [cascade] section holds the
 * settings every command shares (the site's pattern directories, and `retain`: scan's and prune's
 * retention); [collect] and [node NAME] are collect's (collect.c reads and checks them).
 * The line syntax is shared: '#' starts a comment at the start of a line or after a blank, blanks
 * around keys and values are dropped, every key sits in a section. Nothing here logs. */
#pragma once

#include "time-util.h"

/* The machine's configuration, and the site rule directory that belongs to it: naming another
 * file (--config, $CASCADE_CONF) replaces both. */
#define CONF_DEFAULT_PATH "/etc/cascade/cascade.conf"
#define CONF_SITE_PATTERNS_DIR "/etc/cascade/patterns.d"

typedef struct ConfPatternDir {
        char *dir;             /* absolute path of a directory of *.patterns files */
        unsigned line;         /* where the file names it, for messages */
} ConfPatternDir;

typedef struct ConfSettings {
        char *path;            /* the file read; NULL when there was none (the default file is missing) */
        ConfPatternDir *patterns; /* `patterns = DIR`, repeatable, in the file's order */
        size_t n_patterns;
        size_t n_patterns_alloc;  /* capacity of patterns */
        usec_t retain;         /* `retain = DURATION` (systemd.time(7) span, > 0), µs; USEC_INVALID: not set */
} ConfSettings;

ConfSettings *conf_settings_free(ConfSettings *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(ConfSettings *, conf_settings_free);

/* Read the file's [cascade] section and check every section header. A file that does not exist
 * gives empty settings unless must_exist (a file the user named), then -ENOENT. -EINVAL with
 * *reterr_line (0: the whole file) and *reterr_reason (static text) on a bad line; -errno when it
 * cannot be read. */
int conf_settings_load(const char *path, bool must_exist, ConfSettings **ret, unsigned *reterr_line,
                       const char **reterr_reason);

/* Cut the comment of a line and the blanks around what is left; returns the trimmed text (in s). */
char *conf_strip_line(char *s);
