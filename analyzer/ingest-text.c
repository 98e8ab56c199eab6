/* ingest-text.c: hand-written, allocation-free line parsers; the hot path of text ingest. */
#include "ingest-text.h"

static inline bool is_digit(char c) {
        return c >= '0' && c <= '9';
}

/* Larger than any pid (Linux caps them at 2^22): parsing stops growing one there. */
#define PID_MAX_DIGITS_VALUE INT64_C(100000000000)

static inline bool is_blank(char c) {
        return c == ' ' || c == '\t';
}

static Slice rest_of(Slice s, size_t from) {
        return from >= s.n ? (Slice){ s.p + s.n, 0 } : (Slice){ s.p + from, s.n - from };
}

/* Next space-delimited token starting at *i (after skipping blanks). */
static Slice next_token(Slice s, size_t *i) {
        while (*i < s.n && is_blank(s.p[*i]))
                (*i)++;
        size_t start = *i;
        while (*i < s.n && !is_blank(s.p[*i]))
                (*i)++;
        return (Slice){ s.p + start, *i - start };
}

int priority_from_name(Slice name) {
        static const char *const names[] = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };
        for (int i = 0; i < 8; i++)
                if (slice_eq_str(name, names[i]))
                        return i;
        if (slice_eq_str(name, "error"))
                return 3;
        if (slice_eq_str(name, "warn"))
                return 4;
        if (slice_eq_str(name, "trace"))
                return 7;
        return -1;
}

int text_priority_from_message(Slice ident, Slice message) {
        Slice m = slice_trim(message);

        /* libqb format "[%g] %p: %b" of pmxcfs: "[dcdb] crit: ...". */
        if (m.n > 4 && m.p[0] == '[') {
                const char *close = memchr(m.p, ']', MIN(m.n, (size_t) 24));
                if (close && (size_t) (close - m.p) + 2 < m.n && close[1] == ' ') {
                        Slice after = rest_of(m, (size_t) (close - m.p) + 2);
                        const char *colon = memchr(after.p, ':', MIN(after.n, (size_t) 10));
                        if (colon)
                                return priority_from_name((Slice){ after.p, (size_t) (colon - after.p) });
                }
        }
        /* PVE::Daemon reports uncaught errors as "ERROR: ..." at err. */
        if (slice_startswith(m, "ERROR: "))
                return 3;
        (void) ident;
        return -1;
}

/* "ident[pid]: message" or "ident: message" at s[i..]. An identifier may hold blanks ("syslogd
 * 1.4.1", "-- root") but no quotes or '=': a line with none keeps ident empty and all as message. */
static void parse_tag(Slice s, size_t i, LogRecord *r) {
        while (i < s.n && is_blank(s.p[i]))
                i++;
        size_t start = i, limit = MIN(s.n, i + 64);
        for (size_t j = start; j < limit; j++) {
                char c = s.p[j];
                if (c == '"' || c == '\'' || c == '=')
                        break;
                if (c == '[') {
                        size_t k = j + 1;
                        int64_t pid = 0;
                        while (k < s.n && is_digit(s.p[k]) && pid < INT64_C(100000000000))
                                pid = pid * 10 + (s.p[k++] - '0');
                        if (k == j + 1 || k + 1 >= s.n || s.p[k] != ']' || s.p[k + 1] != ':')
                                break;
                        r->ident = (Slice){ s.p + start, j - start };
                        r->pid = pid;
                        k += 2;
                        if (k < s.n && s.p[k] == ' ')
                                k++;
                        r->message = rest_of(s, k);
                        return;
                }
                if (c == ':' && (j + 1 == s.n || s.p[j + 1] == ' ') && j > start) {
                        r->ident = (Slice){ s.p + start, j - start };
                        size_t k = j + 1;
                        if (k < s.n && s.p[k] == ' ')
                                k++;
                        r->message = rest_of(s, k);
                        return;
                }
        }
        r->message = rest_of(s, start);
}

/* rsyslog keeps the kernel's printk stamp: "[1752746.784056] msg". journald strips it. */
static void strip_printk_stamp(LogRecord *r) {
        Slice m = r->message;
        size_t i = 0;
        if (m.n < 4 || m.p[0] != '[')
                return;
        i = 1;
        while (i < m.n && m.p[i] == ' ')
                i++;
        usec_t secs = 0, frac = 0, scale = USEC_PER_SEC;
        size_t d0 = i;
        while (i < m.n && is_digit(m.p[i]) && secs < INT64_C(1000000000000))
                secs = secs * 10 + (m.p[i++] - '0');
        if (i == d0 || i >= m.n || m.p[i] != '.')
                return;
        i++;
        while (i < m.n && is_digit(m.p[i])) {
                if (scale > 1) {
                        scale /= 10;
                        frac += (m.p[i] - '0') * scale;
                }
                i++;
        }
        if (i >= m.n || m.p[i] != ']')
                return;
        i++;
        if (i < m.n && m.p[i] == ' ')
                i++;
        r->uptime = secs * USEC_PER_SEC + frac;
        r->message = rest_of(m, i);
}

