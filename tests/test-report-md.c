/* test-report-md.c: the Markdown postmortem (report.h): md_escape() on hostile text, and
 * report_markdown() over a small analysis run through the correlator: its sections, log text that
 * stays text, masking with a redaction key, and every allocation failure either reported or
 * harmless (this binary links with --wrap=malloc,calloc,realloc: tests/meson.build). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "correlate-model.h"
#include "report.h"
#include "report-template.h"

#define T0 INT64_C(1764057600000000) /* 2025-11-25T08:00:00Z */
#define S(sec) (T0 + (usec_t) ((sec) * 1e6))
#define ZWSP "\xe2\x80\x8b"

/* Allocation failure injection: the fail_at-th allocation while armed returns NULL. Only cascade's
 * own code is wrapped (the link's --wrap), not glibc's internal allocations. */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
static long n_allocs, fail_at;
static bool armed;

static bool fail_now(void) {
        return armed && ++n_allocs == fail_at;
}
void *__wrap_malloc(size_t n) {
        return fail_now() ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t size) {
        return fail_now() ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n) {
        return fail_now() ? NULL : __real_realloc(p, n);
}

static int zone_utc(void **state) {
        return time_set_zone("UTC");
}

static char *escape(const char *s) {
        StrBuf out = STRBUF_INIT;
        md_escape(&out, s, strlen(s));
        char *e = strbuf_detach(&out);
        assert_non_null(e);
        return e;
}

#define assert_escaped(in, want)                                \
        do {                                                    \
                _cleanup_free_ char *_e = escape(in);           \
                assert_string_equal(_e, want);                  \
        } while (0)

static void escape_plain_text_unchanged(void **state) {
        assert_escaped("", "");
        assert_escaped("pve1 left the cluster membership (2 of 3 members remain)",
                       "pve1 left the cluster membership (2 of 3 members remain)");
        assert_escaped("a-b+c=d:e 1.5 50% \"quoted\" 'single' ?;,/", "a-b+c=d:e 1.5 50% \"quoted\" 'single' ?;,/");
}

static void escape_emphasis_and_code(void **state) {
        assert_escaped("*bold* _it_ ~strike~ `code`", "\\*bold\\* \\_it\\_ \\~strike\\~ \\`code\\`");
        assert_escaped("{{name}} \\n", "\\{\\{name\\}\\} \\\\n");
}

