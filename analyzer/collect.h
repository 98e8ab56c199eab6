/* collect.h: fetching every node's journal over ssh (being written). */
#pragma once
