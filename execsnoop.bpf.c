// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Report every successful exec from sched_process_exec, with the path the
 * kernel resolved and argv read from the new image; when an interpreter ran,
 * sched_prepare_exec first counts the words the caller passed. With
 * trace_failed, stash the caller's pointers at syscall entry and report a
 * failed exec at syscall exit from the caller's memory. One record per exec
 * goes out through the perf event array; when the ring is nearly full, the
 * path alone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "execsnoop.h"

#define AT_FDCWD	  -100
#define SLOT_TRIES	  4
#define SIGNAL_GROUP_EXIT 0x4 /* signal_struct.flags: the process is exiting */

/* Load-time settings, written between open and load. */
const volatile bool trace_failed = false;
const volatile __u32 targ_uid = NO_UID;
const volatile __u32 targ_ppid = NO_PPID;
const volatile bool filter_cgroup = false;
const volatile __u32 nr_slots = 1;	 /* entries of scratch */
const volatile bool want_detail = false; /* what only --json shows: the comm before the exec */
const volatile bool trace_exits = false;
const volatile bool want_cwd = false;	    /* the working directory of each exec */
const volatile bool want_exe = false;	    /* the file executed, its path resolved */
const volatile bool want_ids = false;	    /* start times: identities (-j, -e, --tree, -s) */
const volatile bool want_cgroup = false;    /* the cgroup id (-j, --container) */
const volatile bool filter_subtree = false; /* -p or a command: only the tasks marked in subtree */
/* --tree, --summary: records name their nearest reported ancestor */
const volatile bool want_ancestor = false;
const volatile bool want_login = false;	   /* loginuid, session and tty (-j, --login) */
const volatile bool want_priv = false;	   /* euid, egid, privilege gained (-j, --privilege) */
const volatile bool filter_priv = false;   /* --privileged: only execs that gained privilege */
const volatile bool want_ancestry = false; /* the nearest ancestors from the task tree (-j) */
const volatile bool want_file = false;	   /* the executed file's identity (--hash) */
const volatile bool want_interp = false;   /* the interpreter's path (-j) */
const volatile bool want_env = false;	   /* the new image's environment area (--env) */
const volatile bool want_sections = false; /* any of the above: one check where it is 0 */

/*
 * What this kernel has, probed by user space before the load. Without one,
 * the code that needs it is never reached, and the verifier drops it.
 */
const volatile bool has_task_storage = true; /* task storage, BTF task pointers (5.11) */
const volatile bool has_task_regs = true;    /* bpf_task_pt_regs (5.15) */

/*
 * An older kernel refuses a program that refers to a bpf_loop callback
 * even where it is never reached: each program that walks comes twice,
 * with bpf_loop and with bounded walks (_bounded), and user space loads
 * one. Steps a bounded walk takes, each checked by the verifier:
 */
#define CWD_STEPS_BOUNDED 48
#define ARG_STEPS_BOUNDED 160

/*
 * Runs step(i, ctx) until it returns 1, at most n times with bpf_loop
 * (loop: a constant), else at most bounded times. Evaluates to the steps run.
 */
#define STEPS(loop, n, bounded, step, ctx)                                                         \
	({                                                                                         \
		long __n = 0;                                                                      \
		if (loop) {                                                                        \
			__n = bpf_loop(n, step, ctx, 0);                                           \
		} else {                                                                           \
			for (__u32 __i = 0; __i < (bounded); __i++) {                              \
				__n++;                                                             \
				if (step(__i, ctx))                                                \
					break;                                                     \
			}                                                                          \
		}                                                                                  \
		__n;                                                                               \
	})

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

/*
 * Words the caller passed to an exec that ran an interpreter (-1: unknown),
 * from sched_prepare_exec to sched_process_exec; keyed by linux_binprm.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, __s32);
} caller_argc SEC(".maps");

/*
 * With want_priv, the effective ids before an exec whose new ones are not
 * the real ones, from sched_prepare_exec to sched_process_exec; keyed by
 * linux_binprm.
 */
struct creds_before {
	__u32 euid;
	__u32 egid;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, struct creds_before);
} creds_before SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