static void escape_html(void **state) {
        assert_escaped("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_escaped("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;");
        assert_escaped("&lt; &#x3C; AT&T", "&amp;lt; &amp;\\#x3C; AT&amp;T");
        assert_escaped("<!-- hidden -->", "&lt;\\!-- hidden --&gt;");
}

static void escape_links_and_images(void **state) {
        assert_escaped("[click](http://evil.example/x)", "\\[click\\](http:" ZWSP "//evil.example/x)");
        assert_escaped("![img](https://e/x.png)", "\\!\\[img\\](https:" ZWSP "//e/x.png)");
        assert_escaped("[ref]: http://e", "\\[ref\\]: http:" ZWSP "//e");
        assert_escaped("<https://autolink>", "&lt;https:" ZWSP "//autolink&gt;");
        /* Bare URLs and www. names, which GitHub and Gitea would link. */
        assert_escaped("see https://evil.example now", "see https:" ZWSP "//evil.example now");
        assert_escaped("www.evil.example", "www" ZWSP ".evil.example");
        assert_escaped("a://", "a:" ZWSP "//");
        assert_escaped("x:/ y", "x:/ y");
}

static void escape_table_cells(void **state) {
        assert_escaped("a|b", "a\\|b");
        assert_escaped("| x | y |", "\\| x \\| y \\|");
        assert_escaped("a\\|b", "a\\\\\\|b");
}

static void escape_line_start_markers(void **state) {
        /* Characters that only mean something at the start of a line are escaped there only. */
        assert_escaped("- item", "\\- item");
        assert_escaped("+ item", "\\+ item");
        assert_escaped("===", "\\===");
        assert_escaped(": term", "\\: term");
        assert_escaped("# heading", "\\# heading");
        assert_escaped("x - y + z = w", "x - y + z = w");
        /* An ordered list marker: digits, '.' or ')', then a blank or the end. */
        assert_escaped("1. item", "1\\. item");
        assert_escaped("2025) item", "2025\\) item");
        assert_escaped("3.", "3\\.");
        assert_escaped("4.\tx", "4\\. x");
        assert_escaped("5.\nx", "5\\. x");
        assert_escaped("1.5 s 3.1.7 10) 2) 1.", "1.5 s 3.1.7 10) 2) 1.");
        assert_escaped("1.x a. b) .1 ", "1.x a. b) .1 ");
}

static void escape_controls_become_spaces(void **state) {
        assert_escaped("line one\nline two\r\n", "line one line two  ");
        assert_escaped("a\tb\x01" "c\x1b[31md\x7f" "e", "a b c \\[31md e");
        /* A newline cannot start a block: what follows is mid-line. */
        assert_escaped("x\n# heading\n- item\n| a |", "x \\# heading - item \\| a \\|");
}

static void escape_utf8_kept(void **state) {
        assert_escaped("n\xc5\x93ud caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x94\xa5 \xe6\x97\xa5\xe6\x9c\xac",
                       "n\xc5\x93ud caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x94\xa5 \xe6\x97\xa5\xe6\x9c\xac");
}

static void escape_reads_len_bytes_appending(void **state) {
        StrBuf out = STRBUF_INIT;
        md_escape(&out, "ab*cd", 3);
        assert_string_equal(out.buf, "ab\\*");
        md_escape(&out, "\0x", 2);     /* a NUL is a control character too */
        assert_string_equal(out.buf, "ab\\* x");
        strbuf_release(&out);
}

/* ---- report_markdown over a small analysis ---- */

static const char hostile[] = "sshd: <script>alert(1)</script> | [x](http://e.vil) `tick` \\|\n# injected\n- item";

static Analysis *model(const char *const *names, int n_nodes) {
        Analysis *a = model_of(names, n_nodes);
        a->first = S(0), a->last = S(5000);
        for (int i = 0; i < n_nodes; i++)
                a->nodes[i].corosync_id = i + 1;
        a->nodes_expected = n_nodes;
        return a;
}

static void boot(Analysis *a, int node, int64_t row, double first, double last) {
        CNode *cn = &a->nodes[node];
        cn->boots = realloc(cn->boots, (cn->n_boots + 1) * sizeof *cn->boots);
        cn->boots[cn->n_boots++] = (CBoot){ .row = row, .boot_id = strdup("0123456789abcdef"), .first = S(first),
                                            .last = S(last), .end_at = USEC_INVALID, .end_event = -1,
                                            .initiator_event = -1 };
}

/* Events must be added in time order. */
static void ev(Analysis *a, int node, int64_t boot_row, double t, const char *kind, const char *captures,
               const char *message) {
        a->events = realloc(a->events, (a->n_events + 1) * sizeof *a->events);
        a->events[a->n_events] = (CEvent){ .id = (int64_t) a->n_events + 1, .ts = S(t), .cts = S(t), .node = node,
                                           .boot = boot_row, .pid = 100 + node, .kind = strdup(kind),
                                           .rule = strdup(kind), .severity = SEVERITY_NOTICE,
                                           .captures = strdup(captures ? captures : "{}"),
                                           .message = strdup(message ? message : kind),
                                           .source = strdup("/var/log/syslog:1") };
        a->events[a->n_events].ek = event_kind_from_string(kind);
        a->n_events++;
        a->n_events_total++;
}

/* The first node logs in by ssh as `user` from 10.1.2.3 and reboots; the second sees it leave
 * and come back. Every line of the first node is the hostile text. */

/* The correlator's steps over a hand-built model, which must give one incident. */
static Analysis *correlated(Analysis *a) {
        assert_int_equal(correlate_identify_nodes(a), 0);
        correlate_clock(a);
        assert_int_equal(analysis_index_corosync(a), 0);
        assert_int_equal(correlate_boots(a), 0);
        assert_int_equal(correlate_membership(a), 0);
        assert_int_equal(correlate_incidents(a, NULL), 0);
        assert_int_equal(a->n_incidents, 1);
        return a;
}
static Analysis *single_reboot_from(const char *const *names, const char *user, const char *addr) {
        Analysis *a = model(names, 3);
        boot(a, 0, 10, 0, 150);
        boot(a, 0, 11, 170, 5000);
        boot(a, 1, 12, 0, 5000);
        boot(a, 2, 13, 0, 5000);
        char caps[128];
        snprintf(caps, sizeof caps, "{\"user\":\"%s\",\"addr\":\"%s\"}", user, addr);
        ev(a, 0, 10, 95, "ssh.login", caps, hostile);
        ev(a, 0, 10, 100, "system.reboot.requested", NULL, hostile);
        ev(a, 1, 12, 155, "corosync.membership", "{\"left\":\"1\"}", NULL);
        ev(a, 1, 12, 155, "corosync.quorum.members", "{\"count\":\"2\",\"members\":\"2 3\"}", "Members");
        ev(a, 1, 12, 185, "corosync.quorum.members", "{\"count\":\"3\",\"members\":\"1 2 3\"}", "Members");
        a->sources = calloc(1, sizeof *a->sources);
        a->sources[0].path = strdup("/var/log/syslog");
        a->n_sources = 1;
        return correlated(a);
}

static Analysis *single_reboot(const char *const *names, const char *user) {
        return single_reboot_from(names, user, "10.1.2.3");
}

static const char *const pve[] = { "pve1", "pve2", "pve3" };

static char *report(const Analysis *a, const char *redact_key) {
        ReportOptions opts = { .tz_name = "UTC", .redact_key = redact_key };
        StrBuf out = STRBUF_INIT;
        assert_int_equal(report_markdown(a, &opts, &out), 0);
        char *s = strbuf_detach(&out);
        assert_non_null(s);
        return s;
}

/* cmocka cuts long messages: the whole report goes to stderr. */
static void assert_contains(const char *text, const char *part) {
        if (!strstr(text, part)) {
                fprintf(stderr, "%s\n", text);
                fail_msg("the report above lacks '%s'", part);
        }
}

static void assert_lacks(const char *text, const char *part) {
        if (strstr(text, part)) {
                fprintf(stderr, "%s\n", text);
                fail_msg("the report above holds '%s'", part);
        }
}

/* Cells of a table row: the pipes that no backslash escapes, minus one. */
static int cells(const char *line, size_t len) {
        int pipes = 0;
        for (size_t i = 0; i < len; i++)
                pipes += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
        return pipes - 1;
}

/* Every row of every table has the cells of its header. */
static void assert_tables_intact(const char *text) {
        int want = -1;
        for (const char *p = text; *p;) {
                const char *eol = strchrnul(p, '\n');
                size_t len = (size_t) (eol - p);
                if (len > 0 && p[0] == '|') {
                        int n = cells(p, len);
                        if (want < 0)
                                want = n;
                        else if (n != want)
                                fail_msg("table row with %d cells, want %d: %.*s", n, want, (int) len, p);
                } else
                        want = -1;
                p = *eol ? eol + 1 : eol;
        }
}

static void report_has_sections(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        _cleanup_free_ char *md = report(a, NULL);
        static const char *const parts[] = {
                "# Incident 1: Node reboot, started by pve1\n",
                "classification **node-reboot**",
                "## Summary\n", "**Severity minor**: one clean reboot or shutdown; quorum held and no node was fenced",
                "## Impact\n", "## Timeline\n", "```mermaid\n---\ndisplayMode: compact\n---\ngantt\n", "## Detection\n", "## Trigger and root cause\n",
                "**Root cause**: **manual-reboot** on pve1", "**Trigger**: reboot of pve1 requested by alice",
                "## Key evidence\n", "## Evidence coverage\n", "## Contributing factors\n", "## What went well\n",
                "## Recommendations and action items\n", "- **P1** Before a planned reboot",
                "<details><summary>Nodes and boots of incident 1</summary>\n\n",
                "<details><summary>Pattern hits of incident 1</summary>\n\n",
                "<details><summary>Sources</summary>\n\n", "- syslog: `/var/log/syslog`\n",
                "| pve1 | 1 | 01234567 |", "alice (ssh login from 10.1.2.3)",
                "| system.reboot.requested | system.reboot.requested | 1 |",
                "from 5 events; times in UTC._",
        };
        for (size_t i = 0; i < ELEMENTSOF(parts); i++)
                assert_contains(md, parts[i]);
        assert_lacks(md, "No incident found");
        assert_lacks(md, "{{");
        assert_tables_intact(md);
}

static void report_log_line_stays_text(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        _cleanup_free_ char *md = report(a, NULL);
        /* In the evidence table as a code span: pipes escaped, line breaks spaces, a fence longer
         * than the backticks inside. */
        assert_contains(md, "| `` sshd: <script>alert(1)</script> \\| [x](http://e.vil) `tick` \\\\| "
                            "# injected - item `` | pve1 syslog:1 |");
        assert_tables_intact(md);
        /* Nowhere else: no line of the report starts with what the log line held after a break. */
        assert_lacks(md, "\n# injected");
        assert_lacks(md, "\n- item");
        /* Every <script> is inside that code span. */
        for (const char *p = md; (p = strstr(p, "<script>")); p++) {
                const char *bol = p;
                while (bol > md && bol[-1] != '\n')
                        bol--;
                /* In the key evidence table, or the trigger's paragraph, after the span's opening. */
                bool in_span = memmem(bol, (size_t) (p - bol), "`` sshd: ", strlen("`` sshd: ")) != NULL;
                if (!in_span || (strncmp(bol, "| ", 2) != 0 && strncmp(bol, "**Trigger**: ", strlen("**Trigger**: ")) != 0))
                        fail_msg("<script> outside a code span: %.*s", (int) (strchrnul(p, '\n') - bol), bol);
        }
}

static void report_node_names_escaped(void **state) {
        static const char *const names[] = { "pve1", "pve_2*<b>", "pve3" };
        _cleanup_(analysis_freep) Analysis *a = single_reboot(names, "alice");
        _cleanup_free_ char *md = report(a, NULL);
        assert_contains(md, "| pve\\_2\\*&lt;b&gt; |");
        assert_contains(md, "    section pve_2__b_\n");      /* Mermaid labels keep [A-Za-z0-9._-] */
        assert_lacks(md, "pve_2*<b>");
        assert_tables_intact(md);
}

static void report_without_incident(void **state) {
        _cleanup_(analysis_freep) Analysis *a = model(pve, 3);
        a->n_events_total = 42;
        _cleanup_free_ char *md = report(a, NULL);
        assert_contains(md, "# No incident found\n");
        assert_contains(md, "between\n2025-11-25 08:00:00 and 2025-11-25 09:23:20 (UTC) in 42 events.");
        assert_lacks(md, "# Incident");
        assert_lacks(md, "## Timeline");
}

static void report_redacted(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        _cleanup_free_ char *plain = report(a, NULL);
        _cleanup_free_ char *md = report(a, "secret");
        assert_lacks(md, "pve1");
        assert_lacks(md, "pve2");
        assert_lacks(md, "pve3");
        assert_lacks(md, "alice");
        assert_lacks(md, "10.1.2.3");
        assert_contains(md, "# Incident 1: Node reboot, started by host-");
        assert_contains(md, " (ssh login from ip-");
        assert_contains(md, "## Key evidence\n");
        /* The same key masks the same way; another key another way. */
        _cleanup_free_ char *again = report(a, "secret");
        assert_string_equal(again, md);
        _cleanup_free_ char *other = report(a, "other");
        assert_string_not_equal(other, md);
        assert_string_not_equal(plain, md);
        assert_tables_intact(md);
}

/* Redaction runs over the finished (escaped) report text: a node or user name holding a character
 * md_escape() escapes ('_', '*', '&', ...) is looked for as the report spells it ("john\_doe" in
 * the summary, timeline, root cause and boots table; "pve_2__b_" as a Mermaid label), and every
 * spelling gets the name's one token. */
static void report_redacts_escaped_names(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "john_doe");
        _cleanup_free_ char *md = report(a, "secret");
        assert_lacks(md, "john");
        assert_lacks(md, "10.1.2.3");
        assert_lacks(md, "pve");
        assert_tables_intact(md);
        /* The same token where the name was escaped and where it was not. */
        _cleanup_(analysis_freep) Analysis *b = single_reboot(pve, "john_doe");
        free(b->events[0].message);
        b->events[0].message = strdup("Accepted publickey for john_doe from 10.1.2.3 port 22");
        _cleanup_free_ char *md2 = report(b, "secret");
        assert_lacks(md2, "john");
        const char *code = strstr(md2, "Accepted publickey for user-");
        const char *text = strstr(md2, "(ssh login from ip-");
        assert_non_null(code);
        assert_non_null(text);
        const char *tok = text;
        while (tok > md2 && strncmp(tok, "user-", 5) != 0)
                tok--;
        assert_memory_equal(tok, code + strlen("Accepted publickey for "), strlen("user-") + 6);

        static const char *const names[] = { "pve1", "pve_2*<b>", "pve3" };
        _cleanup_(analysis_freep) Analysis *c = single_reboot(names, "a&b");
        _cleanup_free_ char *md3 = report(c, "secret");
        assert_lacks(md3, "pve");
        assert_lacks(md3, "a&amp;b");
        assert_lacks(md3, "a&b");
        assert_contains(md3, "    section host-");
        assert_tables_intact(md3);
}

