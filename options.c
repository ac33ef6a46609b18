// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <linux/types.h>
#include "errors.h"
#include "execsnoop.h"
#include "options.h"

#ifndef EXECSNOOP_VERSION
#define EXECSNOOP_VERSION "1.0.0"
#endif

enum {
	OPT_MAX_ARGS = 1000,
	OPT_PRIORITY,
	OPT_RING_SIZE,
	OPT_CONTAINER,
	OPT_CWD,
	OPT_RUN_AS,
	OPT_TREE,
	OPT_INTERVAL,
	OPT_QUIET,
	OPT_KEEP_ROOT,
	OPT_JOURNAL,
	OPT_METRICS,
	OPT_LOGIN,
	OPT_PRIVILEGE,
	OPT_PRIVILEGED,
	OPT_ENV,
	OPT_HASH,
};

static const char usage[] =
	"Usage: execsnoop [OPTION...]\n"
	"       execsnoop [OPTION...] -- COMMAND [ARG...]\n"
	"Trace exec() calls system-wide, as they happen; or those of COMMAND and all its\n"
	"descendants, ending with COMMAND's exit status.\n"
	"\n"
	"  -t, --timestamp      print seconds since start (of the exec, in kernel time)\n"
	"  -T, --time           print wall-clock time HH:MM:SS (not with -t)\n"
	"  -x, --fails          include failed execs\n"
	"  -u, --uid=UID        trace this user only (number or name)\n"
	"  -U, --print-uid      print a UID column\n"
	"  -q, --quote          quote every argument, escaping \" and \\\n"
	"  -j, --json           JSON Lines, one object per exec (see docs/json.md)\n"
	"      --journal        native entries to the systemd journal, one per exec, every\n"
	"                       field apart and exact (see docs/json.md), instead of lines\n"
	"  -e, --exits          also a line when a process seen exec'ing ends: its exit code or\n"
	"                       signal, lifetime since the exec and CPU time\n"
	"  -n, --name=NAME      only commands whose name contains NAME\n"
	"  -l, --line=LINE      only commands whose arguments contain LINE\n"
	"  -P, --ppid=PID       only children of PID\n"
	"  -c, --cgroup=PATH    only processes in this cgroup v2 directory\n"
	"      --container      a CONTAINER column: the container id in the cgroup path, or\n"
	"                       the cgroup's last component\n"
	"      --cwd            a CWD column before ARGS: the working directory, quoted\n"
	"  -p, --pid=PID        only PID and all its descendants, those it starts later too\n"
	"      --tree           indent ARGS by ancestry: children under their parent\n"
	"  -s, --summary        at exit, a table of the top spawners and commands\n"
	"      --interval=N     the summary every N seconds too (implies --summary, unless\n"
	"                       with --metrics: then it is the metrics file's interval)\n"
	"      --metrics=FILE   Prometheus counters in FILE for node_exporter's textfile\n"
	"                       collector, replaced every 15 s (or --interval) and at exit\n"
	"      --quiet          no lines: the summary (--summary) or the metrics only\n"
	"      --keep-root      under sudo, run COMMAND as root (default: as the user who\n"
	"                       ran sudo, with their groups)\n"
	"      --max-args=N     print at most N arguments (default: all captured)\n"
	"      --priority=P     boost (default: SCHED_FIFO 1, or nice -20 where that is\n"
	"                       not allowed), realtime (SCHED_FIFO 1, or a warning) or\n"
	"                       none, so that the reader keeps up with exec storms\n"
	"      --ring-size=SIZE perf ring per CPU, e.g. 4M (default: 32M shared out over\n"
	"                       the CPUs, from 256K to 8M each)\n"
	"      --run-as=USER    once tracing, run as USER (name or uid) instead of root,\n"
	"                       and run COMMAND as USER; without it, execsnoop becomes\n"
	"                       COMMAND's user. No capability is kept, but --hash's two\n"
	"      --login          LOGIN and TTY columns: the audit login user (the one behind\n"
	"                       su and sudo) and the controlling terminal\n"
	"      --privilege      a PRIV column before ARGS: what the exec raised (setuid=,\n"
	"                       setgid=, caps= of file capabilities), or -\n"
	"      --privileged     only execs that raised privilege (implies --privilege)\n"
	"      --env=LIST       NAME=value words before the path for these environment\n"
	"                       variables: names or glob patterns, comma-separated, e.g.\n"
	"                       'LD_*,PATH' ('*': all; values can hold secrets)\n"
	"      --hash           a SHA256 column: the digest of the file each exec ran, or\n"
	"                       why there is none (changed, deleted, memfd, unreadable);\n"
	"                       keeps CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE to read files\n"
	"  -v, --verbose        print libbpf's debug messages\n"
	"  -h, --help           show this help\n"
	"  -V, --version        show the version\n"
	"\n"
	"Examples:\n"
	"  execsnoop            trace all successful execs\n"
	"  execsnoop -t -x      with timestamps, including failed execs\n"
	"  execsnoop -u 1000    only execs by uid 1000\n"
	"  execsnoop -q > log   record quoted arguments to a file\n"
	"  execsnoop --tree -- make -j8\n"
	"                       what a build runs, as a tree\n"
	"  execsnoop -s --quiet --interval 5\n"
	"                       who is spawning, every 5 seconds\n";

