/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The processes whose exec was printed, by identity (pid and start time), so
 * that an end is printed only for them: not for one whose exec a filter in
 * user space left out, nor for one whose exec was lost.
 */
#ifndef PROCSET_H
#define PROCSET_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* The hash of a process's identity, for every table kept by identity (also tree.c, summary.c). */
static inline __u64 procset_hash(__u32 pid, __u64 start_ns)
{
	return (start_ns ^ ((__u64)pid << 32 | pid)) * 0x9e3779b97f4a7c15ULL;
}

struct procset {
	struct proc_key *slots;
	size_t cap; /* a power of two, or 0 */
	size_t len;
};

/* Adds a process; -ENOMEM when it could not. */
int procset_add(struct procset *s, __u32 pid, __u64 start_ns);

/* Removes a process; true when it was there. */
bool procset_take(struct procset *s, __u32 pid, __u64 start_ns);

void procset_free(struct procset *s);

#endif /* PROCSET_H */
