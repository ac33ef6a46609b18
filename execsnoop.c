// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * execsnoop: trace every exec on the system as it happens.
 *
 * main reads top-down: options, preflight, open, configure, load, attach,
 * loop, drain, report. Records go from the rings (stream.c) through the
 * time-order window (reorder.c) to the output stage (print.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "execsnoop.h"
#include "execsnoop.skel.h"
#include "cgroups.h"
#include "errors.h"
#include "journald.h"
#include "launch.h"
#include "options.h"
#include "preflight.h"
#include "print.h"
#include "proc.h"
#include "privs.h"
#include "record.h"
#include "reorder.h"
#include "hold.h"
#include "stream.h"
#include "users.h"

#define FILE_INTERVAL_MS  100 /* longest wait before a batch goes to a file or pipe */
/*
 * How long a record is held back while another CPU's ring is empty and a
 * program is writing a record there (stream_settled), for an older record
 * still on its way; a record's time is taken just before it is written.
 */
#define REORDER_WINDOW_MS 5
#define HOLD_RETRY_MS	  1    /* how soon a held record is looked at again */
#define DIGESTS_CACHED	  512  /* --hash: files whose digest is kept, each open while computed */
#define STOP_GRACE_MS	  1000 /* how long output is retried at exit when it is not read */
#define BOOST_NICE	  -20
#define NSEC		  1000000000ULL
#define HEADS_MAX	  1024	    /* rings whose next record is looked at: CPUs */
#define TASKS_MAX	  (1 << 15) /* tasks kept in each hash map that stands for task storage */

/* 1 once a stop was asked for (SIGINT, SIGTERM, SIGHUP); 2 when asked again: stop at once */
static volatile sig_atomic_t exiting;

/* What the loop reads from and writes to, wired together by main. */
struct trace {
	const struct options *o;
	struct stream *stream;
	struct reorder ro;
	struct print pr;
	const struct counters *counters; /* the programs' loss counts, mapped */
	struct launch cmd;		 /* the command run under trace, with -- */
	struct hold *hold;		 /* --hash: records waiting for their file's digest */
	char exe[CWD_MAX + 2];		 /* --hash: a record's resolved path, for the digest */
	__u64 heads[HEADS_MAX];
};

static int print_libbpf(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
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
	/* once it has ended (draining), a stop is execsnoop's own: a second one ends it at once */
	if (sig != SIGALRM && !launch_relay(sig, si))
		on_signal(sig);
}

/*
 * The command's end, which may come while a write is blocked on a reader
 * that does not read. After a stop was asked for, it is the stop: the output
 * is tried for STOP_GRACE_MS at most. Otherwise a slow reader gets it all.
 */
static void on_child(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (launch_exited(si) && !exiting)
		on_signal(sig);
}

/* The stops: without SA_RESTART, a signal interrupts a write blocked on a reader that does not read. */
static void catch_signals(bool command)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction sa_cmd = { .sa_sigaction = on_signal_cmd, .sa_flags = SA_SIGINFO };
	struct sigaction sa_child = { .sa_sigaction = on_child,
				      .sa_flags = SA_SIGINFO | SA_NOCLDSTOP };
	const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	sigset_t mask;

	sigemptyset(&mask);
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		struct sigaction old;

		/*
		 * A hangup or quit ignored at start (nohup) stays ignored. SIGINT
		 * and SIGTERM always stop: a shell without job control ignores
		 * SIGINT in its background jobs, which kill -INT still stops.
		 */
		sigaction(stops[i], NULL, &old);
		if ((stops[i] == SIGHUP || stops[i] == SIGQUIT) && old.sa_handler == SIG_IGN)
			continue;
		/* without a command, SIGQUIT keeps its default */
		if (command || stops[i] != SIGQUIT)
			sigaction(stops[i], command ? &sa_cmd : &sa, NULL);
		sigaddset(&mask, stops[i]);
	}
	sigaction(SIGALRM, &sa, NULL);
	if (command)
		sigaction(SIGCHLD, &sa_child, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* a parent may have left them blocked: the stop and its timer must get through */
	sigdelset(&mask, SIGQUIT);
	sigaddset(&mask, SIGALRM);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_UNBLOCK, &mask, NULL);
}

static __u64 now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* CLOCK_REALTIME - CLOCK_BOOTTIME, read at boot_ns: wall time follows clock steps and suspend. */
static __s64 wall_offset(__u64 boot_ns)
{
	return now_ns(CLOCK_REALTIME) - boot_ns;
}

