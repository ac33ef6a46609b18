// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ender: a process that ends in a chosen way, for the --exits tests.
 *
 *	ender REPORT code N       exit(N) after 50 ms
 *	ender REPORT signal SIG   raise SIG (by number) after 50 ms
 *	ender REPORT thread N     the main thread leaves; another calls exit(N)
 *	ender REPORT again N      exec itself once more, then exit(N)
 *
 * It forks the process that ends, and reads CLOCK_BOOTTIME around each of
 * that process's events, so a test can place execsnoop's timestamps between
 * readings taken on either side of them, whatever the machine's load:
 *
 *	PRE     just before the process's last exec
 *	BEGIN   as main starts, just after it
 *	END     the last reading before it ends
 *	REAPED  once its parent has reaped it
 *
 * The report ends with two lines, "PRE BEGIN END" from the process and
 * "PID REAPED" from its parent. ender exits 0, or non-zero if it could not do
 * what it was asked.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long begin, pre;
static const char *report;

static unsigned long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* the ending process's part of the report, read back by its parent */
static void done(void)
{
	FILE *f = fopen(report, "a");

	if (!f)
		exit(99);
	fprintf(f, "%llu %llu %llu\n", pre, begin, now());
	fclose(f);
}

static void *late_exit(void *arg)
{
	usleep(50000);
	done();
	exit(atoi(arg));
}

/* exec PATH as the ending process: ender REPORT MODE ARG PRE */
static void exec_ending(const char *path, char **argv, const char *mode)
{
	char at[24];
	char *args[] = { argv[0], argv[1], (char *)mode, argv[3], at, NULL };

	snprintf(at, sizeof(at), "%llu", now());
	execv(path, args);
	exit(98);
}

static int end(char **argv)
{
	struct timespec pause = { 0, 50000000 };
	pthread_t t;

	report = argv[1];
	pre = strtoull(argv[4], NULL, 10);
	if (!strcmp(argv[2], "again"))
		exec_ending("/proc/self/exe", argv, "code");
	if (!strcmp(argv[2], "thread")) {
		if (pthread_create(&t, NULL, late_exit, argv[3]))
			return 97;
		pthread_exit(NULL);
	}
	nanosleep(&pause, NULL);
	if (!strcmp(argv[2], "signal")) {
		struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

		setrlimit(RLIMIT_CORE, &unlimited);
		done();
		signal(atoi(argv[3]), SIG_DFL);
		raise(atoi(argv[3]));
		return 96;
	}
	done();
	return atoi(argv[3]);
}

int main(int argc, char **argv)
{
	char self[4096];
	ssize_t n;
	pid_t pid;
	FILE *f;

	begin = now();
	if (argc == 5)
		return end(argv);
	if (argc != 4)
		return 2;
	report = argv[1];
	/* by its own path, so that the first exec's comm is "ender" */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return 3;
	self[n] = '\0';
	pid = fork();
	if (pid < 0)
		return 4;
	if (!pid)
		exec_ending(self, argv, argv[2]);
	if (waitpid(pid, NULL, 0) != pid)
		return 5;
	f = fopen(report, "a");
	if (!f)
		return 6;
	fprintf(f, "%d %llu\n", (int)pid, now());
	return fclose(f) ? 7 : 0;
}
