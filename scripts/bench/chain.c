// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Exec chains for the benchmark's order figure: three generations per chain.
 * A child pinned to the first CPU execs A; A forks a child that pins itself
 * to the second CPU and execs B; B's child does the same back on the first
 * CPU and execs C. argv is "chain -g PREFIX-<chain>-<generation>", so a
 * tracer's output shows whether it printed A before B before C.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 64
#define TAG_LEN	 64
#define CPUS_ENV "CHAIN_CPUS"
#define WORKLOAD "chain"
#include "workload.h"

static const char usage[] = "usage: chain [-j JOBS] -n CHAINS -t PREFIX\n"
			    "  -j JOBS     chains run at once (default 1)\n"
			    "  -n CHAINS   chains in all, shared out among the jobs\n"
			    "  -t PREFIX   tag prefix\n"
			    "Prints \"chains N failed N elapsed_ns N\" when done.\n";

/* the CPU of generation gen ('A', 'B', 'C'): first, second, first */
static int cpu_of(char gen)
{
	const char *env = getenv(CPUS_ENV);
	int first, second;

	if (!env || sscanf(env, "%d,%d", &first, &second) != 2) {
		fprintf(stderr, "chain: %s is not set: run chain without -g\n", CPUS_ENV);
		exit(2);
	}
	return gen == 'B' ? second : first;
}

static int wait_for(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			die("waitpid");
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* fork a child that execs the generation tagged tag on its CPU; its exit status */
static int spawn(const char *self, const char *tag)
{
	char *argv[] = { (char *)self, "-g", (char *)tag, NULL };
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		pin(cpu_of(tag[strlen(tag) - 1]));
		execv(self, argv);
		_exit(127);
	}
	return wait_for(pid);
}

/* one generation: A and B start the next, C only exits */
static int generation(const char *tag)
{
	char self[PATH_MAX], next[TAG_LEN];
	size_t len = strlen(tag);
	ssize_t n;

	if (!len || len >= TAG_LEN || tag[len - 1] < 'A' || tag[len - 1] > 'C') {
		fprintf(stderr, "chain: invalid generation tag: %s\n", tag);
		return 2;
	}
	if (tag[len - 1] == 'C')
		return 0;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		die("readlink /proc/self/exe");
	self[n] = '\0';
	memcpy(next, tag, len + 1);
	next[len - 1]++;
	return spawn(self, next);
}

/* the first two CPUs this process may run on (the same one twice if only one) */
static void pick_cpus(void)
{
	cpu_set_t set;
	int cpu, found[2] = { -1, -1 }, n = 0;
	char buf[32];

	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity");
	for (cpu = 0; cpu < CPU_SETSIZE && n < 2; cpu++) {
		if (CPU_ISSET(cpu, &set))
			found[n++] = cpu;
	}
	if (n == 1)
		found[1] = found[0];
	snprintf(buf, sizeof(buf), "%d,%d", found[0], found[1]);
	if (setenv(CPUS_ENV, buf, 1))
		die("setenv");
}

int main(int argc, char **argv)
{
	unsigned long jobs = 1, chains = 0, c, failed = 0, *fails;
	const char *prefix = NULL, *gen = NULL;
	char self[PATH_MAX], tag[TAG_LEN];
	pid_t pids[MAX_JOBS];
	uint64_t start;
	unsigned long w;
	ssize_t n;
	int opt;

	while ((opt = getopt(argc, argv, "j:n:t:g:h")) != -1) {
		switch (opt) {
		case 'j':
			jobs = parse_ulong(optarg, MAX_JOBS);
			break;
		case 'n':
			chains = parse_ulong(optarg, 1000000);
			break;
		case 't':
			prefix = optarg;
			break;
		case 'g':
			gen = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (gen)
		return generation(gen);
	if (optind != argc || !prefix || !jobs || !chains || strlen(prefix) > TAG_LEN / 2) {
		fputs(usage, stderr);
		return 2;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		die("readlink /proc/self/exe");
	self[n] = '\0';
	pick_cpus();

	fails = mmap(NULL, jobs * sizeof(*fails), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fails == MAP_FAILED)
		die("mmap");
	start = now_ns();
	for (w = 0; w < jobs; w++) {
		pids[w] = fork();
		if (pids[w] < 0)
			die("fork");
		if (pids[w] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (c = w; c < chains; c += jobs) {
				snprintf(tag, sizeof(tag), "%s-%lu-A", prefix, c);
				if (spawn(self, tag))
					fails[w]++;
			}
			exit(0);
		}
	}
	for (w = 0; w < jobs; w++) {
		wait_for(pids[w]);
		failed += fails[w];
	}
	printf("chains %lu failed %lu elapsed_ns %llu\n", chains, failed,
	       (unsigned long long)(now_ns() - start));
	return failed ? 1 : 0;
}
