/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The working directory and the executed file's path, walked up from their dentries. */
/* Included by execsnoop.bpf.c after its settings and maps. */
#ifndef EXECSNOOP_BPF_PATH_H
#define EXECSNOOP_BPF_PATH_H

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

#endif /* EXECSNOOP_BPF_PATH_H */
