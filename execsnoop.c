// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* execsnoop: trace every exec on the system as it happens. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "btf_trim.h"
#include "execsnoop.h"
#include "execsnoop.skel.h"
#include "options.h"
#include "output.h"
#include "privs.h"
#include "record.h"
#include "reorder.h"
#include "stream.h"
#include "text.h"

#define TTY_INTERVAL_MS	  16  /* longest wait for a line on a terminal: a screen refresh */
#define FILE_INTERVAL_MS  100 /* longest wait before a batch goes to a file or pipe */
/*
 * How long a record is held back while another CPU's ring is empty, for an
 * older record still being written there. A record's time is taken just
 * before it is written, so microseconds would do; a storm must not wait.
 */
#define REORDER_WINDOW_MS 5
#define STOP_GRACE_MS	  1000 /* how long output is retried at exit when it is not read */
#define BOOST_NICE	  -20
#define TRACEFS		  "/sys/kernel/tracing"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* 1 once a stop was asked for (SIGINT, SIGTERM, SIGHUP); 2 when asked again: stop at once */
static volatile sig_atomic_t exiting;
static struct options opts;
static struct fmt fmt;
static struct output out;
static struct reorder ro;
static struct stream *stream;
static const struct counters *counters; /* the programs' loss counts, mapped */

static void fail(const char *what, int err)
{
	fprintf(stderr, "execsnoop: %s: %s\n", what, strerror(err < 0 ? -err : err));
}

static int libbpf_print(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
	if (!opts.verbose)
		return 0;
	return vfprintf(stderr, format, args);
}

static void on_signal(int sig)
{
	/* from the first stop on, a write blocked on a reader that does not read returns every 100 ms */
	struct itimerval tick = { { 0, 100000 }, { 0, 100000 } };

	if (sig == SIGALRM)
		return;
	if (!exiting)
		setitimer(ITIMER_REAL, &tick, NULL);
	exiting = exiting ? 2 : 1;
}

static __u64 now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Root, or CAP_BPF with CAP_PERFMON (or CAP_SYS_ADMIN), in the effective set. */
static bool privileged(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	int caps[] = { CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN };
	bool has[3];

	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	for (int i = 0; i < 3; i++)
		has[i] = data[caps[i] / 32].effective & (1U << (caps[i] % 32));
	return (has[0] && has[1]) || has[2];
}

/* True when path exists for the effective ids and capabilities (access(2) uses the real ones). */
static bool reachable(const char *path)
{
	return !faccessat(AT_FDCWD, path, F_OK, AT_EACCESS);
}

/*
 * The syscall tracepoints need tracefs; mount it where libbpf looks for it.
 * It is root's alone (mode 0700): another user needs CAP_DAC_READ_SEARCH.
 */
static int ensure_tracefs(void)
{
	if (reachable(TRACEFS "/events") || reachable("/sys/kernel/debug/tracing/events"))
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY)
		return -errno;
	return reachable(TRACEFS "/events") ? 0 : -errno;
}

static int cgroup_fd(const char *path)
{
	struct statfs st;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &st) || st.f_type != CGROUP2_SUPER_MAGIC) {
		close(fd);
		return -ENOTDIR;
	}
	return fd;
}

/*
 * With autogroup scheduling, a session shares the CPU with other sessions as
 * one: a nice value counts only inside it. A storm started from another
 * session (sudo gives a command its own) would starve the reader whatever its
 * nice, so the group is boosted too.
 */
static void boost_autogroup(void)
{
	char buf[16];
	int fd, n;

	fd = open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%d", BOOST_NICE);
	if (write(fd, buf, n) < 0 && opts.verbose)
		fprintf(stderr, "execsnoop: cannot boost the autogroup: %s\n", strerror(errno));
	close(fd);
}

/* Gives the reader the CPU it needs to keep up with a storm of execs. */
static void raise_priority(void)
{
	struct sched_param sp = { .sched_priority = 1 };

	switch (opts.priority) {
	case PRIO_BOOST:
		/* an unprivileged start keeps its priority: not worth failing for */
		if (getpriority(PRIO_PROCESS, 0) > BOOST_NICE)
			setpriority(PRIO_PROCESS, 0, BOOST_NICE);
		boost_autogroup();
		break;
	case PRIO_REALTIME:
		if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp))
			fprintf(stderr,
				"execsnoop: warning: cannot use real-time scheduling: %s (needs CAP_SYS_NICE)\n",
				strerror(errno));
		break;
	case PRIO_NONE:
		break;
	}
}

