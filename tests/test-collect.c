/* test-collect.c: the collect configuration read from real files, the checks on node names, words
 * and ssh targets, the exact ssh argv built for the journal and corosync.conf, and waiting for
 * the jobs one at a time under a deadline (collect.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "collect.h"
#include "conf.h"

typedef struct Loaded {
        int r;
        unsigned line;
        const char *reason;
        CollectConfig *c;
} Loaded;

/* Write text to a temporary file; the caller unlinks and frees the path returned. */
static char *write_temp(const char *text) {
        const char *dir = getenv("TMPDIR");
        char *path = NULL;
        assert_true(asprintf(&path, "%s/cascade-test-collect-XXXXXX", dir && *dir ? dir : "/tmp") > 0);
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t) strlen(text));
        close(fd);
        return path;
}

/* Write text to a temporary file and load it as a collect configuration. */
static Loaded load(const char *text) {
        _cleanup_free_ char *path = write_temp(text);
        Loaded l = { .line = 12345 };
        l.r = collect_config_load(path, &l.c, &l.line, &l.reason);
        unlink(path);
        return l;
}

/* The text is refused on line `line`, the reason holding `reason_part`. */
static void refused_at(const char *text, unsigned line, const char *reason_part) {
        Loaded l = load(text);
        if (l.r != -EINVAL)
                fail_msg("loaded with %d, want -EINVAL at line %u (%s) for:\n%s", l.r, line, reason_part, text);
        assert_null(l.c);
        assert_int_equal(l.line, line);
        assert_non_null(l.reason);
        if (!strstr(l.reason, reason_part))
                fail_msg("reason '%s' does not say '%s'", l.reason, reason_part);
}

static CollectConfig *loaded(const char *text) {
        Loaded l = load(text);
        if (l.r != 0)
                fail_msg("refused (%d) at line %u: %s", l.r, l.line, l.reason ? l.reason : "-");
        assert_non_null(l.c);
        return l.c;
}

static void assert_argv(char **argv, const char *const *want) {
        size_t i = 0;
        for (; want[i]; i++) {
                if (!argv[i])
                        fail_msg("argv ends at %zu, want '%s'", i, want[i]);
                if (!streq(argv[i], want[i]))
                        fail_msg("argv[%zu] is '%s', want '%s'", i, argv[i], want[i]);
        }
        if (argv[i])
                fail_msg("argv[%zu] is '%s', want the end", i, argv[i]);
}

static const char full_config[] =
        "# cascade collect\n"
        "[collect]\n"
        "since = -2d            # a comment after a blank\n"
        "timeout = 60\n"
        "ssh_option = UserKnownHostsFile=/etc/cascade/known_hosts\n"
        "\tssh_option = ConnectTimeout=5\n"
        "identity = /etc/cascade/id_ed25519\n"
        "\n"
        "   # an indented comment\n"
        "[node pve1]\n"
        "target = root@10.0.0.1\n"
        "port = 2222\n"
        "command = journalctl  -o\texport --no-pager\n"
        "corosync_conf = /etc/corosync/corosync.conf\n"
        "[ node pve2 ]\n"
        "target = pve2.example.com\n"
        "corosync_conf = none\n";

static void config_full(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c = loaded(full_config);
        assert_string_equal(c->since, "-2d");
        assert_int_equal(c->timeout, 60);
        assert_int_equal(c->n_ssh_options, 2);
        assert_string_equal(c->ssh_options[0], "UserKnownHostsFile=/etc/cascade/known_hosts");
        assert_string_equal(c->ssh_options[1], "ConnectTimeout=5");
        assert_string_equal(c->identity, "/etc/cascade/id_ed25519");
        assert_int_equal(c->n_nodes, 2);

        const CollectNode *n = &c->nodes[0];
        assert_string_equal(n->name, "pve1");
        assert_int_equal(n->line, 10);
        assert_string_equal(n->target, "root@10.0.0.1");
        assert_int_equal(n->port, 2222);
        assert_argv(n->command, (const char *const[]){ "journalctl", "-o", "export", "--no-pager", NULL });
        assert_string_equal(n->corosync_conf, "/etc/corosync/corosync.conf");

        n = &c->nodes[1];
        assert_string_equal(n->name, "pve2");
        assert_int_equal(n->line, 15);
        assert_string_equal(n->target, "pve2.example.com");
        assert_int_equal(n->port, 0);
        assert_null(n->corosync_conf);
}

