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

struct launch {
	const char *argv0;
	pid_t pid;  /* the command's process; 0: none */
	int pidfd;  /* readable once it has ended */
	int gate;   /* a byte written here lets it exec; closed unwritten, it leaves */
	int report; /* why it could not exec, as it failed */
	bool reaped;
	volatile sig_atomic_t ended; /* it has exited: signals are no longer relayed */
	int status;		     /* its exit status, once reaped */
};

/*
 * Forks the process that is to run argv, waiting at the gate. Under sudo
 * (SUDO_UID and SUDO_GID set, running as root), it runs as the user who ran
 * sudo, with their groups from /etc/group, unless keep_root. Returns 0, or
 * -1 after a one-line error.
 */
int launch_prepare(struct launch *l, char **argv, bool keep_root);

/*
 * Lets the command exec and waits until it has: returns 0, or -1 after a
 * one-line error when it could not, with l->status 126 or 127 as a shell's.
 */
int launch_start(struct launch *l);

/* Sends sig to the command, unless it has ended. */
void launch_signal(struct launch *l, int sig);

/*
 * In a signal handler: passes sig on to the command, unless the command or
 * the kernel sent it. False once the command has ended: sig is the caller's.
 */
bool launch_relay(int sig, const siginfo_t *si);

/* The command has exited (its pidfd is readable, or it never ran): relaying stops. */
void launch_end(struct launch *l);
bool launch_ended(const struct launch *l);

/* Waits for the command to end, reaps it, and returns its status: its exit code, or 128+N for signal N. */
int launch_wait(struct launch *l);

/* Ends a command that was never started (closes its gate) and reaps it; closes the descriptors. */
void launch_close(struct launch *l);

#endif /* LAUNCH_H */
