/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The column layout: header and one line per exec. */
#ifndef TEXT_H
#define TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "escape.h"
#include "record.h"
#include "summary.h"
#include "who.h"

#define TREE_INDENT_MAX 32
#define LOGIN_WIDTH	8 /* --login: the LOGIN column */
#define TTY_WIDTH                                                                                  \
	8 /* and the TTY column */ /* --tree: levels shown by indentation, two spaces each */

/* Room for the longest line: every byte escaped, plus quotes, spaces, columns and indentation. */
#define LINE_MAX_LEN                                                                               \
	(2 * ESCAPED_MAX(FNAME_MAX + 64 + ARGS_MAX) + 128 + 2 * TREE_INDENT_MAX +                  \
	 4 * PRIV_TEXT_MAX + 8 * (LOGIN_WIDTH + TTY_WIDTH) + 2 * ESCAPED_MAX(ENV_MAX) +            \
	 SHA256_COLUMN_MAX)

/* --hash: the SHA256 column, 64 hex digits or why there are none */
#define SHA256_COLUMN_MAX 80

/* The time column. */
enum time_mode {
	TIME_NONE,
	TIME_RELATIVE, /* -t: seconds since start */
	TIME_WALL,     /* -T: HH:MM:SS */
};

struct fmt {
	enum time_mode time;
	bool print_uid;
	bool quote;
	bool container;	       /* a CONTAINER column */
	bool cwd;	       /* a CWD column before ARGS, quoted; + after it when cut */
	unsigned int max_args; /* 0: no limit */
	/* the path of a cgroup v2 id, or NULL */
	const char *(*cgroup_path)(__u64 id);
	bool login;			     /* LOGIN and TTY columns */
	bool priv;			     /* a PRIV column after RET */
	bool hash;			     /* a SHA256 column after that */
	const struct env_select *env;	     /* NAME=value words before the path (--env) */
	const char *(*user_name)(__u32 uid); /* the name of a uid, or NULL */
	__u64 start_ns;			     /* CLOCK_BOOTTIME at start, for -t */
	__s64 wall_offset_ns; /* CLOCK_REALTIME - CLOCK_BOOTTIME, for -T; kept current by the caller */
	/* -T: the last second formatted, to skip localtime for lines within it */
	__s64 wall_secs;
	char wall[16];
};

#define TEXT_HEADER_MAX_LEN 256	 /* room for the header */
#define TEXT_END_MAX_LEN    1024 /* room for the line of an end */

#define CONTAINER_WIDTH 12

/*
 * Names the container of a cgroup path: the 12 first digits of a 64-digit
 * hex id in its last component (docker-<id>.scope, <id>, cri-containerd-...),
 * else that last component. Returns its length; out holds len bytes.
 */
size_t container_name(const char *path, char *out, size_t len);

struct options;
struct print_env;

/* The columns the options ask for. */
void text_fmt_init(struct fmt *f, const struct options *o, const struct print_env *env);

size_t text_header(char *buf, const struct fmt *f);

/* Room the line of an exec of r needs. */
size_t text_need(const struct record *r);

/* Writes one line, newline included; buf holds text_need(r) bytes. Returns its length. */
size_t text_line(char *buf, struct fmt *f, const struct record *r, const struct words *w);

/*
 * The same with ARGS indented by two spaces a level of depth (--tree), up
 * to TREE_INDENT_MAX levels; deeper lines show their depth as "+N " there.
 */
size_t text_tree_line(char *buf, struct fmt *f, const struct record *r, const struct words *w,
		      unsigned int depth);

/*
 * Writes the line of a process's end (an EV_EXIT record): the same columns,
 * "end" in RET, then code=N or signal=NAME [core], lived=S and cpu=S.
 */
size_t text_exit(char *buf, struct fmt *f, const struct record *r);

/* Writes the summary table; buf holds SUMMARY_MAX_LEN bytes. Returns its length. */
size_t text_summary(char *buf, const struct summary *s, const struct summary_view *v);

#endif /* TEXT_H */
