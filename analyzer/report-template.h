/* report-template.h: a small logic-less template language for report wording (reports/ templates, phrase
 * tables). {{name}} inserts a value, {{#name}}...{{/name}} repeats for each item of a list (or
 * once for a non-empty value), {{^name}}...{{/name}} renders when name is missing or empty;
 * {{#name=text}}...{{/name=text}} renders when name is exactly text ({{^name=text}} when not), for
 * plurals: "{{count}} notification{{^count=1}}s{{/count=1}}".
 * Names are looked up in the current item, then outwards. Values are inserted as given: the
 * caller escapes untrusted text for the output format before it stores it. */
#pragma once

#include "strbuf.h"

typedef struct TData TData;

/* Building a tree never reports an error where it happens: the root remembers the first one
 * (sticky, like StrBuf's), later changes do nothing, and the owner checks tdata_error() once
 * before it uses the tree; template_render() refuses a tree in error. tdata_list() and
 * tdata_append() return NULL only with the error remembered, and every function here takes a
 * NULL obj or list as a no-op, so a builder may pass their result on unchecked. */
TData *tdata_new(void);                 /* an empty object, the root of a tree; NULL on OOM */
TData *tdata_free(TData *d);
DEFINE_TRIVIAL_CLEANUP_FUNC(TData *, tdata_free);

/* 0, or the first error building the tree d belongs to: -ENOMEM, or -EINVAL when a key was
 * reused for another type. */
int tdata_error(const TData *d);

/* Remember a failure of the caller's own while building (a value it could not make), as if a
 * tdata_*() call had failed. */
void tdata_set_error(TData *d, int error);

/* Set key to a copy of value (NULL removes nothing, sets an empty value). */
void tdata_set(TData *obj, const char *key, const char *value);
void tdata_setf(TData *obj, const char *key, const char *fmt, ...) _printf_(3, 4);
/* The list under key, created empty when missing. */
TData *tdata_list(TData *obj, const char *key);
/* Append a new empty object to a list. */
TData *tdata_append(TData *list);
size_t tdata_list_len(const TData *list);

typedef struct TemplateError {
        unsigned line;         /* 1-based line of the template */
        char message[160];
} TemplateError;

/* -EINVAL with err filled on a malformed template (unbalanced sections); tdata_error(root) when
 * the tree is incomplete. Allocation failures of out stay in out (strbuf_error()). */
int template_render(const char *tmpl, const TData *root, StrBuf *out, TemplateError *err);

/* Phrase tables: "[key]" lines start an entry, the following lines up to the next "[" line are its
 * template (trailing newline dropped). Returns the template of key (in scratch), or NULL when key
 * is missing or scratch is in error (strbuf_error() tells them apart). */
const char *phrase_lookup(const char *table, const char *key, StrBuf *scratch);