static const struct option longopts[] = {
	{ "timestamp", no_argument, NULL, 't' },
	{ "time", no_argument, NULL, 'T' },
	{ "fails", no_argument, NULL, 'x' },
	{ "uid", required_argument, NULL, 'u' },
	{ "print-uid", no_argument, NULL, 'U' },
	{ "quote", no_argument, NULL, 'q' },
	{ "json", no_argument, NULL, 'j' },
	{ "exits", no_argument, NULL, 'e' },
	{ "container", no_argument, NULL, OPT_CONTAINER },
	{ "cwd", no_argument, NULL, OPT_CWD },
	{ "name", required_argument, NULL, 'n' },
	{ "line", required_argument, NULL, 'l' },
	{ "ppid", required_argument, NULL, 'P' },
	{ "cgroup", required_argument, NULL, 'c' },
	{ "pid", required_argument, NULL, 'p' },
	{ "tree", no_argument, NULL, OPT_TREE },
	{ "summary", no_argument, NULL, 's' },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "journal", no_argument, NULL, OPT_JOURNAL },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "keep-root", no_argument, NULL, OPT_KEEP_ROOT },
	{ "max-args", required_argument, NULL, OPT_MAX_ARGS },
	{ "priority", required_argument, NULL, OPT_PRIORITY },
	{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
	{ "run-as", required_argument, NULL, OPT_RUN_AS },
	{ "login", no_argument, NULL, OPT_LOGIN },
	{ "privilege", no_argument, NULL, OPT_PRIVILEGE },
	{ "privileged", no_argument, NULL, OPT_PRIVILEGED },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "hash", no_argument, NULL, OPT_HASH },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{},
};

/* Parses a whole decimal number in [min, max]. */
static int parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v < min || *v > max)
		return -ERANGE;
	return 0;
}

/* A size in bytes with an optional K, M or G suffix, rounded up to a power of two. */
static int parse_size(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	unsigned long n, shift = 0;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (errno || *end || n > (max >> shift))
		return -ERANGE;
	n <<= shift;
	if (n < min)
		return -ERANGE;
	for (*v = min; *v < n; *v *= 2)
		;
	return *v <= max ? 0 : -ERANGE;
}

/* A whole number in [min, max] for the option called what; -1 after saying why in one line. */
static int number(const char *s, unsigned long min, unsigned long max, const char *what,
		  const char *unit, unsigned long *v, FILE *err)
{
	char sv[SHOWN_SIZE];

	if (!parse_ulong(s, min, max, v))
		return 0;
	return errmsg_to(err, "invalid %s '%s': expected %s from %lu to %lu", what,
			 shown_value(sv, s), unit, min, max);
}

/*
 * A user by name or uid, with its group (the uid again for a uid that has
 * no entry); lookup finds the entry of a name, or of a uid (name NULL).
 */
static int find_user(const char *s, user_lookup_fn lookup, __u32 *uid, __u32 *gid)
{
	unsigned long v;

	if (!parse_ulong(s, 0, NO_UID - 1, &v)) {
		*uid = *gid = v;
		if (lookup)
			lookup(NULL, uid, gid);
		return 0;
	}
	if (!*s || (*s >= '0' && *s <= '9') || !lookup)
		return -ERANGE;
	return lookup(s, uid, gid);
}

