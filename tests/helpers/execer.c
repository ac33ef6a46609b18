// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * execer: performs the exec scenarios of the end-to-end tests and writes, for
 * every exec it made, what execsnoop must report for it.
 *
 * Build: cc -O2 -Wall -Wextra -Werror -pthread tests/helpers/execer.c -o .output/tests/execer
 *
 * Each exec becomes one tab-separated record:
 *	MODE CUT MIN COMM PID PPID RET PATH [ARG...]
 * COMM, PATH and each ARG are bytes, written as lowercase hex digits with no
 * other change (an empty argument is an empty field): the comm, the path as
 * execsnoop shows it (at most FNAME_MAX - 1 bytes of it) and argv[1..] (at
 * most -m N of them). PID and PPID are as the host sees them.
 *	MODE '=': exactly that.
 *	MODE '~': the exec failed before the kernel read some of the argument
 *		  pages, so they were not readable: exactly that, or the path and
 *		  a prefix of the arguments (the last one possibly partial) marked
 *		  as cut, holding at least MIN bytes of the path and argument
 *		  data (the path and each whole argument count their length + 1:
 *		  what was resident); the path may be missing only when MIN is 0.
 *	MODE '+': more arguments than are captured (set by -e, and for an exec
 *		  killed part-way): a proper prefix of the arguments, at least MIN
 *		  bytes as above, marked as cut.
 *	CUT is 1 when execsnoop must mark the exec as cut (a bad pointer, -m,
 *	a path longer than execsnoop captures), 0 when it must not.
 *	RET is 0, a negative errno, or "killed" (the exec was cut short by the
 *	process being killed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/types.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include "../../execsnoop.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

#define BAD_PTR	     ((char *)1)
#define BAD_ARGV     ((char **)1)
#define BAD_FD	     987 /* never open: execveat fails with EBADF */
#define REPORT_FD    100 /* where performers write their reports */
#define COMM_LEN     16
#define BLOCK	     65536	 /* wider than the kernel's fault-around window */
#define MAP_ARGS_OFF (2 * BLOCK) /* arguments this far from the path in a mapped file */

enum where { IN_CHILD, IN_THREAD, IN_ORPHAN_THREAD, IN_PIDNS, IN_PIDNS_CHILD };

/* One exec call and what execsnoop must show for it. */
struct attempt {
	bool at;       /* execveat rather than execve */
	int fd;	       /* execveat's dirfd */
	int flags;     /* execveat's flags */
	char *path;    /* as passed */
	char **argv;   /* as passed: NULL, BAD_ARGV or NULL-terminated */
	char *shown;   /* the path as execsnoop shows it */
	char *comm_ok; /* comm after a successful exec */
	char **words;  /* argv[1..] that can be read, the parent's copy */
	int nwords;
	bool cut;	 /* some arguments can not be read at all (bad pointer) */
	bool fresh;	 /* the arguments must not be resident before the exec */
	size_t *lens;	 /* of path then words, for the residency check; NULL: none */
	size_t *map_off; /* of path then words in the mapped file; NULL: not mapped */
	bool killed;	 /* the process is killed while the kernel counts argv */
};

struct plan {
	struct attempt *a;
	int n;
	int map_fd; /* file whose mapping holds the strings, or -1 */
	size_t map_len;
	bool chain; /* the report pipe must survive exec */
	int race;   /* threads that exec at once; no records */
	char *race_path;
	char *race_tag;
	long fill;    /* threads whose execs are held in flight at once; no records */
	long kill_ms; /* after this long in the exec call, the process is killed */
};

/* A performer's report to the parent, one per exec call and one per failure. */
struct msg {
	int32_t kind;
	int32_t idx;
	int32_t pid;  /* host tgid */
	int32_t ppid; /* host tgid of the parent */
	int32_t err;
	int32_t prefix; /* path and words resident from the start */
	int32_t any;	/* words resident anywhere */
	char comm[COMM_LEN];
};

enum { MSG_TRY = 1, MSG_FAIL };

static struct {
	const char *out;
	long max_args; /* -1: no limit */
	enum where where;
	char *argv0;
	long reps;
	const char *comm;
	bool o_path;
	int fixed_fd;
	char mode; /* 0: per record */
	size_t min;
	bool check_ret;
	long ret;
	bool verbose;
	bool int80; /* exec through the i386 entry */
} opt = { .max_args = -1, .argv0 = "argv0-is-not-shown", .reps = 1, .fixed_fd = -1 };

static char *noop_env[] = { "EXECER_NOOP=1", NULL };
static char self[PATH_MAX];
static int pagemap_fd = -1;

/*
 * Strings that no page of is mapped in a child right after fork(): read-only
 * file pages are not copied into the child's page tables. The path and the
 * arguments sit in different fault-around windows, so that the kernel reading
 * the path does not map the arguments.
 */
struct block {
	char s[BLOCK];
};

static const struct block lit_paths
	__attribute__((aligned(BLOCK))) = { "/proc/self/exe\0/nonexistent-execsnoop-test/prog" };

#define LIT_OK	  0
#define LIT_NOENT 15
#define LIT_NARGS 5

static const struct block lit_args __attribute__((aligned(BLOCK))) = { "unfaulted-literal-1\0"
								       "h\xc3\xa9llo w\xc3\xb6rld\0"
								       "tab\there\0"
								       "\xff\xfe-bytes\0"
								       "last \"quoted\" \\ arg" };

static void die(const char *what)
{
	fprintf(stderr, "execer: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fail(int status, const char *what)
{
	fprintf(stderr, "execer: %s\n", what);
	exit(status);
}

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		die("calloc");
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("strdup");
	return p;
}

static long number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "execer: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

/* Growing byte buffer. */
struct buf {
	char *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			die("realloc");
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* comm as the kernel sets it: at most 15 bytes. */
static char *comm_of(const char *name)
{
	char c[COMM_LEN] = "";

	strncpy(c, name, COMM_LEN - 1);
	return xstrdup(c);
}

/* Page residency from /proc/self/pagemap; reading it never faults a page in. */
static bool resident(const char *p, size_t n)
{
	long psz = sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(psz - 1);
	uint64_t e;

	for (; a < (uintptr_t)p + n; a += psz) {
		if (pread(pagemap_fd, &e, sizeof(e), (off_t)(a / psz) * 8) != sizeof(e))
			return false;
		if (!(e >> 63))
			return false;
	}
	return true;
}

/* Counts path and words resident from the start (prefix), and words resident at all. */
static void residency(const struct attempt *a, int32_t *prefix, int32_t *any)
{
	bool gap = false;
	int i;

	*prefix = *any = -1;
	if (!a->lens || pagemap_fd < 0)
		return;
	*prefix = *any = 0;
	for (i = 0; i <= a->nwords; i++) {
		const char *s = i ? a->argv[i] : a->path;
		bool r = resident(s, a->lens[i] + 1);

		if (r && !gap)
			(*prefix)++;
		if (!r)
			gap = true;
		if (r && i)
			(*any)++;
	}
}

static volatile int exec_called; /* for the killer thread */

static void report(int fd, const struct msg *m)
{
	if (write(fd, m, sizeof(*m)) != sizeof(*m))
		_exit(120);
}

/* Tgid and parent as the host sees them: /proc is the host's. */
static void host_ids(int32_t *pid, int32_t *ppid)
{
	char buf[8192], *p;
	ssize_t n, len = 0;
	int fd;

	*pid = *ppid = -1;
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	p = strstr(buf, "\nTgid:");
	if (p)
		*pid = atoi(p + 6);
	p = strstr(buf, "\nPPid:");
	if (p)
		*ppid = atoi(p + 6);
}

#ifdef __x86_64__
/* Copies s below 4 GiB at *p; returns its 32-bit address. */
static uint32_t low_copy(char **p, const char *s)
{
	uint32_t at = (uint32_t)(uintptr_t)*p;

	strcpy(*p, s);
	*p += strlen(s) + 1;
	return at;
}

/*
 * execve or execveat through the i386 system call entry (int $0x80) from
 * this 64-bit process: path, argv and envp copied below 4 GiB, as 32-bit
 * pointers. Returns only on failure, with errno set.
 */
static void int80_exec(const struct attempt *a)
{
	size_t size = 4096 + strlen(a->path) + 1, nargs = 0, i;
	uint32_t *argv, *envp, path;
	char *map, *p;
	long ret;

	if (a->argv && a->argv != BAD_ARGV) {
		for (; a->argv[nargs]; nargs++)
			size += a->argv[nargs] == BAD_PTR ? 0 : strlen(a->argv[nargs]) + 1;
	}
	size += (nargs + 4) * sizeof(uint32_t) + strlen(noop_env[0]) + 1;
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1,
		   0);
	if (map == MAP_FAILED)
		return;
	envp = (uint32_t *)map;
	argv = envp + 2;
	p = (char *)(argv + nargs + 1);
	envp[0] = low_copy(&p, noop_env[0]);
	envp[1] = 0;
	path = low_copy(&p, a->path);
	for (i = 0; i < nargs; i++)
		argv[i] = a->argv[i] == BAD_PTR ? 1 : low_copy(&p, a->argv[i]);
	argv[nargs] = 0;
	if (!a->argv)
		argv = NULL;
	/* the i386 entry returns with r8-r15 cleared */
	if (a->at)
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(358), "b"(a->fd), "c"(path),
				   "d"(a->argv == BAD_ARGV ? 1 : (uint32_t)(uintptr_t)argv),
				   "S"((uint32_t)(uintptr_t)envp), "D"(a->flags)
				 : "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory",
				   "cc");
	else
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(11), "b"(path),
				   "c"(a->argv == BAD_ARGV ? 1 : (uint32_t)(uintptr_t)argv),
				   "d"((uint32_t)(uintptr_t)envp)
				 : "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory",
				   "cc");
	errno = -ret;
}
#else
static void int80_exec(const struct attempt *a)
{
	(void)a;
	errno = ENOSYS;
}
#endif

