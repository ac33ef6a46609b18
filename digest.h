/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The SHA-256 of the file an exec ran, computed only from a file that still
 * has the identity the kernel recorded at the exec. The caller's thread
 * opens the file at once (cheap) and never waits on its contents; a worker
 * thread reads and hashes it. Each identity is hashed once while it stays
 * in a cache of bounded size, which also bounds the worker's queue: every
 * pending answer is in the cache.
 */
#ifndef DIGEST_H
#define DIGEST_H

#include <linux/types.h>
#include "execsnoop.h"

#define DIGEST_SIZE 32 /* bytes of a SHA-256 */

enum digest_state {
	DIGEST_PENDING,	   /* the worker has not hashed it yet */
	DIGEST_OK,	   /* digest_sha256() holds the digest */
	DIGEST_CHANGED,	   /* the file reached has another identity, or changed while read */
	DIGEST_DELETED,	   /* the file is gone */
	DIGEST_MEMFD,	   /* a memfd: nothing to open once the process is gone */
	DIGEST_UNREADABLE, /* not opened or not read: permission, not a regular file, an error */
	DIGEST_LATE,	   /* not hashed in time: the queue was full, or the caller gave up */
};

/* Why there is no digest, in a word: NULL for DIGEST_OK and DIGEST_PENDING. */
const char *digest_reason(enum digest_state s);

struct digests; /* the cache and the worker */

/*
 * A cache of at most cache_max identities (and as many files being hashed),
 * and its worker, started. NULL with errno set.
 */
struct digests *digests_open(unsigned int cache_max);

/* Stops the worker, waits for it, frees the cache; every answer must have been put. NULL ok. */
void digests_close(struct digests *d);

/* An eventfd, readable when the worker has finished an answer; the caller reads it to clear it. */
int digests_fd(const struct digests *d);

struct digest; /* one answer, shared by every exec of one identity while it is pending or OK */

/*
 * The answer for the file process pid executed, whose identity was id; path
 * is its resolved path, or NULL. A cached answer is returned at once.
 * Otherwise the file is opened now, /proc/<pid>/exe first (pid 0: none),
 * then path, and kept if fstat shows identity id (device, inode, size,
 * change time); the answer is then pending until the worker has hashed it.
 * When no such file is reached, or the worker's queue is full, the answer
 * is final at once. Never waits on a file's contents. A reference to
 * digest_put, or NULL when out of memory.
 */
struct digest *digest_get(struct digests *d, __u32 pid, const struct file_id *id, const char *path);

/* Where the answer stands; once not DIGEST_PENDING it does not change. */
enum digest_state digest_state(const struct digest *g);

/* The DIGEST_SIZE bytes of the SHA-256, when digest_state() is DIGEST_OK. */
const unsigned char *digest_sha256(const struct digest *g);

/* Drops a reference from digest_get; the last one frees the answer and closes its file. */
void digest_put(struct digests *d, struct digest *g);

#endif /* DIGEST_H */
