// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "errors.h"
#include "escape.h"
#include "execsnoop.h"
#include "launch.h"
#include "users.h"

/* What the command's process reports when it cannot exec. */
struct failure {
	int stage; /* STAGE_* */
	int err;
};

enum { STAGE_CREDS = 1, STAGE_EXEC };

/* The command whose signals are relayed: one a process. */
static struct launch *relayed;

/* Who the command runs as, when not as execsnoop does. */
struct creds {
	bool drop;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
	char *name; /* NULL when unknown */
	char *home;
};

/* A whole decimal id from the environment variable var; -ENOENT when unset. */
static int env_id(const char *var, unsigned long *v)
{
	const char *s = getenv(var);
	char sv[SHOWN_SIZE];
	char *end;

	if (!s)
		return -ENOENT;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || errno || *end || *v >= (uid_t)-1) {
		errmsg("invalid %s '%s': expected a number; --keep-root runs the command as root",
		       var, shown_value(sv, s));
		return -EINVAL;
	}
	return 0;
}

/* The primary group, then every group of /etc/group that lists the user, as initgroups does. */
static int find_groups(struct creds *c)
{
	size_t cap = 0;
	int err;

	err = users_add_group(c->gid, &c->groups, &c->ngroups, &cap);
	if (err || !c->name)
		return err;
	err = users_groups(c->name, &c->groups, &c->ngroups, &cap);
	if (err == -ENOMEM)
		return err;
	if (err)
		errmsg("warning: cannot read /etc/group: %s: the command runs with group %u only",
		       strerror(-err), (unsigned int)c->gid);
	return 0;
}

/* The --run-as user, with the groups /etc/group lists it in. 0 or -1 after an error. */
static int run_as_creds(struct creds *c, uid_t uid, gid_t gid)
{
	c->uid = uid;
	c->gid = gid;
	users_entry(c->uid, &c->name, &c->home);
	if (find_groups(c)) {
		errmsg("listing the groups of uid %u: %s", (unsigned int)uid, strerror(ENOMEM));
		return -1;
	}
	c->drop = true;
	return 0;
}

/* Under sudo, as root: the user who ran sudo, unless keep_root. 0 or -1 after an error. */
static int sudo_creds(struct creds *c, bool keep_root)
{
	unsigned long uid, gid;
	const char *user;
	int err;

	if (keep_root || getuid() != 0)
		return 0;
	err = env_id("SUDO_UID", &uid);
	if (err == -ENOENT || (!err && uid == 0))
		return 0;
	if (err)
		return -1;
	c->uid = uid;
	users_entry(c->uid, &c->name, &c->home);
	user = getenv("SUDO_USER");
	if (!c->name && user && *user)
		c->name = strdup(user);
	err = env_id("SUDO_GID", &gid);
	if (err == -EINVAL)
		return -1;
	if (err) {
		errmsg("SUDO_UID is set but not SUDO_GID: cannot tell the command's group; --keep-root runs it as root");
		return -1;
	}
	c->gid = gid;
	if (find_groups(c)) {
		errmsg("listing the groups of uid %lu: %s", uid, strerror(ENOMEM));
		return -1;
	}
	c->drop = true;
	return 0;
}

static void free_creds(struct creds *c)
{
	free(c->groups);
	free(c->name);
	free(c->home);
}

/* The command's process: waits at the gate, becomes the user, execs. */
static void __attribute__((noreturn))
run(int gate, int report, char **argv, const struct creds *c, const struct sigaction *chld)
{
	struct failure f = {};
	ssize_t n;
	char go;

	do
		n = read(gate, &go, 1);
	while (n < 0 && errno == EINTR);
	/* execsnoop could not start tracing, or died: leave without a word */
	if (n != 1)
		_exit(127);
	/* capabilities execsnoop was given to trace are not the command's (EINVAL: none to clear) */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL) {
		f.stage = STAGE_CREDS;
		goto fail;
	}
	if (c->drop) {
		if (setgroups(c->ngroups, c->groups) || setgid(c->gid) || setuid(c->uid)) {
			f.stage = STAGE_CREDS;
			goto fail;
		}
		/* what is not known of the user is unset: never left as the caller's (root's) */
		if (c->name) {
			setenv("USER", c->name, 1);
			setenv("LOGNAME", c->name, 1);
		} else {
			unsetenv("USER");
			unsetenv("LOGNAME");
		}
		if (c->home)
			setenv("HOME", c->home, 1);
		else
			unsetenv("HOME");
	}
	/* the command inherits what execsnoop was given */
	sigaction(SIGCHLD, chld, NULL);
	execvp(argv[0], argv);
	f.stage = STAGE_EXEC;
