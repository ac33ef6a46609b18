// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/btf.h>
#include <bpf/libbpf.h>
#include "errors.h"
#include "escape.h"
#include "preflight.h"
#include "stream.h"

#define TRACEFS		"/sys/kernel/tracing"
#define DEBUGFS_TRACING "/sys/kernel/debug/tracing" /* where libbpf looks first */
#define EXECVE_ID	"/events/syscalls/sys_enter_execve/id"
#define USER_NS_INIT	0xeffffffdU /* inode of the initial user namespace (PROC_USER_INIT_INO) */

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

int preflight_stdio(void)
{
	int flags = fcntl(STDOUT_FILENO, F_GETFL);
	bool closed = flags < 0 && errno == EBADF;

	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lower ones are open: this takes fd */
		if (open("/dev/null", O_RDWR) != fd)
			return errmsg("descriptor %d is closed and /dev/null cannot be opened: %s",
				      fd, strerror(errno));
	}
	if (closed)
		return errmsg("stdout is closed: give it a terminal, a file or a pipe");
	if (flags >= 0 && (flags & O_ACCMODE) == O_RDONLY)
		return errmsg(
			"stdout is not open for writing: give it a terminal, a file or a pipe");
	return 0;
}

/* Whether cap is in the effective set. */
static bool has_cap(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	return data[cap / 32].effective & (1U << (cap % 32));
}

int preflight_privileges(bool fails)
{
	bool bpf = has_cap(CAP_BPF) || has_cap(CAP_SYS_ADMIN);
	bool perfmon = has_cap(CAP_PERFMON) || has_cap(CAP_SYS_ADMIN);
	const char *grant =
		fails ? "CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH" : "CAP_BPF and CAP_PERFMON";
	const char *missing = NULL;
	struct stat st;

	if (!bpf)
		missing = perfmon ? "CAP_BPF" : "CAP_BPF and CAP_PERFMON";
	else if (!perfmon)
		missing = "CAP_PERFMON";
	if (missing)
		return errmsg("permission denied: needs %s (run as root or grant %s)", missing,
			      grant);
	/* the kernel honours these capabilities only in the initial user namespace */
	if (!stat("/proc/self/ns/user", &st) && st.st_ino != USER_NS_INIT)
		return errmsg(
			"permission denied: capabilities inside a user namespace do not allow BPF tracing (run as root on the host or grant %s there)",
			grant);
	return 0;
}

int preflight_btf(void)
{
	const char *unusable = "the kernel's BTF at %s is unusable: %s";
	struct btf_header hdr;
	struct stat st;
	ssize_t n;
	int f, err;

	f = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC);
	if (f < 0 && errno == ENOENT)
		return errmsg("this kernel has no BTF (%s): it needs CONFIG_DEBUG_INFO_BTF=y",
			      VMLINUX_BTF);
	if (f < 0)
		return errmsg(unusable, VMLINUX_BTF, strerror(errno));
	err = fstat(f, &st) ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
	n = err ? 0 : read(f, &hdr, sizeof(hdr));
	if (n < 0)
		err = errno;
	close(f);
	if (err)
		return errmsg(unusable, VMLINUX_BTF, strerror(err));
	if (S_ISREG(st.st_mode) && !st.st_size)
		return errmsg(unusable, VMLINUX_BTF, "it is empty");
	/* a cheap look at the header; libbpf parses the rest when it loads */
	if (n < (ssize_t)sizeof(hdr) || hdr.magic != BTF_MAGIC || hdr.hdr_len < sizeof(hdr) ||
	    (S_ISREG(st.st_mode) &&
	     (__u64)hdr.hdr_len + hdr.str_off + hdr.str_len > (__u64)st.st_size))
		return errmsg(unusable, VMLINUX_BTF, "it is not valid BTF");
	return 0;
}

int preflight_lockdown(void)
{
	char buf[128] = "";
	int fd = open("/sys/kernel/security/lockdown", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n > 0 && strstr(buf, "[confidentiality]"))
		return errmsg(
			"the kernel is locked down (confidentiality), which refuses BPF tracing: boot without lockdown=confidentiality");
	return 0;
}