/* Addresses are still found in escaped text: at the start of a value ("\::1"), in brackets
 * ("\[fe80::1\]") and mapped. */
static void report_redacts_addresses_in_escaped_text(void **state) {
        static const char *const names[] = { "pve1", "pve2", "::1" };
        _cleanup_(analysis_freep) Analysis *a = single_reboot_from(names, "root", "::ffff:10.9.8.7");
        _cleanup_free_ char *plain = report(a, NULL);
        assert_contains(plain, "ssh login from ::ffff:10.9.8.7");
        _cleanup_free_ char *md = report(a, "secret");
        assert_lacks(md, "10.9.8.7");
        assert_lacks(md, ".9.8.7");
        assert_lacks(md, "::1");
        assert_contains(md, "(ssh login from ip-");
}

/* Source paths are code spans whose fence is longer than any backtick run in the path, with line
 * breaks and control characters as spaces: a file name holding a backtick or a newline (a journal
 * directory unpacked from someone else's archive) cannot end the span and add markup (here an
 * image and a heading). */
static void report_source_path_stays_text(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        free(a->sources[0].path);
        a->sources[0].path = strdup("/srv/logs/x`![i](http://e.vil/p.png)`\n# injected/system.journal");
        _cleanup_free_ char *md = report(a, NULL);
        assert_lacks(md, "\n# injected");
        assert_contains(md, "\n- system.journal: ``/srv/logs/x`![i](http://e.vil/p.png)` # injected/system.journal``\n");

        /* Backticks at an end need a space inside the fence; a longer run a longer fence. */
        free(a->sources[0].path);
        a->sources[0].path = strdup("`a``b|c`");
        _cleanup_free_ char *md2 = report(a, NULL);
        assert_contains(md2, "\n- ``` `a``b|c` ```\n");     /* a name that is the whole path is not repeated */
        /* Spaces at both ends are kept (CommonMark strips one of each). */
        free(a->sources[0].path);
        a->sources[0].path = strdup(" /x\r");
        _cleanup_free_ char *md3 = report(a, NULL);
        assert_contains(md3, "\n- x : `  /x  `\n");
        /* A plain path as before. */
        free(a->sources[0].path);
        a->sources[0].path = strdup("/var/log/syslog");
        _cleanup_free_ char *md4 = report(a, NULL);
        assert_contains(md4, "\n- syslog: `/var/log/syslog`\n");
        /* Entries that named another node: said with the source, the names escaped. */
        a->sources[0].claims = 3;
        a->sources[0].claimed = strdup("pve*2*");
        _cleanup_free_ char *md5 = report(a, NULL);
        assert_contains(md5, "\n- syslog: `/var/log/syslog`: 3 of its entries gave another node's host name (pve\\*2\\*)");
}

