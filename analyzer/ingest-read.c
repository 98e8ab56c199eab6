/* ingest-read.c: the read loops of ingest's reading thread, one per source format. */
#include <stdarg.h>
#include <time.h>

#include "ingest-export.h"
#include "ingest-json.h"
#include "ingest-read.h"
#include "ingest-text.h"
#include "strbuf.h"
#include "tag.h"

/* sd-journal keeps up to 64 mmap windows of 8 MiB per open journal: memory that grows with the
 * input. Reopening at the cursor every so many entries drops them and keeps ingest flat. 10,000:
 * at 20,000 journals of ~120-byte messages (gen-cluster-logs.py --shape long) mapped 47 MiB and
 * peaked at 61 MiB, at 10,000 39 MiB and 54 MiB. */
#define JOURNAL_REOPEN_ENTRIES 10000

typedef struct Reading {
        ReadJob *job;
        IngestQueue *q;
        double progress;       /* for the next item; < 0 when not measured */
        StrBuf captures;       /* the current record's hits' captures, each NUL-terminated */
        QueuedHit *hits;       /* until all are collected, captures_json holds an offset into captures */
        size_t n_hits, cap_hits;
} Reading;

static int queue_item(Reading *rg, QueuedItem *it) {
        it->resume = rg->job->at;
        it->progress = rg->progress;
        rg->progress = -1;
        return ingest_queue_push(rg->q, it);
}

static int queue_diag(Reading *rg, uint64_t line, const char *fmt, ...) _printf_(3, 4);
static int queue_diag(Reading *rg, uint64_t line, const char *fmt, ...) {
        char text[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof text, fmt, ap);
        va_end(ap);
        return queue_item(rg, &(QueuedItem){ .kind = QUEUED_DIAG, .line = line, .text = text });
}

static int queue_reject(Reading *rg, uint64_t line, const char *reason, Slice raw) {
        return queue_item(rg, &(QueuedItem){ .kind = QUEUED_REJECT, .line = line, .text = reason, .raw = raw });
}

static int collect_hit(void *userdata, const TagHit *hit) {
        Reading *rg = userdata;
        if (array_reserve(&rg->hits, &rg->cap_hits, rg->n_hits + 1, sizeof *rg->hits, 8) < 0)
                return -ENOMEM;
        /* The buffer may move while later hits are added: an offset now, a pointer at the end. */
        QueuedHit h = { .rule = hit->rule, .captures_json = (const char *) (uintptr_t) rg->captures.len };
        tag_hit_captures_json(hit, &rg->captures);
        strbuf_addch(&rg->captures, '\0');
        rg->hits[rg->n_hits++] = h;
        return 0;
}

/* The record, and the library's matches on it when this thread has time to spare: the thread
 * that waits for the other does the matching, so both stay busy whichever is slower (the storer
 * for syslog text, reading for journals). */
static int queue_record(Reading *rg, const LogRecord *rec, Slice raw) {
        QueuedItem it = { .kind = QUEUED_RECORD, .rec = *rec, .raw = raw };
        TagContext *tagger = rg->job->opts->tagger;
        if (tagger && rec->kind == RECORD_EVENT && ingest_queue_storer_behind(rg->q)) {
                rg->n_hits = 0;
                strbuf_reset(&rg->captures);
                int r = tag_match_event(tagger, rec->ident, rec->message, collect_hit, rg);
                if (r >= 0)
                        r = strbuf_error(&rg->captures);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < rg->n_hits; i++)
                        rg->hits[i].captures_json = rg->captures.buf + (uintptr_t) rg->hits[i].captures_json;
                it.hits = rg->hits;
                it.n_hits = rg->n_hits;
                it.matched = true;
        }
        return queue_item(rg, &it);
}

static void text_year_init(const ReadJob *job, TextParser *tp) {
        /* The stored year applies at the resume point, not to the first line of a file read again
         * from the start (where --year means the first line). */
        if (job->stored_year > 0 && job->at.offset > 0)
                year_guess_init_fixed(&tp->year, job->stored_year);
        else if (job->opts->year > 0)
                year_guess_init_fixed(&tp->year, job->opts->year);
        else
                year_guess_init_reference(&tp->year, job->mtime);
        tp->have_year = true;
}

/* ---- the year of year-less stamps, when the file's mtime is the only clue ---- */

/* How far from the stored events a first line may land before its year is questioned: a day, as
 * clocks and zones go. */
#define YEAR_SLACK_USEC (24 * 3600 * USEC_PER_SEC)

static usec_t distance(usec_t ts, usec_t first, usec_t last) {
        return ts < first ? first - ts : ts > last ? ts - last : 0;
}

static const NodeSpan *span_of(const ReadJob *job, Slice host) {
        for (size_t i = 0; host.n > 0 && i < job->n_spans; i++)
                if (host_names_same(host, job->spans[i].name))
                        return &job->spans[i];
        return NULL;
}

