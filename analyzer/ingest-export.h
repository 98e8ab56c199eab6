/* ingest-export.h: the journal export format (`journalctl -o export`, systemd's
 * JOURNAL_EXPORT_FORMATS): text fields "NAME=value\n", binary fields "NAME\n<le64 size><bytes>\n",
 * entries separated by an empty line. Binary safe; one entry in memory at a time. */
#pragma once

#include "ingest-stream.h"
#include "ingest-record.h"
#include "strbuf.h"

typedef struct ExportParser {
        Reader *reader;        /* borrowed */
        StrBuf entry;          /* the current entry's field bytes, copied out of the reader */
        uint64_t entry_no;     /* 1-based number of the entry last returned */
        uint64_t line_no;      /* lines read so far, for error positions */
        uint64_t error_line;   /* line where the last -EBADMSG entry went wrong */
        struct ExportFieldPos *fields; /* where each field of the entry sits in `entry` */
        size_t n_fields_alloc;
} ExportParser;

void export_parser_init(ExportParser *p, Reader *reader);
void export_parser_done(ExportParser *p);

/* 1: *ret holds the next entry (slices into p->entry); 0: end of stream; -EBADMSG: this entry is
 * malformed (*ret_reason, p->error_line), the parser has skipped to the next one; other <0: I/O. */
int export_parser_next(ExportParser *p, LogRecord *ret, const char **ret_reason);

/* True when the bytes look like the start of an export stream. */
bool export_looks_like(const char *buf, size_t n);
