/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Merging the per-CPU streams of records into time order. Each stream is in
 * time order already (a record's time is taken on its CPU just before it is
 * written), so the oldest head is next once every stream has a head; while
 * one is empty, a head is held back for a window, in case a record older than
 * it is still on its way. When the reader knows that every record up to a
 * time is in its stream (settled: no program was writing one), a head up
 * to that time is not held back at all.
 */
#ifndef REORDER_H
#define REORDER_H

#include <stdbool.h>
#include <linux/types.h>

#define REORDER_EMPTY (~0ULL) /* a stream with nothing to read */

struct reorder {
	__u64 window_ns;
	__u64 settled;		 /* every record up to this time is in its stream */
	__u64 last_ts;		 /* of the last record let out */
	unsigned long long late; /* records let out after a newer one */
};

/*
 * Which of the n streams to take from next, given the time of each one's
 * head (or REORDER_EMPTY) and the time now; -1 to wait. With drain, nothing
 * is held back.
 */
int reorder_next(const struct reorder *ro, const __u64 *heads, unsigned int n, __u64 now,
		 bool drain);

/* Notes that a record of time ts was let out; counts it when it is late. */
void reorder_taken(struct reorder *ro, __u64 ts);

#endif /* REORDER_H */