static void config_defaults(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c = loaded("[node a]\ntarget = a\n");
        assert_string_equal(c->since, COLLECT_SINCE_DEFAULT);
        assert_int_equal(c->timeout, COLLECT_TIMEOUT_DEFAULT);
        assert_int_equal(c->n_ssh_options, 0);
        assert_null(c->identity);
        assert_int_equal(c->n_nodes, 1);
        assert_int_equal(c->nodes[0].port, 0);
        assert_argv(c->nodes[0].command, (const char *const[]){ "journalctl", "-o", "export", NULL });
        assert_string_equal(c->nodes[0].corosync_conf, COLLECT_COROSYNC_CONF_DEFAULT);
}

static void config_comment_only_at_start_or_after_blank(void **state) {
        /* '#' inside a word is part of it; after a blank it starts a comment. */
        _cleanup_(collect_config_freep) CollectConfig *c =
                loaded("[node a]\ntarget = user@host#1 # the comment\n");
        assert_string_equal(c->nodes[0].target, "user@host#1");
}

static void config_missing_file(void **state) {
        CollectConfig *c = NULL;
        unsigned line = 0;
        const char *reason = NULL;
        assert_int_equal(collect_config_load("/nonexistent/cascade.conf", &c, &line, &reason), -ENOENT);
        assert_null(c);
}

static bool usable(const char *text) {
        _cleanup_free_ char *path = write_temp(text);
        bool u = collect_config_usable(path);
        unlink(path);
        return u;
}

/* scan runs collect only for a file that configures something; collect says what is wrong with it. */
static void config_usable(void **state) {
        assert_false(collect_config_usable("/nonexistent/cascade.conf"));
        assert_false(usable(""));
        assert_false(usable("# cascade collect\n\n   \t\n\t# indented\n\r\n"));
        /* ';' starts no comment in this file (conf_walk()): a broken file, collect's to report. */
        assert_true(usable("; ini-style\n"));
        assert_true(usable("# nodes\n[node pve1]\ntarget = root@10.0.0.1\n"));
        /* Not checked: a bad file is collect's to report. */
        assert_true(usable("  nonsense\n"));
        /* The settings every command shares ask for no collect; a node does, and so does a bad file. */
        assert_false(usable("[cascade]\npatterns = /srv/rules\n\n[ cascade ]\nretain = 90d\n"));
        assert_true(usable("[cascade]\npatterns = /srv/rules\n[node pve1]\n"));
        assert_true(usable("[cascade]\npatterns = /srv/rules\n[collect]\n"));
        assert_true(usable("[cascadex]\n"));
}

static void config_no_node(void **state) {
        refused_at("[collect]\ntimeout = 5\n", 0, "no [node");
        refused_at("", 0, "no [node");
}

static void config_key_outside_section(void **state) {
        refused_at("# top\ntimeout = 5\n[node a]\ntarget = a\n", 2, "outside a section");
}

static void config_unknown_key(void **state) {
        refused_at("[collect]\nsince = -1d\nretries = 3\n[node a]\ntarget = a\n", 3, "unknown key in [collect]");
        refused_at("[node a]\ntarget = a\nuser = root\n", 3, "unknown key in [node]");
}

static void config_unknown_section(void **state) {
        refused_at("[node a]\ntarget = a\n\n[nodes b]\n", 4, "unknown section");
        refused_at("[node]\n", 1, "unknown section");
        refused_at("[collect\n", 1, "without ']'");
}

static void config_repeated_key(void **state) {
        refused_at("[collect]\ntimeout = 5\ntimeout = 6\n[node a]\ntarget = a\n", 3, "twice");
        refused_at("[collect]\nsince = -1d\nsince = -2d\n[node a]\ntarget = a\n", 3, "twice");
        refused_at("[node a]\ntarget = a\nport = 22\nport = 22\n", 4, "twice");
        refused_at("[node a]\ntarget = a\ntarget = b\n", 3, "twice");
        refused_at("[node a]\ntarget = a\ncommand = cat\ncommand = cat\n", 4, "twice");
        refused_at("[node a]\ntarget = a\ncorosync_conf = none\ncorosync_conf = /x\n", 4, "twice");
        /* The same key in two nodes is two keys. */
        _cleanup_(collect_config_freep) CollectConfig *c = loaded("[node a]\ntarget = a\n[node b]\ntarget = b\n");
        assert_int_equal(c->n_nodes, 2);
}

/* 'none' is a value of corosync_conf like a path: a path then 'none' (or 'none' twice) is the
 * same error as any repeated key, not a silent override. */
static void config_repeated_corosync_conf_none(void **state) {
        refused_at("[node a]\ntarget = a\ncorosync_conf = /x\ncorosync_conf = none\n", 4, "twice in this section");
        refused_at("[node a]\ntarget = a\ncorosync_conf = none\ncorosync_conf = none\n", 4, "twice in this section");
        /* In another node it is another key. */
        _cleanup_(collect_config_freep) CollectConfig *c =
                loaded("[node a]\ntarget = a\ncorosync_conf = /x\n[node b]\ntarget = b\ncorosync_conf = none\n");
        assert_string_equal(c->nodes[0].corosync_conf, "/x");
        assert_null(c->nodes[1].corosync_conf);
}

