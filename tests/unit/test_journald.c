// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Sending to a journal socket: datagrams in batches, a sealed memfd for an entry too large. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "journald.h"

static char dir[] = "/tmp/test_journald.XXXXXX";
static char path[64];
static int rx = -1;

static int setup(void **state)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int big = 4 << 20;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/socket", dir);
	strcpy(a.sun_path, path);
	rx = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(rx >= 0);
	setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	assert_int_equal(bind(rx, (struct sockaddr *)&a, sizeof(a)), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	close(rx);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* The next datagram: its bytes, or those of the memfd it carries (*fd then >= 0). */
static ssize_t receive(char *buf, size_t size, int *fd)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec v = { buf, size };
	struct msghdr m = {
		.msg_iov = &v, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)
	};
	struct cmsghdr *c;
	ssize_t n = recvmsg(rx, &m, MSG_DONTWAIT);

	*fd = -1;
	c = CMSG_FIRSTHDR(&m);
	if (n >= 0 && c && c->cmsg_type == SCM_RIGHTS) {
		memcpy(fd, CMSG_DATA(c), sizeof(int));
		assert_int_equal(n, 0);
		n = pread(*fd, buf, size, 0);
	}
	return n;
}

static void test_no_journal(void **state)
{
	(void)state;
	assert_int_equal(journald_open("/nonexistent/socket"), -ENOENT);
}

static void test_batch(void **state)
{
	struct iovec e[3] = { { "A=1\n", 4 }, { "A=2\n", 4 }, { "A=3\n", 4 } };
	char buf[16];
	int fd = journald_open(path), mfd;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(journald_send(fd, e, 3), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(receive(buf, sizeof(buf), &mfd), 4);
		assert_int_equal(mfd, -1);
		assert_memory_equal(buf, e[i].iov_base, 4);
	}
	close(fd);
}

/* Larger than the socket lets a datagram be: an empty one carries a sealed memfd. */
static void test_memfd(void **state)
{
	static char entry[256 << 10], got[sizeof(entry) + 1];
	struct iovec e = { entry, sizeof(entry) };
	int fd = journald_open(path), mfd, small = 4096;

	(void)state;
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	memset(entry, 'x', sizeof(entry));
	memcpy(entry, "MESSAGE=", 8);
	entry[sizeof(entry) - 1] = '\n';
	assert_int_equal(journald_send(fd, &e, 1), 1);
	assert_int_equal(receive(got, sizeof(got), &mfd), sizeof(entry));
	assert_true(mfd >= 0);
	assert_memory_equal(got, entry, sizeof(entry));
	assert_int_equal(fcntl(mfd, F_GET_SEALS) &
				 (F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
			 F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	close(mfd);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_journal),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_memfd),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
