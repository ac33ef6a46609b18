/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Command-line options of execsnoop. */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "envsel.h"
#include "escape.h"
#include "stream.h"
#include "text.h"

#define INTERVAL_MAX	     86400 /* seconds: a day */
#define METRICS_INTERVAL_DEF 15	   /* seconds between metrics writes without --interval */

enum priority {
	PRIO_BOOST,    /* SCHED_FIFO 1, or nice -20 without CAP_SYS_NICE */
	PRIO_REALTIME, /* SCHED_FIFO 1, or a warning */
	PRIO_NONE,     /* as started */
};

struct options {
	enum time_mode time;
	bool fails;
	bool print_uid;
	bool quote;
	bool verbose;
	bool json;
	bool exits;
	bool container;
	bool cwd;
	bool tree;		       /* --tree: ARGS indented by ancestry */
	bool summary;		       /* -s: a table of spawners and commands */
	bool quiet;		       /* --quiet: no lines: the summary or the metrics only */
	bool journal;		       /* --journal: native journal entries instead of lines */
	bool keep_root;		       /* --keep-root: the command keeps root under sudo */
	unsigned int interval;	       /* seconds between summaries; 0: at exit only */
	const char *metrics;	       /* --metrics: the file of Prometheus metrics; NULL: none */
	unsigned int metrics_interval; /* seconds between writes of the metrics file */
	__u32 pid;		       /* -p: the process whose subtree is traced; 0: none */
	char **command;	       /* after --: the command to run, NULL-terminated; NULL: none */
	__u32 uid;	       /* NO_UID: any */
	__u32 ppid;	       /* NO_PPID: any */
	unsigned int max_args; /* 0: no limit */
	enum priority priority;
	unsigned long ring_size; /* bytes per CPU ring; 0: sized from the CPU count */
	const char *name;
	const char *line;
	const char *cgroup;
	__u32 run_uid; /* --run-as: the user to switch to once tracing; NO_UID: stay */
	__u32 run_gid;
	bool login;	       /* --login: LOGIN and TTY columns */
	bool privilege;	       /* --privilege: a PRIV column */
	bool privileged;       /* --privileged: only execs that raised privilege */
	bool hash;	       /* --hash: the SHA-256 of the file each exec ran */
	struct env_select env; /* --env: the environment variables shown */
};

enum parse_result {
	PARSE_OK,
	PARSE_EXIT,  /* --help or --version was printed */
	PARSE_ERROR, /* a one-line error was printed */
};

/*
 * Finds the user called name, or uid *uid when name is NULL: fills *uid and
 * *gid, or returns non-zero (users_find).
 */
typedef int (*user_lookup_fn)(const char *name, __u32 *uid, __u32 *gid);

/*
 * Fills o from argv; user names (-u, --run-as) are found with lookup (NULL:
 * numbers only). Messages go to out (help, version) and err. Opens nothing.
 */
enum parse_result parse_options(int argc, char **argv, struct options *o, user_lookup_fn lookup,
				FILE *out, FILE *err);

/* Frees what parsing allocated (the --env patterns); after PARSE_OK, once done. */
void options_free(struct options *o);

#endif /* OPTIONS_H */
