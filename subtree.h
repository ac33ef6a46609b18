/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Which processes of a snapshot of the process table belong to a traced
 * subtree: those whose parent chain reaches a member. Used once at start to
 * seed the kernel's traced set with the descendants that already exist.
 */
#ifndef SUBTREE_H
#define SUBTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct proc_link {
	__u32 pid;
	__u32 ppid;
};

/*
 * Sorts p (n processes) by pid and sets in[i] when p[i] is a member (listed
 * in members, which is sorted too) or descends from one. Returns how many
 * are in.
 */
size_t subtree_closure(struct proc_link *p, size_t n, __u32 *members, size_t nmembers, bool *in);

#endif /* SUBTREE_H */