/* [collect] may be split in several sections, each key once in all of them: a key given again in
 * a later [collect] says so, not that this section holds it twice. */
static void config_repeated_collect_section(void **state) {
        refused_at("[collect]\ntimeout = 5\n[node a]\ntarget = a\n[collect]\ntimeout = 6\n", 6,
                   "[collect] is repeated");
        refused_at("[collect]\nsince = -1d\n[collect]\nsince = -2d\n[node a]\ntarget = a\n", 4,
                   "[collect] is repeated");
        refused_at("[collect]\ntimeout = 5\n[collect]\nidentity = /i\nidentity = /j\n[node a]\ntarget = a\n", 5,
                   "twice in this section");
        _cleanup_(collect_config_freep) CollectConfig *c =
                loaded("[collect]\ntimeout = 5\nssh_option = A=1\n[collect]\nsince = -1d\nssh_option = B=2\n"
                       "[node a]\ntarget = a\n");
        assert_int_equal(c->timeout, 5);
        assert_string_equal(c->since, "-1d");
        assert_int_equal(c->n_ssh_options, 2);
}

static void config_ssh_option_repeatable(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c =
                loaded("[collect]\nssh_option = A=1\nssh_option = B 2\nssh_option = A=1\n[node a]\ntarget = a\n");
        assert_int_equal(c->n_ssh_options, 3);
        assert_string_equal(c->ssh_options[1], "B 2");
}

static void config_node_without_target(void **state) {
        /* The header's line, whether another section or the end of the file follows. */
        refused_at("[collect]\n\n[node a]\nport = 22\n[node b]\ntarget = b\n", 3, "no target");
        refused_at("[node b]\ntarget = b\n[node a]\nport = 22\n", 3, "no target");
}

static void config_host_key_checking_kept(void **state) {
        static const char *const refused[] = {
                "StrictHostKeyChecking=no", "StrictHostKeyChecking no", "stricthostkeychecking = No",
                "StrictHostKeyChecking=off", "StrictHostKeyChecking = no",
        };
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                _cleanup_free_ char *text = NULL;
                assert_true(asprintf(&text, "[collect]\nssh_option = %s\n[node a]\ntarget = a\n", refused[i]) > 0);
                refused_at(text, 2, "host key checking");
        }
        _cleanup_(collect_config_freep) CollectConfig *c =
                loaded("[collect]\nssh_option = StrictHostKeyChecking=yes\n"
                       "ssh_option = StrictHostKeyCheckingX=no\n[node a]\ntarget = a\n");
        assert_int_equal(c->n_ssh_options, 2);
        refused_at("[collect]\nssh_option = -oProxyCommand=x\n[node a]\ntarget = a\n", 2, "invalid ssh_option");
}

/* ssh also reads "false" (and a quoted "no") as StrictHostKeyChecking off (`ssh -G -o
 * StrictHostKeyChecking=false` prints "stricthostkeychecking false"): the option is read as ssh
 * reads it, and only the values that keep checking on pass. */
static void config_host_key_checking_other_spellings(void **state) {
        refused_at("[collect]\nssh_option = StrictHostKeyChecking=false\n[node a]\ntarget = a\n", 2,
                   "host key checking");
        refused_at("[collect]\nssh_option = StrictHostKeyChecking=\"no\"\n[node a]\ntarget = a\n", 2,
                   "host key checking");
        static const char *const refused[] = {
                "StrictHostKeyChecking=FALSE", "StrictHostKeyChecking=OFF", "StrictHostKeyChecking   no",
                "StrictHostKeyChecking 'no'", "StrictHostKeyChecking=n\"o\"", "\"StrictHostKeyChecking\" no",
                "STRICTHOSTKEYCHECKING=no", "StrictHostKeyChecking =  no", "StrictHostKeyChecking==yes",
                "StrictHostKeyChecking=yes no", "StrictHostKeyChecking=\"yes no\"", "StrictHostKeyChecking",
                "StrictHostKeyChecking=maybe", "StrictHostKeyChecking=true",
        };
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                _cleanup_free_ char *text = NULL;
                assert_true(asprintf(&text, "[collect]\nssh_option = %s\n[node a]\ntarget = a\n", refused[i]) > 0);
                refused_at(text, 2, "StrictHostKeyChecking must be yes, ask or accept-new");
        }
        _cleanup_(collect_config_freep) CollectConfig *c =
                loaded("[collect]\nssh_option = stricthostkeychecking Yes\nssh_option = StrictHostKeyChecking=ask\n"
                       "ssh_option = StrictHostKeyChecking = \"accept-new\"\nssh_option = StrictHostKeyChecking ACCEPT-NEW\n"
                       "[node a]\ntarget = a\n");
        assert_int_equal(c->n_ssh_options, 4);
        assert_string_equal(c->ssh_options[2], "StrictHostKeyChecking = \"accept-new\"");
}

