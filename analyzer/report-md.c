/* report-md.c: the Markdown postmortem. All wording is in reports/postmortem.md.in and
 * reports/phrases.txt; this file only fills the template's data. Every value that can hold log
 * text goes through md_escape() (or md_code() / mermaid_label()), so no log line can add markup,
 * links, images, HTML or Mermaid statements to a report. */
#include <ctype.h>
#include <math.h>
#include <time.h>

#include "config.h"
#include "report-chart.h"
#include "report-redact.h"
#include "report-text.h"
#include "report.h"
#include "report-template.h"

/* Where the '.' or ')' of an ordered list marker ("1. ", "2) ") starting s is, else SIZE_MAX:
 * digits, then one of them, then a blank, a control character (a space once escaped) or the end. */
static size_t ordered_list_marker(const char *s, size_t len) {
        size_t k = 0;
        while (k < len && isdigit((unsigned char) s[k]))
                k++;
        if (k == 0 || k >= len || (s[k] != '.' && s[k] != ')'))
                return SIZE_MAX;
        if (k + 1 < len && (unsigned char) s[k + 1] > ' ' && s[k + 1] != 0x7f)
                return SIZE_MAX;
        return k;
}

void md_escape(StrBuf *out, const char *s, size_t len) {
        size_t marker = ordered_list_marker(s, len);
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char) s[i];
                if (c < 0x20 || c == 0x7f)
                        strbuf_addch(out, ' ');
                else if (c == '<')
                        strbuf_addstr(out, "&lt;");
                else if (c == '>')
                        strbuf_addstr(out, "&gt;");
                else if (c == '&')
                        strbuf_addstr(out, "&amp;");
                else if (strchr("\\`*_[]|~!#{}", c) || (i == 0 && strchr("-+=:", c)) || i == marker) {
                        char esc[2] = { '\\', (char) c };
                        strbuf_add(out, esc, 2);
                } else if (c == ':' && i + 2 < len && s[i + 1] == '/' && s[i + 2] == '/')
                        /* Defang bare URLs, which GitHub and Gitea would turn into links. */
                        strbuf_addstr(out, ":\xe2\x80\x8b");
                else if (c == '.' && i >= 3 && strncmp(s + i - 3, "www", 3) == 0)
                        strbuf_addstr(out, "\xe2\x80\x8b.");
                else
                        strbuf_addch(out, (char) c);
        }
}

static char *escaped(const char *s) {
        StrBuf sb = STRBUF_INIT;
        md_escape(&sb, s, strlen(s));
        return strbuf_detach(&sb);
}

/* The text of a code span: control characters (line breaks too) become spaces, and in a table
 * cell pipes are escaped (GFM splits cells before it finds code spans). */
static void md_code_text(StrBuf *sb, const char *s, bool table) {
        for (const char *p = s; *p; p++) {
                unsigned char c = (unsigned char) *p;
                if (c == '|' && table)
                        strbuf_addstr(sb, "\\|");
                else
                        strbuf_addch(sb, c < 0x20 || c == 0x7f ? ' ' : (char) c);
        }
}

/* A space in a code span once md_code_text() wrote it. */
static bool code_blank(char c) {
        return (unsigned char) c <= ' ' || c == 0x7f;
}

/* s as a CommonMark code span, so verbatim text stays text: the fence is one backtick longer than
 * any run in the text, and a space pads the text inside it always when pad, else only when
 * CommonMark needs one: a text starting or ending with a backtick, or starting and ending with a
 * space (the span would lose one of each). */
static void md_code_span(StrBuf *sb, const char *s, bool table, bool pad) {
        size_t run = 0, longest = 0, len = strlen(s);
        bool all_blank = true;
        for (const char *p = s; *p; p++) {
                run = *p == '`' ? run + 1 : 0;
                longest = MAX(longest, run);
                all_blank &= code_blank(*p);
        }
        pad = pad || (len > 0 && (s[0] == '`' || s[len - 1] == '`')) ||
              (!all_blank && code_blank(s[0]) && code_blank(s[len - 1]));
        for (size_t i = 0; i <= longest; i++)
                strbuf_addch(sb, '`');
        if (pad)
                strbuf_addch(sb, ' ');
        md_code_text(sb, s, table);
        if (pad)
                strbuf_addch(sb, ' ');
        for (size_t i = 0; i <= longest; i++)
                strbuf_addch(sb, '`');
}

/* A verbatim log line (or its source) as a code span inside a table cell, padded. */
static char *md_code(const char *s) {
        StrBuf sb = STRBUF_INIT;
        md_code_span(&sb, s, true, true);
        return strbuf_detach(&sb);
}

/* The fill_*() functions below only build: every failure, theirs or the tree's, is remembered by
 * the tree and report_markdown() checks it once before rendering. */

/* value was computed here and is NULL when that ran out of memory. */
static void set_made(TData *d, const char *key, const char *value) {
        if (value)
                tdata_set(d, key, value);
        else
                tdata_set_error(d, -ENOMEM);
}

static void set_escaped(TData *d, const char *key, const char *value) {
        _cleanup_free_ char *e = value ? escaped(value) : NULL;
        set_made(d, key, e);
}

/* sb's text escaped, or fallback when it is empty. */
/* An empty text sets nothing: the template words the absence. */
static void set_escaped_buf(TData *d, const char *key, const StrBuf *sb) {
        if (strbuf_error(sb) < 0)
                tdata_set_error(d, strbuf_error(sb));
        else if (sb->len)
                set_escaped(d, key, sb->buf);
}

static void set_code(TData *d, const char *key, const char *value) {
        _cleanup_free_ char *code = md_code(value);
        set_made(d, key, code);
}

/* "pve1, pve2" */
static void node_names(StrBuf *sb, const Analysis *a, const int *nodes, int n) {
        for (int i = 0; i < n; i++)
                strbuf_addf(sb, "%s%s", i ? ", " : "", a->nodes[nodes[i]].name);
}