/* Makes one exec call; returns when it failed, after reporting both. */
static void try_exec(const struct attempt *a, int idx, int rfd)
{
	struct msg m = { .kind = MSG_TRY, .idx = idx };

	host_ids(&m.pid, &m.ppid);
	prctl(PR_GET_NAME, m.comm, 0, 0, 0);
	residency(a, &m.prefix, &m.any);
	report(rfd, &m);
	exec_called = 1;
	if (opt.int80)
		int80_exec(a);
	else if (a->at)
		syscall(SYS_execveat, a->fd, a->path, a->argv, noop_env, a->flags);
	else
		syscall(SYS_execve, a->path, a->argv, noop_env);
	m.kind = MSG_FAIL;
	m.err = errno;
	residency(a, &m.prefix, &m.any);
	report(rfd, &m);
}

/* Points path and argv into a fresh private mapping of the strings file. */
static void map_strings(const struct plan *pl)
{
	char *base;
	int i, j;

	base = mmap(NULL, pl->map_len, PROT_READ, MAP_PRIVATE, pl->map_fd, 0);
	if (base == MAP_FAILED)
		_exit(121);
	for (i = 0; i < pl->n; i++) {
		struct attempt *a = &pl->a[i];

		if (!a->map_off)
			continue;
		a->path = base + a->map_off[0];
		for (j = 0; j < a->nwords; j++)
			a->argv[j + 1] = base + a->map_off[j + 1];
	}
}

