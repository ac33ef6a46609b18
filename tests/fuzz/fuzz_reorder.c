// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: the reorder window, against a model. Records arrive on
 * per-CPU streams while time passes and the reader pumps or drains; every
 * record must come out exactly once, the oldest head first, never held
 * past the window, and the late count must be right.
 *
 * Input: the number of streams, the window in microseconds (a varint), then
 * operations, each a byte and, for some, a varint:
 *	op % 4 == 0: a record on stream (op / 4) % streams, its time the
 *	             stream's last plus the varint (a delta of 0 repeats it);
 *	op % 4 == 1: time passes by the varint, in nanoseconds;
 *	op % 4 == 2: the reader pumps: takes records until told to wait;
 *	             with (op / 4) odd, knowing first that every record up
 *	             to the oldest time a stream can still get is in;
 *	op % 4 == 3: the reader drains: takes every record.
 * The seeds are real time sequences captured from execsnoop's rings
 * (tests/fuzz/capture.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reorder.h"

#define STREAMS_MAX 64
#define QUEUE_MAX   512 /* records a stream holds; more are not added */

struct queue {
	__u64 ts[QUEUE_MAX];
	unsigned int head, len;
	__u64 last;
};

static struct queue q[STREAMS_MAX];
static __u64 heads[STREAMS_MAX];

static void fail(const char *what, unsigned long long a, unsigned long long b)
{
	fprintf(stderr, "fuzz_reorder: %s (%llu, %llu)\n", what, a, b);
	abort();
}

/* A little-endian base-128 number; 0 at the end of the input. */
static __u64 varint(const uint8_t **p, const uint8_t *end)
{
	__u64 v = 0;
	unsigned int shift = 0;

	while (*p < end && shift < 64) {
		uint8_t b = *(*p)++;

		v |= (__u64)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	return v;
}

static void set_head(unsigned int i)
{
	heads[i] = q[i].len ? q[i].ts[q[i].head] : REORDER_EMPTY;
}

/* Takes records as the reader does; checks each answer against the heads. */
static void take(struct reorder *ro, unsigned int n, __u64 now, bool drain, __u64 *max_out,
		 unsigned long long *late, unsigned long long *out)
{
	unsigned int i, nonempty;
	__u64 min;
	int k;

	for (;;) {
		nonempty = 0;
		min = REORDER_EMPTY;
		for (i = 0; i < n; i++) {
			if (heads[i] == REORDER_EMPTY)
				continue;
			nonempty++;
			if (heads[i] < min)
				min = heads[i];
		}
		k = reorder_next(ro, heads, n, now, drain);
		if (k < 0) {
			if (drain && nonempty)
				fail("draining, records were held back", nonempty, now);
			if (nonempty == n && n)
				fail("every stream has a head, yet it waits", n, now);
			if (nonempty && now >= min && now - min >= ro->window_ns &&
			    min + ro->window_ns >= min)
				fail("a record was held past the window", min, now);
			if (nonempty && min <= ro->settled)
				fail("a settled record was held back", min, ro->settled);
			return;
		}
		if ((unsigned int)k >= n || heads[k] == REORDER_EMPTY)
			fail("it chose an empty or missing stream", k, n);
		if (heads[k] != min)
			fail("it chose a head that is not the oldest", heads[k], min);
		if (heads[k] < *max_out)
			(*late)++;
		else
			*max_out = heads[k];
		reorder_taken(ro, heads[k]);
		q[k].head = (q[k].head + 1) % QUEUE_MAX;
		q[k].len--;
		set_head(k);
		(*out)++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct reorder ro = {};
	unsigned long long in = 0, out = 0, late = 0;
	__u64 now = 0, max_out = 0, delta;
	unsigned int n, i;
	uint8_t op;

	if (size < 2)
		return 0;
	n = *p++ % STREAMS_MAX + 1;
	ro.window_ns = varint(&p, end) * 1000;
	for (i = 0; i < n; i++) {
		memset(&q[i], 0, sizeof(q[i]));
		set_head(i);
	}
	while (p < end) {
		op = *p++;
		switch (op % 4) {
		case 0:
			i = (op / 4) % n;
			delta = varint(&p, end);
			/* time does not wrap; its last value is the empty mark */
			if (q[i].len == QUEUE_MAX || q[i].last + delta < q[i].last ||
			    q[i].last + delta == REORDER_EMPTY)
				break;
			q[i].last += delta;
			q[i].ts[(q[i].head + q[i].len++) % QUEUE_MAX] = q[i].last;
			set_head(i);
			in++;
			break;
		case 1:
			delta = varint(&p, end);
			if (now + delta >= now)
				now += delta;
			break;
		case 2:
			if ((op / 4) % 2) {
				/* a stream's next record is not older than its last */
				ro.settled = REORDER_EMPTY;
				for (i = 0; i < n; i++)
					if (q[i].last < ro.settled)
						ro.settled = q[i].last;
				ro.settled = ro.settled ? ro.settled - 1 : 0;
			}
			take(&ro, n, now, false, &max_out, &late, &out);
			break;
		case 3:
			take(&ro, n, now, true, &max_out, &late, &out);
			break;
		}
	}
	take(&ro, n, now, true, &max_out, &late, &out);
	if (out != in)
		fail("records in and out differ", in, out);
	if (ro.late != late)
		fail("the late count is wrong", ro.late, late);
	return 0;
}
