/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The exec system call under way, decoded from its registers (x86). */
/* Included by execsnoop.bpf.c after its settings and maps. */
#ifndef EXECSNOOP_BPF_REGS_H
#define EXECSNOOP_BPF_REGS_H

/* The arguments of the exec system call under way, from its registers. */
struct exec_call {
	__u64 fname;
	__u64 argv;
	__s32 fd;      /* execveat's dirfd, or AT_FDCWD */
	__u32 ptr_len; /* bytes of a pointer: 8, or 4 for the i386 system calls */
};

/*
 * Decodes the registers the exec system call under way left as they were:
 * false when this is not one (started by the kernel), the ABI is not known
 * here, or the kernel cannot give the registers.
 */
static __always_inline bool exec_call(struct exec_call *c)
{
#if defined(__TARGET_ARCH_x86)
	struct pt_regs *regs;

	if (!has_task_regs)
		return false;
	regs = (void *)bpf_task_pt_regs(bpf_get_current_task_btf());
	switch (BPF_CORE_READ(regs, orig_ax)) {
	case 59: /* execve(fname, argv, envp) */
		c->fd = AT_FDCWD;
		c->fname = BPF_CORE_READ(regs, di);
		c->argv = BPF_CORE_READ(regs, si);
		c->ptr_len = 8;
		return true;
	case 322: /* execveat(fd, fname, argv, envp, flags) */
		c->fd = BPF_CORE_READ(regs, di);
		c->fname = BPF_CORE_READ(regs, si);
		c->argv = BPF_CORE_READ(regs, dx);
		c->ptr_len = 8;
		return true;
	case 11: /* i386 execve: ebx, ecx, edx */
		c->fd = AT_FDCWD;
		c->fname = BPF_CORE_READ(regs, bx);
		c->argv = BPF_CORE_READ(regs, cx);
		c->ptr_len = 4;
		return true;
	case 358: /* i386 execveat: ebx, ecx, edx, esi, edi */
		c->fd = BPF_CORE_READ(regs, bx);
		c->fname = BPF_CORE_READ(regs, cx);
		c->argv = BPF_CORE_READ(regs, dx);
		c->ptr_len = 4;
		return true;
	}
#endif
	(void)c;
	return false;
}

/* The argv pointer of the exec system call under way, and the size of its pointers (0: none). */
static __always_inline __u64 caller_argv(__u32 *size)
{
	struct exec_call c;

	*size = 0;
	if (!exec_call(&c))
		return 0;
	*size = c.ptr_len;
	return c.argv;
}

/*
 * A failed exec's arguments from the system call's registers: for when its
 * entry was not stashed (the stash was full, or its update found the bucket
 * busy, as it can when a program is preempted). 64-bit calls only: the
 * stash holds 64-bit pointers, as the syscall tracepoints do.
 */
static __always_inline bool stash_from_regs(struct stash *s)
{
	struct exec_call c;

	if (!exec_call(&c) || c.ptr_len != 8)
		return false;
	s->fd = c.fd;
	s->fname = c.fname;
	s->argv = c.argv;
	return true;
}

#endif /* EXECSNOOP_BPF_REGS_H */