static const char *node_of(const Analysis *a, int node) {
        return node >= 0 ? a->nodes[node].name : "cluster";
}

static const char *local_time(usec_t t, char buf[static RFC3339_MAX]) {
        return t == USEC_INVALID ? "-" : time_format_local(t, false, buf);
}

static void offset_text(usec_t d, char buf[static 32]) {
        char dur[32];
        if (d < 0)
                snprintf(buf, 32, "-%s", duration_text(-d, dur));
        else
                snprintf(buf, 32, "+%s", duration_text(d, dur));
}

/* Log text without its leading blanks: indentation says nothing in a table cell, and a code span
 * would keep it. */
static const char *skip_blanks(const char *s) {
        while (*s && isspace((unsigned char) *s))
                s++;
        return s;
}

/* Kinds whose every entry says the same again (a notification that keeps failing, pmxcfs losing
 * corosync as each node goes down): the timeline shows the first, with how many more came, until
 * when and from which other nodes, instead of a row each. */
static const char *const folded_kinds[] = { "notify.failed", "cluster-fs.error" };

static bool kind_folds(const char *kind) {
        for (size_t i = 0; i < ELEMENTSOF(folded_kinds); i++)
                if (streq(kind, folded_kinds[i]))
                        return true;
        return false;
}

/* Whether entry i is shown by an earlier row of its kind. */
static bool folded_into_earlier(const Incident *inc, size_t i) {
        if (!kind_folds(inc->timeline[i].kind))
                return false;
        for (size_t j = 0; j < i; j++)
                if (streq(inc->timeline[j].kind, inc->timeline[i].kind))
                        return true;
        return false;
}

static bool node_seen_before(const Incident *inc, size_t first, size_t j) {
        for (size_t k = first; k < j; k++)
                if (streq(inc->timeline[k].kind, inc->timeline[j].kind) && inc->timeline[k].node == inc->timeline[j].node)
                        return true;
        return false;
}

/* The entries after i that its row stands for: their count, the last one's time, the other nodes. */
static void fill_repeats(const Analysis *a, const Incident *inc, size_t i, TData *row) {
        const TimelineEntry *e = &inc->timeline[i];
        size_t count = 0;
        usec_t last = e->ts;
        StrBuf others = STRBUF_INIT;
        for (size_t j = i + 1; j < inc->n_timeline; j++) {
                const TimelineEntry *x = &inc->timeline[j];
                if (!streq(x->kind, e->kind))
                        continue;
                count++;
                last = x->ts;
                if (!node_seen_before(inc, i, j))
                        strbuf_addf(&others, "%s%s", others.len ? ", " : "", node_of(a, x->node));
        }
        char t[RFC3339_MAX];
        if (count > 0) {
                tdata_setf(row, "repeats", "%zu", count);
                tdata_set(row, "until", local_time(last, t) + 11);
        }
        if (strbuf_error(&others) < 0)
                tdata_set_error(row, strbuf_error(&others));
        else if (others.len > 0)
                set_escaped(row, "others", others.buf);
        strbuf_release(&others);
}

static void fill_timeline(const Analysis *a, const Incident *inc, TData *d) {
        TData *list = tdata_list(d, "timeline");
        char t[RFC3339_MAX], off[32];
        for (size_t i = 0; i < inc->n_timeline; i++) {
                const TimelineEntry *e = &inc->timeline[i];
                if (folded_into_earlier(inc, i))
                        continue;
                TData *row = tdata_append(list);
                tdata_set(row, "time", local_time(e->ts, t) + 11);
                offset_text(e->ts - inc->start, off);
                tdata_set(row, "offset", off);
                set_escaped(row, "node", node_of(a, e->node));
                set_escaped(row, "summary", skip_blanks(e->summary));
                if (kind_folds(e->kind))
                        fill_repeats(a, inc, i, row);
        }
}

/* One hypothesis as prefix+kind, node, at, confidence and summary: "root_kind" for the lead one. */
static void fill_hypothesis(const Analysis *a, const Hypothesis *h, TData *d, const char *prefix) {
        static const char *const fields[] = { "kind", "node", "at", "confidence", "summary" };
        char key[ELEMENTSOF(fields)][32], t[RFC3339_MAX], confidence[32];
        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                snprintf(key[i], sizeof key[i], "%s%s", prefix, fields[i]);
        tdata_set(d, key[0], cause_kind_to_string(h->kind));
        _cleanup_free_ char *cluster = h->node < 0 ? phrase_render("report.no-node", NULL) : NULL;
        set_escaped(d, key[1], h->node >= 0 ? a->nodes[h->node].name : cluster);
        tdata_set(d, key[2], local_time(h->at, t) + 11);
        snprintf(confidence, sizeof confidence, "%.0f%%", h->confidence * 100);
        tdata_set(d, key[3], confidence);
        set_escaped(d, key[4], h->summary);
}

static void fill_root(const Analysis *a, const Incident *inc, TData *d) {
        if (inc->n_hypotheses == 0)
                return;
        fill_hypothesis(a, &inc->hypotheses[0], d, "root_");
        TData *rivals = NULL, *later = NULL;
        for (size_t i = 1; i < inc->n_hypotheses; i++) {
                const Hypothesis *h = &inc->hypotheses[i];
                TData **holder = h->subsequent ? &later : &rivals;
                if (!*holder)
                        *holder = tdata_list(tdata_append(tdata_list(d, h->subsequent ? "subsequent" : "hypotheses")), "items");
                fill_hypothesis(a, h, tdata_append(*holder), "");
        }
}

/* How the report names the ingest sources. A journal chain is stored as "DIR/NAME*.journal", a
 * glob that also matches NAME2's files: it is shown as DIR/NAME.journal. Tables name a source by
 * the fewest trailing parts of that path no other source shares (its file name when that is
 * unambiguous): the analyst's directories say nothing to a reader and make rows wide; the
 * appendix gives the whole path. */
