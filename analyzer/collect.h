/* collect.h: fetching every node's journal over ssh. The configuration (collect.c's top comment has
 * its format), the ssh command lines built as argv arrays (never a shell string), and running them
 * in parallel into private spool files under one deadline. Nothing here logs or touches the store:
 * verb-collect.c reports and ingests. */
#pragma once

#include <sys/types.h>

#include "time-util.h"

#define COLLECT_SINCE_DEFAULT "-7d"
#define COLLECT_TIMEOUT_DEFAULT 300
#define COLLECT_COMMAND_DEFAULT "journalctl -o export"
#define COLLECT_COROSYNC_CONF_DEFAULT "/etc/pve/corosync.conf"
#define COLLECT_NODE_NAME_MAX 64

typedef struct CollectNode {
        char *name;            /* [node NAME]: [A-Za-z0-9._-]{1,64}, not starting with '-' */
        char *target;          /* ssh destination, [user@]host; no shell metacharacters */
        unsigned port;         /* -p, 0 = ssh's own default */
        char **command;        /* remote command split on blanks, NULL-terminated, each word checked */
        char *corosync_conf;   /* remote path of corosync.conf, NULL = do not fetch ('none') */
        unsigned line;         /* config line of the [node] header, for messages */
} CollectNode;

typedef struct CollectConfig {
        char *path;            /* the file read, for messages */
        char *since;           /* first-run window as written (time_parse_user syntax), checked */
        unsigned timeout;      /* per-node deadline for the whole fetch, seconds */
        char **ssh_options;    /* each passed as -o OPT */
        size_t n_ssh_options;
        size_t n_ssh_options_alloc;    /* capacity of ssh_options */
        char *identity;        /* -i FILE, NULL = ssh's default keys */
        CollectNode *nodes;
        size_t n_nodes;
        size_t n_nodes_alloc;  /* capacity of nodes */
} CollectConfig;

CollectConfig *collect_config_free(CollectConfig *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(CollectConfig *, collect_config_free);

/* Read and check the whole file. -EINVAL with *reterr_line and *reterr_reason (static text) on a
 * bad line (a missing [node] target has the header's line); -errno when it cannot be read. */
int collect_config_load(const char *path, CollectConfig **ret, unsigned *reterr_line, const char **reterr_reason);
/* A configuration worth running collect for (scan asks before it does): readable, with a line that is
 * not blank nor a comment ('#' or ';' first) outside [cascade] sections. A missing file means no
 * nodes, not an error. Nothing more is checked: collect itself says what is wrong with a bad one. */
bool collect_config_usable(const char *path);

/* The nodes named (each once, in the configuration's order, however often or in whatever order
 * they are named), else every node: *ret (allocated, the caller frees it) holds *ret_n pointers
 * into c. -ENOENT with *reterr_name (one of names) for the first name that is not configured. */
int collect_select_nodes(const CollectConfig *c, char *const *names, size_t n_names, const CollectNode ***ret,
                         size_t *ret_n, const char **reterr_name);

bool collect_node_name_valid(const char *s);
/* A word the remote shell sees as itself: no blank, control character or shell metacharacter. */
bool collect_word_valid(const char *s);
/* An ssh destination: a valid word that does not start with '-' (ssh would take it as an option). */
bool collect_target_valid(const char *s);

/* ssh argv for fetching the journal: after CURSOR when there is one, else since `since` (µs). */
int collect_journal_argv(const CollectConfig *c, const CollectNode *n, const char *cursor, usec_t since, char ***ret);
/* ssh argv for `cat` of the node's corosync.conf. */
int collect_conf_argv(const CollectConfig *c, const CollectNode *n, char ***ret);
char **collect_argv_free(char **argv);

typedef enum CollectJobState {
        COLLECT_JOB_RUNNING,
        COLLECT_JOB_EXITED,    /* status holds the exit status */
        COLLECT_JOB_SIGNALED,  /* status holds the signal */
        COLLECT_JOB_TIMED_OUT, /* killed (the whole process group) at the deadline */
        COLLECT_JOB_FAILED,    /* could not be started; error holds -errno */
} CollectJobState;

/* One ssh run: stdout spooled to a private unlinked file, stderr to another. */
typedef struct CollectJob {
        char **argv;           /* owned */
        pid_t pid;             /* also the process group id; 0 when not running */
        int out_fd;            /* stdout spool, mode 0600, already unlinked; -1 when none */
        int err_fd;            /* stderr spool, same */
        CollectJobState state;
        int status;            /* exit status or signal, see state */
        int error;             /* -errno when state is COLLECT_JOB_FAILED */
} CollectJob;

/* Start argv (taking ownership) with its own process group, stdin /dev/null. Failures to start
 * are kept in the job (state FAILED), so the other jobs go on: this returns nothing. */
void collect_job_start(CollectJob *job, char **argv);
/* Wait until one of the jobs still running ends, or until deadline (µs, now_usec() clock), when
 * the process groups of the ones still running are killed (state TIMED_OUT). Returns how many
 * still run: 0 when every job is done; call again for the next one. Jobs run with
 * stop_on_interrupt: an interrupt (process_interrupt_catch()) kills them with cascade. */
size_t collect_jobs_wait(CollectJob *const *jobs, size_t n, usec_t deadline);
/* The first non-blank line ssh wrote on stderr (raw bytes, NUL-terminated, cut to size). */
void collect_job_stderr_line(const CollectJob *job, char *buf, size_t size);
/* true when the job ran to the end with exit status 0. */
bool collect_job_ok(const CollectJob *job);
void collect_job_done(CollectJob *job);
