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
#define WORDS_ADDED_MAX	  10  /* by interpreters: 2 a level, 5 levels (exec_binprm) */

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
const volatile bool want_cwd = false;	    /* the working directory of each exec */
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
	/* the sections' lengths stay 0 in a slot never used with them */
	if (want_sections) {
		e->h.who_len = 0;
		e->h.anc_len = 0;
		e->h.file_len = 0;
		e->h.interp_len = 0;
		e->h.env_len = 0;
	}
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
	__u64 used = 0;
	struct ring_use *ru = bpf_map_lookup_elem(&ring_use, &cpu);

	if (want_sections)
		size += e->h.who_len + e->h.anc_len + e->h.file_len + e->h.interp_len +
			e->h.env_len;
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
	e->h.flags &= ~(EV_CWD | EV_CWD_CUT | EV_EXE | EV_EXE_CUT | EV_WHO | EV_ANCESTORS |
			EV_FILE | EV_INTERP_PATH | EV_ENV | EV_ENV_CUT);
	e->h.args_len = 0;
	e->h.cwd_len = 0;
	e->h.exe_len = 0;
	if (want_sections) {
		e->h.who_len = 0;
		e->h.anc_len = 0;
		e->h.file_len = 0;
		e->h.interp_len = 0;
		e->h.env_len = 0;
	}
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

struct cwd_ctx {
	struct event *e;
	struct dentry *d;
	struct vfsmount *mnt;
	struct dentry *root_d; /* the task's root: a chroot ends the walk there */
	struct vfsmount *root_mnt;
	__u32 base; /* where the components go in e->data */
	__u32 len;
	bool cut;
};

/*
 * One step from d towards the root: writes d's name, or crosses from the
 * root of a mount to where it is mounted. 1 stops the walk.
 */
