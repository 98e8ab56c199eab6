/* template.h: a small logic-less template language for report wording (reports/ templates, phrase
 * tables). {{name}} inserts a value, {{#name}}...{{/name}} repeats for each item of a list (or
 * once for a non-empty value), {{^name}}...{{/name}} renders when name is missing or empty.
 * Names are looked up in the current item, then outwards. Values are inserted as given: the
 * caller escapes untrusted text for the output format before it stores it. */
#pragma once

#include "strbuf.h"

typedef struct TData TData;

TData *tdata_new(void);                 /* an empty object */
TData *tdata_free(TData *d);
DEFINE_TRIVIAL_CLEANUP_FUNC(TData *, tdata_free);

/* Set key to a copy of value (NULL removes nothing, sets an empty value). */
int tdata_set(TData *obj, const char *key, const char *value);
int tdata_setf(TData *obj, const char *key, const char *fmt, ...) _printf_(3, 4);
/* The list under key, created empty when missing. NULL on OOM. */
TData *tdata_list(TData *obj, const char *key);
/* Append a new empty object to a list. NULL on OOM. */
TData *tdata_append(TData *list);
size_t tdata_list_len(const TData *list);

typedef struct TemplateError {
        unsigned line;         /* 1-based line of the template */
        char message[160];
} TemplateError;

/* -EINVAL with err filled on a malformed template (unbalanced sections). */
int template_render(const char *tmpl, const TData *root, StrBuf *out, TemplateError *err);

/* Phrase tables: "[key]" lines start an entry, the following lines up to the next "[" line are its
 * template (trailing newline dropped). Returns the template of key, or NULL. */
const char *phrase_lookup(const char *table, const char *key, StrBuf *scratch);