typedef struct SourceNames {
        char **shown;          /* per source: its path as the report shows it; NULL on OOM */
        const char **name;     /* per source: a tail of shown[i] */
        size_t n;
        TData *cited;          /* the root's list of the journal lines cited, in order */
        unsigned n_cited;
        const CEvent **cited_events;   /* the events cited, by number - 1: a line cited twice keeps its number */
        size_t n_cited_alloc;  /* capacity of cited_events */
} SourceNames;

static bool has_suffix(const char *s, const char *suffix) {
        size_t len = strlen(s), n = strlen(suffix);
        return len >= n && streq(s + len - n, suffix);
}

static bool journal_chain_path(const char *path) {
        return strlen(path) > strlen("*.journal") && has_suffix(path, "*.journal");
}

/* The last k parts of path ("/a/b/c", 2: "b/c"), or all of it when it has fewer. */
static const char *path_tail(const char *path, unsigned k) {
        const char *p = path + strlen(path);
        while (p > path) {
                if (p[-1] == '/' && --k == 0)
                        return p;
                p--;
        }
        return path;
}

static const char *source_short_name(const SourceNames *sn, size_t i) {
        for (unsigned k = 1;; k++) {
                const char *tail = path_tail(sn->shown[i], k);
                bool shared = false;
                for (size_t j = 0; j < sn->n && !shared; j++)
                        shared = j != i && streq(path_tail(sn->shown[j], k), tail);
                if (!shared || tail == sn->shown[i])
                        return tail;
        }
}

static void source_names_done(SourceNames *sn) {
        for (size_t i = 0; sn->shown && i < sn->n; i++)
                free(sn->shown[i]);
        free(sn->shown);
        free(sn->name);
}

static int source_names_init(const Analysis *a, SourceNames *sn) {
        *sn = (SourceNames){ .n = a->n_sources };
        sn->shown = calloc(a->n_sources + 1, sizeof *sn->shown);
        sn->name = calloc(a->n_sources + 1, sizeof *sn->name);
        if (!sn->shown || !sn->name)
                return -ENOMEM;
        for (size_t i = 0; i < a->n_sources; i++) {
                const char *path = a->sources[i].path;
                bool chain = journal_chain_path(path);
                if (asprintf(&sn->shown[i], "%.*s%s", (int) (strlen(path) - chain * strlen("*.journal")), path,
                             chain ? ".journal" : "") < 0) {
                        sn->shown[i] = NULL;
                        return -ENOMEM;
                }
        }
        for (size_t i = 0; i < a->n_sources; i++)
                sn->name[i] = source_short_name(sn, i);
        return 0;
}

/* Which source an event's "path:line" or "path (cursor C)" is of (the longest path that fits),
 * with what follows the path: the line number or the cursor. -1 when none fits. */
static int event_source(const Analysis *a, const char *source, const char **ret_line, const char **ret_cursor) {
        int best = -1;
        size_t best_len = 0;
        for (size_t i = 0; i < a->n_sources; i++) {
                size_t len = strlen(a->sources[i].path);
                if (len < best_len || strncmp(source, a->sources[i].path, len) != 0)
                        continue;
                const char *rest = source + len;
                if ((rest[0] == ':' && rest[1] && strspn(rest + 1, "0123456789") == strlen(rest + 1)) ||
                    (strncmp(rest, " (cursor ", strlen(" (cursor ")) == 0 && has_suffix(rest, ")")))
                        best = (int) i, best_len = len;
        }
        if (best < 0)
                return -1;
        const char *rest = source + best_len;
        *ret_line = rest[0] == ':' ? rest + 1 : NULL;
        *ret_cursor = rest[0] == ':' ? NULL : rest + strlen(" (cursor ");
        return best;
}

/* s as the inside of single quotes for a POSIX shell: each quote ends them, is escaped, and
 * opens them again. */
static void shell_quoted_text(StrBuf *sb, const char *s, size_t len) {
        for (size_t i = 0; i < len; i++)
                if (s[i] == '\'')
                        strbuf_addstr(sb, "'\\''");
                else
                        strbuf_addch(sb, s[i]);
}

/* The journalctl command that shows the entry at cursor: over the chain's files (NAME.journal and
 * its archived NAME@....journal, not NAME2's; journalctl expands the glob), or on the node itself
 * for a cursor of an export stream. */
static void journal_command(StrBuf *sb, const char *path, const char *cursor, size_t cursor_len) {
        strbuf_addstr(sb, "journalctl ");
        if (journal_chain_path(path)) {
                strbuf_addstr(sb, "--file '");
                shell_quoted_text(sb, path, strlen(path) - strlen("*.journal"));
                strbuf_addstr(sb, "[.@]*' ");
        }
        strbuf_addstr(sb, "--cursor '");
        shell_quoted_text(sb, cursor, cursor_len);
        strbuf_addstr(sb, "' -n 1");
}

/* A journal line cited: numbered in the appendix, with its cursor and the command showing it. */
static unsigned cite_journal_line(SourceNames *sn, const Analysis *a, const CEvent *e, size_t src, const char *cursor) {
        char t[RFC3339_MAX];
        for (unsigned k = 0; k < sn->n_cited; k++)
                if (sn->cited_events[k] == e)
                        return k + 1;
        if (array_reserve(&sn->cited_events, &sn->n_cited_alloc, sn->n_cited + 1, sizeof *sn->cited_events, 16) < 0) {
                tdata_set_error(sn->cited, -ENOMEM);
                return 0;
        }
        sn->cited_events[sn->n_cited] = e;
        TData *row = tdata_append(sn->cited);
        tdata_setf(row, "n", "%u", ++sn->n_cited);
        set_escaped(row, "name", sn->name[src]);
        tdata_set(row, "time", local_time(e->cts, t));
        StrBuf cmd = STRBUF_INIT, code = STRBUF_INIT;
        journal_command(&cmd, a->sources[src].path, cursor, strlen(cursor) - strlen(")"));
        if (strbuf_error(&cmd) < 0)
                tdata_set_error(row, strbuf_error(&cmd));
        else {
                /* Untrusted text in a code span: it stays text, and copies as one command. */
                md_code_span(&code, cmd.buf, false, false);
                _cleanup_free_ char *span = strbuf_detach(&code);
                set_made(row, "command", span);
        }
        strbuf_release(&cmd);
        return sn->n_cited;
}

