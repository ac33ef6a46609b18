// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Stash each exec at syscall entry, complete it from the new image at
 * sched_process_exec (success) or from the caller's memory at syscall exit
 * (failure), and emit one record through the perf event array.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "execsnoop.h"

#define AT_FDCWD  -100
#define PAGE_SIZE 4096

/* Load-time settings, written between open and load. */
const volatile bool trace_failed = false;
const volatile __u32 targ_uid = NO_UID;
const volatile __u32 targ_ppid = NO_PPID;
const volatile bool filter_cgroup = false;

/* Execs not traced because the stash was full; read at exit. */
__u64 stash_full = 0;
/* Records the perf buffer had no room for; read while running. */
__u64 lost_events = 0;

/* What is known at syscall entry, kept until the exec completes. */
struct stash {
	__u64 ts;
	__u64 fname;
	__u64 argv;
	__s32 fd;
	__u32 uid;
};

/* Keyed by task_struct address: stays valid when a thread execs and takes over the pid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct stash);
} execs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

/*
 * Records are built here, never on the 512-byte stack: one slot per CPU
 * (too big for a per-CPU map); user space sizes it to the possible CPUs.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct event);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup SEC(".maps");

/* Tracepoint records, as laid out in tracefs' format files. */
struct sys_enter_ctx {
	__u64 common;
	__s64 nr;
	__u64 args[6];
};

struct sys_exit_ctx {
	__u64 common;
	__s64 nr;
	__s64 ret;
};

static __always_inline struct event *scratch_event(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&scratch, &cpu);
}