static pthread_barrier_t race_barrier;

static const struct plan *the_plan;

static void *race_thread(void *arg)
{
	char *argv[] = { opt.argv0, arg, NULL };

	pthread_barrier_wait(&race_barrier);
	syscall(SYS_execve, the_plan->race_path, argv, noop_env);
	return NULL;
}

/* Kills the process KILL_MS after the exec call was made. */
static void *killer_thread(void *arg)
{
	const struct plan *pl = arg;

	while (!exec_called)
		usleep(1000);
	usleep(pl->kill_ms * 1000);
	kill(getpid(), SIGKILL);
	return NULL;
}

static void *fill_thread(void *page)
{
	char *argv[] = { opt.argv0, the_plan->race_tag, NULL };

	syscall(SYS_execve, page, argv, noop_env);
	return NULL;
}

/*
 * Holds pl->fill execs in flight at once, each in its own thread: their path
 * is on a page that userfaultfd keeps missing until every thread has faulted
 * on it; then the path is filled in and they all go on.
 */
static void hold_execs(const struct plan *pl)
{
	long psz = sysconf(_SC_PAGESIZE), seen = 0, i;
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = {};
	struct uffdio_copy copy = {};
	pthread_t *t = xmalloc(pl->fill * sizeof(*t));
	struct uffd_msg msg;
	pthread_attr_t attr;
	char *page, *src;
	int ufd;

	ufd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (ufd < 0 || ioctl(ufd, UFFDIO_API, &api))
		_exit(130);
	page = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	src = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || src == MAP_FAILED)
		_exit(131);
	reg.range.start = (uintptr_t)page;
	reg.range.len = psz;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(ufd, UFFDIO_REGISTER, &reg))
		_exit(131);
	snprintf(src, psz, "%s", pl->race_path);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (i = 0; i < pl->fill; i++)
		if (pthread_create(&t[i], &attr, fill_thread, page))
			_exit(132);
	while (seen < pl->fill) {
		if (read(ufd, &msg, sizeof(msg)) != sizeof(msg)) {
			if (errno == EINTR)
				continue;
			_exit(133);
		}
		if (msg.event == UFFD_EVENT_PAGEFAULT)
			seen++;
	}
	copy.dst = (uintptr_t)page;
	copy.src = (uintptr_t)src;
	copy.len = psz;
	if (ioctl(ufd, UFFDIO_COPY, &copy))
		_exit(134);
	for (i = 0; i < pl->fill; i++)
		pthread_join(t[i], NULL);
}

/* Runs the plan's exec calls in the calling thread; never returns. */
static void perform(const struct plan *pl)
{
	int i;

	if (opt.comm)
		prctl(PR_SET_NAME, opt.comm, 0, 0, 0);
	if (pl->fill) {
		struct msg m = { .kind = MSG_TRY };

		host_ids(&m.pid, &m.ppid);
		report(REPORT_FD, &m);
		hold_execs(pl);
		_exit(0);
	}
	if (pl->kill_ms) {
		pthread_t t;

		if (pthread_create(&t, NULL, killer_thread, (void *)pl))
			_exit(122);
	}
	if (pl->race) {
		pthread_t t;

		pthread_barrier_init(&race_barrier, NULL, pl->race);
		for (i = 0; i < pl->race; i++) {
			char *tag = xmalloc(64);

			snprintf(tag, 64, "%.40s-race-%d", pl->race_tag, i);
			if (i == pl->race - 1)
				race_thread(tag);
			else if (pthread_create(&t, NULL, race_thread, tag))
				_exit(122);
		}
		/* every exec failed */
		_exit(0);
	}
	pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (pl->map_fd >= 0)
		map_strings(pl);
	if (pl->chain && fcntl(REPORT_FD, F_SETFD, 0))
		_exit(123);
	for (i = 0; i < pl->n; i++)
		try_exec(&pl->a[i], i, REPORT_FD);
	_exit(0);
}

static void *thread_main(void *arg)
{
	(void)arg;
	perform(the_plan);
	return NULL;
}

/* Waits until the thread group leader has exited and is a zombie. */
static void *orphan_thread_main(void *arg)
{
	char path[64], buf[512], *p;
	int i, fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)getpid());
	for (i = 0; i < 5000; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			break;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
			break;
		usleep(1000);
	}
	return thread_main(arg);
}

