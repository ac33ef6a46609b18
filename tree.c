// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdbool.h>
#include <stdlib.h>
#include "procset.h"
#include "tree.h"

struct tree_node {
	__u64 start_ns;
	__u32 pid; /* 0: a free slot */
	__u32 depth;
};

static size_t slot_of(const struct tree_gen *g, __u32 pid, __u64 start_ns)
{
	return (procset_hash(pid, start_ns) >> 17) & (g->cap - 1);
}

static struct tree_node *find(const struct tree_gen *g, __u32 pid, __u64 start_ns)
{
	if (!g->cap)
		return NULL;
	for (size_t i = slot_of(g, pid, start_ns);; i = (i + 1) & (g->cap - 1)) {
		struct tree_node *n = &g->slots[i];

		if (!n->pid)
			return NULL;
		if (n->pid == pid && n->start_ns == start_ns)
			return n;
	}
}

/* Adds a node; false when memory ran out (the node is then not remembered). */
static bool add(struct tree_gen *g, __u32 pid, __u64 start_ns, __u32 depth)
{
	size_t i;

	if ((g->len + 1) * 2 > g->cap) {
		struct tree_gen n = { .cap = g->cap ? 2 * g->cap : 256 };

		n.slots = calloc(n.cap, sizeof(*n.slots));
		if (!n.slots)
			return false;
		for (size_t k = 0; k < g->cap; k++) {
			if (g->slots[k].pid)
				add(&n, g->slots[k].pid, g->slots[k].start_ns, g->slots[k].depth);
		}
		free(g->slots);
		*g = n;
	}
	for (i = slot_of(g, pid, start_ns); g->slots[i].pid; i = (i + 1) & (g->cap - 1))
		;
	g->slots[i].pid = pid;
	g->slots[i].start_ns = start_ns;
	g->slots[i].depth = depth;
	g->len++;
	return true;
}

/* The depth of a process, moved to the current generation; -1 when unknown. */
static long lookup(struct tree *t, __u32 pid, __u64 start_ns)
{
	struct tree_node *n = find(&t->cur, pid, start_ns);
	__u32 depth;

	if (n)
		return n->depth;
	n = find(&t->old, pid, start_ns);
	if (!n)
		return -1;
	depth = n->depth;
	/* it stays in old too: no tombstones, and old goes as a whole */
	if (t->cur.len < TREE_GENERATION)
		add(&t->cur, pid, start_ns, depth);
	return depth;
}

static void remember(struct tree *t, __u32 pid, __u64 start_ns, __u32 depth)
{
	if (t->cur.len >= TREE_GENERATION) {
		free(t->old.slots);
		t->old = t->cur;
		t->cur = (struct tree_gen){};
	}
	add(&t->cur, pid, start_ns, depth);
}

unsigned int tree_depth(struct tree *t, __u32 pid, __u64 start_ns, __u32 anc_pid,
			__u64 anc_start_ns)
{
	long depth = pid ? lookup(t, pid, start_ns) : 0;

	if (depth >= 0)
		return depth;
	depth = anc_pid ? lookup(t, anc_pid, anc_start_ns) : -1;
	depth = depth < 0 ? 0 : depth < TREE_DEPTH_MAX ? depth + 1 : TREE_DEPTH_MAX;
	remember(t, pid, start_ns, depth);
	return depth;
}

void tree_free(struct tree *t)
{
	free(t->cur.slots);
	free(t->old.slots);
	t->cur = t->old = (struct tree_gen){};
}