static __always_inline int enter_exec(__s32 fd, __u64 fname, __u64 argv)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u32 uid = bpf_get_current_uid_gid();
	struct stash s = {};
	__u64 key = (__u64)task;

	if (targ_uid != NO_UID && uid != targ_uid)
		return 0;
	if (filter_cgroup && bpf_current_task_under_cgroup(&cgroup, 0) != 1)
		return 0;
	if (targ_ppid != NO_PPID && (__u32)BPF_CORE_READ(task, real_parent, tgid) != targ_ppid)
		return 0;

	s.ts = bpf_ktime_get_ns();
	s.fname = fname;
	s.argv = argv;
	s.fd = fd;
	s.uid = uid;
	if (bpf_map_update_elem(&execs, &key, &s, BPF_ANY))
		__sync_fetch_and_add(&stash_full, 1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int sys_enter_execve(struct sys_enter_ctx *ctx)
{
	return enter_exec(AT_FDCWD, ctx->args[0], ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int sys_enter_execveat(struct sys_enter_ctx *ctx)
{
	return enter_exec((__s32)ctx->args[0], ctx->args[1], ctx->args[2]);
}

static __always_inline void fill_common(struct event *e, const struct stash *s,
					struct task_struct *task)
{
	e->ts = s->ts;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = s->uid;
	e->fd = s->fd;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

static __always_inline void emit(void *ctx, struct event *e)
{
	__u64 size = EVENT_HDR_LEN + e->fname_len + e->args_len;

	if (size > sizeof(*e))
		size = sizeof(*e);
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, size))
		__sync_fetch_and_add(&lost_events, 1);
}

/*
 * The exec succeeded: the kernel has copied argv into the new image, where
 * it is resident. Without an interpreter it is the caller's argv; a #! or
 * binfmt_misc interpreter puts its own words in front, and user space finds
 * where the caller's begin.
 */
SEC("raw_tp/sched_process_exec")
int sched_process_exec(__u64 *ctx)
{
	/* (struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) */
	struct linux_binprm *bprm = (void *)ctx[2];
	struct task_struct *task = (void *)bpf_get_current_task();
	__u64 key = (__u64)task;
	__u64 start, end, stack, from, top[3] = {};
	const char *fname, *interp;
	struct mm_struct *mm;
	struct stash *s;
	struct event *e;
	long len;

	s = bpf_map_lookup_elem(&execs, &key);
	if (!s)
		return 0;
	e = scratch_event();
	if (!e)
		goto out;

	fill_common(e, s, task);
	e->ret = 0;
	e->flags = 0;
	fname = BPF_CORE_READ(bprm, filename);
	interp = BPF_CORE_READ(bprm, interp);
	len = bpf_probe_read_kernel_str(e->data, FNAME_MAX, fname);
	if (len <= 0) {
		e->data[0] = '\0';
		len = 1;
		e->flags |= EV_FNAME_FAULT;
	}
	e->fname_len = len;

	mm = BPF_CORE_READ(task, mm);
	start = BPF_CORE_READ(mm, arg_start);
	end = BPF_CORE_READ(mm, arg_end);
	stack = BPF_CORE_READ(mm, start_stack);

	/* the new stack starts with argc, argv[0], argv[1] */
	from = start;
	if (interp != fname)
		e->flags |= EV_INTERP;
	else if (!bpf_probe_read_user(top, sizeof(top), (void *)stack))
		from = top[0] > 1 ? top[2] : end;
	if (from < start || from > end)
		from = start;
	if (from == start)
		e->flags |= EV_HAS_ARGV0;

	e->args_len = 0;
	if (end > from) {
		__u64 n = end - from;

		if (n > ARGS_MAX) {
			n = ARGS_MAX;
			e->flags |= EV_TRUNCATED;
		}
		if (len > FNAME_MAX)
			len = FNAME_MAX;
		if (bpf_probe_read_user(e->data + len, n, (void *)from))
			e->flags |= EV_FAULT;
		else
			e->args_len = n;
	}
	emit(ctx, e);
out:
	bpf_map_delete_elem(&execs, &key);
	return 0;
}

struct args_ctx {
	struct event *e;
	__u64 argv;
	__u64 ptr; /* string being read, 0 between strings */
	__u32 i;
	__u32 off;
	__u32 end;
	__u32 flags;
};

/* Reads the next chunk of a failed exec's arguments; 1 stops the loop. */
static long read_arg(__u32 idx __attribute__((unused)), struct args_ctx *c)
{
	struct event *e = c->e;
	__u32 off = c->off;
	long n;

	if (!c->ptr) {
		__u64 p;

		if (bpf_probe_read_user(&p, sizeof(p), (void *)(c->argv + (__u64)c->i * 8))) {
			c->flags |= EV_FAULT;
			return 1;
		}
		if (!p)
			return 1;
		c->ptr = p;
		c->i++;
	}
	if (off >= c->end) {
		c->flags |= EV_TRUNCATED;
		return 1;
	}
	if (off > FNAME_MAX + ARGS_MAX)
		return 1;
	n = bpf_probe_read_user_str(&e->data[off], STR_CHUNK, (void *)c->ptr);
	if (n <= 0) {
		c->flags |= EV_FAULT;
		return 1;
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

static __always_inline int exit_exec(void *ctx, long ret)
{
	struct task_struct *task;
	struct args_ctx c = {};
	struct stash *s;
	struct event *e;
	__u64 key;
	long len;

	/* a successful exec was reported at sched_process_exec */
	if (ret == 0)
		return 0;
	task = (void *)bpf_get_current_task();
	key = (__u64)task;
	s = bpf_map_lookup_elem(&execs, &key);
	if (!s)
		return 0;
	if (!trace_failed)
		goto out;
	e = scratch_event();
	if (!e)
		goto out;

	fill_common(e, s, task);
	e->ret = ret;
	e->flags = EV_FNAME_USER;
	len = bpf_probe_read_user_str(e->data, FNAME_MAX, (void *)s->fname);
	if (len <= 0) {
		e->data[0] = '\0';
		len = 1;
		e->flags |= EV_FNAME_FAULT;
	}
	if (len > FNAME_MAX)
		len = FNAME_MAX;
	e->fname_len = len;

	c.e = e;
	c.argv = s->argv;
	c.i = 1;
	c.off = len;
	c.end = len + ARGS_MAX;
	if (s->argv)
		bpf_loop(ARGS_MAX + 64, read_arg, &c, 0);
	if (c.off > c.end) {
		c.off = c.end;
		c.flags |= EV_TRUNCATED;
	}
	e->args_len = c.off - len;
	e->flags |= c.flags;
	emit(ctx, e);
out:
	bpf_map_delete_elem(&execs, &key);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int sys_exit_execve(struct sys_exit_ctx *ctx)
{
	return exit_exec(ctx, ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int sys_exit_execveat(struct sys_exit_ctx *ctx)
{
	return exit_exec(ctx, ctx->ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
