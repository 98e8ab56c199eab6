/* ingest-journal.h: journal files through sd-journal. Files are grouped into chains (an active file
 * and its archived siblings: system.journal + system@*.journal, remote-HOST*.journal); each chain is
 * read on its own with its own cursor, so a node whose files arrive late is never skipped. */
#pragma once

#include "ingest-record.h"

typedef struct JournalChain {
        char *dir;             /* absolute directory of the files */
        char *name;            /* chain name: file name up to '@' or ".journal" ("system", "remote-10.0.0.2") */
        char **files;          /* absolute paths, NULL-terminated */
        size_t n_files;
        size_t n_files_alloc;  /* capacity of files, the NULL included */
} JournalChain;

/* All chains in dir and its immediate subdirectories (/var/log/journal/<machine-id>/).
 * 0 and *ret_n == 0 when there are none. */
int journal_chains_from_dir(const char *dir, JournalChain **ret, size_t *ret_n);
/* The single chain of one file (only that file). */
int journal_chain_from_file(const char *path, JournalChain **ret, size_t *ret_n);
void journal_chains_free(JournalChain *c, size_t n);

/* True when the bytes start with the journal file signature "LPKSHHRH". */
bool journal_file_looks_like(const char *buf, size_t n);

typedef struct JournalReader JournalReader;

/* Position after cursor when given, else at since (USEC_INVALID: the head). */
int journal_reader_open(const JournalChain *chain, const char *cursor, usec_t since, JournalReader **ret);
JournalReader *journal_reader_free(JournalReader *jr);
DEFINE_TRIVIAL_CLEANUP_FUNC(JournalReader *, journal_reader_free);

/* 1 with *ret (valid until the next call), 0 at the end, -errno (-EBADMSG: corrupt file). */
int journal_reader_next(JournalReader *jr, LogRecord *ret);
/* Cursor of the entry last returned (owned by the reader). */
const char *journal_reader_cursor(const JournalReader *jr);
/* Rough progress through the chain, 0..1, by realtime between its head and tail. */
double journal_reader_progress(const JournalReader *jr, usec_t ts);
