/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* stdout: lines batched in one buffer and written with write(2); errors come back as a status. */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct output {
	int fd;
	char *buf;
	size_t cap;
	size_t len;  /* bytes buffered */
	size_t done; /* of which written */
	bool gone;   /* the reader went away (EPIPE) */
	int err;     /* a write failed: its errno */
};

/* A buffer of cap bytes for fd; -ENOMEM on failure. */
int output_init(struct output *o, int fd, size_t cap);
void output_free(struct output *o);

/*
 * Room for need more bytes, writing out what is buffered when there is not;
 * NULL when the output stopped or a write was interrupted (see output_flush).
 */
char *output_room(struct output *o, size_t need, volatile sig_atomic_t *stop);

/* Counts n bytes written at output_room's pointer as buffered. */
static inline void output_commit(struct output *o, size_t n)
{
	o->len += n;
}

/*
 * Writes out what is buffered. Returns 0 when all of it was written,
 * -EINTR when a signal interrupted a blocked write and *stop is set, -EPIPE
 * when the reader went away, or the negative errno of a failed write.
 */
int output_flush(struct output *o, volatile sig_atomic_t *stop);

/* Lines buffered and not yet written. */
unsigned long long output_pending_lines(const struct output *o);

#endif /* OUTPUT_H */