/*
 * With autogroup scheduling, a session shares the CPU with other sessions as
 * one: a nice value counts only inside it. A storm started from another
 * session (sudo gives a command its own) would starve the reader whatever its
 * nice, so the group is boosted too.
 */
static void boost_autogroup(bool verbose)
{
	char buf[16];
	int fd, n;

	fd = open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(buf, sizeof(buf), "%d", BOOST_NICE);
	if (write(fd, buf, n) < 0 && verbose)
		errmsg_errno("cannot boost the autogroup", errno);
	close(fd);
}

/*
 * Gives the reader the CPU it needs to keep up with a storm of execs. It
 * sleeps until a ring has work for it, so real-time scheduling costs the
 * machine nothing when quiet, and under a storm it takes what the records
 * need. A nice value alone does not win: with autogroup scheduling, a storm
 * in another session is weighed as a group against the reader's.
 */
static void raise_priority(const struct options *o)
{
	struct sched_param sp = { .sched_priority = 1 };

	switch (o->priority) {
	case PRIO_BOOST:
		if (!sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp))
			break;
		/* without CAP_SYS_NICE: as high as allowed, not worth failing for */
		if (getpriority(PRIO_PROCESS, 0) > BOOST_NICE)
			setpriority(PRIO_PROCESS, 0, BOOST_NICE);
		/* a command shares the session's autogroup: it would be boosted with it */
		if (!o->command)
			boost_autogroup(o->verbose);
		break;
	case PRIO_REALTIME:
		if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp))
			errmsg("warning: cannot use real-time scheduling: %s (needs CAP_SYS_NICE)",
			       strerror(errno));
		break;
	case PRIO_NONE:
		break;
	}
}

/* The next record's time in ring i, or REORDER_EMPTY. */
static __u64 head(struct trace *t, unsigned int i)
{
	const struct record *r = stream_peek(t->stream, i);

	return r ? r->h.ts : REORDER_EMPTY;
}

/* The resolved path of the file r executed, for a digest when its process is gone; or NULL. */
static const char *exe_path(struct trace *t, const struct record *r)
{
	if (!(r->h.flags & EV_FILE) || !record_exe(r, t->exe, sizeof(t->exe)))
		return NULL;
	return t->exe;
}

/* --hash: prints the records kept that may go out now; false when the output has no room. */
static bool release(struct trace *t)
{
	const struct record *r;

	if (!t->hold)
		return true;
	hold_clear(t->hold);
	while ((r = hold_next(t->hold, now_ns(CLOCK_MONOTONIC)))) {
		if (!print_record(&t->pr, r, &exiting))
			return false;
		hold_pop(t->hold);
	}
	return true;
}

/*
 * Prints what the rings hold, in time order, holding back the newest lines
 * for the window unless draining; adds the records taken to *took, and sets
 * *held when a record is left in a ring. False when it stopped early because
 * the output had no room.
 */
static bool pump(struct trace *t, bool drain, unsigned long *took, bool *held)
{
	unsigned int n = stream_count(t->stream);
	struct record with_hash;
	const struct record *r;
	__u64 now;
	int i;

	if (n > HEADS_MAX)
		n = HEADS_MAX;
	/* before the rings are read: what it says of them holds for what is read after */
	t->ro.settled = stream_settled(t->stream);
	for (unsigned int k = 0; k < n; k++)
		t->heads[k] = head(t, k);
	now = now_ns(CLOCK_BOOTTIME);
	print_clock(&t->pr, wall_offset(now));
	if (!release(t))
		return false;
	while ((i = reorder_next(&t->ro, t->heads, n, now, drain)) >= 0) {
		r = stream_peek(t->stream, i);
		if (t->hold) {
			switch (hold_take(t->hold, r, exe_path(t, r), &with_hash,
					  now_ns(CLOCK_MONOTONIC))) {
			case HOLD_PRINT:
				if (!print_record(&t->pr, &with_hash, &exiting))
					return false;
				break;
			case HOLD_KEPT:
				break;
			case HOLD_FULL:
				/* it stays in its ring until the oldest kept record goes out */
				*held = true;
				return true;
			}
		} else if (!print_record(&t->pr, r, &exiting)) {
			return false;
		}
		reorder_taken(&t->ro, r->h.ts);
		stream_take(t->stream, i);
		(*took)++;
		t->heads[i] = head(t, i);
	}
	*held = false;
	for (unsigned int k = 0; k < n; k++)
		*held |= t->heads[k] != REORDER_EMPTY;
	return release(t);
}

