/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What execsnoop checks before it loads anything: its standard descriptors,
 * privileges, the kernel's BTF, tracefs, locked memory for the perf rings and
 * the cgroup to filter on. Each check prints its own one-line error and
 * returns a negative value when the tool cannot go on.
 */
#ifndef PREFLIGHT_H
#define PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux" /* the running kernel's BTF */

/*
 * Puts /dev/null on whichever of descriptors 0-2 is closed, so that no file
 * of the tool's lands there; fails when stdout is closed or not writable.
 */
int preflight_stdio(void);

/*
 * Root, or CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) in the initial user
 * namespace; fails naming what is missing. fails: -x was given.
 */
int preflight_privileges(bool fails);

/* The kernel's BTF is there and looks like BTF; else says why in one line. */
int preflight_btf(void);

/* Refuses a kernel in confidentiality lockdown, which refuses BPF tracing, in one line. */
int preflight_lockdown(void);

/* -1, with a one-line warning, when the kernel has no execveat syscall tracepoint. */
int preflight_execveat(void);

/*
 * What the kernel offers that execsnoop can do without, each probed by
 * what it is (a helper, a map type, an instruction), never by version.
 */
struct kernel_features {
	bool task_storage;    /* task storage maps and BTF task pointers (Linux 5.11) */
	bool loop;	      /* bpf_loop (5.17) */
	bool task_regs;	      /* bpf_task_pt_regs (5.15) */
	bool exit_hook;	      /* the tracepoint sched_process_exit */
	bool exit_group_dead; /* which passes group_dead (after 6.12) */
	bool fork_hook;	      /* the tracepoint sched_process_fork */
};

/*
 * Probes them; the hooks of a process's end and fork only when hooks is
 * true (else they are false). EXECSNOOP_WITHOUT names those to do without
 * even so (its tests run the fallbacks on any kernel). Fails when it names
 * another.
 */
int preflight_features(struct kernel_features *f, bool hooks);

/* Refuses an option in one line: "<option> needs <what>; this kernel is <release>". */
int preflight_needs(const char *option, const char *what);

/* After a failed load: whether the whole BTF parses; says so in one line when it does not. */
int preflight_btf_parse(void);

/*
 * The syscall tracepoints of failed execs are found through tracefs: makes
 * sure it can be read, mounting it when it is not mounted.
 */
int preflight_tracefs(void);

/*
 * The bytes of each CPU's perf ring (stream_ring_size of asked, 0: none, on
 * ncpu CPUs). Without CAP_IPC_LOCK the rings must fit in the locked memory
 * the kernel allows: a default size shrinks to fit; a --ring-size given
 * that does not fit is refused (-1). *limited says whether a limit applies,
 * so that no more rings may be opened than those.
 */
long preflight_ring(unsigned long asked, int ncpu, bool verbose, bool *limited);

/* An fd of the cgroup v2 directory path, to filter on. */
int preflight_cgroup(const char *path);

#endif /* PREFLIGHT_H */
