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

struct stream;

/*
 * Opens a ring of ring_bytes (a power of two pages) on every online CPU for
 * the perf event array events_fd; use_fd is the programs' mmapable ring_use
 * map, one entry per possible CPU. Returns NULL with errno set.
 */
struct stream *stream_open(int events_fd, int use_fd, size_t ring_bytes);
void stream_close(struct stream *s);

/* Rings, in the order the functions below number them. */
unsigned int stream_count(const struct stream *s);

/* An fd that is readable when a ring has passed its wakeup mark. */
int stream_fd(const struct stream *s);

/* The next record of ring i, decoded, or NULL when the ring is empty. */
const struct record *stream_peek(struct stream *s, unsigned int i);

/* Frees the record stream_peek returned for ring i. */
void stream_take(struct stream *s, unsigned int i);

/* Records that did not pass record_decode, and skipped. */
unsigned long long stream_malformed(const struct stream *s);

#endif /* STREAM_H */