static __noinline long cwd_step(__u32 idx __attribute__((unused)), struct cwd_ctx *c)
{
	struct dentry *d = c->d, *parent;
	struct vfsmount *mnt = c->mnt;
	const unsigned char *name;
	struct mount *m, *up;
	__u32 pos;
	long n;

	if (d == c->root_d && mnt == c->root_mnt)
		return 1;
	parent = BPF_CORE_READ(d, d_parent);
	if (d == BPF_CORE_READ(mnt, mnt_root) || d == parent) {
		m = (void *)mnt - bpf_core_field_offset(struct mount, mnt);
		up = BPF_CORE_READ(m, mnt_parent);
		if (up == m)
			return 1; /* the root of the mount namespace */
		c->d = BPF_CORE_READ(m, mnt_mountpoint);
		c->mnt = (void *)up + bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	pos = c->base + c->len;
	if (c->len + NAME_MAX_ + 1 > CWD_MAX || pos > FNAME_MAX + ARGS_MAX + CWD_MAX) {
		c->cut = true;
		return 1;
	}
	name = BPF_CORE_READ(d, d_name.name);
	n = bpf_probe_read_kernel_str(&c->e->data[pos], NAME_MAX_ + 1, name);
	if (n <= 0) {
		c->cut = true;
		return 1;
	}
	c->len += n;
	c->d = parent;
	return 0;
}

/* Walks from d on mnt up to the task's root; appends the components, the last first. */
static __always_inline __u32 walk_path(struct event *e, struct fs_struct *fs, struct dentry *d,
				       struct vfsmount *mnt, bool *cut, bool loop)
{
	struct cwd_ctx c = { .e = e, .d = d, .mnt = mnt };
	long n;

	c.root_d = BPF_CORE_READ(fs, root.dentry);
	c.root_mnt = BPF_CORE_READ(fs, root.mnt);
	c.base = e->h.fname_len + e->h.args_len + e->h.cwd_len;
	n = STEPS(loop, CWD_DEPTH_MAX, CWD_STEPS_BOUNDED, cwd_step, &c);
	*cut = c.cut || n >= (loop ? CWD_DEPTH_MAX : CWD_STEPS_BOUNDED);
	return c.len;
}

/* Appends the working directory. */
static __always_inline void read_cwd(struct event *e, struct task_struct *task, bool loop)
{
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	bool cut;

	if (!fs)
		return;
	e->h.cwd_len = walk_path(e, fs, BPF_CORE_READ(fs, pwd.dentry), BPF_CORE_READ(fs, pwd.mnt),
				 &cut, loop);
	e->h.flags |= EV_CWD | (cut ? EV_CWD_CUT : 0);
}

/* Appends the path of the file executed, resolved: no symlink, no relative part. */
static __always_inline void read_exe(struct event *e, struct task_struct *task,
				     struct linux_binprm *bprm, bool loop)
{
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct file *f = BPF_CORE_READ(bprm, file);
	bool cut;

	if (!fs || !f)
		return;
	e->h.exe_len = walk_path(e, fs, BPF_CORE_READ(f, f_path.dentry),
				 BPF_CORE_READ(f, f_path.mnt), &cut, loop);
	e->h.flags |= EV_EXE | (cut ? EV_EXE_CUT : 0);
}

/*
 * The furthest a section after the exe can start: any but the last, the
 * environment, is smaller than it, and the last still fits in data.
 */
#define SECTION_OFF_MAX (FNAME_MAX + ARGS_MAX + 2 * CWD_MAX + SECTIONS_MAX - ENV_MAX)
_Static_assert(SECTION_OFF_MAX + ENV_MAX <= sizeof(((struct event *)0)->data),
	       "the sections fit in a record after the longest path, arguments, cwd and exe");

/* Where the next section goes in e->data; beyond SECTION_OFF_MAX: it cannot fit. */
static __always_inline __u64 section_off(struct event *e)
{
	__u64 off = (__u64)e->h.fname_len + e->h.args_len + e->h.cwd_len + e->h.exe_len +
		    e->h.who_len + e->h.anc_len + e->h.file_len + e->h.interp_len;

	/* the caller's bound check is on the register it then uses */
	barrier_var(off);
	return off;
}

/* The audit login uid and session, and the controlling tty's name. */
static __always_inline void read_login(struct who *w, struct task_struct *task)
{
	struct tty_struct *tty;
	char drv[4] = {};

	w->loginuid = NO_UID;
	w->sessionid = NO_UID;
	if (has_task_storage) {
		/* the current task, read by loads */
		struct task_struct *t = bpf_get_current_task_btf();

		if (bpf_core_field_exists(t->loginuid)) {
			w->loginuid = t->loginuid.val;
			w->sessionid = t->sessionid;
		}
		tty = t->signal->tty;
	} else {
		/* a kernel without CONFIG_AUDIT has neither: both unset */
		if (bpf_core_field_exists(task->loginuid)) {
			w->loginuid = BPF_CORE_READ(task, loginuid.val);
			w->sessionid = BPF_CORE_READ(task, sessionid);
		}
		tty = BPF_CORE_READ(task, signal, tty);
	}
	if (tty) {
		bpf_core_read_str(w->tty, sizeof(w->tty), &tty->name);
		w->tty_index = BPF_CORE_READ(tty, index);
		/* the Unix 98 pty slaves' driver: /dev/pts/<index> */
		bpf_probe_read_kernel_str(drv, sizeof(drv), BPF_CORE_READ(tty, driver, name));
		if (drv[0] == 'p' && drv[1] == 't' && drv[2] == 's' && !drv[3])
			w->flags |= WHO_PTS;
	}
	w->flags |= WHO_LOGIN;
}

/* A capability set: one 64-bit word (two 32-bit ones before 6.3, the same bytes in little endian). */
static __always_inline __u64 cap_set(const kernel_cap_t *set)
{
	__u64 v = 0;

	bpf_core_read(&v, sizeof(v), set);
	return v;
}

/*
 * Before the new creds are committed: an exec whose new effective ids are
 * not the real ones may have changed them; keeps the effective ids it had
 * for sched_process_exec (Linux 6.10 and later).
 */
static __always_inline void keep_creds(struct linux_binprm *bprm)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	const struct cred *c = BPF_CORE_READ(bprm, cred);
	struct creds_before b = {};
	__u32 ids[6] = {}; /* uid, gid, suid, sgid, euid, egid */
	__u64 key = (__u64)bprm;

	if (!c)
		return;
	/* on every exec: one read when the six lie side by side, as they do */
	if (bpf_core_field_offset(c->egid) == bpf_core_field_offset(c->uid) + 5 * sizeof(__u32)) {
		if (bpf_probe_read_kernel(ids, sizeof(ids),
					  (void *)c + bpf_core_field_offset(c->uid)))
			return;
	} else {
		ids[0] = BPF_CORE_READ(c, uid.val);
		ids[1] = BPF_CORE_READ(c, gid.val);
		ids[4] = BPF_CORE_READ(c, euid.val);
		ids[5] = BPF_CORE_READ(c, egid.val);
	}
	if (ids[4] == ids[0] && ids[5] == ids[1])
		return;
	c = BPF_CORE_READ(task, cred);
	b.euid = BPF_CORE_READ(c, euid.val);
	b.egid = BPF_CORE_READ(c, egid.val);
	bpf_map_update_elem(&creds_before, &key, &b, BPF_ANY);
}