/*
 * Wakes the reader at once: a ring of its own per CPU that wakes on every
 * record, rung by the first record after the reader armed it, so that a
 * line follows its exec at once while events wakes it only when it fills.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} doorbell SEC(".maps");

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
 * each taken with its busy flag. The reader maps it to read the flags: with
 * none set, every record whose time has been taken is in its ring.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
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

/*
 * The task storage maps below become hash maps keyed by tid (by tgid for
 * procs) on a kernel without task storage: sched_process_exit deletes what
 * an ending task leaves.
 */

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
 * With want_ancestor, each task forked since the start carries the nearest
 * ancestor whose exec was reported, as of its fork: however many processes
 * in a row only forked, it is found without a walk.
 */
struct lineage {
	__u64 start_ns;
	__u32 pid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct lineage);
} lineage SEC(".maps");

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

/* The same, in the hash map that stands for it: the thread, or its process. */
static __always_inline bool in_subtree_hash(__u32 tid, __u32 tgid)
{
	return bpf_map_lookup_elem(&subtree, &tid) || bpf_map_lookup_elem(&subtree, &tgid);
}

/*
 * A thread that execs takes over its process's pid, and the first thread
 * ended: in the hash map, the thread's mark moves to the pid it now has.
 */
static __always_inline void carry_mark(__u32 old_tid)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u8 one = 1;

	if (old_tid == pid || !bpf_map_lookup_elem(&subtree, &old_tid))
		return;
	bpf_map_update_elem(&subtree, &pid, &one, BPF_ANY);
	bpf_map_delete_elem(&subtree, &old_tid);
}

static __always_inline bool current_in_subtree(void)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (has_task_storage)
		return in_subtree(bpf_get_current_task_btf());
	return in_subtree_hash((__u32)id, id >> 32);
}

/* The one place that decides whether the current task is traced. */
static __always_inline bool traced(struct task_struct *task, __u32 uid)
{
	if (filter_subtree && !current_in_subtree())
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
		/*
		 * Taken by the one whose add made busy 1. Only adds that
		 * return nothing: an older kernel has no cmpxchg.
		 */
		if (s && !*(volatile __u64 *)&s->busy) {
			__sync_fetch_and_add(&s->busy, 1);
			if (*(volatile __u64 *)&s->busy == 1)
				return s;
			__sync_fetch_and_add(&s->busy, -1);
		}
		idx = (idx + 1) % nr_slots;
	}
	__sync_fetch_and_add(&counters.lost_busy, 1);
	return NULL;
}

static __always_inline void slot_put(struct scratch_slot *s)
{
	__sync_fetch_and_add(&s->busy, -1);
}

/* No section in e: their lengths, 0 (they stay 0 in a slot never used with them). */
static __always_inline void sections_clear(struct event *e)
{
	if (!want_sections)
		return;
	e->h.who_len = 0;
	e->h.anc_len = 0;
	e->h.file_len = 0;
	e->h.interp_len = 0;
	e->h.env_len = 0;
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
	e->h.start_ns = 0;
	e->h.parent_start_ns = 0;
	e->h.cgroup_id = 0;
	e->h.mntns = e->h.ns_pid = e->h.pidns = 0;
	/* what only some options show costs nothing without them */
	if (want_ids) {
		e->h.start_ns = BPF_CORE_READ(task, group_leader, start_boottime);
		/* the parent process's start, also when a thread of it forked: its identity */
		e->h.parent_start_ns =
			BPF_CORE_READ(task, real_parent, group_leader, start_boottime);
	}
	if (want_cgroup)
		e->h.cgroup_id = bpf_get_current_cgroup_id();
	if (want_detail) {
		e->h.mntns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
		own_pid(task, &e->h.ns_pid, &e->h.pidns);
	}
	e->h.uid = uid;
	e->h.fd = AT_FDCWD;
	e->h.flags = 0;
	e->h.args_len = 0;
	e->h.cwd_len = 0;
	e->h.exe_len = 0;
	e->h.comm_before[0] = '\0';
	e->h.anc_pid = 0;
	e->h.anc_start_ns = 0;
	sections_clear(e);
	bpf_get_current_comm(e->h.comm, sizeof(e->h.comm));
}

/*
 * Reads the path at src into e->data; flags it cut when it is longer than
 * FNAME_MAX - 1 bytes, unreadable when it cannot be read.
 */
