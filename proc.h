/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What execsnoop reads from /proc, once and never by polling: the process
 * table, to put a process and the descendants it already has in the
 * kernel's traced set (-p); the name and command line of a spawner whose
 * exec came before the start, for the summary; the boot id, for JSON.
 */
#ifndef PROC_H
#define PROC_H

#include <stddef.h>
#include <linux/types.h>

/* The process (thread group) that thread pid belongs to; -ESRCH when there is none. */
int proc_tgid(__u32 pid, __u32 *tgid);

/* Marks the process of pidfd (one thread with PIDFD_THREAD) in the subtree task storage map. */
int proc_mark(int map_fd, int pidfd);

/*
 * Marks process root, its threads, and every descendant it has now with
 * their threads. The walk is repeated until it finds no new descendant, so
 * that none forked while it ran is missed. 0 or a negative errno (-ESRCH:
 * root is gone).
 */
int proc_seed(int map_fd, __u32 root);

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
