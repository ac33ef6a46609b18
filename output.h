/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The write side: lines batched in one buffer and written to stdout with
 * write(2), or entries (one per output_commit) each sent as a message of
 * its own with a send function (the journal); errors come back as a status.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>

/*
 * Sends the first of n entries, or more of them in order; returns how many
 * were sent, or for the first a negative errno: -EINTR, or one of
 * OUTPUT_RETRY's while the receiver is away or full (it is sent again
 * later), or another, for which it is dropped and counted.
 */
typedef int (*output_send_fn)(int fd, const struct iovec *entries, unsigned int n);

#define OUTPUT_SEND_BATCH 64 /* entries given to one send */

/* Errors of a send worth retrying: the receiver is full, restarting or not there yet. */
#define OUTPUT_RETRY(err)                                                                          \
	((err) == -EAGAIN || (err) == -ENOBUFS || (err) == -ECONNREFUSED || (err) == -ENOENT ||    \
	 (err) == -ENOMEM)

/* How an entry's length is kept in front of it in the buffer, with a send function. */
#define OUTPUT_FRAME sizeof(size_t)

struct output {
	int fd;
	char *buf;
	size_t cap;
	size_t len;		    /* bytes buffered */
	size_t done;		    /* of which written */
	bool gone;		    /* the reader went away (EPIPE) */
	int err;		    /* a write failed: its errno */
	output_send_fn send;	    /* NULL: bytes to write(2); else entries to send */
	unsigned long long dropped; /* entries the receiver refused for good */
	unsigned long long retries; /* sends tried again */
};

/* A buffer of cap bytes for fd, written, or sent entry by entry with send; -ENOMEM. */
int output_init(struct output *o, int fd, size_t cap, output_send_fn send);
void output_free(struct output *o);

/*
 * Room for need more bytes, writing out what is buffered when there is not;
 * NULL when the output stopped or a write was interrupted (see output_flush).
 */
char *output_room(struct output *o, size_t need, volatile sig_atomic_t *stop);

/* Counts n bytes written at output_room's pointer as buffered: an entry of its own with send. */
static inline void output_commit(struct output *o, size_t n)
{
	if (o->send) {
		memcpy(o->buf + o->len, &n, OUTPUT_FRAME);
		o->len += OUTPUT_FRAME;
	}
	o->len += n;
}

/*
 * Writes out what is buffered. Returns 0 when all of it was written,
 * -EINTR when a signal interrupted a blocked write and *stop is set, -EPIPE
 * when the reader went away, or the negative errno of a failed write.
 */
int output_flush(struct output *o, volatile sig_atomic_t *stop);

/* Lines (entries, with send) buffered and not yet written. */
unsigned long long output_pending_lines(const struct output *o);

/*
 * Replaces the file at path with len bytes at buf as one step: they go to a
 * new file of that mode beside it, named for this call alone, renamed over
 * it; a reader sees the old or the new file, never a part, and two writers
 * never write one file. 0 or a negative errno.
 */
int output_replace(const char *path, const char *buf, size_t len, mode_t mode);

#endif /* OUTPUT_H */