/* After a BSD stamp: corosync logfile "[pid] host corosync prio  [SUBSYS] msg", corosync 1.x
 * "corosync [SUBSYS] msg", or syslog "host ident[pid]: msg". */
static Slice without_colon(Slice tok) {
        return tok.n > 1 && tok.p[tok.n - 1] == ':' ? (Slice){ tok.p, tok.n - 1 } : tok;
}

/* An optional priority word ("notice", "notice:") at s[i..], then the message. */
static void priority_then_message(Slice s, size_t i, LogRecord *r) {
        size_t k = i;
        int p = priority_from_name(without_colon(next_token(s, &k)));
        if (p >= 0)
                r->priority = p;
        else
                k = i;
        while (k < s.n && is_blank(s.p[k]))
                k++;
        r->message = rest_of(s, k);
}

/* Pacemaker 2.x's detail log (/var/log/pacemaker/pacemaker.log), after the host:
 * "pacemaker-controld  [1301] (te_fence_node) \tnotice: Requesting fencing ...". */
static bool parse_pacemaker_detail(Slice s, size_t i, LogRecord *r) {
        size_t k = i;
        Slice ident = next_token(s, &k);
        /* The daemon name is padded to 20 columns: a 20-character one touches its "[pid]". */
        const char *open = memchr(ident.p, '[', ident.n);
        if (open) {
                k = (size_t) (open - s.p);
                ident.n = (size_t) (open - ident.p);
        }
        while (k < s.n && is_blank(s.p[k]))
                k++;
        if (ident.n == 0 || k >= s.n || s.p[k] != '[')
                return false;
        size_t d = ++k;
        int64_t pid = 0;
        while (k < s.n && is_digit(s.p[k]) && pid < INT64_C(100000000000))
                pid = pid * 10 + (s.p[k++] - '0');
        if (k == d || k >= s.n || s.p[k] != ']')
                return false;
        k++;
        while (k < s.n && is_blank(s.p[k]))
                k++;
        if (k >= s.n || s.p[k] != '(')
                return false;
        const char *close = memchr(s.p + k, ')', s.n - k);
        if (!close)
                return false;
        k = (size_t) (close - s.p) + 1;
        r->ident = ident;
        r->pid = pid;
        priority_then_message(s, k, r);
        return true;
}

static bool looks_like_tag(Slice tok) {
        if (tok.n < 2 || tok.p[tok.n - 1] != ':')
                return false;
        if (tok.p[tok.n - 2] == ']')
                return memchr(tok.p, '[', tok.n) != NULL;
        return memchr(tok.p, ':', tok.n - 1) == NULL;   /* not an IPv6 address */
}

static void parse_after_bsd(Slice s, size_t i, LogRecord *r) {
        size_t j = i;
        if (j < s.n && s.p[j] == ' ')
                j++;
        if (j < s.n && s.p[j] == '[') {
                size_t k = j + 1;
                int64_t pid = 0;
                for (; k < s.n && is_digit(s.p[k]); k++)
                        if (pid < PID_MAX_DIGITS_VALUE)   /* no pid is that long: saturate, never overflow */
                                pid = pid * 10 + (s.p[k] - '0');
                if (k > j + 1 && k < s.n && s.p[k] == ']') {
                        k++;
                        r->pid = pid;
                        r->node = next_token(s, &k);
                        /* Pacemaker 1.1 writes the same format with a colon: "crmd:   notice: ...". */
                        r->ident = without_colon(next_token(s, &k));
                        priority_then_message(s, k, r);
                        return;
                }
        }
        size_t k = j;
        Slice tok = next_token(s, &k);
        if (slice_eq_str(tok, "corosync") && k + 1 < s.n && s.p[k] == ' ' && s.p[k + 1] == '[') {
                r->ident = tok;
                r->message = rest_of(s, k + 1);
                return;
        }
        /* No host field ("Feb 21 22:37:56 pengine[1827]: ..." as some syslog setups and pastes
         * write): host names hold neither "[pid]:" nor a trailing colon, tags do. */
        if (looks_like_tag(tok)) {
                parse_tag(s, j, r);
                return;
        }
        r->node = tok;
        if (!parse_pacemaker_detail(s, k, r))
                parse_tag(s, k, r);
}

