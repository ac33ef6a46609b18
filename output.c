// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "output.h"

#define RETRY_FIRST_NS 1000000ULL    /* a refused send is tried again after 1 ms, */
#define RETRY_MAX_NS   1000000000ULL /* then twice as long each time, up to a second */

int output_init(struct output *o, int fd, size_t cap, output_send_fn send)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->cap = cap;
	o->send = send;
	o->buf = malloc(cap);
	return o->buf ? 0 : -ENOMEM;
}

void output_free(struct output *o)
{
	free(o->buf);
	o->buf = NULL;
}

/* Sends the buffered entries in batches, waiting while the receiver is away or full. */
static int send_entries(struct output *o, volatile sig_atomic_t *stop)
{
	unsigned long long wait = RETRY_FIRST_NS;
	struct iovec e[OUTPUT_SEND_BATCH];
	struct timespec ts;
	unsigned int n;
	size_t at, len;
	int sent;

	while (o->done < o->len) {
		for (n = 0, at = o->done; n < OUTPUT_SEND_BATCH && at < o->len; n++) {
			memcpy(&len, o->buf + at, OUTPUT_FRAME);
			e[n].iov_base = o->buf + at + OUTPUT_FRAME;
			e[n].iov_len = len;
			at += OUTPUT_FRAME + len;
		}
		sent = o->send(o->fd, e, n);
		if (sent == -EINTR || OUTPUT_RETRY(sent)) {
			if (stop && *stop)
				return -EINTR;
			if (sent == -EINTR)
				continue;
			o->retries++;
			ts.tv_sec = wait / 1000000000ULL;
			ts.tv_nsec = wait % 1000000000ULL;
			/* a signal cuts the wait short: the stop is looked at again */
			nanosleep(&ts, NULL);
			wait = wait * 2 > RETRY_MAX_NS ? RETRY_MAX_NS : wait * 2;
			continue;
		}
		if (sent < 0) {
			o->dropped++;
			sent = 1;
		}
		for (int i = 0; i < sent; i++)
			o->done += OUTPUT_FRAME + e[i].iov_len;
		wait = RETRY_FIRST_NS;
	}
	o->len = o->done = 0;
	return 0;
}

int output_flush(struct output *o, volatile sig_atomic_t *stop)
{
	ssize_t n;

	if (o->gone)
		return -EPIPE;
	if (o->err)
		return -o->err;
	if (o->send)
		return send_entries(o, stop);
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
	size_t frame = o->send ? OUTPUT_FRAME : 0;

	if (o->cap - o->len < need + frame && output_flush(o, stop))
		return NULL;
	if (o->cap - o->len < need + frame)
		return NULL;
	return o->buf + o->len + frame;
}

unsigned long long output_pending_lines(const struct output *o)
{
	const char *p = o->buf + o->done, *end = o->buf + o->len;
	unsigned long long n = 0;
	size_t len;

	if (o->send) {
		for (; p < end; p += OUTPUT_FRAME + len, n++)
			memcpy(&len, p, OUTPUT_FRAME);
		return n;
	}
	while ((p = memchr(p, '\n', end - p))) {
		n++;
		p++;
	}
	return n;
}

int output_replace(const char *path, const char *buf, size_t len, mode_t mode)
{
	char tmp[4096];
	size_t done = 0;
	ssize_t n;
	int fd, err = 0;

	/* beside it, in the same directory (rename() does not cross file systems), named for it alone */
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode))
		err = -errno;
	while (done < len && !err) {
		n = write(fd, buf + done, len - done);
		if (n > 0)
			done += n;
		else if (n < 0 && errno != EINTR)
			err = -errno;
	}
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
