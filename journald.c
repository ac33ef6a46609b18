// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "journald.h"
#include "output.h"

#define SNDBUF_BYTES (8 << 20) /* room for bursts while journald catches up */

static struct sockaddr_un addr = { .sun_family = AF_UNIX };
static socklen_t addr_len;

int journald_open(const char *path)
{
	int fd, probe, n = SNDBUF_BYTES, err = 0;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	addr_len = offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
	/* connecting a second socket tells whether journald listens; sends name the path each time */
	probe = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (probe < 0)
		return -errno;
	if (connect(probe, (struct sockaddr *)&addr, addr_len))
		err = -errno;
	close(probe);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* as root, past net.core.wmem_max; else as much as allowed */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &n, sizeof(n)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &n, sizeof(n));
	return fd;
}

/* An entry too large for a datagram: written to a memfd, sealed, and its descriptor sent. */
static int send_memfd(int fd, const char *buf, size_t len)
{
	char ctl[CMSG_SPACE(sizeof(int))] = {};
	struct msghdr m = {
		.msg_name = &addr,
		.msg_namelen = addr_len,
		.msg_control = ctl,
		.msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	size_t done = 0;
	ssize_t n;
	int mfd, err = 0;

	mfd = memfd_create("execsnoop-journal", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return -errno;
	while (done < len && !err) {
		n = write(mfd, buf + done, len - done);
		if (n > 0)
			done += n;
		else if (n < 0 && errno != EINTR)
			err = -errno;
	}
	/* journald takes only a memfd that can no longer change */
	if (!err &&
	    fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL))
		err = -errno;
	if (!err) {
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &mfd, sizeof(int));
		if (sendmsg(fd, &m, MSG_NOSIGNAL) < 0)
			err = -errno;
	}
	close(mfd);
	return err;
}

int journald_send(int fd, const struct iovec *entries, unsigned int n)
{
	struct mmsghdr m[OUTPUT_SEND_BATCH];
	int sent;

	if (n > OUTPUT_SEND_BATCH)
		n = OUTPUT_SEND_BATCH;
	memset(m, 0, n * sizeof(m[0]));
	for (unsigned int i = 0; i < n; i++) {
		m[i].msg_hdr.msg_name = &addr;
		m[i].msg_hdr.msg_namelen = addr_len;
		m[i].msg_hdr.msg_iov = (struct iovec *)&entries[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	/* one system call for a batch; it stops at the first entry that fails */
	sent = sendmmsg(fd, m, n, MSG_NOSIGNAL);
	if (sent > 0)
		return sent;
	if (sent == 0)
		return -EAGAIN;
	if (errno == EMSGSIZE || errno == ENOBUFS)
		return send_memfd(fd, entries[0].iov_base, entries[0].iov_len) ?: 1;
	return -errno;
}
