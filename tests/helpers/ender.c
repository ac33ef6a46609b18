// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ender: a process that ends in a chosen way, for the --exits tests. It writes
 * "BEGIN END" to its report file: CLOCK_BOOTTIME ns as main starts (just
 * after its exec) and just before it ends, to compare with the lifetime
 * execsnoop reports.
 *
 *	ender REPORT code N       exit(N) after 50 ms
 *	ender REPORT signal SIG   raise SIG (by number) after 50 ms
 *	ender REPORT thread N     the main thread leaves; another calls exit(N)
 *	ender REPORT again N      exec itself once more, then exit(N)
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static unsigned long long begin;
static const char *report;

static unsigned long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void done(void)
{
	FILE *f = fopen(report, "a");

	if (!f)
		exit(99);
	fprintf(f, "%llu %llu\n", begin, now());
	fclose(f);
}

static void *late_exit(void *arg)
{
	usleep(50000);
	done();
	exit(atoi(arg));
}

int main(int argc, char **argv)
{
	struct timespec pause = { 0, 50000000 };
	pthread_t t;

	begin = now();
	if (argc != 4)
		return 2;
	report = argv[1];
	if (!strcmp(argv[2], "again")) {
		char *args[] = { argv[0], argv[1], "code", argv[3], NULL };

		execv("/proc/self/exe", args);
		return 98;
	}
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
