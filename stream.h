/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The per-CPU perf rings, read in place: a record stays in its ring, where
 * the kernel wrote it, until it is taken; the reader tells the programs how
 * much it has consumed, so that they can keep room for path-only records.
 */
#ifndef STREAM_H
#define STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "record.h"

#define RING_SIZE_MIN	 (128UL << 10) /* holds the largest record, three times */
#define RING_SIZE_MAX	 (1UL << 30)
#define RING_BUDGET	 (32UL << 20) /* default: perf ring bytes, shared out over the CPUs */
#define RING_DEFAULT_MIN (256UL << 10)
#define RING_DEFAULT_MAX (8UL << 20)

struct stream;

/* Bytes of each CPU's ring: asked (--ring-size; 0: none), or the budget shared out over ncpu. */
static inline unsigned long stream_ring_size(unsigned long asked, int ncpu)
{
	unsigned long share = RING_BUDGET / (ncpu > 0 ? ncpu : 1), ring = RING_DEFAULT_MIN;

	if (asked)
		return asked;
	while (ring * 2 <= share && ring < RING_DEFAULT_MAX)
		ring *= 2;
	return ring;
}

/* Data pages of each CPU's doorbell ring, which takes a header page too. */
#define DOORBELL_PAGES 1

/*
 * The largest ring, a power of two from RING_SIZE_MIN up to ring, of which
 * nring fit in lockable bytes with a header page each, beside a doorbell
 * ring each; 0 when none does.
 */
static inline unsigned long stream_ring_fit(unsigned long ring, unsigned long long lockable,
					    unsigned int nring, unsigned long page)
{
	for (; ring >= RING_SIZE_MIN; ring /= 2)
		if ((unsigned long long)(ring + page + (DOORBELL_PAGES + 1) * page) * nring <=
		    lockable)
			return ring;
	return 0;
}

/* The programs' maps a stream reads. */
struct stream_maps {
	int events_fd;	    /* the perf event array of the records */
	int doorbell_fd;    /* the perf event array that wakes the reader at once */
	int use_fd;	    /* ring_use, mmapable, one entry per possible CPU */
	int scratch_fd;	    /* scratch, mmapable: the record buffers and their busy flags */
	unsigned int slots; /* its entries */
};

/*
 * The rings a start opens, before the programs are attached: small ones, so
 * that tracing begins without waiting for the kernel to allocate the full
 * rings; stream_grow then brings them to ring bytes.
 */
#define RING_FIRST (512UL << 10)
static inline unsigned long stream_first_size(unsigned long ring)
{
	return ring < RING_FIRST ? ring : RING_FIRST;
}

/*
 * Opens a ring of ring_bytes (a power of two pages) on every online CPU for
 * the records, and a small one for the doorbell. Returns NULL with errno set.
 */
struct stream *stream_open(const struct stream_maps *m, size_t ring_bytes);

/*
 * Opens rings of ring_bytes on every CPU and points the programs to them;
 * the rings they replace are read until they are empty, then closed. The
 * programs count against the new size once none may still write to an old
 * ring: each record buffer was seen free since (stream_settled goes on
 * looking). 0, or a negative errno: a CPU whose ring could not be replaced
 * keeps its own, and its size.
 */
int stream_grow(struct stream *s, size_t ring_bytes);
void stream_close(struct stream *s);

/* The CPUs' rings, in the order the functions below number them. */
unsigned int stream_count(const struct stream *s);

/* An fd that is readable when a ring has passed its wakeup mark. */
int stream_fd(const struct stream *s);

/* An fd that is readable when the doorbell rang: a record came after stream_arm. */
int stream_doorbell_fd(const struct stream *s);

/*
 * Before the reader sleeps: asks each CPU's next record to ring the
 * doorbell. False when a record came since the rings were last read: read
 * it instead.
 */
bool stream_arm(struct stream *s);

/*
 * A time (CLOCK_BOOTTIME ns) up to which every record is in its ring, read
 * before the rings are: now when no program is writing one, else 0.
 */
__u64 stream_settled(struct stream *s);

/*
 * The next record of CPU i's rings, decoded, or NULL when they are empty;
 * while a ring stream_grow replaced is read, the older of its record and
 * the new ring's.
 */
const struct record *stream_peek(struct stream *s, unsigned int i);

/* Frees the record stream_peek returned for ring i. */
void stream_take(struct stream *s, unsigned int i);

/* Records that did not pass record_decode, and skipped. */
unsigned long long stream_malformed(const struct stream *s);

#endif /* STREAM_H */