/* An evidence line's source, short: "pve2 journal [3]" (the appendix's third journal line) or
 * "pve1 syslog:1234". */
static char *source_label(SourceNames *sn, const Analysis *a, const CEvent *e) {
        const char *line, *cursor;
        int src = event_source(a, e->source, &line, &cursor);
        if (src < 0)
                return md_code(e->source);
        _cleanup_(tdata_freep) TData *v = tdata_new();
        if (!v)
                return NULL;
        tdata_set(v, "node", a->nodes[e->node].name);
        if (cursor)
                tdata_setf(v, "n", "%u", cite_journal_line(sn, a, e, (size_t) src, cursor));
        else {
                tdata_set(v, "file", sn->name[src]);
                tdata_set(v, "line", line);
        }
        _cleanup_free_ char *label = phrase_render(cursor ? "source.journal-line" : "source.text-line", v);
        return label ? escaped(label) : NULL;
}

static void set_source_label(TData *row, SourceNames *sn, const Analysis *a, const CEvent *e) {
        _cleanup_free_ char *label = source_label(sn, a, e);
        set_made(row, "source", label);
}

/* The lines behind a finding, by their short sources: "proxmox2 journal [2], pve1 syslog:1234". */
static void set_citations(TData *row, SourceNames *sn, const Analysis *a, const Finding *f) {
        StrBuf sb = STRBUF_INIT;
        for (size_t k = 0; k < f->n_evidence; k++) {
                _cleanup_free_ char *label = source_label(sn, a, &a->events[f->evidence[k]]);
                if (!label)
                        tdata_set_error(row, -ENOMEM);
                strbuf_addf(&sb, "%s%s", k ? ", " : "", label ? label : "");
        }
        if (strbuf_error(&sb) < 0)
                tdata_set_error(row, strbuf_error(&sb));
        else if (sb.len)
                tdata_set(row, "cites", sb.buf);
        strbuf_release(&sb);
}

/* Findings as rows of text (escaped unless the text is cascade's own, with its Markdown), their
 * citations, and a priority for action items. */
static void fill_findings(TData *d, const char *key, SourceNames *sn, const Analysis *a, const Finding *v, size_t n, bool escape) {
        TData *list = tdata_list(d, key);
        for (size_t i = 0; i < n; i++) {
                TData *row = tdata_append(list);
                if (escape)
                        set_escaped(row, "text", v[i].text);
                else
                        tdata_set(row, "text", v[i].text);
                if (v[i].priority > 0)
                        tdata_setf(row, "priority", "%d", v[i].priority);
                set_citations(row, sn, a, &v[i]);
        }
}

static void fill_evidence(const Analysis *a, const Incident *inc, SourceNames *sn, TData *d) {
        TData *list = tdata_list(d, "evidence");
        char t[RFC3339_MAX];
        /* The root cause's chain, then the first line of every other hypothesis. */
        int seen[64];
        size_t n_seen = 0;
        for (size_t h = 0; h < inc->n_hypotheses; h++)
                for (size_t i = 0; i < inc->hypotheses[h].n_evidence && n_seen < ELEMENTSOF(seen); i++) {
                        int ev = inc->hypotheses[h].evidence[i];
                        bool dup = false;
                        for (size_t k = 0; k < n_seen; k++)
                                dup |= seen[k] == ev;
                        if (!dup)
                                seen[n_seen++] = ev;
                }
        for (size_t i = 1; i < n_seen; i++)     /* by time */
                for (size_t k = i; k > 0 && a->events[seen[k - 1]].cts > a->events[seen[k]].cts; k--) {
                        int x = seen[k];
                        seen[k] = seen[k - 1], seen[k - 1] = x;
                }
        for (size_t i = 0; i < n_seen; i++) {
                const CEvent *e = &a->events[seen[i]];
                TData *row = tdata_append(list);
                tdata_set(row, "time", local_time(e->cts, t) + 11);
                set_escaped(row, "node", a->nodes[e->node].name);
                set_source_label(row, sn, a, e);
                set_code(row, "message", skip_blanks(e->message));
        }
        /* What the chains matched but do not cite (correlate-evidence.c), said under the table. */
        size_t omitted = 0;
        for (size_t h = 0; h < inc->n_hypotheses; h++)
                omitted += inc->hypotheses[h].n_evidence_omitted;
        if (omitted > 0)
                tdata_setf(d, "evidence_omitted", "%zu", omitted);
}

/* The line that started it, what it means, and where it is. */
static void fill_trigger(const Analysis *a, const Incident *inc, SourceNames *sn, TData *d) {
        char t[RFC3339_MAX];
        if (inc->trigger < 0)
                return;
        const CEvent *e = &a->events[inc->trigger];
        TData *tr = tdata_append(tdata_list(d, "trigger"));
        tdata_set(tr, "time", local_time(e->cts, t) + 11);
        set_escaped(tr, "node", a->nodes[e->node].name);
        if (inc->trigger_text)
                set_escaped(tr, "meaning", inc->trigger_text);
        set_code(tr, "message", skip_blanks(e->message));
        set_source_label(tr, sn, a, e);
}

/* How anyone could have learnt of it, in the words of phrases.txt's "detection" entry, with the
 * lines it rests on. */