/*
 * How long the loop sleeps, in ms (-1: until woken). A terminal is woken by
 * the doorbell as soon as an exec comes; a file or pipe takes what came in
 * FILE_INTERVAL_MS at once, and is rung again only once a wait found
 * nothing. The rings still wake it when they fill. Nothing happens at idle.
 */
static int next_wait(struct trace *t, bool tty, unsigned long took, bool held, int until_summary)
{
	int wait = -1;

	if (output_pending_lines(&t->pr.out))
		wait = FILE_INTERVAL_MS; /* a reader that does not read: try again */
	else if (!tty && took)
		wait = FILE_INTERVAL_MS;
	else if (!stream_arm(t->stream))
		wait = 0; /* a record came meanwhile */
	else if (held)
		wait = HOLD_RETRY_MS;
	if (until_summary >= 0 && (wait < 0 || until_summary < wait))
		wait = until_summary;
	return wait;
}

/* The summary of the interval that ends now, or of the whole run; false when there is no room. */
static bool summarize(struct trace *t, bool final)
{
	__u64 now = now_ns(CLOCK_BOOTTIME);

	return print_summary(&t->pr, final, now, wall_offset(now),
			     t->counters->lost_ring + t->counters->lost_busy, &exiting);
}

/* What was lost so far, by cause; unwritten: lines not written at the stop. */
static void losses(struct trace *t, struct losses *l, unsigned long long unwritten)
{
	const struct counters *c = t->counters;

	*l = (struct losses){
		.lost_ring = c->lost_ring,
		.lost_busy = c->lost_busy,
		.args_lost_ring = c->args_lost_ring,
		.args_lost_stash = c->args_lost_stash,
		.refused = t->pr.out.dropped,
		.unwritten = unwritten,
	};
}

/* Replaces the metrics file (--metrics); 0 or a negative errno. */
static int write_metrics(struct trace *t, unsigned long long unwritten)
{
	struct losses l;
	const char *text;
	size_t len;

	if (!t->o->metrics)
		return 0;
	losses(t, &l, unwritten);
	text = print_metrics(&t->pr, &l, &len);
	return output_replace(t->o->metrics, text, len);
}

/* Records still in the rings that would have been printed. */
static unsigned long long count_unprinted(struct trace *t)
{
	unsigned long long n = 0;
	const struct record *r;

	for (unsigned int i = 0; i < stream_count(t->stream); i++) {
		while ((r = stream_peek(t->stream, i))) {
			n += print_wanted(&t->pr, r);
			stream_take(t->stream, i);
		}
	}
	return n;
}

/*
 * Losses, by cause, on stderr, and as an entry of the format's own (the
 * journal's); those of one kind are left out when there were none.
 */
static void report(struct trace *t, const char *when, bool final)
{
	const struct counters *c = t->counters;
	char late[64] = "", refused[64] = "";
	struct losses l;

	if (final && t->ro.late)
		snprintf(late, sizeof(late), ", %llu printed late", t->ro.late);
	if (t->pr.out.dropped)
		snprintf(refused, sizeof(refused), ", %llu entries refused by the journal",
			 t->pr.out.dropped);
	if (!c->lost_ring && !c->lost_busy && !c->args_lost_ring && !c->args_lost_stash && !*late &&
	    !*refused)
		return;
	errmsg("%s: %llu execs lost (ring full %llu, no buffer %llu), "
	       "%llu printed without arguments (ring full %llu, not seen at entry %llu)%s%s",
	       when, (unsigned long long)(c->lost_ring + c->lost_busy),
	       (unsigned long long)c->lost_ring, (unsigned long long)c->lost_busy,
	       (unsigned long long)(c->args_lost_ring + c->args_lost_stash),
	       (unsigned long long)c->args_lost_ring, (unsigned long long)c->args_lost_stash,
	       refused, late);
	losses(t, &l, 0);
	print_losses(&t->pr, &l, final, &exiting);
	if (final && stream_malformed(t->stream))
		errmsg("%llu malformed records skipped", stream_malformed(t->stream));
}

