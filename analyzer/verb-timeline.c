/* verb-timeline.c: `cascade timeline`: every node's events merged into one timeline, corrected for
 * clock skew (from the correlator's ring-id offsets), with the tags the pattern library gave them.
 * Per node the events come in time order; a k-way merge on corrected time interleaves them. */
#include <csv.h>
#include <getopt.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cli.h"
#include "correlate.h"
#include "json.h"
#include "log.h"
#include "strbuf.h"
#include "template.h"

static const char sql_node_events[] =
        "SELECT e.ts, e.identifier, e.pid, e.priority, e.message, "
        "  (SELECT group_concat(t.kind, ',') FROM tag t WHERE t.event_id = e.id), "
        "  CASE WHEN e.line IS NOT NULL THEN s.path || ':' || e.line ELSE s.path END "
        "FROM event e JOIN source s ON s.id = e.source_id "
        "WHERE e.node_id = ?1 AND e.ts >= ?2 AND e.ts < ?3 AND (?4 < 0 OR e.priority <= ?4) "
        "ORDER BY e.ts, e.id";

typedef enum TimelineFormat {
        TIMELINE_TEXT,
        TIMELINE_CSV,
        TIMELINE_JSON,
} TimelineFormat;

typedef struct Filters {
        const char *node;
        const char *kind;      /* a tag kind, or a prefix ending in '.' or '*' */
        pcre2_code *grep;
        pcre2_match_data *md;
        int priority;          /* at most this priority, -1 for all */
} Filters;

static void filters_done(Filters *f) {
        pcre2_match_data_free(f->md);
        pcre2_code_free(f->grep);
}

typedef struct Head {
        sqlite3_stmt *st;      /* stepping through one node's events, NULL when exhausted */
        const char *node;
        usec_t offset;         /* skew applied */
        int color;
} Head;

typedef struct Heads {
        Head v[256];
        size_t n;              /* prepared so far; each owns its statement */
} Heads;

static void heads_done(Heads *hs) {
        for (size_t i = 0; i < hs->n; i++)
                sqlite3_finalize(hs->v[i].st);
        hs->n = 0;
}

static bool kind_matches(const char *kinds, const char *want) {
        if (!want)
                return true;
        if (!kinds)
                return false;
        size_t n = strlen(want);
        bool prefix = n > 0 && (want[n - 1] == '*' || want[n - 1] == '.');
        if (want[n - 1] == '*')
                n--;
        for (const char *p = kinds; *p;) {
                size_t len = strcspn(p, ",");
                if (prefix ? len >= n && strncmp(p, want, n) == 0 : len == n && strncmp(p, want, n) == 0)
                        return true;
                p += len + (p[len] == ',');
        }
        return false;
}

static bool row_wanted(const Filters *f, sqlite3_stmt *st) {
        if (!kind_matches((const char *) sqlite3_column_text(st, 5), f->kind))
                return false;
        if (f->grep) {
                const char *m = (const char *) sqlite3_column_blob(st, 4);
                size_t n = (size_t) sqlite3_column_bytes(st, 4);
                if (pcre2_match(f->grep, (PCRE2_SPTR) (m ? m : ""), n, 0, 0, f->md, NULL) < 0)
                        return false;
        }
        return true;
}

static void advance(Head *h, const Filters *f) {
        while (h->st) {
                if (sqlite3_step(h->st) != SQLITE_ROW) {
                        sqlite3_finalize(h->st);
                        h->st = NULL;
                } else if (row_wanted(f, h->st))
                        return;
        }
}

