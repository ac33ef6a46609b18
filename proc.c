// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include "proc.h"
#include "subtree.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL /* a pidfd of one thread, since Linux 6.9 */
#endif

#define SEED_ROUNDS 8 /* walks of /proc at most; each finds only what forked during the last */

ssize_t proc_read(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((size_t)len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/* Parent pid, start time (clock ticks since boot) and state letter from /proc/PID/stat. */
static int read_stat(__u32 pid, __u32 *ppid, unsigned long long *start, char *state)
{
	char path[32], buf[1024], *p;
	unsigned long long v = 0;
	int field;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	if (proc_read(path, buf, sizeof(buf)) <= 0)
		return -ESRCH;
	/* the comm may hold any byte but NUL: the fields start after its last ')' */
	p = strrchr(buf, ')');
	if (!p)
		return -EINVAL;
	/* ") S ppid": field 3 is the state, 4 the ppid, 22 the start time */
	for (field = 3, p++; *p && field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (field == 3) {
			*state = *p++;
			continue;
		}
		v = strtoull(p, &p, 10);
		if (field == 4)
			*ppid = v;
	}
	if (field <= 22)
		return -EINVAL;
	*start = v;
	return 0;
}

int proc_tgid(__u32 pid, __u32 *tgid)
{
	char path[32], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	if (proc_read(path, buf, sizeof(buf)) <= 0)
		return -ESRCH;
	p = strstr(buf, "\nTgid:");
	if (!p)
		return -ESRCH;
	*tgid = strtoul(p + 6, NULL, 10);
	return *tgid ? 0 : -ESRCH;
}

bool proc_exited(__u32 tgid)
{
	char path[32], buf[4096], *st, *th;

	snprintf(path, sizeof(path), "/proc/%u/status", tgid);
	if (proc_read(path, buf, sizeof(buf)) <= 0)
		return true;
	st = strstr(buf, "\nState:");
	th = strstr(buf, "\nThreads:");
	if (!st || !th)
		return false;
	st += 7;
	st += strspn(st, " \t");
	/* a leader that ended before its other threads is a zombie too, with them counted */
	return *st == 'Z' && strtoul(th + 9, NULL, 10) <= 1;
}

int proc_mark(const struct marks *m, __u32 tid, int pidfd)
{
	unsigned long long start;
	__u32 ppid;
	char state;
	__u8 one = 1;

	if (!m->by_tid)
		return bpf_map_update_elem(m->map_fd, &pidfd, &one, BPF_ANY) ? -errno : 0;
	if (bpf_map_update_elem(m->map_fd, &tid, &one, BPF_ANY))
		return -errno;
	/* a task that ended before its mark was made leaves none behind it */
	if (read_stat(tid, &ppid, &start, &state) || state == 'Z' || state == 'X') {
		bpf_map_delete_elem(m->map_fd, &tid);
		return -ESRCH;
	}
	return 0;
}

/* Marks one thread (or, before PIDFD_THREAD, the process); a thread that is gone is no error. */
static int mark_task(const struct marks *m, __u32 tid, unsigned int flags)
{
	int fd = -1, err;

	if (!m->by_tid) {
		fd = syscall(SYS_pidfd_open, tid, flags);
		if (fd < 0)
			return -errno;
	}
	err = proc_mark(m, tid, fd);
	if (fd >= 0)
		close(fd);
	return err == -ESRCH ? 0 : err;
}

/* Marks process pid and each of its threads. */
static int mark_process(const struct marks *m, __u32 pid)
{
	static bool no_thread_fds;
	char path[32];
	struct dirent *d;
	DIR *dir;
	int err;

	/* the process first: its threads count as marked through it */
	err = mark_task(m, pid, 0);
	if (err || (no_thread_fds && !m->by_tid))
		return err;
	snprintf(path, sizeof(path), "/proc/%u/task", pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		__u32 tid = strtoul(d->d_name, NULL, 10);

		if (!tid || tid == pid)
			continue;
		err = mark_task(m, tid, PIDFD_THREAD);
		if (err == -EINVAL) {
			/* an older kernel: the mark of the process stands for its threads */
			no_thread_fds = true;
			err = 0;
			break;
		}
		if (err && err != -ESRCH)
			break;
		err = 0;
	}
	closedir(dir);
	return err;
}

/* Every process's pid and ppid, now. */
static int snapshot(struct proc_link **out, size_t *n)
{
	struct proc_link *p = NULL, *more;
	unsigned long long start;
	size_t cap = 0, len = 0;
	struct dirent *d;
	DIR *dir;

	dir = opendir("/proc");
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		__u32 pid, ppid = 0;
		char state;

		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		pid = strtoul(d->d_name, NULL, 10);
		if (read_stat(pid, &ppid, &start, &state))
			continue;
		if (len == cap) {
			more = realloc(p, (cap = cap ? 2 * cap : 1024) * sizeof(*p));
			if (!more) {
				closedir(dir);
				free(p);
				return -ENOMEM;
			}
			p = more;
		}
		p[len].pid = pid;
		p[len++].ppid = ppid;
	}
	closedir(dir);
	*out = p;
	*n = len;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return (x > y) - (x < y);
}

int proc_seed(const struct marks *m, __u32 root)
{
	__u32 *members, *more;
	size_t nmembers = 1, cap = 64;
	int err;

	members = malloc(cap * sizeof(*members));
	if (!members)
		return -ENOMEM;
	members[0] = root;
	err = mark_process(m, root);
	/*
	 * From here on, a fork by a marked process marks its child. A child
	 * forked before its parent was marked is in the next walk's table.
	 */
	for (int round = 0; !err && round < SEED_ROUNDS; round++) {
		struct proc_link *p = NULL;
		size_t n = 0, added = 0, nsorted;
		bool *in;

		err = snapshot(&p, &n);
		if (err)
			break;
		in = calloc(n ? n : 1, sizeof(*in));
		if (!in) {
			free(p);
			err = -ENOMEM;
			break;
		}
		/* sorts members: new ones go after the sorted ones */
		subtree_closure(p, n, members, nmembers, in);
		nsorted = nmembers;
		for (size_t i = 0; !err && i < n; i++) {
			if (!in[i] ||
			    bsearch(&p[i].pid, members, nsorted, sizeof(*members), cmp_pid))
				continue;
			if (nmembers == cap) {
				more = realloc(members, (cap *= 2) * sizeof(*members));
				if (!more) {
					err = -ENOMEM;
					break;
				}
				members = more;
			}
			err = mark_process(m, p[i].pid);
			if (err == -ESRCH)
				err = 0;
			members[nmembers++] = p[i].pid;
			added++;
		}
		free(in);
		free(p);
		if (!added)
			break;
	}
	free(members);
	return err;
}

int proc_describe(__u32 pid, __u64 start_ns, char *comm, size_t comm_size, char *cmdline,
		  size_t size, size_t *len)
{
	long hz = sysconf(_SC_CLK_TCK);
	unsigned long long start;
	char path[40], state;
	ssize_t n;
	__u32 ppid;

	/* a zombie has no command line any more: it is as good as gone */
	if (hz <= 0 || read_stat(pid, &ppid, &start, &state) || state == 'Z' || state == 'X' ||
	    start != start_ns / (1000000000ULL / hz))
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	n = proc_read(path, comm, comm_size);
	if (n < 0)
		return -ESRCH;
	if (n && comm[n - 1] == '\n')
		comm[n - 1] = '\0';
	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	n = proc_read(path, cmdline, size);
	if (n < 0)
		return -ESRCH;
	*len = n;
	return 0;
}

int proc_boot_id(char id[33])
{
	char buf[64];
	size_t n = 0;
	ssize_t len = proc_read("/proc/sys/kernel/random/boot_id", buf, sizeof(buf));

	if (len < 0)
		return len;
	/* 8-4-4-4-12 digits and dashes: the digits alone */
	for (ssize_t i = 0; i < len && n < 32; i++) {
		if (isxdigit((unsigned char)buf[i]))
			id[n++] = tolower((unsigned char)buf[i]);
	}
	id[n] = '\0';
	return n == 32 ? 0 : -EINVAL;
}
