// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * spawners: N distinct processes that each exec, then spawn one child that
 * execs PROG, for tests of what execsnoop keeps per process.
 *
 *	spawners N PROG PREFIX
 *
 * Spawner i is this program exec'd again as "spawners -s PROG PREFIX-i";
 * its child runs "PROG PREFIX-i". One spawner at a time. Exits 0 when every
 * exec succeeded and every child exited 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs argv in a child and waits for it; true when it exited 0. */
static int run(char *path, char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 0;
	if (!pid) {
		execv(path, argv);
		_exit(127);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	char self[4096], tag[256];
	long n, i;
	ssize_t len;

	if (argc == 4 && !strcmp(argv[1], "-s")) {
		char *child[] = { argv[2], argv[3], NULL };

		return run(argv[2], child) ? 0 : 1;
	}
	if (argc != 4 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: spawners N PROG PREFIX\n");
		return 2;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0)
		return 1;
	self[len] = '\0';
	for (i = 0; i < n; i++) {
		char *spawner[] = { "spawners", "-s", argv[2], tag, NULL };

		snprintf(tag, sizeof(tag), "%s-%ld", argv[3], i);
		if (!run(self, spawner)) {
			fprintf(stderr, "spawners: spawner %ld failed\n", i);
			return 1;
		}
	}
	return 0;
}
