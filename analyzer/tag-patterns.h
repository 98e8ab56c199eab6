/* tag-patterns.h: the pattern library, loaded from the patterns/ directory (format: patterns/FORMAT.md).
 * Loading parses, range-checks the version, compiles every regex once (PCRE2, JIT when available)
 * and reports the first error as file:line:col. Later directories override rules by id. */
#pragma once

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "macro.h"

#define PATTERN_FORMAT_VERSION 1

typedef enum Severity {
        SEVERITY_DEBUG,
        SEVERITY_INFO,
        SEVERITY_NOTICE,
        SEVERITY_WARNING,
        SEVERITY_ERROR,
        SEVERITY_CRITICAL,
        _SEVERITY_MAX,
        _SEVERITY_INVALID = -EINVAL,
} Severity;

const char *severity_to_string(Severity s);
Severity severity_from_string(const char *s);

typedef struct PatternExample {
        char *line;            /* a real-format log line (journalctl short) */
        unsigned src_line;     /* where it stands in the rule file */
        bool counter;          /* must NOT match */
        char **expect_names;   /* captures this example must yield... */
        char **expect_values;  /* ...with these values ("" = unset or empty) */
        size_t n_expect;       /* complete pairs */
        size_t n_expect_names_alloc;   /* capacity of expect_names */
        size_t n_expect_values_alloc;  /* capacity of expect_values */
} PatternExample;

typedef struct PatternRule {
        char *id;              /* stable dotted id */
        char *kind;            /* event kind from the vocabulary */
        Severity severity;
        char **idents;         /* identifiers it applies to */
        size_t n_idents;
        size_t n_idents_alloc; /* capacity of idents */
        bool any_ident;        /* ident * */
        char *match;           /* the regex source */
        char *summary;         /* template with {capture}, {node}, {ident} */
        char *explain;
        char *advice;          /* may be NULL */
        char **refs;
        size_t n_refs;
        size_t n_refs_alloc;   /* capacity of refs */
        PatternExample *examples;
        size_t n_examples;
        size_t n_examples_alloc;       /* capacity of examples */
        char *file;            /* the file it was loaded from */
        unsigned line;         /* line of its `rule` directive */
        pcre2_code *re;        /* compiled, JIT-compiled when possible */
        bool jit;              /* re is JIT-compiled: call pcre2_jit_match() directly */
        char *literal;         /* text every match contains (from the regex's top level), or NULL */
        size_t literal_len;
        size_t literal_anchor; /* offset of the literal's least common byte in log text: the one searched for */
        uint32_t n_names;      /* named captures */
        char **names;          /* capture names by group number - 1 (NULL for unnamed groups) */
        uint32_t n_groups;     /* capture groups */
} PatternRule;

typedef struct PatternSet {
        PatternRule **rules;   /* in load order; overridden rules are gone */
        size_t n_rules;
        size_t n_rules_alloc;  /* capacity of rules */
        uint64_t content_hash; /* over every file loaded, in order: tags are recomputed when it changes */
        char **files;          /* files loaded, in order */
        size_t n_files;
        size_t n_files_alloc;  /* capacity of files */
} PatternSet;

typedef struct PatternError {
        char file[512];
        unsigned line, column; /* 1-based; 0 when not about a position */
        char message[512];
} PatternError;

PatternSet *pattern_set_new(void);
PatternSet *pattern_set_free(PatternSet *set);
DEFINE_TRIVIAL_CLEANUP_FUNC(PatternSet *, pattern_set_free);

/* Load one file's text (name is what errors cite). Rules whose id is already in the set replace the
 * earlier rule when `override` (a later directory), else a repeated id is an error. */
int pattern_set_load_string(PatternSet *set, const char *name, const char *text, bool override, PatternError *err);
int pattern_set_load_file(PatternSet *set, const char *path, bool override, PatternError *err);
/* Every *.patterns file of dir, sorted by name. -ENOENT when dir does not exist. */
int pattern_set_load_dir(PatternSet *set, const char *dir, bool override, PatternError *err);

const PatternRule *pattern_set_find(const PatternSet *set, const char *id);

/* The longest literal every match of regex must contain, found conservatively at the regex's top
 * level (no alternation, groups, classes, escapes of classes, or optional characters). Malloc'ed,
 * NULL when there is none of at least min_len bytes. */
char *pattern_required_literal(const char *regex, size_t min_len);

/* The content hash as stored and shown: 16 hex digits. */
#define PATTERN_HASH_MAX 17
char *pattern_set_hash(const PatternSet *set, char buf[static PATTERN_HASH_MAX]);

/* What the library was built from, for people: "shipped VERSION" for the compiled-in files, then
 * each directory as "DIR: FILE, FILE", separated by "; " in load order. Malloc'ed. */
int pattern_set_sources(const PatternSet *set, char **ret);

/* The shipped library as compiled into the binary (the files of patterns/ at build time). */
int pattern_set_load_shipped(PatternSet *set, PatternError *err);
