// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * setpid: runs a program as a child with a chosen pid, through clone3's
 * set_tid, so that tests can reuse a pid on purpose.
 *
 *	setpid PID PROG [ARG...]
 *
 * Exits with the child's exit status (128 + N if signal N ended it), or 125
 * with a message when the pid could not be had (EEXIST: in use).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	pid_t want, pid;
	char *end;
	int status;

	if (argc < 3) {
		fprintf(stderr, "usage: setpid PID PROG [ARG...]\n");
		return 125;
	}
	errno = 0;
	want = strtol(argv[1], &end, 10);
	if (errno || *end || want <= 0) {
		fprintf(stderr, "setpid: not a pid: %s\n", argv[1]);
		return 125;
	}
	args.set_tid = (uintptr_t)&want;
	args.set_tid_size = 1;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		fprintf(stderr, "setpid: clone3 with pid %d: %s\n", want, strerror(errno));
		return 125;
	}
	if (!pid) {
		execv(argv[2], argv + 2);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 125;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
