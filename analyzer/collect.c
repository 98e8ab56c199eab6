/* collect.c: fetching every node's journal over ssh.
 *
 * Configuration file (default /etc/cascade/cascade.conf, `cascade collect --config FILE`):
 *
 *   # comments start with '#' at the start of a line or after a blank
 *   [collect]
 *   since = -7d            # window of a node's first collect (cascade --since syntax); later
 *                          # collects ask for what comes after the last stored journal cursor
 *   timeout = 300          # seconds each node has for the whole fetch; then ssh is killed
 *   ssh_option = UserKnownHostsFile=/etc/cascade/known_hosts   # repeatable, each passed as -o
 *   identity = /etc/cascade/id_ed25519                         # optional, passed as -i
 *
 *   [node pve1]            # name: letters, digits, '.', '_', '-' (not first), at most 64
 *   target = root@10.0.0.1 # ssh destination, required
 *   port = 22              # optional, passed as -p
 *   command = journalctl -o export          # optional, the default; remote command
 *   corosync_conf = /etc/pve/corosync.conf  # optional, the default; 'none' to skip
 *
 * Every ssh runs as an argv array, never through a local shell:
 *   ssh -o BatchMode=yes [-p PORT] [-i ID] [-o OPT]... -- TARGET COMMAND... --since=@EPOCH
 *   ssh ... -- TARGET COMMAND... '--after-cursor=CURSOR'
 *   ssh ... -- TARGET cat CorosyncConf
 * ssh joins the words after TARGET into one line for the remote shell, so targets, command words
 * and paths may hold no blank, control character or shell metacharacter; the cursor (which holds
 * ';') is checked to be [A-Za-z0-9=;] and single-quoted. ssh's host key checking is kept: an
 * ssh_option, read the way ssh reads it (keyword in any case, '=' or blanks, quoted value),
 * may set StrictHostKeyChecking only to yes, ask or accept-new, and UserKnownHostsFile not to
 * none, /dev/null or another character device. Keys outside a section, unknown keys or sections,
 * repeated keys (but ssh_option; [collect] may be split in several sections, each key once in all
 * of them) and a node without target are errors naming file:line. The [cascade] section of the same
 * file holds the settings every command shares: conf.c reads it, collect skips it. */
#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "collect.h"
#include "conf.h"
#include "fs-util.h"
#include "process-util.h"

/* ---- words ---- */

static const char shell_meta[] = ";|&$`'\"<>()*?{}[]\\";

bool collect_word_valid(const char *s) {
        if (!s || !*s)
                return false;
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                if (*p <= ' ' || *p == 0x7f || strchr(shell_meta, *p))
                        return false;
        return true;
}

bool collect_target_valid(const char *s) {
        return collect_word_valid(s) && s[0] != '-';
}

bool collect_node_name_valid(const char *s) {
        size_t n = strlen(s);
        if (n == 0 || n > COLLECT_NODE_NAME_MAX || s[0] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char) s[i]) && !strchr("._-", s[i]))
                        return false;
        return true;
}

/* A journal cursor is "s=...;i=...;b=...": it goes to the remote shell inside single quotes. */
static bool cursor_valid(const char *s) {
        if (!*s)
                return false;
        for (const char *p = s; *p; p++)
                if (!isalnum((unsigned char) *p) && *p != '=' && *p != ';')
                        return false;
        return true;
}

/* ---- argv ---- */

typedef struct Argv {
        char **v;              /* NULL-terminated once non-empty */
        size_t n, alloc;
        int error;             /* first -errno; later pushes are ignored */
} Argv;

static void argv_push(Argv *a, const char *fmt, ...) _printf_(2, 3);
static void argv_push(Argv *a, const char *fmt, ...) {
        if (a->error)
                return;
        if (array_reserve(&a->v, &a->alloc, a->n + 2, sizeof *a->v, 16) < 0) {
                a->error = -ENOMEM;
                return;
        }
        va_list ap;
        va_start(ap, fmt);
        int r = vasprintf(&a->v[a->n], fmt, ap);
        va_end(ap);
        if (r < 0) {
                a->error = -ENOMEM;
                return;
        }
        a->v[++a->n] = NULL;
}

char **collect_argv_free(char **argv) {
        for (char **p = argv; p && *p; p++)
                free(*p);
        free(argv);
        return NULL;
}