/* A known_hosts file that holds nothing defeats the checking as well as turning it off. */
static void config_known_hosts_not_discarded(void **state) {
        static const char *const refused[] = {
                "UserKnownHostsFile=/dev/null", "userknownhostsfile /dev/null", "UserKnownHostsFile \"/dev/null\"",
                "UserKnownHostsFile=none", "UserKnownHostsFile=NONE", "UserKnownHostsFile=/etc/k /dev/null",
                "UserKnownHostsFile=/dev//null", "UserKnownHostsFile=/dev/../dev/zero",
        };
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                _cleanup_free_ char *text = NULL;
                assert_true(asprintf(&text, "[collect]\nssh_option = %s\n[node a]\ntarget = a\n", refused[i]) > 0);
                refused_at(text, 2, "UserKnownHostsFile may not be none, /dev/null");
        }
        _cleanup_(collect_config_freep) CollectConfig *c =
                loaded("[collect]\nssh_option = UserKnownHostsFile=/etc/cascade/known_hosts ~/.ssh/known_hosts\n"
                       "ssh_option = GlobalKnownHostsFile=/etc/ssh/ssh_known_hosts\n[node a]\ntarget = a\n");
        assert_int_equal(c->n_ssh_options, 2);
}

static void config_invalid_node_name(void **state) {
        refused_at("[node -a]\ntarget = a\n", 1, "invalid node name");
        refused_at("[node a/b]\ntarget = a\n", 1, "invalid node name");
        refused_at("[node a b]\ntarget = a\n", 1, "invalid node name");
        refused_at("[node a]\ntarget = a\n[node a]\ntarget = b\n", 3, "node given twice");
}

static void config_shell_metacharacters(void **state) {
        refused_at("[node a]\ntarget = a;reboot\n", 2, "invalid target");
        refused_at("[node a]\ntarget = $(id)\n", 2, "invalid target");
        refused_at("[node a]\ntarget = root@a b\n", 2, "invalid target");
        refused_at("[node a]\ntarget = -oProxyCommand=x\n", 2, "invalid target");
        refused_at("[node a]\ntarget = a\ncommand = journalctl -o export | sh\n", 3, "invalid command");
        refused_at("[node a]\ntarget = a\ncommand = journalctl `id`\n", 3, "invalid command");
        refused_at("[node a]\ntarget = a\ncorosync_conf = /etc/a;b\n", 3, "invalid corosync_conf");
}

static void config_bad_values(void **state) {
        refused_at("[collect]\ntimeout = 0\n[node a]\ntarget = a\n", 2, "timeout");
        refused_at("[collect]\ntimeout = 86401\n[node a]\ntarget = a\n", 2, "timeout");
        refused_at("[collect]\ntimeout = 5s\n[node a]\ntarget = a\n", 2, "timeout");
        refused_at("[collect]\nsince = yesterday-ish\n[node a]\ntarget = a\n", 2, "since");
        refused_at("[node a]\ntarget = a\nport = 65536\n", 3, "port");
        refused_at("[node a]\ntarget = a\nport = -1\n", 3, "port");
        refused_at("[node a]\ntarget = \n", 2, "empty value");
        refused_at("[node a]\ntarget a\n", 2, "key = value");
        refused_at("[node a]\ntarget = a\ncommand =  \t\n", 3, "empty value");
}

static void config_nul_byte(void **state) {
        /* load() writes strlen(text) bytes: build the file by hand. */
        const char *dir = getenv("TMPDIR");
        _cleanup_free_ char *path = NULL;
        assert_true(asprintf(&path, "%s/cascade-test-collect-XXXXXX", dir && *dir ? dir : "/tmp") > 0);
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        static const char text[] = "[node a]\ntarget = a\0b\n";
        assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t) sizeof text - 1);
        close(fd);
        CollectConfig *c = NULL;
        unsigned line = 0;
        const char *reason = NULL;
        assert_int_equal(collect_config_load(path, &c, &line, &reason), -EINVAL);
        unlink(path);
        assert_int_equal(line, 2);
        assert_non_null(strstr(reason, "NUL"));
}

/* since is checked where it is read, so a bad one is refused at its own line: nothing after the
 * load needs to know that line (CollectConfig keeps no since_line). */