static int print_row(const Head *h, TimelineFormat fmt, bool utc, bool color, bool *first) {
        sqlite3_stmt *st = h->st;
        usec_t ts = sqlite3_column_int64(st, 0) - h->offset;
        char t[RFC3339_MAX];
        const char *ident = (const char *) sqlite3_column_text(st, 1);
        const char *msg = (const char *) sqlite3_column_blob(st, 4);
        size_t msg_len = (size_t) sqlite3_column_bytes(st, 4);
        const char *kinds = (const char *) sqlite3_column_text(st, 5);
        const char *source = (const char *) sqlite3_column_text(st, 6);
        int prio = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 3);
        if (utc)
                time_format_rfc3339(ts, t);
        else
                time_format_local(ts, true, t);
        if (fmt == TIMELINE_TEXT) {
                static char safe[8192];
                log_sanitize(msg ? msg : "", msg_len, safe, sizeof safe);
                char pid[24] = "";
                if (sqlite3_column_type(st, 2) != SQLITE_NULL)
                        snprintf(pid, sizeof pid, "[%lld]", (long long) sqlite3_column_int64(st, 2));
                const char *on = color ? (prio >= 0 && prio <= 3 ? "\033[1;31m" : prio == 4 ? "\033[33m" : "") : "";
                printf("%s %s%-12s%s %s%s: %s%s%s", t, color ? (const char *[]){ "\033[36m", "\033[35m", "\033[32m", "\033[34m" }[h->color % 4] : "",
                       h->node, color ? "\033[0m" : "", ident ? ident : "-", pid, on, safe, color && *on ? "\033[0m" : "");
                if (kinds)
                        printf("  %s[%s]%s", color ? "\033[1m" : "", kinds, color ? "\033[0m" : "");
                fputc('\n', stdout);
                return 0;
        }
        char prio_text[16] = "";
        if (prio >= 0)
                snprintf(prio_text, sizeof prio_text, "%d", prio);
        /* ts, node, identifier, priority, message, kinds, source */
        const Slice cols[] = { SLICE_STR(t), SLICE_STR(h->node), SLICE_STR(ident ? ident : ""), SLICE_STR(prio_text),
                               { msg ? msg : "", msg_len }, SLICE_STR(kinds ? kinds : ""), SLICE_STR(source ? source : "") };
        static const char *const names[] = { "ts", "node", "identifier", "priority", "message", "kinds", "source" };
        if (fmt == TIMELINE_CSV) {
                for (size_t i = 0; i < ELEMENTSOF(cols); i++) {
                        if (i)
                                fputc(',', stdout);
                        csv_fwrite(stdout, cols[i].p, cols[i].n);
                }
                fputs("\r\n", stdout);
                return 0;
        }
        StrBuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, *first ? "\n  {" : ",\n  {");
        for (size_t i = 0; i < ELEMENTSOF(cols); i++) {
                strbuf_addf(&sb, "%s\"%s\":", i ? "," : "", names[i]);
                if (i == 3 && prio < 0)
                        strbuf_addstr(&sb, "null");
                else if (i == 3)
                        strbuf_addstr(&sb, prio_text);
                else
                        json_append_string(&sb, cols[i].p, cols[i].n);
        }
        strbuf_addch(&sb, '}');
        int r = strbuf_error(&sb);
        if (r >= 0) {
                *first = false;
                fwrite(sb.buf, 1, sb.len, stdout);
        }
        strbuf_release(&sb);
        return r;
}

static int parse_priority(const char *s) {
        static const char *const names[] = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };
        for (int i = 0; i < 8; i++)
                if (streq(s, names[i]) || (s[0] == '0' + i && !s[1]))
                        return i;
        return -1;
}

static void timeline_help(void) {
        printf("Usage: cascade [--db PATH] [--tz ZONE] timeline [--since T] [--until T] [--node N] [--kind K]\n"
               "                [--grep REGEX] [--priority P] [--utc] [--format text|csv|json]\n\n"
               "Every node's events merged into one timeline, clock skew corrected, with their tags.\n"
               "  --node N       one node only\n"
               "  --kind K       events tagged K (a prefix when K ends in '.' or '*': --kind corosync.)\n"
               "  --grep REGEX   messages matching a PCRE2 regex\n"
               "  --priority P   at most this syslog priority (0-7 or emerg..debug)\n"
               "  --utc          times in UTC (default: --tz, else local)\n"
               "TIME: absolute ('2025-11-25 08:10'), relative (-2h, -30min), today, yesterday. Colour on a\n"
               "terminal unless NO_COLOR is set; control characters of log text are never printed.\n");
}

/* One statement per node wanted, each stepped to its first wanted row. */
static int heads_open(Store *store, const Analysis *a, const Filters *f, usec_t since, usec_t until, Heads *hs) {
        for (size_t i = 0; i < a->n_nodes && hs->n < ELEMENTSOF(hs->v); i++) {
                if (f->node && !streq(f->node, a->nodes[i].name))
                        continue;
                sqlite3_stmt *st;
                int rc = sqlite3_prepare_v2(store_db(store), sql_node_events, -1, &st, NULL);
                if (rc != SQLITE_OK)
                        return log_error_errno(store_errno(rc), "Cannot query the events of node '%s': %s",
                                               a->nodes[i].name, store_errmsg(store));
                sqlite3_bind_int64(st, 1, a->nodes[i].node_id);
                sqlite3_bind_int64(st, 2, since);
                sqlite3_bind_int64(st, 3, until);
                sqlite3_bind_int(st, 4, f->priority);
                Head *h = &hs->v[hs->n++];
                *h = (Head){ st, a->nodes[i].name, a->nodes[i].skew_applied ? (usec_t) (a->nodes[i].skew * USEC_PER_SEC) : 0,
                             (int) i };
                advance(h, f);
        }
        if (f->node && hs->n == 0)
                return log_error("No node '%s' in the database", f->node), -ENOENT;
        return 0;
}