static __always_inline void read_path(struct event *e, const void *src, bool user)
{
	long len;
	char c = 0;

	if (user)
		len = bpf_probe_read_user_str(e->data, FNAME_MAX, src);
	else
		len = bpf_probe_read_kernel_str(e->data, FNAME_MAX, src);
	if (len <= 0) {
		e->data[0] = '\0';
		len = 1;
		e->h.flags |= EV_FNAME_FAULT;
	} else if (len == FNAME_MAX) {
		/* the buffer is full: did the string end there? */
		if (user ? bpf_probe_read_user(&c, 1, src + FNAME_MAX - 1)
			 : bpf_probe_read_kernel(&c, 1, src + FNAME_MAX - 1))
			c = 1;
		if (c)
			e->h.flags |= EV_FNAME_CUT;
	}
	e->h.fname_len = len;
}

/*
 * Sends the record; when the ring is nearly full, or the whole record does
 * not fit, the record without its arguments. Counts what it had to leave out.
 */
static __always_inline void emit(void *ctx, struct event *e)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 size = EVENT_HDR_LEN + e->h.fname_len + e->h.args_len + e->h.cwd_len + e->h.exe_len;
	__u64 used = 0, room = 0;
	struct ring_use *ru = bpf_map_lookup_elem(&ring_use, &cpu);

	if (want_sections)
		size += e->h.who_len + e->h.anc_len + e->h.file_len + e->h.interp_len +
			e->h.env_len;
	if (size > sizeof(*e))
		size = sizeof(*e);
	if (ru) {
		used = ru->written - *(volatile __u64 *)&ru->consumed;
		/* taken before this CPU's last add, or a loss record the kernel wrote: empty */
		if ((__s64)used < 0)
			used = 0;
		room = *(volatile __u64 *)&ru->size;
		/* a quarter of the ring is kept for path-only records when it fills up */
		room -= room / 4;
	}
	if (!e->h.args_len || used + PERF_SAMPLE_BYTES(size) <= room) {
		if (!bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, size))
			goto sent;
		if (!e->h.args_len)
			goto lost;
	}
	/* the path alone: the exec still gets its line */
	e->h.flags |= EV_ARGS_LOST;
	e->h.flags &= ~(EV_CWD | EV_CWD_CUT | EV_EXE | EV_EXE_CUT | EV_WHO | EV_ANCESTORS |
			EV_FILE | EV_INTERP_PATH | EV_ENV | EV_ENV_CUT);
	e->h.args_len = 0;
	e->h.cwd_len = 0;
	e->h.exe_len = 0;
	sections_clear(e);
	size = EVENT_HDR_LEN + e->h.fname_len;
	if (size > sizeof(*e))
		size = sizeof(*e);
	if (bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, e, size))
		goto lost;
	__sync_fetch_and_add(&counters.args_lost_ring, 1);
sent:
	if (ru) {
		__sync_fetch_and_add(&ru->written, PERF_SAMPLE_BYTES(size));
		/* after the add: a reader that armed and then looked finds this record, or is rung */
		if (*(volatile __u64 *)&ru->armed) {
			__u64 ring = 1;

			ru->armed = 0;
			bpf_perf_event_output(ctx, &doorbell, BPF_F_CURRENT_CPU, &ring,
					      sizeof(ring));
		}
	}
	return;
lost:
	__sync_fetch_and_add(&counters.lost_ring, 1);
}