/* Give every event of a the source src. */
static void all_from(Analysis *a, const char *src) {
        for (size_t i = 0; i < a->n_events; i++) {
                free(a->events[i].source);
                a->events[i].source = strdup(src);
        }
}

static void add_source(Analysis *a, const char *path) {
        a->sources = realloc(a->sources, (a->n_sources + 1) * sizeof *a->sources);
        a->sources[a->n_sources++] = (AnalysisSource){ .path = strdup(path) };
}

/* Where part first stands in text, failing when it does not. */
static const char *position(const char *text, const char *part) {
        assert_contains(text, part);
        return strstr(text, part);
}

/* Tables cite a source short: node, kind and an appendix number for a journal line, node and
 * file:line for text; the file by the fewest trailing parts of its path no other source shares.
 * The appendix gives the whole paths and, per journal line, its cursor in a journalctl command
 * over the chain's own files (the stored glob "pve*.journal" would match pve2's too). */
static void report_short_sources(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        free(a->sources[0].path);
        a->sources[0].path = strdup("/cases/acme/pve*.journal");
        add_source(a, "/cases/acme/pve2*.journal");
        add_source(a, "/cases/acme/text/syslog");
        add_source(a, "/cases/acme/auth/syslog");
        all_from(a, "/cases/acme/auth/syslog:1234");
        free(a->events[1].source);
        a->events[1].source = strdup("/cases/acme/pve*.journal (cursor s=abc;i=1'x)");
        free(a->events[0].source);
        a->events[0].source = strdup("/cases/acme/pve*.journal (cursor s=abc;i=0)");
        _cleanup_free_ char *md = report(a, NULL);
        assert_tables_intact(md);

        /* Evidence rows, numbered in the order they are cited. */
        const char *first = position(md, "| pve1 journal \\[1\\] |\n");
        const char *second = position(md, "| pve1 journal \\[2\\] |\n");
        assert_true(first < second);
        assert_contains(md, "| pve2 auth/syslog:1234 |\n");
        const char *details = position(md, "<details><summary>Sources</summary>");
        assert_true(second < details);
        /* No whole path before the appendix. */
        assert_true(position(md, "/cases/") > details);

        /* The appendix: names, whole paths (the chain without its glob), commands. */
        assert_contains(md, "\n- pve.journal: `/cases/acme/pve.journal`\n");
        assert_contains(md, "\n- pve2.journal: `/cases/acme/pve2.journal`\n");
        assert_contains(md, "\n- text/syslog: `/cases/acme/text/syslog`\n");
        assert_contains(md, "\n- auth/syslog: `/cases/acme/auth/syslog`\n");
        assert_contains(md, "\n- \\[1\\] pve.journal at 2025-11-25 08:01:35: "
                            "`journalctl --file '/cases/acme/pve[.@]*' --cursor 's=abc;i=0' -n 1`\n");
        /* A quote in a cursor cannot end the shell's quotes. */
        assert_contains(md, "\n- \\[2\\] pve.journal at 2025-11-25 08:01:40: "
                            "`journalctl --file '/cases/acme/pve[.@]*' --cursor 's=abc;i=1'\\''x' -n 1`\n");
        assert_lacks(md, "*.journal");

        /* Redacted: the directories, whole or in a short name, are tokens; names stay apart. */
        _cleanup_free_ char *red = report(a, "secret");
        assert_lacks(red, "acme");
        assert_lacks(red, "auth/");
        assert_lacks(red, "text/");
        assert_contains(red, "journal \\[1\\] |\n");
        assert_tables_intact(red);

        /* A quote in a directory: the command quotes it for the shell, and redaction still finds
         * the directory as the command spells it. */
        free(a->sources[0].path);
        a->sources[0].path = strdup("/cases/o'neil/pve*.journal");
        all_from(a, "/cases/o'neil/pve*.journal (cursor s=1)");
        _cleanup_free_ char *quoted = report(a, NULL);
        assert_contains(quoted, "`journalctl --file '/cases/o'\\''neil/pve[.@]*' --cursor 's=1' -n 1`\n");
        _cleanup_free_ char *quoted_red = report(a, "secret");
        assert_lacks(quoted_red, "neil");

        /* A source the event does not name a known one of: cited whole, as before. */
        all_from(a, "/elsewhere/x.log:7");
        _cleanup_free_ char *md2 = report(a, NULL);
        assert_contains(md2, "| ` /elsewhere/x.log:7 ` |\n");
        assert_lacks(md2, "Journal lines cited");
}