static void config_since_line(void **state) {
        refused_at("[collect]\n\n# the window\nsince = soon\n[node a]\ntarget = a\n", 4, "invalid time for since");
        refused_at("[node a]\ntarget = a\n[collect]\ntimeout = 5\nsince = 2025-13-01\n", 5, "invalid time for since");
        _cleanup_(collect_config_freep) CollectConfig *c = loaded("[collect]\n\nsince = -1d\n[node a]\ntarget = a\n");
        assert_string_equal(c->since, "-1d");
}

/* ---- cascade.conf's [cascade] section (conf.c) ---- */

typedef struct Settings {
        int r;
        unsigned line;
        const char *reason;
        ConfSettings *s;
} Settings;

static Settings settings_of(const char *text) {
        _cleanup_free_ char *path = write_temp(text);
        Settings l = { .line = 12345 };
        l.r = conf_settings_load(path, true, &l.s, &l.line, &l.reason);
        unlink(path);
        return l;
}

static void settings_refused_at(const char *text, unsigned line, const char *reason_part) {
        Settings l = settings_of(text);
        if (l.r != -EINVAL)
                fail_msg("loaded with %d, want -EINVAL at line %u (%s) for:\n%s", l.r, line, reason_part, text);
        assert_null(l.s);
        assert_int_equal(l.line, line);
        if (!strstr(l.reason, reason_part))
                fail_msg("reason '%s' does not say '%s'", l.reason, reason_part);
}

/* patterns in the file's order across split sections, each with its line; collect's sections
 * are skipped, their keys left to collect. */
static void settings_full(void **state) {
        Settings l = settings_of("# site\n"
                                 "[cascade]\n"
                                 "patterns = /srv/cascade/rules   # first\n"
                                 "retain = 90d\n"
                                 "[collect]\n"
                                 "since = -1d\n"
                                 "retries = 3\n"
                                 "[node pve1]\n"
                                 "target = root@10.0.0.1\n"
                                 "[ cascade ]\n"
                                 "\tpatterns=/etc/cascade/more rules\n");
        _cleanup_(conf_settings_freep) ConfSettings *s = l.s;
        assert_int_equal(l.r, 0);
        assert_non_null(s->path);
        assert_int_equal(s->n_patterns, 2);
        assert_string_equal(s->patterns[0].dir, "/srv/cascade/rules");
        assert_int_equal(s->patterns[0].line, 3);
        assert_string_equal(s->patterns[1].dir, "/etc/cascade/more rules");
        assert_int_equal(s->patterns[1].line, 11);
        assert_int_equal(s->retain, 90 * USEC_PER_DAY);
}

/* The default file may be missing (no settings); a file the user named must exist. */
static void settings_missing(void **state) {
        ConfSettings *s = NULL;
        unsigned line = 0;
        const char *reason = NULL;
        assert_int_equal(conf_settings_load("/nonexistent/cascade.conf", false, &s, &line, &reason), 0);
        assert_non_null(s);
        assert_null(s->path);
        assert_int_equal(s->n_patterns, 0);
        assert_int_equal(s->retain, USEC_INVALID);
        s = conf_settings_free(s);
        assert_int_equal(conf_settings_load("/nonexistent/cascade.conf", true, &s, &line, &reason), -ENOENT);
        assert_null(s);
        /* /dev/null, what the tests use: named, present, empty. */
        assert_int_equal(conf_settings_load("/dev/null", true, &s, &line, &reason), 0);
        assert_int_equal(s->n_patterns, 0);
        s = conf_settings_free(s);
        /* A directory is no configuration. */
        assert_int_equal(conf_settings_load("/", false, &s, &line, &reason), -EISDIR);
}

static void settings_refused(void **state) {
        settings_refused_at("patterns = /srv/rules\n", 1, "outside a section");
        settings_refused_at("[cascade]\npatterns = rules\n", 2, "absolute");
        settings_refused_at("[cascade]\npatterns = /srv/\x01rules\n", 2, "absolute");
        settings_refused_at("[cascade]\npatterns =\n", 2, "empty value");
        settings_refused_at("[cascade]\nretain = 90d\n[collect]\n[cascade]\nretain = 30d\n", 5, "given twice");
        settings_refused_at("[cascade]\nretain = soon\n", 2, "time span");
        settings_refused_at("[cascade]\nretain = 0\n", 2, "above zero");
        settings_refused_at("[cascade]\nretain = -5d\n", 2, "time span");
        settings_refused_at("[cascade]\nretries = 3\n", 2, "unknown key in [cascade]");
        settings_refused_at("[cascade]\njunk\n", 2, "expected 'key = value'");
        /* A typo in a section header is every command's error, not only collect's. */
        settings_refused_at("[cascade]\n[colect]\nsince = -1d\n", 2, "unknown section");
        settings_refused_at("[node]\n", 1, "unknown section");
        settings_refused_at("\n[cascade\n", 2, "without ']'");
}