static enum parse_result parse(int argc, char **argv, struct options *o, user_lookup_fn lookup,
			       FILE *out, FILE *err)
{
	char sv[SHOWN_SIZE], opt[2] = "", name[64];
	const char *eq;
	bool relative = false, wall = false, dashes = false;
	const char *why;
	unsigned long v;
	__u32 gid;
	int c, at, err_no;

	memset(o, 0, sizeof(*o));
	o->uid = NO_UID;
	o->ppid = NO_PPID;
	o->run_uid = NO_UID;
	/* 0: getopt starts afresh, also reading the + of optstring again */
	optind = 0;
	opterr = 0;

	/* '+': options stop at the first word that is not one, and at -- */
	for (at = 1;
	     (c = getopt_long(argc, argv, "+:tTxu:Uqjen:l:P:c:p:svhV", longopts, NULL)) != -1;
	     at = optind) {
		switch (c) {
		case 't':
			o->time = TIME_RELATIVE;
			relative = true;
			break;
		case 'T':
			o->time = TIME_WALL;
			wall = true;
			break;
		case 'x':
			o->fails = true;
			break;
		case 'u':
			if (find_user(optarg, lookup, &o->uid, &gid)) {
				errmsg_to(err, "invalid user '%s': no such user or uid",
					  shown_value(sv, optarg));
				return PARSE_ERROR;
			}
			break;
		case 'U':
			o->print_uid = true;
			break;
		case 'q':
			o->quote = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'e':
			o->exits = true;
			break;
		case OPT_CONTAINER:
			o->container = true;
			break;
		case OPT_CWD:
			o->cwd = true;
			break;
		case 'n':
			o->name = optarg;
			break;
		case 'l':
			o->line = optarg;
			break;
		case 'P':
			if (number(optarg, 1, INT_MAX, "parent pid", "a number", &v, err))
				return PARSE_ERROR;
			o->ppid = v;
			break;
		case 'c':
			o->cgroup = optarg;
			break;
		case 'p':
			if (number(optarg, 1, INT_MAX, "pid", "a number", &v, err))
				return PARSE_ERROR;
			o->pid = v;
			break;
		case OPT_TREE:
			o->tree = true;
			break;
		case 's':
			o->summary = true;
			break;
		case OPT_INTERVAL:
			if (number(optarg, 1, INTERVAL_MAX, "--interval", "seconds", &v, err))
				return PARSE_ERROR;
			o->interval = v;
			break;
		case OPT_QUIET:
			o->quiet = true;
			break;
		case OPT_KEEP_ROOT:
			o->keep_root = true;
			break;
		case OPT_JOURNAL:
			o->journal = true;
			break;
		case OPT_METRICS:
			if (!*optarg) {
				errmsg_to(err, "--metrics needs a file name");
				return PARSE_ERROR;
			}
			o->metrics = optarg;
			break;
		case OPT_MAX_ARGS:
			if (number(optarg, 1, ARGS_MAX, "--max-args", "a number", &v, err))
				return PARSE_ERROR;
			o->max_args = v;
			break;
		case OPT_PRIORITY:
			if (!strcmp(optarg, "boost")) {
				o->priority = PRIO_BOOST;
			} else if (!strcmp(optarg, "realtime")) {
				o->priority = PRIO_REALTIME;
			} else if (!strcmp(optarg, "none")) {
				o->priority = PRIO_NONE;
			} else {
				errmsg_to(
					err,
					"invalid --priority '%s': expected boost, realtime or none",
					shown_value(sv, optarg));
				return PARSE_ERROR;
			}
			break;
		case OPT_RING_SIZE:
			if (parse_size(optarg, RING_SIZE_MIN, RING_SIZE_MAX, &o->ring_size)) {
				errmsg_to(
					err,
					"invalid --ring-size '%s': expected a size from 128K to 1G",
					shown_value(sv, optarg));
				return PARSE_ERROR;
			}
			break;
		case OPT_RUN_AS:
			if (find_user(optarg, lookup, &o->run_uid, &o->run_gid)) {
				errmsg_to(err, "invalid --run-as user '%s': no such user or uid",
					  shown_value(sv, optarg));
				return PARSE_ERROR;
			}
			break;
		case OPT_LOGIN:
			o->login = true;
			break;
		case OPT_PRIVILEGE:
			o->privilege = true;
			break;
		case OPT_ENV:
			err_no = env_select_add(&o->env, optarg, &why);
			if (err_no == -ENOMEM) {
				errmsg_to(err, "--env: out of memory");
				return PARSE_ERROR;
			}
			if (err_no) {
				errmsg_to(err, "invalid --env '%s': %s", shown_value(sv, optarg),
					  why);
				return PARSE_ERROR;
			}
			break;
		case OPT_HASH:
			o->hash = true;
			break;
		case OPT_PRIVILEGED:
			o->privileged = o->privilege = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			fputs(usage, out);
			return PARSE_EXIT;
		case 'V':
			fprintf(out, "execsnoop %s\n", EXECSNOOP_VERSION);
			return PARSE_EXIT;
		case ':':
			errmsg_to(err, "option '%s' needs a value; try --help",
				  shown_value(sv, argv[optind - 1]));
			return PARSE_ERROR;
		default:
			/* --json=1: a long option that takes no value (a word of its own) */
			eq = optind == at + 1 && !strncmp(argv[at], "--", 2) ? strchr(argv[at], '=')
									     : NULL;
			if (optopt && eq) {
				snprintf(name, sizeof(name), "%.*s", (int)(eq - argv[at]),
					 argv[at]);
				errmsg_to(err, "option '%s' takes no value; try --help",
					  shown_value(sv, name));
			} else if (optopt) {
				opt[0] = optopt;
				errmsg_to(err, "unknown option '-%s'; try --help",
					  shown_value(sv, opt));
			} else {
				errmsg_to(err, "unknown option '%s'; try --help",
					  shown_value(sv, argv[optind - 1]));
			}
			return PARSE_ERROR;
		}
	}
	/* getopt stepped over a -- of its own, not over an option's value */
	dashes = at < argc && optind == at + 1 && !strcmp(argv[at], "--");
	if (dashes && optind == argc) {
		errmsg_to(err, "no command after --; try --help");
		return PARSE_ERROR;
	}
	if (dashes) {
		o->command = argv + optind;
	} else if (optind < argc) {
		errmsg_to(
			err,
			"unexpected argument '%s'; to run a command and trace it, put it after --",
			shown_value(sv, argv[optind]));
		return PARSE_ERROR;
	}
	if (relative && wall) {
		errmsg_to(
			err,
			"-t and -T cannot be used together: choose seconds since start (-t) or the wall clock (-T)");
		return PARSE_ERROR;
	}
	if (o->pid && o->command) {
		errmsg_to(
			err,
			"-p and a command cannot be used together: trace a process that runs (-p) or start one (--)");
		return PARSE_ERROR;
	}
	if (o->tree && o->json) {
		errmsg_to(
			err,
			"--tree is a text view, not with -j: JSON objects carry id and parent_id");
		return PARSE_ERROR;
	}
	/* the interval is the metrics' when there are metrics, else the summary's */
	if (o->interval && !o->metrics)
		o->summary = true;
	o->metrics_interval = o->interval ? o->interval : METRICS_INTERVAL_DEF;
	if (o->journal && (o->json || o->tree)) {
		errmsg_to(err, "--journal is a format of its own, not with %s",
			  o->json ? "-j" : "--tree");
		return PARSE_ERROR;
	}
	if (o->quiet && !o->summary && !o->metrics) {
		errmsg_to(
			err,
			"--quiet prints no lines, only the summary or the metrics: add --summary or --metrics");
		return PARSE_ERROR;
	}
	if (o->keep_root && !o->command) {
		errmsg_to(err, "--keep-root is about a command run after --");
		return PARSE_ERROR;
	}
	if (o->keep_root && o->run_uid != NO_UID) {
		errmsg_to(
			err,
			"--keep-root and --run-as cannot be used together: the command runs as the --run-as user");
		return PARSE_ERROR;
	}
	return PARSE_OK;
}

enum parse_result parse_options(int argc, char **argv, struct options *o, user_lookup_fn lookup,
				FILE *out, FILE *err)
{
	enum parse_result r = parse(argc, argv, o, lookup, out, err);

	if (r != PARSE_OK) {
		options_free(o);
		return r;
	}
	/* the key of the --env walk's hash, unknown to whoever picks the names (0 will do) */
	if (o->env.n && getrandom(&o->env.seed, sizeof(o->env.seed), GRND_NONBLOCK) < 0)
		o->env.seed = 0;
	return r;
}

void options_free(struct options *o)
{
	env_select_free(&o->env);
}
