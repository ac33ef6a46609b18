/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The arguments: counted in the caller, found in the new image, read for a failed exec. */
/* Included by execsnoop.bpf.c after its settings, maps, read_path and bpf/regs.h. */
#ifndef EXECSNOOP_BPF_ARGS_H
#define EXECSNOOP_BPF_ARGS_H

#define WORDS_ADDED_MAX 10 /* by interpreters: 2 a level, 5 levels (exec_binprm) */

/* One pointer of size bytes at p, or -1 when it cannot be read. */
static __always_inline __s64 read_ptr(__u64 p, __u32 size)
{
	__u64 v = 0;

	if (bpf_probe_read_user(&v, size == 4 ? 4 : 8, (void *)p))
		return -1;
	return v;
}

/*
 * The number of words in the caller's argv, -1 when unknown. An interpreter
 * replaced argv[0] by at most WORDS_ADDED_MAX words in front, so its NULL
 * lies within a few pointers before the new argc: reads only those.
 */
static __always_inline __s32 count_caller_args(__s32 argc)
{
	__u32 size, lo = argc > WORDS_ADDED_MAX + 1 ? argc - WORDS_ADDED_MAX - 1 : 0;
	__u64 argv = caller_argv(&size);
	__s64 p;

	if (!size)
		return -1;
	if (!argv)
		return 0;
	/* the count is not below lo */
	if (lo && read_ptr(argv + (__u64)(lo - 1) * size, size) <= 0)
		return -1;
	for (__u32 i = 0; i <= WORDS_ADDED_MAX + 1; i++) {
		if (lo + i >= (__u32)argc)
			break;
		p = read_ptr(argv + (__u64)(lo + i) * size, size);
		if (p < 0)
			break;
		if (!p)
			return lo + i;
	}
	return -1;
}

/*
 * Where the caller's argv[1] lies in the new image: argv[1], or after an
 * interpreter the last caller - 1 words (caller: the words the caller
 * passed, -1 when not known). The new stack starts with argc, then argv[]
 * of 8-byte pointers, or 4-byte ones for an i386 image, argv[0] pointing at
 * arg_start. Returns 0 when it cannot be found.
 */
static __always_inline __u64 caller_args(__u64 stack, __u64 start, __u64 end, bool interp,
					 __s32 caller)
{
	__u64 top[3] = {}, argc, idx = 1, p;
	__u32 size;

	if (bpf_probe_read_user(top, sizeof(top), (void *)stack))
		return 0;
	if (top[1] == start) {
		size = 8;
		argc = top[0];
	} else if (top[0] >> 32 == start) {
		size = 4;
		argc = (__u32)top[0];
	} else {
		return 0;
	}
	if (interp) {
		if (caller < 0)
			return 0;
		idx = argc - (caller > 1 ? caller - 1 : 0);
	}
	if (!idx || idx > argc)
		return 0;
	if (idx == argc)
		return end;
	if (idx == 1)
		p = size == 8 ? top[2] : top[1] & 0xffffffff;
	else if (bpf_probe_read_user(&p, size, (void *)(stack + size * (1 + idx))))
		return 0;
	else if (size == 4)
		p &= 0xffffffff;
	return p >= start && p <= end ? p : 0;
}

struct args_ctx {
	struct event *e;
	__u64 argv;
	__u64 ptr; /* string being read, 0 between strings */
	__u32 i;
	__u32 off;
	__u32 end;
	__u32 flags;
	bool done; /* the walk stopped by itself, not for want of steps */
};

/* Ends the walk of the arguments: 1. */
static __always_inline long stop(struct args_ctx *c)
{
	c->done = true;
	return 1;
}

/* Reads the next chunk of a failed exec's arguments; 1 stops the loop. */
static __noinline long read_arg(__u32 idx __attribute__((unused)), struct args_ctx *c)
{
	struct event *e = c->e;
	__u32 off = c->off;
	long n;

	if (!c->ptr) {
		__u64 p;

		if (bpf_probe_read_user(&p, sizeof(p), (void *)(c->argv + (__u64)c->i * 8))) {
			c->flags |= EV_FAULT;
			return stop(c);
		}
		if (!p)
			return stop(c);
		c->ptr = p;
		c->i++;
	}
	if (off >= c->end) {
		c->flags |= EV_TRUNCATED;
		return stop(c);
	}
	if (off > FNAME_MAX + ARGS_MAX)
		return stop(c);
	n = bpf_probe_read_user_str(&e->data[off], STR_CHUNK, (void *)c->ptr);
	if (n <= 0) {
		c->flags |= EV_FAULT;
		return stop(c);
	}
	if (n == STR_CHUNK) {
		/* maybe longer: go on over the forced terminator */
		c->off = off + STR_CHUNK - 1;
		c->ptr += STR_CHUNK - 1;
	} else {
		c->off = off + n;
		c->ptr = 0;
	}
	return 0;
}

/* Fills a failed exec's path and arguments from the caller's memory. */
static __always_inline void read_caller(struct event *e, const struct stash *s, bool loop)
{
	struct args_ctx c = {};
	__u32 len;

	e->h.fd = s->fd;
	e->h.flags |= EV_FNAME_USER;
	read_path(e, (void *)s->fname, true);
	len = e->h.fname_len;
	if (len > FNAME_MAX)
		len = FNAME_MAX;

	c.e = e;
	c.argv = s->argv;
	c.i = 1;
	c.off = len;
	c.end = len + ARGS_MAX;
	if (s->argv) {
		STEPS(loop, ARGS_MAX + 64, ARG_STEPS_BOUNDED, read_arg, &c);
		if (!c.done)
			c.flags |= EV_TRUNCATED;
	}
	if (c.off > c.end) {
		c.off = c.end;
		c.flags |= EV_TRUNCATED;
	}
	e->h.args_len = c.off - len;
	e->h.flags |= c.flags;
}

#endif /* EXECSNOOP_BPF_ARGS_H */
