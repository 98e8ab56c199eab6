/* store-tag.h: the tag table (derived data) and its bookkeeping in meta. */
#pragma once

#include "store.h"

/* library_id: the tag_library row of the library that made the tag (store-library.h). */
int store_tag_add(Store *s, int64_t event_id, int64_t library_id, const char *rule, const char *kind,
                  const char *severity, const char *captures_json);
/* Drop the tags of the next `limit` events after event after_id: the batch retag is about to tag. */
int store_tags_delete_batch(Store *s, int64_t after_id, int limit);
int64_t store_max_event_id(Store *s);
