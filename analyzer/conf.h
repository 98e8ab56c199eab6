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
/* Whether a value holds a control character (no path or name may). */
bool conf_has_control(const char *s);

/* ---- the file's syntax, for the parsers of its sections (this file's, collect.c's) ---- */

typedef enum ConfSection {
        CONF_SECTION_CASCADE,  /* [cascade]: every command's settings (this file) */
        CONF_SECTION_COLLECT,  /* [collect] (collect.c) */
        CONF_SECTION_NODE,     /* [node NAME] (collect.c) */
} ConfSection;

/* Where an error is and why: the walk sets line to the line it reads; a handler may point
 * elsewhere (a section's header), or at the whole file (0). */
typedef struct ConfError {
        unsigned line;
        const char *reason;    /* static text */
} ConfError;

static inline int conf_fail(ConfError *err, const char *reason) {
        err->reason = reason;
        return -EINVAL;
}

typedef struct ConfHandler {
        /* A section header; node is the name of a [node NAME], else NULL. */
        int (*section)(void *userdata, ConfSection section, const char *node, ConfError *err);
        /* key = value in the current section, both trimmed, the value never empty. */
        int (*key)(void *userdata, ConfSection section, const char *key, const char *value, ConfError *err);
        void *userdata;
} ConfHandler;

/* Read f line by line: blank and comment lines are skipped, section headers and keys go to h.
 * What no section may hold is refused here (-EINVAL, err set): a NUL byte, an unknown section, a
 * key before any section, a line that is neither, an empty value. A handler's < 0 ends the walk
 * with it. -errno when f cannot be read. */
int conf_walk(FILE *f, const ConfHandler *h, ConfError *err);
