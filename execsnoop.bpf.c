// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Report every successful exec from sched_process_exec, with the path the
 * kernel resolved and argv read from the new image. With trace_failed, stash
 * the caller's pointers at syscall entry and report a failed exec at syscall
 * exit from the caller's memory. One record per exec goes out through the
 * perf event array; when the ring is nearly full, the path alone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "execsnoop.h"

#define AT_FDCWD   -100
#define SLOT_TRIES 4

/* Load-time settings, written between open and load. */
const volatile bool trace_failed = false;
const volatile __u32 targ_uid = NO_UID;
const volatile __u32 targ_ppid = NO_PPID;
const volatile bool filter_cgroup = false;
const volatile __u32 nr_slots = 1;	 /* entries of scratch */
const volatile __u64 ring_bytes = 0;	 /* data bytes of each CPU's ring */
const volatile __u64 ring_reserve = 0;	 /* kept free of full records, for path-only ones */
const volatile bool want_detail = false; /* what only --json shows: the comm before the exec */
const volatile bool trace_exits = false;
const volatile bool filter_subtree = false; /* -p or a command: only the tasks marked in subtree */
/* --tree, --summary: records name their nearest reported ancestor */
const volatile bool want_ancestor = false;

struct counters counters = {};

struct before {
	char comm[TASK_COMM_LEN];
};

/* What is known at syscall entry, kept until a failed exec is reported. */
struct stash {
	__u64 fname;
	__u64 argv;
	__s32 fd;
	__u32 pad;
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

/* Indexed by CPU; sized and mapped by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ring_use);
} ring_use SEC(".maps");

/*
 * Records are built here, never on the 512-byte stack: too big for a per-CPU
 * map, so nr_slots slots (at most SCRATCH_SLOTS_MAX, however many CPUs),
 * each taken with its busy flag.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch_slot);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup SEC(".maps");

/* The comm a task had before its exec, from sched_prepare_exec; with want_detail only. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct before);
} before SEC(".maps");

/* A process whose exec was reported, with trace_exits: when, for its lifetime at exit. */
struct proc {
	__u64 exec_ts;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct proc);
} procs SEC(".maps");

/*
 * The traced subtree, with filter_subtree: every task in it (threads too)
 * carries a mark. User space marks the first ones, by pidfd; a task forked by
 * a marked one is marked at fork, before it can run; a mark goes with its task.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u8);
} subtree SEC(".maps");

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

/* The task, or its process's first thread (marked alone by a kernel without PIDFD_THREAD), is marked. */
static __always_inline bool in_subtree(struct task_struct *task)
{
	return bpf_task_storage_get(&subtree, task, 0, 0) ||
	       bpf_task_storage_get(&subtree, task->group_leader, 0, 0);
}

/* The one place that decides whether the current task is traced. */
static __always_inline bool traced(struct task_struct *task, __u32 uid)
{
	if (filter_subtree && !in_subtree(bpf_get_current_task_btf()))
		return false;
	if (targ_uid != NO_UID && uid != targ_uid)
		return false;
	if (filter_cgroup && bpf_current_task_under_cgroup(&cgroup, 0) != 1)
		return false;
	if (targ_ppid != NO_PPID && (__u32)BPF_CORE_READ(task, real_parent, tgid) != targ_ppid)
		return false;
	return true;
}

/* A free record buffer, marked busy; NULL when all tried are in use. */
static __always_inline struct scratch_slot *slot_get(void)
{
	__u32 idx = bpf_get_smp_processor_id() % nr_slots;
	struct scratch_slot *s;

	for (int i = 0; i < SLOT_TRIES; i++) {
		s = bpf_map_lookup_elem(&scratch, &idx);
		if (s && !__sync_val_compare_and_swap(&s->busy, 0, 1))
			return s;
		idx = (idx + 1) % nr_slots;
	}
	__sync_fetch_and_add(&counters.lost_busy, 1);
	return NULL;
}

static __always_inline void slot_put(struct scratch_slot *s)
{
	__sync_lock_test_and_set(&s->busy, 0);
}

/* The pid and pid namespace of task as it sees itself. */
static __always_inline void own_pid(struct task_struct *task, __u32 *nr, __u32 *ns)
{
	struct pid *p = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(p, level);
	struct upid up = {};

	bpf_core_read(&up, sizeof(up), &p->numbers[level & 31]);
	*nr = up.nr;
	*ns = BPF_CORE_READ(up.ns, ns.inum);
}