static void __attribute__((noreturn)) wait_exit(pid_t pid)
{
	int st;

	close(REPORT_FD);
	if (waitpid(pid, &st, 0) < 0)
		_exit(124);
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

/* In the forked child: gets to the place the exec calls are made from. */
static void __attribute__((noreturn)) run_where(const struct plan *pl)
{
	pthread_t t;
	pid_t pid;

	the_plan = pl;
	switch (opt.where) {
	case IN_CHILD:
		perform(pl);
		break;
	case IN_THREAD:
		if (pthread_create(&t, NULL, thread_main, NULL))
			_exit(125);
		pthread_join(t, NULL);
		break;
	case IN_ORPHAN_THREAD:
		if (pthread_create(&t, NULL, orphan_thread_main, NULL))
			_exit(125);
		pthread_exit(NULL);
		break;
	case IN_PIDNS:
	case IN_PIDNS_CHILD:
		if (unshare(CLONE_NEWPID))
			_exit(126);
		pid = fork();
		if (pid < 0)
			_exit(126);
		if (pid > 0)
			wait_exit(pid);
		/* pid 1 of the new namespace */
		if (opt.where == IN_PIDNS)
			perform(pl);
		pid = fork();
		if (pid < 0)
			_exit(126);
		if (pid > 0)
			wait_exit(pid);
		perform(pl);
		break;
	}
	_exit(0);
}

static const char *errname(int e)
{
	static char s[32];

	switch (e) {
	case ENOENT:
		return "ENOENT";
	case EACCES:
		return "EACCES";
	case ENOEXEC:
		return "ENOEXEC";
	case EFAULT:
		return "EFAULT";
	case EBADF:
		return "EBADF";
	case E2BIG:
		return "E2BIG";
	case ELOOP:
		return "ELOOP";
	case ENOTDIR:
		return "ENOTDIR";
	}
	snprintf(s, sizeof(s), "errno %d", e);
	return s;
}

/* Writes N bytes of S as lowercase hex digits. */
static void put_hex(FILE *out, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		putc(digits[(unsigned char)s[i] >> 4], out);
		putc(digits[(unsigned char)s[i] & 0xf], out);
	}
}

/* Writes the record for one exec call. */
static void record(FILE *out, const struct attempt *a, const struct msg *try,
		   const struct msg *failed)
{
	int prefix = failed ? failed->prefix : a->killed ? 2 : -1;
	const char *caller = failed || a->killed ? try->comm : a->comm_ok;
	size_t path_len = strlen(a->shown), min = 0;
	char mode = '=', ret[16] = "killed";
	int shown = a->nwords, i;
	bool cut = a->cut;

	if (opt.max_args >= 0 && shown > opt.max_args) {
		shown = opt.max_args;
		cut = true;
	}
	/* execsnoop captures FNAME_MAX - 1 bytes of a path */
	if (path_len > FNAME_MAX - 1) {
		path_len = FNAME_MAX - 1;
		cut = true;
	}
	/* words that are not all resident after a failure could not be read */
	if (failed && prefix >= 0 && prefix < 1 + shown)
		mode = '~';
	else if (a->killed)
		mode = '+'; /* the first word, then as many as are captured */
	/* what must come whole: the resident path and words; the path and first word of a killed exec */
	if (mode != '=')
		for (i = 0; i < prefix && i <= shown; i++)
			min += (i ? strlen(a->words[i - 1]) : path_len) + 1;
	if (opt.mode) {
		mode = opt.mode;
		min = opt.min;
	}
	if (!a->killed)
		snprintf(ret, sizeof(ret), "%d", failed ? -failed->err : 0);
	fprintf(out, "%c\t%d\t%zu\t", mode, cut, min);
	put_hex(out, caller, strnlen(caller, COMM_LEN - 1));
	fprintf(out, "\t%d\t%d\t%s\t", try->pid, try->ppid, ret);
	put_hex(out, a->shown, path_len);
	for (i = 0; i < shown; i++) {
		putc('\t', out);
		put_hex(out, a->words[i], strlen(a->words[i]));
	}
	putc('\n', out);
}

static bool read_msg(int fd, struct msg *m)
{
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(*m)) {
		n = read(fd, (char *)m + got, sizeof(*m) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += n;
	}
	return true;
}

