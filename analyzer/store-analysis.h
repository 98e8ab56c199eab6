/* store-analysis.h: analysis results kept in the store for scans and views (being written). */
#pragma once