static __always_inline void fill_header(struct event *e, struct task_struct *task, __u32 uid)
{
	__u64 id = bpf_get_current_pid_tgid();

	e->h.ts = bpf_ktime_get_boot_ns();
	e->h.pid = id >> 32;
	e->h.tid = (__u32)id;
	e->h.ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->h.start_ns = BPF_CORE_READ(task, group_leader, start_boottime);
	/* the parent process's start, also when a thread of it forked: its identity */
	e->h.parent_start_ns = BPF_CORE_READ(task, real_parent, group_leader, start_boottime);
	e->h.cgroup_id = bpf_get_current_cgroup_id();
	e->h.mntns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	own_pid(task, &e->h.ns_pid, &e->h.pidns);
	e->h.uid = uid;
	e->h.fd = AT_FDCWD;
	e->h.flags = 0;
	e->h.args_len = 0;
	e->h.comm_before[0] = '\0';
	e->h.anc_pid = 0;
	e->h.anc_start_ns = 0;
	bpf_get_current_comm(e->h.comm, sizeof(e->h.comm));
}

/*
 * Sends the record; when the ring is nearly full, or the whole record does
 * not fit, the record without its arguments. Counts what it had to leave out.
 */
static __always_inline void emit(void *ctx, struct event *e)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 size = EVENT_HDR_LEN + e->h.fname_len + e->h.args_len, used = 0;
	struct ring_use *ru = bpf_map_lookup_elem(&ring_use, &cpu);

	if (size > sizeof(*e))
		size = sizeof(*e);
	if (ru)
		used = ru->written - *(volatile __u64 *)&ru->consumed;
	if (!e->h.args_len || used + PERF_SAMPLE_BYTES(size) <= ring_bytes - ring_reserve) {
		if (!bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, size))
			goto sent;
		if (!e->h.args_len)
			goto lost;
	}
	/* the path alone: the exec still gets its line */
	e->h.flags |= EV_ARGS_LOST;
	e->h.args_len = 0;
	size = EVENT_HDR_LEN + e->h.fname_len;
	if (size > sizeof(*e))
		size = sizeof(*e);
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, size))
		goto lost;
	__sync_fetch_and_add(&counters.args_lost_ring, 1);
sent:
	if (ru)
		__sync_fetch_and_add(&ru->written, PERF_SAMPLE_BYTES(size));
	return;
lost:
	__sync_fetch_and_add(&counters.lost_ring, 1);
}

static __always_inline int enter_exec(__s32 fd, __u64 fname, __u64 argv)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct stash s = { .fname = fname, .argv = argv, .fd = fd };
	__u64 key = (__u64)task;

	if (!traced(task, bpf_get_current_uid_gid()))
		return 0;
	/* on failure, the exit finds no entry and says so */
	bpf_map_update_elem(&execs, &key, &s, BPF_ANY);
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

/* Marks the current process as one whose exit is to be reported. */
static __always_inline void remember(__u64 ts)
{
	struct proc *p = bpf_task_storage_get(&procs, bpf_get_current_task_btf(), 0,
					      BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (p)
		p->exec_ts = ts;
}

/*
 * The nearest ancestor whose exec was reported (it carries a proc), for
 * --tree and --summary: a process that only forked, such as a shell's
 * subshell, is skipped; it runs what that ancestor exec'd.
 */
static __always_inline void ancestor(struct event *e)
{
	struct task_struct *t = bpf_get_current_task_btf();

	for (int i = 0; i < ANCESTORS_MAX; i++) {
		t = t->group_leader->real_parent;
		if (!t)
			return;
		t = t->group_leader;
		if (bpf_task_storage_get(&procs, t, 0, 0)) {
			e->h.anc_pid = t->tgid;
			e->h.anc_start_ns = t->start_boottime;
			return;
		}
		if (t->tgid <= 1)
			return;
	}
}

/* Copies the comm that sched_prepare_exec kept, and forgets it. */
static __always_inline void comm_before(struct event *e)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct before *b = bpf_task_storage_get(&before, task, 0, 0);

	if (!b)
		return;
	__builtin_memcpy(e->h.comm_before, b->comm, sizeof(b->comm));
	bpf_task_storage_delete(&before, task);
}