/* Log text loses its leading blanks in evidence and timeline cells, and stays escaped. */
static void report_log_text_trimmed(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        for (size_t i = 0; i < a->n_events; i++) {
                free(a->events[i].message);
                a->events[i].message = strdup(" \t  [TOTEM ] *indented* `x`");
        }
        for (size_t i = 0; i < a->incidents[0].n_timeline; i++) {
                free(a->incidents[0].timeline[i].summary);
                a->incidents[0].timeline[i].summary = strdup("   - *step*");
        }
        _cleanup_free_ char *md = report(a, NULL);
        assert_contains(md, "| `` [TOTEM ] *indented* `x` `` |");
        assert_contains(md, "| \\- \\*step\\* |\n");
        assert_lacks(md, "`` \t");
        assert_lacks(md, "|    - ");
        assert_tables_intact(md);
}

/* What is wrong with the report's Mermaid chart, or NULL: a line the chart does not write, a
 * section name twice (Mermaid would merge the two rows), a task name with ':', '#' or ';' (they end
 * a name or its data), a milestone with an end of its own, or a bar of a section that does not
 * start where or after the one before it ended: bars in one row never overlap. Times are compared
 * as text: the chart writes one fixed format. */
static char chart_problem_buf[512];

static const char *chart_problem(const char *md) {
        const char *p = strstr(md, "```mermaid\n");
        if (!p)
                return "no mermaid block";
        p += strlen("```mermaid\n");
        const char *end = strstr(p, "\n```\n");
        if (!end)
                return "the mermaid block is not closed";
        char sections[64][128], last_end[32] = "";
        int n_sections = 0, n = 0;
        bool front = false;
        for (const char *l = p; l <= end; n++) {
                const char *eol = strchrnul(l, '\n');
                char line[512];
                snprintf(line, sizeof line, "%.*s", (int) (eol - l), l);
                l = eol + 1;
#define BAD(why) return (snprintf(chart_problem_buf, sizeof chart_problem_buf, "%s: '%.400s'", why, line), chart_problem_buf)
                if ((n == 0 && streq(line, "---")) || (front && streq(line, "---"))) {
                        front = n == 0;
                        continue;
                }
                if (front) {
                        if (!streq(line, "displayMode: compact"))
                                BAD("unknown frontmatter");
                        continue;
                }
                if (streq(line, "gantt") || strncmp(line, "    title ", 10) == 0 ||
                    streq(line, "    dateFormat YYYY-MM-DDTHH:mm:ss") || streq(line, "    axisFormat %H:%M:%S"))
                        continue;
                if (strncmp(line, "    section ", 12) == 0) {
                        for (int k = 0; k < n_sections; k++)
                                if (streq(sections[k], line + 12))
                                        BAD("a section twice");
                        if (n_sections == 64 || line[12] == '\0')
                                BAD("too many sections, or one without a name");
                        snprintf(sections[n_sections++], sizeof sections[0], "%.120s", line + 12);
                        last_end[0] = '\0';
                        continue;
                }
                char *colon = strchr(line, ':');
                if (n_sections == 0 || strncmp(line, "    ", 4) != 0 || !colon || colon == line + 4 ||
                    strpbrk(line, "#;"))
                        BAD("not a task of a section");
                /* ":tag, ..., START, END" */
                char data[512], *tok[8];
                int n_tok = 0;
                snprintf(data, sizeof data, "%s", colon + 1);
                for (char *save = NULL, *t = strtok_r(data, ",", &save); t && n_tok < 8; t = strtok_r(NULL, ",", &save))
                        tok[n_tok++] = t + strspn(t, " ");
                if (n_tok < 3)
                        BAD("a task without tags, start and end");
                const char *start = tok[n_tok - 2], *stop = tok[n_tok - 1];
                bool milestone = false;
                for (int k = 0; k < n_tok - 2; k++) {
                        if (!streq(tok[k], "active") && !streq(tok[k], "crit") && !streq(tok[k], "milestone"))
                                BAD("an unknown tag");
                        milestone |= streq(tok[k], "milestone");
                }
                if (strlen(start) != 19 || strlen(stop) != 19 || start[10] != 'T' || stop[10] != 'T')
                        BAD("a time not in the date format");
                if (milestone) {
                        if (!streq(start, stop))
                                BAD("a milestone with a length");
                        continue;
                }
                if (strcmp(start, stop) >= 0)
                        BAD("a bar that ends before it starts");
                if (last_end[0] && strcmp(start, last_end) < 0)
                        BAD("a bar overlapping the one before it in its row");
                snprintf(last_end, sizeof last_end, "%s", stop);
#undef BAD
        }
        return NULL;
}