static int argv_finish(Argv *a, char ***ret) {
        if (a->error) {
                collect_argv_free(a->v);
                return a->error;
        }
        *ret = a->v;
        return 0;
}

/* Everything up to and including the destination. */
static void ssh_prefix(Argv *a, const CollectConfig *c, const CollectNode *n) {
        argv_push(a, "ssh");
        argv_push(a, "-o");
        argv_push(a, "BatchMode=yes");
        if (n->port) {
                argv_push(a, "-p");
                argv_push(a, "%u", n->port);
        }
        if (c->identity) {
                argv_push(a, "-i");
                argv_push(a, "%s", c->identity);
        }
        for (size_t i = 0; i < c->n_ssh_options; i++) {
                argv_push(a, "-o");
                argv_push(a, "%s", c->ssh_options[i]);
        }
        argv_push(a, "--");
        argv_push(a, "%s", n->target);
}

int collect_journal_argv(const CollectConfig *c, const CollectNode *n, const char *cursor, usec_t since, char ***ret) {
        if (cursor && !cursor_valid(cursor))
                return -EBADMSG;
        Argv a = { 0 };
        ssh_prefix(&a, c, n);
        for (char **w = n->command; *w; w++)
                argv_push(&a, "%s", *w);
        if (cursor)
                argv_push(&a, "'--after-cursor=%s'", cursor);
        else    /* journalctl takes @EPOCH: no blank, nothing for the remote shell to expand */
                argv_push(&a, "--since=@%" PRId64, since / USEC_PER_SEC);
        return argv_finish(&a, ret);
}

int collect_conf_argv(const CollectConfig *c, const CollectNode *n, char ***ret) {
        if (!n->corosync_conf)
                return -ENOENT;
        Argv a = { 0 };
        ssh_prefix(&a, c, n);
        argv_push(&a, "cat");
        argv_push(&a, "%s", n->corosync_conf);
        return argv_finish(&a, ret);
}

/* ---- configuration ---- */

static void node_done(CollectNode *n) {
        free(n->name);
        free(n->target);
        collect_argv_free(n->command);
        free(n->corosync_conf);
}

CollectConfig *collect_config_free(CollectConfig *c) {
        if (!c)
                return NULL;
        free(c->path);
        free(c->since);
        for (size_t i = 0; i < c->n_ssh_options; i++)
                free(c->ssh_options[i]);
        free(c->ssh_options);
        free(c->identity);
        for (size_t i = 0; i < c->n_nodes; i++)
                node_done(&c->nodes[i]);
        free(c->nodes);
        free(c);
        return NULL;
}

typedef struct ConfParser {
        CollectConfig *c;
        CollectNode *node;     /* the current [node] section, NULL in [collect] and [cascade] */
        unsigned section_line; /* the line of the current section's header */
        /* The line where each key was given, 0 = not yet: [collect]'s over all its sections, a
         * node's in its own. */
        unsigned seen_since, seen_timeout, seen_identity;
        unsigned seen_target, seen_port, seen_command, seen_conf;
        ConfError *err;        /* conf_walk()'s: the line being read, and where an error is */
} ConfParser;

static int fail(ConfParser *p, const char *reason) {
        return conf_fail(p->err, reason);
}

static int parse_uint(const char *s, unsigned max, unsigned *ret) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(s, &end, 10);
        if (!isdigit((unsigned char) *s) || *end || errno || v == 0 || v > max)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

/* A key may appear once: a second one is an error, not a silent override. [collect] may be
 * given again further down, but what it sets counts for the whole of it. */
static int key_once(ConfParser *p, unsigned *seen) {
        if (*seen)
                return fail(p, *seen < p->section_line ? "key given twice: [collect] is repeated and an earlier "
                                                         "[collect] section sets it already"
                                                       : "key given twice in this section");
        *seen = p->err->line;
        return 0;
}

/* Another owned copy, refusing a key given twice. */
static int set_once(ConfParser *p, unsigned *seen, char **dst, const char *value) {
        int r = key_once(p, seen);
        if (r < 0)
                return r;
        free(*dst);
        *dst = strdup(value);
        return *dst ? 0 : -ENOMEM;
}