/* Helpers in groups of their own, each after the settings and maps it uses. */
#include "bpf/path.h"
#include "bpf/regs.h"
#include "bpf/args.h"
#include "bpf/sections.h"

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
	struct proc *p, new = { .exec_ts = ts };
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (!has_task_storage) {
		bpf_map_update_elem(&procs, &tgid, &new, BPF_ANY);
		return;
	}
	p = bpf_task_storage_get(&procs, bpf_get_current_task_btf(), 0,
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
	struct task_struct *t, *p;
	struct lineage *l;
	__u32 tgid;

	if (!has_task_storage) {
		/* the same walk, read through probes, in the hash map keyed by tgid */
		t = (void *)bpf_get_current_task();
		for (int i = 0; i < ANCESTORS_MAX; i++) {
			t = BPF_CORE_READ(t, group_leader, real_parent, group_leader);
			if (!t)
				return;
			tgid = BPF_CORE_READ(t, tgid);
			if (bpf_map_lookup_elem(&procs, &tgid)) {
				e->h.anc_pid = tgid;
				e->h.anc_start_ns = BPF_CORE_READ(t, start_boottime);
				return;
			}
			if (tgid <= 1)
				return;
		}
		return;
	}
	t = bpf_get_current_task_btf();
	/* the parent, if its exec was reported since; else what the fork carried */
	p = t->group_leader->real_parent;
	if (p && !bpf_task_storage_get(&procs, p->group_leader, 0, 0)) {
		l = bpf_task_storage_get(&lineage, t, 0, 0);
		if (!l)
			l = bpf_task_storage_get(&lineage, t->group_leader, 0, 0);
		if (l) {
			e->h.anc_pid = l->pid;
			e->h.anc_start_ns = l->start_ns;
			return;
		}
	}
	/* a process forked before the start: the walk */
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

/* Keeps the comm before the exec changes it, for sched_process_exec. */
static __always_inline void keep_comm(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct before *b;

	if (!traced(task, bpf_get_current_uid_gid()))
		return;
	b = bpf_task_storage_get(&before, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (b)
		bpf_get_current_comm(b->comm, sizeof(b->comm));
}

/* An interpreter ran: bprm->interp is no longer the executed path. */
static __always_inline bool interp_ran(struct linux_binprm *bprm)
{
	__u32 off = bpf_core_field_offset(bprm->filename);
	const char *names[2];

	/* on every exec: one read when the two lie side by side, as they do */
	if (bpf_core_field_offset(bprm->interp) == off + sizeof(names[0])) {
		if (bpf_probe_read_kernel(names, sizeof(names), (void *)bprm + off))
			return false;
		return names[1] != names[0];
	}
	return BPF_CORE_READ(bprm, interp) != BPF_CORE_READ(bprm, filename);
}

/*
 * Before the point of no return, while the caller's memory is still the
 * task's: when an interpreter ran (#! or binfmt_misc), counts the words the
 * caller passed, so that sched_process_exec can tell them from the words
 * the kernel put in front. (Linux 6.10 and later; without it, user space
 * tells them apart by the executed path.)
 */
SEC("raw_tp/sched_prepare_exec")
int sched_prepare_exec(__u64 *ctx)
{
	/* (struct task_struct *task, struct linux_binprm *bprm) */
	struct linux_binprm *bprm = (void *)ctx[1];
	__u64 key = (__u64)bprm;
	__s32 argc;

	if (want_detail && has_task_storage)
		keep_comm();
	if (want_priv)
		keep_creds(bprm);
	if (!interp_ran(bprm))
		return 0;
	argc = count_caller_args(BPF_CORE_READ(bprm, argc));
	bpf_map_update_elem(&caller_argc, &key, &argc, BPF_ANY);
	return 0;
}

/*
 * The exec succeeded: the kernel has copied argv into the new image, where
 * it is resident. Without an interpreter it is the caller's argv; a #! or
 * binfmt_misc interpreter replaced its argv[0] by words of its own, and the
 * caller's argc says where the caller's arguments begin. When that is not
 * known, the whole argv is sent and user space finds them.
 */
static __always_inline int process_exec(__u64 *ctx, bool loop)
{
	/* (struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) */
	struct linux_binprm *bprm = (void *)ctx[2];
	struct task_struct *task = (void *)bpf_get_current_task();
	__u32 uid = bpf_get_current_uid_gid();
	__u64 start, end, stack, from, key = (__u64)bprm;
	__s32 *counted, caller = -1;
	struct scratch_slot *slot;
	struct mm_struct *mm;
	const char *fname;
	struct event *e;
	bool interp;
	__u32 len;

	if (filter_subtree && !has_task_storage)
		carry_mark(ctx[1]);
	if (!traced(task, uid))
		return 0;
	slot = slot_get();
	if (!slot)
		return 0;
	e = &slot->e;

	fill_header(e, task, uid);
	e->h.ret = 0;
	e->h.tid = ctx[1]; /* old_pid: the thread that called exec, before it took over the pid */
	if (want_detail && has_task_storage)
		comm_before(e);
	if (want_ancestor)
		ancestor(e);
	fname = BPF_CORE_READ(bprm, filename);
	read_path(e, fname, false);

	mm = BPF_CORE_READ(task, mm);
	start = BPF_CORE_READ(mm, arg_start);
	end = BPF_CORE_READ(mm, arg_end);
	stack = BPF_CORE_READ(mm, start_stack);

	interp = BPF_CORE_READ(bprm, interp) != fname;
	if (interp) {
		e->h.flags |= EV_INTERP;
		counted = bpf_map_lookup_elem(&caller_argc, &key);
		if (counted) {
			caller = *counted;
			bpf_map_delete_elem(&caller_argc, &key);
		}
	}
	from = caller_args(stack, start, end, interp, caller);
	if (!from) {
		from = start;
		e->h.flags |= EV_HAS_ARGV0;
	}

	if (end > from) {
		__u64 n = end - from;

		if (n > ARGS_MAX) {
			n = ARGS_MAX;
			e->h.flags |= EV_TRUNCATED;
		}
		len = e->h.fname_len;
		if (len > FNAME_MAX)
			len = FNAME_MAX;
		if (bpf_probe_read_user(e->data + len, n, (void *)from))
			e->h.flags |= EV_FAULT;
		else
			e->h.args_len = n;
	}
	if (want_cwd)
		read_cwd(e, task, loop);
	if (want_exe)
		read_exe(e, task, bprm, loop);
	/* --privileged: only an exec that raised privilege */
	if (want_sections && !put_sections(e, task, bprm) && filter_priv) {
		slot_put(slot);
		return 0;
	}
	emit(ctx, e);
	if (trace_exits || want_ancestor)
		remember(e->h.ts);
	slot_put(slot);
	return 0;
}

SEC("raw_tp/sched_process_exec")
int sched_process_exec(__u64 *ctx)
{
	return process_exec(ctx, true);
}

SEC("raw_tp/sched_process_exec")
int sched_process_exec_bounded(__u64 *ctx)
{
	return process_exec(ctx, false);
}

/* Before Linux 5.17, the thread of an exec that kills the others was group_exit_task. */
struct signal_struct___old {
	struct task_struct *group_exit_task;
};

/* The process is being killed: a fatal signal, or another thread's exec or exit. */
static __always_inline bool dying(struct task_struct *task)
{
	struct signal_struct *sig = BPF_CORE_READ(task, signal);
	struct task_struct *exec_task;

	if (bpf_core_field_exists(sig->group_exec_task))
		exec_task = BPF_CORE_READ(sig, group_exec_task);
	else
		exec_task = BPF_CORE_READ((struct signal_struct___old *)sig, group_exit_task);

	return (BPF_CORE_READ(sig, flags) & SIGNAL_GROUP_EXIT) || (exec_task && exec_task != task);
}

static __always_inline int exit_exec(void *ctx, long ret, bool loop)
{
	struct stash regs_stash = {};
	struct task_struct *task = (void *)bpf_get_current_task();
	__u32 uid = bpf_get_current_uid_gid();
	struct scratch_slot *slot;
	__u64 key = (__u64)task;
	struct stash *s;
	struct event *e;

	/* a successful exec was reported at sched_process_exec; a failed one raised nothing */
	if (ret == 0 || filter_priv) {
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
	if (dying(task))
		e->h.flags |= EV_KILLED;
	if (want_ancestor)
		ancestor(e);
	if (s) {
		read_caller(e, s, loop);
	} else if (stash_from_regs(&regs_stash)) {
		read_caller(e, &regs_stash, loop);
	} else {
		e->data[0] = '\0';
		e->h.fname_len = 1;
		e->h.flags |= EV_NO_STASH | EV_FNAME_FAULT;
		__sync_fetch_and_add(&counters.args_lost_stash, 1);
	}
	if (want_cwd)
		read_cwd(e, task, loop);
	if (want_sections)
		put_sections(e, task, NULL);
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
	return exit_exec(ctx, ctx->ret, true);
}

SEC("tracepoint/syscalls/sys_exit_execve")
int sys_exit_execve_bounded(struct sys_exit_ctx *ctx)
{
	return exit_exec(ctx, ctx->ret, false);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int sys_exit_execveat(struct sys_exit_ctx *ctx)
{
	return exit_exec(ctx, ctx->ret, true);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int sys_exit_execveat_bounded(struct sys_exit_ctx *ctx)
{
	return exit_exec(ctx, ctx->ret, false);
}

/*
 * A task ends. Without task storage, what it left in the hash maps that
 * stand for it goes. The last thread of a process ends it: only processes
 * whose exec was reported carry a proc; for any other, the cost is this
 * check and one lookup.
 */
static __always_inline int task_exit(void *ctx, struct task_struct *task, bool group_dead)
{
	struct task_struct *leader;
	struct scratch_slot *slot;
	__u32 tid = task->pid, tgid = task->tgid;
	__u64 exec_ts;
	struct proc *p;
	struct event *e;

	if (!has_task_storage && filter_subtree)
		bpf_map_delete_elem(&subtree, &tid);
	if (!group_dead)
		return 0;
	if (has_task_storage) {
		leader = task->group_leader;
		p = bpf_task_storage_get(&procs, leader, 0, 0);
		if (!p)
			return 0;
		exec_ts = p->exec_ts;
		bpf_task_storage_delete(&procs, leader);
	} else {
		p = bpf_map_lookup_elem(&procs, &tgid);
		if (!p)
			return 0;
		exec_ts = p->exec_ts;
		/* two threads may both see the process end: the one that deletes reports */
		if (bpf_map_delete_elem(&procs, &tgid))
			return 0;
	}
	if (!trace_exits)
		return 0;
	slot = slot_get();
	if (!slot)
		return 0;
	e = &slot->e;
	fill_header(e, (void *)task, bpf_get_current_uid_gid());
	e->h.flags = EV_EXIT;
	e->h.ret = BPF_CORE_READ(task, exit_code);
	e->h.exec_ts = exec_ts;
	e->h.cpu_ns = BPF_CORE_READ(task, se.sum_exec_runtime) +
		      BPF_CORE_READ(task, signal, sum_sched_runtime);
	e->data[0] = '\0';
	e->h.fname_len = 1;
	emit(ctx, e);
	slot_put(slot);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *task, bool group_dead)
{
	return task_exit(ctx, task, group_dead);
}

/*
 * The same, where the tracepoint does not pass group_dead (6.12 and
 * older): it fires after the process's count of live threads went down.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit_task, struct task_struct *task)
{
	return task_exit(ctx, task, !BPF_CORE_READ(task, signal, live.counter));
}

/* The child's nearest reported ancestor: its parent's process, or what the parent carries. */
static __always_inline void carry_lineage(struct task_struct *parent, struct task_struct *child)
{
	struct task_struct *leader = parent->group_leader;
	struct lineage *from, *to;
	__u64 start;
	__u32 pid;

	if (bpf_task_storage_get(&procs, leader, 0, 0)) {
		/* read, not loaded: one load of both pointers is refused */
		pid = BPF_CORE_READ(leader, tgid);
		start = BPF_CORE_READ(leader, start_boottime);
	} else {
		from = bpf_task_storage_get(&lineage, parent, 0, 0);
		if (!from)
			from = bpf_task_storage_get(&lineage, leader, 0, 0);
		if (!from)
			return;
		pid = from->pid;
		start = from->start_ns;
	}
	to = bpf_task_storage_get(&lineage, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (to) {
		to->pid = pid;
		to->start_ns = start;
	}
}

/*
 * A task is created: with filter_subtree, one forked by a task of the subtree
 * (a process or a thread) joins it; with want_ancestor, it carries its
 * nearest reported ancestor. The child has not run yet.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 tid = child->pid;
	__u8 one = 1;

	(void)ctx;
	if (!has_task_storage) {
		if (filter_subtree && in_subtree_hash(parent->pid, parent->tgid))
			bpf_map_update_elem(&subtree, &tid, &one, BPF_ANY);
		return 0;
	}
	if (filter_subtree && in_subtree(parent))
		bpf_task_storage_get(&subtree, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (want_ancestor)
		carry_lineage(parent, child);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
