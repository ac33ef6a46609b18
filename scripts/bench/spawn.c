// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Exec workload for the benchmark: JOBS workers, released together, each
 * fork and exec PROG one child at a time. argv[1] of every exec is a unique
 * tag "PREFIX-<worker>-<i>" so a tracer's output can be checked for it;
 * with -P the children's pids are printed too, so that lines whose arguments
 * were cut can be matched to their exec.
 */
#define _GNU_SOURCE
#include <errno.h>
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

#define WORKLOAD "spawn"
#include "workload.h"

#define MAX_JOBS  64
#define MAX_ARGS  1024
#define MAX_BYTES 4096
#define TAG_LEN	  64

static const char usage[] =
	"usage: spawn [-j JOBS] [-n COUNT] [-d SECONDS] [-i USEC] [-a ARGS] [-b BYTES] [-psvP] -t PREFIX PROG\n"
	"  -j JOBS     parallel workers (default 1)\n"
	"  -p          pin worker W to the W-th online CPU, round robin\n"
	"  -v          vfork instead of fork, as posix_spawn does\n"
	"  -n COUNT    execs per worker (0: until -d runs out)\n"
	"  -d SECONDS  stop starting execs after this long\n"
	"  -i USEC     start an exec every USEC microseconds per worker\n"
	"  -a ARGS     arguments after argv[0], the tag included (default 1)\n"
	"  -b BYTES    length of every argument, the tag padded with 'x'\n"
	"  -s          print \"TAG NSEC\": CLOCK_MONOTONIC just before each execve (needs -n)\n"
	"  -P          print \"TAG PID\": the pid of each exec that succeeded (needs -n, not with -s)\n"
	"  -t PREFIX   tag prefix\n"
	"Prints \"execs N failed N elapsed_ns N\" when done.\n";

/* per exec, at w * count + i: a stamp (-s) or a pid (-P) */
struct shared {
	unsigned long execs[MAX_JOBS];
	unsigned long failed[MAX_JOBS];
	uint64_t slots[];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double parse_seconds(const char *s)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0 || v > 86400) {
		fprintf(stderr, "spawn: invalid duration: %s\n", s);
		exit(2);
	}
	return v;
}

static void sleep_until(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ull, .tv_nsec = ns % 1000000000ull };

	while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

struct job {
	const char *prog;
	const char *prefix;
	unsigned long count;
	uint64_t duration;
	uint64_t interval;
	unsigned long nargs;
	unsigned long bytes;
	int stamp;
	int pids;
	int pin;
	int vfork;
};

static void pin_to_cpu(int w)
{
	cpu_set_t online;
	int cpu, n = 0;

	if (sched_getaffinity(0, sizeof(online), &online))
		die("sched_getaffinity");
	w %= CPU_COUNT(&online);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, &online) && n++ == w)
			break;
	}
	pin(cpu);
}

static void worker(const struct job *job, int w, int gate, struct shared *sh)
{
	static char *argv[MAX_ARGS + 2];
	static char *envp[] = { NULL };
	char tag[MAX_BYTES + TAG_LEN];
	char *filler = NULL;
	uint64_t next, deadline;
	unsigned long i;
	int status, len;
	pid_t pid;
	char c;

	if (job->nargs > 1) {
		size_t n = job->bytes ? job->bytes : 1;

		filler = malloc(n + 1);
		if (!filler)
			die("malloc");
		memset(filler, 'x', n);
		filler[n] = '\0';
	}
	argv[0] = (char *)job->prog;
	argv[1] = tag;
	for (i = 2; i <= job->nargs; i++)
		argv[i] = filler;
	argv[job->nargs + 1] = NULL;

	if (job->pin)
		pin_to_cpu(w);

	/* all workers start when the parent closes the gate's write end */
	if (read(gate, &c, 1) < 0)
		die("read gate");
	close(gate);

	next = now_ns();
	deadline = job->duration ? next + job->duration : 0;
	for (i = 0; !stop && (!job->count || i < job->count); i++) {
		if (job->interval) {
			sleep_until(next);
			next += job->interval;
		}
		if (deadline && now_ns() >= deadline)
			break;
		len = snprintf(tag, TAG_LEN, "%s-%d-%lu", job->prefix, w, i);

		if ((unsigned long)len < job->bytes) {
			memset(tag + len, 'x', job->bytes - len);
			tag[job->bytes] = '\0';
		}
		pid = job->vfork ? vfork() : fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			if (job->stamp)
				sh->slots[w * job->count + i] = now_ns();
			execve(job->prog, argv, envp);
			_exit(127);
		}
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR)
				die("waitpid");
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			sh->execs[w]++;
			if (job->pids)
				sh->slots[w * job->count + i] = pid;
		} else
			sh->failed[w]++;
	}
	exit(0);
}

