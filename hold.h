/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * With --hash: records on their way to the output, kept in time order until
 * the digest of their file is known. A record whose file's digest is cached
 * goes straight through; one whose digest is being computed is copied out
 * of its ring (so that the rings keep draining) and kept, and every record
 * after it is kept behind it, so that lines stay in time order. A kept
 * record goes out when its digest is known, or when it has waited
 * HOLD_MS: then without one, "late".
 */
#ifndef HOLD_H
#define HOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "digest.h"
#include "record.h"

#define HOLD_MS	       5000	    /* the longest a line waits for its digest */
#define HOLD_BYTES_MAX (64UL << 20) /* records kept at most; then the rings keep them */

struct hold;

/* A hold that asks d for digests; NULL with errno set. */
struct hold *hold_open(struct digests *d);
void hold_close(struct hold *h);

/* What became of a record given to hold_take. */
enum hold_take {
	HOLD_PRINT, /* print *out now: r, with its digest */
	HOLD_KEPT,  /* kept: take it from its ring */
	HOLD_FULL,  /* no room: leave it in its ring for now */
};

/*
 * Takes the next record in time order. path: the file's resolved path, as
 * a fallback to its process (NULL: none). now: CLOCK_MONOTONIC ns.
 */
enum hold_take hold_take(struct hold *h, const struct record *r, const char *path,
			 struct record *out, __u64 now);

/*
 * The oldest kept record, when it may go out now (its digest is known, or
 * it waited long enough), with its digest set; NULL when none may.
 * hold_pop then drops it, once it is printed.
 */
const struct record *hold_next(struct hold *h, __u64 now);
void hold_pop(struct hold *h);

/* True when no record is kept. */
bool hold_empty(const struct hold *h);

/* ms until the oldest kept record goes out without its digest; -1: none is kept. */
int hold_wait_ms(const struct hold *h, __u64 now);

/* An fd readable when a digest is known; hold_clear reads it. */
int hold_fd(const struct hold *h);
void hold_clear(struct hold *h);

#endif /* HOLD_H */