/* The line's time had its first year-less stamp been of `year` (before: the parser before it). */
static usec_t ts_in_year(const TextParser *before, Slice line, int year) {
        TextParser p = *before;
        year_guess_init_fixed(&p.year, year);
        LogRecord rec;
        const char *reason;
        return text_parse_line(&p, line, &rec, &reason) > 0 ? rec.ts : USEC_INVALID;
}

/* Of `year` and the years either side, the one that puts the line nearest to [first, last]. */
static int nearest_year(const TextParser *before, Slice line, int year, usec_t first, usec_t last) {
        int best = year;
        usec_t best_d = distance(ts_in_year(before, line, year), first, last);
        for (int y = year - 1; y <= year + 1; y += 2) {
                usec_t ts = ts_in_year(before, line, y), d = distance(ts, first, last);
                if (ts != USEC_INVALID && d < best_d)
                        best = y, best_d = d;
        }
        return best;
}

static int year_of(usec_t ts) {
        time_t t = (time_t) (ts / USEC_PER_SEC);
        struct tm tm;
        return localtime_r(&t, &tm) ? tm.tm_year + 1900 : 0;
}

/* The first year-less line of a file read by its mtime, against the store: a node with a journal
 * gives its years (the line and the rest of the file move there); without one, a line more than a
 * day away from every stored event is refused (INGEST_YEAR_REFUSED, before anything of the file is
 * stored) with the --year to pass. *rec and *tp are the line's, reparsed when the year changed. */
static int settle_year(Reading *rg, const TextParser *before, Slice line, TextParser *tp, LogRecord *rec,
                       bool may_refuse) {
        const ReadJob *job = rg->job;
        int used = year_of(rec->ts);
        const NodeSpan *span = span_of(job, rec->node);
        if (span && span->journal_first != USEC_INVALID) {
                int best = nearest_year(before, line, used, span->journal_first, span->journal_last);
                if (best == used || distance(rec->ts, span->journal_first, span->journal_last) <= YEAR_SLACK_USEC)
                        return queue_diag(rg, 0, "stamps have no year: took %d from the file's modification time, "
                                          "as node %s's journal has it", used, span->name);
                *tp = *before;
                year_guess_init_fixed(&tp->year, best);
                const char *reason;
                (void) text_parse_line(tp, line, rec, &reason);
                return queue_diag(rg, 0, "stamps have no year: took %d from node %s's journal (the file's "
                                  "modification time said %d)", best, span->name, used);
        }
        usec_t first = INT64_MAX, last = INT64_MIN;
        for (size_t i = 0; i < job->n_spans; i++) {
                first = MIN(first, job->spans[i].first);
                last = MAX(last, job->spans[i].last);
        }
        /* Lines with a year of their own were queued already: half a file cannot be refused. */
        if (distance(rec->ts, first, last) <= YEAR_SLACK_USEC || !may_refuse)
                return queue_diag(rg, 0, "stamps have no year: took %d from the file's modification time "
                                  "(use --year if the file was copied)", used);
        char a[RFC3339_MAX], b[RFC3339_MAX];
        int best = nearest_year(before, line, used, first, last);
        int r = queue_diag(rg, rec->line, "stamps have no year, and the file's modification time puts them in %d, "
                           "more than a day from the stored events (%s .. %s); nothing of the file stored: "
                           "pass --year %d%s", used, time_format_rfc3339(first, a), time_format_rfc3339(last, b),
                           best, best == used ? " if that is right" : " (the year of its first line) if it was copied");
        return r < 0 ? r : INGEST_YEAR_REFUSED;
}

static int read_text(Reading *rg) {
        ReadJob *job = rg->job;
        TextParser tp = { 0 };
        text_year_init(job, &tp);
        /* Only the file's mtime to go by, and a store to hold it against: the first year-less line
         * settles the year, before anything of the file is queued. */
        bool year_open = !tp.year.fixed_year && job->n_spans > 0;
        bool year_told = false, queued_record = false;

        for (;;) {
                Slice line;
                bool complete, cut;
                uint64_t before = reader_offset(job->rd);
                int r = reader_line(job->rd, &line, &complete, &cut);
                if (r <= 0)
                        return r;
                /* A last line without newline in a file still being written is half a line: it is
                 * stored once complete. In an old file it is all there is, and is stored as it is. */
                if (!complete && job->growing)
                        return 0;
                uint64_t line_no = job->at.line + 1;
                LogRecord rec;
                const char *reason;
                TextParser unparsed = tp;
                int parsed = text_parse_line(&tp, line, &rec, &reason);
                rec.line = line_no;
                if (year_open && parsed >= 0 && tp.year_used) {
                        year_open = false;
                        year_told = true;
                        r = settle_year(rg, &unparsed, line, &tp, &rec, !queued_record);
                        rec.line = line_no;
                }
                if (r >= 0 && parsed >= 0 && cut)
                        r = queue_diag(rg, line_no, "line longer than %u MiB, stored cut", READER_MAX_LINE >> 20);
                /* A copied file's mtime is the copy's: say which year year-less stamps got. */
                if (r >= 0 && parsed >= 0 && !year_told && !tp.year.fixed_year && tp.year_used) {
                        r = queue_diag(rg, 0, "stamps have no year: took %d from the file's modification time "
                                       "(use --year if the file was copied)", year_of(rec.ts));
                        year_told = true;
                }
                if (r < 0)
                        return r;
                /* A last line without newline may still be growing: read it again next time. */
                job->at = complete ? (ResumePoint){ reader_offset(job->rd), line_no, 0 }
                                   : (ResumePoint){ before, job->at.line, 0 };
                job->at.year = tp.year.fixed_year ? tp.year.year : 0;
                if ((line_no & 0xffff) == 0 && job->total)
                        rg->progress = (double) reader_raw_offset(job->rd) / (double) job->total;
                r = parsed < 0 ? queue_reject(rg, line_no, reason, line) : queue_record(rg, &rec, line);
                if (r < 0)
                        return r;
                queued_record |= parsed >= 0;
        }
}

