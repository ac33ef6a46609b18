// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * execsnoop: trace every exec on the system as it happens.
 *
 * main reads top-down: options, preflight, open, configure, load, attach,
 * loop, drain, report. The loop (loop.c) takes records from the rings
 * (stream.c) through the time-order window (reorder.c) to the output stage
 * (print.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "execsnoop.h"
#include "execsnoop.skel.h"
#include "btfcache.h"
#include "cgroups.h"
#include "errors.h"
#include "journald.h"
#include "launch.h"
#include "loop.h"
#include "options.h"
#include "preflight.h"
#include "print.h"
#include "proc.h"
#include "privs.h"
#include "hold.h"
#include "stream.h"
#include "users.h"

#define DIGESTS_CACHED 512 /* --hash: files whose digest is kept, each open while computed */
#define BOOST_NICE     -20
#define TASKS_MAX      (1 << 15) /* tasks kept in each hash map that stands for task storage */

/* 1 once a stop was asked for (SIGINT, SIGTERM, SIGHUP); 2 when asked again: stop at once */
static volatile sig_atomic_t exiting;

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

/* Only a process's subtree is traced: -p, or a command. */
static bool traces_subtree(const struct options *o)
{
	return o->pid || o->command;
}

/* A process's lineage is followed, to its nearest ancestor seen exec'ing: --tree, -s. */
static bool follows_lineage(const struct options *o)
{
	return o->tree || o->summary;
}

/* Whether an option hooks a process's end or fork: -e, and a subtree or a lineage. */
static bool needs_hooks(const struct options *o)
{
	return o->exits || traces_subtree(o) || follows_lineage(o);
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
	bool subtree = traces_subtree(o), ancestor = follows_lineage(o);
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
		     const struct kernel_features *kf, int ncpu, bool cgroup)
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
	skel->rodata->filter_subtree = traces_subtree(o);
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
static int seed(struct execsnoop_bpf *skel, const struct options *o, const struct launch *cmd,
		const struct kernel_features *kf, __u32 tgid)
{
	struct marks m = { .map_fd = bpf_map__fd(skel->maps.subtree), .by_tid = !kf->task_storage };
	int err;

	if (o->command) {
		err = proc_mark(&m, cmd->pid, cmd->pidfd);
		/* a command that already ended (a signal passed on) has nothing to trace */
		if (err && err != -ESRCH) {
			errmsg_errno("tracing the command", err);
			return 1;
		}
		return 0;
	}
	if (!o->pid)
		return 0;
	err = proc_seed(&m, tgid);
	if (err == -ESRCH) {
		errmsg("no process with pid %u", o->pid);
		return 2;
	}
	if (err)
		errmsg_errno("marking the processes to trace", err);
	return err ? 1 : 0;
}

/*
 * Opens, configures and loads the programs, relocated against the cached part
 * of the kernel's BTF at btf_path when it is there (btfcache.h), else against
 * the whole; a cached part that fails to load is removed and the whole tried.
 * 0 when loaded, 1 when it failed and said why, else the load's -errno.
 */
static int open_load(struct execsnoop_bpf **skel, const struct options *o,
		     const struct kernel_features *kf, int ncpu, bool cgroup, const char *btf_path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	bool cached = btf_path[0] && btf_cache_usable(btf_path);
	int err;

	for (;;) {
		opts.btf_custom_path = cached ? btf_path : NULL;
		*skel = execsnoop_bpf__open_opts(&opts);
		if (!*skel) {
			errmsg_errno("opening BPF object", errno);
			return 1;
		}
		if (configure(*skel, o, kf, ncpu, cgroup))
			return 1;
		err = execsnoop_bpf__load(*skel);
		if (!err || !cached)
			return err;
		if (o->verbose)
			errmsg("relocated against %s, the programs did not load: %s; trying the kernel's whole BTF",
			       btf_path, strerror(-err));
		execsnoop_bpf__destroy(*skel);
		unlink(btf_path);
		cached = false;
	}
}

int main(int argc, char **argv)
{
	struct print_env env = {
		.cgroup_path = cgroup_path,
		.user_name = users_name,
		.describe = proc_describe,
	};
	struct execsnoop_bpf *skel = NULL;
	char btf_path[PATH_MAX];
	const void *elf;
	size_t len;
	struct kernel_features kf;
	struct stream_maps maps;
	struct digests *digests = NULL;
	int err, cg = -1, jfd = -1, status = 1, ncpu;
	unsigned long long unwritten;
	struct launch cmd = {};
	struct print pr = {};
	struct options o;
	/* what the reading loop reads from and writes to; the rest is wired as it is opened */
	struct loop l = { .o = &o, .pr = &pr, .cmd = &cmd, .stop = &exiting };
	char boot_id[33], host[HOST_NAME_MAX + 1] = "";
	const char *what;
	__u32 tgid = 0;
	long ring;
	unsigned long first;
	bool limited;

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
	ring = preflight_ring(o.ring_size, ncpu, o.verbose, &limited);
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
	if (print_init(&pr, &o, &env, o.journal ? jfd : STDOUT_FILENO,
		       o.journal ? journald_send : NULL)) {
		errmsg_errno("allocating the output buffer", ENOMEM);
		goto cleanup;
	}
	/* before anything below changes what it would inherit: signals, priority */
	if (o.command && launch_prepare(&cmd, o.command,
					&(struct launch_as){ o.run_uid, o.run_gid, o.keep_root }))
		goto cleanup;
	catch_signals(o.command);
	raise_priority(&o);

	/* open, configure, load */
	if (preflight_features(&kf, needs_hooks(&o)))
		goto cleanup;
	elf = execsnoop_bpf__elf_bytes(&len);
	if (btf_cache_path(btf_path, sizeof(btf_path), elf, len, env.boot_id))
		btf_path[0] = '\0';
	err = open_load(&skel, &o, &kf, ncpu, cg >= 0, btf_path);
	if (err > 0 || (err && preflight_btf_parse()))
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
	l.counters = &skel->bss->counters;
	maps.events_fd = bpf_map__fd(skel->maps.events);
	maps.doorbell_fd = bpf_map__fd(skel->maps.doorbell);
	maps.use_fd = bpf_map__fd(skel->maps.ring_use);
	maps.scratch_fd = bpf_map__fd(skel->maps.scratch);
	maps.slots = skel->rodata->nr_slots;
	/* small rings first, to trace sooner, unless locked memory is too short for both */
	first = limited ? (unsigned long)ring : stream_first_size(ring);
	l.stream = stream_open(&maps, first);
	if (!l.stream) {
		errmsg_errno("opening the perf buffer", errno);
		goto cleanup;
	}
	err = attach(skel);
	if (err) {
		errmsg_errno("attaching BPF programs", err);
		goto cleanup;
	}
	err = seed(skel, &o, &cmd, &kf, tgid);
	if (err) {
		status = err;
		goto cleanup;
	}
	/* traced: now the full rings, while the small ones take what comes */
	if (first < (unsigned long)ring) {
		err = stream_grow(l.stream, ring);
		if (err)
			errmsg("perf rings of %ld KiB could not be opened (%s): tracing goes on with smaller rings",
			       ring >> 10, strerror(-err));
	}
	/* once traced, and while it may still write there: the next start reads only what it needs */
	if (btf_path[0] && !btf_cache_usable(btf_path)) {
		err = btf_cache_write(btf_path, skel->obj);
		if (err && o.verbose)
			errmsg("not keeping the kernel BTF's part in %s: %s", btf_path,
			       strerror(-err));
	}
	/*
	 * From here on, nothing needs a privilege but --hash's reading of
	 * files. A command is signalled as the user it runs as, which takes none.
	 */
	if (o.command)
		err = drop_privileges(cmd.uid, cmd.gid, o.hash ? HASH_CAPS : 0, &what);
	else
		err = drop_privileges(o.run_uid, o.run_gid, o.hash ? HASH_CAPS : 0, &what);
	if (err) {
		errmsg_errno(what, err);
		goto cleanup;
	}
	/* after the drop: capabilities are a thread's own, and its worker starts with these */
	if (o.hash) {
		digests = digests_open(DIGESTS_CACHED);
		l.hold = digests ? hold_open(digests) : NULL;
		if (!l.hold) {
			errmsg_errno("starting the digest worker", errno);
			goto cleanup;
		}
	}

	/* loop */
	if (loop_start(&l))
		goto cleanup;
	/* not one exec of the command is missed: it is in the traced set before its exec */
	if (o.command && launch_start(&cmd))
		launch_end(&cmd);
	err = loop_run(&l, isatty(STDOUT_FILENO));
	if (err)
		errmsg_errno("reading events", err);

	/* drain: trace no more, then print what the kernel already wrote */
	execsnoop_bpf__detach(skel);
	if (o.command && !exiting)
		exiting = 1; /* the command's end is the stop */
	unwritten = loop_drain(&l);

	/* report */
	if (pr.out.err)
		errmsg_errno("writing output", pr.out.err);
	else if (unwritten)
		errmsg("%llu lines could not be written: the output was not read within %d ms of the stop",
		       unwritten, STOP_GRACE_MS);
	else if (!err)
		status = 0;
	loop_report(&l, "in total", true);
	/* the journal's entry of the losses; a stalled stdout is not waited for again */
	if (pr.out.send)
		output_flush(&pr.out, &exiting);
	err = loop_metrics(&l, unwritten);
	if (err) {
		errmsg_errno("writing the metrics file", err);
		status = status ? status : 1;
	}
	if (o.command) {
		/* the command's status, unless it succeeded and execsnoop did not */
		int cs = launch_wait(&cmd);

		status = status && !cs ? status : cs;
	}

cleanup:
	/* a command never started leaves as its gate closes */
	if (cmd.pid)
		launch_close(&cmd);
	stream_close(l.stream);
	hold_close(l.hold);
	digests_close(digests);
	execsnoop_bpf__destroy(skel);
	print_free(&pr);
	if (cg >= 0)
		close(cg);
	if (jfd >= 0)
		close(jfd);
	options_free(&o);
	return status;
}