/*
 * The effective ids after the exec (the task's, for a failed exec: bprm
 * NULL), and what the exec raised: the effective uid or gid it changed,
 * the capabilities the file granted. Returns true when it raised something.
 */
static __always_inline bool read_priv(struct who *w, struct task_struct *task,
				      struct linux_binprm *bprm)
{
	const struct cred *c;
	__u32 uid, gid, euid, egid, was_euid, was_egid;
	struct creds_before *b;
	__u64 key = (__u64)bprm, caps = 0;

	if (has_task_storage) {
		/* the current task's creds, read by loads */
		c = bpf_get_current_task_btf()->cred;
		uid = c->uid.val;
		gid = c->gid.val;
		euid = c->euid.val;
		egid = c->egid.val;
		/* one 64-bit word since 6.3 */
		if (bpf_core_field_exists(c->cap_permitted.val))
			caps = c->cap_permitted.val & ~c->cap_ambient.val;
		else
			caps = cap_set(&c->cap_permitted) & ~cap_set(&c->cap_ambient);
	} else {
		c = BPF_CORE_READ(task, cred);
		uid = BPF_CORE_READ(c, uid.val);
		gid = BPF_CORE_READ(c, gid.val);
		euid = BPF_CORE_READ(c, euid.val);
		egid = BPF_CORE_READ(c, egid.val);
	}
	w->euid = euid;
	w->egid = egid;
	w->flags |= WHO_PRIV;
	if (!bprm)
		return false;
	was_euid = euid;
	was_egid = egid;
	if (euid != uid || egid != gid) {
		b = bpf_map_lookup_elem(&creds_before, &key);
		if (b) {
			was_euid = b->euid;
			was_egid = b->egid;
			bpf_map_delete_elem(&creds_before, &key);
		} else {
			/* exec keeps the real ids: what the process had, unless it ran set-id already */
			was_euid = uid;
			was_egid = gid;
			w->flags |= WHO_GUESSED;
		}
	}
	if (euid != was_euid)
		w->flags |= WHO_SETUID;
	if (egid != was_egid)
		w->flags |= WHO_SETGID;
	/*
	 * Without uid 0, the new permitted set is the file's capabilities, or
	 * the ambient set when the file has none.
	 */
	if (uid && euid)
		w->caps = has_task_storage ? caps
					   : cap_set(&c->cap_permitted) & ~cap_set(&c->cap_ambient);
	return w->flags & (WHO_SETUID | WHO_SETGID) || w->caps;
}

