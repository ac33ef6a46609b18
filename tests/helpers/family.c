// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * family: a process tree with every kind of descendant, for the tests of
 * -p and -- COMMAND. Every exec it causes carries TAG in its arguments, and
 * it prints, for each exec it causes (not its own), the ARGS execsnoop must
 * show for it, so that a test knows exactly which execs belong to the tree.
 *
 *	family [-o OUT] [-w FILE] [-x STATUS] NOOP TAG
 *
 * -o OUT: the ARGS go to OUT rather than stdout.
 * -w FILE: first, a child and a grandchild are forked, and a child with a
 * second thread; they all wait until FILE exists (so that a tracer can start
 * in between), then the child and the grandchild exec NOOP TAG-pre-child and
 * TAG-pre-grandchild, and the second thread NOOP TAG-pre-thread.
 * Then, each in turn: a child's exec; a grandchild's through a parent that
 * only forked; a daemon (double fork and setsid, reparented away) that execs
 * family itself, which execs NOOP TAG-daemon-child from a child; a thread's
 * exec in a child; posix_spawn; and sh -c "NOOP TAG-sh1 | NOOP TAG-sh2".
 * Everything has exec'd before family exits (-x: with STATUS).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *noop, *tag;

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "family: %s: %s\n", what, strerror(errno));
	exit(99);
}

static void wait_for(const char *file)
{
	struct timespec ts = { 0, 10000000 };

	while (access(file, F_OK))
		nanosleep(&ts, NULL);
}

/* Execs NOOP TAG-what; prints what it expects first. */
static void __attribute__((noreturn)) exec_noop(const char *what)
{
	char arg[256];

	snprintf(arg, sizeof(arg), "%s-%s", tag, what);
	execl(noop, noop, arg, (char *)NULL);
	die("exec");
}

/* Prints the ARGS of NOOP TAG-what. */
static void expect(const char *what)
{
	printf("%s %s-%s\n", noop, tag, what);
	fflush(stdout);
}

static void reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			die("waitpid");
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fprintf(stderr, "family: a child of pid %d ended with status %#x\n", pid, st);
}

static void *thread_exec(void *what)
{
	exec_noop(what);
}

static const char *gate;

static void *thread_wait_exec(void *what)
{
	wait_for(gate);
	exec_noop(what);
}

/* The daemon's part: its own child's exec, then the end of the pipe. */
static int daemon_part(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid)
		exec_noop("daemon-child");
	reap(pid);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, status = 0, done[2];
	pid_t pid, pre = 0, pre_thread = 0;
	char buf[1];
	char *sh;

	if (argc == 4 && !strcmp(argv[1], "daemon")) {
		noop = argv[2];
		tag = argv[3];
		return daemon_part();
	}
	while ((opt = getopt(argc, argv, "o:w:x:")) != -1) {
		if (opt == 'o' && !freopen(optarg, "w", stdout))
			die(optarg);
		if (opt == 'o')
			continue;
		if (opt == 'w')
			gate = optarg;
		else if (opt == 'x')
			status = atoi(optarg);
		else
			return 2;
	}
	if (optind != argc - 2) {
		fputs("usage: family [-o OUT] [-w FILE] [-x STATUS] NOOP TAG\n", stderr);
		return 2;
	}
	noop = argv[optind];
	tag = argv[optind + 1];

	if (gate) {
		expect("pre-child");
		expect("pre-grandchild");
		pre = fork();
		if (pre < 0)
			die("fork");
		if (!pre) {
			pid = fork();
			if (pid < 0)
				die("fork");
			wait_for(gate);
			if (!pid)
				exec_noop("pre-grandchild");
			reap(pid);
			exec_noop("pre-child");
		}
		expect("pre-thread");
		pre_thread = fork();
		if (pre_thread < 0)
			die("fork");
		if (!pre_thread) {
			pthread_t t;

			if (pthread_create(&t, NULL, thread_wait_exec, "pre-thread"))
				die("pthread_create");
			for (;;)
				pause();
		}
		wait_for(gate);
	}

	/* a child */
	expect("child");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid)
		exec_noop("child");
	reap(pid);

	/* a grandchild, through a parent that only forks */
	expect("grandchild");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		pid_t g = fork();

		if (g < 0)
			die("fork");
		if (!g)
			exec_noop("grandchild");
		reap(g);
		_exit(0);
	}
	reap(pid);

	/* a daemon: it is done when the last copy of the pipe's end is closed */
	printf("/proc/self/exe daemon %s %s\n", noop, tag);
	expect("daemon-child");
	if (pipe(done))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(done[0]);
		if (setsid() < 0)
			die("setsid");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid)
			_exit(0);
		/* reparented away; "daemon" is in its arguments with the tag */
		execl("/proc/self/exe", "family", "daemon", noop, tag, (char *)NULL);
		die("exec");
	}
	close(done[1]);
	reap(pid);
	while (read(done[0], buf, 1) < 0 && errno == EINTR)
		;
	close(done[0]);

	/* a thread's exec */
	expect("thread");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		pthread_t t;

		if (pthread_create(&t, NULL, thread_exec, "thread"))
			die("pthread_create");
		for (;;)
			pause();
	}
	reap(pid);

	/* posix_spawn (vfork) */
	expect("spawn");
	{
		char arg[256];
		char *av[] = { (char *)noop, arg, NULL };

		snprintf(arg, sizeof(arg), "%s-spawn", tag);
		if (posix_spawn(&pid, noop, NULL, NULL, av, environ))
			die("posix_spawn");
		reap(pid);
	}

	/* a pipeline, by a shell */
	if (asprintf(&sh, "%s %s-sh1 | %s %s-sh2", noop, tag, noop, tag) < 0)
		die("asprintf");
	printf("/bin/sh -c %s\n", sh);
	expect("sh1");
	expect("sh2");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		execl("/bin/sh", "sh", "-c", sh, (char *)NULL);
		die("exec");
	}
	reap(pid);
	free(sh);

	if (pre)
		reap(pre);
	if (pre_thread)
		reap(pre_thread);
	return status;
}