/* Runs the plan once in a new process and writes its records; returns the last RET. */
static long run_once(const struct plan *pl, FILE *out)
{
	struct msg *tries = xmalloc(pl->n * sizeof(*tries));
	struct msg *fails = xmalloc(pl->n * sizeof(*fails));
	int p[2], st, i, done = -1;
	long last = 1;
	struct msg m;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		die("pipe2");
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		if (dup3(p[1], REPORT_FD, O_CLOEXEC) < 0)
			_exit(127);
		close(p[1]);
		run_where(pl);
	}
	close(p[1]);
	while (read_msg(p[0], &m)) {
		if (m.idx < 0 || m.idx >= pl->n)
			fail(1, "report for an unknown exec");
		if (m.kind == MSG_TRY)
			tries[m.idx] = m;
		else
			fails[m.idx] = m;
	}
	close(p[0]);
	if (waitpid(pid, &st, 0) < 0)
		die("waitpid");
	if (pl->fill && tries[0].kind)
		fprintf(out, "%d\n", tries[0].pid);
	if (pl->race || pl->fill)
		return 0;
	for (i = 0; i < pl->n && tries[i].kind; i++) {
		const struct attempt *a = &pl->a[i];

		if (done >= 0 && !pl->chain)
			fail(1, "an exec was made after one that succeeded");
		if (a->fresh && tries[i].any != 0) {
			fprintf(stderr,
				"execer: scenario not realized: %d argument(s) resident before the exec\n",
				tries[i].any);
			exit(3);
		}
		if (opt.verbose)
			fprintf(stderr,
				"execer: exec %d: resident before: path+%d leading, %d of %d args; after: %d leading, %d args\n",
				i, tries[i].prefix, tries[i].any, a->nwords,
				fails[i].kind ? fails[i].prefix : -1,
				fails[i].kind ? fails[i].any : -1);
		if (a->killed) {
			if (fails[i].kind || !WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
				fprintf(stderr, "execer: scenario not realized: the exec call %s\n",
					fails[i].kind ? "returned before the kill"
						      : "was not killed");
				exit(3);
			}
			record(out, a, &tries[i], NULL);
		} else if (fails[i].kind) {
			record(out, a, &tries[i], &fails[i]);
			last = -fails[i].err;
		} else {
			record(out, a, &tries[i], NULL);
			last = 0;
			done = i;
		}
	}
	if (i == 0)
		fail(1, "the performer made no exec call");
	fflush(out);
	free(tries);
	free(fails);
	/* an exec that did not return, yet the process died of a signal: it may never have run */
	if (done >= 0 && WIFSIGNALED(st) && !pl->kill_ms) {
		fprintf(stderr,
			"execer: the exec call did not return, but the process was killed by signal %d (%s)\n",
			WTERMSIG(st), strsignal(WTERMSIG(st)));
		exit(1);
	}
	if (done >= 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0) && !WIFSIGNALED(st))
		fprintf(stderr, "execer: note: the executed program exited with status %d\n",
			WEXITSTATUS(st));
	if (done < 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0) && !pl->kill_ms) {
		fprintf(stderr, "execer: the performer ended with status 0x%x\n", st);
		exit(1);
	}
	if (last < 0 && opt.verbose)
		fprintf(stderr, "execer: note: last exec failed with %s\n", errname(-last));
	return last;
}

/* Plan building. */

static struct attempt *add(struct plan *pl)
{
	pl->a = realloc(pl->a, (pl->n + 1) * sizeof(*pl->a));
	if (!pl->a)
		die("realloc");
	memset(&pl->a[pl->n], 0, sizeof(*pl->a));
	pl->a[pl->n].fd = AT_FDCWD;
	return &pl->a[pl->n++];
}

/* argv = { argv0, words..., [BAD_PTR], NULL } */
static void set_words(struct attempt *a, char **words, int n, bool bad_tail)
{
	int i;

	a->words = words;
	a->nwords = n;
	a->argv = xmalloc((n + 3) * sizeof(char *));
	a->argv[0] = opt.argv0;
	for (i = 0; i < n; i++)
		a->argv[i + 1] = words[i];
	if (bad_tail) {
		a->argv[n + 1] = BAD_PTR;
		a->cut = true;
	}
}

static void set_lens(struct attempt *a)
{
	int i;

	a->lens = xmalloc((a->nwords + 1) * sizeof(size_t));
	a->lens[0] = strlen(a->path);
	for (i = 0; i < a->nwords; i++)
		a->lens[i + 1] = strlen(a->words[i]);
}

static void plain(struct attempt *a, char *path)
{
	a->path = path;
	a->shown = path;
	a->comm_ok = comm_of(base_name(path));
}

static char *dev_fd(int fd, const char *name)
{
	char *s = xmalloc(strlen(name) + 32);

	if (*name)
		sprintf(s, "/dev/fd/%d/%s", fd, name);
	else
		sprintf(s, "/dev/fd/%d", fd);
	return s;
}

static int open_fd(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		die(path);
	if (opt.fixed_fd >= 0 && fd != opt.fixed_fd) {
		if (dup2(fd, opt.fixed_fd) < 0)
			die("dup2");
		close(fd);
		fd = opt.fixed_fd;
	}
	return fd;
}

/*
 * The program the kernel ends up loading for path: its #! interpreter, that
 * one's interpreter, and so on (binfmt_script).
 */
static const char *final_program(const char *path)
{
	static char interp[PATH_MAX];
	char buf[256], *p, *end;
	const char *cur = path;
	int depth, fd;
	ssize_t n;

	for (depth = 0; depth < 5; depth++) {
		fd = open(cur, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			break;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n < 2 || buf[0] != '#' || buf[1] != '!')
			break;
		buf[n] = '\0';
		for (p = buf + 2; *p == ' ' || *p == '\t'; p++)
			;
		for (end = p; *end && *end != ' ' && *end != '\t' && *end != '\n'; end++)
			;
		*end = '\0';
		snprintf(interp, sizeof(interp), "%s", p);
		cur = interp;
	}
	return cur;
}

/* execveat(dirfd or AT_FDCWD, name): the kernel's name for it, as in alloc_bprm(). */
static void at_name(struct attempt *a, int fd, char *name, int flags)
{
	a->at = true;
	a->fd = fd;
	a->flags = flags;
	a->path = name;
	if (fd == AT_FDCWD || name[0] == '/')
		a->shown = name;
	else
		a->shown = dev_fd(fd, name);
	a->comm_ok = comm_of(base_name(a->shown));
}

/* COUNT generated words of LEN bytes, each naming the tag and its index. */
static char **gen_words(long count, long len, const char *tag)
{
	char **w = xmalloc(count * sizeof(char *));
	long i, k;

	for (i = 0; i < count; i++) {
		w[i] = xmalloc(len + 1);
		k = snprintf(w[i], len + 1, "%s-%05ld-", tag, i);
		if (k > len)
			k = len;
		for (; k < len; k++)
			w[i][k] = 'a' + (i + k) % 26;
		w[i][len] = '\0';
	}
	return w;
}

