/* ingest-read.h: ingest's reading thread. One read loop per source format turns bytes into queued
 * items (records with their pattern-library hits, rejected lines, messages for the user), each
 * carrying the source's resume point after it. It touches neither the store nor ingest's counters:
 * the storing thread does (ingest.c). */
#pragma once

#include "ingest-journal.h"
#include "ingest-queue.h"
#include "ingest.h"
#include "ingest-stream.h"

typedef struct ReadJob {
        SourceFormat format;   /* FORMAT_TEXT, FORMAT_EXPORT, FORMAT_JSON or FORMAT_JOURNAL */
        const IngestOptions *opts;
        Reader *rd;            /* file formats (borrowed) */
        const JournalChain *chain;   /* FORMAT_JOURNAL (borrowed) */
        char *cursor;          /* FORMAT_JOURNAL: resume after this entry, NULL: at opts->since; owned */
        ResumePoint at;        /* where the source stands: the stored resume point, then advanced */
        bool growing;          /* a file written to lately: a last line without newline waits */
        uint64_t total;        /* bytes of the file, for progress; 0 when unknown */
        usec_t mtime;          /* text: the file's mtime, the reference for year-less stamps */
        int stored_year;       /* text: the year stored with the resume point, 0 when none */
        const NodeSpan *spans; /* text: where the store's events lie, for year-less stamps (borrowed) */
        size_t n_spans;
} ReadJob;

/* read_text()'s refusal of a file whose year-less stamps it cannot place (its diagnostic says which
 * --year to pass): nothing of the file may be stored. */
#define INGEST_YEAR_REFUSED (-ERANGE)

/* The IngestProduceFn of a ReadJob (ingest_queue_start(ingest_read, &job, ...)). */
int ingest_read(IngestQueue *q, void *job);