/* Appends the WHO section: w with the login fields, when asked for. */
static __always_inline void put_who(struct event *e, struct task_struct *task, struct who *w)
{
	__u64 off;

	if (want_login)
		read_login(w, task);
	off = section_off(e);
	if (off > SECTION_OFF_MAX)
		return;
	if (!bpf_probe_read_kernel(e->data + off, sizeof(*w), w)) {
		e->h.who_len = sizeof(*w);
		e->h.flags |= EV_WHO;
	}
}

/* The process of task's parent: a process's parent is its first thread's. */
static __always_inline struct task_struct *parent_process(struct task_struct *t)
{
	if (has_task_storage)
		return t->group_leader->real_parent->group_leader;
	return BPF_CORE_READ(t, group_leader, real_parent, group_leader);
}

/*
 * Appends the nearest ANCESTRY_MAX ancestors from the task tree, the parent
 * first, up to init (or kthreadd); cut when there are more.
 */
static __always_inline void put_ancestry(struct event *e)
{
	struct task_struct *t, *p;
	struct ancestor a = {};
	__u32 head[2] = {};
	__u64 off = section_off(e);
	__u32 n = 0;

	if (off > SECTION_OFF_MAX)
		return;
	if (has_task_storage)
		t = bpf_get_current_task_btf();
	else
		t = (void *)bpf_get_current_task();
	for (int i = 0; i < ANCESTRY_MAX; i++) {
		p = parent_process(t);
		/* the idle task is the parent of init and kthreadd */
		if (!p)
			break;
		if (has_task_storage) {
			/* loads, no helper: the comm in two words */
			a.pid = p->tgid;
			a.start_ns = p->start_boottime;
			((__u64 *)a.comm)[0] = *(__u64 *)&p->comm[0];
			((__u64 *)a.comm)[1] = *(__u64 *)&p->comm[8];
		} else {
			a.pid = BPF_CORE_READ(p, tgid);
			a.start_ns = BPF_CORE_READ(p, start_boottime);
			bpf_core_read(a.comm, sizeof(a.comm), &p->comm);
		}
		if (!a.pid)
			break;
		if (bpf_probe_read_kernel(e->data + off + ANCESTRY_LEN(i), sizeof(a), &a))
			break;
		n++;
		t = p;
	}
	if (n == ANCESTRY_MAX) {
		p = parent_process(t);
		head[1] = p && (has_task_storage ? p->tgid : BPF_CORE_READ(p, tgid)) != 0;
	}
	head[0] = n;
	if (bpf_probe_read_kernel(e->data + off, sizeof(head), head))
		return;
	e->h.anc_len = ANCESTRY_LEN(n);
	e->h.flags |= EV_ANCESTORS;
}

