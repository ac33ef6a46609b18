// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include "procset.h"

/* Open addressing with linear probing; a removed slot is a tombstone. */
struct proc_key {
	__u64 start_ns;
	__u32 pid;
	__u32 state; /* 0 free, 1 used, 2 removed */
};

static size_t slot_of(const struct procset *s, __u32 pid, __u64 start_ns)
{
	return (procset_hash(pid, start_ns) >> 17) & (s->cap - 1);
}

static int grow(struct procset *s)
{
	struct procset n = { .cap = s->cap ? 2 * s->cap : 1024 };

	n.slots = calloc(n.cap, sizeof(*n.slots));
	if (!n.slots)
		return -ENOMEM;
	for (size_t i = 0; i < s->cap; i++) {
		if (s->slots[i].state == 1)
			procset_add(&n, s->slots[i].pid, s->slots[i].start_ns);
	}
	free(s->slots);
	*s = n;
	return 0;
}

int procset_add(struct procset *s, __u32 pid, __u64 start_ns)
{
	size_t i;

	if ((s->len + 1) * 2 > s->cap && grow(s))
		return -ENOMEM;
	for (i = slot_of(s, pid, start_ns);; i = (i + 1) & (s->cap - 1)) {
		struct proc_key *k = &s->slots[i];

		if (k->state == 1 && k->pid == pid && k->start_ns == start_ns)
			return 0;
		if (k->state != 1) {
			k->pid = pid;
			k->start_ns = start_ns;
			k->state = 1;
			s->len++;
			return 0;
		}
	}
}

bool procset_take(struct procset *s, __u32 pid, __u64 start_ns)
{
	if (!s->cap)
		return false;
	for (size_t i = slot_of(s, pid, start_ns), n = 0; n < s->cap;
	     i = (i + 1) & (s->cap - 1), n++) {
		struct proc_key *k = &s->slots[i];

		if (!k->state)
			return false;
		if (k->state == 1 && k->pid == pid && k->start_ns == start_ns) {
			k->state = 2;
			s->len--;
			return true;
		}
	}
	return false;
}

void procset_free(struct procset *s)
{
	free(s->slots);
	s->slots = NULL;
	s->cap = s->len = 0;
}