static int split_command(const char *value, char ***ret) {
        Argv a = { 0 };
        _cleanup_free_ char *copy = strdup(value);
        if (!copy)
                return -ENOMEM;
        char *save = NULL;
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
                if (!collect_word_valid(w)) {
                        collect_argv_free(a.v);
                        return -EINVAL;
                }
                argv_push(&a, "%s", w);
        }
        if (!a.v && !a.error)
                return -EINVAL;
        return argv_finish(&a, ret);
}

/* Copy s into buf up to the first of stops outside quotes, unquoted as ssh unquotes: single or
 * double quotes group; with escapes, a backslash escapes a quote, a backslash or (unquoted) a
 * blank. Returns where it stopped. */
static const char *ssh_unquote(const char *s, char *buf, const char *stops, bool escapes) {
        char quote = 0;
        size_t o = 0;
        for (; *s; s++) {
                if (escapes && *s == '\\' && (s[1] == '\'' || s[1] == '"' || s[1] == '\\' || (!quote && s[1] == ' ')))
                        buf[o++] = *++s;
                else if (!quote && strchr(stops, *s))
                        break;
                else if (!quote && (*s == '"' || *s == '\''))
                        quote = *s;
                else if (quote && *s == quote)
                        quote = 0;
                else
                        buf[o++] = *s;
        }
        buf[o] = '\0';
        return s;
}

/* The next word of an ssh option's value at s, unquoted into buf (as large as s) the way ssh's
 * argv_split() does: blanks separate words. Returns what follows the word, NULL when none is
 * left. */
static const char *ssh_word(const char *s, char *buf) {
        s += strspn(s, " \t");
        return *s ? ssh_unquote(s, buf, " \t", true) : NULL;
}

/* The keyword of an ssh option, unquoted into buf (as large as opt): it ends at a blank or '='
 * outside quotes. Returns its value: after blanks, at most one '=' and blanks. ssh ends a keyword
 * at a closing quote too; reading on only finds a keyword where ssh would refuse the line. */
static const char *ssh_keyword(const char *opt, char *buf) {
        const char *s = ssh_unquote(opt + strspn(opt, " \t"), buf, " \t=", false);
        s += strspn(s, " \t");
        if (*s == '=')
                s++;
        return s + strspn(s, " \t");
}

/* Host key checking is what makes ssh to a node safe: 0 when opt keeps it on, -EINVAL with the
 * reason when it does not. ssh reads "-o Key=value" and "-o Key value" like a line of ssh_config:
 * the keyword in any case, the value possibly quoted; a value ssh would not take is refused too. */
static int ssh_option_check(const char *opt, const char **reason) {
        size_t size = strlen(opt) + 1;
        _cleanup_free_ char *key = malloc(size), *word = malloc(size);
        if (!key || !word)
                return -ENOMEM;
        *reason = NULL;
        const char *value = ssh_keyword(opt, key);
        if (strcasecmp(key, "StrictHostKeyChecking") == 0) {
                static const char *const on[] = { "yes", "ask", "accept-new" };
                const char *rest = ssh_word(value, word);
                bool ok = false;
                for (size_t i = 0; rest && i < ELEMENTSOF(on); i++)
                        ok |= strcasecmp(word, on[i]) == 0;
                if (!ok || ssh_word(rest, word))
                        *reason = "ssh_option may not turn host key checking off: StrictHostKeyChecking must be yes, "
                                  "ask or accept-new";
        } else if (strcasecmp(key, "UserKnownHostsFile") == 0)
                for (const char *w = value; (w = ssh_word(w, word));) {
                        struct stat st;
                        if (strcasecmp(word, "none") == 0 || streq(word, "/dev/null") ||
                            (stat(word, &st) == 0 && S_ISCHR(st.st_mode)))
                                *reason = "ssh_option may not turn host key checking off: UserKnownHostsFile may "
                                          "not be none, /dev/null or another device; give a known_hosts file";
                }
        return *reason ? -EINVAL : 0;
}