static void fill_detection(const Analysis *a, const Incident *inc, SourceNames *sn, TData *d) {
        const Detection *dt = &inc->detection;
        const int lines[] = { dt->first_sent, dt->first_failed, dt->first_action };
        static const char *const keys[] = { "first_sent", "first_failed", "first_action" };
        char t[RFC3339_MAX], off[32], key[48];
        _cleanup_(tdata_freep) TData *v = tdata_new();
        if (!v) {
                tdata_set_error(d, -ENOMEM);
                return;
        }
        tdata_setf(v, "sent", "%d", dt->alerts_sent);
        tdata_setf(v, "failed", "%d", dt->alerts_failed);
        if (dt->by_hand)
                tdata_set(v, "by_hand", "yes");
        Finding cited = { .n_evidence = 0 };
        for (size_t k = 0; k < ELEMENTSOF(lines); k++) {
                if (lines[k] < 0)
                        continue;
                const CEvent *e = &a->events[lines[k]];
                tdata_set(v, keys[k], local_time(e->cts, t) + 11);
                snprintf(key, sizeof key, "%s_after", keys[k]);
                tdata_set(v, key, duration_text(e->cts > inc->start ? e->cts - inc->start : 0, off));
                snprintf(key, sizeof key, "%s_node", keys[k]);
                tdata_set(v, key, a->nodes[e->node].name);
                cited.evidence[cited.n_evidence++] = lines[k];
        }
        _cleanup_free_ char *text = phrase_render("detection", v);
        TData *row = tdata_append(tdata_list(d, "detection"));
        set_escaped(row, "text", text);
        set_citations(row, sn, a, &cited);
}

/* A list of {text} rows; escaped unless the strings come from cascade's own data. */
static void fill_strings(TData *d, const char *key, char **v, size_t n, bool escape) {
        TData *list = tdata_list(d, key);
        for (size_t i = 0; i < n; i++) {
                TData *row = tdata_append(list);
                if (escape)
                        set_escaped(row, "text", v[i]);
                else
                        tdata_set(row, "text", v[i]);
        }
}

/* Whose own logs cover the incident: what the conclusions above rest on. */
static void fill_coverage(const Analysis *a, const Incident *inc, TData *d) {
        TData *list = tdata_list(d, "coverage");
        char t[RFC3339_MAX], key[32];
        for (size_t i = 0; i < a->n_nodes; i++) {
                usec_t first, last;
                Coverage c = analysis_coverage(a, (int) i, inc->start, inc->end, &first, &last);
                TData *row = tdata_append(list);
                snprintf(key, sizeof key, "coverage.%s", coverage_to_string(c));
                _cleanup_free_ char *words = phrase_render(key, NULL);
                set_escaped(row, "node", a->nodes[i].name);
                set_made(row, "logs", words);
                tdata_set(row, "first", first == USEC_INVALID ? "" : time_format_local(first, false, t));
                tdata_set(row, "last", last == USEC_INVALID ? "" : time_format_local(last, false, t));
        }
}

static void fill_boots(const Analysis *a, const Incident *inc, TData *d) {
        TData *list = tdata_list(d, "boots");
        char t1[RFC3339_MAX], t2[RFC3339_MAX], id[16];
        for (size_t n = 0; n < a->n_nodes; n++)
                for (size_t b = 0; b < a->nodes[n].n_boots; b++) {
                        const CBoot *boot = &a->nodes[n].boots[b];
                        if (boot->last < inc->start - USEC_PER_HOUR || boot->first > inc->end + USEC_PER_HOUR)
                                continue;
                        TData *row = tdata_append(list);
                        set_escaped(row, "node", a->nodes[n].name);
                        if (a->nodes[n].corosync_id > 0)
                                tdata_setf(row, "corosync_id", "%" PRId64, a->nodes[n].corosync_id);
                        else
                                tdata_set(row, "corosync_id", "?");
                        snprintf(id, sizeof id, "%.8s", boot->boot_id);
                        set_escaped(row, "boot", id);
                        tdata_set(row, "from", local_time(boot->first, t1));
                        tdata_set(row, "to", local_time(boot->last, t2));
                        tdata_set(row, "end", boot_end_to_string(boot->end));
                        set_escaped(row, "initiator", boot->initiator ? boot->initiator : "-");
                }
}

static void fill_skew(const Analysis *a, TData *d) {
        StrBuf sb = STRBUF_INIT;
        for (size_t i = 0; i < a->n_nodes; i++) {
                if (!a->nodes[i].skew_known || (int) i == a->reference_node)
                        continue;
                if (sb.len)
                        strbuf_addstr(&sb, ", ");
                strbuf_addf(&sb, "%s %+.3f s%s", a->nodes[i].name, fabs(a->nodes[i].skew) < 0.0005 ? 0.0 : a->nodes[i].skew,
                            a->nodes[i].skew_applied ? " (corrected)" : "");
        }
        set_escaped_buf(d, "skew", &sb);
        set_escaped(d, "reference", a->reference_node >= 0 ? a->nodes[a->reference_node].name : "-");
        strbuf_release(&sb);
}

typedef struct RuleHits {
        const CEvent *first;   /* an event of the rule, for its kind and id */
        int count;
} RuleHits;

static int compare_hits(const void *x, const void *y) {
        const RuleHits *a = x, *b = y;
        if (a->count != b->count)
                return b->count - a->count;
        return strcmp(a->first->rule, b->first->rule);
}

/* Tags per rule inside the incident, most frequent first. */
static void fill_hits(const Analysis *a, const Incident *inc, TData *d) {
        TData *list = tdata_list(d, "hits");
        _cleanup_free_ RuleHits *h = calloc(a->n_events + 1, sizeof *h);
        size_t n = 0;
        if (!h) {
                tdata_set_error(d, -ENOMEM);
                return;
        }
        for (size_t i = 0; i < a->n_events; i++) {
                const CEvent *e = &a->events[i];
                if (e->cts < inc->start || e->cts > inc->end)
                        continue;
                size_t k = 0;
                while (k < n && !streq(h[k].first->rule, e->rule))
                        k++;
                if (k == n)
                        h[n++].first = e;
                h[k].count++;
        }
        qsort(h, n, sizeof *h, compare_hits);
        for (size_t k = 0; k < n; k++) {
                TData *row = tdata_append(list);
                set_escaped(row, "kind", h[k].first->kind);
                set_escaped(row, "rule", h[k].first->rule);
                tdata_setf(row, "count", "%d", h[k].count);
        }
}