/* retain takes every span systemd.time(7) writes. */
static void settings_retain_spans(void **state) {
        static const struct {
                const char *text;
                usec_t want;
        } cases[] = {
                { "[cascade]\nretain = 12w\n", 12 * 7 * USEC_PER_DAY },
                { "[cascade]\nretain = 1d 12h\n", 36 * USEC_PER_HOUR },
                { "[cascade]\nretain = 3600\n", USEC_PER_HOUR },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                Settings l = settings_of(cases[i].text);
                _cleanup_(conf_settings_freep) ConfSettings *s = l.s;
                assert_int_equal(l.r, 0);
                assert_int_equal(s->retain, cases[i].want);
        }
}

/* collect skips [cascade] (its keys are conf.c's) and names it among the sections it knows. */
static void config_cascade_section_skipped(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c =
                loaded("[cascade]\npatterns = /srv/rules\n[node a]\ntarget = a\n[cascade]\nretain = 90d\n");
        assert_int_equal(c->n_nodes, 1);
        assert_string_equal(c->nodes[0].target, "a");
        refused_at("[cascade]\n[nodes a]\n", 2, "[cascade], [collect] or [node NAME]");
}

static void node_name_valid(void **state) {
        assert_true(collect_node_name_valid("pve1"));
        assert_true(collect_node_name_valid("a"));
        assert_true(collect_node_name_valid("pve-1.example_com"));
        assert_true(collect_node_name_valid("1"));
        char name[COLLECT_NODE_NAME_MAX + 2];
        memset(name, 'x', COLLECT_NODE_NAME_MAX);
        name[COLLECT_NODE_NAME_MAX] = '\0';
        assert_true(collect_node_name_valid(name));
        name[COLLECT_NODE_NAME_MAX] = 'x';
        name[COLLECT_NODE_NAME_MAX + 1] = '\0';
        assert_false(collect_node_name_valid(name));
        assert_false(collect_node_name_valid(""));
        assert_false(collect_node_name_valid("-pve1"));
        assert_false(collect_node_name_valid("pve 1"));
        assert_false(collect_node_name_valid("pve/1"));
        assert_false(collect_node_name_valid("pve1;"));
        assert_false(collect_node_name_valid("pv\xc3\xa9"));
}

static void word_valid(void **state) {
        assert_true(collect_word_valid("journalctl"));
        assert_true(collect_word_valid("--since=@1700000000"));
        assert_true(collect_word_valid("/etc/pve/corosync.conf"));
        assert_true(collect_word_valid("root@pve1:x,y+z%~"));
        assert_true(collect_word_valid("-o"));
        assert_false(collect_word_valid(NULL));
        assert_false(collect_word_valid(""));
        assert_false(collect_word_valid("a b"));
        assert_false(collect_word_valid("a\tb"));
        assert_false(collect_word_valid("a\nb"));
        assert_false(collect_word_valid("a\x7f"));
        for (const char *m = ";|&$`'\"<>()*?{}[]\\"; *m; m++) {
                char w[] = { 'a', *m, 'b', '\0' };
                if (collect_word_valid(w))
                        fail_msg("'%s' taken as a word", w);
        }
}

static void target_valid(void **state) {
        assert_true(collect_target_valid("root@10.0.0.1"));
        assert_true(collect_target_valid("pve1"));
        assert_true(collect_target_valid("a-b"));
        assert_false(collect_target_valid("-oProxyCommand=x"));
        assert_false(collect_target_valid("-"));
        assert_false(collect_target_valid(""));
        assert_false(collect_target_valid("root@a b"));
        assert_false(collect_target_valid("a;b"));
}

static void journal_argv_since(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c = loaded("[node a]\ntarget = root@10.0.0.1\n");
        char **argv = NULL;
        assert_int_equal(collect_journal_argv(c, &c->nodes[0], NULL, INT64_C(1764057600123456), &argv), 0);
        assert_argv(argv, (const char *const[]){ "ssh", "-o", "BatchMode=yes", "--", "root@10.0.0.1", "journalctl",
                                                 "-o", "export", "--since=@1764057600", NULL });
        collect_argv_free(argv);
}

static void journal_argv_cursor_quoted(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c = loaded("[node a]\ntarget = a\n");
        char **argv = NULL;
        const char *cursor = "s=0123abcd;i=1f2;b=89ab;m=12;t=5f;x=77";
        assert_int_equal(collect_journal_argv(c, &c->nodes[0], cursor, 0, &argv), 0);
        assert_argv(argv, (const char *const[]){ "ssh", "-o", "BatchMode=yes", "--", "a", "journalctl", "-o", "export",
                                                 "'--after-cursor=s=0123abcd;i=1f2;b=89ab;m=12;t=5f;x=77'", NULL });
        collect_argv_free(argv);
}

