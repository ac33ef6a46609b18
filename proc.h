/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What execsnoop reads from /proc, once and never by polling: the process
 * table, to put a process and the descendants it already has in the
 * kernel's traced set (-p); the name and command line of a spawner whose
 * exec came before the start, for the summary; the boot id, for JSON.
 */
#ifndef PROC_H
#define PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

/* The process (thread group) that thread pid belongs to; -ESRCH when there is none. */
/* Reads a small /proc or /sys file into buf, NUL-terminated; its length or a negative errno. */
ssize_t proc_read(const char *path, char *buf, size_t size);

int proc_tgid(__u32 pid, __u32 *tgid);

/* True when process tgid has ended, every thread of it, and is not yet reaped (a zombie). */
bool proc_exited(__u32 tgid);

/*
 * The kernel's traced set: a task storage map keyed by pidfd, or, on a
 * kernel without task storage, a hash map keyed by tid.
 */
struct marks {
	int map_fd;
	bool by_tid;
};

/*
 * Marks task tid, whose pidfd is given (one thread with PIDFD_THREAD) when
 * the set is keyed by pidfd. -ESRCH when it has already ended.
 */
int proc_mark(const struct marks *m, __u32 tid, int pidfd);

/*
 * Marks process root, its threads, and every descendant it has now with
 * their threads. The walk is repeated until it finds no new descendant, so
 * that none forked while it ran is missed. 0 or a negative errno (-ESRCH:
 * root is gone).
 */
int proc_seed(const struct marks *m, __u32 root);

/*
 * The comm and command line (NUL-separated, *len bytes, less than size) of
 * the process pid if it is still the one that started at start_ns
 * (CLOCK_BOOTTIME); else -ESRCH.
 */
int proc_describe(__u32 pid, __u64 start_ns, char *comm, size_t comm_size, char *cmdline,
		  size_t size, size_t *len);

/* This boot's id as 32 lowercase hex digits (journald's _BOOT_ID form); -errno. */
int proc_boot_id(char id[33]);

#endif /* PROC_H */
