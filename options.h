/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Command-line options of execsnoop. */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

enum time_mode {
	TIME_NONE,
	TIME_RELATIVE, /* -t: seconds since start */
	TIME_WALL,     /* -T: HH:MM:SS */
};

struct options {
	enum time_mode time;
	bool fails;
	bool print_uid;
	bool quote;
	bool verbose;
	__u32 uid;	       /* NO_UID: any */
	__u32 ppid;	       /* NO_PPID: any */
	unsigned int max_args; /* 0: no limit */
	const char *name;
	const char *line;
	const char *cgroup;
};

enum parse_result {
	PARSE_OK,
	PARSE_EXIT,  /* --help or --version was printed */
	PARSE_ERROR, /* a one-line error was printed */
};

/* Fills o from argv; messages go to out (help, version) and err. */
enum parse_result parse_options(int argc, char **argv, struct options *o, FILE *out, FILE *err);

#endif /* OPTIONS_H */