/* Writes path and words to a temporary file, path first, words two blocks later. */
static void map_file(struct plan *pl, struct attempt *a)
{
	char name[] = "/tmp/execer-map.XXXXXX";
	size_t off = MAP_ARGS_OFF, total;
	struct buf b = {};
	int fd, i;

	a->map_off = xmalloc((a->nwords + 1) * sizeof(size_t));
	total = off;
	for (i = 0; i < a->nwords; i++)
		total += strlen(a->words[i]) + 1;
	b.p = xmalloc(total + 1);
	b.cap = total + 1;
	put(&b, a->path, strlen(a->path) + 1);
	b.len = off;
	for (i = 0; i < a->nwords; i++) {
		a->map_off[i + 1] = b.len;
		put(&b, a->words[i], strlen(a->words[i]) + 1);
	}
	fd = mkstemp(name);
	if (fd < 0)
		die("mkstemp");
	unlink(name);
	if (write(fd, b.p, b.len) != (ssize_t)b.len)
		die("write");
	if (fcntl(fd, F_SETFD, FD_CLOEXEC))
		die("fcntl");
	pl->map_fd = fd;
	pl->map_len = b.len;
	a->fresh = true;
	free(b.p);
}

static void usage(void)
{
	fputs("usage: execer [options] SCENARIO [ARG...]\n"
	      "options:\n"
	      "  -o FILE     append the records to FILE (default: stdout)\n"
	      "  -m N        the arguments execsnoop --max-args N reports\n"
	      "  -w WHERE    exec from: child (default), thread, orphan-thread (the leader\n"
	      "              has exited), pidns (pid 1 of a new pid namespace), pidns-child\n"
	      "  -0 ARGV0    argv[0] to pass (never shown)\n"
	      "  -r N        do it N times, each in a new process\n"
	      "  -N COMM     set the comm of the exec'ing thread first\n"
	      "  -p          open the fd of execveat/fexecve with O_PATH\n"
	      "  -F FD       use this number for that fd\n"
	      "  -e MODE:MIN override every record's MODE and MIN (bytes of path and arguments)\n"
	      "  -R RET      fail (status 4) unless the last exec returned RET\n"
	      "  -v          tell on stderr which argument pages were resident\n"
	      "  -I          make the exec calls through int $0x80 (the i386 entry)\n"
	      "scenarios:\n"
	      "  exec PATH [ARG...]            execve(PATH, {ARGV0, ARG..., NULL})\n"
	      "  gen PATH COUNT LEN TAG        execve with COUNT generated args of LEN bytes\n"
	      "  execveat DIR NAME [ARG...]    execveat(open(DIR), NAME, ...)\n"
	      "  execveat-cwd NAME [ARG...]    execveat(AT_FDCWD, NAME, ...)\n"
	      "  fexecve FILE [ARG...]         execveat(open(FILE), \"\", ..., AT_EMPTY_PATH)\n"
	      "  argc0 PATH                    execve(PATH, NULL, envp)\n"
	      "  argc0-empty PATH              execve(PATH, {NULL}, envp)\n"
	      "  bad-argv PATH                 execve(PATH, (char **)1, envp): EFAULT\n"
	      "  bad-arg PATH [ARG...]         a bad pointer after the good args: EFAULT\n"
	      "  bad-fd NAME [ARG...]          execveat(987, NAME, ...): EBADF\n"
	      "  unfaulted-literal ok|enoent|bad-arg\n"
	      "                                path and args in read-only data untouched since fork\n"
	      "  unfaulted-literal-args PATH   only the args there\n"
	      "  unfaulted-map PATH [ARG...]   path and args in a fresh file mapping\n"
	      "  unfaulted-map-bad-arg PATH [ARG...]\n"
	      "  chain N PATH [ARG...]         exec itself N times, then PATH\n"
	      "  search NAME DIR[:DIR...] [ARG...]  try DIR/NAME in turn until one runs\n"
	      "  race THREADS PATH TAG         THREADS threads exec PATH TAG-race-I at once;\n"
	      "                                no records: one of them wins\n"
	      "  in-flight N PATH TAG          N threads exec PATH TAG, all held in flight at\n"
	      "                                once (userfaultfd); the record is the pid\n"
	      "  kill-in-exec PATH COUNT MS TAG  execve with TAG and COUNT more args; the\n"
	      "                                process is killed MS ms into the call\n"
	      "  report-self FILE [ARG...]     (not a scenario) append this exec's own record\n"
	      "                                to FILE: for execs the kernel starts\n",
	      stderr);
	exit(2);
}

static void need(int argc, int n)
{
	if (argc < n)
		usage();
}