static int add_ssh_option(ConfParser *p, const char *value) {
        if (conf_has_control(value) || value[0] == '-')
                return fail(p, "invalid ssh_option");
        const char *reason;
        int r = ssh_option_check(value, &reason);
        if (r < 0)
                return r == -EINVAL ? fail(p, reason) : r;
        CollectConfig *c = p->c;
        if (array_reserve(&c->ssh_options, &c->n_ssh_options_alloc, c->n_ssh_options + 1, sizeof *c->ssh_options, 4) < 0)
                return -ENOMEM;
        if (!(c->ssh_options[c->n_ssh_options] = strdup(value)))
                return -ENOMEM;
        c->n_ssh_options++;
        return 0;
}

static int collect_key(ConfParser *p, const char *key, const char *value) {
        CollectConfig *c = p->c;
        if (streq(key, "since")) {
                usec_t t;
                if (key_once(p, &p->seen_since) < 0)
                        return -EINVAL;
                if (time_parse_user(value, now_usec(), &t) < 0)
                        return fail(p, "invalid time for since (e.g. -7d, 2025-11-25)");
                free(c->since);
                return (c->since = strdup(value)) ? 0 : -ENOMEM;
        }
        if (streq(key, "timeout")) {
                if (key_once(p, &p->seen_timeout) < 0)
                        return -EINVAL;
                return parse_uint(value, 86400, &c->timeout) < 0 ? fail(p, "timeout must be 1 to 86400 seconds") : 0;
        }
        if (streq(key, "ssh_option"))
                return add_ssh_option(p, value);
        if (streq(key, "identity")) {
                if (conf_has_control(value))
                        return fail(p, "invalid identity file name");
                return set_once(p, &p->seen_identity, &c->identity, value);
        }
        return fail(p, "unknown key in [collect] (since, timeout, ssh_option, identity)");
}

static int node_key(ConfParser *p, const char *key, const char *value) {
        CollectNode *n = p->node;
        if (streq(key, "target")) {
                if (!collect_target_valid(value))
                        return fail(p, "invalid target: it may not start with '-' nor hold blanks, "
                                       "control characters or shell metacharacters");
                return set_once(p, &p->seen_target, &n->target, value);
        }
        if (streq(key, "port")) {
                if (key_once(p, &p->seen_port) < 0)
                        return -EINVAL;
                return parse_uint(value, 65535, &n->port) < 0 ? fail(p, "port must be 1 to 65535") : 0;
        }
        if (streq(key, "command")) {
                if (key_once(p, &p->seen_command) < 0)
                        return -EINVAL;
                collect_argv_free(TAKE_PTR(n->command));
                int r = split_command(value, &n->command);
                return r == -EINVAL ? fail(p, "invalid command: a word holds a shell metacharacter or control character") : r;
        }
        if (streq(key, "corosync_conf")) {
                if (streq(value, "none")) {
                        if (key_once(p, &p->seen_conf) < 0)
                                return -EINVAL;
                        free(n->corosync_conf);
                        n->corosync_conf = NULL;
                        return 0;
                }
                if (!collect_word_valid(value))
                        return fail(p, "invalid corosync_conf path: blanks, control characters or shell metacharacters");
                return set_once(p, &p->seen_conf, &n->corosync_conf, value);
        }
        return fail(p, "unknown key in [node] (target, port, command, corosync_conf)");
}

/* The section just left must be complete. */
static int end_node(ConfParser *p) {
        if (p->node && !p->node->target) {
                p->err->line = p->node->line;
                return fail(p, "node has no target");
        }
        return 0;
}

static int begin_node(ConfParser *p, const char *name, unsigned line) {
        if (!collect_node_name_valid(name))
                return fail(p, "invalid node name: letters, digits, '.', '_' and '-' (not first), at most 64");
        CollectConfig *c = p->c;
        for (size_t i = 0; i < c->n_nodes; i++)
                if (streq(c->nodes[i].name, name))
                        return fail(p, "node given twice");
        if (array_reserve(&c->nodes, &c->n_nodes_alloc, c->n_nodes + 1, sizeof *c->nodes, 8) < 0)
                return -ENOMEM;
        CollectNode *n = &c->nodes[c->n_nodes];
        *n = (CollectNode){ .line = line };
        c->n_nodes++;
        n->name = strdup(name);
        n->corosync_conf = strdup(COLLECT_COROSYNC_CONF_DEFAULT);
        if (!n->name || !n->corosync_conf)
                return -ENOMEM;
        int r = split_command(COLLECT_COMMAND_DEFAULT, &n->command);
        if (r < 0)
                return r;
        p->node = n;
        p->seen_target = p->seen_port = p->seen_command = p->seen_conf = 0;
        return 0;
}

