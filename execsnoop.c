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
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "btf_trim.h"
#include "execsnoop.h"
#include "execsnoop.skel.h"
#include "format.h"
#include "options.h"

#define RING_BUDGET	 (2 << 20) /* perf ring bytes, shared out over the CPUs */
#define RING_MIN	 (256 << 10)
#define RING_MAX	 (1 << 20)
#define TTY_INTERVAL_MS	 16  /* longest wait for a line on a terminal: a screen refresh */
#define FILE_INTERVAL_MS 200 /* longest wait before a batch goes to a file or pipe */
#define TRACEFS		 "/sys/kernel/tracing"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static volatile sig_atomic_t exiting;
static struct options opts;
static struct fmt fmt;
/* Lines are formatted in place here and written in batches: room for several of the longest. */
static char out[2 * LINE_MAX_LEN];
static size_t out_len;
static unsigned long long lost_seen, lost_unreported;
static volatile __u64 *lost_events; /* the BPF programs' count, mapped */
static bool out_closed;		    /* the reader of stdout went away */
static int out_errno;		    /* a write to stdout failed */

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
	(void)sig;
	exiting = 1;
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

/* The syscall tracepoints need tracefs; mount it where libbpf looks for it. */
static int ensure_tracefs(void)
{
	if (!access(TRACEFS "/events", F_OK) || !access("/sys/kernel/debug/tracing/events", F_OK))
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) && errno != EBUSY)
		return -errno;
	return access(TRACEFS "/events", F_OK) ? -errno : 0;
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

/* Writes what is buffered; on an error, stops the tool (quietly when the reader left). */
static void out_flush(void)
{
	size_t done = 0;
	ssize_t n;

	while (done < out_len && !out_closed && !out_errno) {
		n = write(STDOUT_FILENO, out + done, out_len - done);
		if (n > 0) {
			done += n;
		} else if (n < 0 && errno == EPIPE) {
			out_closed = true;
			exiting = 1;
		} else if (n == 0 || errno != EINTR) {
			out_errno = n ? errno : EIO;
			exiting = 1;
		}
	}
	out_len = 0;
}

/* Room for one more line of at most LINE_MAX_LEN bytes. */
static char *out_room(void)
{
	if (sizeof(out) - out_len < LINE_MAX_LEN)
		out_flush();
	return out + out_len;
}

static void handle_sample(const void *data, size_t size)
{
	const struct event *e = event_check(data, size);
	static struct words w;

	if (!e || out_closed || out_errno)
		return;
	if (opts.name && !strstr(e->comm, opts.name))
		return;
	event_words(e, &w);
	if (opts.line && !words_contain(&w, opts.line))
		return;
	out_len += format_event(out_room(), &fmt, e, &w);
}

struct sample {
	struct perf_event_header header;
	__u32 size;
	char data[];
};

static enum bpf_perf_event_ret handle_record(void *ctx, int cpu, struct perf_event_header *hdr)
{
	(void)ctx;
	(void)cpu;
	/* PERF_RECORD_LOST comes late or not at all: the programs count losses themselves */
	if (hdr->type == PERF_RECORD_SAMPLE) {
		struct sample *s = (struct sample *)hdr;

		handle_sample(s->data, s->size);
	}
	return LIBBPF_PERF_EVENT_CONT;
}

/* Exit side first, so that every stashed exec is completed and removed. */
static int attach(struct execsnoop_bpf *skel)
{
	struct {
		struct bpf_program *prog;
		struct bpf_link **link;
	} order[] = {
		{ skel->progs.sched_process_exec, &skel->links.sched_process_exec },
		{ skel->progs.sys_exit_execve, &skel->links.sys_exit_execve },
		{ skel->progs.sys_exit_execveat, &skel->links.sys_exit_execveat },
		{ skel->progs.sys_enter_execve, &skel->links.sys_enter_execve },
		{ skel->progs.sys_enter_execveat, &skel->links.sys_enter_execveat },
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		*order[i].link = bpf_program__attach(order[i].prog);
		if (!*order[i].link)
			return -errno;
	}
	return 0;
}

static void detach_entry(struct execsnoop_bpf *skel)
{
	bpf_link__destroy(skel->links.sys_enter_execve);
	bpf_link__destroy(skel->links.sys_enter_execveat);
	skel->links.sys_enter_execve = NULL;
	skel->links.sys_enter_execveat = NULL;
}

static void report_lost(void)
{
	__u64 lost = *lost_events;

	lost_unreported += lost - lost_seen;
	lost_seen = lost;
	if (!lost_unreported)
		return;
	fprintf(stderr, "execsnoop: lost %llu events: the reader fell behind\n", lost_unreported);
	lost_unreported = 0;
}