/* journalctl prints boots and empty ranges as "-- ... --" lines, which are not events. */
static bool parse_separator(Slice s, LogRecord *r) {
        if (!slice_startswith(s, "-- ") || s.n < 6 || memcmp(s.p + s.n - 3, " --", 3) != 0)
                return false;
        Slice inner = { s.p + 3, s.n - 6 };
        if (slice_eq_str(inner, "Reboot")) {
                r->kind = RECORD_BOOT_MARK;
        } else if (slice_startswith(inner, "Boot ")) {
                r->kind = RECORD_BOOT_MARK;
                r->boot_id = slice_trim(rest_of(inner, 5));
        } else
                r->kind = RECORD_SKIP;
        return true;
}

static int parse_rfc5424(Slice s, size_t i, LogRecord *r, TimeFields *tf, const char **reason) {
        /* VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG] */
        Slice ts = next_token(s, &i);
        if (ts.n == 0 || slice_eq_str(ts, "-")) {
                *reason = "RFC 5424 line without a timestamp";
                return -EBADMSG;
        }
        if (time_parse_iso(ts.p, ts.n, tf) != ts.n) {
                *reason = "RFC 5424 timestamp is not RFC 3339";
                return -EBADMSG;
        }
        Slice host = next_token(s, &i), app = next_token(s, &i), procid = next_token(s, &i);
        (void) next_token(s, &i);  /* MSGID */
        if (!slice_eq_str(host, "-"))
                r->node = host;
        if (!slice_eq_str(app, "-"))
                r->ident = app;
        if (procid.n > 0 && procid.n < 12 && is_digit(procid.p[0])) {
                int64_t pid = 0;
                size_t k = 0;
                for (; k < procid.n && is_digit(procid.p[k]); k++)
                        pid = pid * 10 + (procid.p[k] - '0');
                if (k == procid.n)
                        r->pid = pid;
        }
        while (i < s.n && is_blank(s.p[i]))
                i++;
        if (i < s.n && s.p[i] == '-')
                i++;
        else
                while (i < s.n && s.p[i] == '[') {          /* SD-ELEMENTs; '\]' escapes inside values */
                        bool in_quotes = false;
                        for (i++; i < s.n; i++) {
                                if (s.p[i] == '\\' && i + 1 < s.n) {
                                        i++;
                                        continue;
                                }
                                if (s.p[i] == '"')
                                        in_quotes = !in_quotes;
                                else if (s.p[i] == ']' && !in_quotes)
                                        break;
                        }
                        if (i < s.n)
                                i++;
                }
        if (i < s.n && s.p[i] == ' ')
                i++;
        if (s.n - MIN(i, s.n) >= 3 && memcmp(s.p + i, "\xef\xbb\xbf", 3) == 0)
                i += 3;   /* the BOM that marks an UTF-8 MSG */
        r->message = rest_of(s, i);
        return 1;
}

int text_parse_line(TextParser *p, Slice line, LogRecord *r, const char **ret_reason) {
        TimeFields tf = { 0 };
        size_t i = 0;

        log_record_reset(r);
        if (line.n > 0 && line.p[line.n - 1] == '\r')
                line.n--;
        if (line.n == 0 || slice_trim(line).n == 0) {
                r->kind = RECORD_SKIP;
                return 1;
        }
        if (parse_separator(line, r))
                return 1;

        /* "<PRI>" of RFC 5424 and of 3164 lines as sent over the wire. */
        if (line.p[0] == '<') {
                int pri = 0;
                for (i = 1; i < line.n && i < 5 && is_digit(line.p[i]); i++)
                        pri = pri * 10 + (line.p[i] - '0');
                if (i > 1 && i < line.n && line.p[i] == '>' && pri <= 191) {
                        r->priority = pri & 7;
                        i++;
                        if (i + 1 < line.n && line.p[i] == '1' && line.p[i + 1] == ' ') {
                                int k = parse_rfc5424(line, i + 2, r, &tf, ret_reason);
                                if (k < 0)
                                        return k;
                                goto placed;
                        }
                } else
                        i = 0;
        }

        Slice s = rest_of(line, i);
        size_t used;
        if ((used = time_parse_iso(s.p, s.n, &tf)) > 0) {
                size_t k = used;
                r->node = next_token(s, &k);
                parse_tag(s, k, r);
        } else if ((used = time_parse_bsd_in(s.p, s.n, &p->months, &tf)) > 0) {
                if (!p->have_year) {
                        *ret_reason = "no year known for a year-less timestamp";
                        return -EBADMSG;
                }
                tf.year = year_guess_next(&p->year, tf.month, tf.day);
                p->year_used = true;
                parse_after_bsd(s, used, r);
        } else {
                *ret_reason = "no timestamp at the start of the line";
                return -EBADMSG;
        }

placed:
        r->ts = time_fields_to_usec(&tf);
        r->ts_prec = tf.precision;
        if (slice_eq_str(r->ident, "kernel"))
                strip_printk_stamp(r);
        if (r->priority < 0)
                r->priority = text_priority_from_message(r->ident, r->message);
        return 1;
}