static int on_section(void *userdata, ConfSection section, const char *node, ConfError *err) {
        ConfParser *p = userdata;
        int r = end_node(p);
        if (r < 0)
                return r;
        p->section_line = err->line;
        p->node = NULL;
        return section == CONF_SECTION_NODE ? begin_node(p, node, err->line) : 0;
}

/* [cascade]'s keys are conf.c's. */
static int on_key(void *userdata, ConfSection section, const char *key, const char *value, ConfError *err) {
        ConfParser *p = userdata;
        if (section == CONF_SECTION_CASCADE)
                return 0;
        return p->node ? node_key(p, key, value) : collect_key(p, key, value);
}

static int config_defaults(CollectConfig *c, const char *path) {
        c->timeout = COLLECT_TIMEOUT_DEFAULT;
        c->path = strdup(path);
        c->since = strdup(COLLECT_SINCE_DEFAULT);
        return c->path && c->since ? 0 : -ENOMEM;
}

static int parse_file(ConfParser *p, FILE *f) {
        int r = conf_walk(f, &(ConfHandler){ .section = on_section, .key = on_key, .userdata = p }, p->err);
        if (r >= 0)
                r = end_node(p);
        if (r >= 0 && p->c->n_nodes == 0) {
                p->err->line = 0;      /* the whole file */
                r = fail(p, "no [node NAME] section");
        }
        return r;
}

int collect_config_load(const char *path, CollectConfig **ret, unsigned *reterr_line, const char **reterr_reason) {
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        if (!f)
                return -errno;
        _cleanup_(collect_config_freep) CollectConfig *c = calloc(1, sizeof *c);
        if (!c)
                return -ENOMEM;
        int r = config_defaults(c, path);
        if (r < 0)
                return r;
        ConfError err;
        ConfParser p = { .c = c, .err = &err };
        r = parse_file(&p, f);
        if (r == -EINVAL) {
                *reterr_line = err.line;
                *reterr_reason = err.reason;
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(c);
        return 0;
}

static int note_collect_section(void *userdata, ConfSection section, const char *node, ConfError *err) {
        *(bool *) userdata |= section != CONF_SECTION_CASCADE;
        return 0;
}

bool collect_config_usable(const char *path) {
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        if (!f)
                return false;
        /* The file as shipped is comments only; nor does a [cascade] section ask for a collect:
         * its settings are every command's. A broken file does: collect says what is wrong. */
        bool wanted = false;
        ConfError err;
        int r = conf_walk(f, &(ConfHandler){ .section = note_collect_section, .userdata = &wanted }, &err);
        return r < 0 || wanted;
}

int collect_select_nodes(const CollectConfig *c, char *const *names, size_t n_names, const CollectNode ***ret,
                         size_t *ret_n, const char **reterr_name) {
        /* Every name is checked before anything is selected: a typo is a usage error, not a
         * collect of the other nodes. */
        for (size_t k = 0; k < n_names; k++) {
                bool known = false;
                for (size_t i = 0; i < c->n_nodes && !known; i++)
                        known = streq(names[k], c->nodes[i].name);
                if (!known) {
                        *reterr_name = names[k];
                        return -ENOENT;
                }
        }
        _cleanup_free_ const CollectNode **sel = calloc(MAX(c->n_nodes, (size_t) 1), sizeof *sel);
        if (!sel)
                return -ENOMEM;
        size_t n = 0;
        for (size_t i = 0; i < c->n_nodes; i++) {
                bool wanted = n_names == 0;
                for (size_t k = 0; k < n_names && !wanted; k++)
                        wanted = streq(names[k], c->nodes[i].name);
                if (wanted)
                        sel[n++] = &c->nodes[i];
        }
        *ret = TAKE_PTR(sel);
        *ret_n = n;
        return 0;
}

/* ---- running ssh ---- */

static int job_spawn(CollectJob *job) {
        /* Files, not pipes: the jobs are only polled until they end, so ssh must never block on
         * a full pipe; the journal is ingested from the file afterwards. */
        int r = tmpfile_private("cascade-collect");
        if (r < 0)
                return r;
        job->out_fd = r;
        if ((r = tmpfile_private("cascade-collect")) < 0)
                return r;
        job->err_fd = r;
        _cleanup_close_ int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null_fd < 0)
                return -errno;
        /* Its own process group: a timeout kills ssh and whatever it started (ProxyCommand). */
        ProcessOptions o = { .stdin_fd = null_fd, .stdout_fd = job->out_fd, .stderr_fd = job->err_fd,
                             .new_group = true, .search_path = true, .exec_failed = "cannot execute ssh\n",
                             .stop_on_interrupt = true };
        return process_spawn(NULL, job->argv, &o, &job->pid);
}