/* The last point before an exec changes the comm: keep it for sched_process_exec. */
SEC("raw_tp/sched_prepare_exec")
int sched_prepare_exec(__u64 *ctx __attribute__((unused)))
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct before *b;

	if (!traced(task, bpf_get_current_uid_gid()))
		return 0;
	b = bpf_task_storage_get(&before, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (b)
		bpf_get_current_comm(b->comm, sizeof(b->comm));
	return 0;
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
	__u32 uid = bpf_get_current_uid_gid();
	__u64 start, end, stack, from, top[3] = {};
	const char *fname, *interp;
	struct scratch_slot *slot;
	struct mm_struct *mm;
	struct event *e;
	long len;

	if (!traced(task, uid))
		return 0;
	slot = slot_get();
	if (!slot)
		return 0;
	e = &slot->e;

	fill_header(e, task, uid);
	e->h.ret = 0;
	e->h.tid = ctx[1]; /* old_pid: the thread that called exec, before it took over the pid */
	if (want_detail)
		comm_before(e);
	if (want_ancestor)
		ancestor(e);
	fname = BPF_CORE_READ(bprm, filename);
	interp = BPF_CORE_READ(bprm, interp);
	len = bpf_probe_read_kernel_str(e->data, FNAME_MAX, fname);
	if (len <= 0) {
		e->data[0] = '\0';
		len = 1;
		e->h.flags |= EV_FNAME_FAULT;
	}
	e->h.fname_len = len;

	mm = BPF_CORE_READ(task, mm);
	start = BPF_CORE_READ(mm, arg_start);
	end = BPF_CORE_READ(mm, arg_end);
	stack = BPF_CORE_READ(mm, start_stack);

	/* the new stack starts with argc, argv[0], argv[1] */
	from = start;
	if (interp != fname)
		e->h.flags |= EV_INTERP;
	else if (!bpf_probe_read_user(top, sizeof(top), (void *)stack))
		from = top[0] > 1 ? top[2] : end;
	if (from < start || from > end)
		from = start;
	if (from == start)
		e->h.flags |= EV_HAS_ARGV0;

	if (end > from) {
		__u64 n = end - from;

		if (n > ARGS_MAX) {
			n = ARGS_MAX;
			e->h.flags |= EV_TRUNCATED;
		}
		if (len > FNAME_MAX)
			len = FNAME_MAX;
		if (bpf_probe_read_user(e->data + len, n, (void *)from))
			e->h.flags |= EV_FAULT;
		else
			e->h.args_len = n;
	}
	emit(ctx, e);
	if (trace_exits || want_ancestor)
		remember(e->h.ts);
	slot_put(slot);
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

/* Fills a failed exec's path and arguments from the caller's memory. */
static __always_inline void read_caller(struct event *e, const struct stash *s)
{
	struct args_ctx c = {};
	long len;

	e->h.fd = s->fd;
	e->h.flags |= EV_FNAME_USER;
	len = bpf_probe_read_user_str(e->data, FNAME_MAX, (void *)s->fname);
	if (len <= 0) {
		e->data[0] = '\0';
		len = 1;
		e->h.flags |= EV_FNAME_FAULT;
	}
	if (len > FNAME_MAX)
		len = FNAME_MAX;
	e->h.fname_len = len;

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
	e->h.args_len = c.off - len;
	e->h.flags |= c.flags;
}

static __always_inline int exit_exec(void *ctx, long ret)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u32 uid = bpf_get_current_uid_gid();
	struct scratch_slot *slot;
	__u64 key = (__u64)task;
	struct stash *s;
	struct event *e;

	/* a successful exec was reported at sched_process_exec */
	if (ret == 0) {
		bpf_map_delete_elem(&execs, &key);
		return 0;
	}
	if (!traced(task, uid))
		return 0;
	s = bpf_map_lookup_elem(&execs, &key);
	slot = slot_get();
	if (!slot)
		goto out;
	e = &slot->e;

	fill_header(e, task, uid);
	e->h.ret = ret;
	if (want_ancestor)
		ancestor(e);
	if (s) {
		read_caller(e, s);
	} else {
		e->data[0] = '\0';
		e->h.fname_len = 1;
		e->h.flags |= EV_NO_STASH | EV_FNAME_FAULT;
		__sync_fetch_and_add(&counters.args_lost_stash, 1);
	}
	emit(ctx, e);
	slot_put(slot);
out:
	if (s)
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

/*
 * The last thread of a process exits. Only processes whose exec was reported
 * carry a proc: for any other, the cost is this check and one lookup.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *task, bool group_dead)
{
	struct task_struct *leader;
	struct scratch_slot *slot;
	struct proc *p;
	struct event *e;

	if (!group_dead)
		return 0;
	leader = task->group_leader;
	p = bpf_task_storage_get(&procs, leader, 0, 0);
	if (!p)
		return 0;
	slot = slot_get();
	if (!slot)
		return 0;
	e = &slot->e;
	fill_header(e, (void *)task, bpf_get_current_uid_gid());
	e->h.flags = EV_EXIT;
	e->h.ret = BPF_CORE_READ(task, exit_code);
	e->h.exec_ts = p->exec_ts;
	e->h.cpu_ns = BPF_CORE_READ(task, se.sum_exec_runtime) +
		      BPF_CORE_READ(task, signal, sum_sched_runtime);
	e->data[0] = '\0';
	e->h.fname_len = 1;
	emit(ctx, e);
	slot_put(slot);
	bpf_task_storage_delete(&procs, leader);
	return 0;
}

/*
 * A task is created: with filter_subtree, one forked by a task of the subtree
 * (a process or a thread) joins it. The child has not run yet.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	(void)ctx;
	if (in_subtree(parent))
		bpf_task_storage_get(&subtree, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