static void journal_argv_cursor_checked(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c = loaded("[node a]\ntarget = a\n");
        static const char *const bad[] = { "", "s=1';reboot;'", "s=1 i=2", "s=1\n", "s=$(id)", "s=1`x`", "s=a-b" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char **argv = NULL;
                assert_int_equal(collect_journal_argv(c, &c->nodes[0], bad[i], 0, &argv), -EBADMSG);
                assert_null(argv);
        }
}

static void argv_options_in_order(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c = loaded(
                "[collect]\nssh_option = UserKnownHostsFile=/k\nidentity = /id key\nssh_option = ConnectTimeout=5\n"
                "[node a]\ntarget = u@a\nport = 2200\ncommand = journalctl -o export -q\n"
                "corosync_conf = /c/corosync.conf\n");
        char **argv = NULL;
        assert_int_equal(collect_journal_argv(c, &c->nodes[0], NULL, 5 * USEC_PER_SEC, &argv), 0);
        assert_argv(argv, (const char *const[]){ "ssh", "-o", "BatchMode=yes", "-p", "2200", "-i", "/id key",
                                                 "-o", "UserKnownHostsFile=/k", "-o", "ConnectTimeout=5", "--", "u@a",
                                                 "journalctl", "-o", "export", "-q", "--since=@5", NULL });
        collect_argv_free(argv);
        assert_int_equal(collect_conf_argv(c, &c->nodes[0], &argv), 0);
        assert_argv(argv, (const char *const[]){ "ssh", "-o", "BatchMode=yes", "-p", "2200", "-i", "/id key",
                                                 "-o", "UserKnownHostsFile=/k", "-o", "ConnectTimeout=5", "--", "u@a",
                                                 "cat", "/c/corosync.conf", NULL });
        collect_argv_free(argv);
}

static void conf_argv(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c =
                loaded("[node a]\ntarget = a\n[node b]\ntarget = b\ncorosync_conf = none\n");
        char **argv = NULL;
        assert_int_equal(collect_conf_argv(c, &c->nodes[0], &argv), 0);
        assert_argv(argv, (const char *const[]){ "ssh", "-o", "BatchMode=yes", "--", "a", "cat",
                                                 COLLECT_COROSYNC_CONF_DEFAULT, NULL });
        collect_argv_free(argv);
        argv = NULL;
        assert_int_equal(collect_conf_argv(c, &c->nodes[1], &argv), -ENOENT);
        assert_null(argv);
}

static const char three_nodes[] = "[node a]\ntarget = a\n[node b]\ntarget = b\n[node c]\ntarget = c\n";

/* The names each selected node has, in order, joined by blanks. */
static void assert_selected(const CollectConfig *c, char **names, size_t n_names, const char *want) {
        _cleanup_free_ const CollectNode **sel = NULL;
        const char *unknown = NULL;
        size_t n = 12345;
        assert_int_equal(collect_select_nodes(c, names, n_names, &sel, &n, &unknown), 0);
        assert_null(unknown);
        char got[64] = "";
        for (size_t i = 0; i < n; i++) {
                assert_true(sel[i] >= c->nodes && sel[i] < c->nodes + c->n_nodes);
                strcat(got, i ? " " : "");
                strcat(got, sel[i]->name);
        }
        assert_string_equal(got, want);
}

static void select_nodes(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c = loaded(three_nodes);
        assert_selected(c, NULL, 0, "a b c");
        assert_selected(c, (char *[]){ (char *) "b" }, 1, "b");
        /* The configuration's order, each node once. */
        assert_selected(c, (char *[]){ (char *) "c", (char *) "a", (char *) "c" }, 3, "a c");
}

static void select_unknown_node(void **state) {
        _cleanup_(collect_config_freep) CollectConfig *c = loaded(three_nodes);
        const CollectNode **sel = NULL;
        const char *unknown = NULL;
        size_t n = 12345;
        /* The first unknown name, wherever it stands; nothing selected. */
        char *names[] = { (char *) "a", (char *) "x", (char *) "A", (char *) "b" };
        assert_int_equal(collect_select_nodes(c, names, 4, &sel, &n, &unknown), -ENOENT);
        assert_ptr_equal(unknown, names[1]);
        assert_null(sel);
        assert_int_equal(n, 12345);
        char *prefix[] = { (char *) "a b" };
        assert_int_equal(collect_select_nodes(c, prefix, 1, &sel, &n, &unknown), -ENOENT);
        assert_ptr_equal(unknown, prefix[0]);
}

/* A job's argv as collect_job_start() takes it (owned): sh -c script. */
static char **sh_argv(const char *script) {
        char **argv = calloc(4, sizeof *argv);
        assert_non_null(argv);
        argv[0] = strdup("sh");
        argv[1] = strdup("-c");
        argv[2] = strdup(script);
        assert_true(argv[0] && argv[1] && argv[2]);
        return argv;
}