/* The k-way merge: always the head with the earliest corrected time. */
static int merge(Heads *hs, const Filters *f, TimelineFormat fmt, bool utc) {
        const char *no_color = getenv("NO_COLOR");
        bool color = fmt == TIMELINE_TEXT && isatty(STDOUT_FILENO) && !(no_color && *no_color);
        bool first = true;
        if (fmt == TIMELINE_CSV)
                fputs("\"ts\",\"node\",\"identifier\",\"priority\",\"message\",\"kinds\",\"source\"\r\n", stdout);
        if (fmt == TIMELINE_JSON)
                fputc('[', stdout);
        for (;;) {
                Head *best = NULL;
                for (size_t i = 0; i < hs->n; i++)
                        if (hs->v[i].st && (!best || sqlite3_column_int64(hs->v[i].st, 0) - hs->v[i].offset <
                                                             sqlite3_column_int64(best->st, 0) - best->offset))
                                best = &hs->v[i];
                if (!best)
                        break;
                int r = print_row(best, fmt, utc, color, &first);
                if (r < 0)
                        return log_error_errno(r, "Cannot format an event of node '%s'", best->node);
                advance(best, f);
        }
        if (fmt == TIMELINE_JSON)
                fputs(first ? "]\n" : "\n]\n", stdout);
        return 0;
}

static int timeline_run(const Filters *f, usec_t since, usec_t until, TimelineFormat fmt, bool utc) {
        _cleanup_(store_closep) Store *store = NULL;
        _cleanup_(analysis_freep) Analysis *a = NULL;
        /* Declared after the store: cleanups run in reverse, and the statements must be finalized
         * before the connection can close. */
        _cleanup_(heads_done) Heads heads = { .n = 0 };
        if (cli_open_store(STORE_READ_ONLY, &store) < 0)
                return EXIT_FAILED;
        /* The clock offsets the correlator measures over the window (ring ids logged by every member). */
        if (correlate_nodes_and_clocks(store, since == INT64_MIN ? USEC_INVALID : since, until == INT64_MAX ? USEC_INVALID : until, &a) < 0)
                return log_error("Cannot read the database: %s", store_errmsg(store)), EXIT_FAILED;
        if (heads_open(store, a, f, since, until, &heads) < 0 || merge(&heads, f, fmt, utc) < 0)
                return EXIT_FAILED;
        return EXIT_OK;
}

int verb_timeline(int argc, char *argv[]) {
        enum { ARG_SINCE = 0x100, ARG_UNTIL, ARG_NODE, ARG_KIND, ARG_GREP, ARG_PRIORITY, ARG_UTC, ARG_FORMAT };
        static const struct option options[] = {
                { "since", required_argument, NULL, ARG_SINCE }, { "until", required_argument, NULL, ARG_UNTIL },
                { "node", required_argument, NULL, ARG_NODE },   { "kind", required_argument, NULL, ARG_KIND },
                { "grep", required_argument, NULL, ARG_GREP },   { "priority", required_argument, NULL, ARG_PRIORITY },
                { "utc", no_argument, NULL, ARG_UTC },           { "format", required_argument, NULL, ARG_FORMAT },
                { "help", no_argument, NULL, 'h' },              {},
        };
        _cleanup_(filters_done) Filters f = { .priority = -1 };
        const char *since_s = NULL, *until_s = NULL, *grep = NULL;
        TimelineFormat fmt = TIMELINE_TEXT;
        bool utc = false;
        int c;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case ARG_SINCE: since_s = optarg; break;
                case ARG_UNTIL: until_s = optarg; break;
                case ARG_NODE: f.node = optarg; break;
                case ARG_KIND: f.kind = optarg; break;
                case ARG_GREP: grep = optarg; break;
                case ARG_UTC: utc = true; break;
                case ARG_PRIORITY:
                        if ((f.priority = parse_priority(optarg)) < 0)
                                return log_error("Unknown priority '%s' (0-7, emerg..debug)", optarg), EXIT_USAGE;
                        break;
                case ARG_FORMAT:
                        if (streq(optarg, "text"))
                                fmt = TIMELINE_TEXT;
                        else if (streq(optarg, "csv"))
                                fmt = TIMELINE_CSV;
                        else if (streq(optarg, "json"))
                                fmt = TIMELINE_JSON;
                        else
                                return log_error("Unknown format '%s' (text, csv, json)", optarg), EXIT_USAGE;
                        break;
                case 'h':
                        timeline_help();
                        return EXIT_OK;
                default:
                        return EXIT_USAGE;
                }
        if (optind < argc)
                return log_error("'timeline' takes no arguments"), EXIT_USAGE;
        usec_t now = now_usec(), since = INT64_MIN, until = INT64_MAX;
        if ((since_s && time_parse_user(since_s, now, &since) < 0) || (until_s && time_parse_user(until_s, now, &until) < 0))
                return log_error("Invalid time for --since/--until"), EXIT_USAGE;
        if (grep) {
                int code;
                PCRE2_SIZE off;
                f.grep = pcre2_compile((PCRE2_SPTR) grep, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
                if (!f.grep) {
                        PCRE2_UCHAR msg[160];
                        pcre2_get_error_message(code, msg, sizeof msg);
                        return log_error("--grep: %s at offset %zu", (const char *) msg, (size_t) off), EXIT_USAGE;
                }
                f.md = pcre2_match_data_create_from_pattern(f.grep, NULL);
                if (!f.md)
                        return log_oom(), EXIT_FAILED;
        }
        return timeline_run(&f, since, until, fmt, utc);
}