int preflight_execveat(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/events/syscalls/sys_enter_execveat/id", TRACEFS);
	if (!faccessat(AT_FDCWD, path, F_OK, AT_EACCESS))
		return 0;
	snprintf(path, sizeof(path), "%s/events/syscalls/sys_enter_execveat/id", DEBUGFS_TRACING);
	if (!faccessat(AT_FDCWD, path, F_OK, AT_EACCESS))
		return 0;
	return errmsg(
		"warning: this kernel has no tracepoint for execveat: its failed execs are not shown (-x)");
}

static bool has_helper(enum bpf_func_id id)
{
	return libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT, id, NULL) == 1;
}

/*
 * Whether a raw tracepoint program that reads argument arg of tracepoint
 * name attaches: the kernel refuses one that reads past its arguments.
 */
static bool has_tracepoint_arg(const char *name, int arg)
{
	const struct bpf_insn prog[] = {
		/* r0 = ((u64 *)ctx)[arg]; r0 = 0 */
		{ .code = BPF_LDX | BPF_MEM | BPF_DW,
		  .dst_reg = BPF_REG_0,
		  .src_reg = BPF_REG_1,
		  .off = arg * 8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL, "GPL", prog,
			       sizeof(prog) / sizeof(prog[0]), NULL);
	int link;

	if (fd < 0)
		return false;
	link = bpf_raw_tracepoint_open(name, fd);
	close(fd);
	if (link < 0)
		return false;
	close(link);
	return true;
}

int preflight_features(struct kernel_features *f, bool hooks)
{
	const char *without = getenv("EXECSNOOP_WITHOUT");
	char shown[SHOWN_SIZE];
	struct {
		const char *name;
		bool *has;
	} names[] = {
		{ "task_storage", &f->task_storage },
		{ "loop", &f->loop },
		{ "task_regs", &f->task_regs },
		{ "exit_group_dead", &f->exit_group_dead },
	};
	size_t len;

	*f = (struct kernel_features){};
	if (!has_helper(BPF_FUNC_ktime_get_boot_ns))
		return errmsg(
			"this kernel lacks bpf_ktime_get_boot_ns: execsnoop needs Linux 5.8 or newer");
	f->task_storage = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) == 1 &&
			  has_helper(BPF_FUNC_get_current_task_btf);
	f->loop = has_helper(BPF_FUNC_loop);
	f->task_regs = has_helper(BPF_FUNC_task_pt_regs);
	/* each of these attaches a program and detaches it: a millisecond or more */
	if (hooks) {
		f->exit_hook = has_tracepoint_arg("sched_process_exit", 0);
		f->exit_group_dead = has_tracepoint_arg("sched_process_exit", 1);
		f->fork_hook = has_tracepoint_arg("sched_process_fork", 1);
	}
	/* a comma-separated list of features to do without, as an older kernel would */
	for (const char *p = without; p && *p; p += len + (p[len] == ',')) {
		size_t i = 0;

		len = strcspn(p, ",");
		while (i < sizeof(names) / sizeof(names[0]) &&
		       (strlen(names[i].name) != len || strncmp(p, names[i].name, len)))
			i++;
		if (i == sizeof(names) / sizeof(names[0]))
			return errmsg(
				"invalid EXECSNOOP_WITHOUT '%s': it names task_storage, loop, task_regs and exit_group_dead",
				shown_value(shown, without));
		*names[i].has = false;
	}
	return 0;
}

int preflight_needs(const char *option, const char *what)
{
	char shown[SHOWN_SIZE];
	struct utsname u;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	return errmsg("%s needs %s; this kernel is %s", option, what,
		      shown_value(shown, u.release));
}

int preflight_btf_parse(void)
{
	struct btf *btf = btf__parse(VMLINUX_BTF, NULL);

	if (!btf)
		return errmsg("the kernel's BTF at %s is unusable: it is not valid BTF",
			      VMLINUX_BTF);
	btf__free(btf);
	return 0;
}

/* 0 when the execve tracepoint's id can be read under dir, as libbpf reads it; or -errno. */
static int tracepoint_readable(const char *dir)
{
	char path[128];

	snprintf(path, sizeof(path), "%s" EXECVE_ID, dir);
	return faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) ? -errno : 0;
}

