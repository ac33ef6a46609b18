/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The record's sections after the exe: who, ancestry, file, interpreter, environment. */
/* Included by execsnoop.bpf.c after its settings and maps. */
#ifndef EXECSNOOP_BPF_SECTIONS_H
#define EXECSNOOP_BPF_SECTIONS_H

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

#endif /* EXECSNOOP_BPF_SECTIONS_H */
