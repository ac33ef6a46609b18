// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdlib.h>
#include <string.h>
#include "subtree.h"

enum { UNKNOWN, IN, OUT };

static int cmp_link(const void *a, const void *b)
{
	const struct proc_link *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int cmp_pid(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return (x > y) - (x < y);
}

/* Index of pid in p, or -1. */
static long find(const struct proc_link *p, size_t n, __u32 pid)
{
	struct proc_link key = { .pid = pid };
	const struct proc_link *f = bsearch(&key, p, n, sizeof(*p), cmp_link);

	return f ? f - p : -1;
}

size_t subtree_closure(struct proc_link *p, size_t n, __u32 *members, size_t nmembers, bool *in)
{
	unsigned char *state;
	size_t count = 0;

	if (!n)
		return 0;
	state = calloc(n, 1);
	if (!state) {
		memset(in, 0, n * sizeof(*in));
		return 0;
	}
	qsort(p, n, sizeof(*p), cmp_link);
	if (nmembers)
		qsort(members, nmembers, sizeof(*members), cmp_pid);
	for (size_t i = 0; i < n; i++) {
		unsigned char found = OUT;
		long cur = i, last = -1;

		/* up the chain until a member, a process already decided, or its top */
		for (size_t steps = 0; steps <= n && cur >= 0; steps++) {
			if (state[cur] != UNKNOWN) {
				found = state[cur];
				break;
			}
			last = cur;
			if (nmembers &&
			    bsearch(&p[cur].pid, members, nmembers, sizeof(*members), cmp_pid)) {
				found = IN;
				break;
			}
			cur = p[cur].ppid && p[cur].ppid != p[cur].pid ? find(p, n, p[cur].ppid)
								       : -1;
		}
		/* the same chain again, up to where the walk stopped, to note the outcome */
		for (cur = i; last >= 0 && cur >= 0;) {
			state[cur] = found;
			if (cur == last)
				break;
			cur = find(p, n, p[cur].ppid);
		}
	}
	for (size_t i = 0; i < n; i++) {
		in[i] = state[i] == IN;
		count += in[i];
	}
	free(state);
	return count;
}
