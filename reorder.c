// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include "reorder.h"

int reorder_next(const struct reorder *ro, const __u64 *heads, unsigned int n, __u64 now,
		 bool drain)
{
	bool all = true;
	int best = -1;

	for (unsigned int i = 0; i < n; i++) {
		if (heads[i] == REORDER_EMPTY) {
			all = false;
			continue;
		}
		if (best < 0 || heads[i] < heads[best])
			best = i;
	}
	if (best < 0)
		return -1;
	if (all || drain || heads[best] <= ro->settled || now >= heads[best] + ro->window_ns)
		return best;
	return -1;
}

void reorder_taken(struct reorder *ro, __u64 ts)
{
	if (ts < ro->last_ts)
		ro->late++;
	else
		ro->last_ts = ts;
}
