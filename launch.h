/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A command started under trace (execsnoop -- COMMAND): forked before the
 * programs are loaded, held at a gate until they are attached and it is in
 * the traced set, then let exec; its exit status is execsnoop's.
 */
#ifndef LAUNCH_H
#define LAUNCH_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>

struct launch {
	const char *argv0;
	pid_t pid;  /* the command's process; 0: none */
	int pidfd;  /* readable once it has ended */
	int gate;   /* a byte written here lets it exec; closed unwritten, it leaves */
	int report; /* why it could not exec, as it failed */
	bool reaped;
	volatile sig_atomic_t ended;	  /* it has exited: signals are no longer relayed */
	volatile sig_atomic_t stop_asked; /* a stop signal came while it ran */
	int status;			  /* its exit status, once reaped */
	__u32 uid;			  /* the user it runs as; NO_UID: as execsnoop does */
	__u32 gid;
};

struct options;

/* Who runs the command: --run-as, --keep-root. */
struct launch_as {
	__u32 uid; /* NO_UID: none given */
	__u32 gid;
	bool keep_root;
};

/*
 * Forks the process that is to run argv, waiting at the gate. It runs as
 * as->uid if there is one; else under sudo (SUDO_UID and SUDO_GID set,
 * running as root) as the user who ran sudo, unless as->keep_root; else as
 * execsnoop does. Another user comes with the groups
 * /etc/group lists them in. It never keeps an ambient capability. Returns
 * 0, or -1 after a one-line error.
 */
int launch_prepare(struct launch *l, char **argv, const struct launch_as *as);

/*
 * Lets the command exec and waits until it has: returns 0, or -1 after a
 * one-line error when it could not, with l->status 126 or 127 as a shell's,
 * or -1 without one when a stop passed on had ended it at the gate.
 */
int launch_start(struct launch *l);

/* Sends sig to the command, unless it has ended. */
void launch_signal(struct launch *l, int sig);

/*
 * In a signal handler: passes sig on to the command, unless the command or
 * the kernel sent it; a stop that did not come from the command is noted
 * (stop_asked). False once the command has ended: sig is the caller's.
 */
bool launch_relay(int sig, const siginfo_t *si);

/*
 * In a SIGCHLD handler: when si tells of the command's end, it has ended
 * (relaying stops); true then if a stop signal came while it ran, for the
 * caller to take its end as the stop.
 */
bool launch_exited(const siginfo_t *si);

/* The command has exited (its pidfd is readable, or it never ran): relaying stops. */
void launch_end(struct launch *l);
bool launch_ended(const struct launch *l);

/* Waits for the command to end, reaps it, and returns its status: its exit code, or 128+N for signal N. */
int launch_wait(struct launch *l);

/* Ends a command that was never started (closes its gate) and reaps it; closes the descriptors. */
void launch_close(struct launch *l);

#endif /* LAUNCH_H */
