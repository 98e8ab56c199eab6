/* store-tag.h: the tag table (derived data) and its bookkeeping in meta. */
#pragma once

#include "store.h"

int store_tag_add(Store *s, int64_t event_id, const char *rule, const char *kind, const char *severity,
                  const char *captures_json);
int store_tags_clear(Store *s);
int64_t store_max_event_id(Store *s);