fail:
	f.err = errno;
	if (write(report, &f, sizeof(f)) < 0)
		_exit(126);
	_exit(f.stage == STAGE_EXEC && f.err == ENOENT ? 127 : 126);
}

int launch_prepare(struct launch *l, char **argv, const struct launch_as *as)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, chld;
	int gate[2], report[2];
	struct creds c = {};

	memset(l, 0, sizeof(*l));
	l->argv0 = argv[0];
	l->gate = l->report = l->pidfd = -1;
	if (as->uid != NO_UID ? run_as_creds(&c, as->uid, as->gid)
			      : sudo_creds(&c, as->keep_root)) {
		free_creds(&c);
		return -1;
	}
	l->uid = c.drop ? c.uid : NO_UID;
	l->gid = c.gid;
	if (pipe2(gate, O_CLOEXEC)) {
		errmsg_errno("creating a pipe", errno);
		free_creds(&c);
		return -1;
	}
	if (pipe2(report, O_CLOEXEC)) {
		errmsg_errno("creating a pipe", errno);
		close(gate[0]);
		close(gate[1]);
		free_creds(&c);
		return -1;
	}
	/*
	 * SIGCHLD ignored (inherited) would reap the command unseen and lose
	 * its status: the default from before the fork until the handler
	 */
	sigaction(SIGCHLD, &dfl, &chld);
	fflush(NULL);
	l->pid = fork();
	if (l->pid == 0) {
		close(gate[1]);
		close(report[0]);
		run(gate[0], report[1], argv, &c, &chld);
	}
	close(gate[0]);
	close(report[1]);
	free_creds(&c);
	l->gate = gate[1];
	l->report = report[0];
	if (l->pid < 0) {
		errmsg_errno("starting the command", errno);
		l->pid = 0;
		launch_close(l);
		return -1;
	}
	relayed = l;
	l->pidfd = syscall(SYS_pidfd_open, l->pid, 0);
	if (l->pidfd < 0) {
		errmsg_errno("opening a pidfd of the command", errno);
		launch_close(l);
		return -1;
	}
	return 0;
}

int launch_start(struct launch *l)
{
	struct failure f;
	char sv[SHOWN_SIZE];
	const char *what;
	ssize_t n;

	n = write(l->gate, "x", 1);
	close(l->gate);
	l->gate = -1;
	if (n != 1) {
		/* EPIPE: it ended at the gate, of a stop passed on to it; its status says so */
		if (errno != EPIPE)
			errmsg_errno("starting the command", errno);
		l->status = launch_wait(l);
		return -1;
	}
	/* the report's end closes at the exec; a failure comes before */
	do
		n = read(l->report, &f, sizeof(f));
	while (n < 0 && errno == EINTR);
	close(l->report);
	l->report = -1;
	if (n != sizeof(f))
		return 0;
	what = f.stage == STAGE_CREDS ? "cannot take the user's credentials for" : "cannot run";
	l->status = launch_wait(l);
	/* shells' statuses: not found, or found and not executable */
	errmsg("%s '%s': %s", what, shown_value(sv, l->argv0), strerror(f.err));
	return -1;
}

void launch_signal(struct launch *l, int sig)
{
	if (l->pid && !l->reaped)
		kill(l->pid, sig);
}

bool launch_relay(int sig, const siginfo_t *si)
{
	if (!relayed || relayed->ended)
		return false;
	if (si->si_pid == relayed->pid)
		return true;
	relayed->stop_asked = 1;
	if (si->si_code != SI_KERNEL)
		launch_signal(relayed, sig);
	return true;
}

bool launch_exited(const siginfo_t *si)
{
	if (!relayed || si->si_pid != relayed->pid || relayed->ended)
		return false;
	relayed->ended = 1;
	return relayed->stop_asked;
}

void launch_end(struct launch *l)
{
	l->ended = 1;
}

bool launch_ended(const struct launch *l)
{
	return l->ended;
}

int launch_wait(struct launch *l)
{
	int st;

	if (!l->pid || l->reaped)
		return l->status;
	while (waitpid(l->pid, &st, 0) < 0) {
		if (errno != EINTR) {
			l->reaped = true;
			l->status = 1;
			return l->status;
		}
	}
	l->reaped = true;
	if (WIFEXITED(st))
		l->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		l->status = 128 + WTERMSIG(st);
	else
		l->status = 1;
	return l->status;
}

void launch_close(struct launch *l)
{
	if (l->gate >= 0) {
		/* never let go: it leaves as it reads the end of the gate */
		close(l->gate);
		l->gate = -1;
	}
	launch_wait(l);
	if (l->report >= 0)
		close(l->report);
	if (l->pidfd >= 0)
		close(l->pidfd);
	l->report = l->pidfd = -1;
}