/* The phrase of key, or fallback when the library has none. */
static const char *phrase_or(TData *d, const char *key, const char *fallback, char *buf, size_t size) {
        _cleanup_free_ char *p = phrase_render(key, NULL);
        if (!p)
                tdata_set_error(d, -ENOMEM);
        snprintf(buf, size, "%s", p && !streq(p, key) ? p : fallback);
        return buf;
}

static void fill_heading(const Analysis *a, const Incident *inc, const char *title, TData *d) {
        char t1[RFC3339_MAX], t2[RFC3339_MAX], dur[32];
        tdata_setf(d, "id", "%d", inc->id);
        if (inc->n_hypotheses && inc->hypotheses[0].node >= 0) {
                _cleanup_free_ char *e = escaped(a->nodes[inc->hypotheses[0].node].name);
                if (e)
                        tdata_setf(d, "title", "%s, started by %s", title, e);
                else
                        tdata_set_error(d, -ENOMEM);
        } else
                tdata_set(d, "title", title);
        tdata_set(d, "start_local", local_time(inc->start, t1));
        tdata_set(d, "end_local", local_time(inc->end, t2) + 11);
        tdata_set(d, "classification", classification_to_string(inc->classification));
        tdata_set(d, "severity", incident_severity_to_string(inc->severity));
        set_escaped(d, "severity_reason", inc->severity_reason);
        tdata_set(d, "degraded", duration_text((usec_t) (inc->degraded_seconds * USEC_PER_SEC), dur));
        tdata_setf(d, "min_members", "%d", inc->min_members);
        tdata_setf(d, "nodes_expected", "%d", inc->nodes_expected);
}

/* The phrases below are filled from trees of their own: phrase_render() returns NULL when one of
 * them lost a value, and set_escaped() passes that on to the report's tree. */
static char *quorum_phrase(const Analysis *a, const Incident *inc) {
        _cleanup_(tdata_freep) TData *q = tdata_new();
        if (!q)
                return NULL;
        StrBuf sb = STRBUF_INIT;
        node_names(&sb, a, inc->quorum_lost_nodes, inc->n_quorum_lost);
        if (strbuf_error(&sb) < 0)
                tdata_set_error(q, strbuf_error(&sb));
        else
                tdata_set(q, "nodes", sb.buf);
        strbuf_release(&sb);
        return phrase_render(inc->quorum_lost ? "impact.quorum-lost" : "impact.quorum-kept", q);
}

static char *alerts_phrase(const Incident *inc) {
        _cleanup_(tdata_freep) TData *al = tdata_new();
        if (!al)
                return NULL;
        tdata_setf(al, "count", "%d", inc->n_notify_failed);
        return phrase_render(inc->n_notify_failed ? "impact.alerts-lost" : "impact.alerts-none", al);
}

/* How close to the root cause another member's loss counts as happening with it. */
#define SUMMARY_SAME_TIME (10 * USEC_PER_SEC)

/* The summary paragraph is a phrase too, in plain words: who did what and when (the root cause,
 * then each subsequent event), and with what effect. */
static char *summary_phrase(const Incident *inc, const char *quorum) {
        _cleanup_(tdata_freep) TData *s = tdata_new();
        char t1[RFC3339_MAX], t2[RFC3339_MAX], dur[32];
        if (!s)
                return NULL;
        tdata_set(s, "start", local_time(inc->start, t1) + 11);
        tdata_set(s, "end", local_time(inc->end, t2) + 11);
        tdata_setf(s, "min", "%d", inc->min_members);
        tdata_setf(s, "expected", "%d", inc->nodes_expected);
        if (inc->min_members >= inc->nodes_expected)
                tdata_set(s, "all_stayed", "yes");
        tdata_set(s, "degraded", duration_text((usec_t) (inc->degraded_seconds * USEC_PER_SEC), dur));
        tdata_set(s, "quorum", quorum);
        if (inc->n_hypotheses)
                tdata_set(s, "root", inc->hypotheses[0].summary);
        /* Members lost within seconds of the first went with it; later ones came next. */
        StrBuf sb = STRBUF_INIT;
        for (int later = 0; later <= 1; later++) {
                strbuf_reset(&sb);
                for (size_t i = 1; i < inc->n_hypotheses; i++) {
                        const Hypothesis *h = &inc->hypotheses[i];
                        if (h->subsequent && (h->at - inc->hypotheses[0].at >= SUMMARY_SAME_TIME) == later)
                                strbuf_addf(&sb, "%s%s", sb.len ? (later ? "; then " : "; ") : "", h->summary);
                }
                if (sb.len)
                        tdata_set(s, later ? "next" : "with", sb.buf);
        }
        strbuf_reset(&sb);
        for (size_t i = 0; i < inc->n_ha_services; i++)
                strbuf_addf(&sb, "%s%s", i ? ", " : "", inc->ha_services[i]);
        if (sb.len)
                tdata_set(s, "services", sb.buf);
        if (strbuf_error(&sb) < 0)
                tdata_set_error(s, strbuf_error(&sb));
        strbuf_release(&sb);
        if (inc->n_notify_failed && inc->detection.alerts_sent == 0)
                tdata_setf(s, "alerts", "%d", inc->n_notify_failed);
        return phrase_render("summary", s);
}

static void fill_impact(const Analysis *a, const Incident *inc, const char *title, TData *d) {
        _cleanup_free_ char *quorum = quorum_phrase(a, inc), *alerts = alerts_phrase(inc);
        set_escaped(d, "quorum", quorum);
        set_escaped(d, "alerts_lost", alerts);
        StrBuf sb = STRBUF_INIT;
        node_names(&sb, a, inc->fenced_nodes, inc->n_fenced);
        set_escaped_buf(d, "fenced", &sb);
        strbuf_reset(&sb);
        for (size_t i = 0; i < inc->n_ha_services; i++)
                strbuf_addf(&sb, "%s%s", i ? ", " : "", inc->ha_services[i]);
        set_escaped_buf(d, "ha_services", &sb);
        strbuf_release(&sb);
        _cleanup_free_ char *summary = quorum ? summary_phrase(inc, quorum) : NULL;
        set_escaped(d, "summary", summary);
}