static void assert_chart_sound(const char *md) {
        const char *why = chart_problem(md);
        if (why) {
                fprintf(stderr, "%s\n", md);
                fail_msg("the chart of the report above: %s", why);
        }
}

/* The lines of the chart's section `name` (up to the next section or the block's end). */
static char *chart_section(const char *md, const char *name) {
        char head[160];
        snprintf(head, sizeof head, "    section %s\n", name);
        const char *p = strstr(md, head);
        if (!p) {
                fprintf(stderr, "%s\n", md);
                fail_msg("the chart above has no section '%s'", name);
        }
        p += strlen(head);
        const char *next = strstr(p, "    section "), *end = strstr(p, "```");
        size_t len = (size_t) ((next && next < end ? next : end) - p);
        char *sec = strndup(p, len);
        assert_non_null(sec);
        return sec;
}

/* The checker itself: it knows a sound chart, and catches bars that overlap in a row. */
static void chart_checker_catches_overlap(void **state) {
        static const char head[] = "```mermaid\n---\ndisplayMode: compact\n---\ngantt\n    title t\n"
                                   "    dateFormat YYYY-MM-DDTHH:mm:ss\n    axisFormat %H:%M:%S\n    section a\n";
        char md[1024];
        snprintf(md, sizeof md, "%s%s", head,
                 "    member :active, 2025-11-25T08:00:00, 2025-11-25T08:01:00\n"
                 "    reboot requested :milestone, 2025-11-25T08:00:30, 2025-11-25T08:00:30\n"
                 "    out :crit, 2025-11-25T08:01:00, 2025-11-25T08:02:00\n    section b\n"
                 "    out :crit, 2025-11-25T08:00:00, 2025-11-25T08:02:00\n```\n");
        assert_null(chart_problem(md));
        snprintf(md, sizeof md, "%s%s", head,
                 "    member :active, 2025-11-25T08:00:00, 2025-11-25T08:01:00\n"
                 "    out :crit, 2025-11-25T08:00:59, 2025-11-25T08:02:00\n```\n");
        assert_string_equal(chart_problem(md), "a bar overlapping the one before it in its row: "
                                               "'    out :crit, 2025-11-25T08:00:59, 2025-11-25T08:02:00'");
        snprintf(md, sizeof md, "%s%s", head,
                 "    member :active, 2025-11-25T08:00:00, 2025-11-25T08:01:00\n    section a\n"
                 "    out :crit, 2025-11-25T08:01:00, 2025-11-25T08:02:00\n```\n");
        assert_non_null(strstr(chart_problem(md), "a section twice"));
        snprintf(md, sizeof md, "%s%s", head, "    a: b :active, 2025-11-25T08:00:00, 2025-11-25T08:01:00\n```\n");
        assert_non_null(chart_problem(md));
        snprintf(md, sizeof md, "%s%s", head, "    fenced :milestone, crit, 2025-11-25T08:00:00, 1s\n```\n");
        assert_non_null(chart_problem(md));
}

/* The chart draws members in the active colour (Mermaid's "done" grey reads as inactive) and a
 * node out of the membership as critical. */
static void report_gantt_colours(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        _cleanup_free_ char *md = report(a, NULL);
        assert_chart_sound(md);
        assert_contains(md, "    member :active, ");
        assert_contains(md, "    out :crit, ");
        assert_lacks(md, ":done,");
}

static void add_timeline_entry(Incident *inc, usec_t ts, int node, const char *kind, const char *summary) {
        assert_int_equal(array_reserve(&inc->timeline, &inc->n_timeline_alloc, inc->n_timeline + 1,
                                       sizeof *inc->timeline, 8), 0);
        inc->timeline[inc->n_timeline++] = (TimelineEntry){ .ts = ts, .node = node, .kind = kind,
                                                             .summary = strdup(summary), .event = -1 };
}

/* One row per node, then the cluster's quorum: pve1's stretches in and out of the membership and
 * the moment its reboot was requested; the quorum as stretches labelled with the member count,
 * changing where the membership does. */
static void report_gantt_rows(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        _cleanup_free_ char *md = report(a, NULL);
        assert_chart_sound(md);
        _cleanup_free_ char *pve1 = chart_section(md, "pve1");
        _cleanup_free_ char *pve2 = chart_section(md, "pve2");
        _cleanup_free_ char *quorum = chart_section(md, "cluster quorum");
        assert_contains(pve1, "    reboot requested :milestone, 2025-11-25T08:01:40, 2025-11-25T08:01:40\n");
        assert_contains(pve1, ":crit, 2025-11-25T08:02:35, 2025-11-25T08:03:05\n");   /* out from leaving to rejoining */
        assert_lacks(pve2, "milestone");
        assert_lacks(pve2, ":crit");
        assert_contains(quorum, "quorate 3/3 members :active, ");
        assert_contains(quorum, "2/3");
        assert_contains(quorum, ":active, 2025-11-25T08:02:35, 2025-11-25T08:03:05\n");
        assert_lacks(quorum, ":crit");
        assert_lacks(quorum, "milestone");
}