/* True when the record passes the filters applied in user space; fills w. */
static bool wanted(const struct record *r, struct words *w)
{
	if (opts.name && !strstr(r->h.comm, opts.name))
		return false;
	record_words(r, w);
	return !opts.line || words_contain(w, opts.line);
}

/* Formats a record; false when the output has no room now (the record stays). */
static bool print_record(const struct record *r)
{
	static struct words w;
	/* every byte escaped, a quote pair and a space per word, the columns */
	size_t need = 8 * (r->h.fname_len + r->h.args_len) + 256;
	char *p;

	if (!wanted(r, &w))
		return true;
	p = output_room(&out, need, &exiting);
	if (!p)
		return false;
	output_commit(&out, text_line(p, &fmt, r, &w));
	return true;
}

/*
 * Prints what the rings hold, in time order, holding back the newest lines
 * for the window unless draining. False when it stopped early because the
 * output had no room.
 */
static bool pump(bool drain)
{
	static __u64 heads[1024];
	unsigned int n = stream_count(stream);
	const struct record *r;
	__u64 now;
	int i;

	if (n > sizeof(heads) / sizeof(heads[0]))
		n = sizeof(heads) / sizeof(heads[0]);
	for (unsigned int k = 0; k < n; k++) {
		r = stream_peek(stream, k);
		heads[k] = r ? r->h.ts : REORDER_EMPTY;
	}
	now = now_ns(CLOCK_BOOTTIME);
	if (fmt.time == TIME_WALL)
		fmt.wall_offset_ns = now_ns(CLOCK_REALTIME) - now;
	while ((i = reorder_next(&ro, heads, n, now, drain)) >= 0) {
		r = stream_peek(stream, i);
		if (!print_record(r))
			return false;
		reorder_taken(&ro, r->h.ts);
		stream_take(stream, i);
		r = stream_peek(stream, i);
		heads[i] = r ? r->h.ts : REORDER_EMPTY;
	}
	return true;
}

/* Records still in the rings that would have been printed. */
static unsigned long long count_unprinted(void)
{
	static struct words w;
	unsigned long long n = 0;
	const struct record *r;

	for (unsigned int i = 0; i < stream_count(stream); i++) {
		while ((r = stream_peek(stream, i))) {
			n += wanted(r, &w);
			stream_take(stream, i);
		}
	}
	return n;
}

/* Losses, by cause; those of one kind are left out when there were none. */
static void report(const char *when, bool final)
{
	const struct counters *c = counters;
	char late[64] = "";

	if (final && ro.late)
		snprintf(late, sizeof(late), ", %llu printed late", ro.late);
	if (!c->lost_ring && !c->lost_busy && !c->args_lost_ring && !c->args_lost_stash && !*late)
		return;
	fprintf(stderr,
		"execsnoop: %s: %llu execs lost (ring full %llu, no buffer %llu), "
		"%llu printed without arguments (ring full %llu, not seen at entry %llu)%s\n",
		when, (unsigned long long)(c->lost_ring + c->lost_busy),
		(unsigned long long)c->lost_ring, (unsigned long long)c->lost_busy,
		(unsigned long long)(c->args_lost_ring + c->args_lost_stash),
		(unsigned long long)c->args_lost_ring, (unsigned long long)c->args_lost_stash,
		late);
	if (final && stream_malformed(stream))
		fprintf(stderr, "execsnoop: %llu malformed records skipped\n",
			stream_malformed(stream));
}

/* Polls until a stop or the end of stdout; returns 0 or a negative errno. */
static int poll_events(int interval_ms)
{
	struct epoll_event ev = { .events = EPOLLIN }, got[2];
	struct counters seen = {};
	__u64 last_report = 0, now;
	struct stat st;
	int efd, err = 0, n;

	efd = epoll_create1(EPOLL_CLOEXEC);
	if (efd < 0)
		return -errno;
	ev.data.fd = stream_fd(stream);
	if (epoll_ctl(efd, EPOLL_CTL_ADD, ev.data.fd, &ev)) {
		err = -errno;
		goto out;
	}
	/* a pipe or socket reports its reader's exit without a write */
	if (!fstat(STDOUT_FILENO, &st) && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
		ev.events = 0;
		ev.data.fd = STDOUT_FILENO;
		epoll_ctl(efd, EPOLL_CTL_ADD, STDOUT_FILENO, &ev);
	}

	while (!exiting) {
		n = epoll_wait(efd, got, 2, interval_ms);
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (got[i].data.fd == STDOUT_FILENO) {
				out.gone = true;
				exiting = 1;
			}
		}
		pump(false);
		err = output_flush(&out, &exiting);
		if (err == -EPIPE)
			exiting = 1; /* the reader went away: a normal end */
		else if (err && err != -EINTR)
			break;
		err = 0;
		now = now_ns(CLOCK_MONOTONIC);
		if (memcmp(&seen, counters, sizeof(seen)) && now - last_report >= 1000000000ULL) {
			memcpy(&seen, (const void *)counters, sizeof(seen));
			report("so far", false);
			last_report = now;
		}
	}
