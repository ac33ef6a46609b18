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
#include <linux/perf_event.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "execsnoop.h"
#include "execsnoop.skel.h"
#include "options.h"
#include "cgroups.h"
#include "json.h"
#include "launch.h"
#include "output.h"
#include "preflight.h"
#include "proc.h"
#include "procset.h"
#include "privs.h"
#include "record.h"
#include "reorder.h"
#include "stream.h"
#include "summary.h"
#include "text.h"
#include "tree.h"
#include "users.h"

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
#define NSEC		  1000000000ULL

/* 1 once a stop was asked for (SIGINT, SIGTERM, SIGHUP); 2 when asked again: stop at once */
static volatile sig_atomic_t exiting;
static struct options opts;
static struct fmt fmt;
static struct json_ctx jctx;
static struct procset printed;	       /* processes whose exec was printed, with --exits */
static struct tree tree;	       /* the depth of each process printed, with --tree */
static struct summary summary;	       /* spawners and commands, with --summary */
static unsigned long long lost_before; /* execs lost before the current interval */
static struct output out;
static struct reorder ro;
static struct stream *stream;
static const struct counters *counters; /* the programs' loss counts, mapped */
static struct launch cmd;		/* the command run under trace, with -- */
static volatile sig_atomic_t cmd_ended; /* it has exited: drain, and end with its status */

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

/*
 * With a command, execsnoop stands in for it: a signal from the terminal has
 * reached the command too (same process group), one sent to execsnoop alone
 * is passed on. Either way execsnoop goes on until the command ends.
 */
static void on_signal_cmd(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (cmd_ended) {
		/* draining: as without a command, a second stop ends it at once */
		on_signal(sig);
		return;
	}
	if (sig == SIGALRM || si->si_code == SI_KERNEL || si->si_pid == cmd.pid)
		return;
	launch_signal(&cmd, sig);
}

static __u64 now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
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

/*
 * Gives the reader the CPU it needs to keep up with a storm of execs. It
 * sleeps until a ring has work for it, so real-time scheduling costs the
 * machine nothing when quiet, and under a storm it takes what the records
 * need. A nice value alone does not win: with autogroup scheduling, a storm
 * in another session is weighed as a group against the reader's.
 */
