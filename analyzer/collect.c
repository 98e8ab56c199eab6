/* collect.c: fetching every node's journal over ssh (being written). */
#include "collect.h"
