/* store-analysis.c: analysis results kept in the store (being written). */
#include "store-analysis.h"
