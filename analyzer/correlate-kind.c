/* correlate-kind.c: the string table of correlate-kind.h. */
#include <string.h>

#include "correlate-kind.h"

static const char *const event_kind_names[_EVENT_KIND_MAX] = {
#define EVENT_KIND_NAME(id, name) [EVENT_##id] = name,
        EVENT_KINDS(EVENT_KIND_NAME)
#undef EVENT_KIND_NAME
};

const char *event_kind_to_string(EventKind k) {
        return k >= 0 && k < _EVENT_KIND_MAX ? event_kind_names[k] : "other";
}

EventKind event_kind_from_string(const char *s) {
        for (int k = 0; k < _EVENT_KIND_MAX; k++)
                if (strcmp(event_kind_names[k], s) == 0)
                        return (EventKind) k;
        return EVENT_OTHER;
}