int main(int argc, char **argv)
{
	struct job job = { .nargs = 1 };
	unsigned long jobs = 1, execs = 0, failed = 0, i;
	pid_t pids[MAX_JOBS];
	double seconds = 0;
	struct sigaction sa;
	struct shared *sh;
	uint64_t start, elapsed;
	size_t size;
	int gate[2], opt, left, forwarded = 0;

	while ((opt = getopt(argc, argv, "j:n:d:i:a:b:psvPt:h")) != -1) {
		switch (opt) {
		case 'j':
			jobs = parse_ulong(optarg, MAX_JOBS);
			break;
		case 'n':
			job.count = parse_ulong(optarg, 100000000);
			break;
		case 'd':
			seconds = parse_seconds(optarg);
			break;
		case 'i':
			job.interval = parse_ulong(optarg, 60000000) * 1000ull;
			break;
		case 'a':
			job.nargs = parse_ulong(optarg, MAX_ARGS);
			break;
		case 'b':
			job.bytes = parse_ulong(optarg, MAX_BYTES);
			break;
		case 'p':
			job.pin = 1;
			break;
		case 's':
			job.stamp = 1;
			break;
		case 'v':
			job.vfork = 1;
			break;
		case 'P':
			job.pids = 1;
			break;
		case 't':
			job.prefix = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind != argc - 1 || !job.prefix || !jobs || !job.nargs || (!job.count && !seconds) ||
	    ((job.stamp || job.pids) && !job.count) || (job.stamp && job.pids) ||
	    strlen(job.prefix) > TAG_LEN / 2) {
		fputs(usage, stderr);
		return 2;
	}
	job.prog = argv[optind];
	job.duration = (uint64_t)(seconds * 1e9);

	size = sizeof(*sh) + (job.stamp || job.pids ? jobs * job.count * sizeof(uint64_t) : 0);
	sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (pipe(gate))
		die("pipe");
	for (i = 0; i < jobs; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(gate[1]);
			worker(&job, i, gate[0], sh);
		}
	}
	close(gate[0]);
	start = now_ns();
	close(gate[1]);

	for (left = jobs; left > 0;) {
		if (stop && !forwarded) {
			for (i = 0; i < jobs; i++)
				kill(pids[i], SIGTERM);
			forwarded = 1;
		}
		if (wait(NULL) < 0) {
			if (errno == EINTR)
				continue;
			die("wait");
		}
		left--;
	}
	elapsed = now_ns() - start;

	for (i = 0; i < jobs; i++) {
		execs += sh->execs[i];
		failed += sh->failed[i];
	}
	printf("execs %lu failed %lu elapsed_ns %llu\n", execs, failed,
	       (unsigned long long)elapsed);
	if (job.stamp || job.pids) {
		for (i = 0; i < jobs * job.count; i++) {
			if (sh->slots[i])
				printf("%s-%lu-%lu %llu\n", job.prefix, i / job.count,
				       i % job.count, (unsigned long long)sh->slots[i]);
		}
	}
	return failed ? 1 : 0;
}