static void raise_priority(void)
{
	struct sched_param sp = { .sched_priority = 1 };

	switch (opts.priority) {
	case PRIO_BOOST:
		if (!sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp))
			break;
		/* without CAP_SYS_NICE: as high as allowed, not worth failing for */
		if (getpriority(PRIO_PROCESS, 0) > BOOST_NICE)
			setpriority(PRIO_PROCESS, 0, BOOST_NICE);
		/* a command shares the session's autogroup: it would be boosted with it */
		if (!opts.command)
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

/* The end of a process, when its exec was printed; false when the output has no room. */
static bool print_exit(const struct record *r)
{
	char *p;

	if (!procset_take(&printed, r->h.pid, r->h.start_ns))
		return true;
	p = output_room(&out, 1024, &exiting);
	if (!p) {
		/* it is printed when there is room */
		procset_add(&printed, r->h.pid, r->h.start_ns);
		return false;
	}
	output_commit(&out, opts.json ? json_exit(p, &jctx, r) : text_exit(p, &fmt, r));
	return true;
}

/* Formats a record; false when the output has no room now (the record stays). */
static bool print_record(const struct record *r)
{
	static struct words w;
	/* every byte escaped, a quote pair and a space per word, the columns, the indentation */
	size_t need = 8 * (r->h.fname_len + r->h.args_len + r->h.cwd_len) + 384, n;
	size_t jneed = 6 * (r->h.fname_len + r->h.args_len + r->h.cwd_len + r->h.exe_len) + 1024;
	char *p;

	/* a command goes on after its output is gone: what it runs is let go */
	if (out.gone || out.err)
		return true;
	if (r->h.flags & EV_EXIT)
		return opts.quiet || print_exit(r);
	if (!wanted(r, &w))
		return true;
	if (opts.quiet) {
		summary_add(&summary, r, &w);
		return true;
	}
	if (opts.exits && r->h.ret == 0 && procset_add(&printed, r->h.pid, r->h.start_ns))
		fail("remembering a process for --exits", ENOMEM);
	if (opts.json)
		need = jneed;
	p = output_room(&out, need, &exiting);
	if (!p)
		return false;
	if (opts.json)
		n = json_exec(p, &jctx, r, &w);
	else if (opts.tree)
		n = text_tree_line(p, &fmt, r, &w,
				   tree_depth(&tree, r->h.pid, r->h.start_ns, r->h.anc_pid,
					      r->h.anc_start_ns));
	else
		n = text_line(p, &fmt, r, &w);
	output_commit(&out, n);
	/* counted once it is out: a record without room comes back */
	if (opts.summary)
		summary_add(&summary, r, &w);
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
	/* wall time follows clock steps and suspend, batch by batch */
	fmt.wall_offset_ns = now_ns(CLOCK_REALTIME) - now;
	jctx.wall_offset_ns = fmt.wall_offset_ns;
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

/*
 * The summary of the interval that ends now (which starts the next), or of
 * the whole run; false when the output has no room now.
 */
static bool print_summary(bool final)
{
	struct summary_view v = { .final = final };
	unsigned long long lost = counters->lost_ring + counters->lost_busy;
	size_t n;
	char *p;

	p = output_room(&out, SUMMARY_MAX_LEN + 1, &exiting);
	if (!p)
		return false;
	v.now_ns = now_ns(CLOCK_BOOTTIME);
	v.wall_offset_ns = now_ns(CLOCK_REALTIME) - v.now_ns;
	v.lost = lost - (final ? 0 : lost_before);
	jctx.wall_offset_ns = v.wall_offset_ns;
	if (opts.json) {
		n = json_summary(p, &jctx, &summary, &v);
	} else {
		/* a blank line ends the table */
		n = text_summary(p, &summary, &v);
		p[n++] = '\n';
	}
	output_commit(&out, n);
	if (!final) {
		lost_before = lost;
		summary_next(&summary, v.now_ns);
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
	struct epoll_event ev = { .events = EPOLLIN }, got[3];
	struct counters seen = {};
	__u64 last_report = 0, now, next_summary = now_ns(CLOCK_MONOTONIC);
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
	/* a pidfd is readable once its process has exited */
	if (opts.command) {
		ev.events = EPOLLIN;
		ev.data.fd = cmd.pidfd;
		if (epoll_ctl(efd, EPOLL_CTL_ADD, cmd.pidfd, &ev)) {
			err = -errno;
			goto out;
		}
	}

	while (opts.command ? !cmd_ended : !exiting) {
		n = epoll_wait(efd, got, 3, interval_ms);
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (got[i].data.fd == STDOUT_FILENO) {
				out.gone = true;
				exiting = 1;
			} else if (opts.command && got[i].data.fd == cmd.pidfd) {
				cmd_ended = true;
			}
		}
		pump(false);
		if (opts.interval &&
		    now_ns(CLOCK_MONOTONIC) >= next_summary + opts.interval * NSEC) {
			if (print_summary(false))
				next_summary += opts.interval * NSEC;
		}
		err = output_flush(&out, &exiting);
		if (err == -EPIPE)
			exiting = 1; /* the reader went away: a normal end, or the command's */
		else if (err && err != -EINTR && !opts.command)
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
	bool summed = false;
	int err;

	/* blocked writes return every 100 ms to look at the clock (a stop without a signal) */
	setitimer(ITIMER_REAL, &tick, NULL);
	for (;;) {
		bool done = pump(true);

		/* the summary comes after every line */
		if (done && opts.summary && !summed)
			done = summed = print_summary(true);
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
/*
 * Fork first, so that the traced subtree follows every fork from the moment
 * it is seeded; then the exit side, so that every stashed exec is completed
 * and removed, and every end seen.
 */
static int attach(struct execsnoop_bpf *skel)
{
	struct bpf_program *order[] = {
		skel->progs.sched_process_fork, skel->progs.sched_process_exit,
		skel->progs.sched_prepare_exec, skel->progs.sched_process_exec,
		skel->progs.sys_exit_execve,	skel->progs.sys_exit_execveat,
		skel->progs.sys_enter_execve,	skel->progs.sys_enter_execveat,
	};
	struct bpf_link **links[] = {
		&skel->links.sched_process_fork, &skel->links.sched_process_exit,
		&skel->links.sched_prepare_exec, &skel->links.sched_process_exec,
		&skel->links.sys_exit_execve,	 &skel->links.sys_exit_execveat,
		&skel->links.sys_enter_execve,	 &skel->links.sys_enter_execveat,
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!bpf_program__autoload(order[i]))
			continue;
		*links[i] = bpf_program__attach(order[i]);
		/* sched_prepare_exec is new in Linux 6.10; without it scripts are told by their path */
		if (!*links[i] && order[i] != skel->progs.sched_prepare_exec)
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
	skel->rodata->want_detail = opts.json;
	skel->rodata->trace_exits = opts.exits;
	skel->rodata->want_cwd = opts.json || opts.cwd;
	skel->rodata->want_ids = opts.json || opts.exits || opts.tree || opts.summary;
	skel->rodata->want_cgroup = opts.json || opts.container;
	skel->rodata->filter_subtree = opts.pid || opts.command;
	skel->rodata->want_ancestor = opts.tree || opts.summary;
	bpf_program__set_autoload(skel->progs.sched_process_exit, opts.exits);
	/* only a traced subtree needs to follow forks */
	bpf_program__set_autoload(skel->progs.sched_process_fork, opts.pid || opts.command);
	skel->rodata->targ_uid = opts.uid;
	skel->rodata->targ_ppid = opts.ppid;
	skel->rodata->nr_slots = slots;
	skel->rodata->ring_bytes = ring;
	/* a quarter of each ring is kept for path-only records when it fills up */
	skel->rodata->ring_reserve = ring / 4;
	bpf_map__set_max_entries(skel->maps.scratch, slots);
	bpf_map__set_max_entries(skel->maps.ring_use, ncpu);
	if (opts.fails && preflight_execveat()) {
		bpf_program__set_autoload(skel->progs.sys_enter_execveat, false);
		bpf_program__set_autoload(skel->progs.sys_exit_execveat, false);
	}
	if (!opts.fails) {
		for (size_t i = 0; i < sizeof(failed_only) / sizeof(failed_only[0]); i++)
			bpf_program__set_autoload(failed_only[i], false);
		bpf_map__set_max_entries(skel->maps.execs, 1);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction sa_cmd = { .sa_sigaction = on_signal_cmd, .sa_flags = SA_SIGINFO };
	const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	sigset_t mask;
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	struct execsnoop_bpf *skel = NULL;
	int err, cg = -1, status = 1, ncpu;
	unsigned long long unwritten;
	const char *what;
	__u32 tgid = 0;
	size_t ring;

	/* first: no file of the tool's may take descriptor 0, 1 or 2 */
	if (preflight_stdio())
		return 1;
	switch (parse_options(argc, argv, &opts, stdout, stderr)) {
	case PARSE_EXIT:
		return 0;
	case PARSE_ERROR:
		return 2;
	case PARSE_OK:
		break;
	}

	libbpf_set_print(libbpf_print);
	if (preflight_privileges(opts.fails) || preflight_lockdown() || preflight_btf())
		goto cleanup;
	if (opts.cgroup) {
		cg = preflight_cgroup(opts.cgroup);
		if (cg < 0) {
			status = 2;
			goto cleanup;
		}
	}
	/* only the syscall tracepoints of failed execs need tracefs */
	if ((opts.fails && preflight_tracefs()) || preflight_ring(&opts, opts.verbose))
		goto cleanup;
	if (opts.pid && proc_tgid(opts.pid, &tgid)) {
		fprintf(stderr, "execsnoop: no process with pid %u\n", opts.pid);
		status = 2;
		goto cleanup;
	}
	if (output_init(&out, STDOUT_FILENO,
			(JSON_MAX_LEN > SUMMARY_MAX_LEN ? JSON_MAX_LEN : SUMMARY_MAX_LEN) +
				(64 << 10))) {
		fail("allocating the output buffer", ENOMEM);
		goto cleanup;
	}
	/* before anything below changes what it would inherit: signals, priority */
	if (opts.command && launch_prepare(&cmd, opts.command, opts.keep_root))
		goto cleanup;

	/* no SA_RESTART: a signal interrupts a write blocked on a reader that does not read */
	sigemptyset(&mask);
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		/* without a command, SIGQUIT keeps its default */
		if (opts.command || stops[i] != SIGQUIT)
			sigaction(stops[i], opts.command ? &sa_cmd : &sa, NULL);
		sigaddset(&mask, stops[i]);
	}
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* a parent may have left them blocked: the stop and its timer must get through */
	sigdelset(&mask, SIGQUIT);
	sigaddset(&mask, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &mask, NULL);
	raise_priority();

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
	if (err && preflight_load_failed())
		goto cleanup;
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
	/* the fork hook is attached: from a process marked now, every child is marked */
	if (opts.command) {
		err = proc_mark(bpf_map__fd(skel->maps.subtree), cmd.pidfd);
		if (err) {
			fail("tracing the command", err);
			goto cleanup;
		}
	} else if (opts.pid) {
		err = proc_seed(bpf_map__fd(skel->maps.subtree), tgid);
		if (err == -ESRCH) {
			fprintf(stderr, "execsnoop: no process with pid %u\n", opts.pid);
			status = 2;
			goto cleanup;
		} else if (err) {
			fail("marking the processes to trace", err);
			goto cleanup;
		}
	}
	/*
	 * From here on, nothing needs a privilege; but a command run under
	 * trace is signalled, as another user, all its life: it keeps them.
	 */
	err = opts.command ? 0 : drop_privileges(opts.run_uid, opts.run_gid, &what);
	if (err) {
		fail(what, err);
		goto cleanup;
	}

	fmt.time = opts.time;
	fmt.print_uid = opts.print_uid;
	fmt.quote = opts.quote;
	fmt.container = opts.container;
	fmt.cwd = opts.cwd;
	fmt.cgroup_path = cgroup_path;
	jctx.cgroup_path = cgroup_path;
	fmt.max_args = opts.max_args;
	fmt.start_ns = now_ns(CLOCK_BOOTTIME);
	ro.window_ns = REORDER_WINDOW_MS * 1000000ULL;

	jctx.max_args = opts.max_args;
	jctx.user_name = users_name;
	if (opts.summary && summary_init(&summary, fmt.start_ns, proc_describe)) {
		fail("allocating the summary", ENOMEM);
		goto cleanup;
	}
	if (opts.json)
		users_load();
	else if (!opts.quiet)
		output_commit(&out, text_header(output_room(&out, 256, NULL), &fmt));
	output_flush(&out, &exiting);
	/* not one exec of the command is missed: it is in the traced set before its exec */
	if (opts.command && launch_start(&cmd))
		cmd_ended = 1;

	err = poll_events(isatty(STDOUT_FILENO) ? TTY_INTERVAL_MS : FILE_INTERVAL_MS);
	if (err)
		fail("reading events", err);

	/* trace no more, then print what the kernel already wrote */
	execsnoop_bpf__detach(skel);
	if (opts.command && !exiting)
		exiting = 1; /* the command's end is the stop */
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
	if (opts.command) {
		/* the command's status, unless it succeeded and execsnoop did not */
		int cs = launch_wait(&cmd);

		status = status && !cs ? status : cs;
	}

cleanup:
	/* a command never started leaves as its gate closes */
	if (cmd.pid)
		launch_close(&cmd);
	stream_close(stream);
	execsnoop_bpf__destroy(skel);
	output_free(&out);
	tree_free(&tree);
	summary_free(&summary);
	if (cg >= 0)
		close(cg);
	return status;
}
