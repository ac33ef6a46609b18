// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The hold of --hash: records go out in the order they came, each with its
 * digest or the reason it has none, and one waits no longer than HOLD_MS.
 * Real files in a temporary directory; the clock is the test's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>
#include "hold.h"

#define SEC 1000000000ULL

static char dir[] = "/tmp/test_hold.XXXXXX";
static char big[sizeof(dir) + 8], small[sizeof(dir) + 8];

/* A file of size bytes of 'x' at path. */
static void put_file(const char *path, size_t size)
{
	static char buf[1 << 16];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	memset(buf, 'x', sizeof(buf));
	assert_true(fd >= 0);
	for (size_t n; size; size -= n) {
		n = size < sizeof(buf) ? size : sizeof(buf);
		assert_int_equal(write(fd, buf, n), n);
	}
	assert_int_equal(close(fd), 0);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(big, sizeof(big), "%s/big", dir);
	snprintf(small, sizeof(small), "%s/small", dir);
	put_file(big, 256 << 20);
	put_file(small, 3);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(big);
	unlink(small);
	return rmdir(dir);
}

/* A successful exec of path at ts, with the identity the kernel would send; or an end (path NULL). */
static struct event ev[4];

static const struct record *exec_of(int i, const char *path, __u64 ts)
{
	static struct record r[4];
	struct event *e = &ev[i];
	struct file_id id = { .flags = FILE_READ };
	struct stat st;
	size_t off;

	memset(e, 0, sizeof(*e));
	e->h.ts = ts;
	e->h.pid = 0; /* no process: the path is the way to the file */
	e->h.fname_len = 2;
	memcpy(e->data, "x", 2);
	off = e->h.fname_len;
	if (path) {
		assert_int_equal(stat(path, &st), 0);
		id.ino = st.st_ino;
		id.size = st.st_size;
		id.ctime_sec = st.st_ctim.tv_sec;
		id.ctime_nsec = st.st_ctim.tv_nsec;
		id.dev = major(st.st_dev) << 20 | minor(st.st_dev);
		id.nlink = st.st_nlink;
		memcpy(e->data + off, &id, sizeof(id));
		e->h.file_len = sizeof(id);
		e->h.flags = EV_FILE;
	} else {
		e->h.flags = EV_EXIT;
	}
	assert_int_equal(record_decode(&r[i], e, EVENT_HDR_LEN + off + e->h.file_len), 0);
	return &r[i];
}

/* Waits until the digest worker says a digest is known. */
static void wait_digest(struct hold *h)
{
	struct pollfd p = { .fd = hold_fd(h), .events = POLLIN };

	assert_int_equal(poll(&p, 1, 60000), 1);
	hold_clear(h);
}

static void test_order_and_digests(void **state)
{
	struct digests *d = digests_open(16);
	struct hold *h = hold_open(d);
	const struct record *r;
	struct record out;

	(void)state;
	assert_non_null(h);
	/* nothing kept: a record that needs no digest goes straight out, without one */
	assert_int_equal(hold_take(h, exec_of(0, NULL, 1), NULL, &out, 0), HOLD_PRINT);
	assert_false(out.hash.asked);
	/* 256 MiB to hash: kept, and every record after it is kept behind it */
	assert_int_equal(hold_take(h, exec_of(1, big, 2), big, &out, 0), HOLD_KEPT);
	assert_int_equal(hold_take(h, exec_of(2, NULL, 3), NULL, &out, 0), HOLD_KEPT);
	assert_int_equal(hold_take(h, exec_of(3, small, 4), small, &out, 0), HOLD_KEPT);
	assert_false(hold_empty(h));
	assert_int_equal(hold_wait_ms(h, 0), HOLD_MS + 1);
	while (!(r = hold_next(h, 0)))
		wait_digest(h);
	/* in the order they came, each with its own answer */
	assert_int_equal(r->h.ts, 2);
	assert_true(r->hash.asked);
	assert_null(r->hash.missing);
	hold_pop(h);
	r = hold_next(h, 0);
	assert_non_null(r);
	assert_int_equal(r->h.ts, 3);
	assert_false(r->hash.asked);
	hold_pop(h);
	while (!(r = hold_next(h, 0)))
		wait_digest(h);
	assert_int_equal(r->h.ts, 4);
	/* sha256("xxx") */
	assert_int_equal(r->hash.sha256[0], 0xcd);
	assert_int_equal(r->hash.sha256[1], 0x2e);
	hold_pop(h);
	assert_true(hold_empty(h));
	assert_int_equal(hold_wait_ms(h, 0), -1);
	/* the same file again: its digest is known, no wait */
	assert_int_equal(hold_take(h, exec_of(0, big, 5), big, &out, 0), HOLD_PRINT);
	assert_null(out.hash.missing);
	hold_close(h);
	digests_close(d);
}

static void test_late(void **state)
{
	struct digests *d = digests_open(16);
	struct hold *h = hold_open(d);
	const struct record *r;
	struct record out;

	(void)state;
	assert_non_null(h);
	/* a file of its own, not yet hashed: it cannot be known at once */
	put_file(big, (256 << 20) + 1);
	assert_int_equal(hold_take(h, exec_of(0, big, 1), big, &out, SEC), HOLD_KEPT);
	assert_int_equal(hold_take(h, exec_of(1, NULL, 2), NULL, &out, SEC), HOLD_KEPT);
	/* until it has waited HOLD_MS; then out without it, and what was behind it follows */
	assert_int_equal(hold_wait_ms(h, SEC + HOLD_MS * 1000000ULL - 1), 1);
	r = hold_next(h, SEC + HOLD_MS * 1000000ULL);
	assert_non_null(r);
	assert_int_equal(r->h.ts, 1);
	/* 256 MiB are not hashed in the microseconds since it was taken */
	assert_non_null(r->hash.missing);
	assert_string_equal(r->hash.missing, "late");
	hold_pop(h);
	r = hold_next(h, SEC + HOLD_MS * 1000000ULL);
	assert_non_null(r);
	assert_int_equal(r->h.ts, 2);
	hold_pop(h);
	assert_true(hold_empty(h));
	hold_close(h);
	digests_close(d);
}

static void test_ring_full(void **state)
{
	struct digests *d = digests_open(16);
	struct hold *h = hold_open(d);
	struct record r, out;

	(void)state;
	memset(&ev[0], 0, sizeof(ev[0]));
	ev[0].h.fname_len = 2;
	ev[0].h.flags = EV_ARGS_LOST;
	assert_int_equal(record_decode(&r, &ev[0], EVENT_HDR_LEN + 2), 0);
	assert_int_equal(hold_take(h, &r, NULL, &out, 0), HOLD_PRINT);
	assert_true(out.hash.asked);
	assert_string_equal(out.hash.missing, "ring-full");
	hold_close(h);
	digests_close(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_digests),
		cmocka_unit_test(test_late),
		cmocka_unit_test(test_ring_full),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
