/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --tree: the depth of each exec's line. A process is one below its nearest
 * ancestor whose exec was printed (the kernel names it in the record), and
 * keeps its depth when it execs again. When no ancestor is known (it started
 * before execsnoop did, or its line was lost) the process is a root: depth 0.
 * Processes are known by identity, pid and start time, so a reused pid is a
 * new process. Memory is bounded: after TREE_GENERATION processes, the
 * oldest generation of those not seen since is forgotten.
 */
#ifndef TREE_H
#define TREE_H

#include <stddef.h>
#include <linux/types.h>

#define TREE_GENERATION 65536 /* processes remembered per generation; two are kept */
#define TREE_DEPTH_MAX	65535

struct tree_gen {
	struct tree_node *slots;
	size_t cap; /* a power of two, or 0 */
	size_t len;
};

struct tree {
	struct tree_gen cur, old;
};

/*
 * The depth of process pid@start_ns, whose nearest ancestor seen exec'ing is
 * anc_pid@anc_start_ns (anc_pid 0: none); remembers it.
 */
unsigned int tree_depth(struct tree *t, __u32 pid, __u64 start_ns, __u32 anc_pid,
			__u64 anc_start_ns);

void tree_free(struct tree *t);

#endif /* TREE_H */