/* Per HA service its outage: what took it down, from where to where, and for how long. */
static void fill_outages(const Analysis *a, const Incident *inc, TData *d) {
        if (inc->n_outages == 0)
                return;
        TData *rows = tdata_list(tdata_append(tdata_list(d, "outages")), "rows");
        char t[RFC3339_MAX], dur[32], how[128], key[64], buf[128];
        for (size_t i = 0; i < inc->n_outages; i++) {
                const ServiceOutage *o = &inc->outages[i];
                TData *row = tdata_append(rows);
                set_escaped(row, "service", o->sid);
                snprintf(key, sizeof key, "outage.%s", o->how);
                set_escaped(row, "how", phrase_or(row, key, o->how, how, sizeof how));
                set_escaped(row, "from_node", o->from_node >= 0 ? a->nodes[o->from_node].name : "?");
                set_escaped(row, "to_node", o->to_node >= 0 ? a->nodes[o->to_node].name : "?");
                tdata_set(row, "stopped", o->from == USEC_INVALID ? "?" : local_time(o->from, t) + 11);
                tdata_set(row, "running", o->to == USEC_INVALID ? phrase_or(row, "outage.not-back", "-", buf, sizeof buf)
                                                                : local_time(o->to, t) + 11);
                tdata_set(row, "downtime", o->live                                            ? phrase_or(row, "outage.live", "0s", buf, sizeof buf)
                                           : o->to == USEC_INVALID || o->from == USEC_INVALID ? "?"
                                                                                              : duration_text(o->to - o->from, dur));
        }
}

static void fill_incident(const Analysis *a, const Incident *inc, SourceNames *sn, TData *d) {
        char title[512], key[64];
        snprintf(key, sizeof key, "title.%s", classification_to_string(inc->classification));
        phrase_or(d, key, classification_to_string(inc->classification), title, sizeof title);
        fill_heading(a, inc, title, d);
        fill_impact(a, inc, title, d);
        fill_outages(a, inc, d);
        fill_timeline(a, inc, d);
        report_chart_fill(a, inc, d);
        fill_root(a, inc, d);
        /* The key evidence table numbers the journal lines it cites first: 1, 2, 3 down the table. */
        fill_evidence(a, inc, sn, d);
        fill_trigger(a, inc, sn, d);
        fill_detection(a, inc, sn, d);
        fill_coverage(a, inc, d);
        fill_strings(d, "questions", inc->questions, inc->n_questions, true);
        fill_findings(d, "factors", sn, a, inc->factors, inc->n_factors, true);
        fill_findings(d, "went_well", sn, a, inc->went_well, inc->n_went_well, true);
        /* Advice comes from the pattern library and reports/, not from logs: its Markdown stays. */
        fill_findings(d, "advice", sn, a, inc->advice, inc->n_advice, false);
        fill_boots(a, inc, d);
        fill_skew(a, d);
        fill_hits(a, inc, d);
}

static void fill_report(const Analysis *a, const ReportOptions *opts, const SourceNames *names, TData *root) {
        TData *incidents = tdata_list(root, "incidents");
        SourceNames sn = *names;       /* the names as made, numbering the lines cited in this tree */
        char t[RFC3339_MAX];
        sn.cited = tdata_list(root, "cited");
        for (size_t i = 0; i < a->n_incidents; i++)
                if (opts->incident <= 0 || a->incidents[i].id == opts->incident)
                        fill_incident(a, &a->incidents[i], &sn, tdata_append(incidents));
        free(sn.cited_events);
        if (sn.n_cited > 0)
                tdata_set(root, "any_cited", "yes");
        /* The zone's own abbreviation (UTC, CET...) says more than its name. */
        usec_t ref = a->n_incidents ? a->incidents[0].start : a->first != USEC_INVALID ? a->first : now_usec();
        time_t secs = (time_t) (ref / USEC_PER_SEC);
        struct tm tm;
        localtime_r(&secs, &tm);
        tdata_set(root, "tz", tm.tm_zone ? tm.tm_zone : opts->tz_name);
        tdata_set(root, "since_local", local_time(a->since != USEC_INVALID ? a->since : a->first, t));
        tdata_set(root, "until_local", local_time(a->until != USEC_INVALID ? a->until : a->last, t));
        tdata_setf(root, "n_events", "%" PRId64, a->n_events_total);
        tdata_set(root, "version", PACKAGE_VERSION);
        if (opts->cluster)
                set_escaped(root, "cluster", opts->cluster);
        /* Hashes, not log text: nothing to escape. One, but while a retag is under way. */
        StrBuf libraries = STRBUF_INIT;
        for (size_t i = 0; i < a->n_libraries; i++)
                strbuf_addf(&libraries, "%s%s", i ? ", " : "", a->libraries[i]);
        if (strbuf_error(&libraries) < 0)
                tdata_set_error(root, strbuf_error(&libraries));
        else if (a->n_libraries > 0)
                tdata_set(root, "library", libraries.buf);
        strbuf_release(&libraries);
        /* A source as a whole code span: a path holding backticks or line breaks stays text. */
        TData *sources = tdata_list(root, "sources");
        StrBuf sb = STRBUF_INIT;
        for (size_t i = 0; i < a->n_sources; i++) {
                strbuf_reset(&sb);
                md_code_span(&sb, sn.shown[i], false, false);
                if (strbuf_error(&sb) < 0) {
                        tdata_set_error(root, strbuf_error(&sb));
                        continue;
                }
                TData *src = tdata_append(sources);
                tdata_set(src, "path", sb.buf);
                /* A name that is the whole path already ("collect:pve1", "-") is not repeated. */
                if (sn.name[i] != sn.shown[i])
                        set_escaped(src, "name", sn.name[i]);
                /* Entries that named another node: stored under the source's node all the same. */
                if (a->sources[i].claims > 0) {
                        tdata_setf(src, "claims", "%" PRId64, a->sources[i].claims);
                        set_escaped(src, "claimed", a->sources[i].claimed);
                }
        }
        strbuf_release(&sb);
}