/* Pages per CPU ring: a power of two within [RING_MIN, RING_MAX]. */
static size_t ring_pages(void)
{
	long page = sysconf(_SC_PAGESIZE);
	int ncpu = libbpf_num_possible_cpus();
	size_t bytes = RING_BUDGET / (ncpu > 0 ? ncpu : 1), pages = 1;

	if (bytes < RING_MIN)
		bytes = RING_MIN;
	if (bytes > RING_MAX)
		bytes = RING_MAX;
	while (pages * 2 * page <= bytes)
		pages *= 2;
	return pages;
}

static struct perf_buffer *open_perf_buffer(struct execsnoop_bpf *skel)
{
	size_t pages = ring_pages();
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		/* wake the reader when an eighth of the ring is used, not on every event */
		.watermark = 1,
		.wakeup_watermark = pages * sysconf(_SC_PAGESIZE) / 8,
	};

	return perf_buffer__new_raw(bpf_map__fd(skel->maps.events), pages, &attr, handle_record,
				    NULL, NULL);
}

/* Polls until a signal or the end of stdout; returns 0 or a negative errno. */
static int poll_events(struct perf_buffer *pb, int interval_ms)
{
	struct epoll_event ev = { .events = EPOLLIN }, got[2];
	__u64 last_report = 0, now;
	struct stat st;
	int efd, err = 0, n;

	efd = epoll_create1(EPOLL_CLOEXEC);
	if (efd < 0)
		return -errno;
	ev.data.fd = perf_buffer__epoll_fd(pb);
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
				out_closed = true;
				exiting = 1;
			}
		}
		err = perf_buffer__consume(pb);
		if (err < 0 && err != -EINTR)
			break;
		err = 0;
		out_flush();
		now = now_ns(CLOCK_MONOTONIC);
		if (*lost_events != lost_seen && now - last_report >= 1000000000ULL) {
			report_lost();
			last_report = now;
		}
	}
out:
	close(efd);
	return err;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct perf_buffer *pb = NULL;
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	struct execsnoop_bpf *skel = NULL;
	int err, cg = -1, btf_fd = -1, status = 1;
	char btf_path[64];

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
	err = ensure_tracefs();
	if (err) {
		fprintf(stderr,
			"execsnoop: tracefs is not mounted and mounting it at %s failed: %s\n",
			TRACEFS, strerror(-err));
		goto cleanup;
	}

	libbpf_set_print(libbpf_print);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

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
	skel->rodata->trace_failed = opts.fails;
	skel->rodata->targ_uid = opts.uid;
	skel->rodata->targ_ppid = opts.ppid;
	skel->rodata->filter_cgroup = cg >= 0;
	err = libbpf_num_possible_cpus();
	if (err < 0 || bpf_map__set_max_entries(skel->maps.scratch, err)) {
		fail("sizing the record buffers", err < 0 ? err : errno);
		goto cleanup;
	}

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

	lost_events = &skel->bss->lost_events;
	pb = open_perf_buffer(skel);
	if (!pb) {
		fail("opening the perf buffer", errno);
		goto cleanup;
	}
	err = attach(skel);
	if (err) {
		fail("attaching BPF programs", err);
		goto cleanup;
	}

	fmt.time = opts.time;
	fmt.print_uid = opts.print_uid;
	fmt.quote = opts.quote;
	fmt.max_args = opts.max_args;
	fmt.start_ns = now_ns(CLOCK_MONOTONIC);
	fmt.wall_offset_ns = now_ns(CLOCK_REALTIME) - fmt.start_ns;

	out_len += format_header(out_room(), &fmt);
	out_flush();

	err = poll_events(pb, isatty(STDOUT_FILENO) ? TTY_INTERVAL_MS : FILE_INTERVAL_MS);
	if (err)
		fail("reading events", err);

	/* stop tracing new execs, then drain what the kernel already wrote */
	detach_entry(skel);
	if (!out_closed && !out_errno)
		perf_buffer__consume(pb);
	out_flush();

	if (out_errno)
		fail("writing output", out_errno);
	else if (!err)
		status = 0;
	report_lost();
	if (lost_seen)
		fprintf(stderr, "execsnoop: %llu events lost in total\n", lost_seen);
	if (skel->bss->stash_full)
		fprintf(stderr, "execsnoop: %llu execs not traced: too many in flight at once\n",
			(unsigned long long)skel->bss->stash_full);

cleanup:
	perf_buffer__free(pb);
	execsnoop_bpf__destroy(skel);
	if (cg >= 0)
		close(cg);
	if (btf_fd >= 0)
		close(btf_fd);
	return status;
}