void collect_job_start(CollectJob *job, char **argv) {
        *job = (CollectJob){ .argv = argv, .out_fd = -1, .err_fd = -1, .state = COLLECT_JOB_RUNNING };
        int r = job_spawn(job);
        if (r < 0) {
                job->state = COLLECT_JOB_FAILED;
                job->error = r;
        }
}

static void job_reaped(CollectJob *job, int ws) {
        job->pid = 0;
        if (WIFEXITED(ws))
                job->state = COLLECT_JOB_EXITED, job->status = WEXITSTATUS(ws);
        else
                job->state = COLLECT_JOB_SIGNALED, job->status = WTERMSIG(ws);
}

/* true while the job still runs. */
static bool job_poll(CollectJob *job) {
        if (job->state != COLLECT_JOB_RUNNING)
                return false;
        int ws;
        int r = process_wait(job->pid, false, &ws);
        if (r == 0)
                return true;
        if (r < 0) {
                job->state = COLLECT_JOB_FAILED, job->error = r, job->pid = 0;
                return false;
        }
        job_reaped(job, ws);
        return false;
}

static void job_kill(CollectJob *job) {
        process_kill_group(job->pid);
        job->pid = 0;
        job->state = COLLECT_JOB_TIMED_OUT;
}

/* One look at every job: how many still run; *ret_ended: how many ended since the last look. */
static size_t jobs_poll(CollectJob *const *jobs, size_t n, size_t *ret_ended) {
        size_t running = 0, ended = 0;
        for (size_t i = 0; i < n; i++) {
                bool was_running = jobs[i]->state == COLLECT_JOB_RUNNING;
                bool still = job_poll(jobs[i]);
                running += still;
                ended += was_running && !still;
        }
        *ret_ended = ended;
        return running;
}

/* An interrupt is not handled here: process_interrupt_catch() kills the jobs' groups (they were
 * started with stop_on_interrupt) and cascade with them, whenever it comes. */
size_t collect_jobs_wait(CollectJob *const *jobs, size_t n, usec_t deadline) {
        for (;;) {
                size_t ended, running = jobs_poll(jobs, n, &ended);
                if (running == 0)
                        return 0;
                if (now_usec() >= deadline) {
                        for (size_t i = 0; i < n; i++)
                                if (jobs[i]->state == COLLECT_JOB_RUNNING)
                                        job_kill(jobs[i]);
                        return 0;
                }
                if (ended > 0)
                        return running;
                /* A few dozen ssh at most: polling every 20 ms costs nothing and needs no SIGCHLD handler. */
                nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
        }
}

void collect_job_stderr_line(const CollectJob *job, char *buf, size_t size) {
        char raw[4096];
        ssize_t n = job->err_fd >= 0 ? pread(job->err_fd, raw, sizeof raw - 1, 0) : -1;
        buf[0] = '\0';
        if (n <= 0)
                return;
        raw[n] = '\0';
        char *save = NULL;
        for (char *l = strtok_r(raw, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save))
                if (l[strspn(l, " \t")]) {
                        snprintf(buf, size, "%s", l);
                        return;
                }
}

bool collect_job_ok(const CollectJob *job) {
        return job->state == COLLECT_JOB_EXITED && job->status == 0;
}

void collect_job_done(CollectJob *job) {
        if (job->state == COLLECT_JOB_RUNNING && job->pid > 0)
                job_kill(job);
        if (job->out_fd >= 0)
                close(job->out_fd);
        if (job->err_fd >= 0)
                close(job->err_fd);
        job->out_fd = job->err_fd = -1;
        job->argv = collect_argv_free(job->argv);
}