/* pve1 reboots; pve2, left with pve3, logs losing quorum until pve1 is back. */
static Analysis *reboot_losing_quorum(void) {
        Analysis *a = model(pve, 3);
        boot(a, 0, 10, 0, 150);
        boot(a, 0, 11, 170, 5000);
        boot(a, 1, 12, 0, 5000);
        boot(a, 2, 13, 0, 5000);
        ev(a, 0, 10, 100, "system.reboot.requested", NULL, NULL);
        ev(a, 1, 12, 155, "corosync.membership", "{\"left\":\"1\"}", NULL);
        ev(a, 1, 12, 155, "corosync.quorum.members", "{\"count\":\"2\",\"members\":\"2 3\"}", "Members");
        ev(a, 1, 12, 156, "corosync.quorum.lost", NULL, NULL);
        ev(a, 1, 12, 185, "corosync.quorum.members", "{\"count\":\"3\",\"members\":\"1 2 3\"}", "Members");
        ev(a, 1, 12, 185, "corosync.quorum.regained", NULL, NULL);
        return correlated(a);
}

static int compare_entries(const void *x, const void *y) {
        const TimelineEntry *a = x, *b = y;
        return a->ts < b->ts ? -1 : a->ts > b->ts;
}

/* Fences and crashes are critical moments on the row of the node they happened to (HA's
 * acknowledgement on its target's, not on the logging master's); two moments closer than a label
 * are one, both named; quorum lost is a critical stretch. */
static void report_gantt_moments_and_quorum(void **state) {
        _cleanup_(analysis_freep) Analysis *a = reboot_losing_quorum();
        Incident *inc = &a->incidents[0];
        add_timeline_entry(inc, S(140), 2, "node.fenced", "pve3 was fenced");
        add_timeline_entry(inc, S(141), 2, "node.crash", "pve3 was lost");
        /* A line of pve2 (the CRM master) naming pve3 as the fence's target. */
        a->events = realloc(a->events, (a->n_events + 1) * sizeof *a->events);
        a->events[a->n_events] = (CEvent){ .id = 99, .ts = S(230), .cts = S(230), .node = 1, .boot = 12, .pid = 1,
                                           .kind = strdup("ha.fence.acknowledged"), .rule = strdup("r"),
                                           .captures = strdup("{\"target\":\"pve3\"}"), .message = strdup("m"),
                                           .source = strdup("s") };
        add_timeline_entry(inc, S(230), 1, "ha.fence", "HA fencing of pve3 acknowledged");
        inc->timeline[inc->n_timeline - 1].event = (int) a->n_events++;
        qsort(inc->timeline, inc->n_timeline, sizeof *inc->timeline, compare_entries);
        _cleanup_free_ char *md = report(a, NULL);
        assert_chart_sound(md);
        _cleanup_free_ char *pve2 = chart_section(md, "pve2");
        _cleanup_free_ char *pve3 = chart_section(md, "pve3");
        _cleanup_free_ char *quorum = chart_section(md, "cluster quorum");
        assert_contains(pve3, "    fenced, crash or power loss :milestone, crit, 2025-11-25T08:02:20, 2025-11-25T08:02:20\n");
        assert_contains(pve3, "    fence acknowledged by HA :milestone, crit, 2025-11-25T08:03:50, 2025-11-25T08:03:50\n");
        assert_lacks(pve2, "milestone");
        /* pve2 logged the loss a second after pve1 left: a second too short for a label, then
         * the loss in the critical colour, without the unit (the whole wording is too long). */
        assert_contains(quorum, " :active, 2025-11-25T08:02:35, 2025-11-25T08:02:36\n");
        assert_contains(quorum, "    no quorum 2/3 :crit, 2025-11-25T08:02:36, 2025-11-25T08:03:05\n");
        assert_contains(quorum, "quorate 3/3 members :active, ");
}

/* Nodes whose names give the same label keep a row each, also where a number added to one label
 * gives another's. */
static void report_gantt_labels_distinct(void **state) {
        static const char *const names[] = { "pve_1", "pve 1", "pve_1-2" };
        _cleanup_(analysis_freep) Analysis *a = single_reboot(names, "alice");
        _cleanup_free_ char *md = report(a, NULL);
        assert_chart_sound(md);
        assert_contains(md, "    section pve_1\n");
        assert_contains(md, "    section pve_1-2\n");
        assert_contains(md, "    section pve_1-2-2\n");
}

/* A notification that keeps failing is one timeline row: the first, then how many more came, until
 * when, and from which other nodes; the rows of other kinds between them stay. */
static void report_timeline_folds_repeats(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        Incident *inc = &a->incidents[0];
        size_t rows = inc->n_timeline;
        usec_t t0 = inc->start;
        add_timeline_entry(inc, t0 + S(1), 1, "notify.failed", "notification via gotify failed on pve2");
        add_timeline_entry(inc, t0 + S(2), 2, "notify.failed", "notification via gotify failed on pve3");
        add_timeline_entry(inc, t0 + S(3), 1, "notify.failed", "notification via gotify failed on pve2");
        add_timeline_entry(inc, t0 + S(4), 1, "notify.failed", "notification via gotify failed on pve2");
        _cleanup_free_ char *md = report(a, NULL);
        assert_contains(md, "notification via gotify failed on pve2; 3 more like it until ");
        assert_contains(md, ", also on pve3 |");
        assert_lacks(md, "failed on pve3 |");
        /* One row more than before, not four. */
        size_t n = 0;
        for (const char *p = md; (p = strstr(p, "\n| ")); p++)
                n += strstr(p, "notification via") && strchr(p + 1, '\n') > strstr(p, "notification via");
        assert_int_equal(n, 1);
        assert_true(rows + 4 == inc->n_timeline);
        assert_tables_intact(md);
}