/* Each wait returns as soon as a job has ended (collect stores that node's journal meanwhile),
 * and the deadline kills what still runs. */
static void jobs_end_one_at_a_time(void **state) {
        CollectJob jobs[3];
        collect_job_start(&jobs[0], sh_argv("echo fast; exit 0"));
        collect_job_start(&jobs[1], sh_argv("sleep 0.8; echo no >&2; exit 3"));
        collect_job_start(&jobs[2], sh_argv("sleep 30"));
        CollectJob *const all[] = { &jobs[0], &jobs[1], &jobs[2] };
        usec_t deadline = now_usec() + 2500 * USEC_PER_MSEC;

        assert_int_equal(collect_jobs_wait(all, 3, deadline), 2);
        assert_true(collect_job_ok(&jobs[0]));
        char out[16] = "";
        assert_int_equal(pread(jobs[0].out_fd, out, sizeof out - 1, 0), 5);
        assert_string_equal(out, "fast\n");

        assert_int_equal(collect_jobs_wait(all, 3, deadline), 1);
        assert_int_equal(jobs[1].state, COLLECT_JOB_EXITED);
        assert_int_equal(jobs[1].status, 3);
        char line[16];
        collect_job_stderr_line(&jobs[1], line, sizeof line);
        assert_string_equal(line, "no");
        assert_true(now_usec() < deadline);

        assert_int_equal(collect_jobs_wait(all, 3, deadline), 0);
        assert_int_equal(jobs[2].state, COLLECT_JOB_TIMED_OUT);
        assert_true(now_usec() >= deadline);
        assert_int_equal(jobs[2].pid, 0);
        /* Nothing left: at once. */
        assert_int_equal(collect_jobs_wait(all, 3, deadline), 0);
        for (size_t i = 0; i < 3; i++)
                collect_job_done(&jobs[i]);
}

/* A job that could not start is not waited for. */
static void job_not_started(void **state) {
        CollectJob job;
        char **argv = calloc(2, sizeof *argv);
        assert_non_null(argv);
        argv[0] = strdup("/nonexistent/ssh");
        assert_non_null(argv[0]);
        collect_job_start(&job, argv);
        CollectJob *const all[] = { &job };
        assert_int_equal(collect_jobs_wait(all, 1, now_usec() + 5 * USEC_PER_SEC), 0);
        assert_false(collect_job_ok(&job));
        /* Execution fails in the child: exit status 127, as a shell says it. */
        assert_int_equal(job.state, COLLECT_JOB_EXITED);
        assert_int_equal(job.status, 127);
        collect_job_done(&job);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(config_full),
                cmocka_unit_test(config_defaults),
                cmocka_unit_test(config_comment_only_at_start_or_after_blank),
                cmocka_unit_test(config_missing_file),
                cmocka_unit_test(config_usable),
                cmocka_unit_test(config_no_node),
                cmocka_unit_test(config_key_outside_section),
                cmocka_unit_test(config_unknown_key),
                cmocka_unit_test(config_unknown_section),
                cmocka_unit_test(config_repeated_key),
                cmocka_unit_test(config_repeated_corosync_conf_none),
                cmocka_unit_test(config_repeated_collect_section),
                cmocka_unit_test(config_ssh_option_repeatable),
                cmocka_unit_test(config_node_without_target),
                cmocka_unit_test(config_host_key_checking_kept),
                cmocka_unit_test(config_host_key_checking_other_spellings),
                cmocka_unit_test(config_known_hosts_not_discarded),
                cmocka_unit_test(config_invalid_node_name),
                cmocka_unit_test(config_shell_metacharacters),
                cmocka_unit_test(config_bad_values),
                cmocka_unit_test(config_nul_byte),
                cmocka_unit_test(config_since_line),
                cmocka_unit_test(config_cascade_section_skipped),
                cmocka_unit_test(settings_full),
                cmocka_unit_test(settings_missing),
                cmocka_unit_test(settings_refused),
                cmocka_unit_test(settings_retain_spans),
                cmocka_unit_test(node_name_valid),
                cmocka_unit_test(word_valid),
                cmocka_unit_test(target_valid),
                cmocka_unit_test(journal_argv_since),
                cmocka_unit_test(journal_argv_cursor_quoted),
                cmocka_unit_test(journal_argv_cursor_checked),
                cmocka_unit_test(argv_options_in_order),
                cmocka_unit_test(conf_argv),
                cmocka_unit_test(select_nodes),
                cmocka_unit_test(select_unknown_node),
                cmocka_unit_test(jobs_end_one_at_a_time),
                cmocka_unit_test(job_not_started),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
