/* report-redact.h: masking a report for sharing: IP addresses, user names, host names, SSH key
 * fingerprints and the directories of the analyst's files become tokens (ip-1a2b3c, user-4d5e6f,
 * host-7a8b9c, key-0a1b2c, path-3d4e5f). The same input always gets the same token within a key,
 * so the story still reads ("host-7a8b9c left at 08:10:48, host-7a8b9c rejoined...", "the same
 * key-0a1b2c logged in on every node"). */
#pragma once

#include "strbuf.h"

typedef struct Redactor Redactor;

/* key: a secret that makes tokens unguessable (an unsalted hash of an IPv4 address is reversed
 * by trying all 2^32); the same key gives the same tokens across reports. */
int redactor_new(const char *key, Redactor **ret);
/* A fresh key for one report, when none is given to keep tokens stable across reports: 128 bits
 * from /dev/urandom as 32 lowercase hex digits and a NUL in buf. -errno (-EIO on a short read). */
int redactor_random_key(char buf[static 33]);
Redactor *redactor_free(Redactor *r);
DEFINE_TRIVIAL_CLEANUP_FUNC(Redactor *, redactor_free);

/* A word to mask wherever it stands as a whole word: kind is "host" or "user". */
int redactor_add(Redactor *r, const char *word, const char *kind);
/* Another spelling of word to mask the same way, with word's token: the text masked may show a
 * word escaped ("john\_doe" for john_doe in Markdown), and a name keeps one token throughout. */
int redactor_add_spelling(Redactor *r, const char *spelling, const char *word, const char *kind);

/* A path of the analyst's machine (a source given to ingest), as spelling shows it (the path
 * itself, or as the report escapes it): its directory is masked wherever it stands, as the token
 * of path's directory; the base name stays, so that a reader still tells path-3d4e5f/pve1.log
 * from path-3d4e5f/pve2.log, and both from a file of another directory (host names in the base
 * name are masked as words). A relative path, or a file in "/", has no directory to mask. */
int redactor_add_path(Redactor *r, const char *spelling, const char *path);

/* Copy text with every known word and path, every IPv4/IPv6 address and every SSH key fingerprint
 * (SHA256:<43 base64 digits>; MD5:<16 hex pairs>, with or without "MD5:") replaced. An allocation
 * failure stays in out (strbuf_error()). */
void redactor_apply(const Redactor *r, const char *text, size_t len, StrBuf *out);