static void build(struct plan *pl, int argc, char **argv)
{
	const char *sc = argv[0];
	struct attempt *a;
	int i;

	pl->map_fd = -1;
	need(argc, 2);
	if (!strcmp(sc, "exec")) {
		a = add(pl);
		plain(a, argv[1]);
		set_words(a, argv + 2, argc - 2, false);
	} else if (!strcmp(sc, "gen")) {
		long count, len;

		need(argc, 5);
		count = number(argv[2], 0, 1000000);
		len = number(argv[3], 1, 1000000);
		a = add(pl);
		plain(a, argv[1]);
		set_words(a, gen_words(count, len, argv[4]), count, false);
	} else if (!strcmp(sc, "execveat")) {
		need(argc, 3);
		a = add(pl);
		at_name(a, open_fd(argv[1], (opt.o_path ? O_PATH : O_RDONLY) | O_DIRECTORY),
			argv[2], 0);
		set_words(a, argv + 3, argc - 3, false);
	} else if (!strcmp(sc, "execveat-cwd")) {
		a = add(pl);
		at_name(a, AT_FDCWD, argv[1], 0);
		set_words(a, argv + 2, argc - 2, false);
	} else if (!strcmp(sc, "fexecve")) {
		char real[PATH_MAX];

		a = add(pl);
		at_name(a, open_fd(argv[1], opt.o_path ? O_PATH : O_RDONLY), "", AT_EMPTY_PATH);
		/* comm is the name of the file finally run (comm_from_dentry) */
		if (!realpath(final_program(argv[1]), real))
			die(argv[1]);
		a->comm_ok = comm_of(base_name(real));
		set_words(a, argv + 2, argc - 2, false);
	} else if (!strcmp(sc, "argc0") || !strcmp(sc, "argc0-empty")) {
		a = add(pl);
		plain(a, argv[1]);
		if (!strcmp(sc, "argc0-empty"))
			a->argv = xmalloc(sizeof(char *));
	} else if (!strcmp(sc, "bad-argv")) {
		a = add(pl);
		plain(a, argv[1]);
		a->argv = BAD_ARGV;
		a->cut = true;
	} else if (!strcmp(sc, "bad-arg")) {
		a = add(pl);
		plain(a, argv[1]);
		set_words(a, argv + 2, argc - 2, true);
	} else if (!strcmp(sc, "bad-fd")) {
		a = add(pl);
		close(BAD_FD);
		at_name(a, BAD_FD, argv[1], argv[1][0] ? 0 : AT_EMPTY_PATH);
		set_words(a, argv + 2, argc - 2, false);
	} else if (!strcmp(sc, "unfaulted-literal")) {
		char **w = xmalloc(LIT_NARGS * sizeof(char *));
		const char *s = lit_args.s;
		const char *v = argv[1];

		for (i = 0; i < LIT_NARGS; i++, s += strlen(s) + 1)
			w[i] = (char *)s;
		a = add(pl);
		if (!strcmp(v, "ok") || !strcmp(v, "bad-arg"))
			plain(a, (char *)lit_paths.s + LIT_OK);
		else if (!strcmp(v, "enoent"))
			plain(a, (char *)lit_paths.s + LIT_NOENT);
		else
			usage();
		set_words(a, w, LIT_NARGS, !strcmp(v, "bad-arg"));
		set_lens(a);
		a->fresh = true;
	} else if (!strcmp(sc, "unfaulted-literal-args")) {
		char **w = xmalloc(LIT_NARGS * sizeof(char *));
		const char *s = lit_args.s;

		for (i = 0; i < LIT_NARGS; i++, s += strlen(s) + 1)
			w[i] = (char *)s;
		a = add(pl);
		plain(a, argv[1]);
		set_words(a, w, LIT_NARGS, false);
		set_lens(a);
		a->fresh = true;
	} else if (!strcmp(sc, "unfaulted-map") || !strcmp(sc, "unfaulted-map-bad-arg")) {
		char **w = xmalloc((argc - 2) * sizeof(char *) + 1);

		/* the parent's copies, for the records */
		for (i = 2; i < argc; i++)
			w[i - 2] = argv[i];
		a = add(pl);
		plain(a, argv[1]);
		set_words(a, w, argc - 2, !strcmp(sc, "unfaulted-map-bad-arg"));
		set_lens(a);
		map_file(pl, a);
	} else if (!strcmp(sc, "chain")) {
		long n, j;

		need(argc, 3);
		n = number(argv[1], 0, 100);
		pl->chain = true;
		for (j = 0; j < n; j++) {
			char **w = xmalloc((argc + 3) * sizeof(char *));

			w[0] = "chain-step";
			w[1] = xmalloc(16);
			sprintf(w[1], "%d", REPORT_FD);
			w[2] = xmalloc(16);
			sprintf(w[2], "%ld", j);
			w[3] = xmalloc(16);
			sprintf(w[3], "%ld", n - 1 - j);
			for (i = 2; i < argc; i++)
				w[i + 2] = argv[i];
			a = add(pl);
			plain(a, self);
			set_words(a, w, argc + 2, false);
		}
		a = add(pl);
		plain(a, argv[2]);
		set_words(a, argv + 3, argc - 3, false);
	} else if (!strcmp(sc, "search")) {
		char *dirs, *d, *save = NULL;

		need(argc, 3);
		dirs = xstrdup(argv[2]);
		for (d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
			char *p = xmalloc(strlen(d) + strlen(argv[1]) + 2);

			sprintf(p, "%s/%s", d, argv[1]);
			a = add(pl);
			plain(a, p);
			set_words(a, argv + 3, argc - 3, false);
		}
		if (!pl->n)
			usage();
	} else if (!strcmp(sc, "race")) {
		need(argc, 4);
		pl->race = number(argv[1], 1, 64);
		pl->race_path = argv[2];
		pl->race_tag = argv[3];
		add(pl);
	} else if (!strcmp(sc, "in-flight")) {
		need(argc, 4);
		pl->fill = number(argv[1], 1, 100000);
		pl->race_path = argv[2];
		pl->race_tag = argv[3];
		add(pl);
	} else if (!strcmp(sc, "kill-in-exec")) {
		long count, shown, j;

		need(argc, 5);
		count = number(argv[2], 1, 100000000);
		pl->kill_ms = number(argv[3], 1, 10000);
		a = add(pl);
		plain(a, argv[1]);
		a->argv = mmap(NULL, (count + 3) * sizeof(char *), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (a->argv == MAP_FAILED)
			die("mmap");
		a->argv[0] = opt.argv0;
		a->argv[1] = argv[4];
		for (j = 0; j < count; j++)
			a->argv[j + 2] = "x";
		/* the record: more words than are captured */
		shown = count < ARGS_MAX ? count : ARGS_MAX;
		a->words = xmalloc((shown + 1) * sizeof(char *));
		a->words[0] = argv[4];
		for (j = 0; j < shown; j++)
			a->words[j + 1] = "x";
		a->nwords = shown + 1;
		a->killed = true;
	} else {
		usage();
	}
}

/*
 * Started by the kernel (a core_pattern pipe helper): argv0 report-self FILE
 * [ARG...]. The kernel executes argv[0] as the path.
 */
static int report_self(int argc, char **argv)
{
	struct attempt a = { .shown = argv[0], .words = argv + 1, .nwords = argc - 1 };
	struct msg m = { .kind = MSG_TRY };
	FILE *out;

	host_ids(&m.pid, &m.ppid);
	a.comm_ok = comm_of(base_name(argv[0]));
	out = fopen(argv[2], "a");
	if (!out)
		return 1;
	record(out, &a, &m, NULL);
	return fclose(out) ? 1 : 0;
}

/* An image of the chain: argv0 chain-step FD IDX LEFT PATH [ARG...] */
static int chain_step(int argc, char **argv)
{
	struct attempt a = {};
	int rfd, idx, left, i;
	char num[2][16];

	if (argc < 6)
		return 2;
	rfd = number(argv[2], 0, 1023);
	idx = number(argv[3], 0, 100);
	left = number(argv[4], 0, 100);
	if (left > 0) {
		snprintf(num[0], sizeof(num[0]), "%d", idx + 1);
		snprintf(num[1], sizeof(num[1]), "%d", left - 1);
		argv[3] = num[0];
		argv[4] = num[1];
		a.path = self;
		a.argv = argv;
	} else {
		a.path = argv[5];
		a.argv = xmalloc((argc - 4) * sizeof(char *));
		a.argv[0] = argv[0];
		for (i = 6; i < argc; i++)
			a.argv[i - 5] = argv[i];
		if (fcntl(rfd, F_SETFD, FD_CLOEXEC))
			return 1;
	}
	try_exec(&a, idx + 1, rfd);
	return 1;
}

int main(int argc, char **argv)
{
	struct plan pl = {};
	FILE *out = stdout;
	long r, last = 0;
	ssize_t n;
	int c;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0)
		self[n] = '\0';
	if (argc > 1 && !strcmp(argv[1], "chain-step"))
		return chain_step(argc, argv);
	if (argc > 2 && !strcmp(argv[1], "report-self"))
		return report_self(argc, argv);
	if (getenv("EXECER_NOOP"))
		return 0;

	while ((c = getopt(argc, argv, "+o:m:w:0:r:N:pF:e:R:vIh")) != -1) {
		switch (c) {
		case 'o':
			opt.out = optarg;
			break;
		case 'm':
			opt.max_args = number(optarg, 0, INT_MAX);
			break;
		case 'w':
			if (!strcmp(optarg, "child"))
				opt.where = IN_CHILD;
			else if (!strcmp(optarg, "thread"))
				opt.where = IN_THREAD;
			else if (!strcmp(optarg, "orphan-thread"))
				opt.where = IN_ORPHAN_THREAD;
			else if (!strcmp(optarg, "pidns"))
				opt.where = IN_PIDNS;
			else if (!strcmp(optarg, "pidns-child"))
				opt.where = IN_PIDNS_CHILD;
			else
				usage();
			break;
		case '0':
			opt.argv0 = optarg;
			break;
		case 'r':
			opt.reps = number(optarg, 1, 1000000);
			break;
		case 'N':
			opt.comm = optarg;
			break;
		case 'p':
			opt.o_path = true;
			break;
		case 'F':
			opt.fixed_fd = number(optarg, 3, 1023);
			break;
		case 'e':
			if (!optarg[0] || optarg[1] != ':')
				usage();
			opt.mode = optarg[0];
			opt.min = number(optarg + 2, 0, LONG_MAX);
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'I':
			opt.int80 = true;
			break;
		case 'R':
			opt.check_ret = true;
			opt.ret = number(optarg, -4095, 0);
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	build(&pl, argc - optind, argv + optind);
	if (opt.out) {
		out = fopen(opt.out, "a");
		if (!out)
			die(opt.out);
	}
	for (r = 0; r < opt.reps; r++)
		last = run_once(&pl, out);
	if (out != stdout && fclose(out))
		die(opt.out);
	if (opt.check_ret && last != opt.ret) {
		fprintf(stderr, "execer: the last exec returned %ld (%s), not %ld\n", last,
			last ? errname(-last) : "success", opt.ret);
		return 4;
	}
	return 0;
}