int preflight_tracefs(void)
{
	int err = tracepoint_readable(TRACEFS);

	if (!err || !tracepoint_readable(DEBUGFS_TRACING))
		return 0;
	if (err == -ENOENT && faccessat(AT_FDCWD, TRACEFS "/events", F_OK, AT_EACCESS) &&
	    errno == ENOENT) {
		/* not mounted: mount it where libbpf looks for it */
		if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY) {
			if (errno == EPERM)
				return errmsg(
					"tracefs is not mounted at %s and mounting it needs CAP_SYS_ADMIN: mount it (mount -t tracefs tracefs %s) or run as root",
					TRACEFS, TRACEFS);
			return errmsg("tracefs is not mounted and mounting it at %s failed: %s",
				      TRACEFS, strerror(errno));
		}
		err = tracepoint_readable(TRACEFS);
		if (!err)
			return 0;
	}
	if (err == -EACCES)
		return errmsg(
			"permission denied: needs CAP_DAC_READ_SEARCH to read tracefs (%s) for -x (run as root or grant CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH)",
			TRACEFS);
	if (err == -ENOENT)
		return errmsg(
			"-x needs the syscall tracepoints (%s%s), which this kernel lacks: it needs CONFIG_FTRACE_SYSCALLS=y",
			TRACEFS, EXECVE_ID);
	return errmsg("cannot read tracefs at %s: %s", TRACEFS, strerror(-err));
}

/* A size in KiB, or in MiB from 10 MiB on, rounded up. */
static const char *size_str(char *buf, size_t len, unsigned long long bytes)
{
	if (bytes >= 10 << 20)
		snprintf(buf, len, "%llu MiB", (bytes + (1 << 20) - 1) >> 20);
	else
		snprintf(buf, len, "%llu KiB", (bytes + 1023) >> 10);
	return buf;
}

/* A number from a /proc/sys file; 0 or -errno. */
static int read_sysctl(const char *path, long *v)
{
	FILE *f = fopen(path, "re");
	int n;

	if (!f)
		return -errno;
	n = fscanf(f, "%ld", v);
	fclose(f);
	return n == 1 ? 0 : -EINVAL;
}

long preflight_ring(unsigned long asked, int ncpu, bool verbose, bool *limited)
{
	long page = sysconf(_SC_PAGESIZE), online = sysconf(_SC_NPROCESSORS_ONLN), kb, paranoid;
	unsigned long want = stream_ring_size(asked, ncpu), fit;
	unsigned long long lockable, need;
	char ring[32], needs[32], allowed[32];
	struct rlimit rl;

	*limited = false;
	/* the limit applies while perf_event_paranoid > -1, and not with CAP_IPC_LOCK */
	if (has_cap(CAP_IPC_LOCK) ||
	    (!read_sysctl("/proc/sys/kernel/perf_event_paranoid", &paranoid) && paranoid < 0))
		return want;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) || rl.rlim_cur == RLIM_INFINITY || online < 1)
		return want;
	*limited = true;
	/* each user may lock perf_event_mlock_kb per CPU, and each process RLIMIT_MEMLOCK more */
	if (read_sysctl("/proc/sys/kernel/perf_event_mlock_kb", &kb) || kb < 0)
		kb = 516;
	lockable = (unsigned long long)kb * 1024 * online + rl.rlim_cur;
	fit = stream_ring_fit(want, lockable, online, page);
	if (fit == want)
		return want;
	if (asked || !fit) {
		if (!asked)
			want = RING_SIZE_MIN;
		need = (unsigned long long)(want + page + (DOORBELL_PAGES + 1) * page) * online;
		size_str(ring, sizeof(ring), want);
		size_str(needs, sizeof(needs), need);
		size_str(allowed, sizeof(allowed), lockable);
		return errmsg(
			"perf rings of %s on %ld CPUs need %s of locked memory, more than the %s allowed: grant CAP_IPC_LOCK, raise ulimit -l%s",
			ring, online, needs, allowed,
			asked ? " or give a smaller --ring-size" : "");
	}
	if (verbose)
		errmsg("perf rings of %lu KiB per CPU, all that locked memory allows without CAP_IPC_LOCK",
		       fit >> 10);
	return fit;
}

int preflight_cgroup(const char *path)
{
	char shown[SHOWN_SIZE];
	struct statfs st;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errmsg("invalid cgroup '%s': %s", shown_value(shown, path), strerror(errno));
	if (fstatfs(fd, &st) || st.f_type != CGROUP2_SUPER_MAGIC) {
		close(fd);
		return errmsg("invalid cgroup '%s': not a cgroup v2 directory",
			      shown_value(shown, path));
	}
	return fd;
}