/* Polls until a stop or the end of stdout; returns 0 or a negative errno. */
static int poll_events(struct trace *t, bool tty)
{
	struct epoll_event ev = { .events = EPOLLIN }, got[4];
	const struct options *o = t->o;
	struct counters seen = {};
	__u64 last_report = 0, now, next_summary = now_ns(CLOCK_MONOTONIC);
	__u64 next_metrics = next_summary + o->metrics_interval * NSEC;
	int efd, err = 0, n, wait = 0, until_timed;
	unsigned long took;
	struct stat st;
	bool held;

	efd = epoll_create1(EPOLL_CLOEXEC);
	if (efd < 0)
		return -errno;
	ev.data.fd = stream_fd(t->stream);
	if (epoll_ctl(efd, EPOLL_CTL_ADD, ev.data.fd, &ev)) {
		err = -errno;
		goto out;
	}
	ev.data.fd = stream_doorbell_fd(t->stream);
	if (epoll_ctl(efd, EPOLL_CTL_ADD, ev.data.fd, &ev)) {
		err = -errno;
		goto out;
	}
	/* a pipe or socket reports its reader's exit without a write */
	if (!o->journal && !fstat(STDOUT_FILENO, &st) &&
	    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
		ev.events = 0;
		ev.data.fd = STDOUT_FILENO;
		epoll_ctl(efd, EPOLL_CTL_ADD, STDOUT_FILENO, &ev);
	}
	/* a digest is known: a kept record may go out */
	if (t->hold) {
		ev.data.fd = hold_fd(t->hold);
		if (epoll_ctl(efd, EPOLL_CTL_ADD, ev.data.fd, &ev)) {
			err = -errno;
			goto out;
		}
	}
	/* a pidfd is readable once its process has exited */
	if (o->command) {
		ev.events = EPOLLIN;
		ev.data.fd = t->cmd.pidfd;
		if (epoll_ctl(efd, EPOLL_CTL_ADD, t->cmd.pidfd, &ev)) {
			err = -errno;
			goto out;
		}
	}

	while (o->command ? !launch_ended(&t->cmd) : !exiting) {
		n = epoll_wait(efd, got, 4, wait);
		if (n < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (got[i].data.fd == STDOUT_FILENO) {
				t->pr.out.gone = true;
				exiting = 1;
			} else if (o->command && got[i].data.fd == t->cmd.pidfd) {
				launch_end(&t->cmd);
			}
		}
		took = 0;
		pump(t, false, &took, &held);
		/* ms until the next timed output: the interval's table, the metrics file */
		until_timed = -1;
		if (o->summary && o->interval) {
			now = now_ns(CLOCK_MONOTONIC);
			if (now >= next_summary + o->interval * NSEC && summarize(t, false))
				next_summary += o->interval * NSEC;
			now = now_ns(CLOCK_MONOTONIC);
			until_timed =
				next_summary + o->interval * NSEC > now
					? (next_summary + o->interval * NSEC - now) / 1000000 + 1
					: FILE_INTERVAL_MS;
		}
		if (o->metrics) {
			if (now_ns(CLOCK_MONOTONIC) >= next_metrics) {
				err = write_metrics(t, 0);
				if (err)
					errmsg_errno("warning: writing the metrics file", err);
				next_metrics += o->metrics_interval * NSEC;
			}
			now = now_ns(CLOCK_MONOTONIC);
			n = next_metrics > now ? (next_metrics - now) / 1000000 + 1 : 0;
			if (until_timed < 0 || n < until_timed)
				until_timed = n;
		}
		err = output_flush(&t->pr.out, &exiting);
		/* the reader went away: a normal end, or the command's */
		if (err == -EPIPE)
			exiting = 1;
		/* a write error is the output's, reported once: not one of reading */
		if (err && err != -EPIPE && err != -EINTR && !o->command) {
			err = 0;
			break;
		}
		err = 0;
		now = now_ns(CLOCK_MONOTONIC);
		if (memcmp(&seen, t->counters, sizeof(seen)) &&
		    now - last_report >= 1000000000ULL) {
			memcpy(&seen, (const void *)t->counters, sizeof(seen));
			report(t, "so far", false);
			last_report = now;
		}
		/* a kept record goes out without its digest when it has waited too long */
		n = hold_wait_ms(t->hold, now_ns(CLOCK_MONOTONIC));
		if (n >= 0 && (until_timed < 0 || n < until_timed))
			until_timed = n;
		wait = next_wait(t, tty, took, held, until_timed);
		/* losses not yet reported are reported within a second */
		if (memcmp(&seen, t->counters, sizeof(seen)) && (wait < 0 || wait > 1000))
			wait = 1000;
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
static unsigned long long drain(struct trace *t)
{
	struct itimerval tick = { { 0, 100000 }, { 0, 100000 } }, off = {};
	__u64 deadline = now_ns(CLOCK_MONOTONIC) + STOP_GRACE_MS * 1000000ULL;
	unsigned long long left = 0;
	bool summed = false;
	int err;

	/* blocked writes return every 100 ms to look at the clock (a stop without a signal) */
	setitimer(ITIMER_REAL, &tick, NULL);
	for (;;) {
		unsigned long took = 0;
		bool held, done = pump(t, true, &took, &held);

		/* kept records wait for their digests, as long as HOLD_MS */
		if (done && !hold_empty(t->hold)) {
			struct pollfd p = { .fd = hold_fd(t->hold), .events = POLLIN };
			int ms = hold_wait_ms(t->hold, now_ns(CLOCK_MONOTONIC));

			poll(&p, 1, ms < 100 ? ms : 100);
			done = false;
		}
		/* the summary comes after every line */
		if (done && t->o->summary && !summed)
			done = summed = summarize(t, true);
		err = output_flush(&t->pr.out, &exiting);
		if (!err && done)
			break;
		if (err == -EINTR) {
			if (exiting > 1 || now_ns(CLOCK_MONOTONIC) >= deadline) {
				left = output_pending_lines(&t->pr.out) + count_unprinted(t);
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

/* The option that needs the hook of a process's end first, for its one-line refusal. */
static const char *needs_exit_hook(const struct options *o)
{
	return o->exits ? "-e" : o->tree ? "--tree" : o->summary ? "-s" : o->pid ? "-p" : "--";
}

/*
 * What stands in for what the kernel lacks: hash maps keyed by tid for task
 * storage, and then the end of every traced task to clear them; a
 * sched_process_exit without group_dead. Refuses, in one line, an option
 * whose hook the kernel does not have.
 */
static int fit_kernel(struct execsnoop_bpf *skel, const struct options *o,
		      const struct kernel_features *kf)
{
	/* each program that walks, with bpf_loop and bounded */
	struct bpf_program *walks[][2] = {
		{ skel->progs.sched_process_exec, skel->progs.sched_process_exec_bounded },
		{ skel->progs.sys_exit_execve, skel->progs.sys_exit_execve_bounded },
		{ skel->progs.sys_exit_execveat, skel->progs.sys_exit_execveat_bounded },
	};
	bool subtree = o->pid || o->command, ancestor = o->tree || o->summary;
	bool exits = o->exits || (!kf->task_storage && (subtree || ancestor));
	struct {
		struct bpf_map *map;
		bool used;
	} per_task[] = {
		{ skel->maps.before, false },
		{ skel->maps.lineage, false },
		{ skel->maps.procs, exits || ancestor },
		{ skel->maps.subtree, subtree },
	};

	skel->rodata->has_task_storage = kf->task_storage;
	skel->rodata->has_task_regs = kf->task_regs;
	for (size_t i = 0; i < sizeof(walks) / sizeof(walks[0]); i++)
		bpf_program__set_autoload(walks[i][kf->loop], false);
	for (size_t i = 0; !kf->task_storage && i < sizeof(per_task) / sizeof(per_task[0]); i++) {
		/* preallocated: an older kernel warns of the others in tracing programs */
		bpf_map__set_type(per_task[i].map, BPF_MAP_TYPE_HASH);
		bpf_map__set_map_flags(per_task[i].map, 0);
		bpf_map__set_max_entries(per_task[i].map, per_task[i].used ? TASKS_MAX : 1);
	}
	bpf_program__set_autoload(skel->progs.sched_process_exit, exits && kf->exit_group_dead);
	bpf_program__set_autoload(skel->progs.sched_process_exit_task,
				  exits && !kf->exit_group_dead);
	if (exits && !kf->exit_hook)
		return preflight_needs(needs_exit_hook(o), "the tracepoint sched_process_exit");
	/* a traced subtree follows forks, and so does the lineage of --tree and -s */
	bpf_program__set_autoload(skel->progs.sched_process_fork,
				  subtree || (ancestor && kf->task_storage && kf->fork_hook));
	if (subtree && !kf->fork_hook)
		return preflight_needs(o->pid ? "-p" : "--", "the tracepoint sched_process_fork");
	return 0;
}

/*
 * Every load-time setting of the programs, from the options and what the
 * output stage shows: what they capture, whom they filter, their sizes. What
 * the kernel is found to lack is switched off or stood in for here too
 * (fit_kernel). Returns 0, or -1 after a one-line refusal.
 */
static int configure(struct execsnoop_bpf *skel, const struct options *o,
		     const struct kernel_features *kf, int ncpu, size_t ring, bool cgroup)
{
	struct bpf_program *failed_only[] = {
		skel->progs.sys_enter_execve,	     skel->progs.sys_enter_execveat,
		skel->progs.sys_exit_execve,	     skel->progs.sys_exit_execveat,
		skel->progs.sys_exit_execve_bounded, skel->progs.sys_exit_execveat_bounded,
	};
	__u32 slots = ncpu < SCRATCH_SLOTS_MAX ? ncpu : SCRATCH_SLOTS_MAX;
	unsigned int shown = print_fields(o);

	if (fit_kernel(skel, o, kf))
		return -1;
	skel->rodata->trace_failed = o->fails;
	skel->rodata->want_detail = shown & FIELD_COMM_BEFORE;
	skel->rodata->trace_exits = o->exits;
	skel->rodata->want_cwd = shown & FIELD_CWD;
	skel->rodata->want_exe = shown & FIELD_EXE;
	skel->rodata->want_ids = shown & FIELD_IDS;
	skel->rodata->want_cgroup = shown & FIELD_CGROUP;
	skel->rodata->filter_subtree = o->pid || o->command;
	skel->rodata->want_ancestor = shown & FIELD_ANCESTOR;
	skel->rodata->want_login = shown & FIELD_LOGIN;
	skel->rodata->want_priv = shown & FIELD_PRIV;
	skel->rodata->filter_priv = o->privileged;
	skel->rodata->want_ancestry = shown & FIELD_ANCESTRY;
	skel->rodata->want_file = shown & FIELD_FILE;
	skel->rodata->want_interp = shown & FIELD_INTERP;
	skel->rodata->want_env = shown & FIELD_ENV;
	skel->rodata->want_sections = shown & (FIELD_LOGIN | FIELD_PRIV | FIELD_ANCESTRY |
					       FIELD_FILE | FIELD_INTERP | FIELD_ENV);
	skel->rodata->filter_cgroup = cgroup;
	skel->rodata->targ_uid = o->uid;
	skel->rodata->targ_ppid = o->ppid;
	skel->rodata->nr_slots = slots;
	skel->rodata->ring_bytes = ring;
	/* a quarter of each ring is kept for path-only records when it fills up */
	skel->rodata->ring_reserve = ring / 4;
	bpf_map__set_max_entries(skel->maps.scratch, slots);
	bpf_map__set_max_entries(skel->maps.ring_use, ncpu);
	if (o->fails && preflight_execveat()) {
		bpf_program__set_autoload(skel->progs.sys_enter_execveat, false);
		bpf_program__set_autoload(skel->progs.sys_exit_execveat, false);
	}
	/* only failed execs need the syscall hooks and the stash */
	if (!o->fails) {
		for (size_t i = 0; i < sizeof(failed_only) / sizeof(failed_only[0]); i++)
			bpf_program__set_autoload(failed_only[i], false);
		bpf_map__set_max_entries(skel->maps.execs, 1);
	}
	return 0;
}

/*
 * Fork first, so that the traced subtree follows every fork from the moment
 * it is seeded; then the exit side, so that every stashed exec is completed
 * and removed, and every end seen.
 */
static int attach(struct execsnoop_bpf *skel)
{
	struct {
		struct bpf_program *prog;
		struct bpf_link **link;
	} order[] = {
		{ skel->progs.sched_process_fork, &skel->links.sched_process_fork },
		{ skel->progs.sched_process_exit, &skel->links.sched_process_exit },
		{ skel->progs.sched_process_exit_task, &skel->links.sched_process_exit_task },
		{ skel->progs.sched_prepare_exec, &skel->links.sched_prepare_exec },
		{ skel->progs.sched_process_exec, &skel->links.sched_process_exec },
		{ skel->progs.sched_process_exec_bounded, &skel->links.sched_process_exec_bounded },
		{ skel->progs.sys_exit_execve, &skel->links.sys_exit_execve },
		{ skel->progs.sys_exit_execve_bounded, &skel->links.sys_exit_execve_bounded },
		{ skel->progs.sys_exit_execveat, &skel->links.sys_exit_execveat },
		{ skel->progs.sys_exit_execveat_bounded, &skel->links.sys_exit_execveat_bounded },
		{ skel->progs.sys_enter_execve, &skel->links.sys_enter_execve },
		{ skel->progs.sys_enter_execveat, &skel->links.sys_enter_execveat },
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!bpf_program__autoload(order[i].prog))
			continue;
		*order[i].link = bpf_program__attach(order[i].prog);
		/* sched_prepare_exec is new in Linux 6.10; without it scripts are told by their path */
		if (!*order[i].link && order[i].prog != skel->progs.sched_prepare_exec)
			return -errno;
	}
	return 0;
}

/*
 * The processes to trace, once the fork hook is attached: from a process
 * marked now, every child is marked. Returns 0, or the exit status after a
 * one-line error: 1, or 2 when there is no such process.
 */
static int seed(struct execsnoop_bpf *skel, struct trace *t, const struct kernel_features *kf,
		__u32 tgid)
{
	struct marks m = { .map_fd = bpf_map__fd(skel->maps.subtree), .by_tid = !kf->task_storage };
	int err;

	if (t->o->command) {
		err = proc_mark(&m, t->cmd.pid, t->cmd.pidfd);
		/* a command that already ended (a signal passed on) has nothing to trace */
		if (err && err != -ESRCH) {
			errmsg_errno("tracing the command", err);
			return 1;
		}
		return 0;
	}
	if (!t->o->pid)
		return 0;
	err = proc_seed(&m, tgid);
	if (err == -ESRCH) {
		errmsg("no process with pid %u", t->o->pid);
		return 2;
	}
	if (err)
		errmsg_errno("marking the processes to trace", err);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct print_env env = {
		.cgroup_path = cgroup_path,
		.user_name = users_name,
		.describe = proc_describe,
	};
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	struct execsnoop_bpf *skel = NULL;
	struct kernel_features kf;
	struct stream_maps maps;
	struct digests *digests = NULL;
	int err, cg = -1, jfd = -1, status = 1, ncpu;
	struct trace t = { .ro.window_ns = REORDER_WINDOW_MS * 1000000ULL };
	unsigned long long unwritten;
	struct options o;
	char boot_id[33], host[HOST_NAME_MAX + 1] = "";
	const char *what;
	__u64 start;
	__u32 tgid = 0;
	long ring;

	/* options; first, no file of the tool's may take descriptor 0, 1 or 2 */
	if (preflight_stdio())
		return 1;
	switch (parse_options(argc, argv, &o, users_find, stdout, stderr)) {
	case PARSE_EXIT:
		return 0;
	case PARSE_ERROR:
		return 2;
	case PARSE_OK:
		break;
	}
	t.o = &o;

	/* preflight */
	libbpf_set_print(o.verbose ? print_libbpf : NULL);
	if (preflight_privileges(o.fails) || preflight_lockdown() || preflight_btf())
		goto cleanup;
	if (o.cgroup) {
		cg = preflight_cgroup(o.cgroup);
		if (cg < 0) {
			status = 2;
			goto cleanup;
		}
	}
	ncpu = libbpf_num_possible_cpus();
	if (ncpu < 0) {
		errmsg_errno("counting CPUs", ncpu);
		goto cleanup;
	}
	/* only the syscall tracepoints of failed execs need tracefs */
	if (o.fails && preflight_tracefs())
		goto cleanup;
	ring = preflight_ring(o.ring_size, ncpu, o.verbose);
	if (ring < 0)
		goto cleanup;
	if (o.pid && proc_tgid(o.pid, &tgid)) {
		errmsg("no process with pid %u", o.pid);
		status = 2;
		goto cleanup;
	}
	if (o.pid && proc_exited(tgid)) {
		errmsg("process %u has exited", tgid);
		status = 2;
		goto cleanup;
	}
	/* what makes an id unique across hosts and boots, in JSON (the journal adds its own) */
	if (!proc_boot_id(boot_id))
		env.boot_id = boot_id;
	if (!gethostname(host, sizeof(host) - 1) && host[0])
		env.host = host;
	if (o.journal) {
		jfd = journald_open(JOURNALD_SOCKET);
		if (jfd < 0) {
			errmsg("--journal: no journal listening at %s: %s (is systemd-journald running?)",
			       JOURNALD_SOCKET, strerror(-jfd));
			goto cleanup;
		}
	}
	if (print_init(&t.pr, &o, &env, o.journal ? jfd : STDOUT_FILENO,
		       o.journal ? journald_send : NULL)) {
		errmsg_errno("allocating the output buffer", ENOMEM);
		goto cleanup;
	}
	/* before anything below changes what it would inherit: signals, priority */
	if (o.command && launch_prepare(&t.cmd, o.command,
					&(struct launch_as){ o.run_uid, o.run_gid, o.keep_root }))
		goto cleanup;
	catch_signals(o.command);
	raise_priority(&o);

	/* open, configure, load */
	skel = execsnoop_bpf__open_opts(&open_opts);
	if (!skel) {
		errmsg_errno("opening BPF object", errno);
		goto cleanup;
	}
	if (preflight_features(&kf) || configure(skel, &o, &kf, ncpu, ring, cg >= 0))
		goto cleanup;
	err = execsnoop_bpf__load(skel);
	if (err && preflight_btf_parse())
		goto cleanup;
	if (err) {
		errmsg("loading BPF programs: %s%s", strerror(-err),
		       o.verbose ? "" : " (-v shows the verifier's log)");
		goto cleanup;
	}
	if (cg >= 0) {
		__u32 zero = 0;

		if (bpf_map_update_elem(bpf_map__fd(skel->maps.cgroup), &zero, &cg, BPF_ANY)) {
			errmsg_errno("setting the cgroup filter", errno);
			goto cleanup;
		}
	}

	/* attach */
	t.counters = &skel->bss->counters;
	maps.events_fd = bpf_map__fd(skel->maps.events);
	maps.doorbell_fd = bpf_map__fd(skel->maps.doorbell);
	maps.use_fd = bpf_map__fd(skel->maps.ring_use);
	maps.scratch_fd = bpf_map__fd(skel->maps.scratch);
	maps.slots = skel->rodata->nr_slots;
	t.stream = stream_open(&maps, ring);
	if (!t.stream) {
		errmsg_errno("opening the perf buffer", errno);
		goto cleanup;
	}
	err = attach(skel);
	if (err) {
		errmsg_errno("attaching BPF programs", err);
		goto cleanup;
	}
	err = seed(skel, &t, &kf, tgid);
	if (err) {
		status = err;
		goto cleanup;
	}
	/*
	 * From here on, nothing needs a privilege but --hash's reading of
	 * files. A command is signalled as the user it runs as, which takes none.
	 */
	if (o.command)
		err = drop_privileges(t.cmd.uid, t.cmd.gid, o.hash ? HASH_CAPS : 0, &what);
	else
		err = drop_privileges(o.run_uid, o.run_gid, o.hash ? HASH_CAPS : 0, &what);
	if (err) {
		errmsg_errno(what, err);
		goto cleanup;
	}
	/* after the drop: capabilities are a thread's own, and its worker starts with these */
	if (o.hash) {
		digests = digests_open(DIGESTS_CACHED);
		t.hold = digests ? hold_open(digests) : NULL;
		if (!t.hold) {
			errmsg_errno("starting the digest worker", errno);
			goto cleanup;
		}
	}

	/* loop */
	start = now_ns(CLOCK_BOOTTIME);
	if (print_start(&t.pr, start, wall_offset(start))) {
		errmsg_errno("allocating the summary", ENOMEM);
		goto cleanup;
	}
	output_flush(&t.pr.out, &exiting);
	/* the file is there from the start: a path that cannot be written is told at once */
	err = write_metrics(&t, 0);
	if (err) {
		errmsg("--metrics: cannot write %s: %s", o.metrics, strerror(-err));
		goto cleanup;
	}
	/* not one exec of the command is missed: it is in the traced set before its exec */
	if (o.command && launch_start(&t.cmd))
		launch_end(&t.cmd);
	err = poll_events(&t, isatty(STDOUT_FILENO));
	if (err)
		errmsg_errno("reading events", err);

	/* drain: trace no more, then print what the kernel already wrote */
	execsnoop_bpf__detach(skel);
	if (o.command && !exiting)
		exiting = 1; /* the command's end is the stop */
	unwritten = drain(&t);

	/* report */
	if (t.pr.out.err)
		errmsg_errno("writing output", t.pr.out.err);
	else if (unwritten)
		errmsg("%llu lines could not be written: the output was not read within %d ms of the stop",
		       unwritten, STOP_GRACE_MS);
	else if (!err)
		status = 0;
	report(&t, "in total", true);
	/* the journal's entry of the losses; a stalled stdout is not waited for again */
	if (t.pr.out.send)
		output_flush(&t.pr.out, &exiting);
	err = write_metrics(&t, unwritten);
	if (err) {
		errmsg_errno("writing the metrics file", err);
		status = status ? status : 1;
	}
	if (o.command) {
		/* the command's status, unless it succeeded and execsnoop did not */
		int cs = launch_wait(&t.cmd);

		status = status && !cs ? status : cs;
	}

cleanup:
	/* a command never started leaves as its gate closes */
	if (t.cmd.pid)
		launch_close(&t.cmd);
	stream_close(t.stream);
	hold_close(t.hold);
	digests_close(digests);
	execsnoop_bpf__destroy(skel);
	print_free(&t.pr);
	if (cg >= 0)
		close(cg);
	if (jfd >= 0)
		close(jfd);
	options_free(&o);
	return status;
}
