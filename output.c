// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "output.h"

int output_init(struct output *o, int fd, size_t cap)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->cap = cap;
	o->buf = malloc(cap);
	return o->buf ? 0 : -ENOMEM;
}

void output_free(struct output *o)
{
	free(o->buf);
	o->buf = NULL;
}

int output_flush(struct output *o, volatile sig_atomic_t *stop)
{
	ssize_t n;

	if (o->gone)
		return -EPIPE;
	if (o->err)
		return -o->err;
	while (o->done < o->len) {
		n = write(o->fd, o->buf + o->done, o->len - o->done);
		if (n > 0) {
			o->done += n;
			continue;
		}
		/* a descriptor left non-blocking by whoever shares it: wait as a blocking write does */
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = { .fd = o->fd, .events = POLLOUT };

			if (poll(&p, 1, -1) >= 0)
				continue;
		}
		if (n < 0 && errno == EINTR) {
			if (stop && *stop)
				return -EINTR;
			continue;
		}
		if (n < 0 && errno == EPIPE) {
			o->gone = true;
			return -EPIPE;
		}
		o->err = n < 0 ? errno : EIO;
		return -o->err;
	}
	o->len = o->done = 0;
	return 0;
}

char *output_room(struct output *o, size_t need, volatile sig_atomic_t *stop)
{
	if (o->cap - o->len < need && output_flush(o, stop))
		return NULL;
	if (o->cap - o->len < need)
		return NULL;
	return o->buf + o->len;
}

unsigned long long output_pending_lines(const struct output *o)
{
	const char *p = o->buf + o->done, *end = o->buf + o->len;
	unsigned long long n = 0;

	while ((p = memchr(p, '\n', end - p))) {
		n++;
		p++;
	}
	return n;
}