/* Older kernels' names for an inode's change time (before 6.6, and 6.6 to 6.10). */
struct inode___ctime_old {
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

struct inode___ctime_mid {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

#define TMPFS_MAGIC	0x01021994
#define HUGETLBFS_MAGIC 0x958458f6

/* Appends the FILE section: the identity of the file executed (with bprm, after success). */
static __always_inline void put_file(struct event *e, struct linux_binprm *bprm)
{
	struct file *f = BPF_CORE_READ(bprm, file);
	struct inode *in = BPF_CORE_READ(f, f_inode);
	struct file_id id = { .flags = FILE_READ };
	__u64 off = section_off(e);
	unsigned long magic;
	char name[8] = {};

	if (!in || off > SECTION_OFF_MAX)
		return;
	id.ino = BPF_CORE_READ(in, i_ino);
	id.size = BPF_CORE_READ(in, i_size);
	id.nlink = BPF_CORE_READ(in, __i_nlink);
	id.dev = BPF_CORE_READ(in, i_sb, s_dev);
	if (bpf_core_field_exists(in->i_ctime_sec)) {
		id.ctime_sec = BPF_CORE_READ(in, i_ctime_sec);
		/* its top bits can hold flags (multigrain timestamps, 6.13): ns are below 2^30 */
		id.ctime_nsec = BPF_CORE_READ(in, i_ctime_nsec) & ((1U << 30) - 1);
	} else if (bpf_core_field_exists(((struct inode___ctime_mid *)in)->__i_ctime)) {
		id.ctime_sec = BPF_CORE_READ((struct inode___ctime_mid *)in, __i_ctime.tv_sec);
		id.ctime_nsec = BPF_CORE_READ((struct inode___ctime_mid *)in, __i_ctime.tv_nsec);
	} else {
		id.ctime_sec = BPF_CORE_READ((struct inode___ctime_old *)in, i_ctime.tv_sec);
		id.ctime_nsec = BPF_CORE_READ((struct inode___ctime_old *)in, i_ctime.tv_nsec);
	}
	/* memfd_create's files: unlinked, on shmem or hugetlbfs, named "memfd:..." */
	magic = BPF_CORE_READ(in, i_sb, s_magic);
	if (!id.nlink && (magic == TMPFS_MAGIC || magic == HUGETLBFS_MAGIC)) {
		bpf_probe_read_kernel_str(name, sizeof(name),
					  BPF_CORE_READ(f, f_path.dentry, d_name.name));
		/* "memfd:" as one word, its bytes in memory order */
		if ((*(__u64 *)name & 0xffffffffffffULL) == 0x3a64666d656dULL)
			id.flags |= FILE_MEMFD;
	}
	if (!bpf_probe_read_kernel(e->data + off, sizeof(id), &id)) {
		e->h.file_len = sizeof(id);
		e->h.flags |= EV_FILE;
	}
}

/* Appends the interpreter's path, after a #! script or binfmt_misc (EV_INTERP). */
static __always_inline void put_interp(struct event *e, struct linux_binprm *bprm)
{
	__u64 off = section_off(e);
	long n;

	if (off > SECTION_OFF_MAX)
		return;
	n = bpf_probe_read_kernel_str(e->data + off, INTERP_MAX, BPF_CORE_READ(bprm, interp));
	if (n <= 0)
		return;
	e->h.interp_len = n;
	e->h.flags |= EV_INTERP_PATH;
}

/*
 * Appends the new image's environment area, as the kernel copied it onto
 * the stack: resident, NUL-separated strings; cut at ENV_MAX bytes.
 */
static __always_inline void put_env(struct event *e, struct task_struct *task)
{
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	__u64 start = BPF_CORE_READ(mm, env_start), end = BPF_CORE_READ(mm, env_end);
	__u64 off = section_off(e), n;
	bool cut = false;

	if (off > SECTION_OFF_MAX || end < start)
		return;
	n = end - start;
	if (n > ENV_MAX) {
		n = ENV_MAX;
		cut = true;
	}
	barrier_var(n);
	if (n > ENV_MAX)
		return;
	if (n && bpf_probe_read_user(e->data + off, n, (void *)start))
		return;
	e->h.env_len = n;
	e->h.flags |= EV_ENV | (cut ? EV_ENV_CUT : 0);
}

/*
 * Appends the sections asked for: who ran it (with bprm, after a successful
 * exec), the ancestors, and after a successful exec the file executed, its
 * interpreter and its environment. Returns true when the exec raised privilege.
 */
static __always_inline bool put_sections(struct event *e, struct task_struct *task,
					 struct linux_binprm *bprm)
{
	struct who who = {};
	bool raised = false;

	if (want_priv)
		raised = read_priv(&who, task, bprm);
	if (want_login || want_priv)
		put_who(e, task, &who);
	if (want_ancestry)
		put_ancestry(e);
	if (!bprm)
		return raised;
	if (want_file)
		put_file(e, bprm);
	if (want_interp && e->h.flags & EV_INTERP)
		put_interp(e, bprm);
	if (want_env)
		put_env(e, task);
	return raised;
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
	if (want_cwd)
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