static int read_export(Reading *rg) {
        ReadJob *job = rg->job;
        ExportParser ep;
        export_parser_init(&ep, job->rd);
        ep.line_no = job->at.line;
        int r;
        for (;;) {
                LogRecord rec;
                const char *reason;
                uint64_t start_line = ep.line_no + 1;
                r = export_parser_next(&ep, &rec, &reason);
                if (r == 0 || (r < 0 && r != -EBADMSG))
                        break;
                job->at = (ResumePoint){ reader_offset(job->rd), ep.line_no, 0 };
                if ((ep.entry_no & 0x3fff) == 0 && job->total)
                        rg->progress = (double) reader_raw_offset(job->rd) / (double) job->total;
                if (r == -EBADMSG) {
                        char what[160];
                        snprintf(what, sizeof what, "bad export entry: %s", reason);
                        r = queue_reject(rg, ep.error_line ? ep.error_line : start_line, what, SLICE_NULL);
                } else {
                        rec.line = start_line;
                        r = queue_record(rg, &rec, SLICE_NULL);
                }
                if (r < 0)
                        break;
        }
        export_parser_done(&ep);
        return r;
}

static int read_json(Reading *rg) {
        ReadJob *job = rg->job;
        JsonParser jp;
        json_parser_init(&jp);
        int r;
        for (;;) {
                Slice line;
                bool complete, cut;
                r = reader_line(job->rd, &line, &complete, &cut);
                if (r <= 0 || (!complete && job->growing))
                        break;   /* half a line still being written: read again next time */
                uint64_t line_no = job->at.line + 1;
                /* An unfinished last line of an old file is stored, and read again next time. */
                if (complete)
                        job->at = (ResumePoint){ reader_offset(job->rd), line_no, 0 };
                LogRecord rec;
                log_record_reset(&rec);
                rec.kind = RECORD_SKIP;     /* a blank line: only the resume point moves */
                const char *reason;
                size_t column;
                r = slice_trim(line).n > 0 ? json_parser_line(&jp, line, &rec, &reason, &column) : 1;
                if (r == -EBADMSG) {
                        char what[160];
                        snprintf(what, sizeof what, "bad JSON at column %zu: %s", column, reason);
                        r = queue_reject(rg, line_no, what, line);
                } else if (r > 0) {
                        rec.line = line_no;
                        r = queue_record(rg, &rec, line);
                }
                if (r < 0 || !complete)
                        break;
        }
        json_parser_done(&jp);
        return r;
}

static int read_journal(Reading *rg) {
        ReadJob *job = rg->job;
        _cleanup_(journal_reader_freep) JournalReader *jr = NULL;
        int r = journal_reader_open(job->chain, job->cursor, job->opts->since, &jr);
        if (r < 0)
                return r;
        for (uint64_t count = 1;; count++) {
                LogRecord rec;
                r = journal_reader_next(jr, &rec);
                if (r <= 0)
                        return r;
                if ((count & 0x3fff) == 0)
                        rg->progress = journal_reader_progress(jr, rec.ts);
                r = queue_record(rg, &rec, SLICE_NULL);
                if (r < 0)
                        return r;
                if (job->opts->until != USEC_INVALID && rec.ts >= job->opts->until)
                        return 0;
                if (count % JOURNAL_REOPEN_ENTRIES == 0) {
                        free(job->cursor);
                        job->cursor = strdup(journal_reader_cursor(jr));
                        if (!job->cursor)
                                return -ENOMEM;
                        jr = journal_reader_free(jr);
                        r = journal_reader_open(job->chain, job->cursor, USEC_INVALID, &jr);
                        if (r < 0)
                                return r;
                }
        }
}

int ingest_read(IngestQueue *q, void *userdata) {
        Reading rg = { .job = userdata, .q = q, .progress = -1, .captures = STRBUF_INIT };
        int r;
        switch (rg.job->format) {
        case FORMAT_JOURNAL:
                r = read_journal(&rg);
                break;
        case FORMAT_EXPORT:
                r = read_export(&rg);
                break;
        case FORMAT_JSON:
                r = read_json(&rg);
                break;
        case FORMAT_TEXT:
                r = read_text(&rg);
                break;
        default:
                r = -EINVAL;
        }
        strbuf_release(&rg.captures);
        free(rg.hits);
        return r;
}