/* name as the report may spell it, each masked with name's own token: as written (and in a code
 * span), escaped by md_escape() at the start of a value or within it, and for a host its Mermaid
 * label (whole, and cut as the gantt's label buffers cut it). */
static int redact_name(Redactor *rd, const char *name, const char *kind) {
        int r = redactor_add(rd, name, kind);
        StrBuf sb = STRBUF_INIT;
        for (int form = 0; r >= 0 && form < 6; form++) {
                strbuf_reset(&sb);
                if (form == 0)
                        md_code_text(&sb, name, true);
                else if (form == 1)
                        md_code_text(&sb, name, false);
                else if (form == 2)
                        md_escape(&sb, name, strlen(name));
                else if (form == 3) {
                        strbuf_addch(&sb, ' ');
                        md_escape(&sb, name, strlen(name));
                } else {
                        if (!streq(kind, "host"))
                                break;
                        char label[GANTT_SECTION_MAX];
                        mermaid_label(name, label, form == 4 ? GANTT_SECTION_MAX : GANTT_QUORUM_NODE_MAX);
                        strbuf_addstr(&sb, label);
                }
                r = strbuf_error(&sb);
                if (r >= 0)
                        r = redactor_add_spelling(rd, sb.buf + (form == 3), name, kind);
        }
        strbuf_release(&sb);
        return r;
}

/* A source's path as the report spells it (in a code span, in a table cell or not, in a shell
 * command's quotes; its short name escaped, at the start of a value or within it), each with the
 * token of its directory: the analyst's directories may name a customer, a case or a colleague.
 * A short name's directories ("acme/syslog" beside "globex/syslog") are masked wherever they
 * stand, which may mask a log word of the same spelling too: more than needed, never less. */
static int redact_path(Redactor *rd, const char *path, const char *short_name) {
        StrBuf sb = STRBUF_INIT, quoted = STRBUF_INIT;
        int r = 0;
        shell_quoted_text(&quoted, path, strlen(path));
        for (int form = 0; r >= 0 && form < 5; form++) {
                strbuf_reset(&sb);
                if (form < 2)
                        md_code_text(&sb, path, form);
                else if (form == 2)
                        md_code_text(&sb, quoted.buf ? quoted.buf : "", false);
                else {
                        if (form == 3)
                                strbuf_addch(&sb, ' ');
                        md_escape(&sb, short_name, strlen(short_name));
                }
                r = strbuf_error(&sb) < 0 ? strbuf_error(&sb) : strbuf_error(&quoted);
                if (r >= 0)
                        r = redactor_add_path(rd, sb.buf + (form == 3), path);
        }
        strbuf_release(&quoted);
        strbuf_release(&sb);
        return r;
}

/* Every node name and every user a tag captured (ssh logins, sessions, API tasks) is masked, the
 * directories of the sources, and addresses and key fingerprints wherever they stand; the masking
 * runs over the finished text, so nothing escapes it: names are looked for as the report spells
 * them (escaped, in code spans, as Mermaid labels). */
static int redact_report(const Analysis *a, const SourceNames *sn, const char *key, const StrBuf *plain, StrBuf *out) {
        _cleanup_(redactor_freep) Redactor *rd = NULL;
        int r = redactor_new(key, &rd);
        for (size_t i = 0; r >= 0 && i < a->n_nodes; i++)
                r = redact_name(rd, a->nodes[i].name, "host");
        for (size_t i = 0; r >= 0 && i < a->n_sources; i++)
                r = redact_path(rd, a->sources[i].path, sn->name[i]);
        char user[256];
        for (size_t i = 0; r >= 0 && i < a->n_events; i++)
                if (cevent_capture(&a->events[i], "user", user, sizeof user)) {
                        /* "root@pam": the realm stays, the name goes. */
                        user[strcspn(user, "@")] = '\0';
                        r = redact_name(rd, user, "user");
                }
        if (r < 0)
                return r;
        redactor_apply(rd, plain->buf, plain->len, out);
        return 0;
}

int report_markdown_path(const char *dir, const Incident *inc, char **ret) {
        char stamp[32], cls[64];
        time_t t = (time_t) (inc->start / USEC_PER_SEC);
        struct tm tm;
        if (!gmtime_r(&t, &tm) || strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm) == 0)
                return -EINVAL;
        /* The classification is one of a fixed set, but a file name takes no chances. */
        size_t n = 0;
        for (const char *p = classification_to_string(inc->classification); *p && n < sizeof cls - 1; p++)
                cls[n++] = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '-';
        cls[n] = '\0';
        return asprintf(ret, "%s/incident-%s-%s.md", dir, stamp, cls) < 0 ? -ENOMEM : 0;
}

int report_markdown(const Analysis *a, const ReportOptions *opts, StrBuf *out) {
        _cleanup_(source_names_done) SourceNames names = {};
        _cleanup_(tdata_freep) TData *root = tdata_new();
        if (!root)
                return -ENOMEM;
        int r = source_names_init(a, &names);
        if (r < 0)
                return r;
        fill_report(a, opts, &names, root);
        /* A report missing a field it should have is worse than none. */
        r = tdata_error(root);
        if (r < 0)
                return r;
        TemplateError err;
        if (!opts->redact_key)
                return template_render(text_postmortem_md_in, root, out, &err);
        StrBuf plain = STRBUF_INIT;
        r = template_render(text_postmortem_md_in, root, &plain, &err);
        if (r >= 0)
                r = strbuf_error(&plain);
        if (r >= 0)
                r = redact_report(a, &names, opts->redact_key, &plain, out);
        strbuf_release(&plain);
        return r;
}