out:
	close(efd);
	return err;
}

/*
 * After a stop: prints what the rings still hold. When the output is not
 * read, gives up after STOP_GRACE_MS, or at once on a second stop; returns
 * the lines that could not be written.
 */
static unsigned long long drain(void)
{
	struct itimerval tick = { { 0, 100000 }, { 0, 100000 } }, off = {};
	__u64 deadline = now_ns(CLOCK_MONOTONIC) + STOP_GRACE_MS * 1000000ULL;
	unsigned long long left = 0;
	int err;

	/* blocked writes return every 100 ms to look at the clock (a stop without a signal) */
	setitimer(ITIMER_REAL, &tick, NULL);
	for (;;) {
		bool done = pump(true);

		err = output_flush(&out, &exiting);
		if (!err && done)
			break;
		if (err == -EINTR) {
			if (exiting > 1 || now_ns(CLOCK_MONOTONIC) >= deadline) {
				left = output_pending_lines(&out) + count_unprinted();
				break;
			}
		} else if (err) {
			/* the output is gone or broken: nothing more can be written */
			break;
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
	return left;
}
/* Exit side first, so that every stashed exec is completed and removed. */
static int attach(struct execsnoop_bpf *skel)
{
	struct bpf_program *order[] = {
		skel->progs.sched_process_exec, skel->progs.sys_exit_execve,
		skel->progs.sys_exit_execveat,	skel->progs.sys_enter_execve,
		skel->progs.sys_enter_execveat,
	};
	struct bpf_link **links[] = {
		&skel->links.sched_process_exec, &skel->links.sys_exit_execve,
		&skel->links.sys_exit_execveat,	 &skel->links.sys_enter_execve,
		&skel->links.sys_enter_execveat,
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!bpf_program__autoload(order[i]))
			continue;
		*links[i] = bpf_program__attach(order[i]);
		if (!*links[i])
			return -errno;
	}
	return 0;
}

/* Only failed execs need the syscall hooks and the stash. */
static void configure(struct execsnoop_bpf *skel, int ncpu, size_t ring)
{
	struct bpf_program *failed_only[] = {
		skel->progs.sys_enter_execve,
		skel->progs.sys_enter_execveat,
		skel->progs.sys_exit_execve,
		skel->progs.sys_exit_execveat,
	};
	__u32 slots = ncpu < SCRATCH_SLOTS_MAX ? ncpu : SCRATCH_SLOTS_MAX;

	skel->rodata->trace_failed = opts.fails;
	skel->rodata->targ_uid = opts.uid;
	skel->rodata->targ_ppid = opts.ppid;
	skel->rodata->nr_slots = slots;
	skel->rodata->ring_bytes = ring;
	/* a quarter of each ring is kept for path-only records when it fills up */
	skel->rodata->ring_reserve = ring / 4;
	bpf_map__set_max_entries(skel->maps.scratch, slots);
	bpf_map__set_max_entries(skel->maps.ring_use, ncpu);
	if (!opts.fails) {
		for (size_t i = 0; i < sizeof(failed_only) / sizeof(failed_only[0]); i++)
			bpf_program__set_autoload(failed_only[i], false);
		bpf_map__set_max_entries(skel->maps.execs, 1);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t mask;
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	struct execsnoop_bpf *skel = NULL;
	int err, cg = -1, btf_fd = -1, status = 1, ncpu;
	unsigned long long unwritten;
	const char *what;
	char btf_path[64];
	size_t ring;

	switch (parse_options(argc, argv, &opts, stdout, stderr)) {
	case PARSE_EXIT:
		return 0;
	case PARSE_ERROR:
		return 2;
	case PARSE_OK:
		break;
	}

	if (!privileged()) {
		fprintf(stderr,
			"execsnoop: permission denied: run as root or grant CAP_BPF and CAP_PERFMON\n");
		return 1;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		fprintf(stderr,
			"execsnoop: this kernel has no BTF (/sys/kernel/btf/vmlinux): it needs CONFIG_DEBUG_INFO_BTF=y\n");
		return 1;
	}
	if (opts.cgroup) {
		cg = cgroup_fd(opts.cgroup);
		if (cg < 0) {
			fprintf(stderr, "execsnoop: invalid cgroup '%s': %s\n", opts.cgroup,
				cg == -ENOTDIR ? "not a cgroup v2 directory" : strerror(-cg));
			return 2;
		}
	}
	/* only the syscall tracepoints of failed execs need tracefs */
	err = opts.fails ? ensure_tracefs() : 0;
	if (err) {
		fprintf(stderr,
			"execsnoop: tracefs is not mounted and mounting it at %s failed: %s\n",
			TRACEFS, strerror(-err));
		goto cleanup;
	}
	if (output_init(&out, STDOUT_FILENO, LINE_MAX_LEN + (64 << 10))) {
		fail("allocating the output buffer", ENOMEM);
		goto cleanup;
	}

	libbpf_set_print(libbpf_print);
	/* no SA_RESTART: a signal interrupts a write blocked on a reader that does not read */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* a parent may have left them blocked: the stop and its timer must get through */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &mask, NULL);
	raise_priority();

	/* a few structs instead of the whole kernel BTF; the full one if that fails */
	btf_fd = btf_trim_vmlinux(btf_path, sizeof(btf_path));
	if (btf_fd < 0 && opts.verbose)
		fprintf(stderr, "execsnoop: using the full kernel BTF: %s\n", strerror(-btf_fd));
	open_opts.btf_custom_path = btf_fd >= 0 ? btf_path : NULL;
	skel = execsnoop_bpf__open_opts(&open_opts);
	if (!skel) {
		fail("opening BPF object", errno);
		goto cleanup;
	}
	ncpu = libbpf_num_possible_cpus();
	if (ncpu < 0) {
		fail("counting CPUs", ncpu);
		goto cleanup;
	}
	skel->rodata->filter_cgroup = cg >= 0;
	ring = ring_size(&opts, ncpu);
	configure(skel, ncpu, ring);

	err = execsnoop_bpf__load(skel);
	if (btf_fd >= 0)
		close(btf_fd);
	btf_fd = -1;
	if (err) {
		fprintf(stderr, "execsnoop: loading BPF programs: %s%s\n", strerror(-err),
			opts.verbose ? "" : " (-v shows the verifier's log)");
		goto cleanup;
	}
	if (cg >= 0) {
		__u32 zero = 0;

		if (bpf_map_update_elem(bpf_map__fd(skel->maps.cgroup), &zero, &cg, BPF_ANY)) {
			fail("setting the cgroup filter", errno);
			goto cleanup;
		}
	}

	counters = &skel->bss->counters;
	stream =
		stream_open(bpf_map__fd(skel->maps.events), bpf_map__fd(skel->maps.ring_use), ring);
	if (!stream) {
		fail("opening the perf buffer", errno);
		goto cleanup;
	}
	err = attach(skel);
	if (err) {
		fail("attaching BPF programs", err);
		goto cleanup;
	}
	/* from here on, nothing needs a privilege */
	err = drop_privileges(opts.run_uid, opts.run_gid, &what);
	if (err) {
		fail(what, err);
		goto cleanup;
	}

	fmt.time = opts.time;
	fmt.print_uid = opts.print_uid;
	fmt.quote = opts.quote;
	fmt.max_args = opts.max_args;
	fmt.start_ns = now_ns(CLOCK_BOOTTIME);
	ro.window_ns = REORDER_WINDOW_MS * 1000000ULL;

	output_commit(&out, text_header(output_room(&out, 256, NULL), &fmt));
	output_flush(&out, &exiting);

	err = poll_events(isatty(STDOUT_FILENO) ? TTY_INTERVAL_MS : FILE_INTERVAL_MS);
	if (err)
		fail("reading events", err);

	/* trace no more, then print what the kernel already wrote */
	execsnoop_bpf__detach(skel);
	unwritten = drain();

	if (out.err)
		fail("writing output", out.err);
	else if (unwritten)
		fprintf(stderr,
			"execsnoop: %llu lines could not be written: the output was not read within %d ms of the stop\n",
			unwritten, STOP_GRACE_MS);
	else if (!err)
		status = 0;
	report("in total", true);

cleanup:
	stream_close(stream);
	execsnoop_bpf__destroy(skel);
	output_free(&out);
	if (cg >= 0)
		close(cg);
	if (btf_fd >= 0)
		close(btf_fd);
	return status;
}