/* Counts agree with their nouns: "1 notification", "9 notifications", never "(s)". */
static void report_plurals(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        a->incidents[0].n_notify_failed = 1;
        _cleanup_free_ char *one = report(a, NULL);
        assert_contains(one, "**Alerts lost**: 1 notification failed to send\n");
        a->incidents[0].n_notify_failed = 9;
        _cleanup_free_ char *many = report(a, NULL);
        assert_contains(many, "**Alerts lost**: 9 notifications failed to send\n");
        assert_lacks(many, "(s)");

        static const struct {
                const char *key, *count, *want;
        } phrases[] = {
                { "factor.notify-failed", "1", "1 notification failed:" },
                { "factor.notify-failed", "2", "2 notifications failed:" },
                { "factor.ha-migrations", "1", "HA moved services once (" },
                { "factor.ha-migrations", "3", "HA moved services 3 times (" },
                { "factor.ha-recovery", "1", "HA recovered 1 service from" },
                { "factor.ha-recovery", "10", "HA recovered 10 services from" },
                { "factor.pmxcfs-errors", "1", "corosync connection once on" },
                { "factor.pmxcfs-errors", "4", "corosync connection 4 times on" },
        };
        for (size_t i = 0; i < ELEMENTSOF(phrases); i++) {
                _cleanup_(tdata_freep) TData *v = tdata_new();
                tdata_set(v, "count", phrases[i].count);
                _cleanup_free_ char *text = phrase_render(phrases[i].key, v);
                assert_non_null(text);
                assert_contains(text, phrases[i].want);
                assert_lacks(text, "(s)");
        }
}

/* The appendix blocks: <details> opened and closed in turn, each with its summary and a blank
 * line after it (else GitHub renders the table inside as text), the Impact with no empty table
 * header. */
static void report_details_balanced(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        _cleanup_free_ char *md = report(a, NULL);
        int depth = 0, blocks = 0;
        for (const char *p = md; (p = strstr(p, "details>")); p++) {
                bool close = p[-1] == '/';
                assert_true(p - md >= 2 && (close ? p[-2] == '<' : p[-1] == '<'));
                if (close)
                        depth--;
                else {
                        assert_int_equal(strncmp(p, "details><summary>", strlen("details><summary>")), 0);
                        assert_non_null(strstr(p, "</summary>\n\n"));
                        blocks++;
                        depth++;
                }
                assert_in_range(depth, 0, 1);
        }
        assert_int_equal(depth, 0);
        assert_int_equal(blocks, 3);   /* the nodes and boots, the pattern hits, the sources */
        assert_contains(md, "</details>\n");
        assert_true(position(md, "| system.reboot.requested |") > position(md, "<details><summary>Pattern hits"));
        assert_lacks(md, "| | |");
        assert_contains(md, "## Impact\n\n- **Degraded for**: ");
}

/* scan's report file: the incident's start in UTC to the second, then its classification. */
static void markdown_path(void **state) {
        Incident inc = { .id = 1, .start = S(172.9), .end = S(400), .classification = CLASS_REBOOT_CASCADE };
        _cleanup_free_ char *path = NULL;
        assert_int_equal(report_markdown_path("/var/lib/cascade/reports", &inc, &path), 0);
        assert_string_equal(path, "/var/lib/cascade/reports/incident-20251125T080252Z-reboot-cascade.md");
        free(path);
        /* Not the --tz zone: a file name must not change with it. */
        assert_int_equal(time_set_zone("Europe/Berlin"), 0);
        inc.classification = CLASS_NODE_STALL;
        assert_int_equal(report_markdown_path("rep", &inc, &path), 0);
        assert_int_equal(time_set_zone("UTC"), 0);
        assert_string_equal(path, "rep/incident-20251125T080252Z-node-stall.md");
}

/* Fail each allocation of report_markdown() in turn: every run either says -ENOMEM or writes the
 * whole report; none succeeds with fields silently missing. */
static void report_allocation_failures_never_silent(void **state) {
        _cleanup_(analysis_freep) Analysis *a = single_reboot(pve, "alice");
        _cleanup_free_ char *whole = report(a, "key");
        ReportOptions opts = { .tz_name = "UTC", .redact_key = "key" };
        long k = 0, enomem = 0;
        do {
                StrBuf out = STRBUF_INIT;
                n_allocs = 0, fail_at = ++k, armed = true;
                int r = report_markdown(a, &opts, &out);
                armed = false;
                if (r >= 0)
                        r = strbuf_error(&out);
                if (r < 0) {
                        assert_int_equal(r, -ENOMEM);
                        enomem++;
                } else
                        assert_string_equal(out.buf, whole);
                strbuf_release(&out);
        } while (n_allocs >= k);
        assert_true(enomem > 100);     /* the injection reached the report's own allocations */
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(escape_plain_text_unchanged),
                cmocka_unit_test(escape_emphasis_and_code),
                cmocka_unit_test(escape_html),
                cmocka_unit_test(escape_links_and_images),
                cmocka_unit_test(escape_table_cells),
                cmocka_unit_test(escape_line_start_markers),
                cmocka_unit_test(escape_controls_become_spaces),
                cmocka_unit_test(escape_utf8_kept),
                cmocka_unit_test(escape_reads_len_bytes_appending),
                cmocka_unit_test(report_has_sections),
                cmocka_unit_test(report_log_line_stays_text),
                cmocka_unit_test(report_node_names_escaped),
                cmocka_unit_test(report_without_incident),
                cmocka_unit_test(report_redacted),
                cmocka_unit_test(report_redacts_escaped_names),
                cmocka_unit_test(report_redacts_addresses_in_escaped_text),
                cmocka_unit_test(report_source_path_stays_text),
                cmocka_unit_test(report_short_sources),
                cmocka_unit_test(report_log_text_trimmed),
                cmocka_unit_test(report_plurals),
                cmocka_unit_test(report_timeline_folds_repeats),
                cmocka_unit_test(report_gantt_colours),
                cmocka_unit_test(chart_checker_catches_overlap),
                cmocka_unit_test(report_gantt_rows),
                cmocka_unit_test(report_gantt_moments_and_quorum),
                cmocka_unit_test(report_gantt_labels_distinct),
                cmocka_unit_test(report_details_balanced),
                cmocka_unit_test(markdown_path),
                cmocka_unit_test(report_allocation_failures_never_silent),
        };
        return cmocka_run_group_tests(tests, zone_utc, NULL);
}
